"""Limits on signing in, signing up and changing passwords and addresses, counted in
the counter store every app server shares (newsroom.ratelimit.store).

The rates are allauth's: `settings.NEWSROOM_ACCOUNT_RATE_LIMITS` names allauth's
actions (`login`, `login_failed`, `signup`, `reset_password`, …) and writes each
limit as allauth does, `amount/period/per` (`10/m/ip,5/5m/key`). allauth counts its
own in Django's cache, which the embedded mode keeps in each process's memory, so
its counting is off (`ACCOUNT_RATE_LIMITS = False`) and its doors count here
instead: the views (views.py), the adapter's sign-in and mail hooks (adapter.py) and
the password-reset signal (receivers.py).
"""

import hashlib
import math
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from newsroom.ratelimit import store
from newsroom.ratelimit.clients import client_address, limit_subject
from newsroom.ratelimit.refusals import RateLimited, limited

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
PER = ("ip", "user", "key")


@dataclass(frozen=True)
class Rate:
    amount: int
    seconds: int
    per: str  # what is counted: the client's address, the reader or a key


class TooManyAttempts(ValidationError):
    """A form refused by a limit: its view answers 429 (views.LimitedFormView)."""

    def __init__(self, refusal: RateLimited):
        super().__init__(str(refusal), code="rate_limited")
        self.refusal = refusal


def parse(rates) -> list[Rate]:
    """allauth's `amount/period/per`, comma-separated (`per` defaults to ip; a
    period is s, m, h or d, optionally after a number: `5m`). Raises ValueError."""
    found = []
    for part in str(rates or "").split(","):
        part = part.strip()
        if not part:
            continue
        pieces = part.split("/")
        if len(pieces) == 2:
            pieces.append("ip")
        if len(pieces) != 3:
            raise ValueError(part)
        amount, period, per = pieces
        unit, number = period[-1:], period[:-1]
        if unit not in UNITS or per not in PER:
            raise ValueError(part)
        seconds = math.ceil((float(number) if number else 1) * UNITS[unit])
        found.append(Rate(int(amount), seconds, per))
    return found


def rates(action: str) -> list[Rate]:
    """The rates of `action`; none when it is unset (or, for the check to report,
    malformed)."""
    try:
        return parse((settings.NEWSROOM_ACCOUNT_RATE_LIMITS or {}).get(action))
    except ValueError:
        return []


def count(request, action: str, *, key: str = "", user=None) -> None:
    """Count one attempt at `action` against each of its rates; raise RateLimited
    when that went over one."""
    wait = store.hit_all(
        (name, rate.amount, rate.seconds)
        for rate, name in _names(request, action, key=key, user=user)
    )
    if wait:
        raise limited(_lead(action), wait)


def check(request, action: str, *, key: str = "") -> None:
    """Raise RateLimited when one more attempt at `action` would go over a rate;
    counts nothing (failed sign-ins are counted only when they fail)."""
    wait = 0
    for rate, name in _names(request, action, key=key):
        wait = max(wait, store.peek(name, rate.amount))
    if wait:
        raise limited(_lead(action), wait)


def forget(request, action: str, *, key: str) -> None:
    """Start afresh what `action` counted for `key` (its per-key rates)."""
    for rate, name in _names(request, action, key=key):
        if rate.per == "key":
            store.forget(name)


def refusal_in(form) -> RateLimited | None:
    """The limit that refused `form`, if one did."""
    for error in form.non_field_errors().as_data():
        if isinstance(error, TooManyAttempts):
            return error.refusal
    return None


def _names(request, action, *, key="", user=None):
    """Each rate of `action` with the store's name of what it counts here; a rate
    per reader or per key is skipped when there is no reader or key."""
    for rate in rates(action):
        if rate.per == "ip":
            subject = "ip" + limit_subject(client_address(request))
        elif rate.per == "user":
            if user is None or not user.is_authenticated:
                continue
            subject = f"u{user.pk}"
        else:
            if not key:
                continue
            subject = "k" + hashlib.sha256(key.lower().encode()).hexdigest()[:32]
        yield rate, f"account:{action}:{rate.amount}/{rate.seconds}:{subject}"


def _lead(action: str) -> str:
    return {
        "login": _("Too many sign-in attempts from your network."),
        "login_failed": _("Too many failed login attempts."),
        "signup": _("Too many registrations from your network."),
        "reset_password": _("Too many password reset requests."),
        "reset_password_from_key": _("Too many attempts to set a new password."),
        "change_password": _("Too many password changes."),
        "manage_email": _("Too many changes to your email addresses."),
        "reauthenticate": _("Too many attempts to confirm your password."),
        "confirm_email": _("We sent you a confirmation link a short while ago."),
    }.get(action, _("Too many attempts."))
