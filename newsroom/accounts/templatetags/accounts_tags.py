from urllib.parse import urlencode

from allauth.socialaccount.adapter import get_adapter
from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def social_sign_in(context) -> dict:
    """The configured providers, and whether Facebook is among them."""
    providers = get_adapter().list_providers(context["request"])
    return {
        "providers": providers,
        "has_facebook": any(provider.id == "facebook" for provider in providers),
        "only_facebook": [provider.id for provider in providers] == ["facebook"],
    }


@register.simple_tag(takes_context=True)
def sign_in_url(context, fragment: str = "") -> str:
    """The sign-in page, returning the reader to this page (and `#fragment`)."""
    request = context["request"]
    back = request.get_full_path() + (f"#{fragment}" if fragment else "")
    return f"{reverse('account_login')}?{urlencode({'next': back})}"
