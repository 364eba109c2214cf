"""Which page an imported thread belongs to.

By the thread's address: any of the site's hostnames (its own and those it had
before, given by the operator), http or https, with or without `www.` and a trailing
slash, with tracking parameters dropped, found as a live page's path under the site
or as one of the site's redirects. Or by an identifier map the operator supplies: a
CSV of `source,target` rows, where source is the thread's id in the export, its
identifier or its address, and target a page id, path or address.
"""

import csv
import io
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Site

from .sources import ImportFileError, Thread

TRACKING = ("utm_", "fbclid", "gclid", "mc_", "_ga", "ref", "dclid", "msclkid")


def normalise(address: str) -> tuple[str, str]:
    """(host, path with its meaningful query) of an address, for comparison."""
    parts = urlsplit(address.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path or "/"
    if not path.endswith("/"):
        path += "/"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(TRACKING)
    ]
    return host, path + (f"?{urlencode(query)}" if query else "")


class Matcher:
    def __init__(self, site: Site, hostnames=(), id_map: Path | None = None):
        self.site = site
        self.hosts = {site.hostname.lower().removeprefix("www.")} | {
            host.lower().removeprefix("www.") for host in hostnames
        }
        self.root = site.root_page
        self.map = read_map(id_map) if id_map else {}

    def page_for(self, thread: Thread) -> Page | None:
        for key in (thread.key, thread.identifier, thread.link):
            if key and key in self.map:
                return self._target(self.map[key])
        if thread.link:
            address = normalise(thread.link)
            if address in self.map:
                return self._target(self.map[address])
            if address[0] in self.hosts:
                return self._by_path(address[1])
        return None

    def _target(self, target: str) -> Page | None:
        if target.isdigit():
            page = Page.objects.filter(pk=int(target)).first()
            return page.specific if page else None
        path = normalise(target)[1] if "//" in target else f"/{target.strip('/')}/"
        return self._by_path(path)

    def _by_path(self, path: str) -> Page | None:
        path = path.split("?", 1)[0]
        url_path = self.root.url_path + path.lstrip("/")
        page = Page.objects.filter(url_path=url_path).first()
        if page is None:
            redirect = (
                Redirect.objects.filter(old_path=Redirect.normalise_path(path))
                .filter(site__in=[self.site, None])
                .select_related("redirect_page")
                .first()
            )
            page = redirect.redirect_page if redirect else None
        return page.specific if page else None


def read_map(path: Path) -> dict:
    """The operator's identifier map: source → target, from a CSV file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError) as error:
        raise ImportFileError(f"The identifier map cannot be read: {error}") from None
    found = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not row[0].strip() or row[0].startswith("#"):
            continue
        if len(row) < 2 or not row[1].strip():
            raise ImportFileError(
                f"Line {number} of the identifier map needs two columns: the "
                "thread's id, identifier or address, then a page id or address."
            )
        source, target = row[0].strip(), row[1].strip()
        if number == 1 and source.lower() == "source":
            continue  # a header row
        found[source] = target
        if "//" in source:
            found[normalise(source)] = target
    return found
