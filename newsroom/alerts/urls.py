from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path("notifications/stream/", views.stream, name="stream"),
    path("alerts/", views.manage, name="manage"),
    path("alerts/subscribe/", views.subscribe, name="subscribe"),
    path("alerts/confirm/<str:token>/", views.confirm, name="confirm"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("alerts/manage/<str:token>/", views.manage_by_link, name="manage_token"),
    path("alerts/link/", views.request_link, name="request_link"),
]
