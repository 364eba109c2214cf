"""An OpenID Connect stand-in for the tests, and the rerouting of outgoing requests.

The stand-ins' shared base and Facebook's live in the demo (newsroom/demo/standin.py,
newsroom/demo/facebook.py), which `make demo` runs too; the OpenID Connect provider
here is built on the same base. Hosts the app is not pointed elsewhere in the tests
(graph.facebook.com) are rerouted to a stand-in at the transport layer by
`route_outgoing`.

Sources for the shapes: RFC 6749 §4.1 and §5.2, RFC 6750 §3 (bearer token errors),
RFC 7636 (PKCE), OpenID Connect Core 1.0 §3.1 and Discovery 1.0 §3, RFC 7517 (JWK
Set).
"""

import base64
import functools
import time
from urllib.parse import urlsplit, urlunsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from newsroom.demo.standin import (
    LOOPBACK_HOSTS,
    Grant,
    Response,
    StandInProvider,
    with_query,
)

ACCESS_TOKEN_LIFETIME = 3600

OPENID_CODE_ERRORS = {
    "unknown": "The authorization code is not valid",
    "used": "The authorization code has already been used",
    "expired": "The authorization code has expired",
    "redirect_uri": "redirect_uri does not match the authorization request",
    "code_verifier": "code_verifier does not match the code_challenge",
}


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
        if query.get("redirect_uri") not in self.redirect_uris:
            return Response.html(400, "The redirect URI is not registered")

        def refuse(error, description):
            params = {"error": error, "error_description": description}
            if query.get("state"):
                params["state"] = query["state"]
            return Response.redirect(with_query(query["redirect_uri"], params))

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
            with_query(query["redirect_uri"], {"code": code, "state": query["state"]})
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
