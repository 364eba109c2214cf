"""Comments written the way readers write them: through the article's form."""

from newsroom.news.tests.helpers import demo_article

from ..models import Comment, CommentSettings


def an_article():
    _spec, article = demo_article(lambda spec: True)
    return article


def no_rate_limit(article):
    """Tests post quickly; the limits have their own tests (here and in moderation)."""
    from newsroom.moderation.models import ModerationSettings

    CommentSettings.objects.update_or_create(
        site=article.get_site(), defaults={"min_interval_seconds": 0}
    )
    ModerationSettings.objects.update_or_create(
        site=article.get_site(),
        defaults={
            "comments_per_minute": 0,
            "comments_per_hour": 0,
            "votes_per_minute": 0,
            "votes_per_hour": 0,
            "repeat_window_minutes": 0,
        },
    )


def post(client, article, body):
    return client.post(f"/comments/on/{article.pk}/post/", {"body": body})


def last_comment():
    return Comment.objects.order_by("-pk").first()
