"""Importing a Disqus or WordPress export's discussions (`run`).

The file is read into a staging database and checked whole before anything is
written (sources.py). Then thread by thread, in one transaction each: the thread is
matched to a page (matching.py) or, when asked, given an archive stub; its comments
are added oldest first with their own times and authors; a blockquote that repeats
an earlier comment of the thread becomes a quote of it, attributed and linked, as
if it had been written here. Every comment brought in is recorded under its id in
the export (models.ImportedComment), so the same file adds nothing a second time and
an interrupted run continues with the first thread it had not finished.
"""

import datetime
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.models import Site

from newsroom.accounts.names import available_name
from newsroom.comments import history, render
from newsroom.comments.models import Comment
from newsroom.comments.pages import is_commentable
from newsroom.comments.services import close_discussion, thread_for
from newsroom.news.models import ArticleAuthor, ArticlePage, Author, SectionPage

from . import markup, sources
from .matching import Matcher
from .models import ImportedAuthor, ImportedComment, ImportedThread

BATCH = 500  # comments stored per statement
UNMATCHED_LISTED = 200  # the report names this many unmatched threads, then counts
PROGRESS_SECONDS = 0.5  # how often progress is reported, at most


@dataclass
class Report:
    source: str = ""
    threads: int = 0
    matched: int = 0
    stubs: int = 0
    unmatched: list = field(default_factory=list)
    unmatched_count: int = 0
    comments: int = 0
    imported: int = 0
    already: int = 0
    pending: int = 0
    spam: int = 0
    deleted_dropped: int = 0
    deleted_kept: int = 0
    not_placed: int = 0  # comments of unmatched threads
    not_comments: int = 0  # pingbacks and trackbacks
    left_out: list = field(default_factory=list)  # (comment id, why), the first ones
    authors_existing: int = 0
    authors_new: int = 0
    authors_anonymous: int = 0
    closed: int = 0  # discussions closed where they were, closed here too
    quotes: int = 0
    excerpts: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    def lines(self) -> list[str]:
        verb = "would be" if self.dry_run else "were"
        lines = [
            f"{self.source}: {self.threads:,} threads, {self.comments:,} comments.",
            f"Threads matched to articles: {self.matched:,}; archive stubs "
            f"{'to make' if self.dry_run else 'made'}: {self.stubs:,}; unmatched: "
            f"{self.unmatched_count:,}.",
            f"Comments that {verb} imported: {self.imported:,} (of them awaiting "
            f"review: {self.pending:,}; kept as deletion placeholders: "
            f"{self.deleted_kept:,}); imported before: {self.already:,}.",
            f"Left out: spam {self.spam:,}; deleted without replies "
            f"{self.deleted_dropped:,}; in unmatched threads {self.not_placed:,}; "
            f"pingbacks and trackbacks {self.not_comments:,}.",
            f"Authors: existing accounts {self.authors_existing:,}; new imported "
            f"profiles {self.authors_new:,}; anonymous {self.authors_anonymous:,}.",
            f"Quotes recognised: {self.quotes:,}; quote blocks of other text: "
            f"{self.excerpts:,}.",
            f"Discussions closed where they were, closed here too: {self.closed:,}.",
        ]
        if self.left_out:
            lines.append("Comments left out (id: why):")
            lines += [f"  {key}: {why}" for key, why in self.left_out]
            left = self.spam + self.deleted_dropped + self.not_comments
            if left > len(self.left_out):
                lines.append(f"  … and {left - len(self.left_out):,} more.")
        if self.unmatched:
            lines.append(
                "Threads matching no article, their comments not imported "
                "(id, address, comments):"
            )
            lines += [f"  {key}  {link or '-'}  {n}" for key, link, n in self.unmatched]
            if self.unmatched_count > len(self.unmatched):
                lines.append(
                    f"  … and {self.unmatched_count - len(self.unmatched):,} more."
                )
        return lines


class Progress:
    """Counts work done and reports it (to a terminal bar, a job row) at most a few
    times a second."""

    def __init__(self, report: Callable | None):
        self.report = report
        self.started = time.monotonic()
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int, force=False) -> None:
        now = time.monotonic()
        if self.report and (force or now - self.last >= PROGRESS_SECONDS):
            self.last = now
            self.report(stage, done, total, now - self.started)


def run(
    path: Path,
    site: Site,
    *,
    hostnames=(),
    id_map: Path | None = None,
    stubs_section: SectionPage | None = None,
    dry_run: bool = False,
    progress: Callable | None = None,
) -> Report:
    """Import the export at `path` into `site`; returns what was (or, with
    `dry_run`, would be) done. Raises sources.ImportFileError for a file it
    refuses, before writing anything."""
    tick = Progress(progress)
    with tempfile.TemporaryDirectory(prefix="newsroom-import-") as workdir:
        staging = sources.Staging(Path(workdir) / "staging.sqlite3")
        try:
            source = sources.read(
                path, staging, lambda done, total: tick("read", done, total)
            )
            sources.check(staging)
            return _Import(
                source,
                staging,
                site,
                Matcher(site, hostnames, id_map),
                stubs_section,
                dry_run,
                tick,
            ).run()
        finally:
            staging.close()


class _Import:
    def __init__(self, source, staging, site, matcher, stubs_section, dry_run, tick):
        self.source, self.staging, self.site = source, staging, site
        self.matcher, self.stubs_section = matcher, stubs_section
        self.dry_run, self.tick = dry_run, tick
        self.report = Report(source=str(source.label), dry_run=dry_run)
        self.replied_to = staging.replied_to()
        self.authors: dict[tuple, object] = {}  # (email or name) → user, this run
        self.done = 0

    def run(self) -> Report:
        report = self.report
        report.threads = self.staging.count("SELECT count(*) FROM threads")
        report.comments = self.staging.count("SELECT count(*) FROM posts")
        for key, why in self.staging.skipped():
            report.not_comments += 1
            self._left_out(key, why)
        for thread in self.staging.threads():
            self._thread(thread)
            self.tick("import", self.done, report.comments)
        self.tick("import", self.done, report.comments, force=True)
        return report

    def _left_out(self, key: str, why: str) -> None:
        if len(self.report.left_out) < UNMATCHED_LISTED:
            self.report.left_out.append((key, why))

    # Threads ----------------------------------------------------------------------

    def _thread(self, thread: sources.Thread) -> None:
        posts = self.staging.count(
            "SELECT count(*) FROM posts WHERE thread = ?", thread.key
        )
        page, stub = self._page_for(thread)
        if page is None:
            self.report.unmatched_count += 1
            self.report.not_placed += posts
            self.done += posts
            if len(self.report.unmatched) < UNMATCHED_LISTED:
                self.report.unmatched.append((thread.key, thread.link, posts))
            return
        self.report.matched += not stub
        self.report.stubs += stub
        self.report.closed += thread.closed
        if self.dry_run:
            self._comments(thread, page, None)
            return
        with transaction.atomic():
            if stub and page.pk is None:
                page = self._make_stub(thread, page)
            ImportedThread.objects.get_or_create(
                source=self.source,
                source_id=thread.key,
                defaults={"page": page, "created_page": stub},
            )
            discussion = thread_for(page)
            self._comments(thread, page, discussion)
            history.recount(discussion)
            if thread.closed:
                close_discussion(page)

    def _page_for(self, thread) -> tuple:
        """(page, whether it is an archive stub); the stub unsaved when new."""
        known = (
            ImportedThread.objects.filter(source=self.source, source_id=thread.key)
            .select_related("page")
            .first()
        )
        if known:
            return known.page.specific, known.created_page
        page = self.matcher.page_for(thread)
        if page is not None and is_commentable(page):
            return page, False
        if page is None and self.stubs_section is not None and thread.title:
            return ArticlePage(title=thread.title[:255]), True
        return None, False

    def _make_stub(self, thread, page: ArticlePage) -> ArticlePage:
        """An archive article for a thread whose article is not here: WordPress
        exports carry the post; a Disqus thread only its title and address."""
        section = self._section_for(thread)
        body = markup.blocks(thread.body)
        text = [words for kind, words in body if kind == "text"]
        summary = " ".join((markup.blocks(thread.excerpt) or [("", "")])[0][1].split())
        page.standfirst = (summary or (text[0] if text else thread.title))[:400]
        page.body = [
            ("paragraph", markup.to_html([(kind, words)]))
            for kind, words in body
            if kind == "text"
        ] or [("paragraph", f"<p>{escape(thread.title)}</p>")]
        page.slug = find_available_slug(
            section, (thread.slug or slugify(thread.title))[:240] or "story"
        )
        created = _when(thread.created) if thread.created else None
        page.first_published_at = created
        if thread.author:
            name = self.staging.writer(thread.author)[:120]  # dc:creator is a login
            author, _ = Author.objects.get_or_create(name=name)  # save() picks a slug
            page.article_authors = [ArticleAuthor(author=author)]
        section.add_child(instance=page)
        page.save_revision().publish()
        if created:
            ArticlePage.objects.filter(pk=page.pk).update(
                first_published_at=created, last_published_at=created
            )
        return page

    def _section_for(self, thread) -> SectionPage:
        home = self.site.root_page
        for category in thread.categories:
            slug = category.get("slug") or slugify(category.get("name", ""))
            found = (
                SectionPage.objects.child_of(home).filter(slug=slug).first()
                if slug
                else None
            )
            if found:
                return found
        return self.stubs_section

    # Comments ---------------------------------------------------------------------

    def _comments(self, thread, page, discussion) -> None:
        report = self.report
        known = dict(
            ImportedComment.objects.filter(
                source=self.source, thread_id=thread.key
            ).values_list("source_id", "comment_id")
        )
        earlier = _Earlier(known)
        batch = _Batch(discussion, thread.key)
        for post in self.staging.posts_of(thread.key):
            self.done += 1
            if post.spam:
                report.spam += 1
                self._left_out(post.key, "marked as spam")
                continue
            if post.deleted and post.key not in self.replied_to:
                report.deleted_dropped += 1
                self._left_out(post.key, "deleted, and nobody replied to it")
                continue
            if post.key in known:
                report.already += 1
                continue
            self._comment(post, batch, earlier)
            if len(batch.comments) >= BATCH:
                batch.store(self.source)
                self.tick("import", self.done, report.comments)
        batch.store(self.source)

    def _comment(self, post, batch: "_Batch", earlier: "_Earlier") -> None:
        report = self.report
        author = self._author(post)
        if post.deleted:
            status, segments = Comment.Status.DELETED, []
            report.deleted_kept += 1
        else:
            status = (
                Comment.Status.PENDING if post.pending else Comment.Status.PUBLISHED
            )
            report.pending += post.pending
            segments = self._segments(post, earlier, batch)
        report.imported += 1
        when = _when(post.created) if post.created else None
        comment = batch.add(post, author, segments, when, status)
        earlier.add(post.key, comment, author, when, segments, status)

    def _segments(self, post, earlier: "_Earlier", batch: "_Batch") -> list[dict]:
        segments = []
        for kind, text in markup.blocks(post.message):
            if kind == "text":
                segments.append(
                    {"text": {"raw": text, "html": render.text_to_html(text)}}
                )
                continue
            source = earlier.quoted(text, prefer=post.parent)
            if source is None:
                self.report.excerpts += 1
                segments.append(
                    {"excerpt": {"raw": text, "html": render.text_to_html(text)}}
                )
                continue
            self.report.quotes += 1
            author = source.author
            named = isinstance(author, get_user_model())
            quote = {
                "id": source.pk,
                "author": author.get_username() if named else str(author),
                "author_id": author.pk if named else None,
                "at": source.at.isoformat() if source.at else "",
                "raw": text,
                "html": render.text_to_html(text),
            }
            if quote["id"] is None:  # quotes a comment of the batch, not yet stored
                batch.later(quote, source)
            segments.append({"quote": quote})
        if not segments:  # an empty comment keeps its place, as said
            segments.append({"text": {"raw": "", "html": ""}})
        return segments

    # Authors ----------------------------------------------------------------------

    def _author(self, post):
        """The account the comment is attached to: the reader who owns the email
        address, else an imported profile (made once per address, or per name for
        anonymous authors). In a dry run, a name stands in for a new profile."""
        email = post.author_email.strip().lower()
        anonymous = post.anonymous or not email
        name = post.author_name.strip() or "Guest"
        key = ("anonymous", name) if anonymous else ("email", email)
        if key in self.authors:
            return self.authors[key]
        if len(self.authors) > 50_000:  # keep memory flat on huge exports
            self.authors.clear()
        user = None
        if not anonymous:
            # Exact matches (allauth stores addresses in lower case), so the
            # lookup is one index probe however many readers there are.
            address = (
                EmailAddress.objects.filter(
                    email__in={email, post.author_email.strip()}, verified=True
                )
                .select_related("user")
                .first()
            )
            if address:
                user = address.user
                self.report.authors_existing += 1
            else:
                imported = ImportedAuthor.objects.filter(email=email).first()
                user = imported.user if imported else None
        else:
            imported = ImportedAuthor.objects.filter(
                email="", original_name=name[:255]
            ).first()
            user = imported.user if imported else None
        if user is None:
            if anonymous:
                self.report.authors_anonymous += 1
            else:
                self.report.authors_new += 1
            user = name if self.dry_run else _imported_author(name, email)
        self.authors[key] = user
        return user


class _Batch:
    """Comments of one thread waiting to be stored together (none in a dry run)."""

    def __init__(self, discussion, thread_key: str):
        self.discussion, self.thread_key = discussion, thread_key
        self.comments: list[Comment] = []
        self.origins: list[tuple[str, str]] = []  # (source id, source parent id)
        # (a quote, the _Earlier.Seen it quotes, the quoting comment's place)
        self.unresolved: list[tuple[dict, object, int]] = []

    def add(self, post, author, segments, when, status) -> Comment | None:
        if self.discussion is None:
            return None
        comment = history.new_comment(
            self.discussion,
            author=author if isinstance(author, get_user_model()) else None,
            segments=segments,
            created_at=when or self.discussion.created_at,
            status=status,
        )
        self.comments.append(comment)
        self.origins.append((post.key, post.parent))
        return comment

    def later(self, quote: dict, source) -> None:
        """`quote` names a comment of this batch: its id comes once it is stored."""
        self.unresolved.append((quote, source, len(self.comments)))

    def store(self, source: str) -> None:
        if not self.comments:
            return
        history.add_comments(self.comments, resolve=self._resolve)
        history.insert(
            ImportedComment,
            [
                ImportedComment(
                    source=source,
                    source_id=key,
                    thread_id=self.thread_key,
                    comment=comment,
                    parent_id=parent,
                )
                for comment, (key, parent) in zip(
                    self.comments, self.origins, strict=True
                )
            ],
        )
        self.comments, self.origins, self.unresolved = [], [], []

    def _resolve(self) -> list[Comment]:
        changed = []
        for quote, source, position in self.unresolved:
            quote["id"] = source.pk
            changed.append(self.comments[position])
        return list({id(c): c for c in changed}.values())


class _Earlier:
    """The comments of the thread so far, to find what a blockquote quotes."""

    @dataclass
    class Seen:
        key: str
        comment: object  # the Comment (its id once stored); None in a dry run
        author: object
        at: datetime.datetime | None
        words: str

        @property
        def pk(self):
            if self.comment is None:
                return f"dry-{self.key}"
            return self.comment.pk

    def __init__(self, known: dict):
        self.by_key: dict[str, _Earlier.Seen] = {}
        if known:  # a resumed thread: what it already holds
            rows = Comment.objects.filter(pk__in=known.values()).select_related(
                "author"
            )
            comments = {row.pk: row for row in rows}
            for key, pk in known.items():
                row = comments.get(pk)
                if row and row.status == Comment.Status.PUBLISHED:
                    self.by_key[key] = self.Seen(
                        key,
                        row,
                        row.author or "deleted user",
                        row.created_at,
                        render.squash(render.own_words(row.segments)),
                    )

    def add(self, key, comment, author, at, segments, status) -> None:
        if status == Comment.Status.PUBLISHED:
            words = render.squash(render.own_words(segments))
            self.by_key[key] = self.Seen(key, comment, author, at, words)

    def quoted(self, passage: str, prefer: str = ""):
        """The comment whose own words hold `passage`: the one replied to if it
        does, else the latest that does; None when none does."""
        wanted = render.squash(passage)
        if not wanted:
            return None
        preferred = self.by_key.get(prefer)
        if preferred and wanted in preferred.words:
            return preferred
        for seen in reversed(self.by_key.values()):
            if wanted in seen.words:
                return seen
        return None


def _imported_author(name: str, email: str):
    user = get_user_model()(username=available_name(name))
    user.set_unusable_password()
    user.save()
    ImportedAuthor.objects.create(user=user, email=email, original_name=name[:255])
    return user


def _when(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)
