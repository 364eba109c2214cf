from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/settings/", views.account_settings, name="settings"),
    path("accounts/settings/name/", views.change_display_name, name="change_name"),
    path("accounts/settings/time-zone/", views.change_time_zone, name="time_zone"),
    path("accounts/settings/export/", views.export_data, name="export"),
    path("accounts/delete/", views.delete_account, name="delete"),
    path("readers/<int:pk>/", views.profile, name="profile"),
]
