"""The read beacon: an article page reports each view of it here (reads.py).

The article page is one shared document, cached by the app and by front caches, so
the app never sees most of its GETs. Its script POSTs here once per page view, and
a <noscript> image GETs the same address for readers without JavaScript
(trending/includes/read_beacon.html, static/trending/beacon.js).
"""

import base64

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import reads

# A transparent 1×1 GIF, the <noscript> image's answer (42 bytes).
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


# Exempt from CSRF: the beacon carries no credentials (the script omits cookies)
# and acts for nobody; all it can do is add one anonymous read per reader, article
# and hour, which anyone can do by sending requests of their own, token or not.
# Browsers mark a request sent from another site's page (Sec-Fetch-Site), and those
# count nothing (reads.is_countable). A token would make the shared page personal.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def read(request, page_id: int):
    """Count a read of the article `page_id` if it counts (reads.count).

    The answer is the same whether the read counted or not, and whatever the page
    (a live article, a draft, nothing): it tells no one whether an unpublished
    story exists, nor whether someone at the same address with the same browser
    read the article this hour. It sets no cookie and is never stored by a cache."""
    reads.count(request, page_id)
    if request.method == "POST":
        response = HttpResponse(status=204)
        del response["Content-Type"]
    else:
        response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response
