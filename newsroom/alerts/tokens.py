"""Signed, expiring tokens for the links in alert emails.

Each token names what it acts on and the state it was issued for, so a link that is
replayed after that state changed (confirmed again, unsubscribed and subscribed
again) is recognised as stale and changes nothing."""

import datetime

from django.core import signing
from django.utils.translation import gettext_lazy as _

CONFIRM = "newsroom.alerts.confirm"
UNSUBSCRIBE = "newsroom.alerts.unsubscribe"
MANAGE = "newsroom.alerts.manage"

MAX_AGE = {
    CONFIRM: datetime.timedelta(days=7),
    # Unsubscribe links must keep working while old emails sit in inboxes.
    UNSUBSCRIBE: datetime.timedelta(days=90),
    MANAGE: datetime.timedelta(days=30),
}


class InvalidLink(Exception):
    """A link that is tampered with, expired or no longer current; says which."""


def make(purpose: str, **data) -> str:
    return signing.dumps(data, salt=purpose, compress=True)


def read(purpose: str, token: str) -> dict:
    try:
        return signing.loads(
            token, salt=purpose, max_age=MAX_AGE[purpose].total_seconds()
        )
    except signing.SignatureExpired as error:
        raise InvalidLink(
            _(
                "This link has expired. Nothing was changed. You can manage your "
                "alerts from the link in any recent alert, or subscribe again."
            )
        ) from error
    except signing.BadSignature as error:
        raise InvalidLink(
            _(
                "This link is not valid: it may have been cut short or altered. "
                "Nothing was changed. Please copy the whole link from the email."
            )
        ) from error


def stamp(moment) -> int:
    """A state marker for tokens: a timestamp to the second, 0 for none."""
    return int(moment.timestamp()) if moment else 0
