"""What a backup holds, and the manifest that lists it.

A backup is one gzipped tar archive:

    database/<alias>.sqlite3   each SQLite database, copied at one moment (embedded)
    database/<alias>.pgdump    or pg_dump's custom format (PostgreSQL)
    media/…                    uploads (original images, documents), renditions left out
    secret_key                 the generated key, when the install uses one
    manifest.json              last: written once everything above is in

The manifest says when and from what the backup was made (the code's version, each
app's last migration, the database's vendor), how many rows each table held, and
the size and SHA-256 of every file, so a restore can prove it got all of it back.
"""

import hashlib
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

FORMAT = "newsroom-backup/1"
MANIFEST = "manifest.json"
DATABASES = "database"
MEDIA = "media"
SECRET_KEY = "secret_key"  # noqa: S105 - the key file's name in a backup
# Wagtail writes every rendition under this folder of the media root
# (AbstractRendition.get_upload_to). Renditions are left out of a backup, their
# rows with them, and Wagtail makes each again the first time a page shows it.
RENDITIONS = "images"
# The tables a person reads a backup's summary by, in this order.
KEY_MODELS = (
    "wagtailcore.Page",
    "news.NewsImage",
    "wagtaildocs.Document",
    "auth.User",
    "comments.Thread",
    "comments.Comment",
    "comments.Vote",
    "alerts.Subscription",
)
CHUNK = 1 << 20


def newsroom_version() -> str:
    """The code's version, as pyproject.toml gives it."""
    with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def counted_tables() -> list[str]:
    """Every table a model of this code keeps rows in, many-to-many ones included."""
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def rendition_tables() -> list[str]:
    """The tables of Wagtail's renditions, whose rows go with their files."""
    from wagtail.images.models import AbstractRendition

    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if issubclass(model, AbstractRendition)
    )


def last_migrations(rows) -> dict[str, str]:
    """Each app's last applied migration, from `(app, name)` rows in order applied."""
    applied = {}
    for app, name in rows:
        applied[app] = name
    return dict(sorted(applied.items()))


def summary(counts: dict[str, int]) -> str:
    """`1,204 pages, 12 news images, …`: the key tables' counts, for people."""
    parts = []
    for label in KEY_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if model._meta.db_table in counts:
            number = counts[model._meta.db_table]
            parts.append(f"{number:,} {model._meta.verbose_name_plural}")
    return ", ".join(parts)


def differences(expected: dict, found: dict) -> list[str]:
    """What differs between two `{name: value}` maps, one line each."""
    return [
        f"{name}: {expected.get(name, 'none')} in the backup, "
        f"{found.get(name, 'none')} restored"
        for name in sorted(set(expected) | set(found))
        if expected.get(name) != found.get(name)
    ]


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why and what to do."""
