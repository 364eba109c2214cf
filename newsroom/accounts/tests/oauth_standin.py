"""Stand-ins for Facebook and an OpenID Connect provider, on loopback, for tests.

Each stand-in is a real HTTP server on 127.0.0.1 (a random port, its own thread) that
speaks the provider's protocol as the provider does: the authorization-code grant of
RFC 6749 with the parameter checks, single-use codes and error JSON of the real
service. The application talks to it over real HTTP; nothing in allauth is mocked.
Hosts the app cannot be pointed elsewhere (graph.facebook.com) are rerouted to a
stand-in at the transport layer by `route_outgoing`.

Sources for the shapes:
- Facebook Login, "Manually Build a Login Flow" and "Securing Graph API Requests"
  (appsecret_proof); Graph API error objects {"error": {"message", "type", "code",
  "error_subcode", "fbtrace_id"}}.
- RFC 6749 §4.1 (authorization code grant) and §5.2 (token error response), RFC 6750
  §3 (bearer token errors), RFC 7636 (PKCE), OpenID Connect Core 1.0 §3.1 and
  Discovery 1.0 §3, RFC 7517 (JWK Set).
"""

import base64
import functools
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

# A code is good for this long (RFC 6749 §4.1.2 recommends at most ten minutes).
CODE_LIFETIME = 600
ACCESS_TOKEN_LIFETIME = 3600
# What Facebook's token endpoint reports for a long-lived user token (about 60 days).
FACEBOOK_TOKEN_LIFETIME = 5_183_944
# serve_forever's poll: stop() waits up to this long; the default half second adds up.
SHUTDOWN_POLL = 0.01
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


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
    """A provider on loopback: start() it, point the app at `base_url`, stop() it.

    `person` is who is signed in at the provider and consents at the authorize
    endpoint; set `refuse_consent` to have them press "Cancel" instead.
    """

    def __init__(self, *, client_id, client_secret, redirect_uri, person):
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.person = person
        self.refuse_consent = False
        self.seen: list[tuple[str, str]] = []  # (method, path) of every request
        self._grants: dict[str, Grant] = {}
        self._tokens: dict[str, dict] = {}  # access token -> person
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
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

    def issue_code(self, query: dict, scope: list) -> str:
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._grants[code] = Grant(
                person=dict(self.person),
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
            if grant.code_challenge is not None and not _pkce_matches(
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


def _pkce_matches(challenge, verifier) -> bool:
    """RFC 7636 §4.6, S256: BASE64URL(SHA256(verifier)) without padding."""
    if not verifier:
        return False
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return hmac.compare_digest(expected, challenge)


def _with_query(url: str, params: dict) -> str:
    parts = urlsplit(url)
    query = "&".join(filter(None, [parts.query, urlencode(params)]))
    return urlunsplit(parts._replace(query=query))


# What each provider says when a code can't be redeemed, by reason.
FACEBOOK_CODE_ERRORS = {
    "unknown": ("Invalid verification code format.", {"code": 100}),
    "used": (
        "This authorization code has been used.",
        {"code": 100, "subcode": 36009},
    ),
    "expired": (
        "This authorization code has expired.",
        {"code": 100, "subcode": 36007},
    ),
    "redirect_uri": (
        "Error validating verification code. Please make sure your redirect_uri is "
        "identical to the one you used in the OAuth dialog request",
        {"code": 100, "subcode": 36008},
    ),
    "code_verifier": ("Invalid code verifier.", {"code": 100}),
}

OPENID_CODE_ERRORS = {
    "unknown": "The authorization code is not valid",
    "used": "The authorization code has already been used",
    "expired": "The authorization code has expired",
    "redirect_uri": "redirect_uri does not match the authorization request",
    "code_verifier": "code_verifier does not match the code_challenge",
}


class FacebookStandIn(StandInProvider):
    """Facebook Login's manual flow and the Graph API's `/me`, as graph.facebook.com.

    Scopes are comma-separated; the token endpoint is a GET; the app has "Require
    App Secret" on, so every Graph call must carry `appsecret_proof`.
    """

    SCOPES = {"email", "public_profile"}

    def __init__(self, *, version, **kwargs):
        super().__init__(**kwargs)
        self.version = version

    def routes(self):
        prefix = f"/{self.version}"
        return {
            ("GET", f"{prefix}/dialog/oauth"): self.authorize,
            ("GET", f"{prefix}/oauth/access_token"): self.token,
            ("GET", f"{prefix}/me"): self.me,
        }

    @staticmethod
    def graph_error(message, *, code, kind="OAuthException", subcode=None):
        error = {
            "message": message,
            "type": kind,
            "code": code,
            "fbtrace_id": secrets.token_urlsafe(8),
        }
        if subcode is not None:
            error["error_subcode"] = subcode
        return Response.json(400, {"error": error})

    def authorize(self, request):
        query = request.query
        # Facebook shows its own error page (no redirect) for a bad app or URL.
        if query.get("client_id") != self.client_id:
            return Response.html(400, "Invalid App ID")
        if query.get("redirect_uri") != self.redirect_uri:
            return Response.html(
                400,
                "URL blocked: This redirect failed because the redirect URI is not "
                "whitelisted in the app's Client OAuth Settings.",
            )
        if query.get("response_type", "code") != "code" or not query.get("state"):
            return Response.html(400, "Invalid request")
        scope = [s for s in query.get("scope", "").split(",") if s]
        unknown = set(scope) - self.SCOPES
        if unknown:
            return Response.html(400, f"Invalid Scopes: {', '.join(sorted(unknown))}")
        if self.refuse_consent:
            return Response.redirect(
                _with_query(
                    self.redirect_uri,
                    {
                        "error": "access_denied",
                        "error_code": "200",
                        "error_description": "Permissions error",
                        "error_reason": "user_denied",
                        "state": query["state"],
                    },
                )
            )
        code = self.issue_code(query, scope)
        return Response.redirect(
            _with_query(self.redirect_uri, {"code": code, "state": query["state"]})
        )

    def token(self, request):
        query = request.query
        if query.get("client_id") != self.client_id:
            return self.graph_error(
                "Error validating application. Invalid application ID.", code=101
            )
        if query.get("client_secret") != self.client_secret:
            return self.graph_error("Error validating client secret.", code=1)
        grant, outcome = self.redeem_code(
            query.get("code", ""),
            client_id=query["client_id"],
            redirect_uri=query.get("redirect_uri", ""),
        )
        if grant is None:
            message, details = FACEBOOK_CODE_ERRORS[outcome]
            return self.graph_error(message, **details)
        return Response.json(
            200,
            {
                "access_token": outcome,
                "token_type": "bearer",
                "expires_in": FACEBOOK_TOKEN_LIFETIME,
            },
        )

    def me(self, request):
        query = request.query
        person = self.person_for_token(query.get("access_token", ""))
        if person is None:
            return self.graph_error(
                "Invalid OAuth access token - Cannot parse access token", code=190
            )
        proof = query.get("appsecret_proof")
        if not proof:
            return self.graph_error(
                "API calls from the server require an appsecret_proof argument",
                code=100,
                kind="GraphMethodException",
            )
        expected = hmac.new(
            self.client_secret.encode(),
            query["access_token"].encode(),
            hashlib.sha256,
        ).hexdigest()
        if not hmac.compare_digest(proof, expected):
            return self.graph_error(
                "Invalid appsecret_proof provided in the API argument",
                code=100,
                kind="GraphMethodException",
            )
        fields = query.get("fields", "id,name").split(",")
        return Response.json(200, {k: person[k] for k in fields if k in person})


@functools.cache
def rsa_key(name: str) -> rsa.RSAPrivateKey:
    """One RSA key per name for the whole run: generating one takes a while."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OpenIDStandIn(StandInProvider):
    """An OpenID Connect provider: discovery, authorize, token, userinfo and JWKS.

    ID tokens are RS256-signed with the key the JWKS publishes, unless
    `sign_with_unpublished_key` is set (a forger, or a key rotated away); `audience`
    overrides the token's `aud` (a token minted for another client).
    """

    KEY_ID = "standin-2026"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sign_with_unpublished_key = False
        self.audience = None

    def routes(self):
        return {
            ("GET", "/.well-known/openid-configuration"): self.discovery,
            ("GET", "/authorize"): self.authorize,
            ("POST", "/token"): self.token,
            ("GET", "/userinfo"): self.userinfo,
            ("GET", "/jwks"): self.jwks,
        }

    @property
    def issuer(self) -> str:
        return self.base_url

    def discovery(self, request):
        return Response.json(
            200,
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.base_url}/authorize",
                "token_endpoint": f"{self.base_url}/token",
                "userinfo_endpoint": f"{self.base_url}/userinfo",
                "jwks_uri": f"{self.base_url}/jwks",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "profile", "email"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_post",
                    "client_secret_basic",
                ],
                "code_challenge_methods_supported": ["S256"],
                "claims_supported": [
                    "sub",
                    "iss",
                    "aud",
                    "exp",
                    "iat",
                    "nonce",
                    "name",
                    "given_name",
                    "family_name",
                    "email",
                    "email_verified",
                ],
            },
        )

    def jwks(self, request):
        public = jwt.algorithms.RSAAlgorithm.to_jwk(
            rsa_key("published").public_key(), as_dict=True
        )
        return Response.json(
            200,
            {"keys": [{**public, "kid": self.KEY_ID, "use": "sig", "alg": "RS256"}]},
        )

    def authorize(self, request):
        query = request.query
        # RFC 6749 §4.1.2.1: a bad client or redirect URI is shown, never redirected to.
        if query.get("client_id") != self.client_id:
            return Response.html(400, "Unknown client")
        if query.get("redirect_uri") != self.redirect_uri:
            return Response.html(400, "The redirect URI is not registered")

        def refuse(error, description):
            params = {"error": error, "error_description": description}
            if query.get("state"):
                params["state"] = query["state"]
            return Response.redirect(_with_query(self.redirect_uri, params))

        scope = query.get("scope", "").split()
        if query.get("response_type") != "code":
            return refuse("unsupported_response_type", "Only the code flow is offered")
        if "openid" not in scope:
            return refuse("invalid_scope", "The openid scope is required")
        if not query.get("state"):
            return refuse("invalid_request", "state is required")
        if "code_challenge" in query and query.get("code_challenge_method") != "S256":
            return refuse("invalid_request", "code_challenge_method must be S256")
        if self.refuse_consent:
            return refuse("access_denied", "The user denied the request")
        code = self.issue_code(query, scope)
        return Response.redirect(
            _with_query(self.redirect_uri, {"code": code, "state": query["state"]})
        )

    def _client_from(self, request):
        """client_secret_basic or client_secret_post (RFC 6749 §2.3.1)."""
        header = request.headers.get("authorization", "")
        if header.startswith("Basic "):
            decoded = base64.b64decode(header[len("Basic ") :]).decode()
            client_id, _colon, secret = decoded.partition(":")
            return client_id, secret, True
        return request.form.get("client_id"), request.form.get("client_secret"), False

    @staticmethod
    def oauth_error(status, error, description, **headers):
        return Response.json(
            status,
            {"error": error, "error_description": description},
            **{"Cache-Control": "no-store", **headers},
        )

    def token(self, request):
        form = request.form
        client_id, secret, basic = self._client_from(request)
        if client_id != self.client_id or secret != self.client_secret:
            headers = {"WWW-Authenticate": 'Basic realm="standin"'} if basic else {}
            return self.oauth_error(
                401, "invalid_client", "Client authentication failed", **headers
            )
        if form.get("grant_type") != "authorization_code":
            return self.oauth_error(
                400, "unsupported_grant_type", "Only authorization_code is offered"
            )
        grant, outcome = self.redeem_code(
            form.get("code", ""),
            client_id=client_id,
            redirect_uri=form.get("redirect_uri", ""),
            code_verifier=form.get("code_verifier"),
        )
        if grant is None:
            return self.oauth_error(400, "invalid_grant", OPENID_CODE_ERRORS[outcome])
        return Response.json(
            200,
            {
                "access_token": outcome,
                "token_type": "Bearer",
                "expires_in": ACCESS_TOKEN_LIFETIME,
                "scope": " ".join(grant.scope),
                "id_token": self.id_token(grant),
            },
            **{"Cache-Control": "no-store", "Pragma": "no-cache"},
        )

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        person = grant.person
        claims = {
            "iss": self.issuer,
            "sub": person["sub"],
            "aud": self.audience or grant.client_id,
            "exp": now + ACCESS_TOKEN_LIFETIME,
            "iat": now,
            "auth_time": int(grant.issued_at),
            **{
                claim: person[claim]
                for claim in (
                    "name",
                    "given_name",
                    "family_name",
                    "email",
                    "email_verified",
                )
                if claim in person
            },
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        key = rsa_key("unpublished" if self.sign_with_unpublished_key else "published")
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": self.KEY_ID})

    def userinfo(self, request):
        header = request.headers.get("authorization", "")
        token = header[len("Bearer ") :] if header.startswith("Bearer ") else ""
        person = self.person_for_token(token)
        if person is None:
            return Response(
                401,
                b"",
                {
                    "WWW-Authenticate": 'Bearer error="invalid_token", '
                    'error_description="The access token is not valid"'
                },
            )
        return Response.json(200, person)


def route_outgoing(monkeypatch, routes: dict[str, StandInProvider]) -> None:
    """Send the app's outgoing requests for each host in `routes` to its stand-in.

    Works at requests' transport layer (HTTPAdapter.send), below allauth's session:
    the app builds and sends its real request to https://<host>/…, and only the
    connection goes to loopback. Any other host off loopback is refused, so no test
    reaches the internet.
    """
    original_send = requests.adapters.HTTPAdapter.send

    def send(adapter, request, *args, **kwargs):
        url = urlsplit(request.url)
        if url.hostname in routes:
            target = urlsplit(routes[url.hostname].base_url)
            request = request.copy()
            request.url = urlunsplit(
                url._replace(scheme=target.scheme, netloc=target.netloc)
            )
        elif url.hostname not in LOOPBACK_HOSTS:
            raise requests.ConnectionError(f"tests do not reach {url.hostname}")
        return original_send(adapter, request, *args, **kwargs)

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)


def visit(url: str) -> requests.Response:
    """What the browser does at the provider: one GET, redirects not followed."""
    return requests.get(url, allow_redirects=False, timeout=5)
