"""System checks for sending mail: EMAIL_URL, the sender addresses and the pace of
alert sending (NEWSROOM_ALERTS_RATE).

settings.py prints mail, as the embedded default does, while EMAIL_URL cannot be
read, so that the site and `manage.py check` start. docs/configuration.md lists every
check id.
"""

from email.utils import parseaddr

import environ
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# Backends that keep mail on this machine: fine on a laptop, lost mail on a server.
LOCAL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "printed",
    "django.core.mail.backends.filebased.EmailBackend": "written to files",
    "django.core.mail.backends.locmem.EmailBackend": "kept in memory",
    "django.core.mail.backends.dummy.EmailBackend": "thrown away",
}
EMAIL_HINT = (
    "Write EMAIL_URL as smtp+tls://USER:PASSWORD@HOST:587 (or smtp+ssl://…:465, "
    "smtp://HOST:25); see docs/configuration.md, Email."
)


@checks.register("newsroom")
def check_email_url(app_configs, **kwargs):
    """EMAIL_URL is one django-environ reads, and an SMTP one says where to send."""
    try:
        environ.Env.email_url_config(settings.EMAIL_URL)
    except (ImproperlyConfigured, ValueError) as error:
        return [
            checks.Error(
                f"EMAIL_URL cannot be read ({_reason(error)}); mail is printed to "
                f"the console in the meantime.",
                hint=EMAIL_HINT,
                id="newsroom.E020",
            )
        ]
    if settings.EMAIL_BACKEND != SMTP_BACKEND:
        return []
    errors = []
    if not settings.EMAIL_HOST:
        errors.append(
            checks.Error(
                "EMAIL_URL sends by SMTP but names no mail server.",
                hint=EMAIL_HINT,
                id="newsroom.E021",
            )
        )
    if settings.EMAIL_USE_TLS and settings.EMAIL_USE_SSL:
        errors.append(
            checks.Error(
                "EMAIL_URL asks for both STARTTLS and implicit TLS; Django refuses "
                "to send with both.",
                hint="Choose one by the scheme, smtp+tls:// (port 587) or "
                "smtp+ssl:// (port 465), with no email_use_tls or email_use_ssl query.",
                id="newsroom.E022",
            )
        )
    return errors


def _reason(error) -> str:
    """What django-environ refused, without the text it refused: a misplaced `@` or
    `:` puts part of a password where the port should be."""
    if isinstance(error, ImproperlyConfigured):
        return str(error)  # "Invalid email schema <scheme>"
    if "Port" in str(error):
        return "its port is not a number"
    return "it is not a URL"


@checks.register("newsroom")
def check_sender_addresses(app_configs, **kwargs):
    """The From (and error reports') address and List-Unsubscribe's are addresses."""
    errors = []
    if not _is_address(settings.DEFAULT_FROM_EMAIL):
        errors.append(
            checks.Error(
                f"DEFAULT_FROM_EMAIL is not an email address: "
                f"{settings.DEFAULT_FROM_EMAIL[:80]!r}.",
                hint='Write it as "Name <address@example.com>" (quoted in shell and '
                "environment files) or as a bare address.",
                id="newsroom.E023",
            )
        )
    unsubscribe = settings.NEWSROOM_ALERTS_UNSUBSCRIBE_EMAIL
    if unsubscribe and not _is_address(unsubscribe, named=False):
        errors.append(
            checks.Error(
                f"NEWSROOM_ALERTS_UNSUBSCRIBE_EMAIL must be a bare email address "
                f"(List-Unsubscribe's mailto: link), not {unsubscribe[:80]!r}.",
                hint="Write a bare address (unsubscribe@example.com), or leave it "
                "unset for unsubscribe@ at DEFAULT_FROM_EMAIL's domain.",
                id="newsroom.E024",
            )
        )
    return errors


def _is_address(value: str, *, named: bool = True) -> bool:
    name, address = parseaddr(value)
    if name and not named:
        return False
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


@checks.register("newsroom")
def check_alerts_rate(app_configs, **kwargs):
    if settings.NEWSROOM_ALERTS_RATE >= 0:
        return []
    return [
        checks.Error(
            f"NEWSROOM_ALERTS_RATE must be 0 or more messages a second, not "
            f"{settings.NEWSROOM_ALERTS_RATE}.",
            hint="Set your mail provider's sending limit per worker, or 0 for as fast "
            "as the mail server accepts.",
            id="newsroom.E032",
        )
    ]


@checks.register("newsroom", deploy=True)
def check_mail_leaves(app_configs, **kwargs):
    """On a server, mail goes to a mail server from an address it may send from."""
    warnings = []
    kept = LOCAL_BACKENDS.get(settings.EMAIL_BACKEND)
    if kept:
        warnings.append(
            checks.Warning(
                f"Mail is {kept}, not sent (EMAIL_URL is not an SMTP URL): readers "
                f"get no verification, password-reset or alert emails.",
                hint=EMAIL_HINT,
                id="newsroom.W020",
            )
        )
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if address.lower().endswith("@localhost"):
        warnings.append(
            checks.Warning(
                f"DEFAULT_FROM_EMAIL sends from {address}, which mail servers "
                f"refuse or file as spam.",
                hint='Set DEFAULT_FROM_EMAIL="Newsroom <newsroom@example.com>" with a '
                "domain your mail server may send from.",
                id="newsroom.W021",
            )
        )
    return warnings
