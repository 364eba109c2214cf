from django.db import migrations


def from_discussions(apps, schema_editor):
    """Close the threads of embedded discussions whose box was ticked (each under
    the site whose root holds it, as Page.get_site finds it)."""
    Thread = apps.get_model("comments", "Thread")
    sites = list(apps.get_model("wagtailcore", "Site").objects.select_related("root_page"))
    DiscussionPage = apps.get_model("api", "DiscussionPage")
    for page in DiscussionPage.objects.filter(comments_closed=True).only("path"):
        holding = [s for s in sites if page.path.startswith(s.root_page.path)]
        site = max(holding, key=lambda s: len(s.root_page.path), default=None)
        Thread.objects.update_or_create(
            page_id=page.pk,
            defaults={"closed": True},
            create_defaults={"closed": True, "site": site},
        )


def back_to_discussions(apps, schema_editor):
    closed = apps.get_model("comments", "Thread").objects.filter(closed=True)
    apps.get_model("api", "DiscussionPage").objects.filter(
        pk__in=closed.values("page_id")
    ).update(comments_closed=True)


class Migration(migrations.Migration):
    """An embedded discussion's "Close comments" moves to its Thread, as articles'
    did (comments 0005)."""

    dependencies = [
        ("api", "0002_editors_edit_embed_settings"),
        ("comments", "0005_thread_closed"),
    ]

    operations = [
        migrations.RunPython(from_discussions, back_to_discussions),
        migrations.RemoveField(model_name="discussionpage", name="comments_closed"),
    ]
