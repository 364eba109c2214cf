"""Who may change something through the API: a signed-in reader."""

from ninja.security import SessionAuth
from wagtail.api.v3.auth import BearerTokenAuth


class ReaderSession(SessionAuth):
    """The site's own session; changes must carry its CSRF token."""

    def __call__(self, request):
        # Without a signed-in session (or after a bearer token was refused) the
        # answer is 401, not a complaint about a CSRF token the client never had.
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


# A bearer token wins over the session; an invalid one does not fall back to it.
signed_in = [BearerTokenAuth(), ReaderSession()]
