"""Demo moderation: the desk's moderator, and a morning's work on the heated thread.

The moderator is a member of the Moderators group with a verified address and no
other rights: the group's admin-access permission is what lets them into /cms/.

On the heated thread (discussion.HEATED) three more readers post through
`posting.post_comment`, readers report through `moderation.services.report_comment`
and the moderator decides through `moderation.decisions` and `moderation.sanctions`,
so screening records, reports, the queue, the thread's counts and the log agree as
they would after real use:

- a sneering comment is reported by as many readers as the site's threshold, so it
  is hidden and waits in the queue's "Awaiting review" tab;
- two of the original comments have one report each ("Reported" tab);
- an advertisement trips a suspect phrase set in the Ledger's moderation rules and
  is held before anyone sees it ("Awaiting review");
- a remark aimed at another reader is removed with the "Personal attack" reason
  (the thread shows the reason in its place; "Recently removed" tab), and its
  author is suspended for seven days (they see the banner when signed in).

The hidden, held and removed comments are new ones, none of them published now,
so the thread still counts the 47 comments it was written with (and lists one more
place: the removal notice). Everything is loaded once: when the thread has comments
by these readers, the step leaves it. A network without the heated thread (the
tests' own) gets none of this, not even the moderator.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from newsroom.accounts import services as account_services
from newsroom.comments import posting
from newsroom.comments import services as comments
from newsroom.comments.models import Comment
from newsroom.moderation import decisions, sanctions
from newsroom.moderation import services as moderation
from newsroom.moderation.models import (
    MODERATORS_GROUP,
    LogEntry,
    ModerationSettings,
    RemovalReason,
    Report,
    Sanction,
)

MODERATOR = ("Desk Moderator", "desk.moderator@newsroom.invalid", "newsroom-moderator")
SUSPENSION_DAYS = 7
# Set in the Ledger's moderation rules: a comment containing it is held for review.
SUSPECT_PHRASE = "guaranteed returns"

# (display name, password or None): the suspended reader may sign in, to see the
# banner; the password is the one content.READERS use.
ROUGH_READERS = [
    ("Port Side Pundit", None),
    ("Brine and Thunder", "newsroom-reader"),
    ("Container Deals 24", None),
]
SNEER = (
    "Half the people in this thread have clearly never seen a container ship "
    "outside a documentary. Maybe read the article before lecturing everyone, "
    "geniuses."
)
JAB = (
    "TEU Counter, do you ever stop posting? Every comment of yours is the same "
    "lecture with different numbers. Find a hobby that isn't boxes."
)
ADVERT = (
    "Fed up with freight surcharges? Our members lock in guaranteed returns on "
    "container futures every month, whatever the ministers decide. Message me for "
    "the details."
)
# (author, text, minutes before the demo was loaded)
POSTS = {
    "jab": ("Brine and Thunder", JAB, 170),
    "sneer": ("Port Side Pundit", SNEER, 125),
    "advert": ("Container Deals 24", ADVERT, 20),
}
# Reports on the sneering comment, one per reader up to the site's threshold (3
# unless an editor changed it; the last two are spares for a higher one).
SNEER_REPORTS = [
    ("Island Voice", Report.Reason.ABUSE, "Talks down to everyone in the thread."),
    ("Midori W", Report.Reason.OFF_TOPIC, ""),
    (
        "JJE",
        Report.Reason.OTHER,
        "Nothing about the levy, just sneering at other readers.",
    ),
    ("Compass Rose", Report.Reason.ABUSE, ""),
    ("Bluewater", Report.Reason.ABUSE, ""),
]
# Single reports on two of the original comments, found by their first words.
OTHER_REPORTS = [
    ("Ships are big. Sea is wet.", "Mizuho K", Report.Reason.OFF_TOPIC, ""),
    (
        "Who actually pays?",
        "Freight Forward",
        Report.Reason.MISINFORMATION,
        "The article puts the levy at a few dollars a container; shoppers would "
        "barely see it.",
    ),
]
JAB_REPORT = (
    "Compass Rose",
    Report.Reason.ABUSE,
    "Goes after another reader by name instead of the argument.",
)
REMOVAL_REASON = "Personal attack"
SUSPENSION_REASON = (
    "Personal remarks about another reader in the Port Allard levy discussion. "
    "You are welcome back after the suspension: argue with the points, not the "
    "people."
)


def load_moderator(network):
    """The desk's moderator: Moderators group, verified address, not a superuser."""
    if not getattr(network.content, "HEATED", None):
        return
    name, email, password = MODERATOR
    User = get_user_model()
    user = User.objects.filter(username=name).first()
    network.count("staff accounts", user is None)
    if user is None:
        user = User(
            username=name, email=email, first_name="Desk", last_name="Moderator"
        )
        user.set_password(password)
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    network.sign_ins.append(("Moderator", name, password, "/cms/"))


def load_moderation(network):
    """Reports, a held comment, a removal and a suspension on the heated thread."""
    spec = getattr(network.content, "HEATED", None)
    if not spec:
        return
    article = next(a for a in network.articles if a.title == spec["headline"])
    readers = _rough_readers(network, network.sites[spec["site"]])
    thread = comments.thread_for(article)
    loaded = Comment.objects.filter(thread=thread, author__in=readers.values()).exists()
    if not loaded:
        before = (Report.objects.count(), LogEntry.objects.count())
        with transaction.atomic():
            _moderate(network, article, readers)
        made = {
            "comments": len(POSTS),
            "reports": Report.objects.count() - before[0],
            "moderation log entries": LogEntry.objects.count() - before[1],
        }
        for what, n in made.items():
            network.created[what] = network.created.get(what, 0) + n
    for name, password in ROUGH_READERS:
        if password:
            network.sign_ins.append(("suspended", name, password, "/accounts/login/"))


def _rough_readers(network, site) -> dict:
    """The three readers who give the moderator work: verified, on the Ledger."""
    User = get_user_model()
    readers = {}
    for name, password in ROUGH_READERS:
        user = User.objects.filter(username=name).first()
        network.count("readers", user is None)
        if user is None:
            email = f"{name.lower().replace(' ', '.')}@readers.invalid"
            user = User(username=name, email=email)
            user.set_password(password)  # None: unusable, nobody signs in as them
            user.save()
            EmailAddress.objects.create(
                user=user, email=email, primary=True, verified=True
            )
            account_services.record_joined_site(user, site)
        readers[name] = user
    return readers


def _moderate(network, article, readers) -> None:
    """Post, report and decide as readers and the moderator would."""
    User = get_user_model()
    moderator = User.objects.get(username=MODERATOR[0])
    site = article.get_site()
    rules = ModerationSettings.for_site(site)
    if SUSPECT_PHRASE not in rules.lines(rules.suspect_words):
        rules.suspect_words = "\n".join(
            [*rules.lines(rules.suspect_words), SUSPECT_PHRASE]
        )
        rules.save(update_fields=["suspect_words"])
    posted = {
        key: posting.post_comment(
            page=article,
            author=readers[author],
            body=text,
            now=network.now - timedelta(minutes=minutes_ago),
        )
        for key, (author, text, minutes_ago) in POSTS.items()
    }
    people = {u.username: u for u in User.objects.filter(username__in=_reporters())}
    for name, reason, note in SNEER_REPORTS[: rules.report_threshold]:
        moderation.report_comment(
            posted["sneer"], reporter=people[name], reason=reason, note=note
        )
    thread_comments = Comment.objects.filter(thread=posted["sneer"].thread)
    for first_words, name, reason, note in OTHER_REPORTS:
        target = thread_comments.get(body__startswith=first_words)
        moderation.report_comment(
            target, reporter=people[name], reason=reason, note=note
        )
    name, reason, note = JAB_REPORT
    moderation.report_comment(
        posted["jab"], reporter=people[name], reason=reason, note=note
    )
    decisions.remove_comment(
        posted["jab"],
        moderator=moderator,
        reason_id=RemovalReason.objects.get(title=REMOVAL_REASON).pk,
    )
    sanctions.sanction_reader(
        posted["jab"].author,
        moderator=moderator,
        kind=Sanction.Kind.SUSPEND,
        reason=SUSPENSION_REASON,
        days=SUSPENSION_DAYS,
        comment=posted["jab"],
    )


def _reporters() -> set[str]:
    return (
        {row[0] for row in SNEER_REPORTS}
        | {row[1] for row in OTHER_REPORTS}
        | {JAB_REPORT[0]}
    )
