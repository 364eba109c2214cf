"""Photos and logos for the demo network, drawn with Pillow (nothing is downloaded).

Each scene is a simple, recognisable composition (a harbour, a skyline, a stadium...)
with colours varied by a seed, so forty articles get forty different pictures.
"""

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SIZE = (1600, 900)

PALETTES = [
    ((255, 183, 94), (237, 98, 92), (49, 60, 92)),
    ((144, 202, 249), (66, 135, 245), (25, 42, 86)),
    ((196, 230, 181), (120, 180, 120), (40, 70, 50)),
    ((250, 224, 180), (222, 150, 90), (90, 60, 50)),
    ((210, 200, 240), (140, 120, 200), (50, 40, 90)),
    ((255, 214, 165), (253, 160, 133), (70, 52, 80)),
]


def _sky(draw, rng, top, bottom):
    width, height = SIZE
    for y in range(height):
        t = y / height
        colour = tuple(int(top[i] + (bottom[i] - top[i]) * t) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)


def _hills(draw, rng, base_y, colour, roughness=120):
    width, height = SIZE
    points = [(0, height)]
    y = base_y
    for x in range(0, width + 80, 80):
        y = max(
            base_y - roughness,
            min(base_y + roughness, y + rng.randint(-roughness // 2, roughness // 2)),
        )
        points.append((x, y))
    points.append((width, height))
    draw.polygon(points, fill=colour)


def _buildings(draw, rng, base_y, colour, lit):
    x = -20
    while x < SIZE[0]:
        w = rng.randint(60, 160)
        h = rng.randint(120, 480)
        draw.rectangle([x, base_y - h, x + w, SIZE[1]], fill=colour)
        for wy in range(base_y - h + 20, base_y - 20, 34):
            for wx in range(x + 12, x + w - 16, 26):
                if rng.random() < 0.45:
                    draw.rectangle([wx, wy, wx + 12, wy + 16], fill=lit)
        x += w + rng.randint(6, 30)


def _water(draw, rng, top_y, colour):
    draw.rectangle([0, top_y, SIZE[0], SIZE[1]], fill=colour)
    for _ in range(140):
        x = rng.randint(0, SIZE[0])
        y = rng.randint(top_y + 10, SIZE[1])
        length = rng.randint(20, 90)
        shade = tuple(min(255, c + 40) for c in colour)
        draw.line([(x, y), (x + length, y)], fill=shade, width=3)


def _ship(draw, rng, x, y, colour):
    draw.polygon(
        [(x, y), (x + 320, y), (x + 280, y + 60), (x + 40, y + 60)], fill=colour
    )
    for i in range(4):
        draw.rectangle(
            [x + 60 + i * 55, y - 50, x + 105 + i * 55, y], fill=(200, 60 + i * 40, 60)
        )


def _sun(draw, x, y, r, colour):
    draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)


def draw_scene(scene: str, seed: int) -> Image.Image:
    """A 1600x900 picture of `scene`; the same seed always gives the same picture."""
    rng = random.Random(seed)
    light, mid, dark = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    if scene == "night":
        _sky(draw, rng, (10, 14, 40), (40, 40, 90))
        for _ in range(120):
            x, y = rng.randint(0, width), rng.randint(0, 400)
            draw.point((x, y), fill=(255, 255, 230))
        _buildings(draw, rng, 900, (20, 22, 35), (255, 214, 120))
    elif scene in ("harbour", "sea"):
        _sky(draw, rng, light, mid)
        _sun(draw, rng.randint(200, 1400), rng.randint(120, 300), 70, (255, 240, 200))
        if scene == "harbour":
            _buildings(draw, rng, 560, dark, light)
        _water(draw, rng, 560, tuple(c // 2 for c in mid))
        _ship(draw, rng, rng.randint(100, 1100), 600, (30, 30, 40))
    elif scene == "city":
        _sky(draw, rng, light, (255, 255, 255))
        _buildings(draw, rng, 900, dark, (255, 236, 170))
    elif scene == "mountains":
        _sky(draw, rng, (200, 225, 250), light)
        _hills(draw, rng, 420, mid, roughness=200)
        _hills(draw, rng, 620, dark, roughness=90)
    elif scene == "field" or scene == "forest":
        _sky(draw, rng, (190, 220, 250), (240, 248, 255))
        _hills(draw, rng, 560, (90, 150, 80), roughness=40)
        trees = 40 if scene == "forest" else 8
        for _ in range(trees):
            x, y = rng.randint(0, width), rng.randint(560, 860)
            draw.polygon(
                [(x, y - 140), (x - 50, y), (x + 50, y)],
                fill=(30, 90 + rng.randint(0, 40), 50),
            )
    elif scene == "stadium":
        _sky(draw, rng, (20, 30, 70), (60, 80, 140))
        draw.ellipse([-200, 420, width + 200, 1300], fill=(40, 130, 60))
        draw.ellipse([300, 560, width - 300, 1100], outline=(240, 240, 240), width=6)
        for x in (200, 1400):
            draw.rectangle([x, 80, x + 14, 420], fill=(200, 200, 200))
            draw.rectangle([x - 60, 60, x + 74, 110], fill=(255, 255, 220))
    elif scene == "chart":
        _sky(draw, rng, (245, 245, 245), (225, 230, 240))
        for y in range(150, 850, 100):
            draw.line([(100, y), (1500, y)], fill=(200, 200, 210), width=2)
        value = 500
        points = []
        for i, x in enumerate(range(100, 1501, 70)):
            value += rng.randint(-60, 60) + int(10 * math.sin(i))
            points.append((x, max(170, min(830, value))))
        draw.line(points, fill=dark, width=10, joint="curve")
    else:  # "circuit" and anything unknown: a circuit board
        _sky(draw, rng, (10, 60, 40), (20, 90, 60))
        for _ in range(60):
            x, y = rng.randint(0, width), rng.randint(0, height)
            dx = rng.choice([-1, 1]) * rng.randint(80, 400)
            draw.line(
                [(x, y), (x + dx, y), (x + dx, y + rng.randint(-200, 200))],
                fill=(200, 170, 80),
                width=5,
            )
            draw.ellipse([x - 9, y - 9, x + 9, y + 9], fill=(230, 200, 100))
    return image.filter(ImageFilter.SMOOTH)


def scene_jpeg(scene: str, seed: int) -> bytes:
    buffer = io.BytesIO()
    draw_scene(scene, seed).save(buffer, format="JPEG", quality=82, optimize=True)
    return buffer.getvalue()


def logo_png(initials: str, colour: str) -> bytes:
    """A square logo: the site's initials in white on its brand colour."""
    size = 512
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSerif-Bold.ttf", 220)
    except OSError:
        font = ImageFont.load_default(size=220)
    box = draw.textbbox((0, 0), initials, font=font)
    x = (size - (box[2] - box[0])) / 2 - box[0]
    y = (size - (box[3] - box[1])) / 2 - box[1]
    draw.text((x, y), initials, fill="white", font=font)
    draw.rectangle([24, 24, size - 24, size - 24], outline="white", width=10)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def portrait_png(seed: int) -> bytes:
    """A head-and-shoulders silhouette on a tinted ground, for a byline photo."""
    size = 320
    light, mid, dark = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (size, size), light)
    draw = ImageDraw.Draw(image)
    draw.ellipse([40, 210, 280, 420], fill=dark)  # shoulders
    draw.ellipse([105, 70, 215, 190], fill=mid)  # head
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
