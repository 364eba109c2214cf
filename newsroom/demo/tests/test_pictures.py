"""The demo's drawn pictures: every scene its articles use, the logos, the portraits."""

import io

import pytest
from PIL import Image

from newsroom.demo import content, pictures

SCENES = sorted({spec["photo"]["scene"] for spec in content.ARTICLES})


@pytest.mark.parametrize("scene", SCENES)
def test_each_scene_draws_the_same_full_size_photo_for_the_same_seed(scene):
    first = pictures.scene_jpeg(scene, 3)

    photo = Image.open(io.BytesIO(first))
    assert (photo.format, photo.size) == ("JPEG", pictures.SIZE)
    darkest, brightest = photo.convert("L").getextrema()
    assert brightest - darkest > 40  # a picture, not a flat colour
    assert pictures.scene_jpeg(scene, 3) == first


def test_logos_and_portraits_are_small_pngs():
    logo = Image.open(io.BytesIO(pictures.logo_png("TL", "#1d3557")))
    portraits = {pictures.portrait_png(seed) for seed in range(3)}

    assert logo.format == "PNG" and logo.size[0] <= 512
    assert len(portraits) == 3
    assert all(Image.open(io.BytesIO(p)).format == "PNG" for p in portraits)
