from django.urls import path, re_path

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

# allauth's form pages, counted against the account limits (views.LimitedFormView),
# at allauth's own addresses and names; the project's URLconf puts them before
# allauth's.
allauth_patterns = [
    path("accounts/login/", views.LoginView.as_view(), name="account_login"),
    path("accounts/signup/", views.SignupView.as_view(), name="account_signup"),
    path(
        "accounts/reauthenticate/",
        views.ReauthenticateView.as_view(),
        name="account_reauthenticate",
    ),
    path("accounts/email/", views.ManageEmailView.as_view(), name="account_email"),
    path(
        "accounts/password/change/",
        views.PasswordChangeView.as_view(),
        name="account_change_password",
    ),
    path(
        "accounts/password/set/",
        views.PasswordSetView.as_view(),
        name="account_set_password",
    ),
    path(
        "accounts/password/reset/",
        views.PasswordResetView.as_view(),
        name="account_reset_password",
    ),
    re_path(
        r"^accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        views.PasswordResetFromKeyView.as_view(),
        name="account_reset_password_from_key",
    ),
]
