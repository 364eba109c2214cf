"""Photos as responsive pictures: widths and formats in the HTML, files served with
the caching their names allow, renditions found without a query per photo."""

import io
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image
from wagtail.documents.models import Document

from conftest import clear_cache
from newsroom.news import pictures

from . import factories

pytestmark = pytest.mark.django_db

A_YEAR = "public, max-age=31536000, immutable"
A_DAY = "public, max-age=86400"
VOID_TAGS = {"img", "source", "meta", "link", "br", "hr", "input", "wbr"}


class _Pictures(HTMLParser):
    """Each <picture> of a page: the classes around it, its sources by type, its img."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._classes = []  # one entry per open element
        self._open = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self._open = {
                "within": " ".join(c for c in self._classes if c).split(),
                "sources": {},
                "img": None,
            }
            self.found.append(self._open)
        elif tag == "source" and self._open is not None:
            self._open["sources"][attrs["type"]] = attrs
        elif tag == "img" and self._open is not None:
            self._open["img"] = attrs
        if tag not in VOID_TAGS:
            self._classes.append(attrs.get("class", ""))

    def handle_endtag(self, tag):
        if tag == "picture":
            self._open = None
        if tag not in VOID_TAGS and self._classes:
            self._classes.pop()


def pictures_in(response, within):
    parser = _Pictures()
    parser.feed(response.content.decode())
    return [found for found in parser.found if within in found["within"]]


def widths(srcset: str) -> dict[int, str]:
    """`a.webp 480w, b.webp 800w` as {480: "a.webp", 800: "b.webp"}; a lone URL as
    {0: url}."""
    candidates = {}
    for candidate in srcset.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        candidates[int(descriptor.rstrip("w") or 0)] = url
    return candidates


def fetch(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else b""
    # The file only: response.close() would also send request_finished, whose
    # receiver closes the database connection a test runs its transaction in.
    stream = getattr(response, "file_to_stream", None)
    if stream is not None:
        stream.close()
    return response, body


def test_the_lead_photo_offers_widths_in_modern_formats_over_a_jpeg(ledger):
    photo = factories.photo("Cranes at Yokohama", size=(1200, 675))
    story = factories.publish_article(
        factories.section("world"), "Cranes idle", slug="cranes-idle", image=photo
    )

    (lead,) = pictures_in(ledger.get(story.url), "photo--lead")

    assert list(lead["sources"]) == ["image/webp"]
    webp = widths(lead["sources"]["image/webp"]["srcset"])
    assert sorted(webp) == [480, 800, 1200]
    assert lead["sources"]["image/webp"]["sizes"] == pictures.SHAPES["lead"].sizes
    img = lead["img"]
    assert sorted(widths(img["srcset"])) == [480, 800, 1200]
    assert img["src"].endswith(".jpg") and img["src"] == widths(img["srcset"])[1200]
    # Room kept for the photo before it arrives, at its width or its column's.
    assert (img["width"], img["height"]) == ("1200", "675")
    assert img["fetchpriority"] == "high" and "loading" not in img
    assert img["alt"] == "Cranes at Yokohama"
    for width, url in webp.items():
        response, body = fetch(ledger, url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == A_YEAR
        assert Image.open(io.BytesIO(body)).size == (width, width * 9 // 16)


def test_avif_comes_first_when_switched_on(ledger, settings):
    if not pictures.pillow_encodes_avif():
        pytest.skip("this Pillow cannot encode AVIF")
    settings.NEWSROOM_IMAGE_AVIF = True
    photo = factories.photo("Cranes at dusk", size=(800, 450))
    story = factories.publish_article(
        factories.section("world"), "Cranes at dusk", slug="cranes-dusk", image=photo
    )

    (lead,) = pictures_in(ledger.get(story.url), "photo--lead")

    assert list(lead["sources"]) == ["image/avif", "image/webp"]
    avif = widths(lead["sources"]["image/avif"]["srcset"])
    assert sorted(avif) == [480, 800]
    response, body = fetch(ledger, avif[800])
    assert response["Content-Type"] == "image/avif"
    assert response["Cache-Control"] == A_YEAR
    assert Image.open(io.BytesIO(body)).size == (800, 450)


def test_teasers_and_the_lead_story_are_pictures_cached_for_a_year(ledger):
    photo = factories.photo("Night market", size=(1200, 675))
    factories.publish_article(
        factories.section("national"), "Night market", slug="night-market", image=photo
    )

    front = ledger.get("/")

    (lead_story,) = pictures_in(front, "card--large")
    assert sorted(widths(lead_story["sources"]["image/webp"]["srcset"])) == [
        480,
        800,
        1200,
    ]
    assert lead_story["img"]["fetchpriority"] == "high"
    teasers = pictures_in(front, "card-grid")
    assert teasers
    for teaser in teasers:
        assert teaser["img"]["loading"] == "lazy"
        assert teaser["img"]["sizes"] == pictures.SHAPES["card"].sizes
        assert teaser["img"]["alt"] == ""
        # The baseline's photos are 320 pixels wide: one width, never upscaled.
        (url,) = widths(teaser["sources"]["image/webp"]["srcset"]).values()
        response, body = fetch(ledger, url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == A_YEAR
        assert Image.open(io.BytesIO(body)).format == "WEBP"


def test_originals_are_cached_for_a_day_and_documents_only_served_by_wagtail(ledger):
    photo = factories.photo("Harbour at noon")
    original = f"/media/{photo.file.name}"

    response, _body = fetch(ledger, original)
    assert response.status_code == 200
    assert response["Cache-Control"] == A_DAY
    again = ledger.get(original, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304

    document = Document.objects.create(title="Annual report")
    document.file.save("annual-report.txt", io.BytesIO(b"Figures."))
    response, body = fetch(ledger, document.url)
    assert (response.status_code, body) == (200, b"Figures.")
    for direct in (
        f"/media/{document.file.name}",
        f"/media/images/../{document.file.name}",
        f"/media//{document.file.name}",
    ):
        assert ledger.get(direct).status_code == 404, direct


def test_a_listing_finds_its_renditions_in_one_query(ledger, settings):
    world = factories.section("world")
    for seed in range(4):
        factories.publish_article(
            world,
            f"Typhoon update {seed}",
            slug=f"typhoon-update-{seed}",
            image=factories.photo(f"Typhoon {seed}", seed=seed),
        )

    def cold_queries(per_page):
        settings.NEWSROOM_ARTICLES_PER_PAGE = per_page
        ledger.get(world.url)  # the renditions now exist
        # Without the cache, each card would look its photo's renditions up alone.
        clear_cache()
        with CaptureQueriesContext(connection) as queries:
            assert ledger.get(world.url).status_code == 200
        return len(queries)

    assert cold_queries(2) == cold_queries(12)
