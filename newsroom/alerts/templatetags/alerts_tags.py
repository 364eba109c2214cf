from django import template

from .. import services

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    return services.unread_count(context["request"].user)
