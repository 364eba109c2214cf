"""The site while its database is out of reach: a clear 503, never a 500.

A restarted or failed-over PostgreSQL drops every connection. Connections are
checked before reuse (`CONN_HEALTH_CHECKS`), so once the server is back each app
thread reconnects on its next request, with no restart of the app. While it is
gone:

- a read (GET or HEAD) is tried once more after a short pause
  (`RetryReadsMiddleware`), which carries it across a restart's blip;
- anything still failing for want of the database answers 503 with `Retry-After`
  (`server_error`, the project's handler500): a short page for browsers, a problem
  document for the API and for clients that asked for JSON. A write that fails so
  was not done, and the answer says so; nothing of the traceback is sent.
"""

import json
import logging
import sys
import time

from django.db import InterfaceError, OperationalError, close_old_connections
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

# What Django raises when the database cannot be reached or answered (and SQLite's
# "database is locked" after its busy timeout, for which waiting is as right).
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER = 5  # seconds: about what a database restart takes
RETRY_PAUSE = 0.5  # seconds before a read is tried again
SAFE_METHODS = ("GET", "HEAD")


def database_down(error) -> bool:
    return isinstance(error, DATABASE_DOWN)


def wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/api/") or (
        "json" in accept and "text/html" not in accept
    )


def unavailable(request) -> HttpResponse:
    """503: the database is out of reach; try again in RETRY_AFTER seconds."""
    if wants_json(request):
        detail = _(
            "The site cannot reach its database just now, so this request may not "
            "have been completed. Try again in a few seconds."
        )
        response = HttpResponse(
            json.dumps(
                {
                    "type": "about:blank",
                    "title": _("Service unavailable"),
                    "status": 503,
                    "detail": detail,
                    "instance": request.path,
                }
            ),
            status=503,
            content_type="application/problem+json",
        )
    else:
        # Rendered without the request: context processors could need the database.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: 503 when the database is out of reach, Django's 500 page
    (templates/500.html) for anything else."""
    if database_down(sys.exc_info()[1]):
        return unavailable(request)
    return defaults.server_error(request)


class RetryReadsMiddleware:
    """Try a read once more when the database dropped it: the connection is
    closed (it is unusable), and the view runs again on a new one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if (
            request.method not in SAFE_METHODS
            or not database_down(exception)
            or getattr(request, "_newsroom_retried", False)
        ):
            return None
        request._newsroom_retried = True
        logger.warning("Database unreachable for %s; trying once more", request.path)
        close_old_connections()
        time.sleep(RETRY_PAUSE)
        return self.get_response(request)
