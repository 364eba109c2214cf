import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def from_articles(apps, schema_editor):
    """Articles ticked "Send as breaking alert" keep their request: on the live page,
    or in the latest revision (a draft awaiting approval, a scheduled publish), whose
    publish would have sent it. An alert already sent stays sent: one per article."""
    ArticlePage = apps.get_model("news", "ArticlePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    BreakingRequest = apps.get_model("alerts", "BreakingRequest")
    ticked = set(
        ArticlePage.objects.filter(send_breaking_alert=True).values_list("pk", flat=True)
    )
    latest = ArticlePage.objects.exclude(latest_revision=None).values_list(
        "pk", "latest_revision_id"
    )
    revisions = dict(latest)
    for revision in Revision.objects.filter(pk__in=revisions.values()).only("content"):
        if (revision.content or {}).get("send_breaking_alert"):
            ticked.add(int(revision.object_id))
    BreakingRequest.objects.bulk_create(
        BreakingRequest(article_id=pk) for pk in sorted(ticked)
    )


def back_to_articles(apps, schema_editor):
    requested = apps.get_model("alerts", "BreakingRequest").objects.values("article_id")
    apps.get_model("news", "ArticlePage").objects.filter(pk__in=requested).update(
        send_breaking_alert=True
    )


class Migration(migrations.Migration):
    """ "Send as breaking alert" moves from the article to alerts' own table; news
    drops its column after this copy (news 0007)."""

    dependencies = [
        ("alerts", "0005_editors_see_alerts"),
        ("news", "0006_articlepage_send_breaking_alert"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    run_before = [("news", "0007_switches_kept_by_other_apps")]

    operations = [
        migrations.CreateModel(
            name="BreakingRequest",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "requested_at",
                    models.DateTimeField(default=django.utils.timezone.now),
                ),
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="news.articlepage",
                        verbose_name="article",
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "breaking alert request",
            },
        ),
        migrations.RunPython(from_articles, back_to_articles),
    ]
