"""The address of the client behind a request, trusting only the configured proxies.

`X-Forwarded-For` is a list anyone can start: a client may send one of its own, and
each proxy appends the address it received the request from. So it is read only when
the request came straight from a proxy in `NEWSROOM_TRUSTED_PROXIES`, and read from
the right: the first address that is not one of those proxies is the client. With no
trusted proxies the header is ignored and the client is the connection's peer.

uvicorn is given the same list (`--forwarded-allow-ips`, docs/deployment.md), so it
may already have put the client's address in REMOTE_ADDR; reading the header again
here then gives the same address, since uvicorn picks it the same way.
"""

import functools
import ipaddress

from django.conf import settings

ADDRESS_MAX = 100  # longer than any address with a port; the rest is not kept
IPV6_PREFIX = 64  # one household or phone gets a /64: count it as one address


def client_address(request) -> str:
    """The address of the client that sent `request` ("" when unknown)."""
    peer = request.META.get("REMOTE_ADDR", "")[:ADDRESS_MAX]
    trusted = trusted_networks(tuple(settings.NEWSROOM_TRUSTED_PROXIES))
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    forwarded = [
        _without_port(entry.strip())[:ADDRESS_MAX]
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    for address in reversed(forwarded):
        if not _is_trusted(address, trusted):
            return address
    # Every hop was a trusted proxy: the first is where the request began.
    return forwarded[0] if forwarded else peer


def limit_subject(address: str) -> str:
    """The address as per-address limits count it: an IPv6 address by its /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed)


@functools.lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple:
    """The networks `NEWSROOM_TRUSTED_PROXIES` lists; entries that are not an
    address or a CIDR are left out (checks.py reports them)."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue
    return tuple(networks)


def _is_trusted(address: str, networks) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    if parsed.version == 6 and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    return any(parsed in network for network in networks)


def _without_port(entry: str) -> str:
    """`192.0.2.1:4711` and `[2001:db8::1]:4711` without the port, as uvicorn reads
    them; a bare IPv6 address stays as it is."""
    if entry.startswith("["):
        return entry[1:].partition("]")[0]
    if entry.count(":") == 1:
        return entry.partition(":")[0]
    return entry
