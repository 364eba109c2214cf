"""Reads for the news pages. Query counts here do not depend on the size of a listing.

Listings show each article's section label. An article's section is its parent page;
instead of one query per article, the sections of the site are loaded once and matched
on the tree path (a child's path is its parent's path plus one step).
"""

import re
import unicodedata
from datetime import timedelta

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page, Site

from . import listings, pictures, seo
from .models import ArticleAuthor, ArticlePage, Author, NewsSiteSettings, SectionPage

SEARCH_QUERY_MAX_LENGTH = (
    200  # longer queries are cut; nobody types more into a news search
)
SEARCH_RESULTS_MAX = 200  # deeper than anyone pages through search results
SECTION_TEASERS = 4  # articles per section on the front page
LATEST_ITEMS = 6  # headlines in the front page's Latest rail
FEED_ITEMS = 30


def listed(queryset):
    """Everything a card shows (not the body, which can be large), in one query:
    what other apps add to listings included (listings.py)."""
    return listings.annotated(
        queryset.live()
        .public()
        .defer_streamfields()
        .select_related("lead_image")
        .order_by("-first_published_at", "-pk")
    )


def with_bylines(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "article_authors", queryset=ArticleAuthor.objects.select_related("author")
        ),
        "tags",
    )


def site_articles(home):
    return listed(ArticlePage.objects.descendant_of(home))


def section_articles(section):
    return listed(ArticlePage.objects.child_of(section))


def articles_with_tag(home, tag):
    return site_articles(home).filter(tags=tag)


def articles_by_author(home, author):
    return site_articles(home).filter(article_authors__author=author).distinct()


def get_tag(slug: str) -> Tag:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("No such tag")
    return tag


def clean_search_query(raw: str) -> str:
    """Drop control characters, collapse whitespace and cap a search query's length."""
    text = "".join(ch for ch in raw if unicodedata.category(ch)[0] != "C")
    return " ".join(text.split())[:SEARCH_QUERY_MAX_LENGTH]


def search_terms(query: str) -> str:
    """The words of a query, without the punctuation search backends treat as syntax."""
    return " ".join(re.findall(r"\w+", query))


def search_articles(home, query: str, *, limit=SEARCH_RESULTS_MAX):
    """Articles of the site matching every word of `query`, best first."""
    terms = search_terms(query)
    if not terms:
        return []
    hits = (
        ArticlePage.objects.live()
        .public()
        .descendant_of(home)
        .search(terms, operator="and")[:limit]
    )
    ranked_ids = [hit.pk for hit in hits]
    by_id = {
        article.pk: article
        for article in listed(ArticlePage.objects.filter(pk__in=ranked_ids))
    }
    return [by_id[pk] for pk in ranked_ids if pk in by_id]


def sections_by_path(home) -> dict[str, SectionPage]:
    return {
        section.path: section for section in SectionPage.objects.live().child_of(home)
    }


def attach_sections(articles, home, sections=None):
    """Set `article.section` on each article from one query of the site's sections."""
    sections = sections if sections is not None else sections_by_path(home)
    for article in articles:
        article.section = sections.get(article.path[: -Page.steplen])
    return articles


def listing(home, articles, page_number, *, section=None, per_page=None):
    """One page of a listing.

    A missing or malformed page number gives page 1, an out-of-range one the last page.
    """
    from django.conf import settings

    paginator = Paginator(articles, per_page or settings.NEWSROOM_ARTICLES_PER_PAGE)
    page = paginator.get_page(page_number)
    items = list(page.object_list)
    pictures.prefetch_renditions(article.lead_image for article in items)
    if section is not None:
        for article in items:
            article.section = section
    else:
        attach_sections(items, home)
    return {"articles": items, "page_obj": page, "paginator": paginator}


def front_page(home):
    """The lead story and the latest articles of every section."""
    sections = list(SectionPage.objects.live().child_of(home))
    # The newest story with a photo leads; a site without photos still gets a lead.
    lead = (
        site_articles(home).exclude(lead_image=None).first()
        or site_articles(home).first()
    )
    lead_pk = getattr(lead, "pk", None)
    by_section = []
    for section in sections:
        teasers = list(section_articles(section).exclude(pk=lead_pk)[:SECTION_TEASERS])
        for article in teasers:
            article.section = section
        if teasers:
            by_section.append((section, teasers))
    latest = list(site_articles(home).exclude(pk=lead_pk)[:LATEST_ITEMS])
    # The Latest rail shows no photos; the lead and the teasers do.
    pictures.prefetch_renditions(
        article.lead_image
        for article in [lead, *(a for _s, teasers in by_section for a in teasers)]
        if article is not None
    )
    attach_sections(
        [lead, *latest] if lead else latest, home, {s.path: s for s in sections}
    )
    return {"lead": lead, "latest": latest, "sections_with_articles": by_section}


def article_context(article, request):
    """Section, byline and tags of one article, in a fixed number of queries."""
    if getattr(request, "is_preview", False):
        authors = [link.author for link in article.article_authors.all()]
        tags = list(article.tags.all())
    else:
        authors = list(
            Author.objects.filter(article_links__page=article).order_by(
                "article_links__sort_order"
            )
        )
        tags = list(article.tags.order_by("name"))
    section = article.get_parent().specific
    site = Site.find_for_request(request)
    site_settings = NewsSiteSettings.for_request(request)
    home_url = site.root_page.url if site else "/"
    structured = seo.news_article_json_ld(
        article,
        request,
        authors=authors,
        tags=tags,
        section=section,
        site_settings=site_settings,
        site_name=site.site_name if site else "",
        home_url=home_url,
    )
    return {
        "section": section,
        "byline_authors": authors,
        "tags": tags,
        "home_url": home_url,
        "year": timezone.localtime(article.published_at).year,
        "structured_data": structured,
        "social_image_url": structured.get("image", [""])[0],
    }


def feed_articles(scope):
    if isinstance(scope, SectionPage):
        return list(with_bylines(section_articles(scope))[:FEED_ITEMS])
    return list(with_bylines(site_articles(scope))[:FEED_ITEMS])


def recent_articles_for_news_sitemap(home, *, now=None, days=2):
    """Articles first published in the last `days` days, as Google News asks."""
    now = now or timezone.now()
    return list(
        ArticlePage.objects.live()
        .public()
        .descendant_of(home)
        .filter(first_published_at__gte=now - timedelta(days=days))
        .prefetch_related("tags")
        .order_by("-first_published_at")[:1000]
    )
