from django.db import migrations, models

# Comment.LISTED when this migration was written.
LISTED = ["published", "removed", "deleted"]


def mark_unlisted(apps, schema_editor):
    """Comments that hold no place in their thread (awaiting review, rejected)."""
    Comment = apps.get_model("comments", "Comment")
    Comment.objects.exclude(status__in=LISTED).update(is_listed=False)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_moderation_states"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="is_listed",
            field=models.BooleanField(default=True),
        ),
        # Backwards the column goes, and what it said with it.
        migrations.RunPython(mark_unlisted, migrations.RunPython.noop),
    ]
