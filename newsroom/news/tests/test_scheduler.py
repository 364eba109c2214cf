"""Scheduled publishing (news/scheduler.py): each page published whole, once."""

import pytest
from wagtail.models import PageLogEntry
from wagtail.signals import page_published

from newsroom.news.models import ArticlePage
from newsroom.news.scheduler import run_scheduled_publishing

from .factories import come_due, scheduled_article, section

pytestmark = pytest.mark.django_db

SCHEDULED = "wagtail.publish.scheduled"  # Wagtail's log action for it


class Interrupted(Exception):
    """The pass stopped in the middle of a publish (the process died)."""


def published(article) -> tuple[bool, bool, int]:
    """(live, still due, publish log entries) of an article."""
    article = ArticlePage.objects.get(pk=article.pk)
    return (
        article.live,
        article.revisions.filter(approved_go_live_at__isnull=False).exists(),
        PageLogEntry.objects.filter(page=article, action=SCHEDULED).count(),
    )


def test_a_pass_stopped_mid_publish_leaves_the_page_due_not_half_published(network):
    world = section("world")
    first = scheduled_article(world, "Ferry timetable agreed", slug="ferry")
    second = scheduled_article(world, "Harbour reopens", slug="harbour")
    come_due(first)
    come_due(second)

    # Wagtail has made the second page live and cleared its go-live time when
    # page_published's receivers run: the pass is stopped there.
    def interrupt(sender, instance, **kwargs):
        if instance.pk == second.pk:
            raise Interrupted

    page_published.connect(interrupt)
    try:
        with pytest.raises(Interrupted):
            run_scheduled_publishing()
    finally:
        page_published.disconnect(interrupt)

    assert published(first) == (True, False, 1)
    assert published(second) == (False, True, 0)  # untouched: still to publish

    run_scheduled_publishing()

    assert published(first) == (True, False, 1)  # not published again
    assert published(second) == (True, False, 1)
