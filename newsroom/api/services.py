"""Tokens readers make and revoke, and the threads other websites embed."""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import APIToken, Site

from newsroom.news.models import HomePage
from newsroom.ratelimit import store
from newsroom.ratelimit.clients import limit_subject
from newsroom.ratelimit.refusals import limited

from .models import DiscussionIndexPage, DiscussionPage, EmbedSettings, origin_of

URL_MAX = 500
TITLE_MAX = 255
CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# Tracking parameters name the same article; they are left out of its address.
TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|igshid)$", re.IGNORECASE)
NEW_THREADS_PER_HOUR = 30  # per network address
HOUR = 3600


# Tokens


MAX_TOKENS = 10


def issue_token(user, name: str) -> tuple[APIToken, str]:
    """A new personal token: Wagtail stores only its keyed digest, so the
    plaintext returned here is the reader's one chance to copy it."""
    name = CONTROL.sub("", name or "").strip()
    if not name:
        raise ValidationError(_("Give the token a name, such as the app it is for."))
    if len(name) > 60:
        raise ValidationError(_("Keep the name under 60 characters."))
    active = APIToken.objects.filter(user=user, revoked_at__isnull=True)
    if active.count() >= MAX_TOKENS:
        raise ValidationError(
            _("You have %(n)d tokens; revoke one you no longer use first.")
            % {"n": MAX_TOKENS}
        )
    return APIToken.create_token(user=user, name=name)


def revoke_token(user, pk) -> bool:
    return bool(
        APIToken.objects.filter(user=user, pk=pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )


# Embedded threads


def canonical_url(raw: str) -> str:
    """The address that names an article, or ValidationError: scheme and host in
    lower case, no default port, no fragment, no tracking parameters."""
    raw = (raw or "").strip()
    if not raw:
        raise ValidationError(_("The embed names no article address (data-url)."))
    if len(raw) > URL_MAX or CONTROL.search(raw):
        raise ValidationError(_("The article address is too long or malformed."))
    parts = urlsplit(raw)
    origin = origin_of(raw)
    if not origin or parts.username or parts.password:
        raise ValidationError(
            _("The article address must be a full http:// or https:// address.")
        )
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = urlencode([(k, v) for k, v in pairs if not TRACKING.match(k)])
    scheme, rest = origin.split("://", 1)
    return urlunsplit((scheme, rest, parts.path or "/", query, ""))


def clean_title(raw: str) -> str:
    title = " ".join(CONTROL.sub(" ", raw or "").split())
    return title[:TITLE_MAX]


def embed_sites() -> dict[str, int]:
    """Each allowed origin and the site it belongs to (cached for a minute)."""
    mapping = cache.get("embed:origins")
    if mapping is None:
        mapping = {}
        for row in EmbedSettings.objects.all():
            for origin in row.origins:
                mapping.setdefault(origin, row.site_id)
        cache.set("embed:origins", mapping, 60)
    return mapping


def forget_embed_sites(**kwargs) -> None:
    cache.delete("embed:origins")


def site_for_origin(origin: str):
    site_id = embed_sites().get((origin or "").rstrip("/").lower())
    return Site.objects.filter(pk=site_id).select_related("root_page").first()


def allowed_origins(site) -> list[str]:
    return [origin for origin, pk in embed_sites().items() if pk == site.pk]


def discussion_for(url: str, title: str, *, host_origin: str, ip: str = ""):
    """The thread page for an article on another website, made on its first view.

    `host_origin` is the origin the browser said the embedding page is on (its
    `Origin` or `Referer` header, embed.sent_origin), never a parameter of the
    address, which anyone can type. An article already discussed is found for any
    request: its thread is public, and only its site's allowed websites may frame it.
    A new thread is made only when that origin and the article are on websites the
    same site allows; the thread belongs to that site.

    Raises PermissionDenied for an article on no allowed website or for a new
    thread the browser did not ask for from an allowed page, and RateLimited when
    the address has opened too many new ones this hour.
    """
    url = canonical_url(url)
    site = site_for_origin(origin_of(url))
    if site is None:
        raise PermissionDenied(
            _(
                "The article address (data-url) is not on a website allowed to "
                "show these comments."
            )
        )
    page = DiscussionPage.objects.filter(canonical_url=url).first()
    if page is not None:
        return page
    if not host_origin:
        raise PermissionDenied(
            _(
                "A new discussion starts only from the article's own page, and this "
                "browser did not say which page it is on (it sent no Origin or "
                "Referer). Open the article on the publisher's website."
            )
        )
    host_site = site_for_origin(host_origin)
    if host_site is None:
        raise PermissionDenied(
            _("This website is not allowed to show comments from our sites.")
        )
    if host_site != site:
        raise PermissionDenied(
            _(
                "The article address (data-url) is not on a website allowed to "
                "show these comments."
            )
        )
    wait = store.hit(f"embed-new:{limit_subject(ip)}", NEW_THREADS_PER_HOUR, HOUR)
    if wait:
        raise limited(_("Too many new discussions from your network."), wait)
    title = clean_title(title) or url[:TITLE_MAX]
    try:
        with transaction.atomic():
            index = _index_of(site)
            page = DiscussionPage(
                title=title,
                slug=_slug(title),
                canonical_url=url,
                show_in_menus=False,
            )
            index.add_child(instance=page)
            page.save_revision().publish(log_action=False)
    except IntegrityError:  # another first view made it at the same moment
        page = DiscussionPage.objects.get(canonical_url=url)
    return page


def _index_of(site) -> DiscussionIndexPage:
    home = site.root_page.specific
    index = DiscussionIndexPage.objects.child_of(home).first()
    if index is None:
        if not isinstance(home, HomePage):
            raise PermissionDenied(_("This site cannot hold discussions."))
        index = DiscussionIndexPage(
            title=_("Embedded discussions"), slug="discussions", show_in_menus=False
        )
        home.add_child(instance=index)
        index.save_revision().publish(log_action=False)
    return index


def _slug(title: str) -> str:
    base = slugify(title)[:60].strip("-") or "discussion"
    return f"{base}-{timezone.now():%Y%m%d%H%M%S%f}"
