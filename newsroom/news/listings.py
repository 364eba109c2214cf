"""What apps above news add to its article listings (the cards of the front,
section, tag, author and search pages, and the feeds).

news knows nothing of comments or any other app that counts something per article.
Such an app registers a queryset annotation from its `AppConfig.ready()` (comments
adds `comment_count`), and `annotated()` applies every one to a listing's queryset:
the listing stays one query however many apps add to it. An annotation must add
columns only (no joins that multiply rows) and read nothing per article.
"""

from collections.abc import Callable

_annotations: list[Callable] = []


def register(annotate: Callable) -> Callable:
    """`annotate(queryset) -> queryset` runs on every listing's articles."""
    if annotate not in _annotations:
        _annotations.append(annotate)
    return annotate


def annotated(queryset):
    for annotate in _annotations:
        queryset = annotate(queryset)
    return queryset
