"""Signing in for tests, as a reader does; readers themselves come from factories."""

PASSWORD = "plum-kettle-harbour-41"


def sign_in(client, login, password=PASSWORD, **extra):
    """Sign in through the sign-in page, as a reader would."""
    return client.post(
        "/accounts/login/", {"login": login, "password": password, **extra}
    )
