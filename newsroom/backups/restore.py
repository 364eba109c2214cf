"""Restore a backup into an empty install, and prove it came back whole.

`manage.py restore` calls `restore_backup`. Everything is unpacked into a hidden
folder of the target data directory and checked there (every checksum, then the
database's rows and migrations against the manifest) before anything is put in
place, so a damaged backup changes nothing. Each part goes where this install's
settings put it, with the data directory swapped for the one restored into.
"""

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.template.defaultfilters import filesizeformat

from . import embedded, postgres
from .archive import unpack
from .backup import SECRET_KEY_FILE
from .manifest import MEDIA, SECRET_KEY, BackupError, differences, summary


def restore_backup(
    archive: Path, *, data_dir: Path | None = None, say: Callable[[str], None]
) -> None:
    """Restore `archive` into `data_dir` (this install's data directory by default)
    and its database.

    The data directory must be empty but for a generated secret_key, an uploads
    folder elsewhere empty, and on PostgreSQL the database without tables (checked
    once the backup is, so a damaged backup is refused whatever the database
    holds). Raises BackupError, having changed nothing, when one is not or the
    backup is damaged.
    """
    started = time.monotonic()
    data_dir = Path(data_dir or settings.DATA_DIR).absolute()
    media_root = rebased(Path(settings.MEDIA_ROOT), data_dir)
    _require_empty(data_dir, media_root)
    staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=data_dir))
    try:
        manifest = unpack(archive, staging)
        say(
            f"Checked {archive}: made {manifest.get('created_at')} by Newsroom "
            f"{manifest.get('newsroom_version')}; all {len(manifest['files']):,} "
            "files match their checksums."
        )
        _warn_of_unknown_migrations(manifest, say)
        place_databases = _restore_databases(manifest, staging, data_dir, say)
        _place_media(staging / MEDIA, media_root, manifest, say)
        _place_secret_key(staging / SECRET_KEY, data_dir, manifest, say)
        place_databases()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    say(
        f"Restored into {data_dir} in {time.monotonic() - started:.1f} s. Next: "
        "manage.py migrate (in case this code is newer than the backup), "
        "collectstatic, then start the site."
    )


def rebased(path: Path, data_dir: Path) -> Path:
    """Where `path`, a place these settings name, is when the data directory is
    `data_dir` instead of theirs. A place outside their data directory stays."""
    path = Path(path).absolute()
    try:
        return data_dir / path.relative_to(Path(settings.DATA_DIR).absolute())
    except ValueError:
        return path


def _require_empty(data_dir: Path, media_root: Path) -> None:
    if data_dir.exists() and not data_dir.is_dir():
        raise BackupError(f"{data_dir} is not a directory. Nothing was restored.")
    data_dir.mkdir(parents=True, exist_ok=True)
    # settings.py generates a secret_key in an empty data directory when SECRET_KEY
    # is unset: that file alone still counts as empty, and the backup's replaces it.
    found = sorted(
        path.name
        for path in data_dir.iterdir()
        if not (path.name == SECRET_KEY_FILE and path.is_file())
    )
    if found:
        shown = ", ".join(found[:5]) + ("…" if len(found) > 5 else "")
        raise BackupError(
            f"{data_dir} is not empty ({shown}). A backup restores only into an "
            "empty data directory (a generated secret_key alone is allowed). "
            "Nothing was restored."
        )
    if media_root.is_dir() and any(media_root.iterdir()):
        raise BackupError(
            f"The media folder {media_root} is not empty. Nothing was restored."
        )


def _warn_of_unknown_migrations(manifest: dict, say) -> None:
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(
        f"{app}.{name}"
        for described in manifest["databases"].values()
        for app, name in described["migrations"].items()
        if (app, name) not in known
    )
    if unknown:
        say(
            "Warning: this code does not know migrations the backup has "
            f"({', '.join(unknown[:5])}): the backup was made by a newer version. "
            "Run that version, or a later one, on the restored data."
        )


def _restore_databases(manifest: dict, staging: Path, data_dir: Path, say):
    """Restore or check the databases; return what puts SQLite files in place."""
    vendor = connections["default"].vendor
    if manifest.get("vendor") != vendor:
        raise BackupError(
            f"The backup holds a {manifest.get('vendor')} database and this install "
            f"uses {vendor}: restore it into an install on {manifest.get('vendor')}. "
            "Nothing was restored."
        )
    databases = manifest["databases"]
    if vendor == postgres.VENDOR:
        [(alias, described)] = databases.items()
        postgres.require_empty(alias)
        found = postgres.restore(staging / described["file"], described, alias)
        say(f"Database {alias} restored (PostgreSQL): {summary(found['counts'])}.")
        return lambda: None
    moves = []
    for alias, described in databases.items():
        if alias not in settings.DATABASES:
            raise BackupError(
                f"The backup has a database {alias!r} this install does not "
                "configure. Nothing was restored."
            )
        target = rebased(embedded.configured_file(alias), data_dir)
        for beside in ("", "-wal", "-shm"):  # a stray log would be replayed into it
            if Path(f"{target}{beside}").exists():
                raise BackupError(f"{target}{beside} exists. Nothing was restored.")
        staged = staging / described["file"]
        found = embedded.read(staged)
        wrong = differences(described["counts"], found["counts"])
        wrong += differences(described["migrations"], found["migrations"])
        if wrong:
            raise BackupError(
                f"The backup's database {alias!r} differs from its manifest: "
                f"{'; '.join(wrong[:5])}. Nothing was restored."
            )
        moves.append((staged, target))
        say(f"Database {alias} checked (SQLite): {summary(found['counts'])}.")

    def place():
        for staged, target in moves:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(staged, target)
            say(f"Database restored to {target}.")

    return place


def _place_media(staged: Path, media_root: Path, manifest: dict, say) -> None:
    media = manifest.get("media") or {}
    if staged.is_dir():
        if media_root.is_dir():
            media_root.rmdir()  # empty, as checked
        media_root.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staged, media_root)
    size = filesizeformat(media.get("bytes", 0))
    say(
        f"Media: {media.get('files', 0):,} files ({size}) "
        f"into {media_root}. Renditions were not backed up: Wagtail makes each again "
        "the first time a page shows it."
    )


def _place_secret_key(staged: Path, data_dir: Path, manifest: dict, say) -> None:
    if not staged.is_file():
        say(
            "Secret key: not in the backup (the site took it from SECRET_KEY in its "
            "environment). Set the same SECRET_KEY here, or every reader is signed "
            "out and the links in emails already sent stop working."
        )
        return
    target = data_dir / SECRET_KEY_FILE
    replaced = target.exists()
    os.chmod(staged, 0o600)
    os.replace(staged, target)
    instead = ", in place of the one generated for the empty directory"
    say(f"Secret key: restored to {target}{instead if replaced else ''}.")
    if os.environ.get("SECRET_KEY"):
        say(
            "Secret key: SECRET_KEY is set in this environment and wins over the "
            "file; make it the backed-up site's key."
        )
