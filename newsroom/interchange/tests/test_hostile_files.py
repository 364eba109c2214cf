"""A file that is damaged, hostile or not an export is refused with a message that
names the line or the comment, before anything is written."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import LEDGER
from newsroom.comments.models import Comment
from newsroom.news.tests import factories

from .. import sources
from ..models import ImportedAuthor, ImportedComment, ImportedThread

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<disqus xmlns="http://disqus.com" '
    'xmlns:dsq="http://disqus.com/disqus-internals">\n'
)
THREAD = (
    '<thread dsq:id="1"><link>http://ledger.localhost/world/ferry-strike-talks/'
    "</link><title>Ferry talks</title></thread>\n"
)


def post(key, *, parent=None, thread="1", message="<p>Hello</p>") -> str:
    parent = f'<parent dsq:id="{parent}"/>' if parent else ""
    return (
        f'<post dsq:id="{key}"><message><![CDATA[{message}]]></message>'
        "<createdAt>2020-01-01T10:00:00Z</createdAt><isDeleted>false</isDeleted>"
        "<isSpam>false</isSpam><author><email>a@ekimail.jp</email>"
        f'<name>A Reader</name></author><thread dsq:id="{thread}"/>{parent}</post>\n'
    )


LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
    "]>\n<disqus><thread><title>&lol3;</title></thread></disqus>\n"
)
EXTERNAL = (
    '<?xml version="1.0"?>\n<!DOCTYPE disqus [\n'
    ' <!ENTITY secret SYSTEM "file:///etc/passwd">\n'
    ' <!ENTITY remote SYSTEM "http://192.0.2.1/steal">\n'
    "]>\n<disqus><thread><title>&secret;&remote;</title></thread></disqus>\n"
)

CASES = {
    "truncated": (
        HEAD + THREAD + post("10")[:60],
        "not well-formed XML: unclosed token at line 4",
    ),
    "malformed": (
        HEAD + THREAD + "<post dsq:id='10'><message>a < b</message></post>\n",
        "not well-formed XML: not well-formed (invalid token) at line 4",
    ),
    "billion laughs": (LAUGHS, "Line 2: the file declares a document type (DTD)"),
    "external entities": (EXTERNAL, "Line 2: the file declares a document type"),
    "missing parent": (
        HEAD + THREAD + post("10") + post("11", parent="99") + "</disqus>\n",
        "Line 5: comment 11 replies to comment 99, which is not in the file.",
    ),
    "missing thread": (
        HEAD + THREAD + post("10", thread="7") + "</disqus>\n",
        "Line 4: comment 10 belongs to thread 7, which is not in the file.",
    ),
    "parent loop": (
        HEAD
        + THREAD
        + post("10")
        + post("11", parent="13")
        + post("12", parent="11")
        + post("13", parent="12")
        + "</disqus>\n",
        "Line 5: comment 11 replies to 13, which leads back to 11",
    ),
    "repeated id": (
        HEAD + THREAD + post("10") + post("10") + "</disqus>\n",
        "Line 5: comment 10 appears twice.",
    ),
    "no id": (
        HEAD + THREAD + "<post><message>x</message></post></disqus>\n",
        "Line 4: a post has no dsq:id.",
    ),
    "bad date": (
        HEAD
        + THREAD
        + post("10").replace("2020-01-01T10:00:00Z", "yesterday")
        + "</disqus>\n",
        "Line 4: post 10 has a date Newsroom cannot read: 'yesterday'.",
    ),
    "not an export": (
        "<html><body>Not here</body></html>",
        "This is not a Disqus or WordPress export: its first element is <html>",
    ),
}


@pytest.fixture
def ferry(network):
    return factories.article("Ferry talks", slug="ferry-strike-talks")


def assert_nothing_written(before):
    assert Comment.objects.count() == before
    assert not ImportedComment.objects.exists()
    assert not ImportedThread.objects.exists()
    assert not ImportedAuthor.objects.exists()


@pytest.mark.parametrize("case", CASES)
def test_a_bad_file_is_refused_naming_where(case, ferry, tmp_path):
    text, message = CASES[case]
    path = tmp_path / "export.xml"
    path.write_text(text, encoding="utf-8")
    before = Comment.objects.count()

    with pytest.raises(CommandError) as refused:
        call_command("import_comments", str(path), "--site", LEDGER)

    assert message in str(refused.value)
    assert_nothing_written(before)


def test_text_in_another_encoding_than_declared_is_refused(ferry, tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(
        (HEAD + THREAD + post("10", message="Caf\xe9 au lait") + "</disqus>\n").encode(
            "latin-1"
        )
    )
    before = Comment.objects.count()

    with pytest.raises(CommandError) as refused:
        call_command("import_comments", str(path), "--site", LEDGER)

    assert "at line 4" in str(refused.value)
    assert "encoding it declares" in str(refused.value)
    assert_nothing_written(before)


def test_a_declared_single_byte_encoding_is_read_as_declared(ferry, tmp_path):
    path = tmp_path / "export.xml"
    head = HEAD.replace("utf-8", "iso-8859-1")
    text = head + THREAD + post("10", message="Caf\xe9 au lait") + "</disqus>\n"
    path.write_bytes(text.encode("latin-1"))

    call_command("import_comments", str(path), "--site", LEDGER)

    comment = Comment.objects.get(imported__source_id="10")
    assert comment.segments[0]["text"]["raw"] == "Café au lait"


def test_an_element_larger_than_any_real_comment_is_refused(ferry, tmp_path):
    path = tmp_path / "export.xml"
    huge = "x" * (sources.MAX_FIELD_CHARS + 1)
    path.write_text(HEAD + THREAD + post("10", message=huge) + "</disqus>\n")
    before = Comment.objects.count()

    with pytest.raises(CommandError) as refused:
        call_command("import_comments", str(path), "--site", LEDGER)

    assert "Line 4: <message> holds more than 2,000,000 characters" in str(
        refused.value
    )
    assert_nothing_written(before)
