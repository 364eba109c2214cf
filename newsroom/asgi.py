"""The application the ASGI server (uvicorn) runs: the edge in front of Django.

Pages run Django's WSGI handler in one hop to a thread, streams run on the event
loop through Django's ASGI handler, and shared pages are answered from the page
cache before Django runs at all (newsroom/edge/app.py).
"""

import os

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.urls import reverse

from newsroom.edge import allocator

# Before Django starts threads: their arenas are set as they first allocate.
allocator.tune()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_asgi = get_asgi_application()
django_wsgi = get_wsgi_application()

# Load the offensive-language model (a fraction of a second, a few seconds more where
# it is first derived) beside the first requests rather than inside the first
# reader's comment.
from newsroom.edge.app import Edge  # noqa: E402
from newsroom.edge.bridge import WSGIBridge  # noqa: E402
from newsroom.edge.stores import get_store  # noqa: E402
from newsroom.moderation.toxicity import warm_up  # noqa: E402
from newsroom.trending import reads  # noqa: E402

warm_up()

edge = Edge(
    django_asgi,
    WSGIBridge(django_wsgi, settings.NEWSROOM_THREADS),
    get_store(),
    settings.NEWSROOM_SURROGATE_HEADER,
    overlay_path=reverse("edge:overlay"),
)


async def application(scope, receive, send):
    """The edge, plus the ASGI lifespan: when the server stops cleanly, this process
    writes the read counts it still holds in memory (uvicorn ends its workers with a
    signal after shutdown, so exit handlers would never run)."""
    if scope["type"] != "lifespan":
        return await edge(scope, receive, send)
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await sync_to_async(reads.flush_on_exit)()
            await send({"type": "lifespan.shutdown.complete"})
            return
