"""System checks for the API's request rates and for embedding comments on other
websites: the cross-site cookies and each site's list of allowed origins.

docs/configuration.md lists every check id.
"""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import connections

RATE_SETTINGS = ("NEWSROOM_API_RATE_ANONYMOUS", "NEWSROOM_API_RATE_SIGNED_IN")


@checks.register("newsroom")
def check_api_rates(app_configs, **kwargs):
    """Each API rate reads as django-ninja's throttles read it (`<n>/<period>`)."""
    from ninja.throttling import AnonRateThrottle

    errors = []
    for name in RATE_SETTINGS:
        rate = getattr(settings, name)
        try:
            # An empty rate would fall back to ninja's own default, silently.
            throttle = AnonRateThrottle(rate) if rate else None
        except ValueError:
            throttle = None
        if throttle and throttle.num_requests > 0 and throttle.duration > 0:
            continue
        errors.append(
            checks.Error(
                f"{name} is not a request rate: {str(rate)[:80]!r}.",
                hint="Write <n>/<period> with a positive n and a period of s, min, h "
                "or d, e.g. 120/min.",
                id="newsroom.E031",
            )
        )
    return errors


@checks.register(checks.Tags.security, "newsroom")
def check_embed_cross_site(app_configs, **kwargs):
    """Browsers take SameSite=None cookies only with Secure, that is over HTTPS."""
    if not settings.NEWSROOM_EMBED_CROSS_SITE or settings.NEWSROOM_HTTPS:
        return []
    return [
        checks.Error(
            "NEWSROOM_EMBED_CROSS_SITE needs NEWSROOM_HTTPS: browsers refuse "
            "cross-site cookies that are not Secure. Cookies stay SameSite=Lax in "
            "the meantime.",
            hint="Serve the site over HTTPS and set NEWSROOM_HTTPS=1, or unset "
            "NEWSROOM_EMBED_CROSS_SITE.",
            id="newsroom.E040",
        )
    ]


@checks.register(checks.Tags.database, "newsroom")
def check_embed_origins(app_configs, databases=None, **kwargs):
    """Every site's list of websites allowed to embed its comments holds origins.

    The admin's form refuses anything else; a list written another way (a data
    migration, the shell) would refuse those websites without a word. Run by
    `migrate` and by `manage.py check --database default`.
    """
    from .models import EmbedSettings, validate_origins

    errors = []
    for alias in databases or ():
        table = EmbedSettings._meta.db_table
        if table not in connections[alias].introspection.table_names():
            continue  # not migrated yet
        for row in EmbedSettings.objects.using(alias).select_related("site"):
            try:
                validate_origins(row.allowed_origins)
            except ValidationError as error:
                errors.append(
                    checks.Error(
                        f"Embedded comments of {row.site}: {error.messages[0]}",
                        hint="Correct the list under Settings → Embedded comments "
                        "in the admin.",
                        obj=row,
                        id="newsroom.E041",
                    )
                )
    return errors
