"""Importing a Disqus or WordPress export: threads find their articles, comments keep
their time, order and authors, quoted passages become quotes, and a second run adds
nothing. The sample exports under data/ are small, made up, and written as the two
services write theirs."""

import datetime
import io
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from wagtail.models import Site

from conftest import LEDGER
from newsroom.comments.models import Comment, Quote, Thread
from newsroom.news.models import ArticlePage
from newsroom.news.tests import factories
from newsroom.news.tests.helpers import visible_text

from .. import importer
from ..models import ImportedAuthor, ImportedComment, ImportedThread

DATA = Path(__file__).parent / "data"
OLD_HOST = "tokyoledger.example"  # where the Ledger's articles lived before


def import_file(name, *options) -> str:
    out = io.StringIO()
    call_command(
        "import_comments",
        str(DATA / name),
        "--site",
        LEDGER,
        "--hostname",
        OLD_HOST,
        *options,
        stdout=out,
    )
    return out.getvalue()


def thread_of(page) -> list[tuple]:
    return [
        (c.imported.source_id, c.author.get_username() if c.author else None, c.status)
        for c in Comment.objects.filter(thread__page=page)
        .select_related("author", "imported")
        .order_by("created_at", "pk")
    ]


@pytest.fixture
def ferry(network):
    return factories.article(
        "Ferry crews and operators return to the table", slug="ferry-strike-talks"
    )


@pytest.fixture
def festival(network):
    return factories.article(
        "Harbour lights festival draws record crowds", slug="harbour-lights-festival"
    )


def test_a_disqus_export_lands_in_its_articles_as_if_written_here(
    ferry, festival, make_reader, smtp, ledger
):
    kenji = make_reader("Kenji", email="kenji.m@ekimail.jp")

    report = import_file("disqus.xml")

    assert "Threads matched to articles: 2; archive stubs made: 0; unmatched: 1." in (
        report
    )
    assert "8003  https://tokyoledger.example/2014/03/old-tram-line-reopens/  1" in (
        report
    )
    # Every comment of the file is accounted for: imported, or left out with why.
    assert "Disqus export: 3 threads, 9 comments." in report
    assert "Comments that were imported: 6 " in report
    assert "spam 1; deleted without replies 1; in unmatched threads 1;" in report
    assert "  9003: marked as spam\n  9006: deleted, and nobody replied to it\n" in (
        report
    )
    # Oldest first whatever the file's order; spam and an unanswered deletion left
    # out; an answered deletion keeps its place; an anonymous guest stays a guest.
    assert thread_of(ferry) == [
        ("9001", "Ayumi S.", "published"),
        ("9002", "Kenji", "published"),
        ("9004", "Kenji", "deleted"),
        ("9005", "Harbour Walker", "published"),
        ("9007", "Mei T", "published"),
    ]
    assert thread_of(festival) == [("9101", "Ayumi S.", "published")]
    first = Comment.objects.get(imported__source_id="9001")
    assert first.created_at == datetime.datetime(2019, 5, 2, 9, 15, tzinfo=datetime.UTC)
    # The same address is one imported profile, in both threads; none can sign in.
    ayumi = ImportedAuthor.objects.get(email="ayumi.sato@ekimail.jp")
    assert first.author == ayumi.user and not ayumi.user.has_usable_password()
    assert ImportedAuthor.objects.get(original_name="Harbour Walker").email == ""

    reply = Comment.objects.get(imported__source_id="9002")
    kinds = [next(iter(segment)) for segment in reply.segments]
    assert kinds == ["text", "quote", "text"]
    assert reply.segments[1]["quote"]["id"] == first.pk
    assert reply.segments[1]["quote"]["author"] == "Ayumi S."
    assert Quote.objects.filter(comment=reply, source=first).exists()
    first.refresh_from_db()
    assert first.reply_count == 1
    # A quote of the article, not of a comment, stays a plain quote block.
    outside = Comment.objects.get(imported__source_id="9007")
    assert [next(iter(segment)) for segment in outside.segments] == ["excerpt", "text"]
    assert Thread.objects.get(page=ferry).comment_count == 4

    page = visible_text(ledger.get(ferry.url))
    assert "Ayumi S." in page and "1 reply" in page
    assert "Talks will resume on Thursday at the ministry." in page
    assert "the operator's page (https://ferries.example/timetable)" in page
    assert "{{ request.user }}" in page  # text, never template syntax
    html = ledger.get(ferry.url).content.decode()
    assert 'href="https://ferries.example/timetable"' in html
    assert 'alert("x")' not in html
    assert smtp.messages == []  # nobody is emailed because of an import
    assert kenji.comments.count() == 2


def test_the_same_file_again_adds_nothing(ferry, festival):
    import_file("disqus.xml")
    counts = (
        Comment.objects.count(),
        Quote.objects.count(),
        ImportedAuthor.objects.count(),
    )

    again = import_file("disqus.xml")

    assert "imported before: 6" in again
    assert "Comments that were imported: 0" in again
    assert (
        Comment.objects.count(),
        Quote.objects.count(),
        ImportedAuthor.objects.count(),
    ) == counts


def test_a_dry_run_reports_the_same_and_writes_nothing(ferry, festival, make_reader):
    make_reader("Kenji", email="kenji.m@ekimail.jp")
    before = Comment.objects.count()

    dry = import_file("disqus.xml", "--dry-run")

    assert Comment.objects.count() == before
    assert (
        not ImportedAuthor.objects.exists()
        and not Thread.objects.filter(page=ferry).exists()
    )
    real = import_file("disqus.xml")
    assert dry.startswith("Dry run: nothing was written.\n")
    # Line for line what the real run did, in the conditional.
    assert (
        dry.split("\n", 1)[1].replace("would be", "were").replace("to make", "made")
        == real
    )
    assert "Authors: existing accounts 1; new imported profiles 2; anonymous 1." in real
    assert "Quotes recognised: 1; quote blocks of other text: 1." in real


def test_an_interrupted_import_continues_where_it_stopped(ferry, festival, monkeypatch):
    monkeypatch.setattr(importer, "PROGRESS_SECONDS", 0)
    site = Site.objects.get(hostname=LEDGER)

    def stop_after_the_first_thread(stage, done, total, elapsed):
        if stage == "import" and done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        importer.run(
            DATA / "disqus.xml",
            site,
            hostnames=[OLD_HOST],
            progress=stop_after_the_first_thread,
        )
    assert len(thread_of(ferry)) == 5 and thread_of(festival) == []

    report = importer.run(DATA / "disqus.xml", site, hostnames=[OLD_HOST])

    assert (report.already, report.imported) == (5, 1)
    assert len(thread_of(ferry)) == 5 and len(thread_of(festival)) == 1
    assert ImportedComment.objects.count() == 6


def test_a_wordpress_export_brings_its_posts_as_archive_stubs(ferry):
    report = import_file("wordpress.xml", "--stubs-into", "world")

    assert "Threads matched to articles: 1; archive stubs made: 1; unmatched: 0." in (
        report
    )
    assert thread_of(ferry) == [
        ("501", "Ayumi S.", "published"),
        ("502", "Kenji M", "published"),
        ("503", "Waiting Reader", "pending"),
    ]
    reply = Comment.objects.get(imported__source_id="502")
    assert reply.segments[0]["quote"]["raw"] == "The crews want a fixed rota"
    assert reply.segments[1]["text"]["raw"] == "They said the same last spring."
    assert "Left out: spam 1; deleted without replies 1;" in report
    assert "pingbacks and trackbacks 1." in report
    assert "  505: a pingback or trackback\n" in report

    stub = ArticlePage.objects.get(
        pk=ImportedThread.objects.get(source_id="102").page_id
    )
    assert stub.live and stub.slug == "night-market-returns"
    assert stub.get_parent().slug == "world"  # its category
    assert stub.first_published_at == datetime.datetime(
        2016, 7, 15, 11, 0, tzinfo=datetime.UTC
    )
    assert (
        stub.standfirst
        == "The night market is back in the rail yard after seven years."
    )
    assert [a.author.name for a in stub.article_authors.all()] == ["Hana Nakamura"]
    assert thread_of(stub) == [("601", "Ayumi S.", "published")]

    import_file("wordpress.xml", "--stubs-into", "world")
    assert ArticlePage.objects.filter(slug__startswith="night-market").count() == 1


@pytest.mark.parametrize(
    "target",
    [
        "{pk}",
        "world/harbour-lights-festival",
        f"https://{LEDGER}/world/harbour-lights-festival",
    ],
)
def test_a_map_names_the_article_of_a_thread_its_address_cannot_find(
    ferry, festival, tmp_path, target
):
    mapping = tmp_path / "map.csv"
    target = target.format(pk=festival.pk)  # a page id, a path or an address
    mapping.write_text(f"source,target\nledger-old-tram-line,{target}\n")

    report = import_file("disqus.xml", "--map", str(mapping))

    assert "unmatched: 0." in report
    assert [row[0] for row in thread_of(festival)] == ["9201", "9101"]
    # That thread was closed on the old site: it is closed here too.
    assert "closed here too: 1." in report
    assert Thread.objects.get(page=festival).closed


def test_a_reader_who_verifies_the_address_claims_the_history(
    ferry, festival, ledger, smtp, make_reader
):
    import_file("disqus.xml")
    placeholder = ImportedAuthor.objects.get(email="ayumi.sato@ekimail.jp").user
    reader = make_reader("Ayumi")
    ledger.force_login(reader)

    ledger.post(
        "/accounts/email/", {"email": "ayumi.sato@ekimail.jp", "action_add": ""}
    )
    assert reader.comments.count() == 0  # not before the address is proven
    [message] = smtp.to("ayumi.sato@ekimail.jp")
    [link] = [link for link in smtp.links(message) if "/confirm-email/" in link]
    ledger.post(urlparse(link).path)

    assert sorted(reader.comments.values_list("imported__source_id", flat=True)) == [
        "9001",
        "9101",
    ]
    quote = Comment.objects.get(imported__source_id="9002").segments[1]["quote"]
    assert (quote["author"], quote["author_id"]) == ("Ayumi", reader.pk)
    assert not type(reader).objects.filter(pk=placeholder.pk).exists()
