import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
application = get_asgi_application()

# Load the offensive-language model (a few seconds, ~100 MB) beside the first
# requests rather than inside the first reader's comment.
from newsroom.moderation.toxicity import warm_up  # noqa: E402

warm_up()
