"""Times and counts in templates (newsroom.formats.display)."""

from django import template

from .. import display

register = template.Library()

register.filter("news_datetime", display.news_datetime)
register.filter("comment_count_label", display.comment_count_label)
register.simple_tag(display.times_script, name="times_script")
register.simple_tag(display.vote_label, name="vote_label")  # -3 ( +3 / -6 )


@register.filter
def news_time(value) -> str:
    """`<time datetime="2026-11-26T05:15:00Z" data-absolute>Nov 26 2026 02:15 pm
    JST</time>`: times.js shows it in the reader's zone."""
    return display.time_element(value, relative=False)
