"""Structured data and social cards for articles (schema.org NewsArticle, OpenGraph)."""

from django.utils import timezone

LEAD_IMAGE_SPEC = "fill-1200x675"  # 16:9, the ratio Google and social cards prefer
LOGO_SPEC = "max-600x60"  # Google's publisher logo limits


def news_article_json_ld(
    article, request, *, authors, tags, section, site_settings, site_name, home_url
) -> dict:
    """The schema.org NewsArticle description of an article, as a plain dict."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.get_full_url(request)},
        "headline": article.title[:110],
        "description": article.standfirst,
        "datePublished": timezone.localtime(article.published_at).isoformat(),
        "dateModified": timezone.localtime(
            article.modified_at or article.published_at
        ).isoformat(),
        "articleSection": section.title,
        "author": [
            {
                "@type": "Person",
                "name": author.name,
                "url": request.build_absolute_uri(f"{home_url}authors/{author.slug}/"),
            }
            for author in authors
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": site_settings.publisher_name,
        },
        "keywords": [tag.name for tag in tags],
    }
    # Google wants an image on every NewsArticle: the lead photo, else the site's logo.
    picture = article.lead_image or site_settings.logo
    if picture:
        rendition = picture.get_rendition(LEAD_IMAGE_SPEC)
        data["image"] = [request.build_absolute_uri(rendition.url)]
    if site_settings.logo:
        logo = site_settings.logo.get_rendition(LOGO_SPEC)
        data["publisher"]["logo"] = {
            "@type": "ImageObject",
            "url": request.build_absolute_uri(logo.url),
            "width": logo.width,
            "height": logo.height,
        }
    data["publisher"]["url"] = request.build_absolute_uri("/")
    data["publisher"]["alternateName"] = site_name
    if article.wire_agency_id:
        data["sourceOrganization"] = {
            "@type": "NewsMediaOrganization",
            "name": article.wire_agency.name,
        }
    return data
