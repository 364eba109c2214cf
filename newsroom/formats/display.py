"""How times and counts read, the same in pages, the API and emails.

No models and no app: every app may use it (the infrastructure layer,
docs/architecture.md). Templates reach these through the `formats` tag library.
"""

import datetime

from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def clock_time(local) -> str:
    """`02:15 pm JST` for an already-localised datetime."""
    return f"{local:%I:%M} {local.strftime('%p').lower()} {local:%Z}"


def news_datetime(value) -> str:
    """`Nov 26 2026 02:15 pm JST` in the current time zone, as text (emails, sentences);
    a time on its own in a page is `time_element`."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local:%b} {local.day} {local:%Y} {clock_time(local)}"


def time_element(value, *, relative: bool) -> str:
    """A time in a page, the same for every reader on every day, so the page may be
    shared: the instant in UTC, and as text in the current zone (the site's on a
    shared page) for readers without JavaScript. times.js rewrites the text in the
    reader's zone, as `Today 06:53 am JST` or `Yesterday …` when `relative`."""
    if not value:
        return ""
    if isinstance(value, str):  # as kept in JSON (a quote's time)
        value = datetime.datetime.fromisoformat(value)
    instant = value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    kind = "relative" if relative else "absolute"
    return format_html(
        '<time datetime="{}" data-{}>{}</time>', instant, kind, news_datetime(value)
    )


def times_script() -> str:
    """The <script> of times.js, told the zone the page's times are printed in and
    the abbreviations the server prints for the site's zone by UTC offset in minutes
    (`540=JST`), which browsers do not know (they say `GMT+9`)."""
    site_zone = timezone.get_default_timezone()
    year = timezone.now().year
    names = {}
    for month in (1, 7):  # winter and summer, whichever hemisphere
        moment = datetime.datetime(year, month, 1, tzinfo=site_zone)
        names[int(moment.utcoffset().total_seconds()) // 60] = moment.tzname()
    return format_html(
        '<script src="{}" data-time-zone="{}" data-site-zone="{}" '
        'data-zone-names="{}" defer></script>',
        static("newsroom/times.js"),
        timezone.get_current_timezone_name(),
        timezone.get_default_timezone_name(),
        " ".join(f"{offset}={name}" for offset, name in names.items()),
    )


def comment_count_label(count) -> str:
    """`No comments yet`, `1 Comment`, `47 Comments`."""
    count = count or 0
    if count == 0:
        return _("No comments yet")
    return ngettext("%(count)s Comment", "%(count)s Comments", count) % {
        "count": f"{count:,}"
    }


def vote_label(up: int, down: int) -> str:
    """`-3 ( +3 / -6 )`: net, then up and down."""
    return f"{up - down} ( +{up} / -{down} )"
