"""The demo's moving-in steps: a discussion from the Ledger's old site imported from
a Disqus export, and an agency feed the scheduler polls (the demo's own content
only; the tests' small networks have neither)."""

from pathlib import Path

from newsroom.interchange import importer
from newsroom.news.models import WireAgency
from newsroom.wire.models import WireFeed

DATA = Path(__file__).parent / "data"
POLL_MINUTES = 5


def load_imported_discussion(network) -> None:
    """Import the sample export as `manage.py import_comments` would; a second run
    adds nothing."""
    spec = getattr(network.content, "IMPORTED_DISCUSSION", None)
    if not spec:
        return
    report = importer.run(
        DATA / spec["export"],
        network.sites[spec["site"]],
        hostnames=[spec["old_hostname"]],
    )
    network.created["imported comments"] = (
        network.created.get("imported comments", 0) + report.imported
    )


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
