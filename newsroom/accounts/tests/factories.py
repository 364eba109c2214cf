"""Readers for tests, made the way registration leaves them."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from .helpers import PASSWORD


def create_reader(name="Kenji", *, email=None, verified=True, password=PASSWORD):
    email = email or f"{name.lower().replace(' ', '.')}@example.com"
    user = get_user_model().objects.create_user(
        username=name, email=email, password=password
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user
