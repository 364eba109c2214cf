from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from newsroom.accounts.urls import allauth_patterns
from newsroom.api.urls import embed_patterns
from newsroom.news import documents as news_documents
from newsroom.news import media as news_media
from newsroom.news import views as news_views
from newsroom.news.caching import shared

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("", include("newsroom.accounts.urls")),
    path("", include("newsroom.comments.urls")),
    path("", include("newsroom.alerts.urls")),
    path("", include("newsroom.moderation.urls")),
    path("", include("newsroom.trending.urls")),
    path("", include("newsroom.api.urls")),
    path("", include("newsroom.edge.urls")),
    path("", include(embed_patterns)),
    *allauth_patterns,
    path("accounts/", include("allauth.urls")),
    # Wagtail's document view, with downloads sandboxed (news/documents.py); its
    # other URLs (a private collection's password form) as Wagtail has them.
    re_path(
        r"^documents/(\d+)/(.*)$",
        news_documents.serve_document,
        name="wagtaildocs_serve",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", news_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", shared(sitemap), name="sitemap"),
    path("news-sitemap.xml", news_views.news_sitemap, name="news_sitemap"),
]

handler404 = "newsroom.news.views.not_found"
handler500 = "newsroom.edge.outages.server_error"

if settings.NEWSROOM_SERVE_MEDIA:
    # Embedded mode only: in production nginx serves MEDIA_ROOT (docs/deployment.md).
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [
        re_path(rf"^{media_prefix}(?P<path>.*)$", news_media.serve_media),
    ]

urlpatterns += [path("", include(wagtail_urls))]
