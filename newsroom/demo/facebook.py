"""The demo's stand-in for Facebook: Facebook Login and the Graph API on loopback.

`make demo` runs it beside the site (`manage.py run_facebook_standin`) when
NEWSROOM_DEMO_FACEBOOK names its address, so the sign-in page's Facebook block works
on a laptop with no Facebook app: settings.py points allauth's Facebook provider
(its AUTHORIZE_URL and GRAPH_API_URL settings) at the stand-in, and `load_facebook_app`
registers the demo's app. Every page it shows says it is not the real Facebook, and
its consent form takes whatever name and email address the visitor types. The
accounts tests run the same stand-in, without the form, against allauth's default
URLs rerouted to it.

Sources for the shapes: Facebook Login, "Manually Build a Login Flow" and "Securing
Graph API Requests" (appsecret_proof); Graph API error objects {"error": {"message",
"type", "code", "error_subcode", "fbtrace_id"}}.
"""

import hashlib
import hmac
import random
import secrets
from html import escape
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialApp
from django.conf import settings
from wagtail.models import Site

from .standin import Response, StandInProvider, with_query

# What Facebook's token endpoint reports for a long-lived user token (about 60 days).
FACEBOOK_TOKEN_LIFETIME = 5_183_944
# The demo's Facebook app, as load_demo registers it. Not secrets: the stand-in only
# listens on loopback, and the demo refuses to point anywhere else
# (newsroom.demo.checks).
DEMO_APP_NAME = "Demo stand-in for Facebook"
DEMO_CLIENT_ID = "1000000000000001"
DEMO_CLIENT_SECRET = "demo-standin-secret-not-facebooks"  # noqa: S105
LABEL = "Demo stand-in for Facebook — not the real Facebook"
CALLBACK_PATH = "/accounts/facebook/login/callback/"

# Made-up people the consent form offers, one at random per visit.
GIVEN_NAMES = ["Aiko", "Daichi", "Emi", "Haruki", "Kana", "Ren", "Sora", "Yui"]
FAMILY_NAMES = ["Fujita", "Ishikawa", "Kondo", "Nakamura", "Ogawa", "Sakai", "Ueda"]

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


class FacebookStandIn(StandInProvider):
    """Facebook Login's manual flow and the Graph API's `/me`, as graph.facebook.com.

    Scopes are comma-separated; the token endpoint is a GET; the app has "Require
    App Secret" on, so every Graph call must carry `appsecret_proof`. `version`
    prefixes every path ("v19.0"), as allauth's default URLs carry it; None serves
    the unversioned paths, which Facebook answers too. With `ask_consent` the
    dialog shows the demo's form instead of consenting at once as `person`.
    """

    SCOPES = {"email", "public_profile"}

    def __init__(self, *, version, ask_consent=False, **kwargs):
        super().__init__(**kwargs)
        self.version = version
        self.ask_consent = ask_consent

    def routes(self):
        prefix = f"/{self.version}" if self.version else ""
        return {
            ("GET", "/"): self.front,
            ("GET", f"{prefix}/dialog/oauth"): self.authorize,
            ("POST", f"{prefix}/dialog/oauth"): self.consent,
            ("GET", f"{prefix}/oauth/access_token"): self.token,
            ("GET", f"{prefix}/me"): self.me,
        }

    def handle(self, request):
        response = super().handle(request)
        if response.status == 404:
            return page(404, "Not found", "<p>This stand-in has no such page.</p>")
        return response

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

    def front(self, request):
        return page(
            200,
            "Facebook Login",
            "<p>The demo's sign-in pages send readers here when they press "
            "<em>Continue with Facebook</em>. Nothing is sent to Facebook.</p>",
        )

    def dialog_refusal(self, params) -> Response | None:
        """Facebook's own error page (no redirect) for a bad app, URL or scope."""
        if params.get("client_id") != self.client_id:
            return page(400, "Invalid App ID", "<p>The app is not known here.</p>")
        if params.get("redirect_uri") not in self.redirect_uris:
            return page(
                400,
                "URL blocked",
                "<p>This redirect failed because the redirect URI is not "
                "whitelisted in the app's Client OAuth Settings.</p>",
            )
        if params.get("response_type", "code") != "code" or not params.get("state"):
            return page(400, "Invalid request", "")
        unknown = set(scopes(params)) - self.SCOPES
        if unknown:
            return page(400, f"Invalid Scopes: {', '.join(sorted(unknown))}", "")
        return None

    def authorize(self, request):
        params = request.query
        refusal = self.dialog_refusal(params)
        if refusal is not None:
            return refusal
        if self.refuse_consent:
            return denied(params)
        if self.ask_consent:
            return consent_page(params, made_up_person())
        return granted(params, self.issue_code(params, scopes(params)))

    def consent(self, request):
        """The demo's form, sent: Continue as the person typed, or Cancel."""
        form = request.form
        params = {k: v for k, v in form.items() if k not in CONSENT_FIELDS}
        refusal = self.dialog_refusal(params)
        if refusal is not None or not self.ask_consent:
            return refusal or page(405, "Method not allowed", "")
        if form.get("action") == "cancel":
            return denied(params)
        name = " ".join(form.get("name", "").split())
        email = form.get("email", "").strip()
        if not name or "@" not in email.strip("@"):
            return consent_page(
                params,
                {"name": name, "email": email},
                error="Type a name and an email address (any made-up one will do).",
            )
        person = person_from(name, email)
        return granted(params, self.issue_code(params, scopes(params), person=person))

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


def scopes(params) -> list[str]:
    return [scope for scope in params.get("scope", "").split(",") if scope]


def granted(params, code) -> Response:
    return Response.redirect(
        with_query(params["redirect_uri"], {"code": code, "state": params["state"]})
    )


def denied(params) -> Response:
    """What Facebook sends back when the person presses Cancel."""
    return Response.redirect(
        with_query(
            params["redirect_uri"],
            {
                "error": "access_denied",
                "error_code": "200",
                "error_description": "Permissions error",
                "error_reason": "user_denied",
                "state": params["state"],
            },
        )
    )


def made_up_person() -> dict:
    given, family = random.choice(GIVEN_NAMES), random.choice(FAMILY_NAMES)  # noqa: S311
    number = random.randrange(1000, 10000)  # noqa: S311 - a made-up address
    return {
        "name": f"{given} {family}",
        "email": f"{given}.{family}.{number}@ekimail.jp".lower(),
    }


def person_from(name: str, email: str) -> dict:
    """What the Graph API's /me says of someone, from the demo form's name and email.

    The id is app-scoped and stable, as Facebook's is: the same address signs in to
    the same account the next time.
    """
    digest = hashlib.sha256(email.lower().encode()).hexdigest()
    given, _space, family = name.partition(" ")
    return {
        "id": f"10{int(digest[:15], 16) % 10**15:015d}",
        "name": name,
        "first_name": given,
        "last_name": family,
        "email": email,
    }


CONSENT_FIELDS = {"name", "email", "action"}
STYLE = """
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: #f0f2f5;
  color: #1c1e21; }
.standin-label { margin: 0; padding: .75rem 1rem; background: #fff3cd;
  border-bottom: 2px solid #e0b400; text-align: center; }
main { max-width: 26rem; margin: 2.5rem auto; padding: 1.5rem 2rem 2rem;
  background: #fff; border-radius: 8px; box-shadow: 0 2px 12px rgba(0,0,0,.12); }
h1 { margin: 0 0 .5rem; font-size: 1.4rem; }
.wordmark { color: #1877f2; font-weight: 700; font-size: 1.6rem; margin: 0; }
label { display: block; margin-top: 1rem; font-weight: 600; }
input { box-sizing: border-box; width: 100%; margin-top: .25rem; padding: .6rem;
  font: inherit; border: 1px solid #ccd0d5; border-radius: 6px; }
.actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
button { flex: 1; padding: .65rem; font: inherit; font-weight: 600; border: 0;
  border-radius: 6px; cursor: pointer; background: #1877f2; color: #fff; }
button.secondary { background: #e4e6eb; color: #1c1e21; }
.error { color: #b3261e; }
.small { color: #606770; font-size: .9rem; }
"""


def page(status: int, heading: str, body_html: str) -> Response:
    """A page of the stand-in, under the label that says what it is."""
    text = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(heading)} · {LABEL}</title><style>{STYLE}</style></head>
<body><p class="standin-label" role="note"><strong>{LABEL}</strong>.
This page is served by the Newsroom demo on your own machine.</p>
<main><p class="wordmark">facebook <span class="small">(stand-in)</span></p>
<h1>{escape(heading)}</h1>{body_html}</main></body></html>"""
    return Response(status, text.encode(), {"Content-Type": "text/html; charset=utf-8"})


def consent_page(params, person, *, error="") -> Response:
    site = urlsplit(params["redirect_uri"]).hostname
    hidden = "".join(
        f'<input type="hidden" name="{escape(key)}" value="{escape(value)}">'
        for key, value in params.items()
    )
    body = f"""<p><strong>{escape(site)}</strong> would like your name and email
address (public profile, email).</p>
<p class="small">Type any name and address, or keep these made-up ones: nothing
leaves your machine. The demo prints the emails it sends where
<code>make demo</code> runs.</p>
{f'<p class="error" role="alert">{escape(error)}</p>' if error else ""}
<form method="post">{hidden}
<label for="standin-name">Name</label>
<input id="standin-name" name="name" value="{escape(person["name"])}"
 autocomplete="off" required>
<label for="standin-email">Email</label>
<input id="standin-email" type="email" name="email" value="{escape(person["email"])}"
 autocomplete="off" required>
<div class="actions"><button name="action" value="continue">Continue</button>
<button name="action" value="cancel" class="secondary" formnovalidate>Cancel</button>
</div></form>"""
    return page(200, f"Continue to {site}?", body)


def callback_urls(sites, *, protocol: str) -> list[str]:
    """The demo's registered redirect URIs: Facebook's callback on every site, and on
    127.0.0.1, which serves the default site."""
    hosts = set()
    for site in sites:
        port = "" if site.port in (80, 443) else f":{site.port}"
        hosts.add(f"{site.hostname}{port}")
        if site.is_default_site:
            hosts.add(f"127.0.0.1{port}")
    return sorted(f"{protocol}://{host}{CALLBACK_PATH}" for host in hosts)


def load_facebook_app(network) -> None:
    """Register the demo's Facebook app when NEWSROOM_DEMO_FACEBOOK is set, and take
    it away when it is not, so no button leads to a Facebook that is not there.

    A demo step (loader.DEMO_STEPS); the address itself reaches allauth through
    settings.py, as it must be known when allauth's Facebook module is imported.
    """
    demo_apps = SocialApp.objects.filter(provider="facebook", client_id=DEMO_CLIENT_ID)
    if not settings.NEWSROOM_DEMO_FACEBOOK:
        demo_apps.delete()
        return
    _app, created = demo_apps.update_or_create(
        defaults={"name": DEMO_APP_NAME, "secret": DEMO_CLIENT_SECRET},
        create_defaults={
            "provider": "facebook",
            "client_id": DEMO_CLIENT_ID,
            "name": DEMO_APP_NAME,
            "secret": DEMO_CLIENT_SECRET,
        },
    )
    network.count("Facebook stand-in apps", created)


def demo_standin(*, port: int) -> FacebookStandIn:
    """The stand-in `run_facebook_standin` serves: the app load_demo registered, with
    every demo site's callback, on `port` of 127.0.0.1."""
    app = SocialApp.objects.filter(
        provider="facebook", client_id=DEMO_CLIENT_ID
    ).first()
    if app is None:
        raise LookupError(
            "The demo has no Facebook app: run load_demo with "
            "NEWSROOM_DEMO_FACEBOOK set."
        )
    return FacebookStandIn(
        version=None,  # settings.py points allauth at the unversioned paths
        ask_consent=True,
        client_id=app.client_id,
        client_secret=app.secret,
        redirect_uris=callback_urls(
            Site.objects.all(), protocol=settings.ACCOUNT_DEFAULT_HTTP_PROTOCOL
        ),
        port=port,
    )
