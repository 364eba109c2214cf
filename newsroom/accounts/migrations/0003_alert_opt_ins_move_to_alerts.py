"""Alert opt-ins now live in the alerts app (copied by alerts 0004)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_profiles_for_existing_accounts"),
    ]
    # The opt-ins are copied into alert subscriptions before the table goes: alerts
    # 0004 declares that it runs first (accounts names no app above it).

    operations = [
        migrations.DeleteModel(
            name="AlertOptIn",
        ),
    ]
