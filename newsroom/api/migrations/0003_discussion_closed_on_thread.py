import importlib

from django.db import migrations

# comments' own copy, for articles: the same rule for embedded discussions.
thread_closed = importlib.import_module(
    "newsroom.comments.migrations.0005_thread_closed"
)


def from_discussions(apps, schema_editor):
    thread_closed.close_threads(
        apps, apps.get_model("api", "DiscussionPage"), schema_editor
    )


class Migration(migrations.Migration):
    """An embedded discussion's "Close comments" moves to its Thread, as articles'
    did (comments 0005)."""

    dependencies = [
        ("api", "0002_editors_edit_embed_settings"),
        ("comments", "0005_thread_closed"),
    ]

    operations = [
        migrations.RunPython(from_discussions, migrations.RunPython.noop),
        migrations.RemoveField(model_name="discussionpage", name="comments_closed"),
    ]
