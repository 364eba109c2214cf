import asyncio
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Site

from newsroom.accounts.services import TIME_ZONE_SESSION_KEY
from newsroom.comments.views import client_ip

from . import forms, live, notices, services, subscriptions, tokens
from .models import Alert, Notification, Subscriber


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


STREAM_SECONDS = 300  # a stream ends after this; EventSource reconnects
HEARTBEAT_SECONDS = 15  # a comment line at least this often keeps proxies from closing


@require_GET
async def stream(request):
    """Server-Sent Events for the masthead's bell: `unread` with the reader's count,
    on connecting and whenever it changes. Signed-in readers only."""
    user = await request.auser()
    if not user.is_authenticated:
        raise PermissionDenied
    user_id = user.pk

    async def events():
        yield "retry: 3000\n\n"
        loop = asyncio.get_running_loop()
        ends = loop.time() + STREAM_SECONDS
        sent = None
        spoke_at = loop.time()
        async with live.listener(user_id) as news:
            woken = True  # count on entering, then only when it may have changed
            while (left := ends - loop.time()) > 0:
                if woken:
                    count = await live.unread_now(user_id)
                if count != sent:
                    sent = count
                    yield f"event: unread\ndata: {json.dumps({'count': count})}\n\n"
                    spoke_at = loop.time()
                elif loop.time() - spoke_at >= HEARTBEAT_SECONDS:
                    yield ": keep-alive\n\n"
                    spoke_at = loop.time()
                woken = await news.wait(
                    min(spoke_at + HEARTBEAT_SECONDS - loop.time(), left)
                )

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, private"
    response["X-Accel-Buffering"] = "no"  # nginx: pass events through at once
    return response


# News alerts --------------------------------------------------------------------


def _site(request):
    return Site.find_for_request(request) or Site.objects.get(is_default_site=True)


def _preferences_initial(request, site) -> dict:
    zone = request.session.get(TIME_ZONE_SESSION_KEY, "")
    return {"time_zone": zone, "email": getattr(request.user, "email", "") or ""}


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request):
    """The subscribe page; the compact form on every page posts here too."""
    site = _site(request)
    initial = _preferences_initial(request, site)
    if request.GET.get("email"):
        # The footer form of a shared page comes here by GET without JavaScript:
        # the address it was given, to confirm with one more click.
        initial["email"] = request.GET["email"][:254]
    form = forms.SubscribeForm(request.POST or None, site=site, initial=initial)
    status, refused = 200, None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcome = subscriptions.subscribe(
                    data["email"],
                    site,
                    user=request.user,
                    breaking=data["breaking"],
                    digest=data["digest"],
                    digest_hour=data["digest_hour"],
                    sections=data["sections"],
                    time_zone=data["time_zone"],
                    ip=client_ip(request),
                )
            except subscriptions.Refused as error:
                form.add_error(None, str(error))
                status, refused = error.status, error
            else:
                return render(
                    request,
                    "alerts/subscribed.html",
                    {"outcome": outcome, "email": data["email"], "site": site},
                )
        else:
            status = 400
    own_address = (
        notices.verified_address(request.user)
        if request.user.is_authenticated
        else None
    )
    response = render(
        request,
        "alerts/subscribe.html",
        {"form": form, "site": site, "own_address": own_address},
        status=status,
    )
    return _retry_after(response, refused)


def _retry_after(response, refused):
    """A flood's refusal says in Retry-After how long to wait."""
    if isinstance(refused, subscriptions.Flooded):
        response["Retry-After"] = str(refused.retry_after)
    return response


def _link_error(request, error, status=400):
    return render(
        request, "alerts/link_error.html", {"error": str(error)}, status=status
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows a button (mail scanners follow links); the POST confirms."""
    try:
        subscription = subscriptions.subscription_to_confirm(token)
    except tokens.InvalidLink as error:
        return _link_error(request, error)
    state = "ask"
    if subscription.confirmed_at:
        state = "already"
    elif request.method == "POST":
        subscriptions.confirm(subscription)
        state = "confirmed"
    return render(
        request,
        "alerts/confirm.html",
        {
            "subscription": subscription,
            "state": state,
            "manage_path": subscriptions.manage_path(subscription.subscriber),
        },
    )


@csrf_exempt  # RFC 8058: mail providers POST here without a session or token
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """POST (one click, from the mail client or the page's button) unsubscribes at
    once, without signing in; GET only shows what the button will do."""
    try:
        subscription, kind = subscriptions.subscription_to_leave(token)
    except tokens.InvalidLink as error:
        return _link_error(request, error)
    state = "ask"
    if request.method == "POST":
        changed = subscriptions.unsubscribe(subscription, kind)
        state = "done" if changed else "already"
    elif not getattr(subscription, kind):
        state = "already"
    return render(
        request,
        "alerts/unsubscribe.html",
        {
            "subscription": subscription,
            "kind": kind,
            "kind_label": Alert.Kind(kind).label,
            "state": state,
            "manage_path": subscriptions.manage_path(subscription.subscriber),
        },
    )


def _manage(request, subscribers, *, token=None):
    site = _site(request)
    listed = list(subscriptions.subscriptions_of(subscribers))
    message = ""
    status = 200
    forms_by_pk = {
        s.pk: forms.PreferencesForm(
            prefix=f"s{s.pk}",
            site=s.site,
            initial={
                "breaking": s.breaking,
                "digest": s.digest,
                "digest_hour": s.digest_hour,
                "sections": list(s.sections.all()),
            },
        )
        for s in listed
    }
    first = next(iter(subscribers), None)
    zone_form = forms.TimeZoneForm(
        initial={"time_zone": first.time_zone if first else ""}
    )
    preference_form = None
    if token is None:
        preference_form = forms.EmailPreferenceForm(
            initial={"frequency": notices.frequency_of(request.user)}
        )
    if request.method == "POST":
        action = request.POST.get("action", "")
        chosen = next(
            (s for s in listed if str(s.pk) == request.POST.get("subscription")), None
        )
        if action == "save" and chosen is not None:
            form = forms.PreferencesForm(
                request.POST, prefix=f"s{chosen.pk}", site=chosen.site
            )
            forms_by_pk[chosen.pk] = form
            if form.is_valid() and chosen.confirmed_at:
                subscriptions.update(chosen, **form.cleaned_data)
                message = _("Saved your alerts from %(site)s.") % {
                    "site": chosen.site.site_name
                }
            else:
                status = 400
        elif action == "unsubscribe" and chosen is not None:
            subscriptions.unsubscribe(chosen)
            message = _("You will get no more alerts from %(site)s.") % {
                "site": chosen.site.site_name
            }
        elif action == "unsubscribe_all":
            for subscriber in subscribers:
                subscriptions.unsubscribe_all(subscriber)
            message = _("You will get no more news alerts from any of our sites.")
        elif action == "resume":
            for subscriber in subscribers:
                subscriptions.resume(subscriber)
            message = _("We will send to your address again.")
        elif action == "time_zone":
            zone_form = forms.TimeZoneForm(request.POST)
            if zone_form.is_valid():
                for subscriber in subscribers:
                    Subscriber.objects.filter(pk=subscriber.pk).update(
                        time_zone=zone_form.cleaned_data["time_zone"]
                    )
                message = _("Saved your time zone.")
            else:
                status = 400
        elif action == "notifications" and preference_form is not None:
            preference_form = forms.EmailPreferenceForm(request.POST)
            if preference_form.is_valid():
                notices.set_frequency(
                    request.user, preference_form.cleaned_data["frequency"]
                )
                message = _("Saved how we email you about notifications.")
            else:
                status = 400
        else:
            message = _("That change could not be made; nothing was changed.")
            status = 400
        if status == 200:
            messages.success(request, message)
            return redirect(request.path)
    subscribed_sites = {s.site_id for s in listed}
    return render(
        request,
        "alerts/manage.html",
        {
            "rows": [(s, forms_by_pk[s.pk]) for s in listed],
            "subscribers": subscribers,
            "paused": [s for s in subscribers if s.paused_at],
            "zone_form": zone_form,
            "preference_form": preference_form,
            "verified": token is None and notices.verified_address(request.user),
            "other_sites": [
                other
                for other in Site.objects.order_by("site_name")
                if other.pk not in subscribed_sites
            ],
            "site": site,
            "token": token,
            "error": message if status != 200 else "",
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request):
    """A signed-in reader's alerts on every site, and their notification emails."""
    if not request.user.is_authenticated:
        return render(
            request,
            "alerts/manage_signed_out.html",
            {"form": forms.LinkRequestForm(), "site": _site(request)},
        )
    return _manage(request, list(subscriptions.subscribers_of(request.user).distinct()))


@never_cache
@require_http_methods(["GET", "POST"])
def manage_by_link(request, token):
    """The same page for an address without an account, from a link in an email."""
    try:
        subscriber = subscriptions.subscriber_to_manage(token)
    except tokens.InvalidLink as error:
        return _link_error(request, error)
    return _manage(request, [subscriber], token=token)


@never_cache
@require_POST
def request_link(request):
    """Email a manage link to an address, if it is subscribed; the answer is the
    same either way."""
    site = _site(request)
    form = forms.LinkRequestForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "alerts/manage_signed_out.html",
            {"form": form, "site": site},
            status=400,
        )
    email = form.cleaned_data["email"]
    try:
        subscriptions.check_flood(email, client_ip(request))
    except subscriptions.Refused as error:
        form.add_error(None, str(error))
        response = render(
            request,
            "alerts/manage_signed_out.html",
            {"form": form, "site": site},
            status=error.status,
        )
        return _retry_after(response, error)
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None:
        subscriptions.send_manage_link(subscriber, site)
    return render(
        request,
        "alerts/subscribed.html",
        {"outcome": "link_sent", "email": email, "site": site},
    )
