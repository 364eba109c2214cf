from django.db import migrations, models



def site_of(page, sites):
    """The site whose root holds `page` (the deepest, as Page.get_site finds it)."""
    holding = [s for s in sites if page.path.startswith(s.root_page.path)]
    return max(holding, key=lambda s: len(s.root_page.path), default=None)


def close_threads(apps, page_model, schema_editor):
    Thread = apps.get_model("comments", "Thread")
    Site = apps.get_model("wagtailcore", "Site")
    sites = list(Site.objects.select_related("root_page"))
    for page in page_model.objects.filter(comments_closed=True).only("path"):
        site = site_of(page, sites)
        Thread.objects.update_or_create(
            page_id=page.pk,
            defaults={"closed": True},
            create_defaults={"closed": True, "site": site},
        )


def from_articles(apps, schema_editor):
    close_threads(apps, apps.get_model("news", "ArticlePage"), schema_editor)


def back_to_articles(apps, schema_editor):
    """Undone: the articles whose threads are closed get their box ticked again."""
    Thread = apps.get_model("comments", "Thread")
    closed = Thread.objects.filter(closed=True).values("page_id")
    apps.get_model("news", "ArticlePage").objects.filter(pk__in=closed).update(
        comments_closed=True
    )


class Migration(migrations.Migration):
    """An article's "Close comments" moves from the page to its Thread, which comments
    owns; news drops its column after this copy (news 0007)."""

    dependencies = [
        ("comments", "0004_listed_comment_indexes"),
        ("news", "0006_articlepage_send_breaking_alert"),
    ]
    run_before = [("news", "0007_switches_kept_by_other_apps")]

    operations = [
        migrations.AddField(
            model_name="thread",
            name="closed",
            field=models.BooleanField(default=False, verbose_name="comments closed"),
        ),
        migrations.RunPython(from_articles, back_to_articles),
    ]
