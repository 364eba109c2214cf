"""Comments written the way readers write them: through the article's form."""

from newsroom.news.tests.helpers import demo_article

from ..models import Comment, CommentSettings


def an_article():
    _spec, article = demo_article(lambda spec: True)
    return article


def no_rate_limit(article):
    """Tests post quickly; the limit itself has its own test."""
    CommentSettings.objects.update_or_create(
        site=article.get_site(), defaults={"min_interval_seconds": 0}
    )


def post(client, article, body):
    return client.post(f"/comments/on/{article.pk}/post/", {"body": body})


def last_comment():
    return Comment.objects.order_by("-pk").first()
