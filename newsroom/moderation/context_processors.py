from . import selectors


def moderation_notice(request):
    """A suspended or warned reader's banner, from the cached sanctions (no query
    once cached)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    warning = selectors.pending_warning(user.pk)
    if warning:
        return {"moderation_warning": warning}
    from wagtail.models import Site

    site = Site.find_for_request(request)
    blocking = selectors.blocking_sanction(user.pk, site)
    return {"moderation_block": blocking} if blocking else {}
