"""Responsive photos: which renditions each place on a page shows, and in which formats.

A picture offers the browser a few widths in each format (`srcset`) and says how wide
the layout draws it (`sizes`, matching site.css), so a phone fetches a small file and
a high-density screen a sharp one. WebP (and AVIF, when NEWSROOM_IMAGE_AVIF is on) come
first, JPEG is the fallback.
Renditions are made the first time a picture is shown, and stored; the picture's HTML
is cached, and a listing loads its photos' renditions in one query
(`prefetch_renditions`) for the pictures not in the cache.
"""

import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.safestring import SafeString, mark_safe
from PIL import features
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from .models import NewsRendition

# Browsers take the first <source> whose type they know; Wagtail's Picture orders them
# AVIF, WebP and makes the JPEG the <img> every browser can show.
MODERN_FORMATS = ("avif", "webp")
FALLBACK_FORMAT = "jpeg"
# A rendition's name always means the same pixels (media.py), and the key below changes
# with the photo's file and focal point; the timeout only bounds a manual purge.
PICTURE_TIMEOUT = 60 * 60 * 24
# The file name Wagtail gives the stand-in for a rendition whose original is missing.
MISSING_FILE = "not-found"


@dataclass(frozen=True)
class Shape:
    widths: tuple[int, ...]  # rendition widths in pixels, smallest first
    sizes: str  # how wide the layout draws it (site.css)
    ratio: tuple[int, int] | None = (16, 9)  # cropped to this; None keeps the photo's

    def usable_width(self, image) -> int:
        """The widest rendition the original gives without upscaling."""
        if self.ratio is None:
            return image.width
        across, down = self.ratio
        return min(image.width, image.height * across // down)

    def resize_specs(self, image=None) -> list[str]:
        """One resize per width, dropping widths the original cannot fill (Wagtail
        never upscales, so they would repeat the largest rendition)."""
        widths = list(self.widths)
        if image is not None and image.width and image.height:
            usable = self.usable_width(image)
            larger = [width for width in widths if width >= usable]
            widths = [width for width in widths if width < usable] + larger[:1]
        if self.ratio is None:
            return [f"width-{width}" for width in widths]
        across, down = self.ratio
        return [f"fill-{width}x{width * down // across}" for width in widths]


# The article column is 42rem; the lead photo bleeds 1rem past it on each side. The
# front page's lead story takes two thirds of the 72rem page beside the Latest rail;
# its teaser grid has columns of at least 15rem; a listing row keeps 14rem for the
# photo (8rem on phones). Below 48rem everything stacks in one column.
SHAPES = {
    "lead": Shape((480, 800, 1200), "(max-width: 44rem) 100vw, 44rem"),
    "inline": Shape(
        (480, 800, 1200), "(max-width: 44rem) calc(100vw - 2rem), 42rem", ratio=None
    ),
    "card-large": Shape(
        (480, 800, 1200),
        "(max-width: 48rem) calc(100vw - 2rem), "
        "(max-width: 72rem) calc((100vw - 4rem) * 2 / 3), 46rem",
    ),
    "card": Shape(
        (320, 640),
        "(max-width: 32rem) calc(100vw - 2rem), (max-width: 72rem) 23rem, 17rem",
    ),
    "listing": Shape((320, 640), "(max-width: 48rem) 8rem, 14rem"),
}
# The shapes a listing or the front page shows for its articles' lead photos.
CARD_SHAPES = ("card-large", "card", "listing")


def formats() -> tuple[str, ...]:
    """The formats renditions are made in: AVIF only when NEWSROOM_IMAGE_AVIF is on
    and Pillow can encode it."""
    avif = settings.NEWSROOM_IMAGE_AVIF and pillow_encodes_avif()
    modern = [name for name in MODERN_FORMATS if name != "avif" or avif]
    return (*modern, FALLBACK_FORMAT)


@functools.cache
def pillow_encodes_avif() -> bool:
    return features.check("avif")


def filter_specs(shape: Shape, image=None) -> list[str]:
    """Largest first in each format: Wagtail's Picture gives its <img> the first
    one's src, width and height, and a card's CSS scales a photo down to its column
    (max-width), never up."""
    return [
        f"{resize}|format-{name}"
        for name in formats()
        for resize in reversed(shape.resize_specs(image))
    ]


def picture(image, shape_name: str, **attrs) -> SafeString:
    """`image` as a <picture> in the named shape; `attrs` go on its <img> (alt,
    loading, fetchpriority). Renditions missing so far are made now, once.

    The HTML is cached under everything it is made from: finding a picture's
    renditions through Wagtail costs ~0.3 ms each (their filters parsed again, each
    read from the cache), ~2.5 ms for a lead photo of nine.
    """
    shape = SHAPES[shape_name]
    key = _picture_key(image, shape_name, attrs)
    html = cache.get(key)
    if html is None:
        group = getattr(image, "rendition_group", None)
        if group is not None and shape_name in group.shape_names:
            group.load()
        renditions = get_renditions_or_not_found(image, filter_specs(shape, image))
        html = str(Picture(renditions, {"sizes": shape.sizes, **attrs}).__html__())
        # A missing original gives a broken picture: not kept, so it mends itself.
        if all(r.file.name != MISSING_FILE for r in renditions.values()):
            cache.set(key, html, PICTURE_TIMEOUT)
    # Safe: Wagtail's Picture escapes every attribute it writes.
    return mark_safe(html)  # noqa: S308


def _picture_key(image, shape_name: str, attrs: dict) -> str:
    made_of = (
        image.pk,
        image.file.name,
        image.file_hash,
        image.width,
        image.height,
        image.focal_point_x,
        image.focal_point_y,
        image.focal_point_width,
        image.focal_point_height,
        shape_name,
        formats(),
        sorted(attrs.items()),
    )
    digest = hashlib.blake2b(repr(made_of).encode(), digest_size=16).hexdigest()
    return f"news:picture:{digest}"


def prefetch_renditions(images, shape_names=CARD_SHAPES) -> None:
    """Have the renditions these shapes show for every image in `images` (None
    skipped) loaded in one query, the first time one of their pictures is not in the
    cache: a listing never looks each photo up on its own, nor at all when warm."""
    group = _RenditionGroup(
        [image for image in images if image is not None], shape_names
    )
    for image in group.images:
        image.rendition_group = group


class _RenditionGroup:
    def __init__(self, images, shape_names):
        self.images = images
        self.shape_names = shape_names
        self.loaded = False

    def load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        specs = {
            spec
            for name in self.shape_names
            for spec in filter_specs(SHAPES[name], None)
        }
        prefetch_related_objects(
            self.images,
            Prefetch(
                "renditions",
                queryset=NewsRendition.objects.filter(filter_spec__in=specs),
                to_attr="prefetched_renditions",
            ),
        )
