"""Version 1 of the public API, `/api/v1/`: each app's Router, mounted on the API
of http.py. Every change goes through the same services as the site's own pages,
so their rules (verification, moderation, rate limits, sanctions) hold here too.

Mounted in the order the document lists them: articles, then their comments, then
readers and their notifications."""

from newsroom.accounts.api import router as readers
from newsroom.alerts.api import router as notifications
from newsroom.comments.api import router as comments
from newsroom.moderation.api import router as reports
from newsroom.news.api import router as articles

from .counts import router as comment_counts
from .http import api

api.add_router("", articles)
api.add_router("", comments)
api.add_router("", reports)
api.add_router("", comment_counts)
api.add_router("", readers)
api.add_router("", notifications)

__all__ = ["api"]
