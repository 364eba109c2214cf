"""Readers signed in, and what they do on an article's page, for moderation tests."""

import re

from django.test import Client

from conftest import LEDGER
from newsroom.accounts.tests.factories import create_reader
from newsroom.accounts.tests.helpers import sign_in
from newsroom.news.tests.helpers import demo_article, visible_text


def another_article():
    """A second Ledger article, for rules that span articles."""
    return demo_article(lambda spec: spec["headline"].startswith("Tanker"))[1]


def signed_in(name, *, host=LEDGER, verified=True, **client_options):
    """A new reader and a browser signed in as them through the sign-in page."""
    reader = create_reader(name, verified=verified)
    return reader, browser_for(name, host=host, **client_options)


def browser_for(name, *, host=LEDGER, **client_options):
    """A browser signed in as an existing reader on `host`, through the sign-in
    page (with its CSRF token, so it also works where checks are enforced)."""
    client = Client(HTTP_HOST=host, **client_options)
    token = csrf_token(client.get("/accounts/login/").content.decode())
    sign_in(client, name, csrfmiddlewaretoken=token)
    return client


HTMX = {"HTTP_HX_REQUEST": "true"}  # the header htmx sends with its requests


def post(client, article, body, *, htmx=False, **data):
    """Post a comment from the article's page, as a form or (`htmx`) by htmx."""
    return client.post(
        f"/comments/on/{article.pk}/post/",
        {"body": body, **data},
        **(HTMX if htmx else {}),
    )


def post_from(client, article, body, address):
    return client.post(
        f"/comments/on/{article.pk}/post/", {"body": body}, REMOTE_ADDR=address
    )


def edit(client, comment, body, **data):
    return client.post(f"/comments/{comment.pk}/edit/", {"body": body, **data})


def vote(client, comment, value="up", *, htmx=False):
    return client.post(
        f"/comments/{comment.pk}/vote/", {"value": value}, **(HTMX if htmx else {})
    )


def report(client, comment, reason="spam", note=""):
    return client.post(
        f"/comments/{comment.pk}/report/", {"reason": reason, "note": note}
    )


def article_html(client, article) -> str:
    return client.get(article.url).content.decode()


def article_text(client, article) -> str:
    return visible_text(client.get(article.url))


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
