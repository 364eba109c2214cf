"""Finding listed words however they are disguised.

Text and list entries are folded the same way before they are compared:

1. Unicode compatibility forms (NFKC) and case folding: `ＢＡＤ`, `Bad` -> `bad`;
2. accents dropped: `bäd` -> `bad`;
3. look-alike letters from Unicode's confusables table: Cyrillic `а` -> `a`;
4. simple leetspeak: `0 1 3 4 5 7 @ $` -> `o i e a s t a s` (and `1` as `l`);
5. a letter repeated three times or more counts once: `baaad` -> `bad`.

Then words are compared whole, so `class` never matches `ass`; a plural `s` is
allowed. Letters spaced or dotted out (`b a d`, `b.a.d`, `b-a-d`) are joined back
into one word first, and a listed word split in two (`scum bag`) is still found.
"""

import functools
import re
import unicodedata

from newsroom.accounts.names import lookalikes

LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a"}
LEET.update({"$": "s", "|": "l", "€": "e"})
REPEATS = re.compile(r"(\w)\1{2,}")
WORD = re.compile(r"\w+")


def _fold_char(char: str, one: str) -> str:
    if char == "1":
        return one
    if char in LEET:
        return LEET[char]
    table = lookalikes()
    char = table.get(char, char)
    char = table.get(char, char)
    return LEET.get(char, char) if not char.isalpha() else char


def fold(text: str, one: str = "i") -> str:
    """Text as plain lower-case letters, digits swapped for the letters they imitate."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    folded = "".join(_fold_char(c, one) for c in text)
    return REPEATS.sub(r"\1", folded)


def words(text: str, one: str = "i") -> list[str]:
    """Folded words, with spelled-out runs (`b a d`, `b.a.d`) joined into one."""
    tokens = WORD.findall(fold(text, one))
    joined, run = [], []
    for token in tokens:
        if len(token) == 1:
            run.append(token)
            continue
        if len(run) > 1:
            joined.append("".join(run))
        elif run:
            joined.extend(run)
        run = []
        joined.append(token)
    if len(run) > 1:
        joined.append("".join(run))
    else:
        joined.extend(run)
    return joined


@functools.lru_cache(maxsize=64)
def _terms(entries: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    compiled = []
    for entry in entries:
        for one in ("i", "l"):
            folded = tuple(WORD.findall(fold(entry, one)))
            if folded:
                compiled.append((entry, folded))
    return tuple(compiled)


def find(entries: list[str], text: str) -> str:
    """The first listed entry the text contains, as the editor wrote it, or ""."""
    if not entries or not text:
        return ""
    terms = _terms(tuple(entries))
    for one in ("i", "l"):
        found = words(text, one)
        squeezed = "".join(found)
        for entry, term in terms:
            size = len(term)
            if any(
                _same(found[i : i + size], term) for i in range(len(found) - size + 1)
            ):
                return entry
            if size == 1 and any(
                _same([found[i] + found[i + 1]], term) for i in range(len(found) - 1)
            ):
                return entry
            # A phrase typed without its spaces ("youidiot") is still the phrase,
            # but only when the whole comment is that phrase.
            if size > 1 and squeezed == "".join(term):
                return entry
    return ""


def _same(found: list[str], term: tuple[str, ...]) -> bool:
    if len(found) != len(term):
        return False
    *head, last = term
    return list(found[:-1]) == head and found[-1] in (last, last + "s", last + "es")
