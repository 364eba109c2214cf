"""A partner website for the demo, to try comments embedded on another website.

`partner/index.html` is that website's one article page. Serve it one port above
the demo (`python -m http.server 8001 -d newsroom/demo/partner` beside
`make demo` on 8000) and open http://127.0.0.1:8001/ or http://localhost:8001/:
the Ledger's thread for the page appears under the story.

The page loads `embed.js` from the same host name one port down, so Newsroom and
the partner are two origins of one site, and the sign-in popup's cookie reaches the
frame (see docs/configuration.md, "Embedded comments"). 127.0.0.1 and localhost
are no demo site's hostname, so Newsroom answers there as its default site, the
Ledger, whose setting lists the partner's two origins.
"""

from pathlib import Path

from wagtail.models import Site

from newsroom.api.models import EmbedSettings

PARTNER_PAGE = Path(__file__).parent / "partner" / "index.html"
PARTNER_HOSTS = ["127.0.0.1", "localhost"]


def partner_origins(port: int) -> list[str]:
    """The partner page's origins when the demo is served on `port`."""
    return [f"http://{host}:{port + 1}" for host in PARTNER_HOSTS]


def allow_demo_origins(port: int) -> list[str]:
    """Let the partner page embed the default site's comments (the Ledger's in the
    demo); return the origins this added, none when they were listed already.

    Origins an editor listed are kept.
    """
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return []
    settings = EmbedSettings.for_site(site)
    missing = [o for o in partner_origins(port) if o not in settings.origins]
    if missing:
        lines = [line for line in settings.allowed_origins.splitlines() if line.strip()]
        settings.allowed_origins = "\n".join([*lines, *missing])
        settings.full_clean()
        settings.save()  # which also forgets the cached origins (newsroom.api)
    return missing


def load_partner(network) -> None:
    """The loader's step: the partner page may embed on the network's port (the
    demo's own content only; the tests' small networks allow no website)."""
    if not getattr(network.content, "EMBED_PARTNER", False):
        return
    added = allow_demo_origins(network.port)
    for origin in partner_origins(network.port):
        network.count("partner origins", origin in added)
