"""Readers, moderators and site rules for moderation tests, set as editors set them."""

import re
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, TestCase

from conftest import LEDGER
from newsroom.accounts.tests.helpers import PASSWORD, create_reader, sign_in
from newsroom.comments.models import CommentSettings
from newsroom.news.tests.helpers import demo_article, visible_text

from .. import services
from ..models import MODERATORS_GROUP, ModerationSettings

# Rate limits and the repeat check stay out of the way unless a test sets them.
QUIET = {
    "comments_per_minute": 0,
    "comments_per_hour": 0,
    "votes_per_minute": 0,
    "votes_per_hour": 0,
    "reports_per_minute": 0,
    "reports_per_hour": 0,
    "repeat_window_minutes": 0,
}


def an_article(site="ledger"):
    return demo_article(lambda spec: True, site=site)[1]


def another_article():
    """A second Ledger article, for rules that span articles."""
    return demo_article(lambda spec: spec["headline"].startswith("Tanker"))[1]


def set_rules(article, **values):
    """Write the article's site rules: `QUIET` plus `values`, the rest as default.

    The comments app's own interval between posts is off: tests post quickly."""
    site = article.get_site()
    CommentSettings.objects.update_or_create(
        site=site, defaults={"min_interval_seconds": 0}
    )
    ModerationSettings.objects.update_or_create(site=site, defaults={**QUIET, **values})


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


def a_moderator(name="Moderator Ada"):
    user = get_user_model().objects.create_user(username=name, password=PASSWORD)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    return user


def sanction(reader, moderator, **options):
    """Sanction through the service, its commit callbacks run as after a request."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.sanction(reader, moderator, **options)


def post(client, article, body, **data):
    return client.post(f"/comments/on/{article.pk}/post/", {"body": body, **data})


def post_from(client, article, body, address):
    return client.post(
        f"/comments/on/{article.pk}/post/", {"body": body}, REMOTE_ADDR=address
    )


def edit(client, comment, body, **data):
    return client.post(f"/comments/{comment.pk}/edit/", {"body": body, **data})


def vote(client, comment, value="up"):
    return client.post(f"/comments/{comment.pk}/vote/", {"value": value})


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


def steady_window(window: int = 60, margin: int = 8) -> None:
    """Wait for a fresh rate-limit window (a minute, an hour) when this one is
    nearly over.

    Rate limits count in fixed windows; a burst that straddled a window boundary
    would be counted in two windows and might never reach the limit."""
    if time.time() % window > window - margin:
        time.sleep(window - time.time() % window + 0.1)
