"""Keep cached fragments fresh: a content version that changes with published content.

Cached fragments (the front page, the section menu, the list of sister sites) carry
the version in their keys, so publishing, unpublishing, moving or deleting a page, a
change of privacy, editing a site or a photo, or a redirect, makes every process render
them afresh. The version is one row read once per request (with a plain SELECT: the
ORM would spend ten times the query's own cost building it), the fragments it guards
cost far more. A timeout bounds staleness should a change ever bypass the receivers in
apps.py. What a reader can reach by address is kept under it too (lookups.py).

On SQLite (the embedded mode) every process using the database runs on the machine
that holds its file, so the row is not even read each time: a bump also appends a
byte to a file beside the database once its transaction commits (`<database>` +
SIGNAL_SUFFIX), and each process keeps the version it last read with the state of
that file (its inode and size, taken before the read). A request reads the row only
when the file changed, a stat() otherwise. A version read inside a transaction is
never kept (it may be rolled back), the process that bumps forgets its own at once,
and none is kept longer than REMEMBER_SECONDS should a signal ever be lost.
"""

import contextlib
import functools
import logging
import os
import time

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from .models import ContentVersion

logger = logging.getLogger(__name__)

FRAGMENT_TIMEOUT = 300  # seconds
VERSION_ROW = 1
SIGNAL_SUFFIX = "-content-version"
SIGNAL_LIMIT = 64 * 1024  # bytes; then the file starts afresh (a new inode)
REMEMBER_SECONDS = 60
# (signal file, its state, version, time.monotonic()) as last read
_remembered: tuple | None = None


def content_version(request=None) -> int:
    """The current version, read once per request when `request` is given."""
    cached = getattr(request, "_news_content_version", None)
    if cached is not None:
        return cached
    version = _current()
    if request is not None:
        request._news_content_version = version
    return version


def _current() -> int:
    global _remembered
    signal = _signal_path()
    if signal is None or connection.in_atomic_block:
        return _read()
    state = _state(signal)  # before the read: a bump committed after it changes it
    remembered, now = _remembered, time.monotonic()
    if (
        remembered is not None
        and remembered[:2] == (signal, state)
        and now - remembered[3] < REMEMBER_SECONDS
    ):
        return remembered[2]
    version = _read()
    _remembered = (signal, state, version, now)
    return version


def known_version() -> int | None:
    """The version this process last read, if it is known to be still current
    (SQLite: the signal file unchanged since); else None. Reads no database, so it
    may be asked outside Django's threads (the edge's event loop)."""
    remembered = _remembered
    if remembered is None:
        return None
    signal, state, version, read_at = remembered
    if time.monotonic() - read_at >= REMEMBER_SECONDS or _state(signal) != state:
        return None
    return version


def _read() -> int:
    with connection.cursor() as cursor:
        cursor.execute(_read_sql(), [VERSION_ROW])
        row = cursor.fetchone()
    return row[0] if row else 0


def _signal_path() -> str | None:
    """The file announcing bumps beside an SQLite database file; None elsewhere."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return None
    return f"{connection.settings_dict['NAME']}{SIGNAL_SUFFIX}"


def _state(path: str) -> tuple:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return (0, 0)
    return (found.st_ino, found.st_size)


def _announce(path: str) -> None:
    """Tell every process a bump committed: one byte more in the signal file."""
    try:
        with contextlib.suppress(FileNotFoundError):
            if os.stat(path).st_size > SIGNAL_LIMIT:
                os.unlink(path)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, b".")
        finally:
            os.close(fd)
    except OSError:
        logger.exception("Could not announce a new content version in %s", path)


def forget() -> None:
    """Forget the version this process keeps (tests, between them)."""
    global _remembered
    _remembered = None


@functools.cache
def _read_sql() -> str:
    quote = connection.ops.quote_name
    meta = ContentVersion._meta
    version = meta.get_field("version").column
    # Names from the model, quoted: no outside text reaches the statement.
    return (
        f"SELECT {quote(version)} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {quote(meta.pk.column)} = %s"
    )


def bump_content_version(**kwargs) -> None:
    """Signal receiver: published content changed somewhere in the network."""
    updated = ContentVersion.objects.filter(pk=VERSION_ROW).update(
        version=F("version") + 1, changed_at=timezone.now()
    )
    if not updated:
        ContentVersion.objects.get_or_create(pk=VERSION_ROW)
    forget()
    signal = _signal_path()
    if signal is not None:
        transaction.on_commit(functools.partial(_announce, signal))
