"""Reading for the API: comment counts for many article addresses at once."""

from urllib.parse import urlsplit

from wagtail.models import Page, Site

from newsroom.comments.models import Thread

from .models import DiscussionPage, origin_of
from .services import canonical_url

MAX_URLS = 100


def _site_roots() -> dict[str, tuple[int, str]]:
    """Each site's origin and its root page's (id, url_path)."""
    roots = {}
    for site in Site.objects.select_related("root_page"):
        roots[origin_of(site.root_url)] = (site.root_page_id, site.root_page.url_path)
    return roots


def counts_for(urls: list[str]) -> list[dict]:
    """`{url, count, page}` for each address, in order, in four queries whatever
    their number: articles on our sites by path, others by embedded thread."""
    roots = _site_roots()
    wanted = {}  # url as given → ("path", url_path) | ("embed", canonical)
    for url in urls:
        try:
            canonical = canonical_url(url)
        except Exception:
            wanted[url] = None
            continue
        root = roots.get(origin_of(canonical))
        if root is not None:
            path = urlsplit(canonical).path.strip("/")
            wanted[url] = ("path", root[1] + (path + "/" if path else ""))
        else:
            wanted[url] = ("embed", canonical)
    paths = {key[1] for key in wanted.values() if key and key[0] == "path"}
    embeds = {key[1] for key in wanted.values() if key and key[0] == "embed"}
    pages = {}
    if paths:
        pages.update(
            (("path", url_path), pk)
            for pk, url_path in Page.objects.live()
            .public()
            .filter(url_path__in=paths)
            .values_list("pk", "url_path")
        )
    if embeds:
        pages.update(
            (("embed", url), pk)
            for pk, url in DiscussionPage.objects.live()
            .filter(canonical_url__in=embeds)
            .values_list("pk", "canonical_url")
        )
    counts = dict(
        Thread.objects.filter(page_id__in=set(pages.values())).values_list(
            "page_id", "comment_count"
        )
    )
    result = []
    for url, key in wanted.items():
        page_id = pages.get(key) if key else None
        result.append(
            {
                "url": url,
                "page": page_id,
                "count": counts.get(page_id, 0) if page_id else None,
            }
        )
    return result
