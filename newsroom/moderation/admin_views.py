"""The moderators' side, inside the Wagtail admin: the queue, readers' records and
sanctions, article switches, and the moderation log.

Every view here is for members of the Moderators group and superusers only
(`moderator_required`); every change is a POST with CSRF and goes through
moderation's actions (`decisions`, `sanctions`), which write the log.
"""

import functools

import django_filters
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page, Site

from newsroom.comments.models import Comment
from newsroom.comments.pages import is_commentable
from newsroom.comments.views import error_message

from . import decisions, sanctions, selectors
from .models import LogEntry, RemovalReason, Sanction, VoteRing

MAX_BULK = 200


def moderator_required(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.is_moderator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _site(request):
    try:
        pk = int(request.GET.get("site") or request.POST.get("site") or 0)
    except ValueError:
        return None
    return Site.objects.filter(pk=pk).first() if pk else None


def _back(request, default):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(default)


@moderator_required
@require_GET
def queue(request, tab=selectors.Tab.PENDING):
    if tab not in selectors.Tab.values:
        raise Http404
    site = _site(request)
    paginator = Paginator(selectors.queue(tab, site=site), selectors.QUEUE_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    items = selectors.queue_items(page.object_list)
    now = timezone.now()
    for item in items:
        since = item.waiting_since or item.comment.created_at
        item.waiting = now - since
    median, decided = selectors.median_wait(site, now)
    sizes = selectors.tab_sizes(site)
    query = {"site": site.pk} if site else {}
    return render(
        request,
        "moderation/queue.html",
        {
            "tab": tab,
            "Tab": selectors.Tab,
            "tabs": [
                (
                    key,
                    label,
                    sizes[key],
                    f"{reverse('moderation_queue', args=[key])}"
                    f"{'?' + urlencode(query) if query else ''}",
                )
                for key, label in selectors.Tab.choices
            ],
            "size": sizes[tab],
            "open_rings": selectors.open_ring_count(site),
            "median": median,
            "decided": decided,
            "items": items,
            "page": page,
            "site": site,
            "sites": Site.objects.order_by("site_name"),
            "reasons": RemovalReason.objects.all(),
            "here": request.get_full_path(),
        },
    )


@moderator_required
@require_GET
def vote_rings(request):
    """Coordinated votes: each flag with its evidence, and the decisions on it."""
    tab = request.GET.get("tab") or selectors.RingTab.OPEN
    if tab not in selectors.RingTab.values:
        raise Http404
    site = _site(request)
    paginator = Paginator(selectors.vote_rings(tab, site=site), selectors.RINGS_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    query = {"site": site.pk} if site else {}
    return render(
        request,
        "moderation/vote_rings.html",
        {
            "tab": tab,
            "open_tab": tab == selectors.RingTab.OPEN,
            "tabs": [
                (key, label, f"?{urlencode({**query, 'tab': key})}")
                for key, label in selectors.RingTab.choices
            ],
            "rings": selectors.ring_items(page.object_list),
            "page": page,
            "site": site,
            "sites": Site.objects.order_by("site_name"),
            "here": request.get_full_path(),
        },
    )


RING_DECISIONS = {
    "discount": (
        decisions.discount_votes,
        gettext_lazy("The votes were discounted: the comment's score leaves them out."),
    ),
    "restore": (
        decisions.restore_votes,
        gettext_lazy("The votes count again."),
    ),
    "clear": (
        decisions.clear_ring,
        gettext_lazy("The flag is closed and the votes stay counted."),
    ),
}


@moderator_required
@require_POST
def vote_ring(request, pk):
    """One decision on one flag of coordinated votes."""
    ring = get_object_or_404(
        VoteRing.objects.select_related("comment__author", "comment__thread__site"),
        pk=pk,
    )
    default = reverse("moderation_vote_rings")
    chosen = RING_DECISIONS.get(request.POST.get("action", ""))
    if chosen is None:
        messages.error(request, _("Choose what to do with these votes."))
        return _back(request, default)
    decide, done = chosen
    if decide(ring, moderator=request.user):
        messages.success(request, done)
    else:
        messages.warning(
            request,
            _("Nothing changed: the votes were already in that state."),
        )
    return _back(request, default)


ACTIONS = {
    "approve": gettext_lazy("approved"),
    "remove": gettext_lazy("removed"),
    "restore": gettext_lazy("restored"),
    "pick": gettext_lazy("made editor's picks"),
    "unpick": gettext_lazy("taken off the editor's picks"),
    "dismiss": gettext_lazy("cleared of their reports"),
}


@moderator_required
@require_POST
def act(request):
    """One action on one or many comments (the bulk form and each item's buttons)."""
    default = reverse("moderation_queue", args=[selectors.Tab.PENDING])
    # An item's own button sends "action:id"; the bulk buttons send the action and
    # the ticked comments.
    action, _sep, one = request.POST.get("item", "").partition(":")
    selected = [one] if one else request.POST.getlist("comment")
    if not one:
        action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, _("Choose an action."))
        return _back(request, default)
    try:
        ids = sorted({int(i) for i in selected})
    except ValueError:
        ids = []
    if not ids:
        messages.error(request, _("Select at least one comment."))
        return _back(request, default)
    if len(ids) > MAX_BULK:
        messages.error(
            request, _("Act on at most %(n)d comments at once.") % {"n": MAX_BULK}
        )
        return _back(request, default)
    comments = list(
        Comment.objects.filter(pk__in=ids).select_related(
            "author", "thread__site", "thread__page"
        )
    )
    if action == "remove":
        try:
            decisions.removal_text(
                request.POST.get("reason") or None, request.POST.get("custom", "")
            )
        except ValidationError as error:
            messages.error(request, error_message(error))
            return _back(request, default)
    done = skipped = 0
    for comment in comments:
        try:
            if action == "approve":
                changed = decisions.approve_comment(comment, moderator=request.user)
            elif action == "remove":
                changed = decisions.remove_comment(
                    comment,
                    moderator=request.user,
                    reason_id=request.POST.get("reason") or None,
                    custom=request.POST.get("custom", ""),
                )
            elif action == "restore":
                changed = decisions.restore_comment(comment, moderator=request.user)
            elif action == "dismiss":
                changed = decisions.dismiss_reports(comment, moderator=request.user)
            elif action == "pick":
                changed = decisions.pick_comment(comment, moderator=request.user)
            else:
                changed = decisions.unpick_comment(comment, moderator=request.user)
        except (ValidationError, PermissionDenied):
            changed = False
        done += changed
        skipped += not changed
    skipped += len(ids) - len(comments)
    if done:
        messages.success(
            request,
            ngettext("%(n)d comment %(what)s.", "%(n)d comments %(what)s.", done)
            % {"n": done, "what": ACTIONS[action]},
        )
    if skipped:
        messages.warning(
            request,
            ngettext(
                "%(n)d comment was left as it was: it was already in that state or "
                "can't take that action.",
                "%(n)d comments were left as they were: they were already in that "
                "state or can't take that action.",
                skipped,
            )
            % {"n": skipped},
        )
    return _back(request, default)


@moderator_required
@require_GET
def reader(request, pk):
    """A reader's record: history, names, sanctions, and the sanction form."""
    user = get_object_or_404(get_user_model().objects.select_related("profile"), pk=pk)
    record = selectors.author_records([user.pk]).get(user.pk)
    recent = list(
        Comment.objects.filter(author=user)
        .select_related("thread__page", "thread__site")
        .order_by("-created_at")[:20]
    )
    try:
        comment_id = int(request.GET.get("comment", "0"))
    except ValueError:
        comment_id = 0
    return render(
        request,
        "moderation/reader.html",
        {
            "reader": user,
            "record": record,
            "recent": recent,
            "kinds": Sanction.Kind.choices,
            "days": sanctions.SUSPENSION_DAYS,
            "sites": Site.objects.order_by("site_name"),
            "comment_id": comment_id,
            "now": timezone.now(),
            "form": request.session.pop("moderation_sanction_form", {}),
        },
    )


@moderator_required
@require_POST
def sanction(request, pk):
    user = get_object_or_404(get_user_model(), pk=pk)
    here = reverse("moderation_reader", args=[user.pk])
    kind = request.POST.get("kind", "")
    length = request.POST.get("length", "")
    site = _site(request)
    days = ends_at = None
    if length == "custom":
        ends_at = parse_datetime(request.POST.get("ends_at", "") or "")
        if ends_at is not None and timezone.is_naive(ends_at):
            ends_at = timezone.make_aware(ends_at)
    elif length:
        try:
            days = int(length)
        except ValueError:
            days = None
        if days not in sanctions.SUSPENSION_DAYS:
            days = None
    comment = None
    try:
        comment_id = int(request.POST.get("comment") or 0)
    except ValueError:
        comment_id = 0
    if comment_id:
        comment = Comment.objects.filter(pk=comment_id, author=user).first()
    try:
        if kind == Sanction.Kind.SUSPEND and days is None and ends_at is None:
            raise ValidationError(_("Choose how long the suspension lasts."))
        sanctions.sanction_reader(
            user,
            moderator=request.user,
            kind=kind,
            reason=request.POST.get("reason", ""),
            site=site,
            days=days,
            ends_at=ends_at,
            comment=comment,
        )
    except ValidationError as error:
        messages.error(request, error_message(error))
        reason = request.POST.get("reason", "")
        request.session["moderation_sanction_form"] = {
            "kind": kind,
            "length": length,
            "site": site.pk if site else "",
            "reason": reason if len(reason) <= sanctions.REASON_MAX * 2 else "",
        }
        return HttpResponseRedirect(here)
    messages.success(
        request,
        _("%(name)s: %(kind)s recorded.")
        % {"name": user.get_username(), "kind": Sanction.Kind(kind).label},
    )
    return HttpResponseRedirect(here)


@moderator_required
@require_POST
def lift(request, pk):
    found = get_object_or_404(Sanction.objects.select_related("user", "site"), pk=pk)
    if sanctions.lift_sanction(found, moderator=request.user):
        messages.success(request, _("The sanction was lifted."))
    else:
        messages.warning(request, _("That sanction was already lifted."))
    return HttpResponseRedirect(reverse("moderation_reader", args=[found.user_id]))


@moderator_required
def article(request, pk):
    """Slow mode and pre-moderation for one article."""
    page = get_object_or_404(Page, pk=pk).specific
    if not is_commentable(page):
        raise Http404
    rules = selectors.article_rules(page)
    error = ""
    if request.method == "POST":
        try:
            seconds = int(request.POST.get("slow_mode_seconds") or 0)
        except ValueError:
            seconds = -1
        try:
            rules = decisions.set_article_rules(
                page,
                moderator=request.user,
                premoderate=request.POST.get("premoderate") == "on",
                slow_mode_seconds=seconds,
            )
        except ValidationError as error_:
            error = error_message(error_)
        else:
            messages.success(request, _("Saved the moderation of this article."))
            return HttpResponseRedirect(reverse("moderation_article", args=[page.pk]))
    choices = dict(SLOW_MODE_CHOICES)
    if rules.slow_mode_seconds not in choices:
        choices[rules.slow_mode_seconds] = f"{rules.slow_mode_seconds} s"
    return render(
        request,
        "moderation/article.html",
        {
            "article": page,
            "rules": rules,
            "error": error,
            "slow_choices": sorted(choices.items()),
        },
        status=400 if error else 200,
    )


SLOW_MODE_CHOICES = [
    (0, gettext_lazy("off")),
    (30, gettext_lazy("30 seconds")),
    (60, gettext_lazy("1 minute")),
    (300, gettext_lazy("5 minutes")),
    (900, gettext_lazy("15 minutes")),
    (3600, gettext_lazy("1 hour")),
]


class LogFilterSet(WagtailFilterSet):
    at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Date"), widget=DateRangePickerWidget
    )
    action = django_filters.ChoiceFilter(
        label=gettext_lazy("Action"), choices=LogEntry.Action.choices
    )
    moderator_name = django_filters.CharFilter(
        label=gettext_lazy("Moderator"), lookup_expr="icontains"
    )
    reader_name = django_filters.CharFilter(
        label=gettext_lazy("Reader"), lookup_expr="icontains"
    )
    comment_id = django_filters.NumberFilter(label=gettext_lazy("Comment"))
    site = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Site"), queryset=Site.objects.order_by("site_name")
    )

    class Meta:
        model = LogEntry
        fields = []


class LogView(ReportView):
    """Every moderator action, newest first; filter it, export it as CSV."""

    page_title = gettext_lazy("Moderation log")
    header_icon = "history"
    filterset_class = LogFilterSet
    index_url_name = "moderation_log"
    index_results_url_name = "moderation_log_results"
    columns = [
        DateColumn("at", label=gettext_lazy("When")),
        Column("moderator_name", label=gettext_lazy("Moderator")),
        Column("get_action_display", label=gettext_lazy("Action")),
        Column("comment_id", label=gettext_lazy("Comment")),
        Column("reader_name", label=gettext_lazy("Reader")),
        Column("site", label=gettext_lazy("Site")),
        Column("reason", label=gettext_lazy("Reason")),
    ]
    list_export = [
        "at",
        "moderator_name",
        "action",
        "comment_id",
        "reader_name",
        "site",
        "reason",
        "details",
    ]
    export_headings = {
        "at": gettext_lazy("When (UTC)"),
        "moderator_name": gettext_lazy("Moderator"),
        "action": gettext_lazy("Action"),
        "comment_id": gettext_lazy("Comment"),
        "reader_name": gettext_lazy("Reader"),
        "site": gettext_lazy("Site"),
        "reason": gettext_lazy("Reason"),
        "details": gettext_lazy("Details"),
    }

    def get_queryset(self):
        return LogEntry.objects.select_related("site").order_by("-at", "-pk")

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if field == "action":
            value = LogEntry.Action(value).label
        if export_format == self.FORMAT_CSV and isinstance(value, (str, dict)):
            value = str(value)
            # A spreadsheet would run a cell starting like a formula (moderators and
            # readers write the reasons): keep it text.
            if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                value = "'" + value
        return value

    def get_filename(self):
        return f"moderation-log-{timezone.now():%Y-%m-%d}"

    def dispatch(self, request, *args, **kwargs):
        if not selectors.is_moderator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
