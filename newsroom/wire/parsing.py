"""Read an agency feed into entries: RSS 2.0, Atom (with RFC 6721 tombstones), ninjs.

Parsing is pure and all-or-nothing: a feed that is not well formed, declares a DTD
or entities (defusedxml refuses them: no entity expansion, no external references),
has a JSON value of the wrong type or an entry without an identifier raises
`FeedError` with a message for the editors, before anything is written.

Kill conventions (docs/configuration.md, "Wire feeds"):
- ninjs: `pubstatus` "canceled" or "withheld".
- Atom: an RFC 6721 `<at:deleted-entry ref="…">` naming the entry's id.
- RSS 2.0 has none of its own: an item whose `<category>` is `kill` (any case),
  carrying the guid of the story it withdraws.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

ATOM = "{http://www.w3.org/2005/Atom}"
TOMBSTONES = "{http://purl.org/atompub/tombstones/1.0}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
RSS_KILL_CATEGORY = "kill"
NINJS_KILLED = {"canceled", "withheld"}
IDENTIFIER_LENGTH = 1000  # WireItem.identifier


class FeedError(Exception):
    """The feed cannot be read; the message says why, for the editors."""


@dataclass
class Photo:
    url: str
    caption: str = ""
    photographer: str = ""


@dataclass
class Entry:
    """One story of a feed, as the formats have in common."""

    identifier: str
    headline: str = ""
    summary: str = ""
    body_html: str = ""
    link: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None
    version: str = ""  # ninjs version, Atom updated; empty for RSS
    bylines: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    photo: Photo | None = None
    is_killed: bool = False

    @property
    def content_hash(self) -> str:
        """What an RSS item's update is told by: a hash of everything we take."""
        photo = self.photo
        parts = [
            self.headline,
            self.summary,
            self.body_html,
            "|".join(self.bylines),
            "|".join(self.tags),
            photo.url if photo else "",
            photo.caption if photo else "",
            str(self.is_killed),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def parse(format: str, data: bytes) -> list[Entry]:
    """Read `data` in `format` ("rss", "atom", "ninjs"); raise FeedError if unusable."""
    readers = {"rss": parse_rss, "atom": parse_atom, "ninjs": parse_ninjs}
    entries = readers[format](data)
    for position, entry in enumerate(entries, start=1):
        if not entry.identifier:
            raise FeedError(f"Entry {position} has no identifier; nothing was taken.")
        if len(entry.identifier) > IDENTIFIER_LENGTH:
            raise FeedError(f"Entry {position}'s identifier is too long.")
        if not entry.is_killed and not entry.headline:
            raise FeedError(f"Entry {position} ({entry.identifier}) has no headline.")
    return entries


# XML


def _xml(data: bytes) -> Element:
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise FeedError(
            f"The feed declares a DTD or entities, which are refused ({error})."
        ) from error
    except ParseError as error:
        raise FeedError(f"The feed is not well-formed XML: {error}.") from error


def _text(element: Element | None) -> str:
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


def _date(text: str, *, rfc822: bool) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = (
            parsedate_to_datetime(text)
            if rfc822
            else datetime.fromisoformat(text.replace("Z", "+00:00"))
        )
    except (TypeError, ValueError) as error:
        raise FeedError(f"Unreadable date {text[:40]!r}.") from error
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # RFC 822 "-0000": UTC, zone unknown
    return value.astimezone(UTC)


def parse_rss(data: bytes) -> list[Entry]:
    root = _xml(data)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FeedError("This is not an RSS 2.0 feed (no <rss><channel>).")
    entries = []
    for item in channel.findall("item"):
        categories = [_text(c) for c in item.findall("category") if _text(c)]
        is_killed = any(c.lower() == RSS_KILL_CATEGORY for c in categories)
        bylines = [_text(e) for e in item.findall(f"{DC}creator") if _text(e)]
        if not bylines and _text(item.find("author")):
            bylines = [_rss_author(_text(item.find("author")))]
        description = _text(item.find("description"))
        encoded = _text(item.find(f"{CONTENT}encoded"))
        entries.append(
            Entry(
                identifier=_text(item.find("guid")) or _text(item.find("link")),
                headline=_text(item.find("title")),
                summary=description,
                body_html=encoded or description,
                link=_text(item.find("link")),
                published_at=_date(_text(item.find("pubDate")), rfc822=True),
                bylines=bylines,
                tags=[c for c in categories if c.lower() != RSS_KILL_CATEGORY],
                photo=_rss_photo(item),
                is_killed=is_killed,
            )
        )
    return entries


def _rss_author(text: str) -> str:
    """RSS's author is `email (Name)`; keep the name, never the address."""
    if "(" in text and text.endswith(")"):
        return text[text.index("(") + 1 : -1].strip()
    return "" if "@" in text else text


def _rss_photo(item: Element) -> Photo | None:
    media = item.find(f"{MEDIA}content")
    if media is None:
        group = item.find(f"{MEDIA}group")
        media = group.find(f"{MEDIA}content") if group is not None else None
    if media is not None and media.get("url"):
        return Photo(
            url=media.get("url", "").strip(),
            caption=_text(media.find(f"{MEDIA}description"))
            or _text(item.find(f"{MEDIA}description")),
            photographer=_text(media.find(f"{MEDIA}credit"))
            or _text(item.find(f"{MEDIA}credit")),
        )
    enclosure = item.find("enclosure")
    if enclosure is not None and enclosure.get("type", "").startswith("image/"):
        return Photo(url=enclosure.get("url", "").strip())
    return None


def parse_atom(data: bytes) -> list[Entry]:
    root = _xml(data)
    if root.tag != f"{ATOM}feed":
        raise FeedError("This is not an Atom feed (no <feed> in the Atom namespace).")
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        updated = _date(_text(entry.find(f"{ATOM}updated")), rfc822=False)
        published = _date(_text(entry.find(f"{ATOM}published")), rfc822=False)
        content = entry.find(f"{ATOM}content")
        summary = _text(entry.find(f"{ATOM}summary"))
        alternate = [
            link.get("href", "")
            for link in entry.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        entries.append(
            Entry(
                identifier=_text(entry.find(f"{ATOM}id")),
                headline=_text(entry.find(f"{ATOM}title")),
                summary=summary,
                body_html=_text(content) or summary,
                link=alternate[0] if alternate else "",
                published_at=published or updated,
                updated_at=updated,
                version=updated.isoformat() if updated else "",
                bylines=[
                    _text(author.find(f"{ATOM}name"))
                    for author in entry.findall(f"{ATOM}author")
                    if _text(author.find(f"{ATOM}name"))
                ],
                tags=[
                    c.get("label") or c.get("term", "")
                    for c in entry.findall(f"{ATOM}category")
                    if c.get("term")
                ],
                photo=_atom_photo(entry),
            )
        )
    for tombstone in root.findall(f"{TOMBSTONES}deleted-entry"):
        when = tombstone.get("when", "")
        entries.append(
            Entry(
                identifier=tombstone.get("ref", "").strip(),
                is_killed=True,
                updated_at=_date(when, rfc822=False),
            )
        )
    return entries


def _atom_photo(entry: Element) -> Photo | None:
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel") == "enclosure" and link.get("type", "").startswith("image/"):
            return Photo(
                url=link.get("href", "").strip(), caption=link.get("title", "")
            )
    return None


# ninjs (IPTC, JSON): 1.x uses `headline`, `body_html`, `byline`, `subject`;
# 2.x uses `headlines`, `bodies`, `by`, `subjects`. Both are read.


def parse_ninjs(data: bytes) -> list[Entry]:
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FeedError(f"The feed is not valid JSON: {error}.") from error
    if isinstance(document, dict) and "items" in document:
        document = document["items"]
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        raise FeedError("A ninjs feed is an item, a list of items or {'items': […]}.")
    entries = []
    for position, item in enumerate(document, start=1):
        if not isinstance(item, dict):
            raise FeedError(f"Item {position} is not a JSON object.")
        entries.append(_ninjs_entry(item, position))
    return entries


def _string(item: dict, key: str, position: int) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise FeedError(f"Item {position}: '{key}' should be text.")
    return str(value).strip()


def _first_value(item: dict, key: str, position: int) -> str:
    """ninjs 2's `headlines`/`bodies`/`descriptions`: a list of {value, role}."""
    values = item.get(key)
    if values is None:
        return ""
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        raise FeedError(f"Item {position}: '{key}' should be a list of objects.")
    for value in values:
        if isinstance(value.get("value"), str):
            return value["value"].strip()
    return ""


def _names(item: dict, key: str, position: int, field_name: str) -> list[str]:
    values = item.get(key)
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(v, dict) for v in values):
        raise FeedError(f"Item {position}: '{key}' should be a list of objects.")
    return [
        v[field_name].strip()
        for v in values
        if isinstance(v.get(field_name), str) and v[field_name].strip()
    ]


def _ninjs_entry(item: dict, position: int) -> Entry:
    pubstatus = _string(item, "pubstatus", position).lower()
    updated = _date(_string(item, "versioncreated", position), rfc822=False)
    byline = _string(item, "byline", position) or _string(item, "by", position)
    bylines = _names(item, "people", position, "name") if not byline else [byline]
    return Entry(
        identifier=_string(item, "uri", position),
        headline=_string(item, "headline", position)
        or _first_value(item, "headlines", position),
        summary=_string(item, "description_text", position)
        or _first_value(item, "descriptions", position),
        body_html=_string(item, "body_html", position)
        or _first_value(item, "bodies", position)
        or _string(item, "body_text", position),
        published_at=_date(_string(item, "firstcreated", position), rfc822=False)
        or updated,
        updated_at=updated,
        version=_string(item, "version", position),
        bylines=_split_byline(bylines),
        tags=_names(item, "subject", position, "name")
        + _names(item, "subjects", position, "name"),
        photo=_ninjs_photo(item, position),
        is_killed=pubstatus in NINJS_KILLED,
    )


def _split_byline(bylines: list[str]) -> list[str]:
    """'By A and B' -> ['A', 'B'], as agencies write a shared byline."""
    names = []
    for byline in bylines:
        text = byline.removeprefix("By ").removeprefix("by ")
        for part in text.replace(" and ", ",").split(","):
            if part.strip():
                names.append(part.strip())
    return names


def _ninjs_photo(item: dict, position: int) -> Photo | None:
    associations = item.get("associations")
    if associations is None:
        return None
    if isinstance(associations, dict):
        picture = associations.get("featureimage")
    elif isinstance(associations, list):  # ninjs 2: a list with `name`
        found = [a for a in associations if isinstance(a, dict)]
        picture = next((a for a in found if a.get("name") == "featureimage"), None)
    else:
        raise FeedError(f"Item {position}: 'associations' should be an object.")
    if picture is None:
        return None
    if not isinstance(picture, dict):
        raise FeedError(f"Item {position}: the feature image should be an object.")
    renditions = picture.get("renditions") or {}
    if isinstance(renditions, list):  # ninjs 2
        renditions = {r.get("name", ""): r for r in renditions if isinstance(r, dict)}
    if not isinstance(renditions, dict):
        raise FeedError(f"Item {position}: 'renditions' should be an object.")
    chosen = renditions.get("original") or renditions.get("baseImage")
    chosen = chosen or next(iter(renditions.values()), None)
    url = chosen.get("href") if isinstance(chosen, dict) else None
    if not isinstance(url, str) or not url:
        return None
    photographer = _string(picture, "by", position) or _string(
        picture, "byline", position
    )
    return Photo(
        url=url.strip(),
        caption=_string(picture, "description_text", position)
        or _string(picture, "headline", position),
        photographer=photographer,
    )
