"""The API's sites, sections and articles (mounted by `api/` under `/api/v1/`).

An article's answer also carries its comments' count and address and whether they
are closed, which only comments knows: comments fills those fields through
`summary_fields` and `article_fields` (rest.additions), registered in its apps.py.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils.html import strip_tags
from ninja import Field, Query, Router, Schema
from wagtail.models import Site

from newsroom.rest.additions import Additions
from newsroom.rest.conventions import (
    MAX_ID,
    MAX_PAGE,
    PAGE_SIZE,
    SLUG,
    Id,
    page_number,
    responses,
)

from . import listings
from . import selectors as news
from .models import ArticlePage, Author, SectionPage

router = Router()

# Fields of every article's answer, listed or alone, that apps above news fill
# (comments: `comment_count`, `comments_url`); they read only what the listings'
# annotations (listings.py) put on the article.
summary_fields = Additions()
# Fields of an article read alone (comments: `comments_closed`).
article_fields = Additions()


# Sites and sections


class SectionOut(Schema):
    id: int
    title: str
    slug: str
    url: str


class SiteOut(Schema):
    id: int
    name: str
    url: str
    sections: list[SectionOut]


@router.get(
    "/sites", response=responses(list[SiteOut]), tags=["sites"], url_name="sites"
)
def sites(request):
    """Every site of the network and its sections."""
    result = []
    for site in Site.objects.select_related("root_page").order_by(
        "-is_default_site", "site_name"
    ):
        sections = SectionPage.objects.live().public().child_of(site.root_page)
        result.append(
            {
                "id": site.pk,
                "name": site.site_name,
                "url": site.root_url + "/",
                "sections": [
                    {
                        "id": s.pk,
                        "title": s.title,
                        "slug": s.slug,
                        "url": site.root_url + "/" + s.slug + "/",
                    }
                    for s in sections
                ],
            }
        )
    return result


# Articles


class AuthorOut(Schema):
    name: str
    slug: str


class PhotoOut(Schema):
    title: str
    caption: str
    credit: str


class ArticleSummary(Schema):
    id: int
    site: int
    title: str
    standfirst: str
    url: str
    section: str
    published_at: datetime.datetime
    updated_at: datetime.datetime | None
    authors: list[AuthorOut]
    tags: list[str]
    comment_count: int  # filled by comments (summary_fields)
    comments_url: str  # filled by comments (summary_fields)


class ArticleOut(ArticleSummary):
    body_html: str
    body_text: str
    photo: PhotoOut | None
    wire_copyright: str | None
    comments_closed: bool  # filled by comments (article_fields)


class ArticleListPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ArticleSummary]


def _site_of(page, sites_by_root) -> Site | None:
    for root_path, site in sites_by_root:
        if page.path.startswith(root_path):
            return site
    return None


def _sites_by_root():
    return sorted(
        (
            (site.root_page.path, site)
            for site in Site.objects.select_related("root_page")
        ),
        key=lambda pair: -len(pair[0]),
    )


def _summary(request, article, site) -> dict:
    root = site.root_url if site else ""
    root_path = site.root_page.url_path if site else "/"
    url = root + "/" + article.url_path[len(root_path) :]
    return {
        "id": article.pk,
        "site": site.pk if site else 0,
        "title": article.title,
        "standfirst": article.standfirst,
        "url": url,
        "section": article.url_path[len(root_path) :].split("/", 1)[0],
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "authors": [
            {"name": link.author.name, "slug": link.author.slug}
            for link in article.article_authors.all()
        ],
        "tags": sorted(tag.name for tag in article.tags.all()),
        **summary_fields.fields(request, article),
    }


class ArticleFilters(Schema):
    site: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only this site's articles."
    )
    section: int | None = Field(
        None, ge=1, le=MAX_ID, description="Only this section's articles."
    )
    tag: str | None = Field(
        None, max_length=100, pattern=SLUG, description="A tag's slug."
    )
    author: str | None = Field(
        None, max_length=120, pattern=SLUG, description="An author's slug."
    )
    page: int = Field(1, ge=1, le=MAX_PAGE)


@router.get(
    "/articles",
    response=responses(ArticleListPage),
    tags=["articles"],
    url_name="articles",
)
def articles(request, filters: Query[ArticleFilters]):
    """Published articles, newest first, 20 a page: by site, section, tag or
    author (combine them freely)."""
    pages = ArticlePage.objects.all()
    if filters.site is not None:
        site = get_object_or_404(
            Site.objects.select_related("root_page"), pk=filters.site
        )
        pages = pages.descendant_of(site.root_page)
    if filters.section is not None:
        section = get_object_or_404(SectionPage.objects.live(), pk=filters.section)
        pages = pages.child_of(section)
    if filters.tag:
        pages = pages.filter(tags__slug=filters.tag)
    if filters.author:
        author = get_object_or_404(Author, slug=filters.author)
        pages = pages.filter(article_authors__author=author).distinct()
    listed = news.listed(pages)
    total = listed.count()
    number, count_pages = page_number(filters.page, total, PAGE_SIZE)
    chosen = list(
        news.with_bylines(listed)[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    )
    roots = _sites_by_root()
    return {
        "count": total,
        "page": number,
        "pages": count_pages,
        "results": [_summary(request, a, _site_of(a, roots)) for a in chosen],
    }


@router.get(
    "/articles/{article_id}",
    response=responses(ArticleOut),
    tags=["articles"],
    url_name="article",
)
def article(request, article_id: Id):
    """One published article, with its body as HTML and as plain text."""
    page = get_object_or_404(
        news.with_bylines(
            listings.annotated(
                ArticlePage.objects.live()
                .public()
                .select_related("lead_image", "wire_agency")
            )
        ),
        pk=article_id,
    )
    body_html = "".join(str(block) for block in page.body)
    out = _summary(request, page, _site_of(page, _sites_by_root()))
    image = page.lead_image
    out.update(
        body_html=body_html,
        body_text="\n\n".join(
            " ".join(strip_tags(str(block)).split()) for block in page.body
        ),
        photo=(
            {"title": image.title, "caption": image.caption, "credit": image.credit}
            if image
            else None
        ),
        wire_copyright=(
            f"© {page.wire_agency.copyright_holder} {page.published_at.year}."
            if page.wire_agency
            else None
        ),
        **article_fields.fields(request, page),
    )
    return out
