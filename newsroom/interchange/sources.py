"""Reading Disqus and WordPress (WXR) exports: one pass over the file, streamed.

The XML is fed in chunks to a parser that refuses a DTD outright (so no entity can
expand and no external file or address is fetched), and each thread and comment is
written, as soon as it is read, to a staging database on disk (`Staging`, SQLite). So
memory stays flat however large the export; the checks that need the whole file
(every parent present, no loops) and the import itself then read the staging tables
in the order they need.
"""

import datetime
import email.utils
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from .models import Source

CHUNK_BYTES = 1 << 16
# The most text one element may hold: a comment or a post far larger than any real
# one is refused rather than held in memory.
MAX_FIELD_CHARS = 2_000_000

DISQUS_IDS = "{http://disqus.com/disqus-internals}id"


class ImportFileError(Exception):
    """The file cannot be imported; the message says where and why."""


@dataclass
class Post:
    key: str
    thread: str
    line: int
    parent: str = ""
    created: str = ""
    message: str = ""
    deleted: bool = False
    spam: bool = False
    pending: bool = False
    author_name: str = ""
    author_email: str = ""
    anonymous: bool = False
    skip: bool = False  # a pingback or trackback, not a reader's comment


@dataclass
class Thread:
    key: str
    line: int
    identifier: str = ""
    link: str = ""
    title: str = ""
    created: str = ""
    author: str = ""
    body: str = ""
    excerpt: str = ""
    slug: str = ""
    closed: bool = False
    categories: list = field(default_factory=list)


class Staging:
    """The export's threads and comments in a SQLite file, indexed for the checks
    and the import."""

    def __init__(self, path: Path):
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.executescript(
            """
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE IF NOT EXISTS threads (
                key TEXT PRIMARY KEY, line INT, identifier TEXT, link TEXT,
                title TEXT, created TEXT, author TEXT, body TEXT, excerpt TEXT,
                slug TEXT, closed INT, categories TEXT);
            CREATE TABLE IF NOT EXISTS posts (
                seq INTEGER PRIMARY KEY, key TEXT, thread TEXT, line INT,
                parent TEXT, created TEXT, message TEXT, deleted INT, spam INT,
                pending INT, author_name TEXT, author_email TEXT, anonymous INT,
                level INT);
            CREATE TABLE IF NOT EXISTS facts (name TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS skipped (key TEXT, line INT, reason TEXT);
            CREATE TABLE IF NOT EXISTS writers (login TEXT PRIMARY KEY, name TEXT);
            """
        )

    def add_thread(self, thread: Thread) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO threads VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                thread.key,
                thread.line,
                thread.identifier,
                thread.link,
                thread.title,
                thread.created,
                thread.author,
                thread.body,
                thread.excerpt,
                thread.slug,
                thread.closed,
                json.dumps(thread.categories),
            ),
        )

    def add_post(self, post: Post) -> None:
        self.db.execute(
            "INSERT INTO posts (key, thread, line, parent, created, message, deleted,"
            " spam, pending, author_name, author_email, anonymous)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                post.key,
                post.thread,
                post.line,
                post.parent,
                post.created,
                post.message,
                post.deleted,
                post.spam,
                post.pending,
                post.author_name,
                post.author_email,
                post.anonymous,
            ),
        )

    def skip(self, key: str, line: int, reason: str) -> None:
        """Something in the file that is not a reader's comment, for the report."""
        self.db.execute("INSERT INTO skipped VALUES (?, ?, ?)", (key, line, reason))

    def skipped(self):
        yield from self.db.execute("SELECT key, reason FROM skipped ORDER BY line")

    def add_writer(self, login: str, name: str) -> None:
        """A WordPress author: posts name their login, readers see the name."""
        self.db.execute("INSERT OR REPLACE INTO writers VALUES (?, ?)", (login, name))

    def writer(self, login: str) -> str:
        found = self.db.execute("SELECT name FROM writers WHERE login = ?", (login,))
        row = found.fetchone()
        return row[0] if row and row[0] else login

    def set_fact(self, name: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO facts VALUES (?, ?)", (name, value))

    def fact(self, name: str) -> str:
        row = self.db.execute("SELECT value FROM facts WHERE name = ?", (name,))
        found = row.fetchone()
        return found[0] if found else ""

    def finish_reading(self) -> None:
        self.db.executescript(
            """
            CREATE INDEX IF NOT EXISTS posts_key ON posts (key);
            CREATE INDEX IF NOT EXISTS posts_parent ON posts (parent, level);
            CREATE INDEX IF NOT EXISTS posts_thread ON posts (thread, created, seq);
            """
        )
        self.db.commit()

    def count(self, sql: str, *args) -> int:
        return self.db.execute(sql, args).fetchone()[0]

    def threads(self):
        columns = "key, line, identifier, link, title, created, author, body, excerpt"
        for row in self.db.execute(
            f"SELECT {columns}, slug, closed, categories FROM threads"  # noqa: S608
            " ORDER BY line"
        ):
            yield Thread(
                *row[:-2], closed=bool(row[-2]), categories=json.loads(row[-1])
            )

    def posts_of(self, thread_key: str):
        """The thread's comments, oldest first (file order among equal times)."""
        for row in self.db.execute(
            "SELECT key, thread, line, parent, created, message, deleted, spam,"
            " pending, author_name, author_email, anonymous FROM posts"
            " WHERE thread = ? ORDER BY created, seq",
            (thread_key,),
        ):
            yield Post(
                *row[:6], *(bool(v) for v in row[6:9]), *row[9:11], bool(row[11])
            )

    def replied_to(self) -> set[str]:
        """Keys of the comments that have replies (small: one per conversation)."""
        return {
            key
            for (key,) in self.db.execute(
                "SELECT DISTINCT parent FROM posts WHERE parent != ''"
            )
        }

    def close(self) -> None:
        self.db.close()


# Reading ------------------------------------------------------------------------


def read(path: Path, staging: Staging, progress: Callable | None = None) -> str:
    """Stream the export at `path` into `staging`; returns its Source. Raises
    ImportFileError naming the line for anything that is not a well-formed,
    DTD-free Disqus or WXR document."""
    target = _Target(staging)
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    target.parser = parser
    size = path.stat().st_size
    read_bytes = 0
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK_BYTES):
                parser.feed(chunk)
                read_bytes += len(chunk)
                if progress:
                    progress(read_bytes, size)
            parser.close()
    except ParseError as error:
        line, column = error.position
        raise ImportFileError(_parse_message(error, line, column)) from None
    except DefusedXmlException:
        raise ImportFileError(
            f"Line {parser.parser.CurrentLineNumber}: the file declares a document "
            "type (DTD). Disqus and WordPress exports have none, and Newsroom does "
            "not read one: it could expand entities without end or fetch other "
            "files. Export the file again from the service."
        ) from None
    except UnicodeError as error:
        raise ImportFileError(
            f"Line {parser.parser.CurrentLineNumber}: the text is not in the "
            f"encoding the file declares ({error})."
        ) from None
    if target.source is None:
        raise ImportFileError(
            "This is not a Disqus or WordPress export: its first element is "
            f"<{target.root or 'nothing'}>, not <disqus> or <rss>."
        )
    staging.set_fact("source", target.source)
    staging.finish_reading()
    return target.source


def _parse_message(error, line, column) -> str:
    reason = str(error).split(":", 1)[0]
    hint = ""
    if "invalid token" in reason or "encoding" in reason:
        hint = " Is the file in the encoding it declares (UTF-8 if none)?"
    if "no element found" in reason:
        hint = " The file ends before its last element is closed; is it complete?"
    return (
        f"The file is not well-formed XML: {reason} at line {line}, "
        f"column {column + 1}.{hint}"
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class _Target:
    """Parser target: turns elements into Thread and Post records as they close."""

    def __init__(self, staging: Staging):
        self.staging = staging
        self.parser = None
        self.stack: list[str] = []  # tags of the open elements
        self.text: list[str] = []
        self.text_size = 0
        self.source: str | None = None
        self.root = ""
        self.thread: Thread | None = None
        self.post: Post | None = None
        self.category: dict | None = None
        self.writer: dict | None = None  # a channel's <wp:author>, while read
        self.wxr_thread_posts = 0

    @property
    def line(self) -> int:
        return self.parser.parser.CurrentLineNumber

    # Callbacks ------------------------------------------------------------------

    def start(self, tag, attrib):
        depth = len(self.stack)
        self.stack.append(tag)
        self.text, self.text_size = [], 0
        name = _local(tag)
        if depth == 0:
            self.root = name
            if name == "disqus":
                self.source = Source.DISQUS
            elif name == "rss":
                self.source = Source.WXR
            return
        if self.source == Source.DISQUS:
            self._disqus_start(depth, name, attrib)
        elif self.source == Source.WXR:
            self._wxr_start(depth, name, attrib)

    def data(self, text):
        self.text_size += len(text)
        if self.text_size > MAX_FIELD_CHARS:
            raise ImportFileError(
                f"Line {self.line}: <{_local(self.stack[-1])}> holds more than "
                f"{MAX_FIELD_CHARS:,} characters, far more than any comment or "
                "post; the file is damaged or not a real export."
            )
        self.text.append(text)

    def end(self, tag):
        self.stack.pop()
        depth = len(self.stack)
        value = "".join(self.text).strip()
        self.text, self.text_size = [], 0
        name = _local(tag)
        if self.source == Source.DISQUS:
            self._disqus_end(depth, name, value)
        elif self.source == Source.WXR:
            self._wxr_end(depth, name, tag, value)

    def close(self):
        return None

    # Disqus: <disqus><thread dsq:id>…</thread><post dsq:id>…</post></disqus> --------

    def _disqus_start(self, depth, name, attrib):
        if depth == 1 and name == "thread":
            self.thread = Thread(key=self._id(attrib, "thread"), line=self.line)
        elif depth == 1 and name == "post":
            self.post = Post(key=self._id(attrib, "post"), thread="", line=self.line)
        elif depth == 2 and self.post is not None and name == "thread":
            self.post.thread = self._id(attrib, f"post {self.post.key}'s thread")
        elif depth == 2 and self.post is not None and name == "parent":
            self.post.parent = self._id(attrib, f"post {self.post.key}'s parent")

    def _id(self, attrib, what) -> str:
        value = (attrib.get(DISQUS_IDS) or "").strip()
        if not value:
            raise ImportFileError(f"Line {self.line}: a {what} has no dsq:id.")
        return value

    def _disqus_end(self, depth, name, value):
        if depth == 1 and name == "thread" and self.thread is not None:
            self.staging.add_thread(self.thread)
            self.thread = None
        elif depth == 1 and name == "post" and self.post is not None:
            if not self.post.thread:
                raise ImportFileError(
                    f"Line {self.post.line}: post {self.post.key} names no thread."
                )
            self.staging.add_post(self.post)
            self.post = None
        elif self.thread is not None and depth == 2:
            if name == "id":
                self.thread.identifier = value
            elif name == "link":
                self.thread.link = value
            elif name == "title":
                self.thread.title = value
            elif name == "createdAt":
                self.thread.created = _iso(value, self.line, "thread")
            elif name == "message":
                self.thread.body = value
            elif name == "isClosed":
                self.thread.closed = value == "true"
        elif self.post is not None and depth == 2:
            if name == "message":
                self.post.message = value
            elif name == "createdAt":
                self.post.created = _iso(value, self.line, f"post {self.post.key}")
            elif name == "isDeleted":
                self.post.deleted = value == "true"
            elif name == "isSpam":
                self.post.spam = value == "true"
        elif self.post is not None and depth == 3 and self.stack[-1].endswith("author"):
            if name == "name":
                self.post.author_name = value
            elif name == "email":
                self.post.author_email = value
            elif name == "isAnonymous":
                self.post.anonymous = value == "true"
            elif name == "username" and not self.post.author_name:
                self.post.author_name = value

    # WXR: <rss><channel><item>…<wp:comment>…</wp:comment></item></channel></rss> ----

    def _wxr_start(self, depth, name, attrib):
        if depth == 2 and name == "author":
            self.writer = {}
        elif depth == 2 and name == "item":
            self.thread = Thread(key="", line=self.line)
            self.thread_type = "post"
            self.wxr_thread_posts = 0
        elif depth == 3 and self.thread is not None and name == "comment":
            self.post = Post(key="", thread="", line=self.line)
        elif depth == 3 and self.thread is not None and name == "category":
            self.category = dict(attrib)

    def _wxr_end(self, depth, name, tag, value):
        thread, post = self.thread, self.post
        if depth == 3 and self.writer is not None:
            self.writer[name] = value
        elif depth == 2 and name == "author" and self.writer is not None:
            login = self.writer.get("author_login", "")
            if login:
                self.staging.add_writer(
                    login, self.writer.get("author_display_name", "")
                )
            self.writer = None
        elif depth == 2 and name == "item" and thread is not None:
            if not thread.key and self.wxr_thread_posts:
                raise ImportFileError(
                    f"Line {thread.line}: an item with comments has no wp:post_id."
                )
            if self.thread_type not in {"attachment", "nav_menu_item"}:
                if thread.key and self.wxr_thread_posts:
                    self.staging.add_thread(thread)
            self.thread = None
        elif depth == 3 and name == "comment" and post is not None:
            self.post = None
            if post.skip:
                self.staging.skip(post.key, post.line, "a pingback or trackback")
                return
            if not post.key:
                raise ImportFileError(
                    f"Line {post.line}: a wp:comment has no wp:comment_id."
                )
            post.thread = thread.key
            if not thread.key:
                raise ImportFileError(
                    f"Line {post.line}: comment {post.key} is in an item without "
                    "wp:post_id (it must come before the comments)."
                )
            self.staging.add_post(post)
            self.wxr_thread_posts += 1
        elif depth == 4 and post is not None:
            self._wxr_comment_field(post, name, value)
        elif depth == 3 and thread is not None:
            self._wxr_item_field(thread, name, tag, value)

    def _wxr_item_field(self, thread, name, tag, value):
        if name == "post_id":
            thread.key = value
        elif name == "title":
            thread.title = value
        elif name == "link":
            thread.link = value
        elif name == "guid" and not thread.identifier:
            thread.identifier = value
        elif name == "creator":
            thread.author = value
        elif name == "encoded":
            if "excerpt" in tag:
                thread.excerpt = value
            else:
                thread.body = value
        elif name == "post_name":
            thread.slug = value
        elif name == "post_date_gmt" and not value.startswith("0000"):
            thread.created = _iso(value, self.line, f"item {thread.key}")
        elif name == "post_date" and not thread.created:
            thread.created = _iso(value, self.line, f"item {thread.key}")
        elif name == "post_type":
            self.thread_type = value
        elif name == "comment_status":
            thread.closed = value == "closed"
        elif name == "category" and self.category is not None:
            if self.category.get("domain", "category") == "category":
                thread.categories.append(
                    {"slug": self.category.get("nicename", ""), "name": value}
                )
            self.category = None

    def _wxr_comment_field(self, post, name, value):
        if name == "comment_id":
            post.key = value
        elif name == "comment_author":
            post.author_name = value
        elif name == "comment_author_email":
            post.author_email = value
        elif name == "comment_date_gmt" and not value.startswith("0000"):
            post.created = _iso(value, self.line, f"comment {post.key}")
        elif name == "comment_date" and not post.created:
            post.created = _iso(value, self.line, f"comment {post.key}")
        elif name == "comment_content":
            post.message = value
        elif name == "comment_parent":
            post.parent = "" if value in {"", "0"} else value
        elif name == "comment_approved":
            post.spam = value == "spam"
            post.deleted = value == "trash"
            post.pending = value == "0"
        elif name == "comment_type" and value in {"pingback", "trackback"}:
            post.skip = True


def _iso(value: str, line: int, what: str) -> str:
    """A source date as an ISO 8601 UTC string (sortable as text)."""
    value = value.strip()
    try:
        if "T" in value or " " in value and value[:4].isdigit():
            when = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        else:
            when = email.utils.parsedate_to_datetime(value)
    except (ValueError, TypeError):
        raise ImportFileError(
            f"Line {line}: {what} has a date Newsroom cannot read: {value[:40]!r}."
        ) from None
    if when.tzinfo is None:  # WordPress's *_gmt fields, and Disqus without Z
        when = when.replace(tzinfo=datetime.UTC)
    return when.astimezone(datetime.UTC).isoformat()


# Checks that need the whole file -----------------------------------------------


def check(staging: Staging) -> None:
    """Refuse a file whose comments name threads or parents it does not hold, repeat
    an id, or reply to each other in a loop; nothing is written before this."""
    db = staging.db
    row = db.execute(
        "SELECT p.key, p.line FROM posts p JOIN posts q ON q.key = p.key"
        " AND q.seq < p.seq LIMIT 1"
    ).fetchone()
    if row:
        raise ImportFileError(f"Line {row[1]}: comment {row[0]} appears twice.")
    row = db.execute(
        "SELECT p.key, p.line, p.thread FROM posts p LEFT JOIN threads t"
        " ON t.key = p.thread WHERE t.key IS NULL LIMIT 1"
    ).fetchone()
    if row:
        raise ImportFileError(
            f"Line {row[1]}: comment {row[0]} belongs to thread {row[2]}, which is "
            "not in the file."
        )
    row = db.execute(
        "SELECT p.key, p.line, p.parent FROM posts p WHERE p.parent != ''"
        " AND NOT EXISTS (SELECT 1 FROM posts q WHERE q.key = p.parent) LIMIT 1"
    ).fetchone()
    if row:
        raise ImportFileError(
            f"Line {row[1]}: comment {row[0]} replies to comment {row[2]}, which is "
            "not in the file."
        )
    row = db.execute(
        "SELECT p.key, p.line, p.parent FROM posts p JOIN posts q ON q.key = p.parent"
        " WHERE q.thread != p.thread LIMIT 1"
    ).fetchone()
    if row:
        raise ImportFileError(
            f"Line {row[1]}: comment {row[0]} replies to comment {row[2]} of "
            "another thread."
        )
    # Give each comment its depth, level by level from those that reply to none:
    # whatever is left without one replies, through its parents, to itself.
    db.execute("UPDATE posts SET level = 0 WHERE parent = ''")
    level = 0
    while db.execute(
        "UPDATE posts SET level = ? WHERE level IS NULL AND parent IN"
        " (SELECT key FROM posts WHERE level = ?)",
        (level + 1, level),
    ).rowcount:
        level += 1
    row = db.execute(
        "SELECT key, line, parent FROM posts WHERE level IS NULL ORDER BY seq LIMIT 1"
    ).fetchone()
    if row:
        raise ImportFileError(
            f"Line {row[1]}: comment {row[0]} replies to {row[2]}, which leads back "
            f"to {row[0]} through its parents: replies cannot form a loop."
        )
    db.commit()
