"""Readers' side of moderation: reporting a comment, acknowledging a warning."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from newsroom.comments.models import Comment
from newsroom.comments.views import error_message
from newsroom.ratelimit.clients import client_address
from newsroom.ratelimit.refusals import answer

from . import sanctions, services
from .models import Report


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk):
    comment = get_object_or_404(
        Comment.objects.select_related("thread__page", "thread__site", "author"),
        pk=pk,
        status__in=Comment.LISTED,
    )
    if not comment.thread.page.live:
        raise PermissionDenied
    reason = request.POST.get("reason", "")
    note = request.POST.get("note", "")
    error, problem = "", None
    if request.method == "POST":
        try:
            services.report_comment(
                comment,
                reporter=request.user,
                reason=reason,
                note=note,
                ip=client_address(request),
            )
        except (ValidationError, PermissionDenied) as refused:
            error, problem = error_message(refused), refused
        else:
            return render(
                request,
                "moderation/report_done.html",
                {"comment": comment, "article": comment.thread.page.specific},
            )
    response = render(
        request,
        "moderation/report.html",
        {
            "comment": comment,
            "article": comment.thread.page.specific,
            "reasons": Report.Reason.choices,
            "reason": reason,
            "note": note if len(note) <= 2 * Report.NOTE_MAX else "",
            "note_max": Report.NOTE_MAX,
            "error": error,
            "already": Report.objects.filter(
                comment=comment, reporter=request.user
            ).exists(),
        },
        status=400 if error else 200,
    )
    return answer(response, problem)


@login_required
@require_POST
def acknowledge(request, pk):
    sanctions.acknowledge_warning(request.user, sanction_id=pk)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("accounts:settings")
    return HttpResponseRedirect(target)
