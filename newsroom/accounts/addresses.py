"""Email addresses that cannot receive mail, refused where readers type a new one.

Only the forms that take a new address refuse them: sign-up, the social sign-up's
"Almost done" and adding an address in settings (forms.py). Not allauth's
adapter `clean_email`, which the password-reset form and every social provider's
address pass through as well: a reset must still find an account made directly,
as the demo and the tests make theirs at `readers.invalid` or `example.com`.
The test is of the address's shape, without asking DNS: a lookup would make
sign-up wait on, and fail with, the resolver.
"""

import ipaddress

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# RFC 2606 and RFC 6761 reserve these top-level names for tests, examples and
# local networks; no mail on the internet is delivered to them. `local` is
# multicast DNS's (RFC 6762), `internal` private networks' (ICANN, 2024).
RESERVED_TOP_LEVEL = frozenset(
    {"invalid", "test", "example", "localhost", "local", "internal"}
)
# RFC 2606 keeps these for documentation: their mail servers accept nothing.
RESERVED_DOMAINS = frozenset({"example.com", "example.net", "example.org"})


def undeliverable_reason(domain: str) -> str:
    """Why mail to an address at `domain` cannot arrive, or "" when it may."""
    domain = domain.strip().rstrip(".").lower()
    if domain.startswith("[") or _is_ip(domain):
        return _(
            "That email address is at a network address (%(domain)s), not a domain "
            "name, so it can't receive mail from us. Please use another address."
        ) % {"domain": domain}
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return _(
            "The part of that email address after the @ is not a full domain name "
            "(it needs a dot, as in name@provider.jp), so it can't receive mail. "
            "Please check it."
        )
    if labels[-1] in RESERVED_TOP_LEVEL:
        return _(
            "Addresses ending in .%(name)s are reserved for tests and local networks "
            "and can't receive mail from us. Please use another address."
        ) % {"name": labels[-1]}
    if ".".join(labels[-2:]) in RESERVED_DOMAINS:
        return _(
            "%(domain)s is reserved for examples and can't receive mail. Please use "
            "your own address."
        ) % {"domain": ".".join(labels[-2:])}
    return ""


def validate_deliverable(email: str) -> None:
    """Raise ValidationError with the reason when mail to `email` cannot arrive."""
    reason = undeliverable_reason(email.rpartition("@")[2])
    if reason:
        raise ValidationError(reason, code="undeliverable")


def _is_ip(domain: str) -> bool:
    try:
        ipaddress.ip_address(domain)
    except ValueError:
        return False
    return True
