"""Editors pin or hide articles in the trending lists (Snippets → Trending)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Placement


class PlacementViewSet(SnippetViewSet):
    model = Placement
    icon = "pick"
    menu_label = _("Trending")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["page", "action", "until", "note", "created_at"]
    list_filter = ["action"]


register_snippet(PlacementViewSet)
