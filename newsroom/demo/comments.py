"""Demo discussions: the readers who comment, a heated thread and a very long one.

Rows are written directly rather than through posting.post_comment, which refuses a
reader's second comment within the site's rate-limit interval and would take minutes
for ten thousand comments. What posting guarantees still holds: segments come from
posting.build_segments, so every quoted passage is checked against its source's own
words, and every counter is set from the rows this step creates (Vote rows give the
up and down counts and the scores, Quote rows the replies, comments the thread's
counts), so counts and rows agree from the start.

A discussion is loaded once: when its article already has comments by the demo's
commenters, the step leaves it alone. The text is in discussion.py.
"""

import random
from collections import Counter
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from newsroom.accounts.models import Profile
from newsroom.accounts.names import skeleton
from newsroom.comments import posting, render, scoring, services
from newsroom.comments.models import Comment, Quote, Thread, Vote

SEED = 47  # the same demo on every machine
# Rows per INSERT in the long thread. A reply there quotes a comment from an earlier
# batch, whose id is known by then; the quote is checked against the stored source.
CROWD_BATCH = 1000
QUOTE_SHARE = 0.15  # of the long thread's comments, those quoting an earlier one
VOTED_SHARE = 0.4  # those with votes; about five votes each, skewed
EDITED_SHARE = 0.02
RECENT_QUOTES = 60  # replies mostly quote comments this many places back, or so


def load_commenters(network):
    """Readers who take part in the discussions: verified, without a password.

    Bulk-created, so their profiles (otherwise made by a post_save receiver) and
    verified addresses are created here too.
    """
    wanted = getattr(network.content, "COMMENTERS", ())
    if not wanted:
        return
    User = get_user_model()
    names = [name for name, _site in wanted]
    existing = set(
        User.objects.filter(username__in=names).values_list("username", flat=True)
    )
    missing = [(name, site) for name, site in wanted if name not in existing]
    for name in names:
        network.count("readers", name not in existing)
    if not missing:
        return
    with transaction.atomic():
        User.objects.bulk_create(
            User(
                username=name,
                email=_email(name),
                password=make_password(None),  # unusable: nobody signs in as them
                date_joined=network.now - timedelta(days=30 + 53 * index % 700),
            )
            for index, (name, _site) in enumerate(missing)
        )
        users = User.objects.in_bulk(
            [name for name, _site in missing], field_name="username"
        )
        taken = set(
            Profile.objects.filter(
                name_key__in=[skeleton(name) for name, _site in missing]
            ).values_list("name_key", flat=True)
        )
        profiles = []
        for name, site in missing:
            key = skeleton(name)
            # As services.sync_profile does for a name that folds onto another.
            key = f"{key}#{users[name].pk}" if key in taken else key
            profiles.append(
                Profile(user=users[name], name_key=key, joined_site=network.sites[site])
            )
        Profile.objects.bulk_create(profiles)
        EmailAddress.objects.bulk_create(
            EmailAddress(user=user, email=user.email, primary=True, verified=True)
            for user in users.values()
        )


def _email(name: str) -> str:
    return f"{slugify(name).replace('-', '.')}@readers.invalid"


def load_comments(network):
    """The heated thread and the long one, each under its article, loaded once."""
    loaders = [
        (getattr(network.content, "HEATED", None), _load_heated),
        (getattr(network.content, "CROWD", None), _load_crowd),
    ]
    loaders = [(spec, load) for spec, load in loaders if spec]
    if not loaders:
        return
    User = get_user_model()
    commenters = [name for name, _site in getattr(network.content, "COMMENTERS", ())]
    readers = [row[0] for row in getattr(network.content, "READERS", ())]
    ids = dict(
        User.objects.filter(username__in=commenters + readers).values_list(
            "username", "pk"
        )
    )
    for spec, load in loaders:
        article = _article(network, spec["headline"])
        thread = services.thread_for(article)
        loaded = Comment.objects.filter(
            thread=thread, author_id__in=[ids[name] for name in commenters]
        ).exists()
        if not loaded:
            with transaction.atomic():
                created = load(thread, spec, ids, commenters, network, article)
            network.created["comments"] = network.created.get("comments", 0) + created
        thread.refresh_from_db()
        network.discussions.append((thread.comment_count, article))


def _article(network, headline):
    for article in network.articles:
        if article.title == headline:
            return article
    raise LookupError(f"No demo article is titled {headline!r}")


def _scores(up: int, down: int) -> dict:
    return {
        "up_count": up,
        "down_count": down,
        "best_score": scoring.best_score(up, down),
        "controversy": scoring.controversy(up, down),
    }


def _votes(comment, up, down, voters, now, rng) -> list[Vote]:
    """`up` + `down` Vote rows on `comment` from distinct readers, after it appeared."""
    chosen = rng.sample(voters, up + down)
    window = min((now - comment.created_at).total_seconds(), 6 * 3600)
    return [
        Vote(
            comment_id=comment.pk,
            user_id=user_id,
            value=Vote.Value.UP if index < up else Vote.Value.DOWN,
            created_at=comment.created_at + timedelta(seconds=window * rng.random()),
        )
        for index, user_id in enumerate(chosen)
    ]


def _add_to_thread(thread, *, published: int, listed: int) -> None:
    Thread.objects.filter(pk=thread.pk).update(
        comment_count=F("comment_count") + published,
        listed_count=F("listed_count") + listed,
    )


def _quoted_keys(spec) -> set[str]:
    return {part[0] for part in spec["says"] if isinstance(part, tuple)}


def _load_heated(thread, spec, ids, commenters, network, article) -> int:
    """Comments one by one, as written; the deleted ones are taken back at the end.

    They are first stored published, because the replies written before their
    deletion quote them; a deleted comment's own quotes go with it (as in
    posting.delete_comment), so they count as nobody's reply.
    """
    rng = random.Random(SEED)
    written = spec["comments"]
    deleted = {c["key"] for c in written if c["deleted"]}
    replies = Counter(
        key for c in written if c["key"] not in deleted for key in _quoted_keys(c)
    )
    voters = list(ids.values())
    pks, quotes, votes = {}, [], []
    for c in written:
        body = "\n\n".join(
            part
            if isinstance(part, str)
            else f"[quote={pks[part[0]]}]\n{part[1]}\n[/quote]"
            for part in c["says"]
        )
        created_at = network.now - timedelta(minutes=c["minutes_ago"])
        comment = Comment.objects.create(
            thread=thread,
            author_id=ids[c["by"]],
            body=body,
            segments=posting.build_segments(body, thread),
            created_at=created_at,
            published_at=created_at,
            edited_at=created_at + timedelta(minutes=c["edited_after"])
            if c["edited_after"]
            else None,
            reply_count=replies[c["key"]],
            **_scores(*c["votes"]),
        )
        pks[c["key"]] = comment.pk
        if c["key"] not in deleted:
            quotes += [
                Quote(comment=comment, source_id=pks[k]) for k in _quoted_keys(c)
            ]
        others = [pk for pk in voters if pk != comment.author_id]
        votes += _votes(comment, *c["votes"], others, network.now, rng)
    Quote.objects.bulk_create(quotes)
    Vote.objects.bulk_create(votes)
    Comment.objects.filter(pk__in=[pks[key] for key in deleted]).update(
        status=Comment.Status.DELETED, body="", segments=[]
    )
    _add_to_thread(thread, published=len(written) - len(deleted), listed=len(written))
    return len(written)


def _load_crowd(thread, spec, ids, commenters, network, article) -> int:
    """Plan every comment first (so reply counts are known), then insert in batches."""
    rng = random.Random(SEED)
    authors = [ids[name] for name in commenters]
    start = article.first_published_at + timedelta(minutes=3)
    end = max(network.now - timedelta(minutes=2), start)
    plan = _plan_crowd(spec, authors, start, end, rng)
    pks = []
    for first in range(0, len(plan), CROWD_BATCH):
        batch = plan[first : first + CROWD_BATCH]
        rows = [_crowd_comment(thread, item, pks, network.now) for item in batch]
        pks += [comment.pk for comment in Comment.objects.bulk_create(rows)]
        Quote.objects.bulk_create(
            Quote(comment_id=comment.pk, source_id=pks[item["quote"][0]])
            for comment, item in zip(rows, batch, strict=True)
            if item["quote"]
        )
        votes = []
        for comment, item in zip(rows, batch, strict=True):
            others = [pk for pk in authors if pk != item["author"]]
            votes += _votes(comment, *item["votes"], others, network.now, rng)
        Vote.objects.bulk_create(votes)
    _add_to_thread(thread, published=len(plan), listed=len(plan))
    return len(plan)


def _crowd_comment(thread, item, pks, now) -> Comment:
    own = "\n\n".join(item["paragraphs"])
    if item["quote"]:
        source, passage = item["quote"]
        body = f"[quote={pks[source]}]\n{passage}\n[/quote]\n\n{own}"
        segments = posting.build_segments(body, thread)
    else:
        # What build_segments returns for a body without quotes, without the cost
        # of its (empty) lookup of quoted comments, ten thousand times over.
        body = own
        segments = [{"text": {"raw": own, "html": render.text_to_html(own)}}]
    edited_at = None
    if item["edited_after"]:
        edited_at = min(
            item["created_at"] + timedelta(minutes=item["edited_after"]), now
        )
    return Comment(
        thread=thread,
        author_id=item["author"],
        body=body,
        segments=segments,
        created_at=item["created_at"],
        published_at=item["created_at"],
        edited_at=edited_at,
        reply_count=item["replies"],
        **_scores(*item["votes"]),
    )


def _plan_crowd(spec, authors, start, end, rng) -> list[dict]:
    """What each comment says, who wrote it and when, its votes and its replies."""
    span = (end - start).total_seconds()
    # Most comments come in the first hours after the story, then it quietens.
    times = sorted(
        start + timedelta(seconds=span * rng.random() ** 1.6)
        for _ in range(spec["count"])
    )
    # A few regulars write much of a long thread.
    regulars = rng.sample(authors, len(authors))
    weights = [1 / (rank + 1) ** 0.7 for rank in range(len(regulars))]
    plan = []
    for index, created_at in enumerate(times):
        author = rng.choices(regulars, weights)[0]
        quote, (parts, paragraphs) = None, _own_words(spec, rng)
        earlier = index - index % CROWD_BATCH  # comments stored before this batch
        if earlier and rng.random() < QUOTE_SHARE:
            source = max(0, earlier - 1 - int(rng.expovariate(1 / RECENT_QUOTES)))
            if plan[source]["author"] != author:
                quote = (source, rng.choice(plan[source]["parts"]))
                parts = [rng.choice(spec["reply_leads"])]
                if rng.random() < 0.7:
                    parts.append(rng.choice(spec["observations"]))
                paragraphs = [" ".join(parts)]
                plan[source]["replies"] += 1
        plan.append(
            {
                "author": author,
                "created_at": created_at,
                "parts": parts,  # the sentences others may quote
                "paragraphs": paragraphs,
                "quote": quote,
                "replies": 0,
                "votes": _crowd_votes(rng, len(authors) - 1),
                "edited_after": rng.randint(1, 9)
                if rng.random() < EDITED_SHARE
                else None,
            }
        )
    return plan


def _own_words(spec, rng) -> tuple[list[str], list[str]]:
    """Its parts (perhaps an opener, observations, perhaps a closer) and paragraphs."""
    parts = [rng.choice(spec["openers"])] if rng.random() < 0.5 else []
    parts += rng.sample(spec["observations"], 1 if rng.random() < 0.7 else 2)
    if rng.random() < 0.35:
        parts.append(rng.choice(spec["closers"]))
        if rng.random() < 0.5:  # the closer on a line of its own
            return parts, [" ".join(parts[:-1]), parts[-1]]
    return parts, [" ".join(parts)]


def _crowd_votes(rng, most: int) -> tuple[int, int]:
    if rng.random() >= VOTED_SHARE:
        return 0, 0
    total = min(most, 1 + int(rng.expovariate(1 / 5)))
    lean = rng.choice((0.9, 0.75, 0.5, 0.25))  # liked, mostly liked, split, disliked
    up = sum(rng.random() < lean for _ in range(total))
    return up, total - up
