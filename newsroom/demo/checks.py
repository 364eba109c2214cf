from ipaddress import ip_address
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

from .standin import LOOPBACK_HOSTS


def _on_loopback(host: str | None) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ip_address(host or "").is_loopback
    except ValueError:
        return False


@register("newsroom")
def check_demo_facebook(app_configs, **kwargs):
    """The demo's stand-in for Facebook replaces Facebook for every reader, so it may
    only ever be the stand-in on this machine, and never beside the real app, whose
    secret allauth would then send to the stand-in's address."""
    address = settings.NEWSROOM_DEMO_FACEBOOK
    if not address:
        return []
    errors = []
    url = urlsplit(address)
    if url.scheme != "http" or not _on_loopback(url.hostname) or url.path:
        errors.append(
            Error(
                f"NEWSROOM_DEMO_FACEBOOK must be the demo's stand-in on this machine, "
                f"http://127.0.0.1:<port> (it is {address!r}).",
                hint="Unset it outside the demo; production signs in with the real "
                "Facebook app (FACEBOOK_CLIENT_ID, FACEBOOK_CLIENT_SECRET).",
                id="newsroom.E050",
            )
        )
    if settings.SOCIALACCOUNT_PROVIDERS.get("facebook", {}).get("APPS"):
        errors.append(
            Error(
                "NEWSROOM_DEMO_FACEBOOK and FACEBOOK_CLIENT_ID are both set: the real "
                "app's id and secret would go to the demo's stand-in.",
                hint="Unset NEWSROOM_DEMO_FACEBOOK to use the real Facebook app.",
                id="newsroom.E051",
            )
        )
    return errors


@register("newsroom", deploy=True)
def check_demo_facebook_deployed(app_configs, **kwargs):
    if not settings.NEWSROOM_DEMO_FACEBOOK:
        return []
    return [
        Warning(
            "NEWSROOM_DEMO_FACEBOOK is set: the sign-in pages' Facebook button leads "
            "to the demo's stand-in, not to Facebook.",
            hint="Unset it, and set FACEBOOK_CLIENT_ID and FACEBOOK_CLIENT_SECRET to "
            "offer Facebook sign-in.",
            id="newsroom.W050",
        )
    ]
