from django.urls import path

from . import views

app_name = "comments"

urlpatterns = [
    path("comments/<int:pk>/", views.permalink, name="permalink"),
    path("comments/<int:pk>/vote/", views.vote, name="vote"),
    path("comments/<int:pk>/edit/", views.edit, name="edit"),
    path("comments/<int:pk>/delete/", views.delete, name="delete"),
    path("comments/<int:pk>/replies/", views.replies, name="replies"),
    path("comments/on/<int:page_id>/post/", views.post, name="post"),
    path("comments/on/<int:page_id>/more/", views.more, name="more"),
    path("comments/on/<int:page_id>/fragment/", views.fragment, name="fragment"),
    path("comments/on/<int:page_id>/events/", views.events, name="events"),
]
