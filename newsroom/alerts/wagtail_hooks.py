"""News alerts in the Wagtail admin: every mailing with its delivery counts."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Alert, Delivery


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Alerts are a record of what was sent: viewed in the admin, never edited."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, "view")


register_permission_policy(Alert, ReadOnlyPolicy(Alert))


def _count(status):
    return Count("deliveries", filter=Q(deliveries__status=status))


class AlertIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("site")
            .annotate(
                queued=_count(Delivery.Status.QUEUED) + _count(Delivery.Status.SENDING),
                sent=_count(Delivery.Status.SENT),
                failed=_count(Delivery.Status.FAILED),
                skipped=_count(Delivery.Status.SKIPPED),
            )
        )


class AlertViewSet(ModelViewSet):
    model = Alert
    icon = "mail"
    menu_label = _("News alerts")
    menu_order = 850
    add_to_admin_menu = True
    index_view_class = AlertIndexView
    list_display = [
        "subject",
        "kind",
        "site",
        "created_at",
        Column("recipients", label=_("Recipients")),
        Column("queued", label=_("Waiting")),
        Column("sent", label=_("Sent")),
        Column("failed", label=_("Failed")),
        Column("skipped", label=_("Skipped")),
        "finished_at",
    ]
    list_filter = ["kind", "site"]
    search_fields = ["subject"]
    inspect_view_enabled = True
    copy_view_enabled = False
    form_fields = ["subject"]


@hooks.register("register_admin_viewset")
def register_alerts():
    return AlertViewSet("news_alerts")
