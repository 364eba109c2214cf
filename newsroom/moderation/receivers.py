"""Moderation's answers to the comments app's signals."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsroom.accounts.signals import personal_data
from newsroom.comments.signals import (
    check_participation,
    comment_screened,
    screen_comment,
    vote_cast,
)

from . import rings, services
from .models import ModerationSettings, Report, Sanction


@receiver(screen_comment)
def screen(sender, submission, **kwargs):
    return services.screen(submission)


@receiver(comment_screened)
def record(sender, comment, verdicts, **kwargs):
    services.record_screening(comment, verdicts)


@receiver(check_participation)
def participation(sender, user, site, action, ip=None, peek=False, **kwargs):
    return services.refusal(user, site=site, action=action, ip=ip, peek=peek)


@receiver(vote_cast)
def look_for_rings(sender, comment, voter, value, at, network, device, **kwargs):
    rings.check_vote(
        comment=comment,
        voter=voter,
        value=value,
        at=at,
        network=network,
        device=device,
    )


@receiver([post_save, post_delete], sender=ModerationSettings)
def rules_changed(sender, instance, **kwargs):
    services.forget_rules(instance.site_id)


@receiver(personal_data)
def export_moderation(sender, user, **kwargs):
    return "moderation", {
        "reports_made": [
            {
                "comment": r.comment_id,
                "reason": r.reason,
                "note": r.note,
                "at": r.created_at.isoformat(),
            }
            for r in Report.objects.filter(reporter=user)
        ],
        "sanctions": [
            {
                "kind": s.kind,
                "site": s.site.hostname if s.site else "all sites",
                "reason": s.reason,
                "from": s.starts_at.isoformat(),
                "until": s.ends_at.isoformat() if s.ends_at else None,
                "lifted": s.lifted_at.isoformat() if s.lifted_at else None,
            }
            for s in Sanction.objects.filter(user=user).select_related("site")
        ],
    }
