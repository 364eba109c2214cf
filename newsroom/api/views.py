"""Readers' personal API tokens, made and revoked in their settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import APIToken

from newsroom.comments.views import error_message

from . import services


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    context = {"name": "", "error": "", "new_token": None}
    status = 200
    if request.method == "POST":
        name = request.POST.get("name", "")
        try:
            row, token = services.issue_token(request.user, name)
        except ValidationError as error:
            context.update(name=name[:200], error=error_message(error))
            status = 400
        else:
            context["new_token"] = (row, token)
    context["tokens"] = APIToken.objects.filter(user=request.user).order_by("-created")
    return render(request, "api/tokens.html", context, status=status)


@never_cache
@login_required
@require_POST
def revoke(request, pk):
    if services.revoke_token(request.user, pk):
        messages.success(request, _("The token was revoked; apps using it are out."))
    else:
        messages.error(request, _("That token was already revoked or is not yours."))
    return redirect("api_tokens")


def docs(request):
    """The OpenAPI documentation, at /api/docs."""
    from ninja.openapi.views import openapi_view

    from .v1 import api

    return openapi_view(request, api)
