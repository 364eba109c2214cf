"""Where background tasks run: a choice that cannot work runs them at once and is
reported by `manage.py check` (newsroom/scheduler/checks.py)."""

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"
READ = ("NEWSROOM_TASKS", "REDIS_URL")


def found(*, deploy=False) -> list[str]:
    return [
        message.id
        for message in checks.run_checks(
            tags=["newsroom"], include_deployment_checks=deploy
        )
    ]


def test_the_default_runs_tasks_at_once_and_passes(from_environment):
    made = from_environment(READ)

    assert made["TASKS"]["default"]["BACKEND"] == IMMEDIATE
    assert found() == []


def test_an_unknown_backend_runs_tasks_at_once_and_is_an_error(from_environment):
    made = from_environment(READ, NEWSROOM_TASKS="celery")

    assert made["TASKS"]["default"]["BACKEND"] == IMMEDIATE
    assert found() == ["newsroom.E001"]
    with pytest.raises(SystemCheckError) as refusal:
        call_command("check", "--tag", "newsroom")
    assert "(newsroom.E001) NEWSROOM_TASKS must be one of" in str(refusal.value)
    assert "'celery'" in str(refusal.value)


def test_redis_tasks_without_redis_run_at_once_and_are_an_error(from_environment):
    made = from_environment(READ, NEWSROOM_TASKS="redis")

    assert made["TASKS"]["default"]["BACKEND"] == IMMEDIATE
    assert "django_rq" not in made["INSTALLED_APPS"]
    assert found() == ["newsroom.E002"]

    made = from_environment(
        READ, NEWSROOM_TASKS="redis", REDIS_URL="redis://127.0.0.1:6379/0"
    )

    assert made["TASKS"]["default"]["BACKEND"] == "django_tasks_rq.RQBackend"
    assert found() == []


def test_tasks_run_at_once_only_warn_on_deploy(settings):
    settings.NEWSROOM_TASKS = "immediate"
    assert "newsroom.W001" not in found()
    assert "newsroom.W001" in found(deploy=True)

    settings.NEWSROOM_TASKS = "database"
    assert "newsroom.W001" not in found(deploy=True)
