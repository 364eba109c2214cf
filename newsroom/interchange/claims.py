"""A reader claims an imported history by verifying its email address: the
comments written under that address elsewhere become theirs."""

import logging

from django.db import transaction

from newsroom.comments.history import reattribute

from .models import ImportedAuthor

logger = logging.getLogger(__name__)


def claim(user, email: str) -> int:
    """Move the imported comments of `email` to `user`; returns how many moved."""
    moved = 0
    with transaction.atomic():
        for imported in (
            ImportedAuthor.objects.select_for_update()
            .filter(email=email.strip().lower())
            .exclude(user=user)
        ):
            placeholder = imported.user
            moved += reattribute(placeholder, user)
            placeholder.delete()  # takes its ImportedAuthor row with it
    if moved:
        logger.info("Reader %s claimed %d imported comments", user.pk, moved)
    return moved


def claim_on_verification(sender, instance, **kwargs):
    """An address saved as verified (confirmed by link, or vouched for by a social
    sign-in) claims what was imported under it."""
    if instance.verified and instance.user_id:
        claim(instance.user, instance.email)
