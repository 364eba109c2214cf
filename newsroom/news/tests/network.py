"""A small, invented network that each test builds for itself through the demo loader.

Same two sites as the demo (names, hosts, publishers, colours) with fewer sections and
a handful of stories that cover what the tests need: one, two and three authors, wire
and own copy, recent and older stories, shared tags. Photos are small flat pictures so
that building the network per test stays quick.
"""

import io

from PIL import Image

from newsroom.demo.content import SITES as DEMO_SITES

SECTIONS = {"ledger": ["world", "national", "sports"], "courier": ["world", "business"]}
SITES = [
    {
        **site,
        "sections": [s for s in site["sections"] if s[0] in SECTIONS[site["key"]]],
    }
    for site in DEMO_SITES
]
AGENCIES = [{"name": "Harbour Wire", "short": "HW", "copyright": "Harbour Wire Ltd"}]
AUTHORS = [
    {"name": "Rin Okada", "bio": "Rin Okada covers diplomacy for the Ledger."},
    {"name": "Tomas Vale", "bio": "Tomas Vale reports on shipping and trade."},
    {"name": "Mei Sato", "bio": "Mei Sato writes about local government."},
    {"name": "Jun Arai", "bio": "Jun Arai follows football in the Kanto region."},
]


def _photo(title, *, agency="Harbour Wire", photographer="Aya Kudo", scene="sea"):
    return {
        "title": title,
        "caption": f"FILE PHOTO: {title}, Tokyo, March 3, 2026. HW/{photographer}",
        "agency": agency,
        "photographer": photographer,
        "scene": scene,
    }


def _body(topic):
    return [
        ("paragraph", f"Officials spent the morning discussing {topic} in Tokyo."),
        ("subheading", f"What {topic} means for readers"),
        (
            "quote",
            {"text": f"We expect {topic} to matter.", "attribution": "A. Spokes"},
        ),
        ("paragraph", f"Further talks on {topic} are planned for next week."),
    ]


def _article(site, section, headline, authors, hours_ago, tags, agency=None):
    return {
        "site": site,
        "section": section,
        "headline": headline,
        "standfirst": f"A short summary of {headline.lower()}.",
        "authors": authors,
        "agency": agency,
        "tags": tags,
        "hours_ago": hours_ago,
        "photo": _photo(f"Photo for {headline[:40]}"),
        "body": _body(headline.split()[0].lower()),
    }


ARTICLES = [
    _article(
        "ledger",
        "world",
        "Marenne recalls ambassador as reef standoff deepens",
        ["Rin Okada"],
        1,
        ["diplomacy", "maritime"],
    ),
    _article(
        "ledger",
        "world",
        "Tanker insurers raise premiums near disputed shoals",
        ["Tomas Vale", "Rin Okada"],
        5,
        ["maritime"],
        agency="Harbour Wire",
    ),
    _article(
        "ledger",
        "national",
        "Hamasaki council votes to raise its seawall",
        ["Mei Sato", "Rin Okada", "Tomas Vale"],
        30,
        ["localgov"],
    ),
    _article(
        "ledger",
        "sports",
        "Harbor Gulls win in stoppage time",
        ["Jun Arai"],
        60,
        ["football"],
    ),
    _article(
        "ledger",
        "world",
        "Island states agree to resume fisheries talks",
        ["Tomas Vale"],
        100,
        ["diplomacy"],
        agency="Harbour Wire",
    ),
    _article(
        "courier",
        "world",
        "Kobe port braces for delays as tankers divert",
        ["Tomas Vale"],
        2,
        ["ports"],
    ),
    _article(
        "courier",
        "business",
        "Osaka toolmakers band together for aerospace orders",
        ["Mei Sato", "Jun Arai"],
        10,
        ["trade"],
        agency="Harbour Wire",
    ),
]


def small_photo(scene: str, seed: int) -> bytes:
    """A 320x180 flat-colour JPEG: enough for renditions, quick to make."""
    buffer = io.BytesIO()
    Image.new("RGB", (320, 180), (40 + seed * 20 % 200, 90, 140)).save(buffer, "JPEG")
    return buffer.getvalue()
