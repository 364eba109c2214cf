"""Sending mail: EMAIL_URL, the sender addresses and the alerts' pace, judged by
`manage.py check` (newsroom/alerts/checks.py)."""

import pytest
from django.core import checks

CONSOLE = "django.core.mail.backends.console.EmailBackend"
READ = (
    "EMAIL_URL",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "DEFAULT_FROM_EMAIL",
    "NEWSROOM_ALERTS_UNSUBSCRIBE_EMAIL",
    "NEWSROOM_ALERTS_RATE",
)
PRODUCTION = {
    "EMAIL_URL": "smtp+tls://newsroom%40example.com:s3cret@smtp.example.com:587",
    "DEFAULT_FROM_EMAIL": "Newsroom <newsroom@example.com>",
    "NEWSROOM_ALERTS_UNSUBSCRIBE_EMAIL": "unsubscribe@example.com",
    "NEWSROOM_ALERTS_RATE": "20",
}


def messages(*, deploy=False) -> list:
    return checks.run_checks(tags=["newsroom"], include_deployment_checks=deploy)


def found(*, deploy=False) -> list[str]:
    return [message.id for message in messages(deploy=deploy)]


def test_the_default_prints_mail_and_warns_only_on_deploy(from_environment):
    made = from_environment(READ)

    assert made["EMAIL_BACKEND"] == CONSOLE
    assert found() == []
    assert {"newsroom.W020", "newsroom.W021"} <= set(found(deploy=True))


def test_a_production_mail_setup_passes_even_on_deploy(from_environment):
    from_environment(READ, **PRODUCTION)

    assert found() == []
    assert not {"newsroom.W020", "newsroom.W021"} & set(found(deploy=True))


@pytest.mark.parametrize(
    "url",
    ["smpt://newsroom:s3cret@smtp.example.com:587", "smtp://smtp.example.com:s3cret"],
)
def test_an_unreadable_email_url_prints_mail_and_is_an_error(from_environment, url):
    made = from_environment(READ, EMAIL_URL=url)

    assert made["EMAIL_BACKEND"] == CONSOLE
    assert found() == ["newsroom.E020"]
    assert "EMAIL_URL" in messages()[0].msg
    assert "s3cret" not in messages()[0].msg


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("smtp://", "newsroom.E021"),
        ("smtp+tls://smtp.example.com:587?email_use_ssl=1", "newsroom.E022"),
    ],
)
def test_an_smtp_url_that_cannot_send_is_an_error(from_environment, url, error):
    from_environment(READ, EMAIL_URL=url)

    assert found() == [error]


@pytest.mark.parametrize(
    ("variable", "value", "error"),
    [
        ("DEFAULT_FROM_EMAIL", "Newsroom newsroom@example.com", "newsroom.E023"),
        ("DEFAULT_FROM_EMAIL", "Newsroom <newsroom>", "newsroom.E023"),
        ("NEWSROOM_ALERTS_UNSUBSCRIBE_EMAIL", "unsubscribe", "newsroom.E024"),
        (
            "NEWSROOM_ALERTS_UNSUBSCRIBE_EMAIL",
            "Unsubscribe <unsubscribe@example.com>",
            "newsroom.E024",
        ),
        ("NEWSROOM_ALERTS_RATE", "-5", "newsroom.E032"),
    ],
)
def test_a_bad_sender_or_pace_is_an_error(from_environment, variable, value, error):
    from_environment(READ, **{**PRODUCTION, variable: value})

    assert found() == [error]
    assert variable in messages()[0].msg
