from django.urls import path

from . import views

app_name = "trending"
urlpatterns = [
    path("trending/read/<int:page_id>/", views.read, name="read"),
]
