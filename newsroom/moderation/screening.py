"""The chain every new or edited comment passes before it is saved.

Rules run in this order; the first rejection stops the chain:

1. slow mode on the article (new comments only): refused until the wait is over;
2. repeat posting: the same text on any article within the window is refused;
3. banned words: refused, naming the word;
4. links: too many, or to a blocked domain: held;
5. suspect words: held;
6. offensive language (the local classifier): the author is asked to reconsider;
   a comment posted anyway is held, with its score recorded;
7. pre-moderation (site, article, reader, or new commenters): held.
"""

import datetime
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from newsroom.comments.signals import CONFIRM, HOLD, PUBLISH, REJECT, Verdict

from . import selectors, toxicity, words
from .models import ArticleRules, ModerationSettings

LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|"
    r"biz|io|co|ru|cn|xyz|top|me|ly|gl|us|uk|jp|de|fr|tk|online|site|shop|app)\b"
    r"(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)


def squash(text: str) -> str:
    return " ".join(text.split()).casefold()


def links_in(text: str) -> list[str]:
    """The domains of the links in a text, as written (one per link)."""
    domains = []
    for match in LINK.finditer(text):
        url = match.group(0)
        if not url.lower().startswith(("http://", "https://")):
            url = "http://" + url
        domains.append((urlsplit(url).hostname or "").lower().rstrip("."))
    return domains


def blocked(domain: str, entries: list[str]) -> str:
    for entry in entries:
        entry = entry.lower().strip().lstrip(".")
        entry = urlsplit(entry if "//" in entry else "//" + entry).hostname or entry
        if domain == entry or domain.endswith("." + entry):
            return entry
    return ""


@dataclass(frozen=True)
class Context:
    """What the rules read besides the comment, fetched once per screening."""

    rules: ModerationSettings
    article: ArticleRules
    now: datetime.datetime


def run(submission, rules: ModerationSettings, now=None) -> list[Verdict]:
    context = Context(
        rules=rules,
        article=selectors.article_rules(submission.page),
        now=now or timezone.now(),
    )
    verdicts = []
    for rule in CHAIN:
        found = rule(submission, context)
        if not found:
            continue
        verdicts.append(found)
        if found.action == REJECT:
            break
    return verdicts


def slow_mode(submission, context):
    now = context.now
    if submission.comment is not None:
        return None
    seconds = context.article.slow_mode_seconds
    if not seconds:
        return None
    last = selectors.last_comment_at(submission.author, submission.thread)
    if last is None:
        return None
    wait = seconds - (now - last).total_seconds()
    if wait <= 0:
        return None
    wait = int(wait) + 1
    return Verdict(
        REJECT,
        "slow mode",
        _(
            "This discussion is in slow mode: each reader may comment once every "
            "%(every)s. Please wait %(wait)s."
        )
        % {"every": _duration(seconds), "wait": _duration(wait)},
    )


def repeat_posting(submission, context):
    rules, now = context.rules, context.now
    if not rules.repeat_window_minutes:
        return None
    since = now - datetime.timedelta(minutes=rules.repeat_window_minutes)
    mine = squash(submission.body)
    for pk, body in selectors.recent_bodies(submission.author, since):
        if submission.comment is not None and pk == submission.comment.pk:
            continue
        if squash(body) == mine:
            return Verdict(
                REJECT,
                "repeat posting",
                _(
                    "You posted this same comment a short while ago. Please write "
                    "something new for this discussion."
                ),
            )
    return None


def banned_words(submission, context):
    rules = context.rules
    found = words.find(rules.lines(rules.banned_words), submission.text)
    if not found:
        return None
    return Verdict(
        REJECT,
        "banned word",
        _(
            "Your comment contains language that is not allowed here (“%(word)s”). "
            "Please rephrase it."
        )
        % {"word": found},
    )


def links(submission, context):
    rules = context.rules
    domains = links_in(submission.text)
    entries = rules.lines(rules.blocked_domains)
    for domain in domains:
        entry = blocked(domain, entries)
        if entry:
            return Verdict(HOLD, "blocked domain", _("Links to %(d)s") % {"d": entry})
    if len(domains) > rules.max_links:
        return Verdict(
            HOLD,
            "links",
            ngettext("%(n)d link", "%(n)d links", len(domains)) % {"n": len(domains)},
        )
    return None


def suspect_words(submission, context):
    rules = context.rules
    found = words.find(rules.lines(rules.suspect_words), submission.text)
    if found:
        return Verdict(HOLD, "suspect word", found)
    return None


def offensive_language(submission, context):
    rules = context.rules
    if not rules.toxicity_check:
        return None
    score = toxicity.score(submission.text)
    if score < rules.toxicity_threshold:
        return Verdict(PUBLISH, "offensive language", "", score)
    if not submission.confirmed:
        return Verdict(
            CONFIRM,
            "offensive language",
            _(
                "Your comment may read as offensive to other readers. You can edit it "
                "before posting, or post it as it is: then a moderator reads it "
                "before it appears."
            ),
            score,
        )
    return Verdict(HOLD, "offensive language", f"score {score:.2f}", score)


def premoderation(submission, context):
    rules = context.rules
    author = submission.author
    site = submission.thread.site
    if rules.premoderation == ModerationSettings.Premoderation.ALL:
        return Verdict(HOLD, "pre-moderation", _("Every comment on this site"))
    if context.article.premoderate:
        return Verdict(HOLD, "pre-moderation", _("Every comment on this article"))
    if selectors.reader_premoderated(author, site):
        return Verdict(HOLD, "pre-moderation", _("This reader's comments"))
    if rules.premoderation == ModerationSettings.Premoderation.NEW:
        approved = selectors.approved_count(author)
        if approved < rules.new_commenter_approvals:
            return Verdict(
                HOLD,
                "new commenter",
                _("%(n)d of %(needed)d approved comments")
                % {"n": approved, "needed": rules.new_commenter_approvals},
            )
    return None


CHAIN = [
    slow_mode,
    repeat_posting,
    banned_words,
    links,
    suspect_words,
    offensive_language,
    premoderation,
]


def _duration(seconds: int) -> str:
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = -(-seconds // 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
