import hashlib
import re

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from newsroom.formats.display import time_element, vote_label

from .. import links, posting, render, selectors
from ..views import NOTICE_TAG

register = template.Library()

# A reader's public history: a page a reader scrolls in one go, and excerpts long
# enough to recognise a comment by, short enough to scan the list.
EXCERPT_LENGTH = 300


@register.filter
def comment_time(value) -> str:
    """`<time datetime="2026-12-06T21:53:00Z" data-relative>Dec 7 2026 06:53 am
    JST</time>`, which times.js shows as `Today 06:53 am JST`, `Yesterday 11:40 pm
    JST` or the date, on the reader's day: the page holds no day, so it may be kept."""
    return time_element(value, relative=True)


@register.filter
def vote_summary(comment) -> str:
    """`-3 ( +3 / -6 )`: net, then up and down."""
    return vote_label(comment.up_count, comment.down_count)


@register.filter
def placeholder(comment) -> str:
    """What the thread shows in place of a deleted or removed comment."""
    return selectors.placeholder(comment) or ""


@register.filter
def deletable_by(comment, user) -> bool:
    """Whether `user` may delete `comment` (posting.can_delete)."""
    return posting.can_delete(comment, user)


@register.filter
def editable_by(comment, user) -> bool:
    """Whether `user` may still edit `comment`: the service's own rule, with its
    edit window (only the author's own comments cost a look at the rules)."""
    return posting.can_edit(comment, user)


@register.filter
def comment_notices(messages) -> list[dict]:
    """The notices about a comment just posted or edited (views.tell_removals),
    each with the comment's id, from the request's messages."""
    notices = []
    for message in messages or ():
        tags = message.extra_tags.split() if message.extra_tags else []
        if NOTICE_TAG not in tags:
            continue
        ids = [
            tag.rsplit("-", 1)[1] for tag in tags if tag.startswith(NOTICE_TAG + "-")
        ]
        notices.append({"text": str(message), "comment_id": ids[0] if ids else ""})
    return notices


FRAGMENT_SECONDS = 60 * 60
# A line break and the indentation after it: the template's layout, not the page's
# (comment text holds no line breaks of its own: paragraphs are <p> elements).
_LAYOUT = re.compile(r"\n\s+")


def squeeze(html: str) -> str:
    """Drop the template's indentation and blank lines: a third of a thread's bytes."""
    return _LAYOUT.sub("\n", html)


def _fragment_key(comment, id_prefix: str) -> str:
    """A comment's HTML as anonymous readers see it changes with these, and only
    these (its times are absolute, in the current zone: times.js says "Today")."""
    author = comment.author.get_username() if comment.author_id else ""
    state = "|".join(
        str(part)
        for part in (
            comment.status,
            comment.edited_at,
            comment.up_count,
            comment.down_count,
            comment.reply_count,
            comment.picked_at,
            comment.removal_reason,
            comment.author_id,
            author,
            id_prefix,
            timezone.get_current_timezone_name(),
        )
    )
    digest = hashlib.blake2b(state.encode(), digest_size=10).hexdigest()
    return f"comments:html:{comment.pk}:{digest}"


@register.simple_tag(takes_context=True)
def comment_list(context, comments, d, id_prefix=""):
    """A page of comments. Anonymous readers' pages are a join of each comment's
    HTML, rendered once per version of the comment (its state is in the key) and
    kept in the cache, so a page costs one cache read rather than a render per
    comment; a signed-in reader's page (without JavaScript) is rendered for them."""
    template = get_template("comments/includes/comment.html").template
    extra = {"my_votes": d.get("my_votes"), "now": d.get("now"), "id_prefix": id_prefix}

    def render_one(comment) -> str:
        with context.push(comment=comment, **extra):
            return squeeze(template.render(context))

    user = context.get("user")
    if user is not None and user.is_authenticated:
        return mark_safe("".join(render_one(c) for c in comments))  # noqa: S308
    keys = {comment.pk: _fragment_key(comment, id_prefix) for comment in comments}
    found = cache.get_many(list(keys.values()))
    missing = {}
    parts = []
    for comment in comments:
        html = found.get(keys[comment.pk])
        if html is None:
            html = missing[keys[comment.pk]] = render_one(comment)
        parts.append(html)
    if missing:
        cache.set_many(missing, FRAGMENT_SECONDS)
    return mark_safe("".join(parts))  # noqa: S308 - rendered by our template


@register.filter
def my_vote(my_votes, comment) -> dict[str, bool]:
    """The reader's vote on `comment` as its buttons show it (selectors.vote_flags)."""
    return selectors.vote_flags((my_votes or {}).get(comment.pk, 0))


@register.filter
def excerpt(comment) -> str:
    """The author's own words (quotes left out) as plain text, cut near 300
    characters; autoescaped where it is shown."""
    text = " ".join(render.own_words(comment.segments).split())
    return Truncator(text).chars(EXCERPT_LENGTH)


@register.simple_tag(takes_context=True)
def comment_links(context):
    """The links other apps add to a comment's foot (comments.links)."""
    engine = context.template.engine
    html = [engine.get_template(name).render(context) for name in links.registered()]
    return mark_safe("".join(html))  # noqa: S308  (templates' own output)
