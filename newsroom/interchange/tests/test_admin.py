"""Editors import an export from the admin: a dry run first, then the import for
real, each run by the task worker with its progress and report on a page."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail.models import Site

from conftest import LEDGER
from newsroom.comments.models import Comment
from newsroom.news.tests import factories
from newsroom.news.tests.admin_forms import sign_in
from newsroom.news.tests.helpers import visible_text

from ..models import ImportedComment, ImportJob
from .test_import import DATA


@pytest.fixture
def editor(network):
    factories.article(
        "Ferry crews and operators return to the table", slug="ferry-strike-talks"
    )
    return sign_in(Client(), "editor")


def upload(name="disqus.xml", content=None):
    content = content if content is not None else (DATA / name).read_bytes()
    return SimpleUploadedFile(name, content, content_type="text/xml")


def start(client, *, dry_run, export=None, **fields):
    form = {
        "export": export or upload(),
        "site": Site.objects.get(hostname=LEDGER).pk,
        "hostnames": "www.tokyoledger.example",
        **({"dry_run": "on"} if dry_run else {}),
        **fields,
    }
    return client.post("/cms/imports/", form, follow=True)


def test_an_editor_tries_an_export_then_imports_it(editor):
    before = Comment.objects.count()

    tried = start(editor, dry_run=True)

    text = visible_text(tried)
    assert "What the import would do" in text
    assert "Threads matched to articles: 1; archive stubs to make: 0; unmatched: 2" in (
        text
    )
    assert Comment.objects.count() == before
    dry = ImportJob.objects.get()
    assert dry.status == "done" and dry.started_by.get_username() == "editor"

    imported = editor.post(f"/cms/imports/{dry.pk}/", follow=True)

    assert "What was imported" in visible_text(imported)
    assert ImportedComment.objects.count() == 5
    # Imported: the upload is not kept in the data directory any longer.
    real = ImportJob.objects.exclude(pk=dry.pk).get()
    assert (real.dry_run, real.status) == (False, "done")
    assert not Path(real.path).exists()
    listing = visible_text(editor.get("/cms/imports/"))
    assert "disqus.xml" in listing and "Dry run" in listing


def test_a_refused_file_shows_why_on_its_page(editor):
    page = start(
        editor,
        dry_run=False,
        export=upload("bad.xml", b"<disqus><thread dsq:id='1'></disqus>"),
    )

    assert "Failed" in visible_text(page)
    assert "not well-formed XML" in visible_text(page)
    assert not ImportedComment.objects.exists()


def test_an_upload_over_the_limit_is_refused_unread(editor, settings):
    settings.NEWSROOM_IMPORT_MAX_BYTES = 1000

    page = start(editor, dry_run=True)

    assert "That file is larger than the 1000 bytes an upload may be." in (
        visible_text(page)
    )
    assert "manage.py import_comments" in visible_text(page)
    assert not ImportJob.objects.exists()


def test_a_reader_or_writer_may_not_import(network, make_reader):
    writer = sign_in(Client(), "writer")
    assert writer.get("/cms/imports/").status_code in (302, 403)
    reader = Client()
    reader.force_login(make_reader("Kenji"))
    assert reader.get("/cms/imports/").status_code == 302  # to the admin's sign-in


def test_a_running_import_shows_its_progress_and_refreshes(editor):
    job = ImportJob.objects.create(
        site=Site.objects.get(hostname=LEDGER),
        file_name="big-export.xml",
        path="/nonexistent",
        dry_run=False,
        status=ImportJob.Status.RUNNING,
        stage="import",
        done=250,
        total=1000,
    )

    page = editor.get(f"/cms/imports/{job.pk}/")

    html = page.content.decode()
    assert '<progress max="100" value="25"' in html
    assert "250 of 1000 comments. This page updates itself." in visible_text(page)
    assert '<meta http-equiv="refresh" content="2">' in html
