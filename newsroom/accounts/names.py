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
