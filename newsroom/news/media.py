"""Uploaded photos as the embedded mode serves them (NEWSROOM_SERVE_MEDIA), cached
as long as their names allow. Behind nginx, nginx serves them alike
(docs/deployment.md)."""

import posixpath
from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views import static
from django.views.decorators.http import require_safe

# Wagtail names a rendition by its original, focal point and filter, and the storage
# never hands out a name that is taken: a rendition's URL always means the same bytes.
RENDITIONS_FOLDER = "images/"
RENDITION_CACHE_CONTROL = "public, max-age=31536000, immutable"
# An original's name may come back with other pixels once its file has been deleted.
UPLOAD_CACHE_CONTROL = f"public, max-age={60 * 60 * 24}"
# Wagtail serves documents at /documents/, applying collection privacy; their files
# are not fetched directly.
DOCUMENTS_FOLDER = "documents/"
# Some systems' MIME tables lack these, and with nosniff a wrong type is a broken image.
IMAGE_TYPES = {".avif": "image/avif", ".webp": "image/webp"}


@require_safe
def serve_media(request, path):
    """A file of MEDIA_ROOT (a 404 for documents), with Cache-Control and the type."""
    # Resolved as static.serve resolves it, so `images/../documents/` is seen as such.
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith(DOCUMENTS_FOLDER):
        raise Http404("Documents are served at /documents/.")
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    if path.startswith(RENDITIONS_FOLDER):
        response["Cache-Control"] = RENDITION_CACHE_CONTROL
    else:
        response["Cache-Control"] = UPLOAD_CACHE_CONTROL
    content_type = IMAGE_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type and response.status_code == 200:
        response["Content-Type"] = content_type
    return response
