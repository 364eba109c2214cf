import json
import re

from django import template
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.models import Site

from newsroom.edge import policy

from .. import pictures, slots
from ..freshness import FRAGMENT_TIMEOUT, content_version
from ..models import SectionPage

register = template.Library()

DEFAULT_BRAND_COLOUR = "#1f4e79"
BRAND_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")  # as NewsSiteSettings validates it

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


@register.simple_tag(takes_context=True)
def brand_style(context, colour) -> str:
    """The site's brand colour as an inline <style>, allowed by its hash in the
    page's Content-Security-Policy (the same for every reader of the page)."""
    if not (isinstance(colour, str) and BRAND_COLOUR.fullmatch(colour)):
        colour = DEFAULT_BRAND_COLOUR
    css = f":root {{ --brand: {colour}; }}"
    policy.allow_style(context.get("request"), css)
    # Safe: the colour is seven characters of # and hex digits, checked above.
    return mark_safe(f"<style>{css}</style>")  # noqa: S308


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


@register.simple_tag(takes_context=True)
def slot(context, name):
    """Every part apps put in the slot `name` (news.slots), rendered with the page's
    context as `{% include %}` would."""
    html = []
    for part in slots.parts(name):
        extra = part.with_context(context) if part.with_context else {}
        template = context.template.engine.get_template(part.template)
        with context.push(**extra):
            html.append(template.render(context))
    return mark_safe("".join(html))  # noqa: S308  (templates' own output)
