"""Background tasks (django-tasks): where they run is NEWSROOM_TASKS's choice."""

from django_tasks import task


@task()
def send_alert(alert_id: int) -> dict:
    from .sending import send_alert as send

    return send(alert_id)


@task()
def email_notification(notification_id: int) -> str:
    from .notices import email_one

    return email_one(notification_id)
