from django.db import migrations


class Migration(migrations.Migration):
    """ "Close comments" and "Send as breaking alert" belong to comments and alerts,
    which keep them in their own tables (news/options.py). Their migrations copy the
    values across before these columns go (comments 0005, alerts 0006)."""

    dependencies = [
        ("news", "0006_articlepage_send_breaking_alert"),
    ]

    operations = [
        migrations.RemoveField(model_name="articlepage", name="comments_closed"),
        migrations.RemoveField(model_name="articlepage", name="send_breaking_alert"),
    ]
