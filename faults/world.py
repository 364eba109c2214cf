"""The fault suite's small world, made inside a cluster's database:

    manage.py shell -c "from faults.world import build; build(30, 6, port=8080)"

prints JSON with the article readers comment on, the comments they vote on and
each reader's API token. Readers are verified, and the Ledger's limits and its
pause between a reader's comments are lifted, so that what the load meets is the
fault, not a rate limit.
"""

import json

from django.db import transaction

from newsroom.accounts.tests.factories import create_reader
from newsroom.api.services import issue_token
from newsroom.comments import posting
from newsroom.comments.models import CommentSettings
from newsroom.demo.loader import load_demo_network
from newsroom.moderation.models import ModerationSettings
from newsroom.news.tests import network
from newsroom.news.tests.factories import publish_article, section


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
    targets = [
        posting.post_comment(page=article, author=people[n], body=f"Vote on me, {n}.")
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
