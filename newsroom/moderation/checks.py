"""System checks for the coordinated-voting rule's settings (rings.py).

docs/configuration.md lists every check id.
"""

from django.conf import settings
from django.core import checks

# (setting, smallest, largest, what it is), for the E070 check.
RANGES = (
    ("NEWSROOM_VOTE_RING_MINUTES", 1, 24 * 60, "minutes"),
    ("NEWSROOM_VOTE_RING_NEW_ACCOUNT_DAYS", 0, 3650, "days"),
    ("NEWSROOM_VOTE_RING_JOINED_HOURS", 0, 24 * 3650, "hours"),
    ("NEWSROOM_VOTE_NETWORK_IPV4_PREFIX", 8, 32, "bits"),
    ("NEWSROOM_VOTE_NETWORK_IPV6_PREFIX", 16, 128, "bits"),
    ("NEWSROOM_VOTE_SIGNALS_DAYS", 1, 3650, "days"),
)


@checks.register("newsroom")
def check_vote_rings(app_configs, **kwargs):
    """The rule's thresholds are numbers it can use."""
    errors = []
    accounts = settings.NEWSROOM_VOTE_RING_ACCOUNTS
    if accounts == 1 or accounts < 0:
        errors.append(
            checks.Error(
                f"NEWSROOM_VOTE_RING_ACCOUNTS is {accounts}: a ring needs at least two "
                "accounts. Nothing is flagged meanwhile.",
                hint="Set 2 or more (default 5), or 0 to turn the rule off.",
                id="newsroom.E070",
            )
        )
    for name, least, most, unit in RANGES:
        value = getattr(settings, name)
        if not least <= value <= most:
            used = min(max(value, least), most)
            errors.append(
                checks.Error(
                    f"{name} is {value}; it takes {least} to {most} {unit}. It works "
                    f"as {used} meanwhile.",
                    hint="See docs/configuration.md, Coordinated voting.",
                    id="newsroom.E071",
                )
            )
    return errors
