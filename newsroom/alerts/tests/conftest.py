"""Fixtures and helpers the alerts tests share: the two sites, subscribers set up as a
confirmation would leave them, breaking articles published as editors publish them,
and links in received emails followed back through a test client."""

import re
from urllib.parse import urlparse

import pytest
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from conftest import COURIER, LEDGER
from newsroom.news.models import ArticlePage, SectionPage

from ..models import Subscriber, Subscription


@pytest.fixture
def sites(network):
    return {
        "ledger": Site.objects.get(hostname=LEDGER),
        "courier": Site.objects.get(hostname=COURIER),
    }


def section(site, slug) -> SectionPage:
    return SectionPage.objects.descendant_of(site.root_page).get(slug=slug)


def subscribed(email, site, *, confirmed=True, time_zone="", sections=(), **options):
    """An address subscribed to `site` as a confirmed (or pending) double opt-in
    leaves it; `options` are the Subscription's fields (breaking, digest, …)."""
    subscriber, _created = Subscriber.objects.get_or_create(
        email=email, defaults={"time_zone": time_zone}
    )
    subscription = Subscription.objects.create(
        subscriber=subscriber,
        site=site,
        invited_at=timezone.now(),
        confirmed_at=timezone.now() if confirmed else None,
        **options,
    )
    subscription.sections.set(sections)
    return subscription


def publish_breaking(section_page, title, *, slug, breaking=True):
    """Write and publish an article with "send as breaking alert" ticked, by
    Wagtail's publish path as the editor's Publish button does."""
    lead = ArticlePage.objects.exclude(lead_image=None)[0].lead_image
    article = ArticlePage(
        title=title,
        slug=slug,
        standfirst=f"What to know about {title.lower()}.",
        lead_image=lead,
        body=[("paragraph", f"<p>Body of {title}.</p>")],
        send_breaking_alert=breaking,
    )
    section_page.add_child(instance=article)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def republish(article):
    article.title = article.title + " (updated)"
    article.save_revision().publish()


def client_for(url: str, **options) -> tuple[Client, str]:
    """A fresh browser (no cookies) for the host of `url`, and the URL's path."""
    parsed = urlparse(url)
    return Client(HTTP_HOST=parsed.netloc, **options), parsed.path


def link(smtp, message, fragment) -> str:
    """The one link in a message's text whose URL contains `fragment`."""
    [found] = {url for url in smtp.links(message) if fragment in url}
    return found


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def token_of(url: str) -> str:
    return urlparse(url).path.rstrip("/").split("/")[-1]


def list_unsubscribe(message) -> tuple[str, str]:
    """The (https-or-http URL, mailto) List-Unsubscribe offers."""
    found = re.findall(r"<([^>]+)>", str(message["List-Unsubscribe"]))
    web = [u for u in found if u.startswith(("http://", "https://"))]
    mail = [u for u in found if u.startswith("mailto:")]
    assert len(web) == 1 and len(mail) == 1, message["List-Unsubscribe"]
    return web[0], mail[0]
