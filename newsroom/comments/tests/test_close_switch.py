"""The "Close comments" switch on an article's edit form: comments provides it and
keeps it on the Thread, so it works on save, without publishing the article."""

import re

import pytest
from django.test import Client

from newsroom.accounts.tests.helpers import sign_in
from newsroom.news.tests.admin_forms import edit_form
from newsroom.news.tests.admin_forms import sign_in as editor_signed_in
from newsroom.news.tests.helpers import visible_text

from ..models import Thread
from .helpers import post

CLOSED = "Comments on this article are closed."
SHOWN = "option-comments_closed-shown"
TICKED = "option-comments_closed-value"


def edit(client, article, **fields):
    return client.post(f"/cms/pages/{article.pk}/edit/", edit_form(article, **fields))


def checkbox(response) -> str:
    """The switch's <input> tag on the edit form."""
    found = re.search(rf'<input[^>]*name="{TICKED}"[^>]*>', response.content.decode())
    assert found, "the edit form shows no Close comments switch"
    return found.group(0)


@pytest.fixture
def editor(network):
    return editor_signed_in(Client(), "editor")


def test_an_editor_closes_and_reopens_comments_by_saving_a_draft(
    editor, ledger, article, make_reader
):
    form = editor.get(f"/cms/pages/{article.pk}/edit/")
    assert "checked" not in checkbox(form) and b"Close comments" in form.content

    closed = edit(editor, article, **{SHOWN: "1", TICKED: "on"})
    make_reader("Kenji")
    sign_in(ledger, "Kenji")
    refused = post(ledger, article, "Is it still open?")

    assert closed.status_code == 302, closed.content[:2000]
    assert Thread.objects.get(page=article).closed
    assert CLOSED in visible_text(ledger.get(article.url))
    assert refused.status_code == 400 and CLOSED in refused.content.decode()
    assert "checked" in checkbox(editor.get(f"/cms/pages/{article.pk}/edit/"))

    reopened = edit(editor, article, **{SHOWN: "1"})  # the box left unticked

    assert reopened.status_code == 302
    assert not Thread.objects.get(page=article).closed
    assert post(ledger, article, "Open again.").status_code == 302


def test_a_form_that_fails_to_save_closes_nothing(editor, article):
    refused = edit(editor, article, title="", **{SHOWN: "1", TICKED: "on"})

    assert refused.status_code == 200
    assert b"This field is required" in refused.content
    assert not Thread.objects.filter(page=article, closed=True).exists()


def test_a_form_without_the_switch_leaves_it_alone(editor, article):
    edit(editor, article, **{SHOWN: "1", TICKED: "on"})

    saved = edit(editor, article)  # a client that never showed the switch

    assert saved.status_code == 302
    assert Thread.objects.get(page=article).closed


def test_a_writer_sees_the_switch_locked_and_cannot_close(network, article):
    writer = editor_signed_in(Client(), "writer")

    form = writer.get(f"/cms/pages/{article.pk}/edit/")
    saved = edit(writer, article, **{SHOWN: "1", TICKED: "on"})

    assert "disabled" in checkbox(form)
    assert b"Only an editor who may publish this page can change this." in form.content
    assert saved.status_code == 302
    assert not Thread.objects.filter(page=article, closed=True).exists()


def test_wagtails_autosave_changes_nothing(editor, article):
    autosaved = editor.post(
        f"/cms/pages/{article.pk}/edit/",
        edit_form(article, **{SHOWN: "1", TICKED: "on"}),
        HTTP_ACCEPT="application/json",
    )

    assert autosaved.status_code == 200
    assert not Thread.objects.filter(page=article, closed=True).exists()
