"""Subscribing to news alerts: double opt-in, changes, unsubscribing.

Nobody receives alerts until the address confirms from an emailed link, except a
signed-in reader subscribing their own verified address. The subscribe form answers
the same way whether or not an address is already subscribed, so it reveals
nothing about who reads what: an address that already receives alerts is emailed a
link to its manage page instead of being changed by whoever typed it in.
"""

import logging
import smtplib
import unicodedata
from functools import reduce
from operator import or_

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.ratelimit import store
from newsroom.ratelimit.clients import limit_subject
from newsroom.ratelimit.refusals import try_again

from . import emails, tokens
from .models import Subscriber, Subscription

logger = logging.getLogger(__name__)

EMAIL_MAX = 254  # RFC 5321's limit on a forward path, as Django's EmailField
LOCAL_PART_MAX = 64
# Subscribe requests per address and per network address, per hour.
PER_EMAIL_PER_HOUR = 3
PER_IP_PER_HOUR = 20
HOUR = 3600


class Refused(Exception):
    """A subscribe request that is not acted on; the message says why."""

    status = 400


class Flooded(Refused):
    """Too many subscribe requests: try again after `retry_after` seconds."""

    status = 429

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class NotSent(Refused):
    """The confirmation email could not be sent: the reader must hear of it."""

    status = 503


def clean_email(raw: str) -> str:
    """The address in the form stored and mailed to, or ValidationError.

    Refused: control characters anywhere (a CR or LF would let a sender inject
    headers), more than 254 characters, any character outside ASCII (look-alike
    letters, direction overrides, invisible joiners), and whatever Django's
    validator refuses."""
    value = (raw or "").strip()
    if not value:
        raise ValidationError(_("Enter your email address."), code="required")
    if any(unicodedata.category(char)[0] == "C" for char in value):
        raise ValidationError(
            _("An email address cannot contain line breaks or control characters."),
            code="control",
        )
    if len(value) > EMAIL_MAX:
        raise ValidationError(
            _("That address is too long: at most %(max)s characters.")
            % {"max": EMAIL_MAX},
            code="too_long",
        )
    if not value.isascii():
        raise ValidationError(
            _(
                "Use an address made of plain Latin letters, digits and punctuation; "
                "alerts cannot be sent to addresses with other characters."
            ),
            code="unicode",
        )
    validate_email(value)
    local, _at, domain = value.rpartition("@")
    if len(local) > LOCAL_PART_MAX:
        raise ValidationError(_("The part before the @ is too long."), code="local")
    return f"{local}@{domain.lower()}".lower()


def check_flood(email: str, ip: str | None) -> None:
    """Refuse a burst of subscribe requests for one address or from one network
    (Flooded), counted in the store every app server shares."""
    limits = [(f"alerts-subscribe:e{email}", PER_EMAIL_PER_HOUR, HOUR)]
    if ip:
        subject = limit_subject(ip)
        limits.append((f"alerts-subscribe:ip{subject}", PER_IP_PER_HOUR, HOUR))
    wait = store.hit_all(limits)
    if wait:
        raise Flooded(
            _("Too many subscription requests. Nothing was changed. %(again)s")
            % {"again": try_again(wait)},
            wait,
        )


def owns_verified(user, email: str) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and EmailAddress.objects.filter(
            user=user, email__iexact=email, verified=True
        ).exists()
    )


def subscribe(
    email: str,
    site,
    *,
    user=None,
    breaking: bool = True,
    digest: bool = False,
    digest_hour: int = 7,
    sections=(),
    time_zone: str = "",
    ip: str | None = None,
) -> str:
    """Ask for `site`'s alerts for `email`; return what happened:

    "subscribed": a signed-in reader's own verified address, subscribed at once;
    "check_email": a confirmation link (or, if the address already receives this
    site's alerts, a link to the manage page) was emailed.
    """
    email = clean_email(email)
    check_flood(email, ip)
    if not (breaking or digest):
        raise Refused(_("Choose breaking news, the daily digest or both."))
    trusted = owns_verified(user, email)
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(email=email)
        if trusted and subscriber.user_id != user.pk:
            subscriber.user = user
            subscriber.save(update_fields=["user"])
        if time_zone and (trusted or not subscriber.subscriptions.exists()):
            subscriber.time_zone = time_zone
            subscriber.save(update_fields=["time_zone"])
        subscription, _created = Subscription.objects.get_or_create(
            subscriber=subscriber, site=site
        )
        if subscription.active and not trusted:
            transaction.on_commit(lambda: send_manage_link(subscriber, site))
            return "check_email"
        # New, pending, or unsubscribed from everything: subscribing again is
        # confirmed again (at once when trusted, else from the emailed link), and
        # the new confirmed_at retires the unsubscribe links of earlier emails.
        if trusted:
            if not subscription.active:
                subscription.confirmed_at = timezone.now()
        else:
            subscription.confirmed_at = None
            subscription.invited_at = timezone.now()
        subscription.breaking = breaking
        subscription.digest = digest
        subscription.digest_hour = digest_hour
        subscription.save()
        subscription.sections.set(sections)
    if trusted:
        return "subscribed"
    if not send_confirmation(subscription):
        raise NotSent(
            _(
                "We could not send the confirmation email just now, so you are not "
                "subscribed yet. Please try again in a few minutes."
            )
        )
    return "check_email"


def invite(user, site) -> Subscription | None:
    """The invitation promised at registration: a confirmation link for breaking
    news from the site the reader joined. Nothing is sent to them before they
    confirm."""
    try:
        email = clean_email(user.email or "")
    except ValidationError:
        return None
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.get_or_create(
            email=email, defaults={"user": user}
        )
        if subscriber.user_id is None:
            subscriber.user = user
            subscriber.save(update_fields=["user"])
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber, site=site, defaults={"invited_at": timezone.now()}
        )
    if subscription.confirmed_at:
        return subscription
    send_confirmation(subscription, welcome=True, name=user.get_username())
    return subscription


def _send(message: EmailMultiAlternatives) -> bool:
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send an alerts email to %s", message.to)
        return False
    return True


def send_confirmation(subscription, *, welcome: bool = False, name: str = "") -> bool:
    site = subscription.site
    token = tokens.make(
        tokens.CONFIRM,
        s=subscription.pk,
        at=tokens.stamp(subscription.invited_at),
    )
    context = {
        **emails.brand(site),
        "welcome": welcome,
        "display_name": name,
        "subscription": subscription,
        "confirm_url": emails.absolute(site, reverse("alerts:confirm", args=[token])),
        "valid_days": tokens.MAX_AGE[tokens.CONFIRM].days,
    }
    return _send(
        emails.message(
            "alerts/email/confirm", context, to=subscription.subscriber.email
        )
    )


def send_manage_link(subscriber, site) -> bool:
    context = {
        **emails.brand(site),
        "manage_url": emails.absolute(site, manage_path(subscriber)),
        "valid_days": tokens.MAX_AGE[tokens.MANAGE].days,
    }
    return _send(emails.message("alerts/email/manage", context, to=subscriber.email))


def manage_path(subscriber) -> str:
    token = tokens.make(tokens.MANAGE, r=subscriber.pk, e=subscriber.email)
    return reverse("alerts:manage_token", args=[token])


def unsubscribe_token(subscription, kind: str) -> str:
    return tokens.make(
        tokens.UNSUBSCRIBE,
        s=subscription.pk,
        k=kind,
        at=tokens.stamp(subscription.confirmed_at),
    )


def unsubscribe_path(subscription, kind: str) -> str:
    return reverse("alerts:unsubscribe", args=[unsubscribe_token(subscription, kind)])


# Reading links -----------------------------------------------------------------


def subscription_to_confirm(token: str) -> Subscription:
    data = tokens.read(tokens.CONFIRM, token)
    subscription = (
        Subscription.objects.select_related("site", "subscriber")
        .filter(pk=data.get("s"))
        .first()
    )
    if subscription is None:
        raise tokens.InvalidLink(
            _("This subscription no longer exists. Nothing was changed.")
        )
    if subscription.confirmed_at is None and tokens.stamp(
        subscription.invited_at
    ) != data.get("at"):
        raise tokens.InvalidLink(
            _(
                "A newer confirmation email was sent for this address; please use "
                "the link in that one. Nothing was changed."
            )
        )
    return subscription


def confirm(subscription, *, now=None) -> bool:
    """Record the confirmation once; False when it was already confirmed."""
    updated = Subscription.objects.filter(
        pk=subscription.pk, confirmed_at__isnull=True
    ).update(confirmed_at=now or timezone.now())
    subscription.refresh_from_db(fields=["confirmed_at"])
    return bool(updated)


def subscription_to_leave(token: str) -> tuple[Subscription, str]:
    data = tokens.read(tokens.UNSUBSCRIBE, token)
    subscription = (
        Subscription.objects.select_related("site", "subscriber")
        .filter(pk=data.get("s"))
        .first()
    )
    kind = data.get("k")
    if subscription is None or kind not in ("breaking", "digest"):
        raise tokens.InvalidLink(
            _("This subscription no longer exists. Nothing was changed.")
        )
    if tokens.stamp(subscription.confirmed_at) != data.get("at"):
        # Subscribed again since this email was sent: the old link is spent.
        raise tokens.InvalidLink(
            _(
                "This link is from an older email and no longer applies: you "
                "subscribed again since. Nothing was changed; use the link in a "
                "recent alert."
            )
        )
    return subscription, kind


def unsubscribe(subscription, *kinds: str) -> bool:
    """Stop these kinds of alert ("breaking", "digest") from one site; False when
    they were all off already."""
    kinds = kinds or ("breaking", "digest")
    updated = (
        Subscription.objects.filter(pk=subscription.pk)
        .filter(reduce(or_, (Q(**{kind: True}) for kind in kinds)))
        .update(**dict.fromkeys(kinds, False))
    )
    subscription.refresh_from_db(fields=list(kinds))
    return bool(updated)


def subscriber_to_manage(token: str) -> Subscriber:
    data = tokens.read(tokens.MANAGE, token)
    subscriber = Subscriber.objects.filter(
        pk=data.get("r"), email=data.get("e")
    ).first()
    if subscriber is None:
        raise tokens.InvalidLink(_("These alerts no longer exist."))
    return subscriber


# The manage page ----------------------------------------------------------------


def subscribers_of(user):
    """A signed-in reader's subscriber records: linked, or at a verified address."""
    emails_ = EmailAddress.objects.filter(user=user, verified=True).values("email")
    return Subscriber.objects.filter(user=user) | Subscriber.objects.filter(
        email__in=emails_
    )


def subscriptions_of(subscribers):
    return (
        Subscription.objects.filter(subscriber__in=subscribers)
        .select_related("site", "subscriber")
        .prefetch_related("sections")
        .order_by("site__site_name", "subscriber__email")
    )


def update(
    subscription,
    *,
    breaking: bool,
    digest: bool,
    digest_hour: int,
    sections,
    time_zone: str | None = None,
) -> None:
    """Change a confirmed subscription from its manage page."""
    with transaction.atomic():
        fields = ["breaking", "digest", "digest_hour"]
        if not subscription.active and (breaking or digest):
            # Subscribing again after unsubscribing: as a new confirmation, it
            # retires the unsubscribe links of earlier emails.
            subscription.confirmed_at = timezone.now()
            fields.append("confirmed_at")
        subscription.breaking = breaking
        subscription.digest = digest
        subscription.digest_hour = digest_hour
        subscription.save(update_fields=fields)
        subscription.sections.set(sections)
        if time_zone is not None:
            Subscriber.objects.filter(pk=subscription.subscriber_id).update(
                time_zone=time_zone
            )


def resume(subscriber) -> None:
    """Start sending to a paused address again (its owner asked to)."""
    Subscriber.objects.filter(pk=subscriber.pk).update(paused_at=None, failures=0)


def unsubscribe_all(subscriber) -> int:
    return Subscription.objects.filter(subscriber=subscriber).update(
        breaking=False, digest=False
    )
