"""Purge the pages that show what changed: the app's page cache and front caches."""

import http.client
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from . import stores

logger = logging.getLogger(__name__)
TIMEOUT = 2.0  # seconds per front cache; a purge never holds an editor's save long


def purge(*keys: str) -> None:
    """Drop every cached page showing any of `keys`, once the transaction commits
    (at once outside one), in this process, every other app process and every
    front cache in NEWSROOM_VARNISH_URLS."""
    names = {key for key in keys if key}
    if names:
        transaction.on_commit(lambda: purge_now(names))


def purge_now(names: set) -> None:
    store = stores.get_store()
    if store is not None:
        store.purge(names)
    for url in settings.NEWSROOM_VARNISH_URLS:
        purge_front_cache(url, names)


def purge_front_cache(url: str, names: set) -> bool:
    """`PURGE /` with `xkey-purge: <keys>`: Varnish's xkey drops those objects."""
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection
        if parts.scheme == "https"
        else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        connection.request(
            "PURGE", parts.path or "/", headers={"xkey-purge": " ".join(sorted(names))}
        )
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            logger.warning("%s answered %s to a purge", url, response.status)
        return response.status == 200
    except OSError:
        logger.warning("Could not purge %s", url, exc_info=True)
        return False
    finally:
        connection.close()
