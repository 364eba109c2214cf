import os

from asgiref.sync import sync_to_async
from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
django_application = get_asgi_application()

# Load the offensive-language model (a few seconds, ~100 MB) beside the first
# requests rather than inside the first reader's comment.
from newsroom.moderation.toxicity import warm_up  # noqa: E402
from newsroom.trending import reads  # noqa: E402

warm_up()


async def application(scope, receive, send):
    """Django, plus the ASGI lifespan: when the server stops cleanly, this process
    writes the read counts it still holds in memory (uvicorn ends its workers with a
    signal after shutdown, so exit handlers would never run)."""
    if scope["type"] != "lifespan":
        return await django_application(scope, receive, send)
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await sync_to_async(reads.flush_on_exit)()
            await send({"type": "lifespan.shutdown.complete"})
            return
