"""Signing in with Facebook and an OpenID Connect provider, end to end, through HTTP.

Each test starts where a reader does, on the sign-in page, presses the provider's
button and goes redirect → consent → callback → account. The providers are stand-ins
on loopback (the demo's newsroom/demo/facebook.py, which `make demo` runs too, and
oauth_standin's OpenID Connect provider) that check every parameter and answer in
the real services' shapes; Facebook's Graph API is reached at
https://graph.facebook.com by the app and rerouted to its stand-in at the transport
layer.
"""

import base64
import hashlib
import hmac
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import jwt
import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.facebook.constants import GRAPH_API_VERSION
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Site

from newsroom import settings as project_settings
from newsroom.accounts import services
from newsroom.alerts.models import Subscription
from newsroom.demo.facebook import FacebookStandIn
from newsroom.news.tests.helpers import demo_article, visible_text

from .helpers import sign_in
from .oauth_standin import OpenIDStandIn, route_outgoing, visit

User = get_user_model()

LEDGER_ROOT = "http://ledger.localhost"
FACEBOOK_CALLBACK = f"{LEDGER_ROOT}/accounts/facebook/login/callback/"
PUBLISHER_CALLBACK = f"{LEDGER_ROOT}/accounts/oidc/publisher/login/callback/"
FACEBOOK_DIALOG = f"https://www.facebook.com/{GRAPH_API_VERSION}/dialog/oauth"
PROVIDER_ENV = [
    "FACEBOOK_CLIENT_ID",
    "FACEBOOK_CLIENT_SECRET",
    "GOOGLE_CLIENT_ID",
    "GOOGLE_CLIENT_SECRET",
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_PROVIDER_ID",
    "OIDC_PROVIDER_NAME",
    "OIDC_SERVER_URL",
]
AIKO = {
    "id": "10160987654321012",  # an app-scoped user id, as Facebook gives
    "name": "Aiko Watanabe",
    "first_name": "Aiko",
    "last_name": "Watanabe",
    "email": "aiko.w@ekimail.jp",
}
HARUTO = {
    "sub": "member-80412",
    "name": "Haruto Mori",
    "given_name": "Haruto",
    "family_name": "Mori",
    "email": "haruto@example.org",
    "email_verified": True,
}


# Configuration: the providers come from the environment through settings.py's own
# _oauth_apps(), as in production; allauth reads SOCIALACCOUNT_PROVIDERS per request.


@pytest.fixture
def providers(settings, monkeypatch):
    """No provider configured, whatever the environment running the tests holds."""
    for name in PROVIDER_ENV:
        monkeypatch.delenv(name, raising=False)

    def configure(**env):
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        settings.SOCIALACCOUNT_PROVIDERS = project_settings._oauth_apps()

    configure()
    return configure


@pytest.fixture
def facebook(providers, monkeypatch):
    standin = FacebookStandIn(
        version=GRAPH_API_VERSION,
        client_id="4096123456789012",
        client_secret="fb-app-secret-5e1f",
        redirect_uris=[FACEBOOK_CALLBACK],
        person=dict(AIKO),
    ).start()
    providers(
        FACEBOOK_CLIENT_ID=standin.client_id,
        FACEBOOK_CLIENT_SECRET=standin.client_secret,
    )
    route_outgoing(monkeypatch, {"graph.facebook.com": standin})
    yield standin
    standin.stop()


@pytest.fixture
def publisher(providers, monkeypatch):
    standin = OpenIDStandIn(
        client_id="ledger-web",
        client_secret="oidc-secret-77c2",
        redirect_uris=[PUBLISHER_CALLBACK],
        person=dict(HARUTO),
    ).start()
    providers(
        OIDC_CLIENT_ID=standin.client_id,
        OIDC_CLIENT_SECRET=standin.client_secret,
        OIDC_PROVIDER_ID="publisher",
        OIDC_PROVIDER_NAME="Ledger Members",
        OIDC_SERVER_URL=standin.base_url,
    )
    route_outgoing(monkeypatch, {})  # reached at its own address; nothing else
    yield standin
    standin.stop()


@pytest.fixture
def article_path(network):
    _spec, page = demo_article(lambda spec: True)
    return urlsplit(page.full_url).path


# The reader's browser.


class _ProviderButtons(HTMLParser):
    def __init__(self):
        super().__init__()
        self.buttons = {}
        self._href = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "provider-button" in (attrs.get("class") or ""):
            self._href, self._text = attrs["href"], []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.buttons[" ".join("".join(self._text).split())] = self._href
            self._href = None


def provider_buttons(response) -> dict[str, str]:
    """The provider buttons on a page: {"Continue with Facebook": href}."""
    parser = _ProviderButtons()
    parser.feed(response.content.decode())
    return parser.buttons


def press(client, button, *, page="/accounts/login/") -> str:
    """Press a provider button on `page`; the redirect to the provider.

    SOCIALACCOUNT_LOGIN_ON_GET is off, so the button's link shows a page whose
    Continue button posts back to the same address.
    """
    href = provider_buttons(client.get(page))[button]
    confirm = client.get(href)
    assert confirm.status_code == 200
    assert '<form method="post"' in confirm.content.decode()
    to_provider = client.post(href)
    assert to_provider.status_code == 302
    return to_provider["Location"]


def at_facebook(facebook, location) -> str:
    """The browser at Facebook's login dialog, served by the stand-in.

    Returns where Facebook sends the browser back to.
    """
    url = urlsplit(location)
    assert f"{url.scheme}://{url.netloc}{url.path}" == FACEBOOK_DIALOG
    query = dict(parse_qsl(url.query))
    assert query["client_id"] == facebook.client_id
    assert query["redirect_uri"] == FACEBOOK_CALLBACK
    assert query["response_type"] == "code"
    assert set(query["scope"].split(",")) == {"email", "public_profile"}
    assert len(query["state"]) >= 12
    answer = visit(f"{facebook.base_url}{url.path}?{url.query}")
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def at_publisher(publisher, location) -> str:
    url = urlsplit(location)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{publisher.base_url}/authorize"
    assert set(dict(parse_qsl(url.query))["scope"].split()) >= {"openid", "email"}
    answer = visit(location)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def back_at_site(client, callback_url):
    url = urlsplit(callback_url)
    assert f"{url.scheme}://{url.netloc}" == LEDGER_ROOT
    return client.get(f"{url.path}?{url.query}")


def with_query(callback_url, **changes) -> str:
    url = urlsplit(callback_url)
    query = {**dict(parse_qsl(url.query)), **changes}
    return url._replace(query=urlencode(query)).geturl()


def sign_in_with_facebook(client, facebook, *, page="/accounts/login/"):
    """The whole round trip; (callback URL, the site's answer to it)."""
    callback_url = at_facebook(
        facebook, press(client, "Continue with Facebook", page=page)
    )
    return callback_url, back_at_site(client, callback_url)


def signed_in_reader(client):
    """Who the client's session belongs to, asked of the site itself."""
    response = client.get("/accounts/settings/")
    if response.status_code != 200:
        return None
    return response.wsgi_request.user


def counts():
    return (
        User.objects.count(),
        SocialAccount.objects.count(),
        EmailAddress.objects.count(),
        Subscription.objects.count(),
    )


def assert_error_page(response, provider_name):
    assert response.status_code == 401
    text = visible_text(response)
    assert f"Signing in with {provider_name} did not work" in text
    assert "Nothing has been changed" in text
    assert b'href="/accounts/login/"' in response.content


# Facebook.


def test_a_new_reader_signs_up_with_facebook_and_lands_where_they_were(
    ledger, smtp, facebook, article_path
):
    callback_url, response = sign_in_with_facebook(
        ledger, facebook, page=f"/accounts/login/?next={article_path}"
    )

    assert response.status_code == 302
    assert response["Location"] == article_path
    reader = signed_in_reader(ledger)
    assert reader is not None
    assert reader.username == "Aiko Watanabe"
    assert reader.email == AIKO["email"]
    assert not reader.has_usable_password()
    account = SocialAccount.objects.get(user=reader)
    assert (account.provider, account.uid) == ("facebook", AIKO["id"])
    assert account.extra_data["first_name"] == "Aiko"
    # Facebook does not vouch for addresses: commenting waits for the confirmation.
    assert not EmailAddress.objects.get(user=reader).verified
    assert not services.can_participate(reader)
    # The app went to graph.facebook.com (rerouted) for the token, then /me with
    # a valid appsecret_proof, which the stand-in insists on.
    assert facebook.paths_seen() == [
        f"/{GRAPH_API_VERSION}/dialog/oauth",
        f"/{GRAPH_API_VERSION}/oauth/access_token",
        f"/{GRAPH_API_VERSION}/me",
    ]

    ledger_site = Site.objects.get(hostname="ledger.localhost")
    assert reader.profile.joined_site == ledger_site
    [invitation] = [m for m in smtp.to(AIKO["email"]) if "news alerts" in m["Subject"]]
    assert invitation["Subject"] == "Would you like news alerts from The Tokyo Ledger?"
    assert "/alerts/confirm/" in smtp.text(invitation)
    opt_in = Subscription.objects.get(subscriber__email=AIKO["email"])
    assert (opt_in.subscriber.user, opt_in.site, opt_in.confirmed_at) == (
        reader,
        ledger_site,
        None,
    )

    article = ledger.get(article_path)
    assert article.status_code == 200
    assert "Aiko Watanabe" in visible_text(article)


@pytest.mark.parametrize(
    "existing_name",
    ["Aiko Watanabe", "Aikо Watanabe"],  # the second with a Cyrillic о
    ids=["same", "look-alike"],
)
def test_a_taken_facebook_name_makes_the_reader_choose_one(
    ledger, smtp, facebook, make_reader, article_path, existing_name
):
    make_reader(existing_name, email="the.first.aiko@example.com")
    readers_before = User.objects.count()

    _callback, response = sign_in_with_facebook(
        ledger, facebook, page=f"/accounts/login/?next={article_path}"
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/signup/"
    form = ledger.get(response["Location"])
    text = visible_text(form)
    assert "Almost done" in text
    assert "registering on The Tokyo Ledger with your Facebook account" in text
    assert "Display name" in text
    assert f'value="{AIKO["email"]}"' in form.content.decode()
    assert 'value="Aiko Watanabe"' not in form.content.decode()  # not offered
    assert User.objects.count() == readers_before
    assert signed_in_reader(ledger) is None

    again = ledger.post(
        "/accounts/3rdparty/signup/",
        {"username": "Aiko Watanabe", "email": AIKO["email"]},
    )
    assert again.status_code == 200
    assert "That display name is already taken" in visible_text(again)
    assert User.objects.count() == readers_before

    done = ledger.post(
        "/accounts/3rdparty/signup/",
        {"username": "Aiko in Osaka", "email": AIKO["email"]},
    )
    assert done.status_code == 302
    assert done["Location"] == article_path
    reader = signed_in_reader(ledger)
    assert reader.username == "Aiko in Osaka"
    assert SocialAccount.objects.get(provider="facebook").user == reader
    assert Subscription.objects.get(
        subscriber__email=AIKO["email"]
    ).subscriber.user == (reader)
    assert smtp.to(AIKO["email"])


def test_a_facebook_name_that_impersonates_is_not_taken_and_the_form_refuses_it(
    ledger, smtp, facebook
):
    facebook.person["name"] = "Ledger Support"
    readers_before = User.objects.count()

    _callback, response = sign_in_with_facebook(ledger, facebook)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/signup/"
    form = ledger.get(response["Location"])
    assert 'value="Ledger Support"' not in form.content.decode()  # not offered
    assert User.objects.count() == readers_before

    refused = ledger.post(
        "/accounts/3rdparty/signup/",
        {"username": "Ledger Supp0rt", "email": AIKO["email"]},
    )
    assert refused.status_code == 200
    assert "can't include “Ledger”" in visible_text(refused)
    assert User.objects.count() == readers_before

    done = ledger.post(
        "/accounts/3rdparty/signup/",
        {"username": "Aiko from Yokohama", "email": AIKO["email"]},
    )
    assert done.status_code == 302
    assert User.objects.get(email=AIKO["email"]).username == "Aiko from Yokohama"


def test_a_facebook_email_of_an_existing_account_links_only_after_its_owner_signs_in(
    ledger, smtp, facebook, make_reader
):
    owner = make_reader("Aiko W", email=AIKO["email"], verified=True)
    readers_before = User.objects.count()

    _callback, response = sign_in_with_facebook(ledger, facebook)

    # Not signed in to the owner's account, nothing linked: the sign-up form instead.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/3rdparty/signup/"
    assert signed_in_reader(ledger) is None
    assert not SocialAccount.objects.exists()
    # allauth reports the clash when the form is sent, not when it is first shown.
    form = ledger.get(response["Location"])
    assert f'value="{AIKO["email"]}"' in form.content.decode()
    submitted = ledger.post(
        "/accounts/3rdparty/signup/",
        {"username": "Aiko Watanabe", "email": AIKO["email"]},
    )
    assert submitted.status_code == 200
    assert (
        "An account already exists with this email address. Please sign in to that "
        "account first, then connect your Facebook account."
    ) in visible_text(submitted)
    assert signed_in_reader(ledger) is None
    assert User.objects.count() == readers_before
    assert not SocialAccount.objects.exists()
    assert smtp.messages == []

    assert sign_in(ledger, AIKO["email"]).status_code == 302
    location = press(
        ledger, "Continue with Facebook", page="/accounts/3rdparty/"
    )  # the "connected accounts" page, process=connect
    assert dict(parse_qsl(urlsplit(location).query))["redirect_uri"] == (
        FACEBOOK_CALLBACK
    )
    connected = back_at_site(ledger, at_facebook(facebook, location))

    assert connected.status_code == 302
    assert connected["Location"] == "/accounts/3rdparty/"
    account = SocialAccount.objects.get()
    assert (account.user, account.uid) == (owner, AIKO["id"])
    assert User.objects.count() == readers_before
    assert signed_in_reader(ledger) == owner
    assert "Signs in with Facebook" in visible_text(ledger.get("/accounts/settings/"))

    # From now on Facebook signs the owner in to their own account.
    ledger.post("/accounts/logout/")
    _callback, again = sign_in_with_facebook(ledger, facebook)
    assert again.status_code == 302
    assert signed_in_reader(ledger) == owner
    assert User.objects.count() == readers_before


def test_replaying_a_callback_changes_nothing(ledger, smtp, facebook):
    callback_url, first = sign_in_with_facebook(ledger, facebook)
    assert first.status_code == 302
    reader = signed_in_reader(ledger)
    before = counts()
    mail_before = len(smtp.messages)

    replay = back_at_site(ledger, callback_url)

    assert_error_page(replay, "Facebook")
    assert counts() == before
    assert len(smtp.messages) == mail_before
    assert signed_in_reader(ledger) == reader
    assert facebook.paths_seen().count(f"/{GRAPH_API_VERSION}/oauth/access_token") == 1

    # The same code under a fresh state (a second browser that picked up the link):
    # the app asks Facebook, which refuses a used code.
    other = Client(HTTP_HOST="ledger.localhost")
    fresh_state = dict(
        parse_qsl(urlsplit(press(other, "Continue with Facebook")).query)
    )
    forged = with_query(callback_url, state=fresh_state["state"])

    refused = back_at_site(other, forged)

    assert_error_page(refused, "Facebook")
    assert facebook.paths_seen().count(f"/{GRAPH_API_VERSION}/oauth/access_token") == 2
    assert counts() == before
    assert signed_in_reader(other) is None


def test_a_callback_with_a_wrong_state_is_refused_before_asking_facebook(
    ledger, facebook
):
    before = counts()
    callback_url = at_facebook(facebook, press(ledger, "Continue with Facebook"))

    response = back_at_site(ledger, with_query(callback_url, state="forged-state-1234"))

    assert_error_page(response, "Facebook")
    assert counts() == before
    assert signed_in_reader(ledger) is None
    assert f"/{GRAPH_API_VERSION}/oauth/access_token" not in facebook.paths_seen()


def test_cancelling_at_facebook_says_so_and_creates_nothing(ledger, facebook):
    before = counts()
    facebook.refuse_consent = True
    callback_url = at_facebook(facebook, press(ledger, "Continue with Facebook"))
    assert dict(parse_qsl(urlsplit(callback_url).query))["error"] == "access_denied"

    response = back_at_site(ledger, callback_url)

    assert response.status_code == 302
    page = ledger.get(response["Location"])
    text = visible_text(page)
    assert "Login Cancelled" in text
    assert "please proceed to sign in" in text
    assert b'href="/accounts/login/"' in page.content
    assert counts() == before
    assert signed_in_reader(ledger) is None


# OpenID Connect.


def test_a_new_reader_signs_up_with_the_publishers_openid_provider(
    ledger, smtp, publisher, article_path
):
    sign_in_page = f"/accounts/login/?next={article_path}"
    assert "Continue with Ledger Members" in provider_buttons(ledger.get(sign_in_page))

    location = press(ledger, "Continue with Ledger Members", page=sign_in_page)
    query = dict(parse_qsl(urlsplit(location).query))
    assert query["redirect_uri"] == PUBLISHER_CALLBACK
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"  # PKCE, as settings.py asks
    response = back_at_site(ledger, at_publisher(publisher, location))

    assert response.status_code == 302
    assert response["Location"] == article_path
    reader = signed_in_reader(ledger)
    assert (reader.username, reader.email) == ("Haruto Mori", HARUTO["email"])
    account = SocialAccount.objects.get(user=reader)
    assert (account.provider, account.uid) == ("publisher", HARUTO["sub"])
    assert account.extra_data["id_token"]["iss"] == publisher.issuer
    # The publisher vouches for the address (email_verified), so it counts as
    # confirmed and the reader may comment at once.
    assert EmailAddress.objects.get(user=reader).verified
    assert services.can_participate(reader)
    assert "/token" in publisher.paths_seen()
    assert "/userinfo" in publisher.paths_seen()
    assert (
        Subscription.objects.get(subscriber__email=HARUTO["email"]).confirmed_at is None
    )
    assert [m for m in smtp.to(HARUTO["email"]) if "news alerts" in m["Subject"]]


def test_an_id_token_for_another_client_is_refused(ledger, publisher):
    before = counts()
    publisher.audience = "some-other-client"

    location = press(ledger, "Continue with Ledger Members")
    response = back_at_site(ledger, at_publisher(publisher, location))

    assert_error_page(response, "Ledger Members")
    assert counts() == before
    assert signed_in_reader(ledger) is None


def test_the_id_token_signature_is_not_what_protects_the_code_flow(ledger, publisher):
    """allauth trusts an ID token fetched straight from the token endpoint.

    OpenID Connect Core §3.1.3.7 lets a client skip the signature check when the
    token came over TLS from the token endpoint, and allauth does
    (OpenIDConnectOAuth2Adapter._decode_id_token): a token signed with a key the
    JWKS does not publish is accepted and the JWKS is never fetched. What protects
    the flow is TLS to OIDC_SERVER_URL, which must therefore be https in production.
    """
    publisher.sign_with_unpublished_key = True

    location = press(ledger, "Continue with Ledger Members")
    response = back_at_site(ledger, at_publisher(publisher, location))

    assert response.status_code == 302
    assert signed_in_reader(ledger).username == "Haruto Mori"
    assert "/jwks" not in publisher.paths_seen()


# Providers that are not configured.


def test_without_configuration_no_provider_is_offered_or_reachable(ledger, providers):
    page = ledger.get("/accounts/login/")

    assert page.status_code == 200
    assert provider_buttons(page) == {}
    assert "Facebook users" not in visible_text(page)
    for path in [
        "/accounts/facebook/login/",
        "/accounts/facebook/login/callback/?code=abc&state=def",
        "/accounts/google/login/",
        "/accounts/oidc/publisher/login/",
        "/accounts/oidc/publisher/login/callback/?code=abc&state=def",
    ]:
        assert ledger.get(path).status_code == 404, path
        assert ledger.post(path).status_code == 404, path


def test_only_the_configured_provider_is_offered(ledger, publisher):
    page = ledger.get("/accounts/login/")

    assert list(provider_buttons(page)) == ["Continue with Ledger Members"]
    assert ledger.get("/accounts/facebook/login/").status_code == 404
    assert ledger.get("/accounts/oidc/other/login/").status_code == 404


# The stand-ins are only worth their passes if they are as strict as the real thing.


def test_the_facebook_standin_refuses_what_facebook_refuses(facebook):
    graph = f"{facebook.base_url}/{GRAPH_API_VERSION}"
    consent = visit(
        f"{graph}/dialog/oauth?"
        + urlencode(
            {
                "client_id": facebook.client_id,
                "redirect_uri": FACEBOOK_CALLBACK,
                "scope": "email,public_profile",
                "response_type": "code",
                "state": "s-1",
            }
        )
    )
    code = dict(parse_qsl(urlsplit(consent.headers["Location"]).query))["code"]
    exchange = {
        "client_id": facebook.client_id,
        "client_secret": facebook.client_secret,
        "redirect_uri": FACEBOOK_CALLBACK,
        "code": code,
    }

    def graph_error(url, **params):
        answer = requests.get(url, params=params, timeout=5)
        assert answer.status_code == 400
        return answer.json()["error"]

    wrong_uri = {**exchange, "redirect_uri": f"{LEDGER_ROOT}/elsewhere/"}
    assert graph_error(f"{graph}/oauth/access_token", **wrong_uri)["error_subcode"] == (
        36008
    )
    wrong_secret = {**exchange, "client_secret": "guess"}
    assert graph_error(f"{graph}/oauth/access_token", **wrong_secret)["code"] == 1
    token = requests.get(f"{graph}/oauth/access_token", params=exchange, timeout=5)
    assert token.json()["token_type"] == "bearer"
    access_token = token.json()["access_token"]
    proof = hmac.new(
        facebook.client_secret.encode(), access_token.encode(), hashlib.sha256
    ).hexdigest()

    no_proof = graph_error(f"{graph}/me", access_token=access_token)
    assert no_proof["type"] == "GraphMethodException"
    bad_proof = graph_error(
        f"{graph}/me", access_token=access_token, appsecret_proof="0"
    )
    assert "Invalid appsecret_proof" in bad_proof["message"]
    me = requests.get(
        f"{graph}/me",
        params={"access_token": access_token, "appsecret_proof": proof, "fields": "id"},
        timeout=5,
    )
    assert me.json() == {"id": AIKO["id"]}

    # A second use of the code fails and revokes the token the first one issued.
    assert graph_error(f"{graph}/oauth/access_token", **exchange)["error_subcode"] == (
        36009
    )
    revoked = graph_error(
        f"{graph}/me", access_token=access_token, appsecret_proof=proof
    )
    assert revoked["code"] == 190


def test_the_openid_standin_refuses_what_a_provider_refuses(publisher):
    authorize = {
        "client_id": publisher.client_id,
        "redirect_uri": PUBLISHER_CALLBACK,
        "scope": "openid email",
        "response_type": "code",
        "state": "s-2",
    }

    def authorize_with(**changes):
        return visit(f"{publisher.base_url}/authorize?{urlencode(authorize | changes)}")

    elsewhere = authorize_with(redirect_uri=f"{LEDGER_ROOT}/elsewhere/")
    assert elsewhere.status_code == 400  # shown to the browser, never redirected
    assert "Location" not in elsewhere.headers
    no_openid = dict(
        parse_qsl(urlsplit(authorize_with(scope="email").headers["Location"]).query)
    )
    assert (no_openid["error"], no_openid["state"]) == ("invalid_scope", "s-2")

    verifier = "a-verifier-of-at-least-forty-three-characters-0123456789"
    challenge = (
        base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
        .rstrip(b"=")
        .decode()
    )
    consent = authorize_with(code_challenge=challenge, code_challenge_method="S256")
    code = dict(parse_qsl(urlsplit(consent.headers["Location"]).query))["code"]
    exchange = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": PUBLISHER_CALLBACK,
        "client_id": publisher.client_id,
        "client_secret": publisher.client_secret,
    }
    token_url = f"{publisher.base_url}/token"

    wrong_secret = requests.post(
        token_url, data={**exchange, "client_secret": "guess"}, timeout=5
    )
    assert (wrong_secret.status_code, wrong_secret.json()["error"]) == (
        401,
        "invalid_client",
    )
    no_verifier = requests.post(token_url, data=exchange, timeout=5)
    assert (no_verifier.status_code, no_verifier.json()["error"]) == (
        400,
        "invalid_grant",
    )
    other = authorize_with(code_challenge=challenge, code_challenge_method="S256")
    exchange["code"] = dict(parse_qsl(urlsplit(other.headers["Location"]).query))[
        "code"
    ]
    tokens = requests.post(
        token_url,
        data={**exchange, "code_verifier": verifier},
        auth=(publisher.client_id, publisher.client_secret),
        timeout=5,
    ).json()
    claims = jwt.decode(
        tokens["id_token"],
        jwt.PyJWKClient(f"{publisher.base_url}/jwks").get_signing_key_from_jwt(
            tokens["id_token"]
        ),
        algorithms=["RS256"],
        audience=publisher.client_id,
        issuer=publisher.issuer,
    )
    assert claims["sub"] == HARUTO["sub"]

    userinfo_url = f"{publisher.base_url}/userinfo"
    anonymous = requests.get(userinfo_url, timeout=5)
    assert anonymous.status_code == 401
    assert 'error="invalid_token"' in anonymous.headers["WWW-Authenticate"]
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert requests.get(userinfo_url, headers=bearer, timeout=5).json() == HARUTO
