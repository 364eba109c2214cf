import zoneinfo

from django.utils import timezone

from .services import TIME_ZONE_SESSION_KEY


class ReaderTimeZoneMiddleware:
    """Show times in the reader's chosen zone; everyone else sees the site's (JST).

    The zone is kept in the session at sign-in, so this costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = None
        if request.user.is_authenticated:
            name = request.session.get(TIME_ZONE_SESSION_KEY)
        if name:
            try:
                timezone.activate(zoneinfo.ZoneInfo(name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
