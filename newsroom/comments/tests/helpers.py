"""Comments written the way readers write them: through the article's form."""

from newsroom.news.tests.helpers import demo_article

from ..models import Comment


def an_article(site="ledger"):
    """The first article of the baseline on `site`."""
    return demo_article(lambda spec: True, site=site)[1]


def post(client, article, body):
    return client.post(f"/comments/on/{article.pk}/post/", {"body": body})


def last_comment():
    return Comment.objects.order_by("-pk").first()
