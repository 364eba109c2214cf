"""Changes moderation makes: screening records, reports, decisions, sanctions.

Every moderator action writes one `LogEntry`, in the same transaction as the
change, and only when something changed.
"""

import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.accounts.services import can_participate
from newsroom.comments import services as comments
from newsroom.comments.hooks import PUBLISH
from newsroom.comments.models import Comment
from newsroom.formats.display import news_datetime

from . import limits, screening, selectors
from .models import (
    ArticleRules,
    CommentReview,
    LogEntry,
    ModerationSettings,
    RemovalReason,
    Report,
    Sanction,
)

DEFAULT_REMOVAL = (
    "This comment has been removed for violating our community guidelines."
)
REASON_MAX = 1000


RULES_SECONDS = 60


def _rules_key(site_id) -> str:
    return f"moderation:rules:{site_id}"


def rules_for(site) -> ModerationSettings:
    """The site's screening rules and limits, read on every vote and comment: kept
    in the cache for RULES_SECONDS, and forgotten when they are saved."""
    if not site:
        return ModerationSettings()
    rules = cache.get(_rules_key(site.pk))
    if rules is None:
        rules = ModerationSettings.for_site(site)
        cache.set(_rules_key(site.pk), rules, RULES_SECONDS)
    return rules


def forget_rules(site_id) -> None:
    cache.delete(_rules_key(site_id))


# Screening and participation (called through the comments hooks) ------------------


def screen(submission) -> list:
    return screening.run(submission, rules_for(submission.thread.site))


def record_screening(comment, verdicts, now=None) -> None:
    """Keep the score and the rules a comment tripped; queue it if it was held."""
    now = now or timezone.now()
    score = next((v.score for v in verdicts if v.score is not None), None)
    flags = [
        {"rule": v.rule, "action": v.action, "message": str(v.message)}
        for v in verdicts
        if v.action != PUBLISH
    ]
    held = comment.status == Comment.Status.PENDING
    review, created = CommentReview.objects.get_or_create(
        comment=comment,
        defaults={
            "toxicity": score,
            "flags": flags,
            "waiting_since": now if held else None,
        },
    )
    if not created:
        changes = {"toxicity": score, "flags": flags}
        if held and review.waiting_since is None:
            changes["waiting_since"] = now
        CommentReview.objects.filter(pk=review.pk).update(**changes)


def refusal(user, *, site, action: str, ip=None, peek=False) -> str:
    """Why this reader may not comment, vote or report now, or ""."""
    blocking = selectors.blocking_sanction(user.pk, site)
    if blocking:
        return sanction_message(blocking)
    if selectors.pending_warning(user.pk):
        return _(
            "Please read the message from our moderators at the top of the page "
            "and acknowledge it first."
        )
    if peek:  # showing the comment box: limits are checked when the reader posts
        return ""
    rules = rules_for(site)
    per_minute, per_hour = {
        "comment": (rules.comments_per_minute, rules.comments_per_hour),
        "vote": (rules.votes_per_minute, rules.votes_per_hour),
        "report": (rules.reports_per_minute, rules.reports_per_hour),
    }[action]
    wait = limits.check(
        action,
        user_id=user.pk,
        ip=ip,
        per_minute=per_minute,
        per_hour=per_hour,
        ip_factor=rules.ip_factor,
        peek=peek,
    )
    if wait:
        what = {
            "comment": _("comments"),
            "vote": _("votes"),
            "report": _("reports"),
        }[action]
        minutes = -(-wait // 60)
        return _(
            "Too many %(what)s in a short time. Please try again in %(n)d min."
        ) % {"what": what, "n": minutes}
    return ""


def sanction_message(sanction: dict) -> str:
    where = _("on this site") if sanction["site_id"] else _("on our sites")
    if sanction["ends_at"] is None:
        text = _("You are banned from commenting %(where)s.") % {"where": where}
    else:
        until = news_datetime(sanction["ends_at"])
        text = _(
            "You are suspended from commenting, voting and reporting %(where)s "
            "until %(until)s."
        ) % {"where": where, "until": until}
    return f"{text} {_('Reason:')} {sanction['reason']}"


# Reports --------------------------------------------------------------------------


def report(comment, reporter, reason: str, note: str = "", ip=None) -> Report:
    """A reader reports a comment; enough reports hide it until a moderator decides."""
    if not can_participate(reporter):
        raise PermissionDenied(
            _("Please confirm your email address before reporting comments.")
        )
    site = comment.thread.site
    refused = refusal(reporter, site=site, action="report", ip=ip)
    if refused:
        raise PermissionDenied(refused)
    if comment.author_id == reporter.pk:
        raise PermissionDenied(_("You can't report your own comment."))
    if comment.status != Comment.Status.PUBLISHED:
        raise PermissionDenied(
            _("This comment is no longer shown, so there is nothing to report.")
        )
    if reason not in Report.Reason.values:
        raise ValidationError(_("Choose a reason for your report."))
    note = (note or "").strip()
    if len(note) > Report.NOTE_MAX:
        raise ValidationError(
            _("Please keep the note under %(n)d characters; yours has %(m)d.")
            % {"n": Report.NOTE_MAX, "m": len(note)}
        )
    if "\x00" in note:
        raise ValidationError(_("The note contains characters we can't store."))
    if reason == Report.Reason.OTHER and not note:
        raise ValidationError(_("Please say what is wrong with this comment."))
    now = timezone.now()
    try:
        with transaction.atomic():
            made = Report.objects.create(
                comment=comment, reporter=reporter, reason=reason, note=note
            )
            review, _created = CommentReview.objects.get_or_create(comment=comment)
            CommentReview.objects.filter(pk=review.pk).update(
                report_count=F("report_count") + 1, open_reports=F("open_reports") + 1
            )
            CommentReview.objects.filter(pk=review.pk, waiting_since=None).update(
                waiting_since=now
            )
            review.refresh_from_db()
            if review.open_reports >= rules_for(site).report_threshold:
                comments.hide_for_review(comment)
    except IntegrityError:
        raise ValidationError(_("You have already reported this comment.")) from None
    return made


# Moderator decisions --------------------------------------------------------------


def require_moderator(user) -> None:
    if not selectors.is_moderator(user):
        raise PermissionDenied(_("Only moderators can do that."))


def _log(
    moderator, action, *, comment=None, reader=None, site=None, reason="", details=None
) -> LogEntry:
    if comment is not None:
        reader = reader or comment.author
        site = site or comment.thread.site
    return LogEntry.objects.create(
        moderator=moderator,
        moderator_name=moderator.get_username(),
        action=action,
        comment_id=comment.pk if comment is not None else None,
        reader=reader,
        reader_name=reader.get_username() if reader is not None else "",
        site=site,
        reason=reason,
        details=details or {},
    )


def _decided(comment, now, *, resolve_reports=True) -> None:
    review, _created = CommentReview.objects.get_or_create(comment=comment)
    changes = {"decided_at": now}
    if review.waiting_since is not None:
        changes["waited"] = now - review.waiting_since
        changes["waiting_since"] = None
    if resolve_reports:
        changes["open_reports"] = 0
        Report.objects.filter(comment=comment, resolved_at__isnull=True).update(
            resolved_at=now
        )
    CommentReview.objects.filter(pk=review.pk).update(**changes)


def approve(comment, moderator, now=None) -> bool:
    require_moderator(moderator)
    now = now or timezone.now()
    with transaction.atomic():
        if not comments.approve(comment, now):
            return False
        _decided(comment, now)
        _log(moderator, LogEntry.Action.APPROVE, comment=comment)
    return True


def dismiss_reports(comment, moderator, now=None) -> bool:
    """The reports were unfounded: the comment stays, the reports close."""
    require_moderator(moderator)
    now = now or timezone.now()
    with transaction.atomic():
        count = Report.objects.filter(comment=comment, resolved_at__isnull=True).count()
        if not count:
            return False
        _decided(comment, now)
        _log(
            moderator,
            LogEntry.Action.DISMISS,
            comment=comment,
            details={"reports": count},
        )
    return True


def removal_text(reason_id=None, custom: str = "") -> tuple[str, str]:
    """(what moderators chose, what the thread shows) for a removal."""
    custom = (custom or "").strip()
    if len(custom) > 300:
        raise ValidationError(
            _("A removal message can be at most 300 characters; this one has %(n)d.")
            % {"n": len(custom)}
        )
    if reason_id:
        chosen = RemovalReason.objects.filter(pk=reason_id).first()
        if chosen is None:
            raise ValidationError(_("That removal reason no longer exists."))
        return chosen.title, custom or chosen.message
    if custom:
        return _("Custom message"), custom
    return _("Community guidelines"), _(DEFAULT_REMOVAL)


def remove(comment, moderator, *, reason_id=None, custom="", now=None) -> bool:
    require_moderator(moderator)
    title, shown = removal_text(reason_id, custom)
    now = now or timezone.now()
    with transaction.atomic():
        if not comments.remove(comment, shown):
            return False
        _decided(comment, now)
        _log(
            moderator,
            LogEntry.Action.REMOVE,
            comment=comment,
            reason=shown,
            details={"reason": title},
        )
    return True


def restore(comment, moderator, now=None) -> bool:
    require_moderator(moderator)
    now = now or timezone.now()
    with transaction.atomic():
        if not comments.restore(comment, now):
            return False
        _decided(comment, now)
        _log(moderator, LogEntry.Action.RESTORE, comment=comment)
    return True


def set_pick(comment, moderator, picked: bool) -> bool:
    require_moderator(moderator)
    with transaction.atomic():
        if not comments.set_pick(comment, picked):
            return False
        action = LogEntry.Action.PICK if picked else LogEntry.Action.UNPICK
        _log(moderator, action, comment=comment)
    return True


def set_article_rules(page, moderator, *, premoderate: bool, slow_mode_seconds: int):
    require_moderator(moderator)
    if not 0 <= slow_mode_seconds <= 86_400:
        raise ValidationError(_("Slow mode can be from 0 seconds to one day."))
    with transaction.atomic():
        rules, _created = ArticleRules.objects.get_or_create(page=page)
        if (rules.premoderate, rules.slow_mode_seconds) == (
            premoderate,
            slow_mode_seconds,
        ):
            return rules
        ArticleRules.objects.filter(pk=rules.pk).update(
            premoderate=premoderate,
            slow_mode_seconds=slow_mode_seconds,
            changed_at=timezone.now(),
        )
        _log(
            moderator,
            LogEntry.Action.ARTICLE,
            site=page.get_site(),
            details={
                "page": page.pk,
                "title": page.title,
                "premoderate": premoderate,
                "slow_mode_seconds": slow_mode_seconds,
            },
        )
    rules.refresh_from_db()
    return rules


# Sanctions ------------------------------------------------------------------------

SUSPENSION_DAYS = (1, 7, 30)


def sanction(
    reader,
    moderator,
    *,
    kind: str,
    reason: str,
    site=None,
    days=None,
    ends_at=None,
    comment=None,
    now=None,
) -> Sanction:
    """Warn, pre-moderate, suspend (for `days` or until `ends_at`) or ban a reader."""
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
        if ends_at > now + datetime.timedelta(days=3650):
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
        _log(
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


def lift(sanction_obj, moderator, now=None) -> bool:
    require_moderator(moderator)
    now = now or timezone.now()
    with transaction.atomic():
        if not Sanction.objects.filter(
            pk=sanction_obj.pk, lifted_at__isnull=True
        ).update(lifted_at=now):
            return False
        _log(
            moderator,
            LogEntry.Action.LIFT,
            reader=sanction_obj.user,
            site=sanction_obj.site,
            details={"sanction": sanction_obj.pk, "kind": sanction_obj.kind},
        )
        transaction.on_commit(lambda: selectors.forget_sanctions(sanction_obj.user_id))
    return True


def acknowledge(user, sanction_id, now=None) -> bool:
    """The reader has read a warning."""
    updated = Sanction.objects.filter(
        pk=sanction_id,
        user=user,
        kind=Sanction.Kind.WARN,
        acknowledged_at__isnull=True,
    ).update(acknowledged_at=now or timezone.now())
    selectors.forget_sanctions(user.pk)
    return bool(updated)
