"""Forget an article's cached beacon lookup (selectors.countable_article_site) when
it is published, unpublished or moved, so its reads start or stop counting at once."""

from django.core.cache import cache
from django.db import transaction

from .selectors import article_key


def forget_article(sender, instance, **kwargs) -> None:
    # After the commit: a beacon arriving before it would cache the old state again.
    key = article_key(instance.pk)
    transaction.on_commit(lambda: cache.delete(key))
