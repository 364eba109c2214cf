"""The counters of every rate limit when there is no Redis (store.py)."""

from django.db import models


class Window(models.Model):
    """How many times `name` (an action and who does it: `comment:u42:60`) was counted
    in the window that ends at `ends_at`.

    One row per name, reused in place: the first hit after `ends_at` starts a new
    window on the same row. Rows of ended windows are pruned by the scheduler."""

    name = models.CharField(max_length=200, primary_key=True)
    hits = models.PositiveIntegerField()
    ends_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "ratelimit_window"  # named in store.COUNT_SQL

    def __str__(self):
        return f"{self.name}: {self.hits} until {self.ends_at:%Y-%m-%d %H:%M:%S}"
