"""Sign-in rate limits, judged by `manage.py check` in allauth's format, as the
accounts app reads them (newsroom/accounts/checks.py, limits.py)."""

import pytest
from django.core import checks

READ = ("NEWSROOM_ACCOUNT_RATE_LIMITS",)


def messages() -> list:
    return checks.run_checks(tags=["newsroom"])


def test_the_default_rate_limits_pass(from_environment):
    from_environment(READ)

    assert messages() == []


@pytest.mark.parametrize("rates", ["", "100/m/ip", "10/m/ip,5/1.5h/key", "3/d"])
def test_a_rate_limit_allauth_reads_passes(from_environment, rates):
    from_environment(READ, NEWSROOM_RL_SIGNUP=rates)

    assert messages() == []


@pytest.mark.parametrize(
    "rates", ["10 per minute", "10/m/ip;30/h/ip", "10/w/ip", "10/m/host", "0/m/ip"]
)
def test_a_rate_limit_allauth_cannot_read_is_an_error(from_environment, rates):
    from_environment(READ, NEWSROOM_RL_SIGNUP=rates)

    [error] = messages()
    assert error.id == "newsroom.E030"
    assert error.msg.startswith("NEWSROOM_RL_SIGNUP ")


def test_a_fixed_rate_limit_is_named_by_its_setting(settings):
    settings.NEWSROOM_ACCOUNT_RATE_LIMITS = {
        **settings.NEWSROOM_ACCOUNT_RATE_LIMITS,
        "reauthenticate": "x",
    }

    [error] = messages()
    assert error.id == "newsroom.E030"
    assert error.msg.startswith('NEWSROOM_ACCOUNT_RATE_LIMITS["reauthenticate"] ')


def test_rate_limits_turned_off_pass(settings):
    settings.NEWSROOM_ACCOUNT_RATE_LIMITS = {}

    assert messages() == []
