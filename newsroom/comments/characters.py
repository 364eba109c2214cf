"""What a comment's text may hold, and what its author is told when it can't.

Readers paste from everywhere, and pasted text carries characters nobody sees.
Nothing is removed without saying so. Each kind of character gets one treatment:

- Direction overrides and isolates (U+202A–U+202E, U+2066–U+2069): the comment is
  refused. They reorder what follows, so the text reads differently from what it
  says (`txt.exe` shown for `exe.txt`); taking them out would change what the
  author saw.
- Invisible characters (zero-width space U+200B, word joiner, BOM, soft hyphen,
  the direction marks U+200E/U+200F, Hangul fillers, tags): taken out, and the
  author told. They come stray from pasting, the text reads the same without them,
  and they hide words from the moderators' word lists.
- Control characters (NUL, BEL, ESC, form feed): taken out, and told. Never meant
  as text; line breaks and tabs are kept.
- Characters with no agreed meaning (private use, unassigned, lone surrogates):
  taken out, and told. Each reader's device would show something else, or nothing.
- Combining marks past `MAX_MARKS` on one character ("Zalgo" text): the excess
  taken out, and told. A few marks are how many scripts are written; dozens only
  draw over the lines around them.

Kept although invisible: zero-width joiners and non-joiners between emoji or between
letters of scripts that need them (Arabic, Persian, Indic scripts: U+200D makes 👩‍👩‍👧
one family), variation selectors (the emoji presentation of ❤️), and a flag's tag
sequence after U+1F3F4 (🏴󠁧󠁢󠁳󠁣󠁴󠁿).
"""

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Marks allowed on one character: enough for Vietnamese (two), most Indic clusters
# and Hebrew with points; stacks beyond it are decoration drawn over other lines.
MAX_MARKS = 3
# How many different characters a message names before "and N more kinds".
NAMED = 3

DIRECTIONAL = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
JOINERS = frozenset("\u200c\u200d")
# Letters that render as blank space, used to make a name or a comment look empty.
FILLERS = frozenset("\u115f\u1160\u3164\uffa0")
# Scripts whose letters never need a joiner between them: a joiner there only
# splits a word for the eye and the word lists.
JOINERLESS_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "DIGIT", "FULLWIDTH")
FLAG_TAGS = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
# Control characters' names (unicodedata has none for them).
CONTROL_NAMES = {
    "\x00": "null",
    "\x07": "bell",
    "\x08": "backspace",
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\x1b": "escape",
    "\x7f": "delete",
}
INVISIBLE, CONTROL, MEANINGLESS = "invisible", "control", "meaningless"


@dataclass
class Cleaned:
    """A text with what was taken out of it, by kind, and the direction controls
    found in it (taken out too: see `refusal`)."""

    text: str
    removed: dict[str, Counter] = field(default_factory=dict)
    marks: int = 0
    directional: Counter = field(default_factory=Counter)
    # The line before the first direction control, to say where it is.
    before_directional: str = ""

    def notices(self) -> list[str]:
        """What the author is told about the removals, one sentence per kind."""
        found = [
            _notice(kind, self.removed[kind])
            for kind in (INVISIBLE, CONTROL, MEANINGLESS)
            if self.removed.get(kind)
        ]
        if self.marks:
            found.append(
                ngettext(
                    "We removed %(count)d accent mark from your comment: at most "
                    "%(limit)d may sit on one character, so that text stays readable.",
                    "We removed %(count)d accent marks from your comment: at most "
                    "%(limit)d may sit on one character, so that text stays readable.",
                    self.marks,
                )
                % {"count": self.marks, "limit": MAX_MARKS}
            )
        return found

    def refusal(self) -> str:
        """Why the text is refused (direction controls), or "" when it is not."""
        if not self.directional:
            return ""
        count = sum(self.directional.values())
        before = self.before_directional.strip()
        place = (
            _("the first one after “%(text)s”") % {"text": before[-20:]}
            if before
            else _("the first one at the start of a line")
        )
        return ngettext(
            "Your comment contains %(count)d character that changes the direction "
            "text is shown in (%(names)s; %(place)s). It can make a comment read "
            "differently from what it says, so comments can't contain it: delete it "
            "and post again.",
            "Your comment contains %(count)d characters that change the direction "
            "text is shown in (%(names)s; %(place)s). They can make a comment read "
            "differently from what it says, so comments can't contain them: delete "
            "them and post again.",
            count,
        ) % {"count": count, "names": _names(self.directional), "place": place}


def clean(text: str) -> Cleaned:
    """Take out what a comment may not hold (see the table above); normalise line
    ends and drop spaces at the ends of lines, which change nothing a reader sees."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    result = Cleaned(text="")
    kept: list[str] = []
    marks_here = 0
    kept_tags = _flag_tags(text)
    for index, char in enumerate(text):
        kind = _kind(char, text, index, kept_tags)
        if kind == "directional":
            if not result.directional:
                result.before_directional = "".join(kept).split("\n")[-1]
            result.directional[char] += 1
            continue
        if kind:
            result.removed.setdefault(kind, Counter())[char] += 1
            continue
        if _is_mark(char):
            marks_here += 1
            if marks_here > MAX_MARKS:
                result.marks += 1
                continue
        elif char not in JOINERS:  # a kept joiner continues its cluster
            marks_here = 0
        kept.append(char)
    lines = "".join(kept).split("\n")
    result.text = "\n".join(line.rstrip() for line in lines).strip("\n")
    return result


def _kind(char: str, text: str, index: int, kept_tags: set[int]) -> str:
    """Which removal `char` falls under at `index`, or "" to keep it."""
    if char in "\n\t":
        return ""
    if char in DIRECTIONAL:
        return "directional"
    category = unicodedata.category(char)
    if category == "Cc":
        return CONTROL
    if category in {"Co", "Cn", "Cs"}:
        return MEANINGLESS
    if char in FILLERS:
        return INVISIBLE
    if category == "Cf":
        if char in JOINERS and _joins(text, index):
            return ""
        if index in kept_tags:
            return ""
        return INVISIBLE
    return ""


def _is_mark(char: str) -> bool:
    # Nonspacing and enclosing marks stack; spacing marks (Mc) sit beside their
    # letter. Variation selectors choose a glyph and draw nothing of their own.
    return unicodedata.category(char) in {"Mn", "Me"} and not (
        "\ufe00" <= char <= "\ufe0f"
    )


def _joins(text: str, index: int) -> bool:
    """Whether the joiner at `index` does work: between two emoji, or between two
    letters (or a letter's marks) of a script that uses joiners."""
    if index == 0 or index + 1 >= len(text):
        return False
    before, after = text[index - 1], text[index + 1]
    if _is_emoji(before) and _is_emoji(after):
        return True
    return _uses_joiners(before) and _uses_joiners(after)


def _is_emoji(char: str) -> bool:
    # Symbols, skin-tone modifiers (Sk) and the selector that ends an emoji.
    return unicodedata.category(char) in {"So", "Sk"} or char == "\ufe0f"


def _uses_joiners(char: str) -> bool:
    if unicodedata.category(char)[0] not in "LM":
        return False
    name = unicodedata.name(char, "")
    return not name.startswith(JOINERLESS_SCRIPTS)


def _flag_tags(text: str) -> set[int]:
    """Positions of tag characters that spell a flag after U+1F3F4 (🏴󠁧󠁢󠁳󠁣󠁴󠁿)."""
    positions: set[int] = set()
    for match in FLAG_TAGS.finditer(text):
        positions.update(range(match.start() + 1, match.end()))
    return positions


def describe(char: str) -> str:
    """`zero-width space U+200B`: a character's Unicode name in small letters."""
    name = CONTROL_NAMES.get(char) or unicodedata.name(char, "").lower()
    if not name:
        category = unicodedata.category(char)
        name = {
            "Cc": _("control character"),
            "Co": _("private-use character"),
            "Cs": _("lone surrogate"),
        }.get(category, _("unassigned character"))
    return f"{name} U+{ord(char):04X}"


def _names(counts: Counter) -> str:
    named = [describe(char) for char, _count in counts.most_common(NAMED)]
    rest = len(counts) - len(named)
    if rest:
        named.append(
            ngettext("%(n)d other kind", "%(n)d other kinds", rest) % {"n": rest}
        )
    return ", ".join(named)


def _notice(kind: str, counts: Counter) -> str:
    count = sum(counts.values())
    values = {"count": count, "names": _names(counts)}
    if kind == CONTROL:
        return (
            ngettext(
                "We removed %(count)d control character (%(names)s) from your comment.",
                "We removed %(count)d control characters (%(names)s) from your "
                "comment.",
                count,
            )
            % values
        )
    if kind == MEANINGLESS:
        return (
            ngettext(
                "We removed %(count)d character with no agreed meaning (%(names)s) "
                "from your comment: readers' devices would each show it differently.",
                "We removed %(count)d characters with no agreed meaning (%(names)s) "
                "from your comment: readers' devices would each show them "
                "differently.",
                count,
            )
            % values
        )
    return (
        ngettext(
            "We removed %(count)d invisible character (%(names)s) from your comment.",
            "We removed %(count)d invisible characters (%(names)s) from your comment.",
            count,
        )
        % values
    )
