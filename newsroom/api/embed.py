"""Comments on other websites: `/embed.js`, the thread in its iframe, sign-in.

The host page's script opens `/embed/thread/?url=…&title=…` in an iframe. That
finds or makes the discussion and moves to `/embed/thread/<id>/`, the thread
itself, which only the websites its site allows may frame
(`Content-Security-Policy: frame-ancestors`); any other website gets nothing.
Which page the frame is on is what the browser says (`Origin`, else `Referer`),
never a parameter: a new discussion is made only for an allowed website's page.
"""

from pathlib import Path
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from newsroom.comments import posting
from newsroom.comments import selectors as comment_selectors
from newsroom.comments import services as comments
from newsroom.comments.pages import is_commentable
from newsroom.comments.views import (
    client_ip,
    error_message,
    remembered_sort,
    tell_removals,
)
from newsroom.ratelimit.refusals import answer

from . import services
from .models import origin_of

SCRIPT = Path(__file__).parent / "static" / "api" / "embed.js"


@require_GET
@cache_control(public=True, max_age=3600)
def script(request):
    response = HttpResponse(
        SCRIPT.read_bytes(), content_type="text/javascript; charset=utf-8"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _framed_by(response, origins):
    """Let exactly these websites frame the response (none when empty)."""
    ancestors = " ".join(origins) if origins else "'none'"
    response["Content-Security-Policy"] = f"frame-ancestors {ancestors}"
    response["Cache-Control"] = "private, no-cache"
    return response


def _refused(request, message, status, origins=()):
    response = render(
        request, "api/embed_refused.html", {"message": message}, status=status
    )
    return _framed_by(response, origins)


def sent_origin(request) -> str:
    """The origin of the page the browser says this request comes from: its
    `Origin` header, else its `Referer`'s origin (a frame's first request is a
    navigation, which carries only the Referer: embed.js asks for the origin in it
    whatever the page's own referrer policy); "" when it said neither."""
    origin = request.headers.get("Origin", "")
    if origin and origin != "null":
        return origin_of(origin)
    return origin_of(request.headers.get("Referer", ""))


@require_GET
@xframe_options_exempt
def open_thread(request):
    origin = sent_origin(request)
    try:
        page = services.discussion_for(
            request.GET.get("url", ""),
            request.GET.get("title", ""),
            host_origin=origin,
            ip=client_ip(request),
        )
    except (ValidationError, PermissionDenied) as error:
        # An allowed host page shows why (a bad data-url, too many new threads);
        # any other website may not even frame the refusal.
        site = services.site_for_origin(origin)
        allowed = services.allowed_origins(site) if site else ()
        status = 403 if isinstance(error, PermissionDenied) else 400
        return answer(_refused(request, error_message(error), status, allowed), error)
    return HttpResponseRedirect(reverse("embed:thread", args=[page.pk]))


def _discussion(page_id):
    page = Page.objects.live().public().filter(pk=page_id).first()
    page = page.specific if page else None
    if not is_commentable(page):
        return None, ()
    site = page.get_site()
    return page, services.allowed_origins(site) if site else ()


def _context(request, page) -> dict:
    """The thread (`d`, under the reader's sort) and the embed's own addresses for
    comments' templates, which name none of them: the composer posts, the sign-in
    button opens its pop-up and a deleted comment comes back, all inside the frame."""
    site = page.get_site()
    signed_in = reverse("embed:signed_in")
    sort = remembered_sort(request)
    return {
        "d": comment_selectors.thread_page(request, page, sort=sort),
        "page": page,
        "embed": True,
        "site_name": site.site_name if site else "",
        "post_url": reverse("embed:post", args=[page.pk]),
        "sign_in_href": f"{reverse('account_login')}?next={signed_in}",
        "delete_next": f"{reverse('embed:thread', args=[page.pk])}#comments",
    }


@require_GET
@xframe_options_exempt
def thread(request, page_id):
    page, origins = _discussion(page_id)
    if page is None or not origins:
        return _refused(request, _("There is no discussion here."), 404)
    return _framed_by(
        render(request, "api/embed_thread.html", _context(request, page)),
        origins,
    )


@require_POST
@xframe_options_exempt
def post(request, page_id):
    """The embed's comment box: the site's own posting, answered inside the frame."""
    page, origins = _discussion(page_id)
    if page is None or not origins:
        return _refused(request, _("There is no discussion here."), 404)
    body = request.POST.get("body", "")
    try:
        if not request.user.is_authenticated:
            raise PermissionDenied(_("Please sign in first."))
        comment = posting.post_comment(
            page=page,
            author=request.user,
            body=body,
            ip=client_ip(request),
            confirmed=bool(request.POST.get("confirmed")),
        )
    except (ValidationError, PermissionDenied) as error:
        context = {
            **_context(request, page),
            "body": body,
            "error": error_message(error),
            "reconsider": isinstance(error, posting.NeedsConfirmation),
        }
        response = render(request, "api/embed_thread.html", context, status=400)
        return answer(_framed_by(response, origins), error)
    sort = remembered_sort(request)
    size = comments.settings_for(page).page_size or 50
    query = {"sort": sort}
    if comment.status == comment.Status.PUBLISHED:
        query["cpage"] = comment_selectors.position(comment, sort) // size + 1
    url = reverse("embed:thread", args=[page.pk])
    url = f"{url}?{urlencode(query)}#comment-{comment.pk}"
    return HttpResponseRedirect(tell_removals(request, comment, url))


@require_GET
def signed_in(request):
    """Where the sign-in popup ends: it closes itself; the thread notices."""
    return render(request, "api/embed_signed_in.html")
