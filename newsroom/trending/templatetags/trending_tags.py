from django import template
from wagtail.models import Site

from newsroom.edge import keys
from newsroom.news.templatetags.news_tags import network_sites

from .. import selectors
from ..models import TrendingEntry

register = template.Library()


def _site(context):
    request = context.get("request")
    return Site.find_for_request(request) if request is not None else None


def _shown(entries):
    """Name each listed article on the page, so changing it purges this page."""
    keys.add_articles(entry.page_id for entry in entries)
    return entries


@register.inclusion_tag("trending/includes/ranked_list.html", takes_context=True)
def most_read(context):
    return _ranked(context, TrendingEntry.List.MOST_READ, "most-read")


@register.inclusion_tag("trending/includes/ranked_list.html", takes_context=True)
def most_discussed(context):
    return _ranked(context, TrendingEntry.List.MOST_DISCUSSED, "most-discussed")


def _ranked(context, which, heading_id) -> dict:
    """One of the site's ranked lists, headed by its name; the most discussed shows
    each article's new comments, the most read its section."""
    return {
        "entries": _shown(selectors.top(_site(context), which)),
        "heading": which.label,
        "heading_id": heading_id,
        "counts_comments": which == TrendingEntry.List.MOST_DISCUSSED,
    }


@register.inclusion_tag("trending/includes/network_mix.html", takes_context=True)
def trending_elsewhere(context):
    site = _site(context)
    sites = network_sites(context)
    names = {other["pk"]: other["site_name"] for other in sites}
    others = [Site(pk=other["pk"]) for other in sites]
    entries = _shown(selectors.network_mix(site, others))
    return {"entries": [(entry, names.get(entry.site_id, "")) for entry in entries]}
