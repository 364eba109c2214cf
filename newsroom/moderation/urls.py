from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("comments/<int:pk>/report/", views.report, name="report"),
    path(
        "moderation/warnings/<int:pk>/acknowledge/",
        views.acknowledge,
        name="acknowledge",
    ),
]
