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


# The environment variable behind each of NEWSROOM_ACCOUNT_RATE_LIMITS' actions
# (settings.py); the others are fixed there.
RATE_VARIABLES = {
    "login": "NEWSROOM_RL_LOGIN",
    "login_failed": "NEWSROOM_RL_LOGIN_FAILED",
    "signup": "NEWSROOM_RL_SIGNUP",
    "reset_password": "NEWSROOM_RL_RESET_PASSWORD",
    "confirm_email": "NEWSROOM_RL_CONFIRM_EMAIL",
}


@register("newsroom")
def check_account_rate_limits(app_configs, **kwargs):
    """Every sign-in rate limit reads in allauth's format (limits.parse): one that
    does not is not enforced at all until it is fixed."""
    from .limits import parse

    errors = []
    for action, rates in (settings.NEWSROOM_ACCOUNT_RATE_LIMITS or {}).items():
        try:
            parsed = parse(rates)
        except (ValueError, TypeError):
            parsed = None
        if parsed is not None and all(
            rate.amount > 0 and rate.seconds > 0 for rate in parsed
        ):
            continue
        name = RATE_VARIABLES.get(action, f'NEWSROOM_ACCOUNT_RATE_LIMITS["{action}"]')
        errors.append(
            Error(
                f"{name} is not a rate limit in allauth's format: {str(rates)[:80]!r}; "
                "it is not enforced meanwhile.",
                hint="Write amount/period/key, comma-separated: a positive amount, "
                "a period of s, m, h or d (optionally with a number, 5m) and a key of "
                "ip, user or key, e.g. 10/m/ip,5/5m/key.",
                id="newsroom.E030",
            )
        )
    return errors
