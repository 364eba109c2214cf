"""Sanctions on a reader: a moderator warns, pre-moderates, suspends or bans them,
or lifts a sanction; the reader acknowledges a warning.

Every moderator action here writes one `LogEntry` in the same transaction, and
forgets the reader's cached sanctions once it commits, so the next comment, vote or
report they try sees the change.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .models import LogEntry, Sanction
from .services import log_action, require_moderator

SUSPENSION_DAYS = (1, 7, 30)  # the lengths the form offers; any end date also goes
SUSPENSION_MAX_DAYS = 3650
REASON_MAX = 1000


def sanction_reader(
    reader,
    *,
    moderator,
    kind: str,
    reason: str,
    site=None,
    days=None,
    ends_at=None,
    comment=None,
    now=None,
) -> Sanction:
    """Warn, pre-moderate, suspend (for `days` or until `ends_at`) or ban a reader,
    on `site` or (None) the whole network; `comment` is the one that led to it.

    Raises PermissionDenied for a user who is not a moderator, ValidationError for a
    missing kind, reason or length, and for staff or the moderator themselves."""
    require_moderator(moderator)
    now = now or timezone.now()
    reason = (reason or "").strip()
    if kind not in Sanction.Kind.values:
        raise ValidationError(_("Choose a kind of sanction."))
    if not reason:
        raise ValidationError(_("Give the reader a reason."))
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("Please keep the reason under %(n)d characters; it has %(m)d.")
            % {"n": REASON_MAX, "m": len(reason)}
        )
    if reader.pk == moderator.pk:
        raise ValidationError(_("You can't sanction yourself."))
    if selectors.is_moderator(reader) or reader.is_staff:
        raise ValidationError(_("Staff accounts can't be sanctioned here."))
    if kind == Sanction.Kind.SUSPEND:
        if days:
            ends_at = now + datetime.timedelta(days=int(days))
        if ends_at is None or ends_at <= now:
            raise ValidationError(_("Choose how long the suspension lasts."))
        if ends_at > now + datetime.timedelta(days=SUSPENSION_MAX_DAYS):
            raise ValidationError(_("A suspension can last at most ten years."))
    else:
        ends_at = None
    with transaction.atomic():
        made = Sanction.objects.create(
            user=reader,
            kind=kind,
            site=site,
            reason=reason,
            starts_at=now,
            ends_at=ends_at,
            created_by=moderator,
        )
        log_action(
            moderator,
            LogEntry.Action.SANCTION,
            reader=reader,
            site=site,
            reason=reason,
            details={
                "sanction": made.pk,
                "kind": kind,
                "ends_at": ends_at.isoformat() if ends_at else None,
                "network": site is None,
                "comment": comment.pk if comment is not None else None,
            },
        )
        transaction.on_commit(lambda: selectors.forget_sanctions(reader.pk))
    return made


def lift_sanction(sanction, *, moderator, now=None) -> bool:
    """End a sanction early. False when it was lifted already."""
    require_moderator(moderator)
    now = now or timezone.now()
    with transaction.atomic():
        if not Sanction.objects.filter(pk=sanction.pk, lifted_at__isnull=True).update(
            lifted_at=now
        ):
            return False
        log_action(
            moderator,
            LogEntry.Action.LIFT,
            reader=sanction.user,
            site=sanction.site,
            details={"sanction": sanction.pk, "kind": sanction.kind},
        )
        transaction.on_commit(lambda: selectors.forget_sanctions(sanction.user_id))
    return True


def acknowledge_warning(reader, *, sanction_id, now=None) -> bool:
    """The reader has read a warning: they may take part again. False when it was
    not their unacknowledged warning."""
    updated = Sanction.objects.filter(
        pk=sanction_id,
        user=reader,
        kind=Sanction.Kind.WARN,
        acknowledged_at__isnull=True,
    ).update(acknowledged_at=now or timezone.now())
    selectors.forget_sanctions(reader.pk)
    return bool(updated)
