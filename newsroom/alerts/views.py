from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import services
from .models import Notification


@never_cache
@login_required
@require_GET
def notifications(request):
    notices = list(
        Notification.objects.filter(recipient=request.user)
        .select_related("actor", "comment__thread__page")
        .order_by("-created_at", "-pk")[:100]
    )
    return render(request, "alerts/notifications.html", {"notices": notices})


@login_required
@require_POST
def mark_read(request):
    services.mark_all_read(request.user)
    return redirect("alerts:notifications")
