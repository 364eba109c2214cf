"""`manage.py backup` of a site that keeps taking comments, restored by `manage.py
restore` into an empty data directory: what comes back is the site as of one
moment, whole and consistent, with its uploads (renditions aside) and its key.

Every step runs as an operator runs it: `manage.py` in its own process, on a copy
of the demo in the embedded mode, while a reader's comments go on being posted
through the comments service from another process.
"""

import contextlib
import io
import sqlite3
import subprocess
import sys
import textwrap
import threading

import pytest
from django.core.management import CommandError, call_command

from newsroom.demo.server import DATABASE_FILE, ROOT, copy_demo, embedded_env, manage

from .conftest import files_in

TIMEOUT = 120  # seconds: a safety net for a stuck process, not a measure
READER = "JJE"  # a demo reader allowed to comment
WRITER = textwrap.dedent(
    """
    from pathlib import Path

    from django.contrib.auth import get_user_model

    from newsroom.comments.posting import post_comment
    from newsroom.comments.tests.factories import set_rules
    from newsroom.news.models import ArticlePage, NewsImage

    NewsImage.objects.order_by("pk").first().get_rendition("width-120")  # a photo shown
    article = ArticlePage.objects.live().order_by("-first_published_at").first()
    set_rules(article)
    author = get_user_model().objects.get(username={reader!r})
    stop = Path({stop!r})
    number = 0
    while not stop.exists():
        number += 1
        body = f"Still writing while the backup runs, comment {{number}}."
        print(post_comment(page=article, author=author, body=body).pk, flush=True)
    """
)


class Writer:
    """A `manage.py shell` posting comments one after another until told to stop;
    `written` holds the id of each comment once it is committed."""

    def __init__(self, env, stop_file, log_file):
        self.stop_file = stop_file
        self.written = []
        self.changed = threading.Condition()
        self.log = log_file.open("w")
        code = WRITER.format(reader=READER, stop=str(stop_file))
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            with self.changed:
                self.written.append(int(line))
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def wait_for(self, count: int) -> None:
        """Return once `count` comments are committed."""
        with self.changed:
            done = self.changed.wait_for(
                lambda: len(self.written) >= count or self.process.poll() is not None,
                timeout=TIMEOUT,
            )
            if len(self.written) < count:
                raise AssertionError(
                    f"the writer wrote {len(self.written)} comments, not {count} "
                    f"({'it ended' if done else 'timed out'}); see {self.log.name}"
                )

    def stop(self) -> None:
        self.stop_file.touch()
        try:
            self.process.wait(timeout=TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.log.close()


def comments(database) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(database)) as db:
        return db.execute(
            "SELECT id, thread_id, author_id, body, status FROM comments_comment "
            "ORDER BY id"
        ).fetchall()


def test_a_site_backed_up_under_writes_restores_as_of_one_moment(demo_build, tmp_path):
    live = copy_demo(demo_build, tmp_path / "live")
    env = embedded_env(NEWSROOM_DATA_DIR=str(live))
    writer = Writer(env, tmp_path / "stop", tmp_path / "writer.log")
    try:
        writer.wait_for(3)
        written_before = len(writer.written)
        backed_up = manage("backup", "--output", f"{tmp_path}/backups/", env=env)
        # Writes go on past the backup's end, so some must be missing from it.
        writer.wait_for(len(writer.written) + 3)
    finally:
        writer.stop()
    [archive] = (tmp_path / "backups").glob("newsroom-backup-*.tar.gz")
    assert "as of one moment" in backed_up.stdout
    assert f"Backup written: {archive}" in backed_up.stdout

    restored = tmp_path / "restored"
    result = manage(
        "restore", str(archive), env=embedded_env(NEWSROOM_DATA_DIR=str(restored))
    )
    assert "files match their checksums" in result.stdout
    assert f"Database restored to {restored / DATABASE_FILE}" in result.stdout

    # The restored comments are exactly the live ones up to a point: every comment
    # committed before the backup began, some of the writer's, none half written.
    live_comments = comments(live / DATABASE_FILE)
    restored_comments = comments(restored / DATABASE_FILE)
    ours = {comment[0] for comment in restored_comments} & set(writer.written)
    assert len(ours) >= written_before
    assert len(restored_comments) < len(live_comments)
    assert restored_comments == live_comments[: len(restored_comments)]
    with contextlib.closing(sqlite3.connect(restored / DATABASE_FILE)) as db:
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        miscounted = db.execute(
            """
            SELECT thread.id, thread.comment_count, count(comment.id)
            FROM comments_thread thread
            LEFT JOIN comments_comment comment
                ON comment.thread_id = thread.id AND comment.status = 'published'
            GROUP BY thread.id
            HAVING thread.comment_count != count(comment.id)
            """
        ).fetchall()
        assert miscounted == []
        assert db.execute("SELECT count(*) FROM news_newsrendition").fetchone() == (0,)
    with contextlib.closing(sqlite3.connect(live / DATABASE_FILE)) as db:
        assert db.execute("SELECT count(*) FROM news_newsrendition").fetchone() == (1,)

    # Every upload but the rendition, byte for byte, and the site's own key.
    uploads = files_in(live / "media")
    [rendition] = [name for name in uploads if name.startswith("images/")]
    del uploads[rendition]
    assert files_in(restored / "media") == uploads
    assert (restored / "secret_key").read_text() == (live / "secret_key").read_text()


def test_a_backup_is_never_written_where_the_site_serves_uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    with pytest.raises(CommandError, match="inside the media folder"):
        call_command(
            "backup", output=f"{tmp_path}/media/backups/", stdout=io.StringIO()
        )

    assert not (tmp_path / "media").exists()
