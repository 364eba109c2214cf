"""Moderation's part in every comment, vote and report: the site's rules, screening
(through the comments' signals), who may take part, and readers' reports; and what
moderators' actions share (the guard and the log).

The moderators' own actions are modules of their own: `decisions` (on comments and
articles) and `sanctions` (on readers).
"""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from newsroom.accounts.services import can_participate
from newsroom.comments import transitions
from newsroom.comments.models import Comment
from newsroom.comments.signals import PUBLISH
from newsroom.formats.display import news_datetime
from newsroom.ratelimit.refusals import limited

from . import limits, screening, selectors
from .models import CommentReview, LogEntry, ModerationSettings, Report

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


# Screening and participation (called through the comments' signals) ------------------


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


def refusal(user, *, site, action: str, ip=None, peek=False):
    """Why this reader may not comment, vote or report now: a message, a
    RateLimited (a limit, with how long to wait), or "" when nothing stops them."""
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
    )
    if not wait:
        return ""
    lead = {
        "comment": _("Too many comments in a short time."),
        "vote": _("Too many votes in a short time."),
        "report": _("Too many reports in a short time."),
    }[action]
    return limited(lead, wait)


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


def report_comment(
    comment, *, reporter, reason: str, note: str = "", ip=None
) -> Report:
    """A reader reports a comment (`reason`: a `Report.Reason`); enough open reports
    hide it until a moderator decides (transitions.hold_comment).

    Raises PermissionDenied when the reader may not report (unverified, sanctioned,
    too fast, their own comment, one no longer shown) and ValidationError for a
    missing reason or note, or a second report of the same comment."""
    if not can_participate(reporter):
        raise PermissionDenied(
            _("Please confirm your email address before reporting comments.")
        )
    site = comment.thread.site
    refused = refusal(reporter, site=site, action="report", ip=ip)
    if isinstance(refused, PermissionDenied):
        raise refused
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
                transitions.hold_comment(comment)
    except IntegrityError:
        raise ValidationError(_("You have already reported this comment.")) from None
    return made


# What moderators' actions share ----------------------------------------------------


def require_moderator(user) -> None:
    """Refuse anyone who is not a moderator (selectors.is_moderator)."""
    if not selectors.is_moderator(user):
        raise PermissionDenied(_("Only moderators can do that."))


def log_action(
    moderator, action, *, comment=None, reader=None, site=None, reason="", details=None
) -> LogEntry:
    """Write the moderation log's entry for one action (a `LogEntry.Action`), inside
    the transaction of the change it records."""
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
