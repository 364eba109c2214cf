"""Exporting discussions: a site's threads go out as a Disqus or WordPress file that
Newsroom's own import reads back into the same threads, quotes and authors, and no
comment's text can break the file."""

import datetime
import io
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from wagtail.models import Site

from conftest import LEDGER
from newsroom.comments import history, render
from newsroom.comments.models import Comment, Quote, Thread
from newsroom.comments.posting import build_segments
from newsroom.comments.services import thread_for
from newsroom.news.tests import factories

from .. import exporter, markup, sources
from ..models import ImportedAuthor, ImportedComment, ImportedThread, Source

DATA = Path(__file__).parent / "data"
OLD_HOST = "tokyoledger.example"


def import_file(path, *options) -> str:
    out = io.StringIO()
    call_command("import_comments", str(path), "--site", LEDGER, *options, stdout=out)
    return out.getvalue()


def export(tmp_path, format) -> Path:
    path = tmp_path / f"export.{format}.xml"
    call_command(
        "export_comments",
        "--format",
        format,
        "--site",
        LEDGER,
        "--output",
        str(path),
        stderr=io.StringIO(),
    )
    return path


def discussions(statuses=Comment.Status.values) -> dict:
    """Every thread as readers and editors see it: per page, its comments in order
    (author, status, time, own words, the quotes' authors and passages, and which
    earlier comment each quotes and how many replies it has)."""
    found = {}
    for thread in Thread.objects.order_by("page_id"):
        comments = list(
            thread.comments.filter(status__in=statuses)
            .select_related("author")
            .order_by("created_at", "pk")
        )
        position = {comment.pk: index for index, comment in enumerate(comments)}
        found[thread.page_id] = [
            (
                comment.author.get_username(),
                comment.status,
                comment.created_at,
                render.own_words(comment.segments),
                [
                    (s["quote"]["author"], s["quote"]["raw"])
                    for s in comment.segments
                    if "quote" in s
                ],
                [s["excerpt"]["raw"] for s in comment.segments if "excerpt" in s],
                sorted(position[quote.source_id] for quote in comment.quotes.all()),
                comment.reply_count,
            )
            for comment in comments
        ]
    return found


def authors(statuses=Comment.Status.values) -> set:
    """The imported profiles with a comment of these statuses."""
    return {
        (imported.user.get_username(), imported.email)
        for imported in ImportedAuthor.objects.filter(
            user__comments__status__in=statuses
        )
        .select_related("user")
        .distinct()
    }


def empty_install() -> None:
    """What an install with the same articles but no discussions holds."""
    Thread.objects.all().delete()  # their comments, quote rows and import records
    ImportedThread.objects.all().delete()
    get_user_model().objects.filter(imported__isnull=False).delete()
    assert not ImportedComment.objects.exists() and not ImportedAuthor.objects.exists()


@pytest.fixture
def history_here(network, make_reader):
    """The sample exports imported into two articles, and a reply written here
    that quotes an imported comment."""
    factories.article(
        "Ferry crews and operators return to the table", slug="ferry-strike-talks"
    )
    festival = factories.article(
        "Harbour lights festival draws record crowds", slug="harbour-lights-festival"
    )
    make_reader("Kenji", email="kenji.m@ekimail.jp")
    for name in ("disqus.xml", "wordpress.xml"):  # wordpress.xml: a pending one
        import_file(DATA / name, "--hostname", OLD_HOST)
    thread = thread_for(festival)
    lanterns = Comment.objects.get(imported__source_id="9101")
    written_here = history.new_comment(
        thread,
        author=make_reader("Nao", email="nao@ekimail.jp"),
        segments=build_segments(
            f"[quote={lanterns.pk}]the north pier[/quote]\nAnd the food stalls.",
            thread,
        ),
        # Both formats keep times to the second.
        created_at=datetime.datetime(2019, 8, 11, 7, 30, tzinfo=datetime.UTC),
        status=Comment.Status.PUBLISHED,
    )
    history.add_comments([written_here])
    history.recount(thread)


@pytest.mark.parametrize(
    ("format", "statuses"),
    [
        # Disqus has no "awaiting review": pending comments stay behind.
        (Source.DISQUS, ["published", "deleted", "removed"]),
        (Source.WXR, ["published", "pending", "deleted", "removed"]),
    ],
)
def test_an_export_imported_into_an_empty_install_gives_the_same_discussions(
    history_here, tmp_path, format, statuses, django_assert_max_num_queries
):
    before = discussions(statuses)
    people = authors(statuses)
    quotes = Quote.objects.filter(comment__status__in=statuses).count()
    assert quotes == 3 and len(before) == 2
    path = export(tmp_path, format)
    site = Site.objects.get(hostname=LEDGER)
    with django_assert_max_num_queries(4):  # however many threads, comments
        exporter.write(site, io.BytesIO(), source=format)

    empty_install()
    report = import_file(path)

    assert "unmatched: 0." in report
    assert discussions() == before
    assert Quote.objects.count() == quotes
    assert authors() == people
    assert Comment.objects.filter(author__username="Kenji").count() == 3


def test_hostile_text_goes_out_as_text(network, tmp_path):
    article = factories.article("Ferry fares", slug="ferry-fares")
    words = (
        "</message><script>alert(1)</script> ]]> & &amp; {{ request.user }} "
        "{% csrf_token %}\x01\x0b\x1f\ufffe done"
    )
    thread = thread_for(article)
    hostile = history.new_comment(
        thread,
        author=None,
        segments=[{"text": {"raw": words, "html": render.text_to_html(words)}}],
        created_at=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        status=Comment.Status.PUBLISHED,
    )
    history.add_comments([hostile])
    type(article).objects.filter(pk=article.pk).update(title="Fares\x02 <&> rise")
    legible = "</message><script>alert(1)</script> ]]> & &amp; {{ request.user }} "
    legible += "{% csrf_token %} done"

    for format in (Source.DISQUS, Source.WXR):
        path = export(tmp_path, format)
        tree = ElementTree.parse(path)  # well-formed, or this raises
        if format == Source.WXR:  # WordPress writes 0 for "replies to none"
            assert (
                tree.find(".//{http://wordpress.org/export/1.2/}comment_parent").text
                == "0"
            )
        staging = sources.Staging(tmp_path / f"{format}.sqlite3")
        assert sources.read(path, staging) == format
        sources.check(staging)
        [exported] = [t for t in staging.threads() if "ferry-fares" in t.link]
        assert exported.title == "Fares <&> rise"
        [post] = staging.posts_of(exported.key)
        assert markup.blocks(post.message) == [("text", legible)]
        assert post.created == "2024-01-02T03:04:05+00:00"
        staging.close()


def test_the_command_writes_to_standard_output_and_names_unknown_sites(network):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "export_comments", "--format", "wxr", "--site", LEDGER, stdout=out, stderr=err
    )
    assert out.getvalue().startswith('<?xml version="1.0" encoding="utf-8"?>\n<rss')
    assert out.getvalue().endswith("</rss>\n")
    assert err.getvalue() == "0 comments of ledger.localhost exported.\n"

    with pytest.raises(CommandError, match="No site has the hostname 'nowhere'"):
        call_command("export_comments", "--format", "disqus", "--site", "nowhere")
