"""The "Send as breaking alert" switch on the article form, which alerts provides
and keeps in its own table: ticked on Publish it sends at once; ticked on a draft,
it sends when the article is published; either way once."""

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from newsroom.news.models import ArticlePage
from newsroom.news.tests.admin_forms import add_url, article_form, edit_form
from newsroom.news.tests.admin_forms import sign_in as editor_signed_in
from newsroom.news.tests.factories import come_due

from ..models import Alert, BreakingRequest
from .conftest import section
from .factories import subscribed

TICKED = {
    "option-send_breaking_alert-shown": "1",
    "option-send_breaking_alert-value": "on",
}
PUBLISH = {"action-publish": "Publish"}
SLUG = "council-approves-new-ferry-timetable"  # article_form's


@pytest.fixture
def editor(network):
    return editor_signed_in(Client(), "editor")


def edit_url(article) -> str:
    return f"/cms/pages/{article.pk}/edit/"


def test_ticked_on_publish_the_alert_goes_out_once(
    editor, smtp, sites, django_capture_on_commit_callbacks
):
    subscribed("ines@example.org", sites["ledger"])
    world = section(sites["ledger"], "world")
    form = editor.get(add_url(world)).content.decode()
    assert 'name="option-send_breaking_alert-value"' in form
    assert "Send as breaking alert" in form

    with django_capture_on_commit_callbacks(execute=True):
        created = editor.post(add_url(world), article_form(**TICKED, **PUBLISH))
    article = ArticlePage.objects.get(slug=SLUG)
    with django_capture_on_commit_callbacks(execute=True):
        again = editor.post(edit_url(article), edit_form(article, **TICKED, **PUBLISH))

    assert (created.status_code, again.status_code) == (302, 302)
    alert = Alert.objects.get()
    assert (alert.kind, alert.article_id, alert.recipients) == (
        "breaking",
        article.pk,
        1,
    )
    assert [m["To"] for m in smtp.messages] == ["ines@example.org"]


def test_ticked_on_a_draft_it_waits_for_the_publish(
    editor, smtp, sites, django_capture_on_commit_callbacks
):
    subscribed("ines@example.org", sites["ledger"])
    world = section(sites["ledger"], "world")

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(add_url(world), article_form(**TICKED))
    article = ArticlePage.objects.get(slug=SLUG)
    assert not article.live and BreakingRequest.objects.filter(article=article).exists()
    assert not Alert.objects.exists() and smtp.messages == []

    with django_capture_on_commit_callbacks(execute=True):
        article.get_latest_revision().publish()  # as scheduled publishing does

    assert Alert.objects.get().article_id == article.pk
    assert [m["To"] for m in smtp.messages] == ["ines@example.org"]


def test_unticked_before_publishing_nothing_is_sent(
    editor, smtp, sites, django_capture_on_commit_callbacks
):
    subscribed("ines@example.org", sites["ledger"])
    world = section(sites["ledger"], "world")
    editor.post(add_url(world), article_form(**TICKED))
    article = ArticlePage.objects.get(slug=SLUG)

    with django_capture_on_commit_callbacks(execute=True):
        published = editor.post(
            edit_url(article),
            edit_form(article, **{"option-send_breaking_alert-shown": "1"}, **PUBLISH),
        )

    assert published.status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).live
    assert not Alert.objects.exists() and smtp.messages == []


def test_a_writer_cannot_send_it_by_pressing_publish(
    network, smtp, sites, django_capture_on_commit_callbacks
):
    """Wagtail saves a draft when the editor may not publish: nothing goes out."""
    subscribed("ines@example.org", sites["ledger"])
    live = ArticlePage.objects.live().filter(url_path__startswith="/ledger/").first()
    writer = editor_signed_in(Client(), "writer")

    with django_capture_on_commit_callbacks(execute=True):
        saved = writer.post(edit_url(live), edit_form(live, **TICKED, **PUBLISH))

    assert saved.status_code == 302
    assert not Alert.objects.exists() and smtp.messages == []


def test_a_scheduled_publish_sends_it_when_the_article_goes_live(
    editor, smtp, sites, django_capture_on_commit_callbacks
):
    subscribed("ines@example.org", sites["ledger"])
    world = section(sites["ledger"], "world")
    later = timezone.localtime(timezone.now() + datetime.timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            add_url(world),
            article_form(
                go_live_at=later.strftime("%Y-%m-%d %H:%M"), **TICKED, **PUBLISH
            ),
        )
    article = ArticlePage.objects.get(slug=SLUG)
    assert not article.live and not Alert.objects.exists()

    come_due(article)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once")  # the pass at go-live

    assert ArticlePage.objects.get(pk=article.pk).live
    assert Alert.objects.get().article_id == article.pk
    assert [m["To"] for m in smtp.messages] == ["ines@example.org"]


def test_a_requested_draft_scheduled_for_later_waits_for_its_go_live(
    editor, smtp, sites, django_capture_on_commit_callbacks
):
    subscribed("ines@example.org", sites["ledger"])
    world = section(sites["ledger"], "world")
    editor.post(add_url(world), article_form(**TICKED))  # a draft, alert requested
    article = ArticlePage.objects.get(slug=SLUG)
    later = timezone.localtime(timezone.now() + datetime.timedelta(hours=2))

    with django_capture_on_commit_callbacks(execute=True):
        scheduled = editor.post(
            edit_url(article),
            edit_form(article, go_live_at=later.strftime("%Y-%m-%d %H:%M"), **PUBLISH),
        )

    assert scheduled.status_code == 302
    assert not ArticlePage.objects.get(pk=article.pk).live
    assert not Alert.objects.exists() and smtp.messages == []

    come_due(article)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once")

    assert Alert.objects.get().article_id == article.pk
    assert [m["To"] for m in smtp.messages] == ["ines@example.org"]
