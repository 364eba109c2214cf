"""Stand-in OAuth 2.0 providers on loopback: the demo's Facebook and the tests'.

A stand-in is a real HTTP server on 127.0.0.1 (its own thread, or the whole process
for `manage.py run_facebook_standin`) that speaks a provider's protocol as the
provider does: the authorization-code grant of RFC 6749 with the parameter checks,
single-use codes and error JSON of the real service. The application talks to it over
real HTTP; nothing in allauth is mocked. This module holds what every stand-in shares;
newsroom/demo/facebook.py is Facebook, and the accounts tests add an OpenID Connect
provider on the same base.

Sources: RFC 6749 §4.1 (authorization code grant) and §5.2 (token error response),
RFC 7636 (PKCE).
"""

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# A code is good for this long (RFC 6749 §4.1.2 recommends at most ten minutes).
CODE_LIFETIME = 600
# serve_forever's poll: stop() waits up to this long; the default half second adds up.
SHUTDOWN_POLL = 0.01
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Requests remembered for `seen`: all of a test's, without a long demo run growing.
SEEN_KEPT = 1000


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)

    @classmethod
    def json(cls, status, data, **headers):
        return cls(
            status,
            json.dumps(data).encode(),
            {"Content-Type": "application/json; charset=utf-8", **headers},
        )

    @classmethod
    def html(cls, status, text):
        page = f"<!doctype html><title>{text}</title><p>{text}</p>"
        return cls(status, page.encode(), {"Content-Type": "text/html; charset=utf-8"})

    @classmethod
    def redirect(cls, url):
        return cls(302, b"", {"Location": url})


@dataclass
class Request:
    method: str
    path: str
    query: dict
    form: dict
    headers: dict


@dataclass
class Grant:
    """What one authorization code stands for, until it is redeemed."""

    person: dict
    client_id: str
    redirect_uri: str
    scope: list
    issued_at: float
    nonce: str | None = None
    code_challenge: str | None = None
    redeemed_token: str | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        self._answer()

    def do_POST(self):
        self._answer()

    def _answer(self):
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        form = {}
        if self.headers.get_content_type() == "application/x-www-form-urlencoded":
            form = dict(parse_qsl(body, keep_blank_values=True))
        request = Request(
            method=self.command,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            form=form,
            headers={key.lower(): value for key, value in self.headers.items()},
        )
        response = self.server.provider.handle(request)
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        self.wfile.write(response.body)

    def log_message(self, format, *args):
        pass  # the test output stays readable; `provider.seen` keeps the record


class StandInProvider:
    """A provider on loopback: start() it, point the app at `base_url`, stop() it;
    or serve() it in the foreground until the process is stopped.

    `redirect_uris` are the app's registered callbacks, as in the provider's app
    settings. `person` is who is signed in at the provider and consents at the
    authorize endpoint; set `refuse_consent` to have them press "Cancel" instead.
    `port` 0 picks a free one.
    """

    def __init__(self, *, client_id, client_secret, redirect_uris, person=None, port=0):
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = frozenset(redirect_uris)
        self.person = person
        self.refuse_consent = False
        self.seen = deque(maxlen=SEEN_KEPT)  # (method, path) of each request
        self._grants: dict[str, Grant] = {}
        self._tokens: dict[str, dict] = {}  # access token -> person
        self._lock = threading.Lock()
        # Loopback only, whatever the caller: nothing off this machine reaches it.
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
        self._server.provider = self
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def _serve(self):
        self._server.serve_forever(poll_interval=SHUTDOWN_POLL)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def serve(self):
        """Answer requests in this thread until the process is interrupted."""
        try:
            self._serve()
        finally:
            self._server.server_close()

    def routes(self) -> dict:
        raise NotImplementedError

    def handle(self, request: Request) -> Response:
        self.seen.append((request.method, request.path))
        route = self.routes().get((request.method, request.path))
        if route is None:
            return Response.html(404, "Not found")
        return route(request)

    def paths_seen(self) -> list[str]:
        return [path for _method, path in self.seen]

    # The authorization code grant, shared by both providers.

    def issue_code(self, query: dict, scope: list, person=None) -> str:
        """A new code for `person` (by default `self.person`) consenting to `scope`."""
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = Grant(
                person=dict(person or self.person),
                client_id=query["client_id"],
                redirect_uri=query["redirect_uri"],
                scope=scope,
                issued_at=time.time(),
                nonce=query.get("nonce"),
                code_challenge=query.get("code_challenge"),
            )
        return code

    def redeem_code(self, code, *, client_id, redirect_uri, code_verifier=None):
        """The grant for `code` with its new access token, or the reason for refusal.

        A second use of a code fails and revokes the token the first use issued
        (RFC 6749 §4.1.2).
        """
        with self._lock:
            grant = self._grants.get(code)
            if grant is None:
                return None, "unknown"
            if grant.redeemed_token is not None:
                self._tokens.pop(grant.redeemed_token, None)
                return None, "used"
            if time.time() - grant.issued_at > CODE_LIFETIME:
                return None, "expired"
            if grant.client_id != client_id or grant.redirect_uri != redirect_uri:
                return None, "redirect_uri"
            if grant.code_challenge is not None and not pkce_matches(
                grant.code_challenge, code_verifier
            ):
                return None, "code_verifier"
            token = secrets.token_urlsafe(32)
            grant.redeemed_token = token
            self._tokens[token] = grant.person
            return grant, token

    def person_for_token(self, token) -> dict | None:
        with self._lock:
            return self._tokens.get(token)


def pkce_matches(challenge, verifier) -> bool:
    """RFC 7636 §4.6, S256: BASE64URL(SHA256(verifier)) without padding."""
    if not verifier:
        return False
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return hmac.compare_digest(expected, challenge)


def with_query(url: str, params: dict) -> str:
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))
