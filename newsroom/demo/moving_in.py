"""The demo's moving-in steps: a discussion from the Ledger's old site imported from
a Disqus export, and an agency feed the scheduler polls (the demo's own content
only; the tests' small networks have neither)."""

import datetime
import re
import tempfile
from pathlib import Path

from newsroom.interchange import importer
from newsroom.news.models import ArticlePage, WireAgency
from newsroom.wire.models import WireFeed

DATA = Path(__file__).parent / "data"
POLL_MINUTES = 5


def load_imported_discussion(network) -> None:
    """Import the sample export as `manage.py import_comments` would; a second run
    adds nothing.

    The demo's stories are dated relative to today, the export's comments on fixed
    days: the export is read with its times moved (intervals kept) so that its
    thread starts when the story was published."""
    spec = getattr(network.content, "IMPORTED_DISCUSSION", None)
    if not spec:
        return
    site = network.sites[spec["site"]]
    story = (
        ArticlePage.objects.filter(url_path=site.root_page.url_path + spec["path"])
        .values_list("first_published_at", flat=True)
        .first()
    )
    if story is None:
        return
    with tempfile.TemporaryDirectory(prefix="newsroom-demo-") as tmp:
        export = Path(tmp) / spec["export"]
        export.write_text(
            _moved_to(story, (DATA / spec["export"]).read_text("utf-8")), "utf-8"
        )
        report = importer.run(export, site, hostnames=[spec["old_hostname"]])
    network.created["imported comments"] = (
        network.created.get("imported comments", 0) + report.imported
    )


CREATED_AT = re.compile(r"<createdAt>([^<]+)</createdAt>")


def _moved_to(start: datetime.datetime, export: str) -> str:
    """The export with every <createdAt> moved by one offset, so that the first
    (the thread's) falls on `start`."""
    first = CREATED_AT.search(export)
    offset = start - _parse(first.group(1))

    def moved(match):
        when = (_parse(match.group(1)) + offset).astimezone(datetime.UTC)
        return f"<createdAt>{when:%Y-%m-%dT%H:%M:%SZ}</createdAt>"

    return CREATED_AT.sub(moved, export)


def _parse(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))


def load_wire_feed(network) -> None:
    """The sample feed, served with the demo's static files on the demo's port (by
    address, so the scheduler's request needs no *.localhost name)."""
    spec = getattr(network.content, "WIRE_FEED", None)
    if not spec:
        return
    site = network.sites[spec["site"]]
    url = f"http://127.0.0.1:{network.port}/static/{spec['static_path']}"
    feed, created = WireFeed.objects.get_or_create(
        site=site,
        name=spec["name"],
        defaults={
            "url": url,
            "format": WireFeed.Format.RSS,
            "section": network.sections[(spec["site"], spec["section"])],
            "agency": WireAgency.objects.get_or_create(
                name=spec["agency"], defaults={"copyright_holder": spec["agency"]}
            )[0],
            "mode": WireFeed.Mode.PUBLISH,
            "poll_interval_minutes": POLL_MINUTES,
        },
    )
    if feed.url != url:  # the demo served on another port
        WireFeed.objects.filter(pk=feed.pk).update(url=url, etag="", last_modified="")
    network.count("wire feeds", created)
