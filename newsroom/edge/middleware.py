"""Make a page that is the same for everyone a shared document any cache may keep."""

import hashlib

from django.conf import settings
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from . import keys as surrogate

SHARED_STATUSES = {200, 301, 404, 410}
SHARED_HEADER = "X-Newsroom-Shared"
# Request headers a shared response may vary on besides the encoding (none today: a
# view that varies on anything else, e.g. HX-Request, is simply not stored).
ALLOWED_VARY = {"accept-encoding", "cookie"}
# Readable by the page's script (unlike the session cookie): "this browser is signed
# in, fetch the overlay". It grants nothing; the overlay checks the session.
SIGNED_IN_COOKIE = "nr_user"


class SharedPageMiddleware:
    """Outermost middleware: sees the final response, cookies included.

    A view opts in with `newsroom.edge.keys.share(request, *keys)`. The response
    becomes shared only if it really is the same for every anonymous reader: a GET
    or HEAD by an anonymous reader, no cookie set, no CSRF token or flash message
    used, and no Vary beyond Cookie and Accept-Encoding. Then it carries
    `Cache-Control: public, s-maxage, stale-while-revalidate`, a strong ETag, its
    Last-Modified, the surrogate keys, and no `Vary: Cookie` (the page reads no
    cookie: what it shows signed in comes from the overlay). A conditional request
    that matches gets a 304. An opted-in page rendered for a signed-in reader is
    marked private, so no shared cache stores it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with surrogate.Collecting() as named:
            response = self.get_response(request)
        mark_signed_in(request, response)
        if not getattr(request, "newsroom_shared", False):
            if "Cache-Control" not in response:
                # Nothing said: a cache must not assume it may share it.
                response["Cache-Control"] = "private"
            return response
        if is_shareable(request, response):
            return make_shared(request, response, named)
        response["Cache-Control"] = "private, no-cache"
        return response


def is_shareable(request, response) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if response.status_code not in SHARED_STATUSES or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.used or len(messages)):
        return False
    vary = {
        part.strip().lower()
        for part in response.get("Vary", "").split(",")
        if part.strip()
    }
    return vary <= ALLOWED_VARY


def make_shared(request, response, named: set):
    del response["Vary"]
    patch_vary_headers(response, ("Accept-Encoding",))
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={settings.NEWSROOM_SHARED_MAX_AGE}, "
        f"stale-while-revalidate={settings.NEWSROOM_SHARED_GRACE}"
    )
    digest = hashlib.blake2b(response.content, digest_size=12).hexdigest()
    response["ETag"] = f'"{digest}"'
    # When it was rendered: an If-Modified-Since from before then gets the page.
    modified = getattr(request, "newsroom_last_modified", None) or timezone.now()
    if "Last-Modified" not in response:
        response["Last-Modified"] = http_date(modified.timestamp())
    if named:
        response[settings.NEWSROOM_SURROGATE_HEADER] = " ".join(sorted(named))
    response[SHARED_HEADER] = "1"
    conditional = get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=int(modified.timestamp()),
        response=response,
    )
    return conditional


def mark_signed_in(request, response) -> None:
    has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
    marked = request.COOKIES.get(SIGNED_IN_COOKIE) == "1"
    if not has_session and not marked:
        return
    user = getattr(request, "user", None)
    if user is None:
        return  # answered before authentication ran (a static file): says nothing
    signed_in = has_session and user.is_authenticated
    if signed_in and not marked:
        response.set_cookie(
            SIGNED_IN_COOKIE,
            "1",
            max_age=settings.SESSION_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    elif marked and not signed_in:
        response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
