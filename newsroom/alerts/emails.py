"""Building the emails: branded per site, multipart (plain text and HTML).

HTML email is laid out for mail clients, not browsers: one centred table, inline
styles, no web fonts, scripts or external CSS, and every link absolute."""

import logging
from email.utils import formataddr, parseaddr
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.html import strip_tags
from wagtail.images.models import SourceImageIOError

from newsroom.news.models import NewsSiteSettings

logger = logging.getLogger(__name__)

DEFAULT_COLOUR = "#1f4e79"
PHOTO_SPEC = "fill-1200x675"


def absolute(site, path: str) -> str:
    """A URL on `site` for an email, https when the network is served over TLS."""
    if path.startswith(("http://", "https://")):
        return path
    if settings.NEWSROOM_HTTPS:
        port = "" if site.port in (80, 443) else f":{site.port}"
        root = f"https://{site.hostname}{port}"
    else:
        root = site.root_url
    return root + path


def brand(site) -> dict:
    branding = NewsSiteSettings.for_site(site)
    return {
        "site": site,
        "site_name": site.site_name or site.hostname,
        "site_url": absolute(site, "/"),
        "brand_colour": branding.brand_colour or DEFAULT_COLOUR,
        "publisher": branding.publisher_name,
        "tagline": branding.tagline,
    }


def from_address(site) -> str:
    """The network's sender address, shown under the sister site's name."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((site.site_name or site.hostname, address))


def unsubscribe_address() -> str:
    """The mailbox List-Unsubscribe's mailto names (see docs/configuration.md)."""
    if settings.NEWSROOM_ALERTS_UNSUBSCRIBE_EMAIL:
        return settings.NEWSROOM_ALERTS_UNSUBSCRIBE_EMAIL
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return f"unsubscribe@{address.rpartition('@')[2] or 'localhost'}"


def render(template: str, context: dict) -> tuple[str, str, str]:
    """`template` names three files: _subject.txt, .txt and .html."""
    return (
        " ".join(render_to_string(f"{template}_subject.txt", context).split()),
        render_to_string(f"{template}.txt", context),
        render_to_string(f"{template}.html", context),
    )


def build(
    site, parts: tuple[str, str, str], *, to: str, headers: dict | None = None
) -> EmailMultiAlternatives:
    subject, text, html = parts
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_address(site),
        to=[to],
        headers=headers or {},
    )
    email.attach_alternative(html, "text/html")
    return email


def message(
    template: str, context: dict, *, to: str, headers: dict | None = None
) -> EmailMultiAlternatives:
    return build(context["site"], render(template, context), to=to, headers=headers)


def article_card(article, site) -> dict:
    """What an alert shows of an article; computed once per mailing."""
    card = {
        "headline": article.title,
        "standfirst": article.standfirst,
        "url": absolute(site, article.get_url(current_site=site) or "/"),
        "section": article.get_parent().title,
        "photo": None,
    }
    image = article.lead_image
    if image is not None:
        try:
            rendition = image.get_rendition(PHOTO_SPEC)
        except (SourceImageIOError, OSError):
            # Breaking news goes out without its photo rather than not at all.
            logger.exception("No photo for the alert about article %s", article.pk)
            return card
        card["photo"] = {
            "url": absolute(site, rendition.url),
            "alt": strip_tags(image.caption or image.title),
            "credit": image.credit,
            "width": 560,
            "height": round(560 * rendition.height / rendition.width),
        }
    return card


def list_headers(site, kind: str, unsubscribe_url: str, token: str) -> dict:
    """RFC 2369 / RFC 8058 headers: one-click unsubscribe by HTTPS POST, or a mail
    whose subject carries the token (`manage.py unsubscribe_from_mail` reads it)."""
    subject = quote(f"unsubscribe {token}", safe="")
    mailto = f"mailto:{unsubscribe_address()}?subject={subject}"
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"{kind} alerts <{kind}.{site.hostname}>",
        "Auto-Submitted": "auto-generated",
        "Precedence": "bulk",
    }
