"""The old name of `newsroom.comments.signals`, kept only for code that still
imports it under that name (comments/services.py, moderation/services.py, both
being reworked as this changes). Import `signals`; delete this module once nothing
names it."""

from .signals import (
    CONFIRM,
    HOLD,
    PUBLISH,
    REJECT,
    STRENGTH,
    Submission,
    Verdict,
    check_participation,
    comment_picked,
    comment_quoted,
    comment_removed,
    comment_screened,
    screen_comment,
    strongest,
)

__all__ = [
    "CONFIRM",
    "HOLD",
    "PUBLISH",
    "REJECT",
    "STRENGTH",
    "Submission",
    "Verdict",
    "check_participation",
    "comment_picked",
    "comment_quoted",
    "comment_removed",
    "comment_screened",
    "screen_comment",
    "strongest",
]
