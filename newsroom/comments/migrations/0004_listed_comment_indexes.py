from django.db import migrations, models


class Migration(migrations.Migration):
    """Pages of a thread seek one index per sort on (thread, is_listed, …): the
    indexes on (thread, status, …) made SQLite sort the thread, once per status
    of `status IN (…)`. A second migration, after 0003 has filled is_listed: the
    constraint holds only once it has."""

    dependencies = [
        ("comments", "0003_comment_is_listed"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="comment",
            name="comments_co_thread__5e95b7_idx",
        ),
        migrations.RemoveIndex(
            model_name="comment",
            name="comments_co_thread__7f4fe5_idx",
        ),
        migrations.RemoveIndex(
            model_name="comment",
            name="comments_co_thread__a99b33_idx",
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                fields=["thread", "is_listed", "created_at", "id"],
                name="comment_listed_by_time",
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                fields=["thread", "is_listed", "-best_score", "created_at", "id"],
                name="comment_listed_by_best",
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                fields=["thread", "is_listed", "-controversy", "created_at", "id"],
                name="comment_listed_by_controversy",
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                fields=["thread", "is_listed", "-reply_count", "created_at", "id"],
                name="comment_listed_by_replies",
            ),
        ),
        migrations.AddConstraint(
            model_name="comment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("is_listed", True),
                        ("status__in", ["published", "removed", "deleted"]),
                    ),
                    models.Q(
                        ("is_listed", False), ("status__in", ["pending", "rejected"])
                    ),
                    _connector="OR",
                ),
                name="comment_is_listed_follows_status",
            ),
        ),
    ]
