"""The "Import comments" pages in the admin's Settings menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views


@hooks.register("register_admin_urls")
def interchange_urls():
    return [
        path("imports/", admin_views.imports, name="interchange_imports"),
        path("imports/<int:pk>/", admin_views.job, name="interchange_job"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.may_import(request.user)


@hooks.register("register_settings_menu_item")
def import_menu_item():
    return ImportMenuItem(
        _("Import comments"),
        reverse("interchange_imports"),
        icon_name="upload",
        order=900,
    )
