"""The demo's stand-in for Facebook cannot be switched on by accident in production:
settings.py reads NEWSROOM_DEMO_FACEBOOK, and the checks refuse it off loopback or
beside the real app's credentials, and warn on every deployed server."""

from django.core.checks import run_checks

SETTINGS = ["NEWSROOM_DEMO_FACEBOOK", "SOCIALACCOUNT_PROVIDERS"]
NO_REAL_APP = {"FACEBOOK_CLIENT_ID": ""}  # whatever the machine running tests holds


def ids(**options):
    return sorted(
        message.id
        for message in run_checks(**options)
        if message.id.startswith("newsroom.") and message.id[-3:-1] == "05"
    )


def test_the_demo_address_points_allauth_at_the_standin(from_environment):
    made = from_environment(
        SETTINGS, NEWSROOM_DEMO_FACEBOOK="http://127.0.0.1:8001/", **NO_REAL_APP
    )

    facebook = made["SOCIALACCOUNT_PROVIDERS"]["facebook"]
    assert facebook["AUTHORIZE_URL"] == "http://127.0.0.1:8001/dialog/oauth"
    assert facebook["GRAPH_API_URL"] == "http://127.0.0.1:8001"
    assert "APPS" not in facebook  # load_demo's app, from the database
    assert ids() == []
    assert ids(include_deployment_checks=True) == ["newsroom.W050"]


def test_the_demo_address_is_refused_off_loopback(from_environment):
    from_environment(
        SETTINGS, NEWSROOM_DEMO_FACEBOOK="https://facebook.example.com", **NO_REAL_APP
    )

    assert ids() == ["newsroom.E050"]


def test_the_demo_address_is_refused_beside_real_credentials(from_environment):
    from_environment(
        SETTINGS,
        NEWSROOM_DEMO_FACEBOOK="http://localhost:8001",
        FACEBOOK_CLIENT_ID="4096123456789012",
        FACEBOOK_CLIENT_SECRET="real-secret",
    )

    assert ids() == ["newsroom.E051"]


def test_without_the_demo_address_nothing_changes(from_environment):
    made = from_environment(SETTINGS, **NO_REAL_APP)

    assert "facebook" not in made["SOCIALACCOUNT_PROVIDERS"]
    assert ids(include_deployment_checks=True) == []
