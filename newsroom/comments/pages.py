"""Which pages carry a discussion.

Comments owns the answer; the apps that define page types say which of theirs do,
from their `AppConfig.ready()`: comments registers news' articles itself (news is
below it and names no comments), api its embedded discussions. Each registered page
type gets a "Close comments" switch on its Settings tab (`newsroom.news.options`),
kept on the page's Thread.
"""

from django.utils.translation import gettext_lazy as _

from newsroom.news import options

from .models import Thread

_models: list[type] = []


def _is_closed(page) -> bool:
    return Thread.objects.filter(page_id=page.pk, closed=True).exists()


def _close(page, closed: bool, *, user, publishing: bool) -> None:
    from .services import close_discussion

    close_discussion(page, closed)


def _may_close(page, user) -> bool:
    """Closing a live discussion is an editor's call, not a draft's: only those who
    may publish the page (a new page has no discussion yet)."""
    if user is None or not user.is_authenticated:
        return False
    return not page.pk or page.permissions_for_user(user).can_publish()


CLOSE = options.PageOption(
    name="comments_closed",
    heading=_("Comments"),
    label=_("Close comments"),
    help_text=_(
        "Readers can no longer comment; the discussion so far stays. Takes effect "
        "when you save or publish. Comments also close by themselves after the "
        "number of days set under Settings → Comments."
    ),
    read=_is_closed,
    write=_close,
    may_change=_may_close,
)


def register(model) -> None:
    """Pages of `model` (a Page subclass) carry a discussion."""
    if model not in _models:
        _models.append(model)
        options.add(model, CLOSE, place=options.SETTINGS)


def is_commentable(page) -> bool:
    """Whether `page` (specific or not) carries a discussion."""
    if page is None:
        return False
    kinds = tuple(_models)
    if isinstance(page, kinds):
        return True
    specific_class = getattr(page, "specific_class", None)
    return specific_class is not None and issubclass(specific_class, kinds)
