"""The news-alert opt-ins the accounts app recorded become alert subscriptions:
confirmed ones receive breaking news, invited ones still wait for confirmation."""

from django.db import migrations


def copy_opt_ins(apps, schema_editor):
    AlertOptIn = apps.get_model("accounts", "AlertOptIn")
    Subscriber = apps.get_model("alerts", "Subscriber")
    Subscription = apps.get_model("alerts", "Subscription")
    for opt_in in AlertOptIn.objects.order_by("pk"):
        email = opt_in.email.strip().lower()
        subscriber, _created = Subscriber.objects.get_or_create(
            email=email, defaults={"user_id": opt_in.user_id}
        )
        Subscription.objects.get_or_create(
            subscriber=subscriber,
            site_id=opt_in.site_id,
            defaults={
                "breaking": True,
                "invited_at": opt_in.invited_at,
                "confirmed_at": opt_in.confirmed_at,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0003_news_alerts"),
        ("accounts", "0002_profiles_for_existing_accounts"),
    ]
    run_before = [("accounts", "0003_alert_opt_ins_move_to_alerts")]

    operations = [migrations.RunPython(copy_opt_ins, migrations.RunPython.noop)]
