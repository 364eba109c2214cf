"""The site's limits on comments, votes and reports, per reader and per address.

A burst limit (per minute) and a sustained one (per hour) apply together, to the
reader and, multiplied by the site's *Ip factor*, to the network address they come
from. Each is a fixed window counted in the shared counter store
(newsroom.ratelimit.store), so it holds across every app server.
"""

from newsroom.ratelimit import store
from newsroom.ratelimit.clients import limit_subject

MINUTE = 60
HOUR = 3600


def check(
    action: str,
    *,
    user_id,
    ip: str | None,
    per_minute: int,
    per_hour: int,
    ip_factor: int,
) -> int:
    """Count one `action` by the reader (and their address); return the seconds
    to wait when that went over a limit (0: go ahead)."""
    subjects = [(f"{action}:u{user_id}", 1)]
    if ip:
        subjects.append((f"{action}:ip{limit_subject(ip)}", max(ip_factor, 1)))
    return store.hit_all(
        (f"{subject}:{window}", limit * factor, window)
        for subject, factor in subjects
        for limit, window in ((per_minute, MINUTE), (per_hour, HOUR))
    )
