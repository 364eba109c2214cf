"""Documents uploaded in the admin, as readers fetch them at /documents/.

Wagtail's serve view finds the document, applies its collection's privacy and streams
the file from this app (WAGTAILDOCS_SERVE_METHOD = "serve_view": never a redirect to
the bare file), with `X-Content-Type-Options: nosniff` and `default-src 'none'`. Every
type but PDF is a download (WAGTAILDOCS_INLINE_CONTENT_TYPES); here a download is also
sandboxed, so an HTML or SVG file opened anyway runs no script on the site's origin.
A PDF stays in the browser's viewer, which runs apart from the site's pages; Chromium
and Safari refuse to show a sandboxed PDF at all.
"""

from django.views.decorators.http import require_safe
from wagtail.documents import get_document_model
from wagtail.documents.views import serve

from newsroom.edge import policy

DOWNLOAD_POLICY = "default-src 'none'; sandbox"
INLINE_POLICY = "default-src 'none'"  # Wagtail's own


@require_safe
def serve_document(request, document_id, document_filename):
    """Wagtail's document, sandboxed unless it is shown inline (a PDF).

    A 304 carries the same policy as the file: a browser revalidating its copy takes
    the new response's headers for it."""
    response = serve.serve(request, document_id, document_filename)
    if response.status_code in (200, 304):
        document = get_document_model().objects.filter(pk=document_id).first()
        inline = document is not None and document.content_disposition == "inline"
        response[policy.HEADER] = INLINE_POLICY if inline else DOWNLOAD_POLICY
        response["X-Content-Type-Options"] = "nosniff"
    return response
