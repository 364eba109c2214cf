import datetime
import json

from django import template
from django.core.cache import cache
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from .. import pictures
from ..freshness import FRAGMENT_TIMEOUT, content_version
from ..models import SectionPage

register = template.Library()

# Characters that could close the <script> element or open a comment inside it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def join_names(names: list) -> str:
    """`A`, `A and B`, `A, B and C`; escapes each name, so it may hold links."""
    names = [conditional_escape(name) for name in names]
    if len(names) <= 1:
        return mark_safe("".join(names))  # noqa: S308 - parts escaped above
    joined = _("%(names)s and %(last_name)s") % {
        "names": ", ".join(names[:-1]),
        "last_name": names[-1],
    }
    return mark_safe(joined)  # noqa: S308 - parts escaped above


@register.simple_tag
def byline(authors, home_url):
    """The authors' names, each linking to their page, joined as English prose."""
    links = [
        format_html(
            '<a href="{}authors/{}/">{}</a>', home_url, author.slug, author.name
        )
        for author in authors
    ]
    return join_names(links)


@register.simple_tag
def json_ld(data) -> str:
    """Serialise `data` into an inert application/ld+json script element."""
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    # Safe: the payload is JSON whose <, > and & are escaped above.
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


@register.inclusion_tag("news/includes/section_nav.html", takes_context=True)
def section_nav(context):
    """The site's sections menu, cached per site until published content changes."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    sections = []
    if site is not None:
        key = f"news:section-nav:{site.pk}:{content_version(request)}"
        sections = cache.get(key)
        if sections is None:
            sections = [
                {
                    "title": section.title,
                    "url": section.get_url(request),
                    "path": section.path,
                }
                for section in SectionPage.objects.live()
                .in_menu()
                .child_of(site.root_page)
            ]
            cache.set(key, sections, FRAGMENT_TIMEOUT)
    current = context.get("section") or context.get("page")
    current_path = getattr(current, "path", "")
    for section in sections:
        section["is_current"] = bool(current_path) and current_path.startswith(
            section["path"]
        )
    return {"sections": sections, "request": request}


@register.simple_tag
def responsive_picture(image, shape_name, **attrs):
    """`{% responsive_picture photo "lead" alt="" fetchpriority="high" %}`: the photo
    as a <picture> in one of `pictures.SHAPES`, empty when there is no photo."""
    if not image:
        return ""
    return pictures.picture(image, shape_name, **attrs)


@register.simple_tag
def this_year() -> int:
    return timezone.localdate().year


@register.filter
def comment_count_label(count) -> str:
    """`No comments yet`, `1 Comment`, `47 Comments`."""
    count = count or 0
    if count == 0:
        return _("No comments yet")
    return ngettext("%(count)s Comment", "%(count)s Comments", count) % {
        "count": f"{count:,}"
    }


@register.simple_tag(takes_context=True)
def network_sites(context):
    """Every site of the network (name, address, pk), default first, for the footer."""
    key = f"news:network-sites:{content_version(context.get('request'))}"
    sites = cache.get(key)
    if sites is None:
        sites = [
            {"pk": site.pk, "site_name": site.site_name, "root_url": site.root_url}
            for site in Site.objects.order_by("-is_default_site", "site_name")
        ]
        cache.set(key, sites, FRAGMENT_TIMEOUT)
    return sites


@register.filter
def news_datetime(value) -> str:
    """`Nov 26 2026 02:15 pm JST` in the current time zone, as text (emails, sentences);
    a time on its own in a page is `news_time`."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local:%b} {local.day} {local:%Y} {clock_time(local)}"


@register.filter
def news_time(value) -> str:
    """`<time datetime="2026-11-26T05:15:00Z" data-absolute>Nov 26 2026 02:15 pm
    JST</time>`: times.js shows it in the reader's zone."""
    return time_element(value, relative=False)


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


@register.simple_tag
def times_script():
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


def clock_time(local) -> str:
    """`02:15 pm JST` for an already-localised datetime."""
    return f"{local:%I:%M} {local.strftime('%p').lower()} {local:%Z}"
