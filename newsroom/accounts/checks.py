from django.conf import settings
from django.core.checks import Error, register


@register("security", deploy=True)
def check_oidc_uses_tls(app_configs, **kwargs):
    """allauth trusts the ID token from the token endpoint because TLS carries it.

    OpenID Connect allows skipping the token's signature check only over TLS, which
    is what allauth does; a plain-http issuer would let anyone on the path sign
    readers in as whomever they like.
    """
    provider = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {})
    errors = []
    for app in provider.get("APPS", []):
        url = app.get("settings", {}).get("server_url", "")
        if not url.startswith("https://"):
            errors.append(
                Error(
                    f"OIDC_SERVER_URL must be an https:// address (it is {url!r}).",
                    hint="Use the provider's https issuer URL.",
                    id="accounts.E001",
                )
            )
    return errors
