from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import DisplayNameChange


class ReadOnlyPolicy(ModelPermissionPolicy):
    """History is evidence: staff with the view permission may read it, nobody edits."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return super().user_has_permission(user, "view") or (
            super().user_has_permission(user, "change")
        )


register_permission_policy(DisplayNameChange, ReadOnlyPolicy(DisplayNameChange))


class DisplayNameHistoryViewSet(ModelViewSet):
    model = DisplayNameChange
    icon = "history"
    menu_label = _("Display name history")
    menu_order = 900
    add_to_admin_menu = True
    list_display = ["user", "old_name", "new_name", "changed_at"]
    search_fields = ["old_name", "new_name", "user__username"]
    inspect_view_enabled = True
    form_fields = ["old_name", "new_name"]
    copy_view_enabled = False


@hooks.register("register_admin_viewset")
def register_display_name_history():
    return DisplayNameHistoryViewSet("display_name_history")
