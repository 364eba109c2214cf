"""manage.py export_comments: write a site's discussions as a Disqus or WordPress
export, to take them elsewhere."""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.interchange import exporter
from newsroom.interchange.models import Source
from newsroom.interchange.sites import site_named


class Command(BaseCommand):
    help = (
        "Export a site's comments as a Disqus export or a WordPress (WXR) export, "
        "which import_comments (and those services) read back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--format",
            required=True,
            choices=[Source.DISQUS, Source.WXR],
            help="disqus or wxr",
        )
        parser.add_argument(
            "--site", help="the site's hostname (the default site if left out)"
        )
        parser.add_argument(
            "--output",
            type=Path,
            help="the file to write (standard output if left out)",
        )

    def handle(self, *args, format, site, output, **options):
        try:
            target = site_named(site)
        except LookupError as error:
            raise CommandError(str(error)) from None
        if output is None:
            written = exporter.write(target, _binary(self.stdout), source=format)
        else:
            # Written beside the target and renamed at the end, so a file of that
            # name is always a whole export.
            partial = output.with_name(output.name + ".part")
            try:
                with partial.open("wb") as stream:
                    written = exporter.write(target, stream, source=format)
                os.replace(partial, output)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error}") from None
            finally:
                partial.unlink(missing_ok=True)
        self.stderr.write(f"{written:,} comments of {target.hostname} exported.")


def _binary(stdout):
    """The command's standard output as a binary stream."""
    stream = getattr(stdout, "_out", stdout)
    if hasattr(stream, "buffer"):
        return stream.buffer
    if stream is sys.stdout:  # pragma: no cover - a real terminal has a buffer
        return sys.stdout.buffer
    return _TextSink(stream)


class _TextSink:
    """A text stream (a test's StringIO) taking the export's UTF-8 bytes."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, data: bytes) -> int:
        self.stream.write(data.decode("utf-8"))
        return len(data)

    def flush(self) -> None:
        self.stream.flush()
