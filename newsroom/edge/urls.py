from django.urls import path

from . import views

app_name = "edge"
urlpatterns = [
    path("me/overlay/", views.overlay, name="overlay"),
    path("me/csrf/", views.csrf, name="csrf"),
]
