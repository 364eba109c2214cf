"""Display names: what a reader may be called, and when two names are the same name.

Two names collide when their *skeletons* match. The skeleton folds case, Unicode
compatibility forms (fullwidth, mathematical letters), invisible characters, the
separators readers use for spacing, and look-alike characters from Unicode's
confusables table (Cyrillic `а` for Latin `a`, `0` for `o`, `1` for `l`), so that
`Blacklabel`, `BlackLabel`, `Blаcklabel` and `B1ack label` are one name.
"""

import functools
import json
import unicodedata
from importlib import resources

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

MIN_LENGTH = 3
MAX_LENGTH = 30
SEPARATORS = frozenset(" _-.'")


@functools.cache
def _prototypes() -> dict[str, str]:
    """Map each confusable character to the ASCII letter or digit it imitates."""
    table = json.loads(
        resources.files("confusable_homoglyphs")
        .joinpath("confusables.json")
        .read_text()
    )
    folded = {}
    for char, lookalikes in table.items():
        if len(char) != 1 or ("a" <= char <= "z"):
            continue  # lower-case ASCII letters are the prototypes themselves
        for lookalike in lookalikes:
            candidate = lookalike["c"].strip("\u200e")
            if len(candidate) == 1 and candidate.isascii() and candidate.isalnum():
                folded[char] = candidate.casefold()
                break
    return folded


def lookalikes() -> dict[str, str]:
    """The confusables table: character -> the ASCII letter or digit it imitates."""
    return _prototypes()


def skeleton(name: str) -> str:
    """The key under which display names must be unique."""
    text = unicodedata.normalize("NFKC", name).casefold()
    prototypes = _prototypes()
    letters = []
    for char in text:
        if char in SEPARATORS or unicodedata.category(char) in {"Cf", "Cc", "Zs"}:
            continue
        char = prototypes.get(char, char)
        # A prototype may itself be a look-alike digit (`О` -> `0` -> `o`).
        letters.append(prototypes.get(char, char))
    return "".join(letters)


def validate_visible_characters(value: str) -> None:
    """Refuse control, zero-width and direction-changing characters outright."""
    for char in value:
        if unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"}:
            raise ValidationError(
                _(
                    "Display names can't contain invisible or control characters "
                    "(found U+%(code)04X)."
                ),
                code="invisible",
                params={"code": ord(char)},
            )


def validate_shape(value: str) -> None:
    if value != value.strip():
        raise ValidationError(
            _("Display names can't start or end with a space."), code="spaces"
        )
    if "  " in value:
        raise ValidationError(
            _("Use single spaces between words in a display name."), code="spaces"
        )
    for char in value:
        if not (
            char.isalnum() or char in SEPARATORS or unicodedata.category(char)[0] == "M"
        ):
            raise ValidationError(
                _(
                    "Display names may use letters, digits, spaces and the "
                    "characters _ - . ' only (not “%(char)s”)."
                ),
                code="characters",
                params={"char": char},
            )
    if not any(char.isalnum() for char in value):
        raise ValidationError(
            _("A display name needs at least one letter or digit."), code="letters"
        )
    if len(skeleton(value)) < 2:
        raise ValidationError(
            _("That display name is too short once spacing is ignored."),
            code="short",
        )


DISPLAY_NAME_VALIDATORS = [
    MaxLengthValidator(
        MAX_LENGTH,
        message=_(
            "Display names are at most %(limit_value)d characters "
            "(this one has %(show_value)d)."
        ),
    ),
    validate_visible_characters,
    validate_shape,
]


def available_name(wanted: str, fallback: str = "Reader") -> str:
    """A display name close to `wanted` that keeps the rules and is nobody's yet
    (for accounts made on someone's behalf, such as an imported archive's authors):
    other characters become spaces, it is cut to length, and `Name 2`, `Name 3`…
    are tried until no name folds onto it."""
    from django.contrib.auth import get_user_model

    from .models import Profile

    kept = "".join(
        char
        if char.isalnum() or char in SEPARATORS or unicodedata.category(char)[0] == "M"
        else " "
        for char in unicodedata.normalize("NFC", wanted or "")
        if unicodedata.category(char) not in {"Cc", "Cf", "Cs", "Co", "Cn"}
    )
    base = " ".join(kept.split())[: MAX_LENGTH - 6].strip()
    if len(skeleton(base)) < 2 or not any(char.isalnum() for char in base):
        base = fallback
    elif len(base) < MIN_LENGTH:
        base = f"{fallback} {base}"
    users = get_user_model().objects
    candidate, number = base, 1
    # The skeleton folds case too, so these two exact lookups use their indexes.
    while (
        Profile.objects.filter(name_key=skeleton(candidate)).exists()
        or users.filter(username=candidate).exists()
    ):
        number += 1
        candidate = f"{base} {number}"
    return candidate


# Impersonation: names that could pass for the newsroom's own voice.

# Staff roles readers might take for the newsroom speaking. Plurals are listed
# because "Moderators" reads as the team itself.
STAFF_WORDS = (
    "moderator",
    "moderators",
    "moderation",
    "mod",
    "mods",
    "admin",
    "admins",
    "administrator",
    "administrators",
    "administration",
    "editor",
    "editors",
    "editorial",
    "staff",
    "official",
    "officials",
    "support",
    "sysop",
    "webmaster",
)
# Look-alikes the confusables table leaves apart, folded only when comparing with
# reserved words: `1`, `I` and `l` all fold to `l` there, and `i` is taken for them
# too here (`Adm1n`); digits readers use for letters (`3d1tor`); letter pairs that
# read as one letter in most fonts (`rn` as `m`, `vv` as `w`).
READ_ALIKE_PAIRS = (("rn", "m"), ("vv", "w"))
READ_ALIKE_LETTERS = str.maketrans({"l": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
# Reserved words shorter than this are ignored: a two-letter hostname label (`tv`)
# would refuse every name with that syllable.
MIN_RESERVED_LENGTH = 3


def reserved_key(word: str) -> str:
    """How a word compares with the reserved words: its skeleton, read-alikes folded."""
    key = skeleton(word)
    for pair, letter in READ_ALIKE_PAIRS:
        key = key.replace(pair, letter)
    return key.translate(READ_ALIKE_LETTERS)


def _words(name: str) -> list[tuple[int, int]]:
    """Where each word of a name starts and ends: words are split at the separators
    and where a lower-case letter meets a capital (`TheModerator`)."""
    spans, start = [], None
    for index, char in enumerate(name):
        if char in SEPARATORS or unicodedata.category(char) in {"Zs", "Cc", "Cf"}:
            if start is not None:
                spans.append((start, index))
            start = None
            continue
        if start is not None and char.isupper() and name[index - 1].islower():
            spans.append((start, index))
            start = index
        elif start is None:
            start = index
    if start is not None:
        spans.append((start, len(name)))
    return spans


def _variants(word: str) -> set[str]:
    """A word's reserved keys: as written, and without the digits around it
    (`Admin2`, `Editor2025`), which readers add to a taken name."""
    keys = {reserved_key(word)}
    bare = word.strip("0123456789")
    if bare:
        keys.add(reserved_key(bare))
    return keys


def impersonates(name: str, reserved) -> str | None:
    """The part of `name` that is, or looks like, a reserved word or phrase; None
    when there is none.

    Matching is by whole words: a run of one or more consecutive words of the name,
    read together, must be a reserved entry, or one word must be reserved entries
    written together (so `The_Moderator`, `Ledger Editor`, `Adm1n`, `Mod erator`,
    `TokyoLedger` and `ledgereditor` match, while `Editha` and `Staffordshire Sam`
    do not). An entry of several words (`Tokyo Ledger`) is read without its spaces,
    as the name is.
    """
    wanted = {
        key
        for entry in reserved
        if len(key := reserved_key(entry)) >= MIN_RESERVED_LENGTH
    }
    if not wanted:
        return None
    text = unicodedata.normalize("NFKC", name)
    spans = _words(text)
    longest = max(map(len, wanted))
    for first in range(len(spans)):
        run = ""
        for last in range(first, len(spans)):
            start, end = spans[last]
            word = text[start:end]
            if first == last and any(_made_of(key, wanted) for key in _variants(word)):
                return word
            run += reserved_key(word)
            if run in wanted:
                return text[spans[first][0] : end]
            if len(run) > longest:
                break
    return None


def _made_of(key: str, wanted: set[str]) -> bool:
    """Whether `key` is reserved entries written together (`ledgereditor`,
    `adminsupport`): one entry is the usual case."""
    if key in wanted:
        return True
    ends = {0}  # where a run of whole entries can end
    for end in range(1, len(key) + 1):
        if any(key[start:end] in wanted for start in ends if start < end):
            ends.add(end)
    return len(key) in ends


def entries(text: str) -> list[str]:
    """The words and phrases of a list editors type one per line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
