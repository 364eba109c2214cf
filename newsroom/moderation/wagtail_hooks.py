"""The moderation queue and its companions in the Wagtail admin menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from newsroom.comments.pages import is_commentable

from . import admin_views, selectors
from .models import RemovalReason


@hooks.register("register_admin_urls")
def moderation_urls():
    return [
        path("moderation/", admin_views.queue, name="moderation_queue_home"),
        path("moderation/queue/<str:tab>/", admin_views.queue, name="moderation_queue"),
        path("moderation/act/", admin_views.act, name="moderation_act"),
        path(
            "moderation/readers/<int:pk>/", admin_views.reader, name="moderation_reader"
        ),
        path(
            "moderation/readers/<int:pk>/sanction/",
            admin_views.sanction,
            name="moderation_sanction",
        ),
        path(
            "moderation/sanctions/<int:pk>/lift/",
            admin_views.lift,
            name="moderation_lift",
        ),
        path(
            "moderation/articles/<int:pk>/",
            admin_views.article,
            name="moderation_article",
        ),
        path("moderation/votes/", admin_views.vote_rings, name="moderation_vote_rings"),
        path(
            "moderation/votes/<int:pk>/",
            admin_views.vote_ring,
            name="moderation_vote_ring",
        ),
        path("moderation/log/", admin_views.LogView.as_view(), name="moderation_log"),
        path(
            "moderation/log/results/",
            admin_views.LogView.as_view(results_only=True),
            name="moderation_log_results",
        ),
    ]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.is_moderator(request.user)


class EditorMenuItem(MenuItem):
    """Shown to those allowed to keep the list of removal reasons."""

    def is_shown(self, request):
        return removal_reasons.permission_policy.user_has_any_permission(
            request.user, ["add", "change", "delete"]
        )


class RemovalReasonViewSet(ModelViewSet):
    """The reasons moderators choose from; editors with the permission keep them."""

    model = RemovalReason
    icon = "list-ul"
    menu_label = _("Removal reasons")
    add_to_admin_menu = False
    list_display = ["title", "message", "sort_order"]
    form_fields = ["title", "message", "sort_order"]
    copy_view_enabled = False


removal_reasons = RemovalReasonViewSet("removal_reasons")


@hooks.register("register_admin_viewset")
def register_removal_reasons():
    return removal_reasons


@hooks.register("register_admin_menu_item")
def moderation_menu():
    items = [
        ModeratorMenuItem(
            _("Queue"),
            reverse("moderation_queue", args=[selectors.Tab.PENDING]),
            icon_name="warning",
            order=100,
        ),
        ModeratorMenuItem(
            _("Coordinated votes"),
            reverse("moderation_vote_rings"),
            icon_name="group",
            order=150,
        ),
        ModeratorMenuItem(
            _("Moderation log"),
            reverse("moderation_log"),
            icon_name="history",
            order=200,
        ),
        EditorMenuItem(
            _("Removal reasons"),
            reverse(removal_reasons.get_url_name("index")),
            icon_name="list-ul",
            order=300,
        ),
    ]
    return SubmenuMenuItem(
        _("Moderation"), Menu(items=items), icon_name="warning", order=250
    )


def _article_button(page, user, priority):
    if is_commentable(page) and selectors.is_moderator(user):
        yield Button(
            _("Comment moderation"),
            reverse("moderation_article", args=[page.pk]),
            icon_name="warning",
            priority=priority,
        )


@hooks.register("register_page_header_buttons")
def article_header_button(page, user, view_name=None, next_url=None):
    yield from _article_button(page, user, 80)


@hooks.register("register_page_listing_more_buttons")
def article_listing_button(page, user, next_url=None):
    yield from _article_button(page, user, 70)
