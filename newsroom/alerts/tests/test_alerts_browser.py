"""A real Chromium subscribes to news alerts, confirms, reads a breaking alert and
unsubscribes from it, against Django's live test server and a real SMTP sink.

Unlike the other browser tests, the site runs in this process (`live_server`, in a
thread), so the test publishes articles and checks rows itself. Both sites are moved
to the live server's port, so every link in an email leads back to it. The session's
`browser` runs Playwright in a thread of its own (conftest.PlaywrightThread), so the
test's database queries between browser steps use the test's own connection.
"""

import io
from urllib.parse import urlparse

import pytest
from django.core.files.images import ImageFile
from wagtail.models import Site

from conftest import COURIER, LEDGER, expect, shoot
from newsroom.accounts.tests.helpers import PASSWORD
from newsroom.alerts.breaking import request_breaking_alert
from newsroom.demo.pictures import scene_jpeg
from newsroom.news.models import NewsImage, SectionPage
from newsroom.news.tests.factories import publish_article

from .. import subscriptions
from ..models import Alert, Delivery, Subscription

# live_server commits for real; the rollback restores the root page and default site
# that Wagtail's migrations made, as in comments/tests/test_voting.py.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HEADLINE = "Magnitude 6.1 earthquake shakes Tokyo; trains halted across the capital"
STANDFIRST = (
    "The quake struck at 10:42 a.m. at a depth of 40 kilometres. No tsunami warning "
    "was issued; JR East stopped every line in the capital to check the tracks."
)


# The test server's threads would hold the bell's event stream open.
LIVE_STREAMS = ["**/notifications/stream/"]


@pytest.fixture
def origin(network, live_server):
    """http://ledger.localhost:<port>, with both sites served on the live server."""
    port = urlparse(live_server.url).port
    for site in Site.objects.all():
        site.port = port
        site.save()  # saving (not .update()) clears Wagtail's cached site roots
    return f"http://{LEDGER}:{port}"


def mail_to(smtp, address, subject_part, timeout=10.0):
    """The one message to `address` whose subject contains `subject_part`."""
    found = smtp.wait_for(
        lambda: [m for m in smtp.to(address) if subject_part in m["Subject"]], timeout
    )
    assert len(found) == 1, [m["Subject"] for m in smtp.to(address)]
    return found[0]


def link_in(smtp, message, fragment) -> str:
    [found] = {url for url in smtp.links(message) if fragment in url}
    return found


def test_a_reader_subscribes_in_the_footer_confirms_reads_and_unsubscribes(
    origin, open_page, smtp
):
    address = "hana.sato@example.com"
    page = open_page(blocked=LIVE_STREAMS)

    def subscribe_in_the_footer(page):
        page.goto(origin + "/")
        footer = page.locator("form.footer-subscribe")
        field = footer.get_by_label("Get breaking news from The Tokyo Ledger")
        field.fill(address)
        with page.expect_navigation():
            footer.get_by_role("button", name="Subscribe").click()
        expect(page.locator(".status-ok")).to_contain_text(
            f"Check your inbox: we sent an email to {address}."
        )

    subscribe_in_the_footer(page)
    confirmation = mail_to(smtp, address, "")
    assert Subscription.objects.get(subscriber__email=address).confirmed_at is None

    def confirm(page, link):
        page.goto(link)
        expect(
            page.get_by_text(f"Send news alerts from The Tokyo Ledger to {address}?")
        ).to_be_visible()
        with page.expect_navigation():
            page.get_by_role("button", name="Yes, send me news alerts").click()
        expect(page.locator(".status-ok")).to_have_text(
            f"Thank you: {address} will receive news alerts from The Tokyo Ledger."
        )

    confirm(page, link_in(smtp, confirmation, "/alerts/confirm/"))
    subscription = Subscription.objects.get(subscriber__email=address)
    assert subscription.confirmed_at is not None and subscription.breaking

    # An editor publishes a story, then ticks "Send as breaking alert" and publishes
    # again; the alert goes out at once (NEWSROOM_TASKS is "immediate" in tests).
    national = SectionPage.objects.get(slug="national", url_path__startswith="/ledger/")
    photo = NewsImage.objects.create(  # drawn as the demo's are, for the screenshot
        title="Commuters outside Shinjuku station",
        file=ImageFile(io.BytesIO(scene_jpeg("city", 7)), name="quake.jpg"),
        caption="Commuters wait outside Shinjuku station after services stopped.",
        agency="Harbour Wire",
        photographer="Aya Kudo",
    )
    article = publish_article(national, HEADLINE, slug="earthquake-tokyo", image=photo)
    article.standfirst = STANDFIRST
    request_breaking_alert(article, True)  # ticked, then saved as a draft
    article.save_revision().publish()
    alert = Alert.objects.get(kind=Alert.Kind.BREAKING, article=article)
    breaking = mail_to(smtp, address, HEADLINE)
    assert Delivery.objects.get(alert=alert).status == Delivery.Status.SENT
    html = breaking.get_body(preferencelist=("html",)).get_content()
    unsubscribe_link = link_in(smtp, breaking, "/alerts/unsubscribe/")

    def read_and_unsubscribe(page):
        page.set_content(html, wait_until="load")  # the photo comes from the site
        expect(page.get_by_role("link", name=HEADLINE)).to_be_visible()
        assert page.locator("img").evaluate("img => img.naturalWidth") > 0
        shoot(page, "alert-email")
        unsubscribe = page.get_by_role("link", name="Unsubscribe", exact=True)
        assert unsubscribe.get_attribute("href") == unsubscribe_link
        with page.expect_navigation():
            unsubscribe.click()
        expect(
            page.get_by_text(
                f"Stop sending breaking news emails from The Tokyo Ledger to {address}?"
            )
        ).to_be_visible()
        with page.expect_navigation():
            page.get_by_role("button", name="Unsubscribe").click()
        expect(page.locator(".status-ok")).to_have_text(
            f"Done: {address} will get no more breaking news emails from "
            "The Tokyo Ledger."
        )

    inbox = open_page(viewport={"width": 700, "height": 900}, blocked=LIVE_STREAMS)
    read_and_unsubscribe(inbox)
    assert not Subscription.objects.get(pk=subscription.pk).breaking
    assert len(smtp.to(address)) == 2  # the confirmation and the one alert


def test_a_signed_in_reader_subscribes_and_manages_alerts_on_both_sites(
    origin, open_page, make_reader, smtp
):
    reader = make_reader("Kenji Mori", verified=True)
    page = open_page(blocked=LIVE_STREAMS)

    def subscribe(page):
        page.goto(origin + "/accounts/login/?next=/alerts/subscribe/")
        page.get_by_label("Email or display name").fill("Kenji Mori")
        page.get_by_label("Password").fill(PASSWORD)
        with page.expect_navigation():
            page.locator(".entrance-login").get_by_role(
                "button", name="Sign in"
            ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "News alerts from The Tokyo Ledger"
        )
        form = page.locator("main form.subscribe-form")
        expect(form.get_by_label("Your email address")).to_have_value(reader.email)
        form.get_by_label("A daily digest of the top stories").check()
        form.get_by_label("Send the digest at").select_option(label="07:00")
        form.get_by_label("National", exact=True).check()
        form.get_by_label("Your time zone").select_option("Asia/Tokyo")
        shoot(page, "alerts-subscribe")
        with page.expect_navigation():
            form.get_by_role("button", name="Subscribe").click()
        # The reader's own verified address: subscribed at once, nothing to confirm.
        expect(page.locator(".status-ok")).to_have_text(
            f"Done: {reader.email} will get news alerts from The Tokyo Ledger."
        )

    subscribe(page)
    assert smtp.messages == []
    courier = Site.objects.get(hostname=COURIER)
    subscriptions.subscribe(reader.email, courier, user=reader, breaking=True)

    def manage(page):
        page.goto(origin + "/alerts/")
        rows = page.locator(".alert-subscription")
        expect(rows.locator("h2")).to_have_text(
            ["Kansai Evening Courier", "The Tokyo Ledger"]
        )
        ledger = rows.filter(has_text="The Tokyo Ledger")
        expect(ledger.get_by_label("A daily digest of the top stories")).to_be_checked()
        expect(ledger.get_by_label("National", exact=True)).to_be_checked()
        shoot(page, "alerts-manage")
        # Unsubscribing from one site leaves the other.
        with page.expect_navigation():
            rows.filter(has_text="Kansai Evening Courier").get_by_role(
                "button", name="Unsubscribe from Kansai Evening Courier"
            ).click()
        expect(page.locator(".messages")).to_have_text(
            "You will get no more alerts from Kansai Evening Courier."
        )

    manage(page)
    kept = Subscription.objects.get(subscriber__user=reader, site__hostname=LEDGER)
    gone = Subscription.objects.get(subscriber__user=reader, site=courier)
    assert (
        kept.breaking
        and kept.digest
        and list(kept.sections.all())
        == [SectionPage.objects.get(slug="national", url_path__startswith="/ledger/")]
    )
    assert not (gone.breaking or gone.digest)
