"""The per-request lookups every page repeats, kept between requests.

Wagtail finds the request's site with a query each time, routes a path with a query
per path component, and its redirect middleware looks every 404's path up in the
redirects table. These answers change only when an editor changes a site, a page or
a redirect:

- the site is remembered per host in each process for SITE_SECONDS (at once in the
  process that saved it);
- what a reader can reach by address (`Reachable`: the live pages' paths, the pages
  that route below themselves, the redirects' old paths) is an index in each process
  under the content version (freshness.py), which publishing, unpublishing, moving,
  renaming or deleting a page and saving or deleting a redirect bump: a path no page
  or redirect can answer is a 404 without Wagtail's queries;
- a path that may be a redirect has its lookup cached under the content version.
"""

import functools
import math
import re
import threading
import time
from urllib.parse import urlparse

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import Resolver404, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import escape_uri_path, iri_to_uri, uri_to_iri
from wagtail.contrib.redirects.middleware import RedirectMiddleware
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, Site

SITE_SECONDS = 60
REDIRECT_SECONDS = 60 * 60
# The index is built afresh at least this often, should a change bypass the
# receivers that bump the content version (a bulk update)...
REACHABLE_SECONDS = 300
# ...and once more this long after it saw a new version: Wagtail creates the
# redirects of a moved or renamed page after the signal that bumped it.
REACHABLE_SETTLE_SECONDS = 5
_sites: dict = {}


class SiteMiddleware:
    """Set the request's Wagtail site from a per-process memo of host → site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        host = _host(request)
        remembered = _sites.get(host) if host is not None else None
        fresh = remembered is not None and remembered[1] >= time.monotonic()
        if fresh:
            request._wagtail_site = remembered[0]
        response = self.get_response(request)
        if host is not None and not fresh and hasattr(request, "_wagtail_site"):
            # Looked up (lazily, by whatever needed it) during this request.
            _sites[host] = (request._wagtail_site, time.monotonic() + SITE_SECONDS)
        return response


def _host(request):
    try:
        return request.get_host()
    except DisallowedHost:
        return None  # Django answers 400 later, as without this middleware


def forget_sites(**kwargs) -> None:
    """Forget this process's sites, index and content version (a site changed;
    tests, between them, since a rollback takes the content version back)."""
    from .freshness import forget

    global _reachable
    _sites.clear()
    _reachable = None
    forget()


# -- what a reader can reach by address -------------------------------------------


class Reachable:
    """The network's addresses at one content version, as Wagtail's routing and
    redirects would answer them, read in two queries and kept by each process.

    Wagtail routes a path from the site's root page one component at a time, each
    a query for the child with that slug; a live page answers its own path, and a
    live RoutablePage (the front page, sections) also the sub-routes its resolver
    matches (tags, authors, feeds, search). A page class that routes in any other
    way is taken to answer everything below it, live or not. `may_route` is false
    only where Wagtail would answer 404, and `may_redirect` only where no redirect
    matches; anything else goes to Wagtail as before.
    """

    def __init__(self, version: int):
        self.version = version
        now = time.monotonic()
        self.expires = now + REACHABLE_SECONDS
        self.settles = now + REACHABLE_SETTLE_SECONDS
        self.live: set = set()  # url_path of every live page
        self.routers: dict = {}  # url_path -> resolver, live routable pages
        self.own_routes: set = set()  # url_path of pages routing their own way
        self.redirects: dict = {}  # site pk (None: every site) -> old paths
        self.not_found: dict = {}  # (site pk, year, zone) -> a 404 page's body
        self.site_roots: dict = {}  # site pk -> its root page's url_path

    @classmethod
    def build(cls, version: int, settled: bool = False) -> "Reachable":
        from django.contrib.contenttypes.models import ContentType
        from django.db.models import Q

        index = cls(version)
        if settled:
            index.settles = math.inf
        kinds = {}
        for model in _page_models():
            kinds[ContentType.objects.get_for_model(model).pk] = _route_kind(model)
        own = [pk for pk, (kind, _resolver) in kinds.items() if kind == "own"]
        pages = Page.objects.filter(Q(live=True) | Q(content_type_id__in=own))
        for url_path, live, type_pk in pages.values_list(
            "url_path", "live", "content_type_id"
        ):
            kind, resolver = kinds.get(type_pk, ("plain", None))
            if kind == "own":
                index.own_routes.add(url_path)
            if live:
                index.live.add(url_path)
                if resolver is not None:
                    index.routers[url_path] = resolver
        for site_pk, old_path in Redirect.objects.values_list("site_id", "old_path"):
            index.redirects.setdefault(site_pk, set()).add(old_path)
        index.site_roots = dict(Site.objects.values_list("pk", "root_page__url_path"))
        return index

    def may_route(self, page_url_path: str, components) -> bool:
        """Whether routing `components` from the page at `page_url_path` (its
        url_path) could find something other than a 404."""
        if page_url_path + "".join(f"{part}/" for part in components) in self.live:
            return True
        at = page_url_path
        for depth in range(len(components) + 1):
            if at in self.own_routes:
                return True
            resolver = self.routers.get(at)
            if resolver is not None:
                rest = "/" + "".join(f"{part}/" for part in components[depth:])
                try:
                    resolver.resolve(rest)
                    return True
                except Resolver404:
                    pass
            if depth < len(components):
                at += components[depth] + "/"
        return False

    def may_redirect(self, site, full_path: str) -> bool:
        """Whether Wagtail's redirect middleware could find a redirect for a 404
        of `full_path` (as request.get_full_path()): the same candidate paths."""
        if site is None:
            held = [*self.redirects.values()]
        else:
            held = [self.redirects.get(site.pk), self.redirects.get(None)]
        held = [paths for paths in held if paths]
        if not held:
            return False
        path = Redirect.normalise_path(full_path, decode_unicode=False)
        bare = urlparse(path).path
        candidates = {path, uri_to_iri(path), bare, uri_to_iri(bare)}
        return any(not paths.isdisjoint(candidates) for paths in held)


_reachable: Reachable | None = None
_reachable_lock = threading.Lock()


def reachable(request) -> Reachable:
    """This process's index at the request's content version (one query, shared
    with everything else the request keeps under that version)."""
    from .freshness import content_version

    version = content_version(request)
    index = _reachable
    if index is not None and _fits(index, version):
        return index
    with _reachable_lock:
        index = _reachable
        if index is None or not _fits(index, version):
            settled = index is not None and index.version == version
            index = _set_reachable(Reachable.build(version, settled=settled))
    return index


def _fits(index: Reachable, version: int) -> bool:
    now = time.monotonic()
    return index.version == version and now < index.expires and now < index.settles


def _set_reachable(index: Reachable) -> Reachable:
    global _reachable
    _reachable = index
    return index


def _page_models():
    from wagtail.models import get_page_models

    return get_page_models()


def _route_kind(model) -> tuple:
    """("plain", None): Page's own routing; ("routable", resolver): a
    RoutablePage's; ("own", None): any other, assumed to answer anything below."""
    route = model.route
    if route is Page.route:
        return "plain", None
    routable = issubclass(model, RoutablePageMixin) and (
        model.resolve_subpage is RoutablePageMixin.resolve_subpage
    )
    if routable and (
        route is RoutablePageMixin.route or getattr(route, "routes_as_wagtail", False)
    ):
        return "routable", model.get_resolver()
    return "own", None


# -- the 404 page, answered by the edge ------------------------------------------


def not_found_name(scheme: str, host: str, site_pk, version: int) -> str:
    """The name under which the page cache keeps a site's 404 page for anonymous
    readers (newsroom.edge.answers): everything the page depends on."""
    zone = timezone.get_default_timezone()
    year = timezone.localdate(timezone=zone).year
    return f"not-found:{scheme}://{host}:{site_pk}:{version}:{year}:{zone.key}"


def known_missing(scope) -> str | None:
    """For the edge, before Django runs: the name of the 404 page kept for an
    anonymous GET's site when its address surely answers nothing, checked against
    this process's index at a content version it knows is current (SQLite: see
    freshness.py) with no query; None whenever anything is unknown. The address
    must be one only Wagtail's serve view routes: under none of the other URL
    patterns' first segments (a middleware may also answer a 404 there in its own
    way: /accounts/ leads to the sign-in page)."""
    from .freshness import known_version

    path = scope["path"]
    first_segments, serve = _wagtail_routes()
    if serve is None or settings.USE_X_FORWARDED_HOST:
        return None
    if path.split("/", 2)[1] in first_segments:
        return None
    matched = serve.match(path[1:])
    if matched is None or matched[0]:
        return None
    version, index = known_version(), _reachable
    if version is None or index is None or not _fits(index, version):
        return None
    host = None
    for name, value in scope.get("headers", ()):
        if name == b"host":
            host = value.decode("latin-1")
    remembered = _sites.get(host)
    if remembered is None or remembered[1] < time.monotonic():
        return None
    site = remembered[0]
    root = index.site_roots.get(site.pk) if site is not None else None
    if root is None:
        return None
    components = [part for part in matched[1][0].split("/") if part]
    query = scope.get("query_string", b"").decode("latin-1")
    full_path = escape_uri_path(path) + (f"?{iri_to_uri(query)}" if query else "")
    if index.may_route(root, components) or index.may_redirect(site, full_path):
        return None
    return not_found_name(scope.get("scheme", "http"), host, site.pk, version)


@functools.cache
def _wagtail_routes() -> tuple:
    """The first path segment of every URL pattern but Wagtail's serve view (and
    of the static and media files' addresses), and that view's pattern: a path
    under none of those segments can only resolve to it. No pattern when one
    begins with a variable part, or is not at the root."""
    segments, serve = set(), []

    def walk(entries, prefix):
        for entry in entries:
            text = prefix + str(entry.pattern).lstrip("^")
            if getattr(entry, "name", None) == "wagtail_serve":
                serve.append((prefix, entry.pattern))
                continue
            if isinstance(entry, URLResolver) and not text:
                walk(entry.url_patterns, text)
                continue
            literal = re.match(r"[\w\-.]*", text).group()
            if len(literal) < len(text) and text[len(literal)] != "/":
                segments.add("*")  # a variable first segment: nothing is sure
            segments.add(literal)

    walk(get_resolver().url_patterns, "")
    for prefix in (settings.STATIC_URL, settings.MEDIA_URL):  # WhiteNoise, media
        segments.add((prefix or "").strip("/").split("/")[0] or "*")
    if "*" in segments or len(serve) != 1 or serve[0][0]:
        return frozenset(segments), None
    return frozenset(segments), serve[0][1]


# -- redirects ---------------------------------------------------------------------


def _redirect_key(request, site, path: str) -> str:
    from .freshness import content_version

    version = content_version(request)
    return f"news:redirect:{version}:{site.pk if site else 0}:{path}"


class CachedRedirectMiddleware(RedirectMiddleware):
    """Wagtail's redirects: a 404 whose path no redirect has (the index knows) is
    answered at once, and the others' lookups are cached under the version."""

    def process_response(self, request, response):
        if response.status_code != 404:
            return response
        site = Site.find_for_request(request)
        full_path = request.get_full_path()
        if not reachable(request).may_redirect(site, full_path):
            return response
        key = _redirect_key(request, site, full_path[:1000])
        found = cache.get(key)
        if found is None:
            answer = super().process_response(request, response)
            found = (
                (answer["Location"], answer.status_code == 301)
                if answer is not response
                else ()
            )
            cache.set(key, found, REDIRECT_SECONDS)
            return answer
        if not found:
            return response
        link, permanent = found
        if permanent:
            return HttpResponsePermanentRedirect(link)
        return HttpResponseRedirect(link)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from newsroom.edge import answers

    answers.register(known_missing)

    for model in (Site,):
        post_save.connect(forget_sites, sender=model, dispatch_uid="news-forget-site")
        post_delete.connect(
            forget_sites, sender=model, dispatch_uid="news-forget-site-del"
        )
