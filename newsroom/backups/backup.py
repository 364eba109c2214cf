"""Back up a running install: its database, its uploads and its secret key.

`manage.py backup` calls `make_backup`. The database comes first, copied at one
moment (embedded.py, postgres.py); the uploads then, so that every file the copy
refers to is there (an upload made meanwhile is harmless, one deleted meanwhile is
missing and said so).
"""

import datetime
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from . import embedded, postgres
from .archive import ArchiveWriter
from .manifest import (
    FORMAT,
    MEDIA,
    RENDITIONS,
    SECRET_KEY,
    BackupError,
    newsroom_version,
    summary,
)

NAME_FORMAT = "newsroom-backup-%Y%m%dT%H%M%SZ.tar.gz"
# Where settings.py keeps the key it generates when SECRET_KEY is unset.
SECRET_KEY_FILE = "secret_key"  # noqa: S105 - a file name, not a key


def make_backup(
    output: str | None = None, *, now=None, say: Callable[[str], None]
) -> Path:
    """Write a backup of this install and return its path.

    `output` is a directory (an existing one, or any path ending in a slash: the
    backup gets a dated name in it) or the backup's file name; by default
    `<data dir>/backups/`. `say` is told each step.
    Raises BackupError, leaving no file under the backup's name.
    """
    started = time.monotonic()
    now = now or timezone.now()
    final = destination(output, now)
    vendor = connections["default"].vendor
    with (
        ArchiveWriter(final) as archive,
        tempfile.TemporaryDirectory(prefix=".newsroom-", dir=final.parent) as work,
    ):
        databases = _add_databases(archive, Path(work), vendor, say)
        media = _add_media(archive, say)
        secret_key = _add_secret_key(archive, say)
        path = archive.finish(
            {
                "format": FORMAT,
                "created_at": now.isoformat(),
                "newsroom_version": newsroom_version(),
                "vendor": vendor,
                "databases": databases,
                "media": media,
                "secret_key": secret_key,
            }
        )
    say(
        f"Backup written: {path} ({filesizeformat(path.stat().st_size)}) "
        f"in {time.monotonic() - started:.1f} s."
    )
    return path


def destination(output: str | None, now: datetime.datetime) -> Path:
    """The backup's path: `output` itself, or a dated name in the directory it is."""
    name = now.astimezone(datetime.UTC).strftime(NAME_FORMAT)
    if output is None:
        final = Path(settings.DATA_DIR) / "backups" / name
    elif output.endswith(os.sep) or Path(output).is_dir():
        final = Path(output) / name
    else:
        final = Path(output)
    final = final.absolute()
    media = Path(settings.MEDIA_ROOT).absolute()
    if final.parent == media or media in final.parents:
        # The media folder is what gets backed up, and the web server serves it.
        raise BackupError(
            f"{final} is inside the media folder {media}, which the site serves to "
            "anyone: choose a place outside it."
        )
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BackupError(f"Cannot create {final.parent}: {error}") from None
    if final.exists():
        raise BackupError(
            f"{final} exists already: a backup never overwrites another. "
            "Give another name."
        )
    return final


def _add_databases(archive, work: Path, vendor: str, say) -> dict:
    if vendor == embedded.VENDOR:
        copies = embedded.copy(work)
    elif vendor == postgres.VENDOR:
        if set(settings.DATABASES) != {"default"}:
            raise BackupError("On PostgreSQL, only a single database backs up.")
        copies = {"default": postgres.dump(work)}
    else:
        raise BackupError(f"Backups know SQLite and PostgreSQL, not {vendor}.")
    described = {}
    for alias, (path, about) in copies.items():
        size = archive.add(path, about["file"])
        path.unlink()
        described[alias] = about
        say(
            f"Database {alias} ({vendor}, {filesizeformat(size)}), as of one moment: "
            f"{summary(about['counts'])}."
        )
    return described


def _add_media(archive, say) -> dict:
    root = Path(settings.MEDIA_ROOT)
    added = size = renditions = vanished = 0
    passed_over = []
    for folder, folders, files in os.walk(root):  # does not follow links
        folders.sort()
        relative = Path(folder).relative_to(root)
        if relative.parts[:1] == (RENDITIONS,):
            renditions += len(files)
            continue
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_symlink() or not path.is_file():
                passed_over.append(str(path))
                continue
            try:
                size += archive.add(path, f"{MEDIA}/{(relative / name).as_posix()}")
            except FileNotFoundError:
                vanished += 1  # deleted since the walk listed it
                continue
            added += 1
    say(
        f"Media: {added:,} files ({filesizeformat(size)}) from {root}. "
        f"Left out: {renditions:,} renditions (Wagtail makes each again when a page "
        "first shows it)."
    )
    if vanished:
        say(f"Media: {vanished:,} files were deleted while the backup ran.")
    for path in passed_over:
        say(f"Media: {path} is a link or special file, not backed up.")
    return {"files": added, "bytes": size, "renditions_left_out": renditions}


def _add_secret_key(archive, say) -> str:
    path = Path(settings.DATA_DIR) / SECRET_KEY_FILE
    if path.is_file() and path.read_text().strip() == settings.SECRET_KEY:
        archive.add(path, SECRET_KEY)
        say(f"Secret key: included ({path}). Keep the backup as safe as the key.")
        return "included"
    say(
        "Secret key: not included; SECRET_KEY comes from the environment. Keep it "
        "with the environment file, apart from the backups."
    )
    return "environment"
