"""manage.py import_comments: bring a Disqus or WordPress export's discussions in."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.interchange import importer
from newsroom.interchange.sites import section_in, site_named
from newsroom.interchange.sources import ImportFileError


class Command(BaseCommand):
    help = (
        "Import the comments of a Disqus export or a WordPress (WXR) export into a "
        "site. The same file can be run again: it adds only what is not there yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the export's XML file")
        parser.add_argument(
            "--site", help="the site's hostname (the default site if left out)"
        )
        parser.add_argument(
            "--hostname",
            action="append",
            default=[],
            help="another hostname the site's articles had (repeat for each)",
        )
        parser.add_argument(
            "--map",
            type=Path,
            help="a CSV of thread id, identifier or address → page id or address",
        )
        parser.add_argument(
            "--stubs-into",
            metavar="SECTION",
            help="make archive articles in this section (slug or id) for threads "
            "that match none; WordPress posts go to the section of their category",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="print the report without writing anything",
        )

    def handle(self, *args, path, site, hostname, map, stubs_into, dry_run, **options):
        if not path.is_file():
            raise CommandError(f"There is no file at {path}.")
        try:
            target = site_named(site)
            section = section_in(target, stubs_into) if stubs_into else None
            report = importer.run(
                path,
                target,
                hostnames=hostname,
                id_map=map,
                stubs_section=section,
                dry_run=dry_run,
                progress=Bar(self.stderr) if sys.stderr.isatty() else None,
            )
        except (ImportFileError, LookupError) as error:
            raise CommandError(str(error)) from None
        finally:
            if sys.stderr.isatty():
                self.stderr.write("")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        for line in report.lines():
            self.stdout.write(line)


class Bar:
    """A one-line progress bar with rate and time left, redrawn in place."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream

    def __call__(self, stage, done, total, elapsed):
        share = done / total if total else 1.0
        filled = int(self.WIDTH * share)
        rate = done / elapsed if elapsed else 0.0
        left = (total - done) / rate if rate else 0.0
        if stage == "read":
            count = f"{done / 1e6:,.1f}/{total / 1e6:,.1f} MB"
            speed = f"{rate / 1e6:,.1f} MB/s"
        else:
            count = f"{done:,}/{total:,} comments"
            speed = f"{rate:,.0f}/s"
        minutes, seconds = divmod(int(left), 60)
        self.stream.write(
            f"\r{stage:<7}[{'#' * filled}{'.' * (self.WIDTH - filled)}] {count}  "
            f"{speed}  ETA {minutes}:{seconds:02d} ",
            ending="",
        )
        self.stream.flush()
