"""The fault suite's small world, made inside a cluster's database:

    manage.py shell -c "from faults.world import build; build(30, 6, port=8080)"

prints JSON with the article readers comment on, the comments they vote on and
each reader's API token. Readers are verified, and the Ledger's limits and its
pause between a reader's comments are lifted, so that what the load meets is the
fault, not a rate limit.

The background jobs' scenarios add to it as they run: `subscribers` in bulk,
`breaking_news` for the task worker to send, `scheduled` articles for the
scheduler to publish.
"""

import json

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from newsroom.accounts.tests.factories import create_reader
from newsroom.alerts.breaking import request_breaking_alert
from newsroom.alerts.models import Alert, Subscriber, Subscription
from newsroom.alerts.tests.factories import publish_breaking
from newsroom.api.services import issue_token
from newsroom.comments import posting
from newsroom.comments.models import CommentSettings
from newsroom.demo.loader import load_demo_network
from newsroom.moderation.models import ModerationSettings
from newsroom.news.tests import network
from newsroom.news.tests.factories import (
    come_due,
    publish_article,
    scheduled_article,
    section,
)


@transaction.atomic
def build(readers: int, comments: int, *, port: int, slug: str = "fault-line") -> None:
    # The tests' small network (two sites, sections, authors, articles), on the
    # topology's public port.
    load_demo_network(port=port, content=network, draw_photo=network.small_photo)
    world = section("world", site="ledger")
    article = publish_article(world, "Fault line", slug=slug)
    rules = ModerationSettings.for_site(article.get_site())
    for field in ("comments", "votes"):
        setattr(rules, f"{field}_per_minute", 10_000)
        setattr(rules, f"{field}_per_hour", 100_000)
    rules.save()
    pace = CommentSettings.for_site(article.get_site())
    pace.min_interval_seconds = 0
    pace.save()
    people = [
        create_reader(f"Faultreader {n:03d}", email=f"fault{n:03d}@readers.invalid")
        for n in range(readers)
    ]
    # Written by readers who do not vote, so no vote is refused as one's own.
    writers = [
        create_reader(f"Faultwriter {n:03d}", email=f"writer{n:03d}@readers.invalid")
        for n in range(comments)
    ]
    targets = [
        posting.post_comment(page=article, author=writers[n], body=f"Vote on me, {n}.")
        for n in range(comments)
    ]
    print(  # noqa: T201 - the test reads it
        json.dumps(
            {
                "article_id": article.pk,
                "path": article.url_path.split("/", 2)[2],
                "comment_ids": [c.pk for c in targets],
                "readers": [
                    {"id": p.pk, "token": issue_token(p, "faults")[1]} for p in people
                ],
            }
        )
    )


# The background jobs' scenarios (test_worker_killed.py, test_scheduler_killed.py)


def subscribers(count: int, *, site: str, prefix: str) -> None:
    """`count` addresses subscribed to a site's breaking news and confirmed, as
    the double opt-in leaves them, written in bulk (thousands in a second):
    `{prefix}{n:04d}@subscribers.invalid`."""
    now = timezone.now()
    home = Site.objects.get(root_page__url_path=f"/{site}/")
    with transaction.atomic():
        people = Subscriber.objects.bulk_create(
            [
                Subscriber(email=f"{prefix}{n:04d}@subscribers.invalid")
                for n in range(count)
            ],
            batch_size=1000,
        )
        Subscription.objects.bulk_create(
            [
                Subscription(
                    subscriber=person, site=home, invited_at=now, confirmed_at=now
                )
                for person in people
            ],
            batch_size=1000,
        )


def breaking_news(slug: str) -> None:
    """Publish an article on the Ledger with "send as breaking alert" ticked, as
    an editor does; print the alert's id (JSON) for the test."""
    article = publish_breaking(section("world", site="ledger"), "Dam bursts", slug=slug)
    alert = Alert.objects.get(article=article, kind=Alert.Kind.BREAKING)
    print(json.dumps({"alert_id": alert.pk}))  # noqa: T201 - the test reads it


@transaction.atomic
def scheduled(count: int, *, site: str, prefix: str) -> None:
    """`count` articles an editor scheduled, each asking for a breaking alert,
    all coming due at once: print their ids (JSON) for the test.

    Each is written, published with a go-live time tomorrow (Wagtail keeps the
    time on the revision, approved_go_live_at) and its breaking alert requested;
    then the clock is moved as time passing would, and the transaction's commit
    hands them all to the scheduler's next pass together."""
    articles = []
    for n in range(count):
        article = scheduled_article(
            section("world", site=site), f"Scheduled {n}", slug=f"{prefix}-{n}"
        )
        request_breaking_alert(article, True)
        articles.append(article)
    for article in articles:
        come_due(article)
    print(json.dumps({"article_ids": [a.pk for a in articles]}))  # noqa: T201
