"""Reading the network through the public API, as an app or another website would:
what each read returns, how it is filtered and paged, and how it may be cached."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Site

from conftest import LEDGER
from newsroom.comments import posting, transitions, voting
from newsroom.comments.models import CommentSettings
from newsroom.comments.services import close_discussion
from newsroom.comments.tests.factories import comment as written
from newsroom.moderation import decisions
from newsroom.moderation.tests.factories import a_moderator
from newsroom.moderation.tests.helpers import another_article
from newsroom.news.models import ArticlePage

from .. import services
from ..models import EmbedSettings
from .helpers import API, assert_problem, bearer, token_for

PUBLIC = "public, max-age="


def titles(response) -> list[str]:
    return [article["title"] for article in response.json()["results"]]


def ids(response) -> list[int]:
    return [comment["id"] for comment in response.json()["results"]]


# Sites and articles ---------------------------------------------------------------


def test_sites_list_each_site_with_its_sections(client, network):
    response = client.get(f"{API}/sites", HTTP_HOST=LEDGER)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    ledger, courier = network.sites["ledger"], network.sites["courier"]
    assert response.json() == [
        {
            "id": ledger.pk,
            "name": "The Tokyo Ledger",
            "url": "http://ledger.localhost/",
            "sections": [
                {
                    "id": network.sections[("ledger", slug)].pk,
                    "title": title,
                    "slug": slug,
                    "url": f"http://ledger.localhost/{slug}/",
                }
                for slug, title in [
                    ("world", "World"),
                    ("national", "National"),
                    ("sports", "Sports"),
                ]
            ],
        },
        {
            "id": courier.pk,
            "name": "Kansai Evening Courier",
            "url": "http://courier.localhost/",
            "sections": [
                {
                    "id": network.sections[("courier", slug)].pk,
                    "title": title,
                    "slug": slug,
                    "url": f"http://courier.localhost/{slug}/",
                }
                for slug, title in [("world", "World"), ("business", "Business")]
            ],
        },
    ]


def test_articles_come_newest_first_with_what_a_card_shows(
    client, network, article, make_reader
):
    written(article, make_reader("Ichiro"), "First!")

    response = client.get(f"{API}/articles", HTTP_HOST=LEDGER)

    body = response.json()
    assert (body["count"], body["page"], body["pages"]) == (7, 1, 1)
    assert titles(response) == [
        "Marenne recalls ambassador as reef standoff deepens",
        "Kobe port braces for delays as tankers divert",
        "Tanker insurers raise premiums near disputed shoals",
        "Osaka toolmakers band together for aerospace orders",
        "Hamasaki council votes to raise its seawall",
        "Harbor Gulls win in stoppage time",
        "Island states agree to resume fisheries talks",
    ]
    first = body["results"][0]
    assert first == {
        "id": article.pk,
        "site": network.sites["ledger"].pk,
        "title": article.title,
        "standfirst": article.standfirst,
        "url": "http://ledger.localhost/world/"
        "marenne-recalls-ambassador-as-reef-standoff-deepens/",
        "section": "world",
        "published_at": first["published_at"],
        "updated_at": None,
        "authors": [{"name": "Rin Okada", "slug": "rin-okada"}],
        "tags": ["diplomacy", "maritime"],
        "comment_count": 1,
        "comments_url": f"http://ledger.localhost{API}/articles/{article.pk}/comments",
    }
    published = datetime.datetime.fromisoformat(first["published_at"])
    # JSON carries milliseconds (ECMA-262 date format).
    assert published == article.published_at.replace(
        microsecond=article.published_at.microsecond // 1000 * 1000
    )
    courier_card = body["results"][1]
    assert courier_card["site"] == network.sites["courier"].pk
    assert courier_card["url"].startswith("http://courier.localhost/world/")
    assert courier_card["comment_count"] == 0


FILTERED = [
    (
        "site={ledger}",
        [
            "Marenne recalls ambassador as reef standoff deepens",
            "Tanker insurers raise premiums near disputed shoals",
            "Hamasaki council votes to raise its seawall",
            "Harbor Gulls win in stoppage time",
            "Island states agree to resume fisheries talks",
        ],
    ),
    (
        "site={courier}",
        [
            "Kobe port braces for delays as tankers divert",
            "Osaka toolmakers band together for aerospace orders",
        ],
    ),
    (
        "section={ledger_world}",
        [
            "Marenne recalls ambassador as reef standoff deepens",
            "Tanker insurers raise premiums near disputed shoals",
            "Island states agree to resume fisheries talks",
        ],
    ),
    (
        "tag=diplomacy",
        [
            "Marenne recalls ambassador as reef standoff deepens",
            "Island states agree to resume fisheries talks",
        ],
    ),
    (
        "author=rin-okada",
        [
            "Marenne recalls ambassador as reef standoff deepens",
            "Tanker insurers raise premiums near disputed shoals",
            "Hamasaki council votes to raise its seawall",
        ],
    ),
    (
        "author=tomas-vale&site={courier}",
        ["Kobe port braces for delays as tankers divert"],
    ),
    (
        "author=tomas-vale&tag=maritime",
        ["Tanker insurers raise premiums near disputed shoals"],
    ),
    ("section={courier_business}&site={ledger}", []),
    ("tag=no-such-tag", []),
]


def test_articles_filter_by_site_section_tag_and_author(client, network):
    names = {
        "ledger": network.sites["ledger"].pk,
        "courier": network.sites["courier"].pk,
        "ledger_world": network.sections[("ledger", "world")].pk,
        "courier_business": network.sections[("courier", "business")].pk,
    }

    for query, expected in FILTERED:
        path = f"{API}/articles?{query.format(**names)}"
        response = client.get(path, HTTP_HOST=LEDGER)

        assert response.status_code == 200, query
        assert titles(response) == expected, query
        assert response.json()["count"] == len(expected), query


def test_articles_refuse_unknown_filters_and_pages_past_the_end(client, network):
    def get(query):
        return client.get(f"{API}/articles?{query}", HTTP_HOST=LEDGER)

    assert_problem(get("author=nobody-at-all"), 404)
    assert_problem(get("site=999999"), 404)
    assert_problem(get("section=999999"), 404)
    assert_problem(get("page=2"), 404, "There is only 1 page.")
    invalid = assert_problem(get("page=0"), 422, "not valid")
    assert [error["field"] for error in invalid["errors"]] == ["page"]
    assert_problem(get("tag=" + "x" * 101), 422)
    assert_problem(get("tag=two%20words"), 422)
    assert_problem(get("author=rin%00okada"), 422)
    assert_problem(get("site=ledger"), 422)
    assert_problem(get(f"site={2**64}"), 422)


def test_one_article_has_its_body_photo_and_wire_credit(client, network):
    wire = another_article()  # Harbour Wire copy with two authors

    response = client.get(f"{API}/articles/{wire.pk}", HTTP_HOST=LEDGER)

    body = response.json()
    assert body["title"] == "Tanker insurers raise premiums near disputed shoals"
    assert body["authors"] == [
        {"name": "Tomas Vale", "slug": "tomas-vale"},
        {"name": "Rin Okada", "slug": "rin-okada"},
    ]
    assert (
        "<p>Officials spent the morning discussing tanker in Tokyo.</p>"
        in (body["body_html"])
    )
    assert body["body_text"].startswith(
        "Officials spent the morning discussing tanker in Tokyo.\n\n"
        "What tanker means for readers"
    )
    assert "<" not in body["body_text"]
    photo = body["photo"]
    assert photo["title"] == "Photo for Tanker insurers raise premiums near disp"
    assert photo["caption"] == (
        "FILE PHOTO: Photo for Tanker insurers raise premiums near disp, "
        "Tokyo, March 3, 2026. HW/Aya Kudo"
    )
    assert "Aya Kudo" in photo["credit"]
    assert body["wire_copyright"] == f"© Harbour Wire Ltd {wire.published_at.year}."
    assert (body["comment_count"], body["comments_closed"]) == (0, False)


def test_only_live_articles_are_found(client, network, article):
    section = network.sections[("ledger", "world")]

    close_discussion(article)
    closed = client.get(f"{API}/articles/{article.pk}", HTTP_HOST=LEDGER)
    article.unpublish()
    gone = client.get(f"{API}/articles/{article.pk}", HTTP_HOST=LEDGER)

    assert closed.json()["comments_closed"] is True
    assert_problem(gone, 404)
    assert_problem(client.get(f"{API}/articles/{section.pk}", HTTP_HOST=LEDGER), 404)
    assert_problem(client.get(f"{API}/articles/0", HTTP_HOST=LEDGER), 422)
    listed = client.get(f"{API}/articles", HTTP_HOST=LEDGER)
    assert article.title not in titles(listed)
    assert listed.json()["count"] == 6


# Comments -------------------------------------------------------------------------


@pytest.fixture
def commenters(make_reader):
    return [make_reader(name) for name in ("Aiko", "Bunta", "Chie", "Daichi", "Emi")]


def test_each_of_the_five_sort_orders_puts_comments_in_its_order(
    client, article, commenters
):
    aiko, bunta, chie, daichi, emi = commenters
    start = timezone.now() - datetime.timedelta(minutes=30)

    def at(minutes):
        return start + datetime.timedelta(minutes=minutes)

    quiet = written(article, aiko, "A quiet remark.", now=at(1))
    liked = written(article, bunta, "A remark everyone likes.", now=at(2))
    split = written(article, chie, "A remark that splits the room.", now=at(3))
    quoted = written(article, daichi, "A remark worth quoting.", now=at(4))
    reply = written(
        article, emi, f"[quote={quoted.pk}]worth quoting[/quote]\nYes.", now=at(5)
    )
    another = written(
        article, aiko, f"[quote={quoted.pk}]A remark[/quote]\nIndeed.", now=at(6)
    )
    for voter in (aiko, chie, daichi):
        voting.cast_vote(liked, voter, 1)
    for voter, value in ((aiko, 1), (bunta, 1), (daichi, -1), (emi, -1)):
        voting.cast_vote(split, voter, value)

    def order(sort):
        path = f"{API}/articles/{article.pk}/comments?sort={sort}"
        response = client.get(path, HTTP_HOST=LEDGER)
        assert response.json()["sort"] == sort
        return ids(response)

    everything = [quiet, liked, split, quoted, reply, another]
    oldest = [c.pk for c in everything]
    assert ids(
        client.get(f"{API}/articles/{article.pk}/comments", HTTP_HOST=LEDGER)
    ) == (oldest)
    assert order("oldest") == oldest
    assert order("newest") == oldest[::-1]
    # Wilson lower bound: 3 up of 3 (0.44) above 2 of 4 (0.15) above no votes (0).
    assert order("best") == [
        c.pk for c in (liked, split, quiet, quoted, reply, another)
    ]
    # Only the 2-2 split has both up and down votes.
    assert order("controversial") == [
        c.pk for c in (split, quiet, liked, quoted, reply, another)
    ]
    assert order("replied") == [
        c.pk for c in (quoted, quiet, liked, split, reply, another)
    ]
    assert_problem(
        client.get(f"{API}/articles/{article.pk}/comments?sort=hot", HTTP_HOST=LEDGER),
        422,
    )


def test_a_comment_shows_its_text_quotes_votes_and_replies(client, article, commenters):
    aiko, bunta, *voters = commenters
    source = written(article, aiko, "The seawall budget doubled.\nAgain.")
    quote = f"[quote={source.pk}]The seawall budget doubled.[/quote]"
    written(article, bunta, f"{quote}\nAnd nobody asked why.")
    voting.cast_vote(source, bunta, 1)
    voting.cast_vote(source, voters[0], -1)

    response = client.get(f"{API}/articles/{article.pk}/comments", HTTP_HOST=LEDGER)

    first, second = response.json()["results"]
    assert first == {
        "id": source.pk,
        "article": article.pk,
        "url": f"http://ledger.localhost/comments/{source.pk}/",
        "status": "published",
        "author": {
            "id": aiko.pk,
            "name": "Aiko",
            "url": f"http://ledger.localhost{API}/readers/{aiko.pk}",
        },
        "created_at": first["created_at"],
        "edited_at": None,
        "segments": [
            {
                "text_html": "<p>The seawall budget doubled.<br>Again.</p>",
                "quote": None,
                "excerpt_html": None,
            }
        ],
        "votes": {"net": 0, "up": 1, "down": 1, "label": "0 ( +1 / -1 )"},
        "reply_count": 1,
        "picked": False,
        "placeholder": None,
    }
    assert second["segments"] == [
        {
            "text_html": None,
            "quote": {
                "comment": source.pk,
                "author": "Aiko",
                "at": source.created_at.isoformat(),
                "html": "<p>The seawall budget doubled.</p>",
            },
            "excerpt_html": None,
        },
        {
            "text_html": "<p>And nobody asked why.</p>",
            "quote": None,
            "excerpt_html": None,
        },
    ]
    assert response.json()["count"] == 2


def test_votes_read_as_on_the_site(client, article, make_reader):
    author = make_reader("Author")
    comment = written(article, author, "An unpopular opinion about the seawall.")
    for number in range(9):
        voting.cast_vote(
            comment, make_reader(f"Voter {number}"), 1 if number < 3 else -1
        )

    response = client.get(f"{API}/articles/{article.pk}/comments", HTTP_HOST=LEDGER)

    [shown] = response.json()["results"]
    assert shown["votes"] == {"net": -3, "up": 3, "down": 6, "label": "-3 ( +3 / -6 )"}


def test_removed_and_deleted_comments_keep_their_place_without_author_or_text(
    client, article, commenters
):
    aiko, bunta, chie, *_ = commenters
    removed = written(article, aiko, "Something a moderator took down.")
    kept = written(article, bunta, "Something that stays.")
    deleted = written(article, chie, "Something its author took back.")
    held = written(article, chie, "Something awaiting review, by Chie.")
    transitions.hold_comment(held)
    decisions.remove_comment(
        removed, moderator=a_moderator(), custom="Please keep to the topic."
    )
    posting.delete_comment(deleted, chie)

    response = client.get(f"{API}/articles/{article.pk}/comments", HTTP_HOST=LEDGER)

    body = response.json()
    assert body["count"] == 1  # published comments, as the article shows
    assert ids(response) == [removed.pk, kept.pk, deleted.pk]
    gone = {c["id"]: c for c in body["results"]}
    assert gone[removed.pk]["status"] == "removed"
    assert gone[removed.pk]["placeholder"] == "Please keep to the topic."
    assert gone[deleted.pk]["status"] == "deleted"
    assert gone[deleted.pk]["placeholder"] == "This comment was deleted by its author."
    for placeholder in (gone[removed.pk], gone[deleted.pk]):
        assert placeholder["author"] is None
        assert placeholder["segments"] == []
    text = response.content.decode()
    for hidden in ("took down", "took back", "awaiting review", "Aiko", "Chie"):
        assert hidden not in text


def test_comments_come_a_page_at_a_time(client, article, commenters):
    CommentSettings.objects.filter(site=article.get_site()).update(page_size=2)
    made = [
        written(article, reader, f"Comment by {reader}.") for reader in commenters[:3]
    ]

    def page(number):
        path = f"{API}/articles/{article.pk}/comments?page={number}"
        return client.get(path, HTTP_HOST=LEDGER)

    first, second = page(1), page(2)

    assert ids(first) == [made[0].pk, made[1].pk]
    assert ids(second) == [made[2].pk]
    assert (second.json()["page"], second.json()["pages"]) == (2, 2)
    assert_problem(page(3), 404, "There are only 2 pages.")
    assert_problem(page(0), 422)


def test_comments_of_what_is_not_a_live_article_are_not_found(client, network):
    section = network.sections[("ledger", "world")]

    for page_id in (section.pk, 999999):
        response = client.get(f"{API}/articles/{page_id}/comments", HTTP_HOST=LEDGER)
        assert_problem(response, 404, "No article with comments has this id.")


def test_an_article_without_comments_has_an_empty_first_page(client, article):
    response = client.get(f"{API}/articles/{article.pk}/comments", HTTP_HOST=LEDGER)

    assert response.json() == {
        "count": 0,
        "page": 1,
        "pages": 1,
        "sort": "oldest",
        "results": [],
    }


def test_a_thread_costs_the_same_queries_with_3_or_60_comments(
    client, article, commenters, django_assert_max_num_queries
):
    other = another_article()

    def fill(page, count):
        for number in range(count):
            author = commenters[number % 5]
            written(page, author, f"Comment {number} on {page.title}.")
        # A quote and a removed comment, so every kind of entry is on the page.
        first = page.comment_thread.comments.order_by("pk").first()
        written(page, commenters[1], f"[quote={first.pk}]Comment[/quote]\nQuoted.")
        transitions.remove_comment(first, reason="Removed for the test.")

    fill(article, 3)
    fill(other, 60)

    path = f"{API}/articles/{{}}/comments?sort=best"
    # One of them counts the request against the API's rate (in the database in the
    # embedded mode; in Redis, none).
    with django_assert_max_num_queries(9) as small:
        response = client.get(path.format(article.pk), HTTP_HOST=LEDGER)
        assert len(response.json()["results"]) == 4
    with django_assert_max_num_queries(9) as large:
        response = client.get(path.format(other.pk), HTTP_HOST=LEDGER)
        assert len(response.json()["results"]) == 50
    assert len(large) == len(small)


# Comment counts -------------------------------------------------------------------


def allow_embedding(site: Site, origin: str) -> None:
    """Let `origin` embed the site's comments, as an editor saves the setting."""
    setting = EmbedSettings.for_site(site)
    setting.allowed_origins = origin
    setting.save()


def test_comment_counts_for_addresses_ours_and_embedded(
    client, network, article, hana, make_reader
):
    written(article, hana, "One comment on the reef standoff.")
    partner = "https://partner.example"
    allow_embedding(network.sites["ledger"], partner)
    discussion = services.discussion_for(
        f"{partner}/2026/ferries?id=4", "Ferries", host_origin=partner
    )
    written(discussion, hana, "One comment on the ferries.")
    written(discussion, make_reader("Ida"), "And another.")
    path = article.url_path.removeprefix("/ledger/")
    osaka = ArticlePage.objects.get(title__startswith="Osaka toolmakers")
    wanted = [
        f"http://ledger.localhost/{path}",
        f"http://LEDGER.localhost/{path}?utm_source=mail&fbclid=abc#comments",
        f"http://ledger.localhost/{path.rstrip('/')}",
        f"http://courier.localhost/{osaka.url_path.removeprefix('/courier/')}",
        "http://ledger.localhost/world/no-such-article/",
        f"{partner}/2026/ferries?id=4&utm_campaign=spring",
        f"{partner}/2026/ferries?id=5",
        "https://elsewhere.example/news",
        "not an address",
    ]

    response = client.get(f"{API}/comment-counts", {"url": wanted}, HTTP_HOST=LEDGER)

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=30"
    assert response.json()["counts"] == [
        {"url": wanted[0], "article": article.pk, "count": 1},
        {"url": wanted[1], "article": article.pk, "count": 1},
        {"url": wanted[2], "article": article.pk, "count": 1},
        {"url": wanted[3], "article": osaka.pk, "count": 0},
        {"url": wanted[4], "article": None, "count": None},
        {"url": wanted[5], "article": discussion.pk, "count": 2},
        {"url": wanted[6], "article": None, "count": None},
        {"url": wanted[7], "article": None, "count": None},
        {"url": wanted[8], "article": None, "count": None},
    ]


def test_comment_counts_take_1_to_100_addresses(client, article, hana):
    written(article, hana, "A comment to count.")
    url = f"http://ledger.localhost/{article.url_path.removeprefix('/ledger/')}"

    def counts(urls):
        return client.get(f"{API}/comment-counts", {"url": urls}, HTTP_HOST=LEDGER)

    hundred = counts([f"{url}?utm_source={n}" for n in range(100)])
    too_many = counts([f"{url}?utm_source={n}" for n in range(101)])
    none = client.get(f"{API}/comment-counts", HTTP_HOST=LEDGER)

    assert [row["count"] for row in hundred.json()["counts"]] == [1] * 100
    problem = assert_problem(too_many, 422, "not valid")
    assert problem["errors"][0]["field"] == "url"
    assert_problem(none, 422)


def test_comment_counts_cost_the_same_queries_for_1_or_100_addresses(
    client, network, article, hana, django_assert_max_num_queries
):
    written(article, hana, "A comment to count.")
    partner = "https://partner.example"
    allow_embedding(network.sites["ledger"], partner)
    services.discussion_for(f"{partner}/a", "A", host_origin=partner)
    ours = f"http://ledger.localhost/{article.url_path.removeprefix('/ledger/')}"
    kinds = {
        # Our articles and addresses on our sites that name none.
        "ours": (ours, lambda n: [f"{ours}?utm_source={n}", f"{ours}x{n}/"]),
        # Embedded discussions and addresses elsewhere that have none.
        "embedded": (
            f"{partner}/a",
            lambda n: [f"{partner}/a?utm_medium={n}", f"https://else.example/{n}"],
        ),
    }

    def counted(urls):
        # One of them counts the request against the API's rate (ratelimit.store).
        with django_assert_max_num_queries(6) as queries:
            response = client.get(
                f"{API}/comment-counts", {"url": urls}, HTTP_HOST=LEDGER
            )
        assert len(response.json()["counts"]) == len(urls)
        return len(queries), response.json()["counts"]

    for kind, (one, more) in kinds.items():
        single, [row] = counted([one])
        hundred, rows = counted([url for n in range(50) for url in more(n)])
        assert hundred == single, kind
        assert row["count"] == (1 if kind == "ours" else 0)
        assert [r["count"] for r in rows[:2]] == [row["count"], None]
    both, _rows = counted([ours, f"{partner}/a"])
    mixed, _rows = counted(
        [url for n in range(25) for kind in kinds.values() for url in kind[1](n)]
    )
    assert mixed == both


# Readers --------------------------------------------------------------------------


def test_a_readers_public_profile(client, article, hana):
    written(article, hana, "Published and counted.")
    written(another_article(), hana, "Also counted.")
    removed = written(article, hana, "Removed, not counted.")
    transitions.remove_comment(removed, reason="Off topic.")

    response = client.get(f"{API}/readers/{hana.pk}", HTTP_HOST=LEDGER)

    assert response.json() == {
        "id": hana.pk,
        "name": "Hana",
        "joined": hana.date_joined.date().isoformat(),
        "joined_site": None,
        "comment_count": 2,
        "profile_url": f"http://ledger.localhost/readers/{hana.pk}/",
    }
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_deactivated_or_unknown_reader_is_not_found(client, network, hana):
    before = client.get(f"{API}/readers/{hana.pk}", HTTP_HOST=LEDGER)
    # An administrator deactivates the account in the admin.
    get_user_model().objects.filter(pk=hana.pk).update(is_active=False)

    after = client.get(f"{API}/readers/{hana.pk}", HTTP_HOST=LEDGER)

    assert before.status_code == 200
    assert_problem(after, 404, "No reader here.")
    assert_problem(client.get(f"{API}/readers/999999", HTTP_HOST=LEDGER), 404)


# Caching and cross-origin reading ---------------------------------------------------


def test_a_read_answers_its_etag_with_304_until_it_changes(client, article, hana):
    path = f"{API}/articles/{article.pk}/comments"
    first = client.get(path, HTTP_HOST=LEDGER)
    etag = first["ETag"]

    same = client.get(path, HTTP_HOST=LEDGER, HTTP_IF_NONE_MATCH=etag)
    among = client.get(path, HTTP_HOST=LEDGER, HTTP_IF_NONE_MATCH=f'"other", {etag}')
    written(article, hana, "Something new to read.")
    changed = client.get(path, HTTP_HOST=LEDGER, HTTP_IF_NONE_MATCH=etag)

    assert first.status_code == 200
    assert etag.startswith('"') and etag.endswith('"') and len(etag) == 34
    for unchanged in (same, among):
        assert unchanged.status_code == 304
        assert unchanged.content == b""
        assert unchanged["ETag"] == etag
        assert unchanged["Cache-Control"] == "public, max-age=15"
        assert unchanged["Access-Control-Allow-Origin"] == "*"
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["count"] == 1


CACHED = {
    "/sites": PUBLIC + "300",
    "/articles": PUBLIC + "60",
    "/articles/{article}": PUBLIC + "60",
    "/articles/{article}/comments": PUBLIC + "15",
    "/comment-counts?url=http://ledger.localhost/world/": PUBLIC + "30",
    "/readers/{reader}": PUBLIC + "60",
}


def test_public_reads_may_be_cached_and_read_from_any_website(client, article, hana):
    token = token_for(hana)

    for path, cache_control in CACHED.items():
        path = API + path.format(article=article.pk, reader=hana.pk)
        response = client.get(path, HTTP_HOST=LEDGER)

        assert response.status_code == 200, path
        assert response["Cache-Control"] == cache_control, path
        assert response["Access-Control-Allow-Origin"] == "*", path
        assert "Authorization" not in response.get("Vary", ""), path
        # Who asks makes no difference to a public read.
        signed_in = client.get(path, HTTP_HOST=LEDGER, **bearer(token))
        assert signed_in.content == response.content, path
        assert signed_in["ETag"] == response["ETag"], path


def test_private_reads_are_neither_shared_nor_readable_by_other_websites(
    client, network, hana
):
    token = token_for(hana)

    for path in ("/me", "/notifications"):
        response = client.get(API + path, HTTP_HOST=LEDGER, **bearer(token))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-cache"
        assert {"Cookie", "Authorization"} <= {
            name.strip() for name in response["Vary"].split(",")
        }
        assert "Access-Control-Allow-Origin" not in response
        assert response["ETag"]


def test_errors_of_public_reads_are_readable_by_other_websites_too(client, network):
    missing = client.get(f"{API}/articles/999999", HTTP_HOST=LEDGER)
    private = client.get(f"{API}/notifications", HTTP_HOST=LEDGER)

    assert_problem(missing, 404)
    assert missing["Access-Control-Allow-Origin"] == "*"
    assert_problem(private, 401)
    assert "Access-Control-Allow-Origin" not in private


# Rate limits ------------------------------------------------------------------------


def test_too_many_requests_are_refused_with_when_to_try_again(
    client, network, kenji, hana, api_rates
):
    api_rates("3/min", "5/min")
    kenjis, hanas = bearer(token_for(kenji)), bearer(token_for(hana))

    anonymous = [client.get(f"{API}/sites", HTTP_HOST=LEDGER) for _ in range(4)]
    elsewhere = client.get(f"{API}/sites", HTTP_HOST=LEDGER, REMOTE_ADDR="10.0.0.9")
    signed_in = [client.get(f"{API}/me", HTTP_HOST=LEDGER, **kenjis) for _ in range(6)]
    someone_else = client.get(f"{API}/me", HTTP_HOST=LEDGER, **hanas)

    for refused in (anonymous[-1], signed_in[-1]):
        assert_problem(refused, 429, "Too many requests; try again in ")
        assert 1 <= int(refused["Retry-After"]) <= 60
    assert [r.status_code for r in anonymous] == [200, 200, 200, 429]
    assert [r.status_code for r in signed_in] == [200] * 5 + [429]
    # Each address and each token has its own allowance.
    assert elsewhere.status_code == 200
    assert someone_else.json()["name"] == "Hana"


def test_a_changed_rate_applies_to_the_next_request(client, network):
    def sites():
        return client.get(f"{API}/sites", HTTP_HOST=LEDGER)

    with override_settings(NEWSROOM_API_RATE_ANONYMOUS="2/min"):
        allowed = [sites(), sites()]
        refused = sites()
    with override_settings(NEWSROOM_API_RATE_ANONYMOUS="4/min"):
        raised = sites()

    assert [r.status_code for r in allowed] == [200, 200]
    assert_problem(refused, 429, "Too many requests; try again in ")
    assert 1 <= int(refused["Retry-After"]) <= 60
    # The address has made three requests this minute; four are allowed now.
    assert raised.status_code == 200
