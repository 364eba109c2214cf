"""What the comments' workflows share: a page's thread and rules, whether it is open
for comments, who may take part, and the reader's cached overlay.

The workflows themselves are modules of their own: `posting` (a reader's own
comments), `voting`, `transitions` (the status table and the named actions on a
comment: approve, hold, remove, restore, retract, pick) and `jobs`. Closing a
discussion (`close_discussion`) is here: it changes the thread, not a comment.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Site

from newsroom.accounts.services import can_participate
from newsroom.edge import keys as surrogate_keys
from newsroom.edge.purge import purge

from . import signals
from .models import Comment, CommentSettings, Thread


def settings_for(page) -> CommentSettings:
    site = page.get_site() if page is not None else None
    return CommentSettings.for_site(site) if site else CommentSettings()


def thread_for(page) -> Thread:
    thread = Thread.objects.filter(page=page).first()
    if thread is None:
        site = page.get_site() or Site.objects.filter(is_default_site=True).first()
        thread, _created = Thread.objects.get_or_create(
            page=page, defaults={"site": site}
        )
    return thread


_UNREAD = object()


def closed_reason(page, rules: CommentSettings, now=None, *, thread=_UNREAD) -> str:
    """Why comments on this page are closed, or "" when they are open.

    `thread` is the page's Thread (or None: it has none) when the caller has read
    it; otherwise it is read here."""
    if thread is _UNREAD:
        thread = Thread.objects.filter(page_id=page.pk).only("closed").first()
    if thread is not None and thread.closed:
        return _("Comments on this article are closed.")
    published = page.first_published_at
    if rules.close_after_days and published:
        closes = published + datetime.timedelta(days=rules.close_after_days)
        if (now or timezone.now()) >= closes:
            return ngettext(
                "Comments close %(days)d day after publication.",
                "Comments close %(days)d days after publication.",
                rules.close_after_days,
            ) % {"days": rules.close_after_days}
    return ""


def require_participant(user, *, site=None, action="comment", ip=None) -> None:
    """Refuse with a message unless the reader may take part: verified, and not
    stopped by another app (a suspension, a rate limit)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Please sign in first."))
    if not can_participate(user):
        raise PermissionDenied(
            _("Please confirm your email address first; see your settings.")
        )
    message = refusal(user, site=site, action=action, ip=ip, peek=False)
    if isinstance(message, PermissionDenied):  # a rate limit's, with its wait
        raise message
    if message:
        raise PermissionDenied(message)


def refusal(user, *, site=None, action="comment", ip=None, peek=True):
    """Why another app stops this reader (a suspension, a rate limit): a message or
    a PermissionDenied to raise (see signals.check_participation); "" when none."""
    for _receiver, message in signals.check_participation.send(
        sender=Comment, user=user, site=site, action=action, ip=ip, peek=peek
    ):
        if message:
            return message
    return ""


def remember_sort(request, sort: str) -> None:
    """A signed-in reader's chosen sort is kept in their session for next time."""
    if (
        request.GET.get("sort") == sort
        and request.user.is_authenticated
        and request.session.get("comment_sort") != sort
    ):
        request.session["comment_sort"] = sort


def purge_reader(user_id) -> None:
    """The reader's overlay (their votes, their own comments) changed: the edge
    forgets the copy it keeps for their browser (newsroom.edge)."""
    if user_id:
        purge(surrogate_keys.reader(user_id))


def close_discussion(page, closed: bool = True) -> bool:
    """Close comments on a page (or reopen them, `closed=False`): the discussion so
    far stays. True when that changed anything; readers see it at once."""
    if not closed and not Thread.objects.filter(page_id=page.pk).exists():
        return False  # no thread: nothing was ever closed
    thread = thread_for(page)
    changed = (
        Thread.objects.filter(pk=thread.pk).exclude(closed=closed).update(closed=closed)
    )
    if changed:
        thread.closed = closed
        purge(surrogate_keys.thread(page.pk))  # the composer, on every copy
    return bool(changed)
