import datetime

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def wait_label(value) -> str:
    """A waiting time as moderators read it: `45 s`, `12 min`, `3 h 5 min`, `2 days`."""
    if value is None:
        return ""
    if not isinstance(value, datetime.timedelta):
        return str(value)
    seconds = max(int(value.total_seconds()), 0)
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days = hours // 24
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
