from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import caching, options
from .models import Author, SchedulerRun, WireAgency
from .scheduler import JOB_NAME, is_late


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 210


class WireAgencyViewSet(SnippetViewSet):
    model = WireAgency
    icon = "globe"
    menu_label = _("Wire agencies")
    list_display = ["name", "copyright_holder"]
    add_to_admin_menu = True
    menu_order = 220


register_snippet(AuthorViewSet)
register_snippet(WireAgencyViewSet)


class SchedulerPanel(Component):
    """Dashboard panel: when scheduled publishing last ran; a warning when late."""

    name = "scheduler"
    order = 50

    def render_html(self, parent_context=None):
        run = SchedulerRun.objects.filter(name=JOB_NAME).first()
        now = timezone.now()
        return render_to_string(
            "news/admin/scheduler_panel.html",
            {"run": run, "late": is_late(run, now=now), "now": now},
        )


@hooks.register("construct_homepage_panels")
def add_scheduler_panel(request, panels):
    panels.append(SchedulerPanel())


hooks.register("before_serve_page", caching.share_page)


@hooks.register("before_edit_page")
def note_page_options(request, page):
    options.remember(request, page)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def save_page_options(request, page):
    """The switches other apps keep for a page, saved with the page's form."""
    options.apply(request, page)
