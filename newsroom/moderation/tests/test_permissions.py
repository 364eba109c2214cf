"""Every moderation URL, walked from Django's URL resolver, as each kind of visitor.

The walk finds every URL pattern whose name starts with "moderation": the admin
views wagtail_hooks registers under /cms/ and the readers' views in urls.py
(namespace "moderation"). A URL added without a place in `PATH_VALUES` and in
`GET_PAGES` or `POST_ONLY` fails the first test, so nothing goes unwalked.

Admin URLs pass Wagtail's admin guard before the moderators' own: a visitor without
admin access is sent to the admin's sign-in page, an editor (admin access, not a
moderator) back to the dashboard with "Sorry, you do not have permission", and a
script's request (X-Requested-With) gets 403 from both.
"""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client, TestCase
from django.urls import URLResolver, get_resolver, reverse

from conftest import LEDGER
from newsroom.accounts.tests.factories import create_reader
from newsroom.accounts.tests.helpers import sign_in
from newsroom.comments import posting, voting
from newsroom.comments.models import Comment, Vote
from newsroom.comments.tests.factories import set_rules
from newsroom.comments.tests.helpers import an_article
from newsroom.moderation import sanctions
from newsroom.moderation.models import (
    MODERATORS_GROUP,
    ArticleRules,
    LogEntry,
    RemovalReason,
    Report,
    Sanction,
    VoteRing,
)
from newsroom.moderation.selectors import Tab

pytestmark = pytest.mark.django_db

READER_URLS = {"moderation:report", "moderation:acknowledge"}
# Pages a moderator opens (200); the rest only take a POST (405 on GET).
GET_PAGES = {
    "moderation_queue_home",
    "moderation_queue",
    "moderation_reader",
    "moderation_article",
    "moderation_log",
    "moderation_log_results",
    "moderation_vote_rings",
    "moderation:report",
}
POST_ONLY = {
    "moderation_act",
    "moderation_sanction",
    "moderation_lift",
    "moderation_vote_ring",
    "moderation:acknowledge",
}
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def moderation_patterns() -> dict[str, set[str]]:
    """{full URL name: its path parameters} for every name starting "moderation"."""
    found = {}

    def walk(patterns, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else ""
                walk(entry.url_patterns, inner or namespace)
            elif entry.name and f"{namespace}{entry.name}".startswith("moderation"):
                found[f"{namespace}{entry.name}"] = set(entry.pattern.regex.groupindex)

    walk(get_resolver().url_patterns, "")
    return found


@pytest.fixture
def world(network):
    """Real objects for every path parameter, and the people who visit."""
    article = an_article()
    set_rules(article)
    User = get_user_model()
    author = create_reader("Walk Author")
    comment = posting.post_comment(
        page=article, author=author, body="A comment the walk aims at."
    )
    moderator = User.objects.create_user(username="Walk Moderator")
    moderator.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    warned = create_reader("Warned Walker")
    with TestCase.captureOnCommitCallbacks(execute=True):
        suspension = sanctions.sanction_reader(
            author,
            moderator=moderator,
            kind="suspend",
            days=7,
            reason="Walked into a wall.",
        )
        warning = sanctions.sanction_reader(
            warned, moderator=moderator, kind="warn", reason="Mind the thread."
        )
    with TestCase.captureOnCommitCallbacks(execute=True):
        for n in range(5):  # a ring of new accounts, for its flag's address
            voting.cast_vote(comment, create_reader(f"Ring Walker {n}"), 1)
    return {
        "ring": VoteRing.objects.filter(link=VoteRing.Link.NEW).get(),
        "article": article,
        "comment": comment,
        "author": author,
        "moderator": moderator,
        "editor": User.objects.get(username="editor"),
        "reader": create_reader("Walk Reader"),
        "warned": warned,
        "suspension": suspension,
        "warning": warning,
        "reason": RemovalReason.objects.get(title="Personal attack"),
    }


def path_values(world) -> dict[str, list[dict]]:
    """For each URL name, the path parameters to walk it with (one or more sets)."""
    return {
        "moderation_queue_home": [{}],
        "moderation_queue": [{"tab": tab} for tab in Tab.values],
        "moderation_act": [{}],
        "moderation_reader": [{"pk": world["author"].pk}],
        "moderation_sanction": [{"pk": world["author"].pk}],
        "moderation_lift": [{"pk": world["suspension"].pk}],
        "moderation_article": [{"pk": world["article"].pk}],
        "moderation_log": [{}],
        "moderation_log_results": [{}],
        "moderation_vote_rings": [{}],
        "moderation_vote_ring": [{"pk": world["ring"].pk}],
        "moderation:report": [{"pk": world["comment"].pk}],
        "moderation:acknowledge": [{"pk": world["warning"].pk}],
    }


def post_data(world) -> dict[str, dict]:
    """What each POST asks for; each would change something if it were let through
    (test_the_walks_posts_do_change_things_when_allowed shows it)."""
    return {
        "moderation_act": {
            "item": f"remove:{world['comment'].pk}",
            "reason": world["reason"].pk,
        },
        "moderation_sanction": {"kind": "ban", "reason": "Walked in twice."},
        "moderation_lift": {},
        "moderation_vote_ring": {"action": "discount"},
        "moderation_article": {"premoderate": "on", "slow_mode_seconds": "60"},
        "moderation:report": {"reason": "spam"},
        "moderation:acknowledge": {},
    }


def walk(world):
    """(name, URL) for every moderation URL, with real objects in its path."""
    values = path_values(world)
    for name in sorted(moderation_patterns()):
        for kwargs in values[name]:
            url = reverse(name, kwargs=kwargs)
            yield name, url
            if name == "moderation_log":
                yield name, url + "?export=csv"


def state() -> dict:
    """Everything a moderation POST could change."""
    return {
        "comments": sorted(Comment.objects.values_list("pk", "status")),
        "log entries": LogEntry.objects.count(),
        "sanctions": sorted(
            Sanction.objects.values_list("pk", "kind", "lifted_at", "acknowledged_at")
        ),
        "reports": Report.objects.count(),
        "vote rings": sorted(VoteRing.objects.values_list("pk", "status")),
        "discounted votes": Vote.objects.filter(is_discounted=True).count(),
        "article rules": sorted(
            ArticleRules.objects.values_list(
                "page_id", "premoderate", "slow_mode_seconds"
            )
        ),
    }


def signed_in(user, **options) -> Client:
    client = Client(HTTP_HOST=LEDGER, **options)
    client.force_login(user)
    return client


def reader_client(name, **options) -> Client:
    """A reader signed in through the sign-in page, as readers sign in."""
    client = Client(HTTP_HOST=LEDGER, **options)
    page = client.get("/accounts/login/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response = sign_in(client, name, csrfmiddlewaretoken=token)
    assert response.status_code == 302
    return client


def sent_to(response, login_path, url):
    """Whether the response redirects to `login_path` with `url` to come back to."""
    target = urlparse(response["Location"])
    return (
        response.status_code == 302
        and target.path == login_path
        and parse_qs(target.query).get("next") == [url]
    )


def test_every_moderation_url_is_walked(world):
    found = moderation_patterns()

    assert set(path_values(world)) == set(found)
    assert GET_PAGES | POST_ONLY == set(found)
    assert not GET_PAGES & POST_ONLY
    assert set(post_data(world)) == POST_ONLY | {"moderation_article", *READER_URLS}
    for name, parameters in found.items():
        for kwargs in path_values(world)[name]:
            assert set(kwargs) == parameters, name
    # The readers' URLs are the app's own; every other one lives in the admin.
    assert {name for name in found if ":" in name} == READER_URLS
    for name, url in walk(world):
        assert url.startswith("/cms/moderation/") == (name not in READER_URLS), url


def test_an_anonymous_visitor_is_sent_to_sign_in_and_changes_nothing(world):
    visitor = Client(HTTP_HOST=LEDGER)
    before = state()

    for name, url in walk(world):
        login = "/accounts/login/" if name in READER_URLS else "/cms/login/"
        assert sent_to(visitor.get(url), login, url), url
        data = post_data(world).get(name, {})
        assert sent_to(visitor.post(url, data), login, url), url

    assert state() == before


def test_a_reader_is_refused_every_admin_url_and_changes_nothing(world):
    reader = reader_client("Walk Reader")
    assert reader.get(world["article"].url).status_code == 200  # signed in
    before = state()

    for name, url in walk(world):
        if name in READER_URLS:
            continue
        data = post_data(world).get(name, {})
        # Wagtail's admin guard: no admin access, so to its sign-in page.
        assert sent_to(reader.get(url), "/cms/login/", url), url
        assert sent_to(reader.post(url, data), "/cms/login/", url), url
        assert reader.get(url, **XHR).status_code == 403, url
        assert reader.post(url, data, **XHR).status_code == 403, url

    assert state() == before


def test_an_editor_without_the_group_is_refused_every_admin_url(world):
    editor = signed_in(world["editor"])
    assert editor.get("/cms/").status_code == 200  # admin access, not a moderator
    before = state()

    for name, url in walk(world):
        if name in READER_URLS:
            continue
        data = post_data(world).get(name, {})
        for response in (editor.get(url), editor.post(url, data)):
            assert response.status_code == 302, url
            assert response["Location"] == "/cms/", url
        assert editor.get(url, **XHR).status_code == 403, url
        assert editor.post(url, data, **XHR).status_code == 403, url

    assert state() == before
    page = editor.get("/cms/")
    assert "Sorry, you do not have permission to access this area." in (
        page.content.decode()
    )


def test_a_moderator_opens_every_page(world):
    desk = signed_in(world["moderator"])

    for name, url in walk(world):
        response = desk.get(url)
        expected = 200 if name in GET_PAGES else 405
        assert response.status_code == expected, (url, response.status_code)
        if url.endswith("?export=csv"):
            assert response["Content-Type"].startswith("text/csv")


def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(world):
    clients = {
        "moderation:report": reader_client("Walk Reader", enforce_csrf_checks=True),
        "moderation:acknowledge": reader_client(
            "Warned Walker", enforce_csrf_checks=True
        ),
    }
    desk = signed_in(world["moderator"], enforce_csrf_checks=True)
    before = state()

    for name, url in walk(world):
        client = clients.get(name, desk)
        response = client.post(url, post_data(world).get(name, {}))
        assert response.status_code == 403, url
        assert "CSRF" in response.content.decode(), url

    assert state() == before


def test_the_walks_posts_do_change_things_when_allowed(world):
    """The same POSTs, by the right people with a token, change what the refusals
    above left alone: those refusals were not empty requests."""
    actors = {
        "moderation:report": reader_client("Walk Reader"),
        "moderation:acknowledge": reader_client("Warned Walker"),
    }
    desk = signed_in(world["moderator"])
    data = post_data(world)
    # The report comes before the removal, which would leave nothing to report.
    order = [
        "moderation:report",
        "moderation:acknowledge",
        "moderation_article",
        "moderation_sanction",
        "moderation_lift",
        "moderation_vote_ring",
        "moderation_act",
    ]
    urls = dict(walk(world))
    assert set(order) == set(data)

    for name in order:
        before = state()
        response = actors.get(name, desk).post(urls[name], data[name])
        assert response.status_code in (200, 302), (name, response.status_code)
        assert state() != before, name
