"""Editors set up agency feeds (Wire feeds, in the menu) and watch them on the
dashboard."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import WireFeed
from .selectors import dashboard


class WireFeedViewSet(SnippetViewSet):
    model = WireFeed
    icon = "download"
    menu_label = _("Wire feeds")
    menu_order = 230
    add_to_admin_menu = True
    list_display = ["name", "site", "format", "section", "mode", "is_enabled"]
    list_filter = ["site", "format", "is_enabled"]


register_snippet(WireFeedViewSet)


class WireFeedsPanel(Component):
    """Dashboard panel: each feed's last poll, items taken, error and next attempt,
    and the stories agencies withdrew lately."""

    name = "wire_feeds"
    order = 60

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        return render_to_string(
            "wire/admin/feeds_panel.html", dashboard(now=timezone.now())
        )


@hooks.register("construct_homepage_panels")
def add_wire_panel(request, panels):
    if request.user.has_perm("wire.change_wirefeed"):
        panels.append(WireFeedsPanel(request))
