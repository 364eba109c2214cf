"""How the API answers over HTTP, whichever app's Router an operation comes from
(what the Routers themselves share, schemas and sign-in, is `newsroom/rest/`).

- Every error is an RFC 9457 problem (`application/problem+json`) with a `detail`
  written for the reader of the client app, and `errors` for invalid fields.
- Every successful read carries an ETag; a request whose `If-None-Match` matches
  gets 304 with no body. `Cache-Control` follows the operation (`CACHE`).
- Public reads may be fetched from any website (`Access-Control-Allow-Origin: *`);
  they never depend on who is asking.
- Sign-in is the site's session (with its CSRF token for changes) or a personal
  token sent as `Authorization: Bearer wagtail_…` (`newsroom.rest.auth`).
- Each address, and each signed-in reader or token, may send so many requests
  (`NEWSROOM_API_RATE_*`, read at each request), counted in the counter store every
  app server shares; past that, and past any other rate limit (posting, voting,
  reporting), 429 and Retry-After.
"""

import contextvars
import hashlib
import json
import math

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from newsroom.comments.posting import NeedsConfirmation
from newsroom.ratelimit import store
from newsroom.ratelimit.clients import client_address, limit_subject
from newsroom.ratelimit.refusals import RateLimited, too_many, wait_phrase

# Cache-Control per operation (by URL name); anything not listed is private.
CACHE = {
    "sites": "public, max-age=300",
    "articles": "public, max-age=60",
    "article": "public, max-age=60",
    "comments": "public, max-age=15",
    "comment_counts": "public, max-age=30",
    "reader": "public, max-age=60",
}
PRIVATE = "private, no-cache"

TITLES = {
    400: gettext_lazy("Bad request"),
    401: gettext_lazy("Sign-in required"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    409: gettext_lazy("Please reconsider"),
    422: gettext_lazy("Invalid request"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}


def problem(request, status: int, detail: str, **extra) -> HttpResponse:
    body = {
        "type": extra.pop("type", "about:blank"),
        "title": str(TITLES.get(status, _("Error"))),
        "status": status,
        "detail": detail,
        "instance": request.path,
        **extra,
    }
    response = HttpResponse(
        json.dumps(body), status=status, content_type="application/problem+json"
    )
    response["Cache-Control"] = "no-store"
    name = getattr(request.resolver_match, "url_name", "")
    if request.method in ("GET", "HEAD") and name in CACHE:
        # A website reading a public endpoint must be able to read why it failed.
        response["Access-Control-Allow-Origin"] = "*"
    return response


def _message(error) -> str:
    messages = getattr(error, "messages", None) or [str(error) or ""]
    return " ".join(str(m) for m in messages)


# The wait the last refused request of this thread or task was told (ninja asks a
# throttle for it after refusing, without the request; one throttle object serves
# every request at once).
_wait = contextvars.ContextVar("api_throttle_wait", default=None)


class RateFromSetting:
    """A throttle counted in the shared counter store (ratelimit.store), so every
    app server counts each client's requests together, with its rate read from a
    setting at each request (a changed setting applies at once). The client's
    address is the one the trusted proxies vouch for (ratelimit.clients); ninja's
    own reading of X-Forwarded-For would let any client choose it."""

    def __init__(self, setting: str):
        # Not ninja's __init__, which reads the rate: there is none yet.
        self.setting = setting

    def allow_request(self, request) -> bool:
        amount, seconds = self.parse_rate(getattr(settings, self.setting))
        key = self.get_cache_key(request)
        if key is None:
            return True
        wait = store.hit(f"api:{key}:{seconds}", amount, seconds)
        _wait.set(wait or None)
        return not wait

    def get_ident(self, request) -> str:
        return limit_subject(client_address(request))

    def wait(self):
        return _wait.get()


class AnonymousRate(RateFromSetting, AnonRateThrottle):
    """Requests per address from clients that are not signed in."""


class SignedInRate(RateFromSetting, AuthRateThrottle):
    """Requests per signed-in reader or token. The others are counted once, by
    AnonymousRate: a second count per address would cost a write for nothing."""

    def get_cache_key(self, request):
        if getattr(request, "auth", None) is None:
            return None
        return super().get_cache_key(request)


class NewsroomAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """v1's operation ids, `newsroom_api_v1_<function>`, as they were when one
        module held every endpoint: clients generated from the document name their
        methods by them, so they stay though the endpoints moved into their apps."""
        return f"newsroom_api_v1_{operation.view_func.__name__}"

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """Ninja's document, with errors described as what they are: problem
        documents served as `application/problem+json`, not `application/json`."""
        schema = super().get_openapi_schema(
            path_prefix=path_prefix, path_params=path_params
        )
        for methods in schema["paths"].values():
            for operation in methods.values():
                for response in operation.get("responses", {}).values():
                    content = response.get("content", {})
                    body = content.get("application/json", {})
                    if body.get("schema", {}).get("$ref", "").endswith("/Problem"):
                        content["application/problem+json"] = content.pop(
                            "application/json"
                        )
        return schema

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            response.setdefault("Cache-Control", "no-store")
            return response
        name = getattr(request.resolver_match, "url_name", "")
        policy = CACHE.get(name)
        digest = hashlib.sha256(response.content).hexdigest()[:32]
        response["ETag"] = f'"{digest}"'
        response["Cache-Control"] = policy or PRIVATE
        if policy:
            response["Access-Control-Allow-Origin"] = "*"
        else:
            patch_vary_headers(response, ["Cookie", "Authorization"])
        match = request.headers.get("If-None-Match", "")
        # If-None-Match compares weakly (RFC 9110 13.1.2): W/"x" matches "x".
        seen = {tag.removeprefix("W/") for tag in parse_etags(match)}
        if match and (response["ETag"] in seen or match.strip() == "*"):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary"):
                if header in response:
                    not_modified[header] = response[header]
            if policy:
                not_modified["Access-Control-Allow-Origin"] = "*"
            return not_modified
        return response


api = NewsroomAPI(
    title="Newsroom API",
    version="1",
    description=(
        "Read the network's sites, sections, articles, comments and readers' "
        "public profiles, and take part as a signed-in reader. Errors are RFC 9457 "
        "problem documents; reads carry ETags and honour If-None-Match."
    ),
    urls_namespace="api",
    docs_url=None,
    throttle=[
        AnonymousRate("NEWSROOM_API_RATE_ANONYMOUS"),
        SignedInRate("NEWSROOM_API_RATE_SIGNED_IN"),
    ],
)


@api.exception_handler(ValidationError)
def _invalid(request, error):
    errors = [
        {
            "field": ".".join(str(part) for part in item.get("loc", ())[1:]),
            "message": item.get("msg", ""),
        }
        for item in error.errors
    ]
    return problem(
        request,
        422,
        _("Some of what was sent is not valid; see errors."),
        errors=errors,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, error):
    response = problem(
        request,
        401,
        _(
            "Sign in on the site, or send a personal API token as "
            "'Authorization: Bearer <token>' (make one in your account settings)."
        ),
    )
    response["WWW-Authenticate"] = 'Bearer realm="newsroom"'
    return response


@api.exception_handler(Throttled)
def _throttled(request, error):
    wait = math.ceil(error.wait or 1)
    detail = _("Too many requests; try again in %(wait)s.") % {
        "wait": wait_phrase(wait)
    }
    response = problem(request, 429, detail)
    response["Retry-After"] = str(wait)
    return response


@api.exception_handler(RateLimited)
def _limited(request, error):
    return too_many(problem(request, 429, str(error)), error)


@api.exception_handler(HttpError)
def _http_error(request, error):
    detail = str(error)
    if error.status_code == 403 and "CSRF" in detail:
        detail = _(
            "The request lacks the site's CSRF token (X-CSRFToken header); "
            "clients outside the site should use a personal API token."
        )
    return problem(request, error.status_code, detail)


@api.exception_handler(Http404)
def _not_found(request, error):
    return problem(request, 404, str(error) or _("Nothing here."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, error):
    return problem(request, 403, _message(error) or _("You may not do that."))


@api.exception_handler(NeedsConfirmation)
def _reconsider(request, error):
    return problem(
        request,
        409,
        _message(error),
        hint=_(
            'Edit the comment, or send it again with "confirmed": true to have '
            "a moderator review it."
        ),
    )


@api.exception_handler(DjangoValidationError)
def _refused(request, error):
    return problem(request, 400, _message(error))
