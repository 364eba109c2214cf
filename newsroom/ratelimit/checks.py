"""System checks for rate limits' view of the client: NEWSROOM_TRUSTED_PROXIES.

docs/configuration.md lists every check id.
"""

import ipaddress

from django.conf import settings
from django.core import checks


@checks.register("newsroom")
def check_trusted_proxies(app_configs, **kwargs):
    """Each trusted proxy is an address or a network (CIDR). Anything else is left
    out of the list meanwhile (clients.trusted_networks), so a typo trusts less,
    never more: `*`, a host name or a range would otherwise let a client choose its
    own address."""
    errors = []
    for entry in settings.NEWSROOM_TRUSTED_PROXIES:
        try:
            ipaddress.ip_network(entry.strip(), strict=False)
        except ValueError:
            errors.append(
                checks.Error(
                    f"NEWSROOM_TRUSTED_PROXIES lists {entry[:60]!r}, which is not an "
                    "IP address or network; it is ignored.",
                    hint="List the proxies in front of the app by address or CIDR, "
                    "comma-separated with no spaces, e.g. 127.0.0.1,10.0.0.0/24.",
                    id="newsroom.E033",
                )
            )
    return errors
