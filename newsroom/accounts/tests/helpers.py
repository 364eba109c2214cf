"""Readers for tests, made the way registration leaves them."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

PASSWORD = "plum-kettle-harbour-41"


def create_reader(name="Kenji", *, email=None, verified=True, password=PASSWORD):
    email = email or f"{name.lower().replace(' ', '.')}@example.com"
    user = get_user_model().objects.create_user(
        username=name, email=email, password=password
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def sign_in(client, login, password=PASSWORD, **extra):
    """Sign in through the sign-in page, as a reader would."""
    return client.post(
        "/accounts/login/", {"login": login, "password": password, **extra}
    )
