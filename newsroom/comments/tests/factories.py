"""Comments, votes and site rules for tests, made through the comments actions."""

from .. import posting, voting
from ..models import CommentSettings, Vote

# Rate limits and the repeat check stay out of the way unless a test sets them.
QUIET = {
    "comments_per_minute": 0,
    "comments_per_hour": 0,
    "votes_per_minute": 0,
    "votes_per_hour": 0,
    "reports_per_minute": 0,
    "reports_per_hour": 0,
    "repeat_window_minutes": 0,
}


def set_rules(article, **values):
    """Write the article's site rules: `QUIET` plus `values`, the rest as default.

    The comments app's own interval between posts is off: tests post quickly; the
    limits have their own tests (here and in moderation)."""
    from newsroom.moderation.models import ModerationSettings

    site = article.get_site()
    CommentSettings.objects.update_or_create(
        site=site, defaults={"min_interval_seconds": 0}
    )
    ModerationSettings.objects.update_or_create(site=site, defaults={**QUIET, **values})


def comment(article, author, body: str, **options):
    """A comment written through the comments service (setup, not under test);
    `options` as for `posting.post_comment` (now, ip, confirmed)."""
    return posting.post_comment(page=article, author=author, body=body, **options)


def vote(comment, voter, value: int = Vote.Value.UP):
    """`voter`'s vote on `comment` (a `Vote.Value`) through `voting.cast_vote`."""
    return voting.cast_vote(comment, voter, value)
