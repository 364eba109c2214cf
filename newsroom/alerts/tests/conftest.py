"""Fixtures and helpers the alerts tests share: the two sites, their sections, and
links in received emails followed back through a test client (subscribers and
breaking articles come from factories)."""

import re
from urllib.parse import urlparse

import pytest
from django.test import Client
from wagtail.models import Site

from conftest import COURIER, LEDGER
from newsroom.news.models import SectionPage


@pytest.fixture
def sites(network):
    return {
        "ledger": Site.objects.get(hostname=LEDGER),
        "courier": Site.objects.get(hostname=COURIER),
    }


def section(site, slug) -> SectionPage:
    return SectionPage.objects.descendant_of(site.root_page).get(slug=slug)


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
