"""Comments embedded on other websites, through the doors a host page and its
readers use: `/embed.js`, the thread's frame, its comment box, counts, the admin."""

import re
import xml.etree.ElementTree as ET
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Site

from conftest import LEDGER
from newsroom.accounts.tests.helpers import PASSWORD
from newsroom.comments.models import Comment
from newsroom.comments.services import close_discussion
from newsroom.comments.tests.factories import set_rules
from newsroom.comments.tests.test_hostile import HOSTILE
from newsroom.demo import embeds
from newsroom.edge import policy
from newsroom.ratelimit.tests.helpers import refusal

from .. import services
from ..models import DiscussionIndexPage, DiscussionPage, EmbedSettings

PARTNER = "https://partner.example"
# A second website of the Ledger's partner: allowed origins are listed one per line.
PARTNER_WWW = "https://www.partner.example"
COURIER_PARTNER = "https://kansai-partner.example"
ARTICLE = "https://partner.example/2025/06/ferry-timetable"
TITLE = "Ferry timetable changes for the summer"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def allow(site_hostname: str, *origins: str) -> None:
    """Let `origins` embed the site's comments, as an editor saves the setting."""
    row = EmbedSettings.for_site(Site.objects.get(hostname=site_hostname))
    row.allowed_origins = "\n".join(origins)
    row.save()


@pytest.fixture
def partners(network):
    allow(LEDGER, PARTNER, PARTNER_WWW)
    allow("courier.localhost", COURIER_PARTNER)


@pytest.fixture
def frame(partners):
    """What loads in the iframe: a browser with no session, on the Ledger's host."""
    return Client(HTTP_HOST=LEDGER)


def open_thread(client, url=ARTICLE, title=TITLE, origin=PARTNER, **extra):
    """Open the frame as embed.js does on a page of `origin`: the browser sends the
    page's origin as the Referer (the frame's referrer policy is "origin"); no
    header at all for an empty `origin`."""
    if origin:
        extra.setdefault("HTTP_REFERER", f"{origin}/")
    return client.get("/embed/thread/", {"url": url, "title": title}, **extra)


def thread_id(response) -> int:
    """The discussion page the opening redirect leads to."""
    assert response.status_code == 302, response.content.decode()[:300]
    match = re.fullmatch(r"/embed/thread/(\d+)/", response["Location"])
    assert match, response["Location"]
    return int(match[1])


def ancestors(response) -> list[str]:
    """The embed's frame-ancestors; the rest of its policy is the site's."""
    directives = policy.parse(response["Content-Security-Policy"])
    assert directives["script-src"] == ["'self'"]
    return directives["frame-ancestors"]


def csrf_token(response) -> str:
    return re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()
    )[1]


def text(response) -> str:
    return " ".join(
        unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split()
    )


# The script


def test_the_script_is_small_cacheable_javascript_needing_nothing_else(client):
    response = client.get("/embed.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    source = response.content.decode()
    assert len(response.content) < 4096
    assert not re.search(r"^\s*import\b|\bimport\s*\(|\brequire\s*\(", source, re.M)
    assert "/embed/thread/?" in source and "/api/v1/comment-counts?" in source
    assert 'frame.referrerPolicy = "origin"' in source  # the Referer names the site


# Opening a thread


def test_the_first_view_makes_one_discussion_and_every_later_view_finds_it(frame):
    assert not DiscussionPage.objects.exists()

    page_id = thread_id(open_thread(frame))

    page = DiscussionPage.objects.get()
    assert page.pk == page_id
    assert (page.canonical_url, page.title, page.live) == (ARTICLE, TITLE, True)
    assert page.get_site().hostname == LEDGER
    assert isinstance(page.get_parent().specific, DiscussionIndexPage)
    # The same article, however the host page's address is dressed up.
    for same in [
        ARTICLE,
        ARTICLE + "?utm_source=newsletter&utm_medium=email&fbclid=abc",
        ARTICLE + "#comments",
        "HTTPS://Partner.EXAMPLE:443/2025/06/ferry-timetable",
        "  " + ARTICLE + "  ",
    ]:
        assert thread_id(open_thread(frame, url=same, title="Another title")) == page_id
    assert DiscussionPage.objects.count() == 1
    assert DiscussionPage.objects.get().title == TITLE  # the first view named it
    # An address whose query names another article is another discussion, and the
    # partner's second website belongs to the Ledger as well.
    other = thread_id(open_thread(frame, url=ARTICLE + "?page=2"))
    www = thread_id(open_thread(frame, url=PARTNER_WWW + "/story", origin=PARTNER_WWW))
    assert len({page_id, other, www}) == 3
    assert DiscussionPage.objects.get(pk=other).canonical_url == ARTICLE + "?page=2"


def test_only_the_sites_allowed_websites_may_frame_its_thread(frame):
    response = frame.get(f"/embed/thread/{thread_id(open_thread(frame))}/")

    assert response.status_code == 200
    assert ancestors(response) == [PARTNER, PARTNER_WWW]
    assert "X-Frame-Options" not in response
    assert "private" in response["Cache-Control"]
    shown = text(response)
    assert f"Comments on {TITLE}" in shown
    assert "No comments yet" in shown and "Comments by The Tokyo Ledger" in shown
    login = re.search(
        r'<a class="button" href="([^"]+)" data-popup>', response.content.decode()
    )
    assert login[1] == "/accounts/login/?next=/embed/signed-in/"


STRANGERS = [
    "https://evil.example",
    "https://partner.example.evil.example",
    "http://partner.example",  # another scheme is another origin
]
# The Courier's partner may not open the Ledger partner's article, nor may the
# Ledger's partner discuss an article on any other website: (origin, url, framers).
ELSEWHERE = [
    (COURIER_PARTNER, ARTICLE, [COURIER_PARTNER]),
    (PARTNER, COURIER_PARTNER + "/story", [PARTNER, PARTNER_WWW]),
    (PARTNER, "https://elsewhere.example/story", [PARTNER, PARTNER_WWW]),
]
# Each case walks the same small network: one network build for the whole list.
MALFORMED = [
    ("", "The embed names no article address (data-url)."),
    ("javascript:alert(1)", "must be a full http:// or https:// address"),
    ("data:text/html,<script>alert(1)</script>", "must be a full http://"),
    ("//partner.example/story", "must be a full http://"),
    ("partner.example/story", "must be a full http://"),
    ("https://user:secret@partner.example/story", "must be a full http://"),
    ("https://partner.example:99999/story", "must be a full http://"),
    ("https://partner.example/a\nb", "too long or malformed"),
    ("https://partner.example/a\x00b", "too long or malformed"),
    ("https://partner.example/\u202egnp.exe", "too long or malformed"),
    ("https://partner.example/" + "a" * 10_000, "too long or malformed"),
]


def test_a_website_not_allowed_is_refused_and_nothing_is_made(frame):
    for origin in STRANGERS:
        response = open_thread(frame, origin=origin)

        assert response.status_code == 403, origin
        assert "This website is not allowed to show comments from our sites." in (
            text(response)
        )
        # It may not even frame the refusal.
        assert ancestors(response) == ["'none'"], origin
    assert not DiscussionPage.objects.exists()


def test_a_new_discussion_needs_the_page_the_browser_names_not_a_parameter(frame):
    """The address's `origin` parameter is what anyone can type (older embed.js sent
    it): only the browser's own Origin or Referer counts."""
    typed = {"url": ARTICLE, "title": TITLE, "origin": PARTNER}
    unnamed = [
        {},  # a bare request, as a script or a typed address makes
        {"HTTP_ORIGIN": "null"},  # an opaque origin (a sandboxed frame, a file)
        {"HTTP_REFERER": "about:blank"},
    ]
    for headers in unnamed:
        response = frame.get("/embed/thread/", typed, **headers)

        assert response.status_code == 403, headers
        assert (
            "A new discussion starts only from the article's own page, and this "
            "browser did not say which page it is on (it sent no Origin or Referer)."
        ) in text(response)
        assert ancestors(response) == ["'none'"]
    for stranger in ["https://evil.example/copied", "http://partner.example/"]:
        response = frame.get("/embed/thread/", typed, HTTP_REFERER=stranger)

        assert response.status_code == 403, stranger
        assert "This website is not allowed to show comments" in text(response)
    assert not DiscussionPage.objects.exists()

    # What the browser says on the partner's page: the Referer's origin, or the
    # Origin header where it sends one.
    by_referer = open_thread(frame, HTTP_REFERER=ARTICLE + "?from=home")
    by_origin = open_thread(frame, url=ARTICLE + "-2", origin="", HTTP_ORIGIN=PARTNER)
    assert DiscussionPage.objects.get(pk=thread_id(by_referer)).canonical_url == ARTICLE
    assert thread_id(by_origin) != thread_id(by_referer)
    assert DiscussionPage.objects.count() == 2


def test_a_discussion_already_made_opens_whoever_asks(frame):
    """Its thread is public at its own address anyway; only the site's allowed
    websites may frame it, whichever page asked (test_embed_browser)."""
    page_id = thread_id(open_thread(frame))

    for headers in [{}, {"HTTP_REFERER": "https://evil.example/"}]:
        response = open_thread(frame, origin="", **headers)

        assert thread_id(response) == page_id
    shown = frame.get(f"/embed/thread/{page_id}/")
    assert ancestors(shown) == [PARTNER, PARTNER_WWW]
    assert DiscussionPage.objects.count() == 1


def test_an_article_on_another_website_is_refused_and_nothing_is_made(frame):
    for origin, url, framers in ELSEWHERE:
        response = open_thread(frame, url=url, origin=origin)

        assert response.status_code == 403, (origin, url)
        assert (
            "The article address (data-url) is not on a website allowed to show "
            "these comments." in text(response)
        )
        assert ancestors(response) == framers  # the host page shows why
    assert not DiscussionPage.objects.exists()


def test_a_thread_is_shown_only_where_the_site_allows_embedding(frame, network):
    page_id = thread_id(open_thread(frame))
    allow(LEDGER)  # the editor empties the list

    response = frame.get(f"/embed/thread/{page_id}/")

    assert response.status_code == 404
    assert ancestors(response) == ["'none'"]
    assert frame.get("/embed/thread/999999/").status_code == 404


def test_a_malformed_article_address_gets_a_clear_message(frame):
    for url, message in MALFORMED:
        response = open_thread(frame, url=url)

        assert response.status_code == 400, url[:80]
        assert message in text(response), url[:80]
        # The allowed host page may show the message in its frame.
        assert ancestors(response) == [PARTNER, PARTNER_WWW]
    assert not DiscussionPage.objects.exists()


def test_hostile_titles_are_stored_as_text_and_shown_escaped(frame):
    def shown(page_id) -> str:
        return frame.get(f"/embed/thread/{page_id}/").content.decode()

    plain = shown(thread_id(open_thread(frame)))
    for number, title in enumerate(HOSTILE):
        page_id = thread_id(
            open_thread(  # from readers of their own, past the flood limit
                frame,
                url=f"{ARTICLE}-{number}",
                title=title,
                REMOTE_ADDR=f"198.51.100.{number}",
            )
        )
        stored = DiscussionPage.objects.get(pk=page_id).title
        assert not services.CONTROL.search(stored)
        html = shown(page_id)
        head = html.split("</title>")[0].split("<title>")[1]
        assert "<" not in head and unescape(head) == f"Comments on {stored}"
        # The frame's own tags, and none from the title.
        for tag in ["<script", "<img", "<svg", "<iframe", "<a ", "<meta", "<base"]:
            assert html.count(tag) == plain.count(tag), (title, tag)
    long = thread_id(open_thread(frame, url=ARTICLE + "-long", title="Long " * 2000))
    assert len(DiscussionPage.objects.get(pk=long).title) == services.TITLE_MAX
    # A page with no title is named by its address.
    untitled = thread_id(open_thread(frame, url=ARTICLE + "-untitled", title="\x00 "))
    assert DiscussionPage.objects.get(pk=untitled).title == ARTICLE + "-untitled"


def test_one_network_address_may_open_only_so_many_new_discussions(frame):
    limit = services.NEW_THREADS_PER_HOUR
    for number in range(limit):
        thread_id(open_thread(frame, url=f"{ARTICLE}-{number}"))

    refused = open_thread(frame, url=f"{ARTICLE}-{limit}")

    assert refused.status_code == 429
    lead = "Too many new discussions from your network."
    assert refusal(lead, refused, 3600) in text(refused)
    assert ancestors(refused) == [PARTNER, PARTNER_WWW]  # shown in the frame
    assert DiscussionPage.objects.count() == limit
    # Discussions already made still open, and another reader's address may add one.
    assert thread_id(open_thread(frame, url=f"{ARTICLE}-0"))
    thread_id(open_thread(frame, url=f"{ARTICLE}-{limit}", REMOTE_ADDR="192.0.2.7"))
    assert DiscussionPage.objects.count() == limit + 1


# The setting in the admin


def test_an_editor_changes_the_allowed_websites_and_the_change_applies_at_once(
    frame, network
):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.com")
    editor = Client(HTTP_HOST=LEDGER)
    editor.force_login(admin)
    site = Site.objects.get(hostname=LEDGER)
    url = f"/cms/settings/api/embedsettings/{site.pk}/"
    assert "Embedded comments" in editor.get("/cms/").content.decode()
    assert thread_id(open_thread(frame))  # the allowed origins are now cached
    new = "https://new-partner.example"

    refused = editor.post(url, {"allowed_origins": f"{new}\npartner.example/news"})

    assert refused.status_code == 200
    assert "“partner.example/news” is not an origin." in text(refused)
    assert EmbedSettings.for_site(site).origins == [PARTNER, PARTNER_WWW]

    saved = editor.post(url, {"allowed_origins": f"{new}/\n"})

    assert saved.status_code == 302
    assert EmbedSettings.for_site(site).origins == [new]
    assert open_thread(frame).status_code == 403
    assert thread_id(open_thread(frame, url=new + "/story", origin=new))


# Commenting in the frame


@pytest.fixture
def discussion(frame):
    page = DiscussionPage.objects.get(pk=thread_id(open_thread(frame)))
    set_rules(page)
    return page


def signed_in(name, make_reader, *, verified=True) -> Client:
    """A reader who signed in (in the popup) on the Ledger; the frame shares it."""
    make_reader(name, verified=verified)
    client = Client(HTTP_HOST=LEDGER, enforce_csrf_checks=True)
    client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        {"login": name, "password": PASSWORD},
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    assert response.status_code == 302
    return client


def post_in_frame(client, page, body, **data):
    """Write in the frame's comment box and post it, with the form's CSRF token
    (or, where the frame shows no box, the reader's CSRF cookie)."""
    frame = client.get(f"/embed/thread/{page.pk}/")
    if f'action="/embed/thread/{page.pk}/post/"' in frame.content.decode():
        token = csrf_token(frame)
    else:
        token = client.cookies["csrftoken"].value
    return client.post(
        f"/embed/thread/{page.pk}/post/",
        {"csrfmiddlewaretoken": token, "body": body, **data},
    )


def test_a_verified_reader_comments_in_the_frame_and_returns_to_the_comment(
    discussion, make_reader
):
    reader = signed_in("Hana", make_reader)
    assert not Comment.objects.exists()

    response = post_in_frame(reader, discussion, "The summer timetable suits me.")

    comment = Comment.objects.get()
    assert (comment.author.username, comment.status) == (
        "Hana",
        Comment.Status.PUBLISHED,
    )
    assert comment.thread.page_id == discussion.pk
    location = urlsplit(response["Location"])
    assert location.path == f"/embed/thread/{discussion.pk}/"
    assert location.fragment == f"comment-{comment.pk}"
    assert "cpage=1" in location.query
    back = reader.get(response["Location"])
    assert ancestors(back) == [PARTNER, PARTNER_WWW]
    assert f'id="comment-{comment.pk}"' in back.content.decode()
    assert "The summer timetable suits me." in text(back)
    assert "1 Comment" in text(back)


def test_the_frame_tells_what_it_removed_and_refuses_direction_controls(
    discussion, make_reader
):
    reader = signed_in("Hana", make_reader)

    refused = post_in_frame(reader, discussion, "See \u202eTXT.exe")
    posted = post_in_frame(reader, discussion, "Ferries\u200b at\u200b dawn.")

    assert refused.status_code == 400
    assert ancestors(refused) == [PARTNER, PARTNER_WWW]  # shown in the frame
    assert "changes the direction text is shown in (right-to-left override" in (
        text(refused)
    )
    comment = Comment.objects.get()
    assert comment.body == "Ferries at dawn."
    location = urlsplit(posted["Location"])
    assert location.path == f"/embed/thread/{discussion.pk}/"
    assert location.fragment == "comment-notices"
    back = reader.get(posted["Location"])
    assert (
        "We removed 2 invisible characters (zero width space U+200B) from your "
        "comment." in text(back)
    )
    assert f'<a href="#comment-{comment.pk}">Go to your comment</a>' in (
        back.content.decode()
    )


def test_the_frame_keeps_the_sites_rules_for_commenting(discussion, make_reader):
    stranger = Client(HTTP_HOST=LEDGER)  # no session: a crafted request
    refused = stranger.post(f"/embed/thread/{discussion.pk}/post/", {"body": "Hi"})
    assert refused.status_code == 400
    assert "Login to comment" in text(refused)

    unverified = signed_in("Unverified", make_reader, verified=False)
    refused = post_in_frame(unverified, discussion, "Hello")
    assert refused.status_code == 400
    assert "Confirm your email address to comment" in text(refused)

    reader = signed_in("Hana", make_reader)
    empty = post_in_frame(reader, discussion, "   ")
    assert empty.status_code == 400
    assert "Write something before posting." in text(empty)
    too_long = "Ferries. " * 600
    refused = post_in_frame(reader, discussion, too_long)
    assert refused.status_code == 400
    assert "Comments can be at most 5000 characters" in text(refused)
    assert too_long.strip() in unescape(refused.content.decode())  # kept to edit
    assert ancestors(refused) == [PARTNER, PARTNER_WWW]
    assert not Comment.objects.exists()


def test_a_closed_discussion_refuses_comments(discussion, make_reader):
    reader = signed_in("Hana", make_reader)
    close_discussion(discussion)  # at once: no publishing needed

    refused = post_in_frame(reader, discussion, "Too late?")

    assert refused.status_code == 400
    assert "Comments on this article are closed." in text(refused)
    assert 'id="composer"' not in refused.content.decode()
    assert not Comment.objects.exists()


# The discussion elsewhere on the site and in the API


def test_the_permalink_and_the_discussions_own_address_lead_to_the_article(
    discussion, make_reader
):
    reader = signed_in("Hana", make_reader)
    post_in_frame(reader, discussion, "See you on the first ferry.")
    comment = Comment.objects.get()

    permalink = reader.get(f"/comments/{comment.pk}/")

    assert permalink.status_code == 302
    at = urlsplit(permalink["Location"])
    # The discussion's own address on the Ledger
    assert at.path == urlsplit(discussion.full_url).path
    assert at.fragment == f"comment-{comment.pk}"
    article = reader.get(permalink["Location"])
    assert article.status_code == 302
    assert article["Location"] == ARTICLE
    # The holder of the discussions has no page of its own.
    index = urlsplit(discussion.get_parent().full_url).path
    assert reader.get(index).status_code == 404


def test_the_count_api_finds_the_discussion_by_the_articles_address(
    discussion, make_reader
):
    api = Client(HTTP_HOST=LEDGER)
    urls = [ARTICLE, ARTICLE + "?utm_source=x", "https://partner.example/unknown"]

    def counts():
        response = api.get("/api/v1/comment-counts", {"url": urls})
        assert response.status_code == 200
        return [
            (row["url"], row["article"], row["count"])
            for row in response.json()["counts"]
        ]

    assert counts() == [
        (ARTICLE, discussion.pk, 0),
        (ARTICLE + "?utm_source=x", discussion.pk, 0),
        ("https://partner.example/unknown", None, None),
    ]
    post_in_frame(signed_in("Hana", make_reader), discussion, "First!")
    assert [count for _url, _page, count in counts()] == [1, 1, None]


def test_discussions_stay_out_of_the_sitemap(discussion, ledger):
    response = ledger.get("/sitemap.xml")

    assert response.status_code == 200
    locations = [
        loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")
    ]
    assert locations  # the site's own pages are there
    assert not [url for url in locations if "/discussions/" in url]
    assert ARTICLE not in response.content.decode()
    assert "/discussions/" not in ledger.get("/news-sitemap.xml").content.decode()


# The demo's partner website


def test_the_demo_lets_its_partner_page_embed_the_ledgers_comments(frame):
    origins = ["http://127.0.0.1:8001", "http://localhost:8001"]

    assert embeds.allow_demo_origins(8000) == origins
    assert embeds.allow_demo_origins(8000) == []  # loading again adds nothing

    ledger = Site.objects.get(hostname=LEDGER)
    assert EmbedSettings.for_site(ledger).origins == [PARTNER, PARTNER_WWW, *origins]
    page = embeds.PARTNER_PAGE.read_text()
    assert "data-newsroom-thread" in page and "data-newsroom-count" in page
    # The page is served at / on either origin; Newsroom answers on 127.0.0.1 as
    # its default site, the Ledger.
    demo = Client(HTTP_HOST="127.0.0.1:8000")
    for origin in origins:
        page_id = thread_id(open_thread(demo, url=origin + "/", origin=origin))
        assert DiscussionPage.objects.get(pk=page_id).get_site() == ledger
