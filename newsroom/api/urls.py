from django.urls import path

from . import embed, views
from .v1 import api

embed_patterns = (
    [
        path("embed/thread/", embed.open_thread, name="open"),
        path("embed/thread/<int:page_id>/", embed.thread, name="thread"),
        path("embed/thread/<int:page_id>/post/", embed.post, name="post"),
        path("embed/signed-in/", embed.signed_in, name="signed_in"),
    ],
    "embed",
)

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/docs", views.docs, name="api_docs"),
    path("embed.js", embed.script, name="embed_js"),
    path("accounts/settings/api-tokens/", views.tokens, name="api_tokens"),
    path(
        "accounts/settings/api-tokens/<int:pk>/revoke/",
        views.revoke,
        name="api_token_revoke",
    ),
]
