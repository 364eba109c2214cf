"""Nothing is taken out of a comment silently: its author is told what was removed
(invisible and control characters, accent marks stacked past three), or the
comment is refused with the reason (direction controls). Through the comment form,
an htmx request and the edit form; the API and the embedded thread in api's tests."""

import unicodedata
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom.accounts.tests.helpers import sign_in
from newsroom.news.tests.helpers import visible_text

from .. import characters
from ..models import Comment
from .helpers import last_comment, post

ZALGO = "Z" + "\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307" + "algo"
RLO = "Read the file \u202etxt.exe please"


@pytest.fixture
def kenji(ledger, make_reader):
    reader = make_reader("Kenji")
    sign_in(ledger, "Kenji")
    return reader


def notices_on(response) -> str:
    """The text of the notices beside the thread, as the author sees them."""
    text = visible_text(response)
    assert 'id="comment-notices"' in response.content.decode()
    return text[text.index("We removed") : text.index("Go to your comment")]


def test_invisible_and_control_characters_are_removed_and_the_author_told(
    ledger, article, kenji
):
    response = post(ledger, article, "Zero\u200bwidth\u200b and a nul\x00 here.")

    assert response.status_code == 302
    assert response["Location"].endswith("#comment-notices")
    comment = last_comment()
    assert comment.body == "Zerowidth and a nul here."
    page = ledger.get(response["Location"])
    told = notices_on(page)
    assert (
        "We removed 2 invisible characters (zero width space U+200B) from your "
        "comment." in told
    )
    assert "We removed 1 control character (null U+0000) from your comment." in told
    assert f'href="#comment-{comment.pk}"' in page.content.decode()
    # Said once, beside the thread (not in the page's own messages), and only once.
    assert page.content.decode().count("We removed 2 invisible characters") == 1
    assert "We removed" not in visible_text(ledger.get(article.url))


def test_a_clean_comment_goes_to_itself_with_nothing_to_say(ledger, article, kenji):
    response = post(
        ledger, article, "Nothing hidden in here. 👩\u200d👩\u200d👧 ❤\ufe0f"
    )

    comment = last_comment()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert comment.body == "Nothing hidden in here. 👩\u200d👩\u200d👧 ❤\ufe0f"
    assert (
        'id="comment-notices"' not in ledger.get(response["Location"]).content.decode()
    )


def test_direction_overrides_are_refused_with_the_reason_and_the_text_kept(
    ledger, article, kenji
):
    response = post(ledger, article, RLO)

    assert response.status_code == 400
    text = visible_text(response)
    assert (
        "Your comment contains 1 character that changes the direction text is shown "
        "in (right-to-left override U+202E; the first one after “Read the file”)."
    ) in text
    assert "so comments can't contain it: delete it and post again." in text
    assert RLO in response.content.decode()  # in the box, as typed
    assert not Comment.objects.exists()


def test_stacked_accent_marks_are_capped_at_three_and_the_author_told(
    ledger, article, kenji
):
    response = post(ledger, article, f"{ZALGO} and Việt Nam")

    comment = last_comment()
    assert comment.body == "Z\u0300\u0301\u0302algo and Việt Nam"
    told = notices_on(ledger.get(response["Location"]))
    assert (
        "We removed 5 accent marks from your comment: at most 3 may sit on one "
        "character, so that text stays readable."
    ) in told


def test_an_htmx_post_is_told_the_same(ledger, article, kenji):
    posted = ledger.post(
        f"/comments/on/{article.pk}/post/",
        {"body": "Soft\u00adhyphen"},
        HTTP_HX_REQUEST="true",
    )
    # htmx is sent on to the page (HX-Redirect), which tells the author.
    assert posted.status_code == 200
    response = ledger.get(posted["HX-Redirect"])

    assert last_comment().body == "Softhyphen"
    assert "We removed 1 invisible character (soft hyphen U+00AD)" in (
        notices_on(response)
    )


def test_an_edit_is_told_what_was_removed_or_refused(ledger, article, kenji):
    post(ledger, article, "First version.")
    comment = last_comment()
    edit = f"/comments/{comment.pk}/edit/"

    refused = ledger.post(edit, {"body": "Second \u2067version\u2069."})
    comment.refresh_from_db()
    assert refused.status_code == 400
    assert "2 characters that change the direction text is shown in" in (
        visible_text(refused)
    )
    assert comment.body == "First version."

    edited = ledger.post(edit, {"body": "Second\ufeff version."})
    comment.refresh_from_db()
    assert edited["Location"].endswith("#comment-notices")
    assert comment.body == "Second version."
    assert "We removed 1 invisible character (zero width no-break space U+FEFF)" in (
        notices_on(ledger.get(edited["Location"]))
    )


# The rules themselves, on any text.


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_nothing_leaves_a_text_without_being_counted(text):
    cleaned = characters.clean(text)

    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    gone = Counter(normalised) - Counter(cleaned.text)
    for counts in cleaned.removed.values():
        gone -= counts
    gone -= cleaned.directional
    # What is left uncounted: the capped marks, and spaces at the ends of lines.
    assert sum(n for char, n in gone.items() if characters._is_mark(char)) == (
        cleaned.marks
    )
    assert all(char.isspace() for char in gone if not characters._is_mark(char))
    assert bool(cleaned.notices()) == bool(cleaned.removed or cleaned.marks)
    assert not set(cleaned.text) & characters.DIRECTIONAL
    assert all(
        unicodedata.category(char) != "Cc" or char in "\n\t" for char in cleaned.text
    )


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Mn", "Me", "Ll"]), max_size=60))
def test_no_character_keeps_more_than_three_marks(text):
    run = 0
    for char in characters.clean(text).text:
        run = run + 1 if characters._is_mark(char) else 0
        assert run <= characters.MAX_MARKS
