"""`kill -9` of the scheduler in the middle of a pass that publishes scheduled
articles, each asking for a breaking alert, then a restart.

What holds it together (newsroom/news/scheduler.py): each page is published in a
transaction of its own (made live, its go-live time cleared, its log entry and
its breaking alert written), the alert guarded by a constraint
(one_breaking_alert_per_article); an alert recorded while its send was never
queued is restarted by a later pass (alerts' `resume_stalled`). So a killed pass
leaves each article either published with its alert, or still due. (Wagtail's own
`publish_scheduled` commits those writes one by one: this scenario once found an
article live without its publish in the log.)
"""

import collections
import json
import time

import requests

from faults.outcomes import rows, wait_until
from newsroom.demo.server import manage

ARTICLES = 30
KILL_AT = 8  # articles live when the scheduler is killed
SUBSCRIBERS = 3  # the Courier's breaking-news subscribers, so each alert is mailed


def live(database_url: str, ids: list[int]) -> int:
    [(count,)] = rows(
        database_url,
        "SELECT count(*) FROM wagtailcore_page WHERE id = ANY(%s) AND live",
        [ids],
    )
    return count


def finished_alerts(database_url: str, ids: list[int]) -> int:
    [(count,)] = rows(
        database_url,
        "SELECT count(*) FROM alerts_alert WHERE article_id = ANY(%s) "
        "AND finished_at IS NOT NULL",
        [ids],
    )
    return count


def per_article(database_url: str, query: str, ids: list[int]) -> dict:
    """{article id: n} from a query of (id, n) rows, every article present."""
    return dict.fromkeys(ids, 0) | dict(rows(database_url, query, [ids]))


def test_a_killed_scheduler_publishes_each_article_once(cluster, mail_server):
    database = cluster.topology.database_url
    # An editor scheduled them all for the same minute, which has come.
    made = manage(
        "shell",
        "-c",
        "from faults.world import subscribers, scheduled; "
        f"subscribers({SUBSCRIBERS}, site='courier', prefix='courier'); "
        f"scheduled({ARTICLES}, site='courier', prefix='due')",
        env=cluster.env,
    )
    ids = json.loads(made.stdout.strip().splitlines()[-1])["article_ids"]
    try:
        wait_until(
            lambda: live(database, ids) >= KILL_AT,
            timeout=120,
            what=f"{KILL_AT} articles live",
        )
        cluster.kill("scheduler")
        killed_at = time.monotonic()
        live_at_kill = live(database, ids)
        [(alerts_at_kill,)] = rows(
            database,
            "SELECT count(*) FROM alerts_alert WHERE article_id = ANY(%s)",
            [ids],
        )
    finally:
        cluster.start("scheduler")
    # Killed mid-pass: some published, the rest still due.
    assert KILL_AT <= live_at_kill < ARTICLES
    wait_until(
        lambda: (
            live(database, ids) == ARTICLES
            and finished_alerts(database, ids) == ARTICLES
        ),
        timeout=120,
        what="every article live and its alert sent",
    )
    recovered_in = time.monotonic() - killed_at

    # Each article was published once: one publish in its history, its one
    # revision live, nothing left scheduled, and one alert.
    publishes = per_article(
        database,
        # Wagtail's log: "wagtail.publish.schedule" when the editor scheduled,
        # "wagtail.publish.scheduled" when the scheduler published.
        "SELECT page_id, count(*) FROM wagtailcore_pagelogentry "
        "WHERE page_id = ANY(%s) "
        "AND action IN ('wagtail.publish', 'wagtail.publish.scheduled') "
        "GROUP BY page_id",
        ids,
    )
    assert publishes == dict.fromkeys(ids, 1)
    revisions = {
        pk: (revision_ids == [live_revision], scheduled)
        for pk, live_revision, revision_ids, scheduled in rows(
            database,
            "SELECT page.id, page.live_revision_id, array_agg(revision.id), "
            "count(revision.approved_go_live_at) FROM wagtailcore_page page "
            "JOIN wagtailcore_revision revision "
            "ON revision.object_id = page.id::text "
            "AND revision.content_type_id = page.content_type_id "
            "WHERE page.id = ANY(%s) GROUP BY page.id",
            [ids],
        )
    }
    assert revisions == dict.fromkeys(ids, (True, 0))
    alerts = per_article(
        database,
        "SELECT article_id, count(*) FROM alerts_alert "
        "WHERE article_id = ANY(%s) GROUP BY article_id",
        ids,
    )
    assert alerts == dict.fromkeys(ids, 1)

    # What readers saw: every article on the Courier, through the cache...
    answers = collections.Counter(
        requests.get(
            cluster.url(f"/world/due-{n}/"),
            headers={"Host": "courier.localhost"},
            timeout=30,
        ).status_code
        for n in range(ARTICLES)
    )
    assert answers == {200: ARTICLES}
    # ...and in each subscriber's mailbox, each alert once.
    alert_ids = [
        pk
        for (pk,) in rows(
            database, "SELECT id FROM alerts_alert WHERE article_id = ANY(%s)", [ids]
        )
    ]
    mailbox = collections.Counter()
    for pk in alert_ids:
        for recipient, message_ids in mail_server.copies(f"<alert-{pk}.").items():
            mailbox[recipient] += len(message_ids)
    assert mailbox == {
        f"courier{n:04d}@subscribers.invalid": ARTICLES for n in range(SUBSCRIBERS)
    }
    print(  # noqa: T201 - what readers saw, in the log
        f"\nscheduler killed with {live_at_kill} of {ARTICLES} scheduled articles "
        f"live ({alerts_at_kill} alerts recorded); all live {recovered_in:.1f} s "
        f"later, each published once with one alert; {SUBSCRIBERS} subscribers "
        f"got {ARTICLES} alerts each, no copies; readers got {dict(answers)}"
    )
