"""The "Send as breaking alert" switch on an article's edit form (news/options.py).

Ticking it asks for the article to go to its site's breaking-news subscribers when
it is published. Publishing in the same step sends it at once: Wagtail announces
the publish before the switch is saved, so the switch sends for itself then.
Either way an article's alert goes out once, ever (sending.breaking_alert_for).
"""

from django.utils.translation import gettext_lazy as _

from newsroom.news import options
from newsroom.news.models import ArticlePage

from . import sending
from .models import BreakingRequest


def is_requested(article) -> bool:
    return BreakingRequest.objects.filter(article_id=article.pk).exists()


def request_breaking_alert(article, requested: bool, *, user=None, publishing=False):
    """Record (or withdraw) the editor's request; send now if publishing a live
    article."""
    if not requested:
        BreakingRequest.objects.filter(article_id=article.pk).delete()
        return
    BreakingRequest.objects.get_or_create(
        article_id=article.pk,
        defaults={"requested_by": user if user and user.is_authenticated else None},
    )
    if publishing and ArticlePage.objects.live().filter(pk=article.pk).exists():
        sending.send_breaking_alert(article)


SEND = options.PageOption(
    name="send_breaking_alert",
    heading=_("News alert"),
    label=_("Send as breaking alert"),
    help_text=_(
        "Email this story to the site's breaking-news subscribers when it is "
        "published. It goes out once: publishing again later sends nothing."
    ),
    read=is_requested,
    write=request_breaking_alert,
)


def register() -> None:
    options.add(ArticlePage, SEND, place=options.CONTENT)
