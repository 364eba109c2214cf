"""A real Chromium registers, confirms by email and joins news alerts on the Ledger,
and signs up with the demo's stand-in for Facebook.

Like newsroom/news/tests/test_browser.py, the site is served by `make demo`'s server
(uvicorn) in a child process on its own SQLite data directory. Settings changed in
this process (the `smtp` fixture's) would not reach that server, so it is started
with EMAIL_URL aimed at a real SMTP server on loopback (aiosmtpd, the same inbox the
`smtp` fixture uses), exactly as production configures its mail. The demo's
stand-in for Facebook runs beside it as `make demo` runs it (`run_facebook_standin`).
"""

import subprocess
import sys
import time
import urllib.request
from urllib.parse import urlparse

import pytest

from conftest import LEDGER, VIEWPORTS, SMTPInbox, shoot
from newsroom.accounts.tests.helpers import PASSWORD

pytestmark = pytest.mark.browser

TAKEN_NAME_SCRIPT = """
from newsroom.accounts.tests.factories import create_reader
create_reader("Blacklabel", email="blacklabel@example.com")
"""


@pytest.fixture(scope="module")
def mail():
    """A real SMTP server on loopback for the served site; yields (inbox, port)."""
    from aiosmtpd.controller import Controller

    from newsroom.demo.server import free_port

    port = free_port()
    inbox = SMTPInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture(scope="module")
def site(mail, serve_demo):
    """The demo network served by uvicorn, sending its email to `mail`, with the
    demo's stand-in for Facebook, so the Facebook block shows as on the reference
    page."""
    from newsroom.demo.server import ROOT, free_port

    _inbox, smtp_port = mail
    facebook = f"http://127.0.0.1:{free_port()}"
    env = {
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "NEWSROOM_DEMO_FACEBOOK": facebook,
    }
    with serve_demo("accounts-demo", env=env) as server:
        standin = subprocess.Popen(
            [sys.executable, "manage.py", "run_facebook_standin"],
            cwd=ROOT,
            env=server.env,
            stdout=subprocess.DEVNULL,
        )
        try:
            wait_for(facebook, standin)
            yield server
        finally:
            standin.terminate()
            standin.wait(timeout=10)


def wait_for(url, process, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"nothing answers at {url}") from None
            time.sleep(0.1)


@pytest.fixture
def page(browser):
    """A fresh browser (no cookies) at desktop width; fails the test on a JS error."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []


def mail_to(inbox, address, link_fragment, timeout=10.0):
    """The link containing `link_fragment` in the one email to `address` that has it."""
    found = inbox.wait_for(
        lambda: [
            link
            for message in inbox.to(address)
            for link in inbox.links(message)
            if link_fragment in link
        ],
        timeout,
    )
    assert len(found) == 1, f"expected one {link_fragment} link to {address}: {found}"
    return found[0]


def fill_registration(page, name, email):
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Register").click()


def test_a_reader_registers_confirms_the_email_and_joins_news_alerts(site, mail, page):
    inbox, _port = mail
    base = f"http://{LEDGER}:{site.port}"

    # 1. From an article, through the masthead's "Sign in", to registration.
    page.goto(base + "/")
    with page.expect_navigation():
        page.locator(".lead-story .card-headline a").click()
    article_path = urlparse(page.url).path
    headline = page.locator("h1.headline").inner_text()
    assert headline

    with page.expect_navigation():
        page.locator(".account-nav").get_by_role("link", name="Sign in").click()
    assert urlparse(page.url).path == "/accounts/login/"
    assert page.locator("#login-heading").inner_text() == (
        "Login with your The Tokyo Ledger account"
    )
    assert page.locator("#register-heading").inner_text() == "User registration"
    assert page.locator("#social-heading").inner_text() == "Facebook users"
    assert "you will also receive an email inviting you to our news alerts" in (
        page.locator(".entrance-social").inner_text().lower()
    )
    assert page.get_by_role("link", name="Continue with Facebook").count() == 1
    assert page.get_by_role("link", name="Forgot your password?").count() == 1
    shoot(page, "ledger-sign-in-desktop")

    with page.expect_navigation():
        page.locator(".entrance-register").get_by_role("link", name="Register").click()
    assert urlparse(page.url).path == "/accounts/signup/"
    assert page.locator("h1").inner_text() == "User registration"
    fill_registration(page, "Hanako Mori", "hanako@ekimail.jp")

    assert urlparse(page.url).path == article_path  # back where the reader was
    assert page.locator("h1.headline").inner_text() == headline
    assert page.locator(".account-nav .account-name").inner_text() == "Hanako Mori"
    nav = page.locator(".account-nav")
    assert nav.get_by_role("link", name="Settings").is_visible()
    assert nav.get_by_role("button", name="Sign out").is_visible()
    assert nav.get_by_role("link", name="Sign in").count() == 0

    page.goto(base + "/accounts/settings/")
    assert "Confirm your email address to comment" in (
        page.locator(".status-warn").inner_text()
    )

    # 2. The verification email's link shows a button; pressing it confirms.
    confirm_link = mail_to(inbox, "hanako@ekimail.jp", "/accounts/confirm-email/")
    assert confirm_link.startswith(base + "/accounts/confirm-email/")
    page.goto(confirm_link)
    assert "hanako@ekimail.jp" in page.locator("main").inner_text()
    shoot(page, "ledger-confirm-email-desktop")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Confirm").click()

    page.goto(base + "/accounts/settings/")
    assert page.locator(".status-ok").inner_text() == (
        "Your email address is confirmed: you can comment, vote and report comments."
    )
    assert page.locator(".status-warn").count() == 0
    assert "hanako@ekimail.jp — confirmed" in page.locator("main").inner_text()

    # 3. The second email invites to news alerts; only the button's POST subscribes.
    alerts_link = mail_to(inbox, "hanako@ekimail.jp", "/alerts/confirm/")
    assert alerts_link.startswith(base + "/alerts/confirm/")
    page.goto(alerts_link)
    assert "Send news alerts from The Tokyo Ledger to hanako@ekimail.jp?" in (
        page.locator("main").inner_text()
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, send me news alerts").click()
    assert page.locator("main .status-ok").inner_text() == (
        "Thank you: hanako@ekimail.jp will receive news alerts from The Tokyo Ledger."
    )
    shoot(page, "ledger-alerts-confirmed-desktop")

    page.goto(base + "/accounts/settings/")
    shoot(page, "ledger-settings-desktop")
    with page.expect_navigation():
        page.get_by_role("link", name="Manage alerts and notification emails").click()
    subscription = page.locator("section.alert-subscription")
    assert subscription.locator("h2").inner_text() == "The Tokyo Ledger"
    assert "subscribed since" in subscription.inner_text()
    assert subscription.get_by_label("Breaking news, as it happens").is_checked()


def test_a_look_alike_of_a_taken_display_name_is_refused_on_the_page(site, mail, page):
    from newsroom.demo.server import manage

    manage("shell", "-v", "0", "-c", TAKEN_NAME_SCRIPT, env=site.env)
    inbox, _port = mail
    base = f"http://{LEDGER}:{site.port}"

    page.goto(base + "/accounts/signup/")
    fill_registration(page, "Bl\u0430cklabel", "second@ekimail.jp")  # Cyrillic а

    assert urlparse(page.url).path == "/accounts/signup/"
    name_field = page.locator(".field", has=page.get_by_label("Display name"))
    assert "has-error" in name_field.get_attribute("class")
    assert name_field.locator(".field-errors").inner_text() == (
        "That display name is already taken (or looks the same as one that is). "
        "Please choose another."
    )
    assert page.get_by_label("Display name").input_value() == "Bl\u0430cklabel"
    assert page.get_by_label("Email").input_value() == "second@ekimail.jp"
    assert page.locator(".account-nav").get_by_role("link", name="Sign in").count()
    assert inbox.to("second@ekimail.jp") == []
    shoot(page, "ledger-register-error-desktop")


def test_the_sign_in_page_fits_a_phone(site, browser):
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    page.goto(f"http://{LEDGER}:{site.port}/accounts/login/?next=/")

    assert page.get_by_label("Password").is_visible()
    assert page.locator("#register-heading").is_visible()
    # No horizontal scrolling, and the blocks stack in one column.
    assert page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
    login_box = page.locator(".entrance-login").bounding_box()
    register_box = page.locator(".entrance-register").bounding_box()
    assert register_box["y"] >= login_box["y"] + login_box["height"]
    shoot(page, "ledger-sign-in-phone")
    context.close()


def test_a_new_reader_signs_up_with_the_demos_facebook_standin(site, mail, page):
    inbox, _port = mail
    base = f"http://{LEDGER}:{site.port}"
    facebook = site.env["NEWSROOM_DEMO_FACEBOOK"]

    page.goto(base + "/accounts/login/")
    with page.expect_navigation():
        page.get_by_role("link", name="Continue with Facebook").click()
    with page.expect_navigation():  # allauth's "Sign In Via Facebook": a POST
        page.locator("main").get_by_role("button", name="Continue").click()

    # The stand-in's dialog, which says what it is.
    assert page.url.startswith(f"{facebook}/dialog/oauth?")
    assert (
        page.locator(".standin-label")
        .inner_text()
        .startswith("Demo stand-in for Facebook — not the real Facebook.")
    )
    assert page.locator("h1").inner_text() == f"Continue to {LEDGER}?"
    assert "@ekimail.jp" in page.get_by_label("Email").input_value()  # made up
    page.get_by_label("Name").fill("Kenji Arakawa")
    page.get_by_label("Email").fill("kenji.arakawa@example.com")
    shoot(page, "facebook-standin-desktop")
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()

    # Back on the Ledger, signed up and signed in under the name typed there.
    assert page.url == base + "/"
    assert page.locator(".account-nav .account-name").inner_text() == "Kenji Arakawa"
    alerts_link = mail_to(inbox, "kenji.arakawa@example.com", "/alerts/confirm/")
    assert alerts_link.startswith(base + "/alerts/confirm/")
    page.goto(alerts_link)
    assert (
        "Send news alerts from The Tokyo Ledger to kenji.arakawa@example.com?"
        in page.locator("main").inner_text()
    )
