"""Uploaded photos as the embedded mode serves them (NEWSROOM_SERVE_MEDIA), cached
as long as their names allow. Behind nginx, nginx serves them alike
(docs/deployment.md).

Only pictures are served here, each under its image type, sniffing off and sandboxed:
every file under the media root with another name (a document's, anything else) is
a 404, whatever its bytes."""

import posixpath
from pathlib import PurePosixPath

from django.conf import settings
from django.http import Http404
from django.views import static
from django.views.decorators.http import require_safe

from newsroom.edge import policy

# Wagtail names a rendition by its original, focal point and filter, and the storage
# never hands out a name that is taken: a rendition's URL always means the same bytes.
RENDITIONS_FOLDER = "images/"
RENDITION_CACHE_CONTROL = "public, max-age=31536000, immutable"
# An original's name may come back with other pixels once its file has been deleted.
UPLOAD_CACHE_CONTROL = f"public, max-age={60 * 60 * 24}"
# Wagtail serves documents at /documents/, applying collection privacy; their files
# are not fetched directly.
DOCUMENTS_FOLDER = "documents/"
# The types of the names Wagtail gives originals (WAGTAILIMAGES_EXTENSIONS, whose
# uploads Pillow decoded: news/forms.py) and renditions. Stated, not guessed: some
# systems' MIME tables lack AVIF and WebP, and with nosniff a wrong type is a broken
# image.
IMAGE_TYPES = {
    ".avif": "image/avif",
    ".gif": "image/gif",
    ".jpeg": "image/jpeg",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}
# Opened on its own, a picture may not run or load anything.
UPLOAD_POLICY = "default-src 'none'; img-src 'self'; sandbox"


@require_safe
def serve_media(request, path):
    """A picture of MEDIA_ROOT (a 404 for documents and any other file), with
    Cache-Control, its type and a sandboxing policy."""
    # Resolved as static.serve resolves it, so `images/../documents/` is seen as such.
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith(DOCUMENTS_FOLDER):
        raise Http404("Documents are served at /documents/.")
    content_type = IMAGE_TYPES.get(PurePosixPath(path).suffix.lower())
    if content_type is None:
        raise Http404("Only pictures are served here.")
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    if path.startswith(RENDITIONS_FOLDER):
        response["Cache-Control"] = RENDITION_CACHE_CONTROL
    else:
        response["Cache-Control"] = UPLOAD_CACHE_CONTROL
    if response.status_code == 200:
        response["Content-Type"] = content_type
    response[policy.HEADER] = UPLOAD_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response
