"""A shared page prints each comment's time as a date in the site's zone, the same
for every reader on every day; the reader's browser words it `Today 06:53 am JST`,
`Yesterday …` or the date, in the reader's zone (newsroom/static/newsroom/times.js).

The demo is served as `make demo` serves it (the edge's page cache in front); the
comments are made in its database by a `manage.py shell` script, and each browser's
clock is set to a known instant, so what "today" is never depends on when the test
runs.
"""

import datetime
import json
import urllib.request
import zoneinfo

import pytest
from django.utils import timezone

from conftest import LEDGER, VIEWPORTS, expect, shoot, shoot_part
from newsroom.accounts.tests.helpers import PASSWORD
from newsroom.formats.display import clock_time, news_datetime

pytestmark = pytest.mark.browser

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
LONDON = "Europe/London"

SETUP_SCRIPT = """
import datetime, json
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Site
from newsroom.accounts.models import Profile
from newsroom.accounts.tests.factories import create_reader
from newsroom.comments import posting
from newsroom.comments.models import Comment, CommentSettings
from newsroom.moderation.models import ModerationSettings
from newsroom.news.models import SectionPage
from newsroom.news.tests.factories import publish_article

for site in Site.objects.all():
    rules = CommentSettings.for_site(site)
    rules.min_interval_seconds = 0
    rules.save()
    ModerationSettings.objects.update_or_create(
        site=site, defaults={"comments_per_minute": 0, "comments_per_hour": 0}
    )
section = SectionPage.objects.get(slug="national", url_path__startswith="/ledger/")
article = publish_article(
    section,
    "Harbour ferry timetable changes for the winter season",
    slug="times-in-the-readers-day",
    body=[("paragraph", "<p>The first boat leaves half an hour later.</p>")],
)
author = create_reader("Ferry Rider")
create_reader("Kensington Reader")
Profile.objects.filter(user__username="Kensington Reader").update(
    time_zone="Europe/London"
)
now = timezone.now().replace(microsecond=0)
times = {}
for name, age in (("earlier", 3), ("yesterday", 1), ("now", 0)):
    comment = posting.post_comment(page=article, author=author, body="Posted " + name)
    at = now - datetime.timedelta(days=age)
    Comment.objects.filter(pk=comment.pk).update(created_at=at)
    times[name] = {"id": comment.pk, "at": at.isoformat()}
path = article.url_path.removeprefix("/ledger")
print(json.dumps({"path": path, "now": now.isoformat(), "comments": times}))
"""


@pytest.fixture(scope="module")
def site(serve_demo):
    from newsroom.demo.server import manage

    with serve_demo("times-demo") as server:
        printed = manage("shell", "-v", "0", "-c", SETUP_SCRIPT, env=server.env)
        world = json.loads(printed.stdout.strip().splitlines()[-1])
        world["now"] = datetime.datetime.fromisoformat(world["now"])
        for comment in world["comments"].values():
            comment["at"] = datetime.datetime.fromisoformat(comment["at"])
        world["base"] = f"http://{LEDGER}:{server.port}"
        world["url"] = world["base"] + world["path"]
        yield world


@pytest.fixture
def browse(browser):
    """A browser of its own (`browse(clock=…, javascript=…)`) whose own zone is New
    York, so a time it shows in Tokyo or London comes from the page, not from it."""
    opened = []

    def open_one(*, clock=None, javascript=True):
        context = browser.new_context(
            viewport=VIEWPORTS["desktop"],
            timezone_id="America/New_York",
            java_script_enabled=javascript,
        )
        errors = []
        context.on(
            "page",
            lambda page: page.on("pageerror", lambda exc: errors.append(str(exc))),
        )
        page = context.new_page()
        if clock is not None:
            page.clock.set_fixed_time(clock)
        opened.append((context, errors))
        return page

    yield open_one
    for context, _errors in opened:
        context.close()
    assert [error for _context, errors in opened for error in errors] == []


def in_zone(moment, zone_name, text):
    with timezone.override(zone_name):
        return text(moment)


def time_of(page, comment):
    return page.locator(f"#comment-{comment['id']} .comment-time time")


def fill_the_page_cache(site):
    """An anonymous request, so the next one finds the shared page stored."""
    host = site["base"].removeprefix("http://")
    port = host.rsplit(":", 1)[1]
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{site['path']}", headers={"Host": host}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        assert response.headers["X-Newsroom-Shared"] == "1"


def test_the_browser_says_today_and_yesterday_the_shared_html_says_neither(
    site, browse
):
    comments = site["comments"]
    page = browse(clock=site["now"])

    response = page.goto(site["url"])

    # The bytes every reader gets, from any cache, on any day: dates in Tokyo time.
    html = response.text()
    assert response.headers["x-newsroom-shared"] == "1"
    assert "Today" not in html and "Yesterday" not in html
    for comment in comments.values():
        utc = f"{comment['at']:%Y-%m-%dT%H:%M:%S}Z"
        printed = in_zone(comment["at"], "Asia/Tokyo", news_datetime)
        assert f'<time datetime="{utc}" data-relative>{printed}</time>' in html
    # What the reader sees: their day, in the site's zone (not the browser's).
    now, yesterday = comments["now"]["at"], comments["yesterday"]["at"]
    expect(time_of(page, comments["now"])).to_have_text(
        "Today " + clock_time(now.astimezone(TOKYO))
    )
    expect(time_of(page, comments["yesterday"])).to_have_text(
        "Yesterday " + clock_time(yesterday.astimezone(TOKYO))
    )
    expect(time_of(page, comments["earlier"])).to_have_text(
        in_zone(comments["earlier"]["at"], "Asia/Tokyo", news_datetime)
    )
    assert time_of(page, comments["now"]).get_attribute("title") == in_zone(
        now, "Asia/Tokyo", news_datetime
    )
    shoot_part(page.locator("#comments"), "times-today-yesterday-desktop")
    shoot(page, "times-article-desktop")


def test_without_javascript_the_times_are_dates_in_the_sites_zone(site, browse):
    page = browse(javascript=False)
    page.goto(site["url"])

    for comment in site["comments"].values():
        assert time_of(page, comment).inner_text() == in_zone(
            comment["at"], "Asia/Tokyo", news_datetime
        )


def test_a_page_kept_overnight_says_yesterday_when_read_the_next_day(site, browse):
    comments = site["comments"]
    now = comments["now"]["at"]
    page = browse(clock=site["now"] + datetime.timedelta(days=1))
    page.goto(site["url"])

    expect(time_of(page, comments["now"])).to_have_text(
        "Yesterday " + clock_time(now.astimezone(TOKYO))
    )
    expect(time_of(page, comments["yesterday"])).to_have_text(
        in_zone(comments["yesterday"]["at"], "Asia/Tokyo", news_datetime)
    )


def test_a_page_left_open_past_midnight_turns_today_into_yesterday(site, browse):
    comment = site["comments"]["now"]
    local = comment["at"].astimezone(TOKYO)
    midnight = datetime.datetime.combine(
        local.date() + datetime.timedelta(days=1), datetime.time(), TOKYO
    )
    page = browse()
    page.clock.install(time=midnight - datetime.timedelta(seconds=30))
    page.goto(site["url"])
    expect(time_of(page, comment)).to_have_text("Today " + clock_time(local))

    page.clock.run_for(90 * 1000)  # past midnight and the minute's check after it

    expect(time_of(page, comment)).to_have_text("Yesterday " + clock_time(local))


def test_a_signed_in_reader_sees_the_shared_page_in_the_zone_they_chose(site, browse):
    comments = site["comments"]
    page = browse(clock=site["now"])
    page.goto(site["base"] + "/accounts/login/?next=/accounts/settings/")
    page.get_by_label("Email or display name").fill("Kensington Reader")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator(".entrance-login").get_by_role("button", name="Sign in").click()
    assert page.locator(".account-name").inner_text() == "Kensington Reader"

    fill_the_page_cache(site)
    with page.expect_response(lambda r: "/me/overlay/" in r.url) as overlay:
        response = page.goto(site["url"])

    # The shared page (times in Tokyo), shown in London time after the overlay.
    assert response.headers["x-newsroom-shared"] == "1"
    assert overlay.value.json()["time_zone"] == LONDON
    for name in ("now", "yesterday"):
        at = comments[name]["at"]
        local = at.astimezone(zoneinfo.ZoneInfo(LONDON))
        days = (site["now"].astimezone(local.tzinfo).date() - local.date()).days
        word = {0: "Today", 1: "Yesterday"}[days]
        hours = int(local.utcoffset().total_seconds()) // 3600
        zone = f"GMT+{hours}" if hours else "GMT"  # the browser's name for London
        clock = clock_time(local).rsplit(" ", 1)[0]
        expect(time_of(page, comments[name])).to_have_text(f"{word} {clock} {zone}")
    shoot_part(page.locator("#comments"), "times-signed-in-london-desktop")
