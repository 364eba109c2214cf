"""Thin views: read with selectors, change with services, answer HTML or htmx."""

import asyncio
import datetime
import json

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from wagtail.models import Page, Site

from newsroom.ratelimit.clients import client_address
from newsroom.ratelimit.refusals import answer

from . import posting, selectors, services, voting
from .models import Comment, CommentSettings, Thread
from .pages import is_commentable
from .render import body_from_segments

STREAM_SECONDS = 300  # a stream ends after this; EventSource reconnects and resumes
HEARTBEAT_SECONDS = 15
# Marks the messages that tell an author what was taken out of their comment: the
# discussion shows them beside the thread, not the page's top (comment_notices).
NOTICE_TAG = "comment-notice"
NOTICE_ANCHOR = "#comment-notices"


def remembered_sort(request) -> str:
    """The sort the reader asked for (remembered for a signed-in reader), or theirs."""
    sort = selectors.requested_sort(request)
    services.remember_sort(request, sort)
    return sort


def article_discussion(context) -> dict:
    """`d`, the thread under an article (selectors.thread_page), for the parts
    comments puts on the article page (news.slots): worked out once per request
    though two parts use it. The article page is Wagtail's view, not ours: its
    sort was decided and remembered before it was served (wagtail_hooks)."""
    request, page = context["request"], context["page"]
    kept = getattr(request, "_comments_discussion", None)
    if kept is None or kept[0] != page.pk:
        sort = getattr(request, "comments_sort", None) or selectors.requested_sort(
            request
        )
        kept = (page.pk, selectors.thread_page(request, page, sort=sort))
        request._comments_discussion = kept
    return {"d": kept[1]}


def _article(page_id):
    page = get_object_or_404(Page.objects.live().public(), pk=page_id).specific
    if not is_commentable(page):
        raise Http404
    return page


def client_ip(request) -> str:
    """The reader's address, behind the trusted proxies only (ratelimit.clients)."""
    return client_address(request)


def _confirmed(request) -> bool:
    return request.POST.get("confirmed") == "1"


def error_message(error) -> str:
    """The text of a ValidationError or PermissionDenied, for its reader."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def tell_removals(request, comment, url: str) -> str:
    """Tell the author what was taken out of their comment (posting's `removals`),
    on the page `url` leads to; returns `url`, pointed at the notices if any."""
    if not comment.removals:
        return url
    for notice in comment.removals:
        messages.info(
            request, notice, extra_tags=f"{NOTICE_TAG} {NOTICE_TAG}-{comment.pk}"
        )
    return url.split("#", 1)[0] + NOTICE_ANCHOR


def permalink_url(comment, request) -> str:
    """The thread page holding the comment, under the reader's sort, at its anchor."""
    sort = remembered_sort(request)
    rules = (
        CommentSettings.for_site(comment.thread.site)
        if comment.thread.site
        else (CommentSettings())
    )
    number = selectors.position(comment, sort) // rules.page_size + 1
    query = []
    if sort != selectors.DEFAULT_SORT:
        query.append(f"sort={sort}")
    if number > 1:
        query.append(f"cpage={number}")
    url = comment.thread.page.get_url(request)
    return f"{url}{'?' + '&'.join(query) if query else ''}#comment-{comment.pk}"


@require_GET
def permalink(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("thread__page", "thread__site"), pk=pk
    )
    if not comment.thread.page.live:
        raise Http404
    if comment.status == Comment.Status.PENDING and comment.author_id == (
        request.user.pk
    ):  # its author sees it awaiting review, above the comment box
        url = comment.thread.page.get_url(request)
        return HttpResponseRedirect(f"{url}#comment-{comment.pk}")
    if comment.status not in Comment.LISTED:
        raise Http404
    return HttpResponseRedirect(permalink_url(comment, request))


@login_required
@require_http_methods(["GET", "POST"])
def post(request, page_id):
    page = _article(page_id)
    if request.method == "GET":  # back from signing in: to the comment box
        return HttpResponseRedirect(page.get_url(request) + "#comments")
    body = request.POST.get("body", "")
    try:
        comment = posting.post_comment(
            page=page,
            author=request.user,
            body=body,
            ip=client_ip(request),
            confirmed=_confirmed(request),
        )
    except (ValidationError, PermissionDenied) as error:
        # The reader's text comes back with the reason: in the composer alone for
        # htmx, which swaps it in place, or on a page of its own.
        template = (
            "comments/includes/composer.html"
            if request.htmx
            else "comments/compose_page.html"
        )
        context = {
            "article": page,
            "body": body,
            "error": error_message(error),
            "reconsider": isinstance(error, posting.NeedsConfirmation),
        }
        return answer(render(request, template, context, status=400), error)
    comment.thread.page = page
    if comment.status == Comment.Status.PENDING:
        url = f"{page.get_url(request)}#comment-{comment.pk}"
    else:
        url = permalink_url(comment, request)
    url = tell_removals(request, comment, url)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _back(request, comment):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(permalink_url(comment, request))


@require_POST
def vote(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("thread"), pk=pk)
    site = Site.find_for_request(request)
    if site is not None and site.pk == comment.thread.site_id:
        comment.thread.site = site  # the usual case: no query for it
    if not request.user.is_authenticated:
        # Back to the comment after signing in: this URL only takes POSTs.
        back = reverse("comments:permalink", args=[comment.pk])
        url = f"{reverse('account_login')}?{urlencode({'next': back})}"
        if request.htmx:
            return HttpResponseClientRedirect(url)
        return HttpResponseRedirect(url)
    # The vote the reader wants: up, down, or none (a pressed button sends none).
    value = voting.CHOICES.get(request.POST.get("value", ""))
    error, problem = "", None
    try:
        if value is None:
            raise ValidationError(_("Vote up or down."))
        _up, _down, mine = voting.cast_vote(
            comment,
            request.user,
            value,
            ip=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
        )
    except (ValidationError, PermissionDenied) as refused:
        error, problem = error_message(refused), refused
        mine = selectors.votes_by(request.user, [comment]).get(comment.pk, 0)
    if request.htmx:
        # A refusal comes as the votes with its reason, to be swapped in; a rate
        # limit's as 429, which the htmx set-up swaps too (newsroom/htmx-config.js).
        response = render(
            request,
            "comments/includes/votes.html",
            {
                "comment": comment,
                "mine": selectors.vote_flags(mine),
                "error": error,
                "can_vote": True,
                # The page the reader votes from, not this URL, for a later vote.
                "next": request.POST.get("next", ""),
            },
            status=200,
        )
        return answer(response, problem)
    if error:
        response = render(
            request,
            "comments/notice_page.html",
            {
                "title": _("Your vote was not counted"),
                "message": error,
                "comment": comment,
            },
            status=400,
        )
        return answer(response, problem)
    return _back(request, comment)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("thread__page", "thread__site", "author"), pk=pk
    )
    if comment.author_id != request.user.pk:
        raise Http404
    body = request.POST.get("body") if request.method == "POST" else None
    error, problem = "", None
    reconsider = False
    if body is not None:
        try:
            posting.edit_comment(
                comment,
                request.user,
                body,
                ip=client_ip(request),
                confirmed=_confirmed(request),
            )
        except (ValidationError, PermissionDenied) as refused:
            error, problem = error_message(refused), refused
            reconsider = isinstance(refused, posting.NeedsConfirmation)
        else:
            if comment.status == Comment.Status.PENDING:
                url = f"{comment.thread.page.get_url(request)}#comment-{comment.pk}"
            else:
                url = permalink_url(comment, request)
            return HttpResponseRedirect(tell_removals(request, comment, url))
    response = render(
        request,
        "comments/edit_page.html",
        {
            "comment": comment,
            "article": comment.thread.page.specific,
            "body": body if body is not None else body_from_segments(comment.segments),
            "error": error,
            "reconsider": reconsider,
            "editable": posting.can_edit(comment, request.user),
        },
        status=400 if error else 200,
    )
    return answer(response, problem)


@login_required
@require_POST
def delete(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("thread__page", "thread__site"), pk=pk
    )
    if comment.author_id != request.user.pk:
        raise Http404
    if comment.status == Comment.Status.PENDING:  # it may have no place to go back to
        posting.delete_comment(comment, request.user)
        if request.POST.get("next"):  # the embedded thread it was deleted from
            return _back(request, comment)
        return HttpResponseRedirect(comment.thread.page.get_url(request) + "#comments")
    try:
        posting.delete_comment(comment, request.user)
    except PermissionDenied as problem:
        return render(
            request,
            "comments/notice_page.html",
            {
                "title": _("Not deleted"),
                "message": error_message(problem),
                "comment": comment,
            },
            status=400,
        )
    return _back(request, comment)


@require_GET
def replies(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("thread__page", "author"),
        pk=pk,
        status__in=Comment.LISTED,
    )
    answers = list(selectors.replies_to(comment)[:200])
    return render(
        request,
        "comments/replies_page.html",
        {
            "source": comment,
            "article": comment.thread.page.specific,
            "comments": answers,
            "my_votes": selectors.votes_by(request.user, answers),
        },
    )


@require_GET
def more(request, page_id):
    """The next page of a thread, for "Load more comments" (htmx) and plain links."""
    page = _article(page_id)
    d = selectors.thread_page(request, page, sort=remembered_sort(request))
    return render(
        request, "comments/includes/more_comments.html", {"page": page, "d": d}
    )


@require_GET
def fragment(request, page_id):
    """Rendered comments by id (new ones announced live), at most 50."""
    page = _article(page_id)
    try:
        ids = [int(i) for i in request.GET.get("ids", "").split(",") if i][:50]
    except ValueError:
        return HttpResponseBadRequest(_("ids must be numbers"))
    comments = list(
        Comment.objects.filter(pk__in=ids, thread__page=page, status__in=Comment.LISTED)
        .select_related("author")
        .order_by("created_at", "id")
    )
    return render(
        request,
        "comments/includes/new_comments.html",
        {
            "comments": comments,
            "my_votes": selectors.votes_by(request.user, comments),
            "page": page,
        },
    )


def _sse(event_id, kind, data) -> str:
    return f"id: {event_id}\nevent: {kind}\ndata: {json.dumps(data)}\n\n"


async def events(request, page_id):
    """Server-Sent Events for one thread; resumes from Last-Event-ID."""
    thread = await Thread.objects.filter(page_id=page_id).afirst()
    if thread is None:
        thread, _created = await sync_to_async(_thread_for_page)(page_id)
    last_id = _int(request.headers.get("Last-Event-ID")) or _int(
        request.GET.get("after")
    )
    since = None
    if not last_id:
        try:
            since = datetime.datetime.fromisoformat(request.GET.get("since", ""))
        except ValueError:
            since = None
    if not last_id and since is None:
        since = datetime.datetime.now(tz=datetime.UTC)
    from .events import Listener

    async def stream():
        nonlocal last_id, since
        yield "retry: 3000\n\n"
        loop = asyncio.get_running_loop()
        ends = loop.time() + STREAM_SECONDS
        async with Listener(thread.pk) as news:
            woken = True  # read the log on entering, then only when news may have come
            while loop.time() < ends:
                found = []
                if woken:
                    found = await sync_to_async(selectors.events_after)(
                        thread.pk, after_id=last_id, since=since
                    )
                for event in found:
                    last_id = event.pk
                    yield _sse(event.pk, event.kind, event.data)
                if found:
                    continue
                woken = await news.wait(HEARTBEAT_SECONDS)
                yield ": keep-alive\n\n"

    response = StreamingHttpResponse(stream(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass events through at once
    return response


def _thread_for_page(page_id):
    page = Page.objects.live().public().filter(pk=page_id).first()
    if page is None or not is_commentable(page):
        raise Http404
    return services.thread_for(page), True


def _int(value) -> int:
    try:
        return max(int(value or 0), 0)
    except (TypeError, ValueError):
        return 0


HISTORY_PAGE_SIZE = 20


def reader_comments(request, reader) -> str:
    """The reader's published comments, newest first, 20 a page (`?page=N`), for
    their profile page (a part registered with accounts.parts).

    Two queries whatever their number: the count and the page, articles joined.
    A page number that is not one shows the first page, one past the end the last.
    """
    paginator = Paginator(selectors.published_by(reader), HISTORY_PAGE_SIZE)
    context = {
        "comments": paginator.get_page(request.GET.get("page")),
        "count": paginator.count,
    }
    return render_to_string(
        "comments/includes/reader_comments.html", context, request=request
    )
