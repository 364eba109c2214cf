"""The Content-Security-Policy header every response carries (docs/security.md).

The policy is written in settings as Django 6's SECURE_CSP is, a dict of directive to
sources: NEWSROOM_CSP for the site, NEWSROOM_CSP_ADMIN for Wagtail's admin, whose own
scripts and styles need more. Anonymous pages are shared documents, kept whole by the
page cache and by Varnish, so the site's policy carries no per-response nonce: scripts
come only from the site's own static files, and a template's inline <style> is allowed
by its hash (`allow_style`), which is the same for every reader of the page.

A view may send its own header. One that names default-src is a complete policy (a
document served as a sandboxed download) and is left as it is; any other (the embed's
frame-ancestors) keeps its own directives, and the site's policy adds the rest.
"""

import base64
import hashlib

from django.conf import settings
from django.urls import NoReverseMatch, reverse

HEADER = "Content-Security-Policy"
# The request attribute collecting the hashes of inline styles the page carries.
STYLES = "newsroom_csp_styles"


def parse(header: str) -> dict[str, list[str]]:
    """Directives of a header, in order; a repeated directive counts once (the first,
    as browsers read it)."""
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives.setdefault(words[0].lower(), words[1:])
    return directives


def serialize(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def style_source(css: str) -> str:
    """The hash source that allows exactly this inline <style> element's text."""
    digest = hashlib.sha256(css.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def allow_style(request, css: str) -> None:
    """Allow one inline <style> element whose text is `css` on this response."""
    if request is not None:
        hashes = getattr(request, STYLES, None)
        if hashes is None:
            hashes = []
            setattr(request, STYLES, hashes)
        source = style_source(css)
        if source not in hashes:
            hashes.append(source)


def is_admin(request) -> bool:
    try:
        prefix = reverse("wagtailadmin_home")
    except NoReverseMatch:  # a URLconf without the admin (some tests)
        return False
    return request.path_info.startswith(prefix)


def policy_for(request) -> dict[str, list[str]]:
    """The configured directives for this request, with its inline styles' hashes."""
    configured = (
        settings.NEWSROOM_CSP_ADMIN if is_admin(request) else settings.NEWSROOM_CSP
    )
    directives = {name: list(sources) for name, sources in configured.items()}
    hashes = getattr(request, STYLES, ())
    if hashes:
        fallback = directives.get("default-src", [])
        styles = directives.setdefault("style-src", list(fallback))
        # Beside a hash, browsers ignore 'unsafe-inline': add none where it is allowed.
        if "'unsafe-inline'" not in styles:
            styles.extend(hashes)
    return directives


def merged(own: str, site: dict[str, list[str]]) -> str:
    """A view's own header, completed with the site's directives it does not name."""
    directives = parse(own)
    if "default-src" in directives:
        return own
    for name, sources in site.items():
        directives.setdefault(name, sources)
    return serialize(directives)


class ContentSecurityPolicyMiddleware:
    """Put the policy on every response Django makes, static files included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        site = policy_for(request)
        if HEADER in response:
            response[HEADER] = merged(response[HEADER], site)
        else:
            response[HEADER] = serialize(site)
        return response
