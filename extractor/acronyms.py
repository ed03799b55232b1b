"""Acronym definitions: "Long Form (ACR)" and "ACR (Long Form)".

Pure functions over strings, in the spirit of scispacy's abbreviation
detector (Schwartz & Hearst 2003), written for press releases: the letters of
the acronym must fit the long form's words ("Office of the High Commissioner
for Human Rights (OHCHR)"), with function words that may be skipped ("of",
"the", "for", "and") and a few letters taken from inside a word ("KOICA" from
"Korea International Cooperation Agency", "AfDB" from "African Development
Bank", "FinCEN" from "Financial Crimes Enforcement Network").

The component in :mod:`extractor.components.organisations` only maps the
character offsets returned here onto tokens.
"""
import re
from functools import lru_cache
from typing import Iterator, NamedTuple, Optional, Sequence

FUNCTION_WORDS = frozenset(
    "of the for and on in to a an at by with de du des la le et del da di & und".split()
)
# Number words may stand for their digits ("Group of Seven (G7)", "Bucharest Nine (B9)").
NUMBER_WORDS = {
    "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "twenty": "20",
}
# How many words before "(" a long form may span: the acronym's letter count
# plus this many (Schwartz & Hearst use min(|A| + 5, 2|A|)).
EXTRA_WORDS = 5

_PAREN = re.compile(r"\(\s*([^()\s][^()]{0,150}?)\s*\)")
_WORD = re.compile(r"\S+")
_EDGE_PUNCT = "\"'“”‘’,;:!?"
_ACRONYM = re.compile(r"^[A-Z0-9][A-Za-z0-9&./+-]{1,11}$")


class Definition(NamedTuple):
    """Character offsets of a long form and its acronym in one text."""

    long_start: int
    long_end: int
    short_start: int
    short_end: int


def is_acronym(text: str) -> bool:
    """Whether ``text`` looks like an acronym: "UNHCR", "DoD", "G7", "AfDB", "C-34"."""
    if not _ACRONYM.match(text):
        return False
    uppers = sum(c.isupper() for c in text)
    letters = sum(c.isalpha() for c in text)
    if uppers < 2 and not (uppers == 1 and any(c.isdigit() for c in text)):
        return False
    # Mostly capitals: "Gavi" or "Korea" are words, "AfDB", "FinCEN" are not.
    return letters == 0 or uppers * 2 >= letters


def acronym_letters(acronym: str) -> str:
    """The letters and digits of an acronym ("U.S." → "US", "C-34" → "C34")."""
    return "".join(c for c in acronym if c.isalnum())


def _clean_word(word: str) -> str:
    return word.strip(_EDGE_PUNCT)


def fits(acronym: str, words: Sequence[str], *, max_skipped: int = 1) -> bool:
    """Whether the acronym's letters fit the initials of ``words``.

    Every content word gives at least its first letter, in order; function
    words give their first letter or nothing; a word may give more letters
    from inside it (lower-case acronym letters freely, at most one upper-case
    one in all); up to ``max_skipped`` content words after the first may give
    nothing when the acronym has three letters or more ("Centers for Disease
    Control and Prevention (CDC)").
    """
    letters = acronym_letters(acronym)
    if len(letters) < 2 or not words:
        return False
    cleaned = tuple(_clean_word(w) for w in words)
    if not cleaned[0] or cleaned[0].lower() in FUNCTION_WORDS:
        return False
    if cleaned[0][0].lower() != letters[0].lower():
        return False
    skips = max_skipped if len(letters) >= 3 else 0
    return _fits(letters, cleaned, skips)


@lru_cache(maxsize=4096)
def _fits(letters: str, words: tuple[str, ...], skips: int) -> bool:
    lowered = tuple(w.lower() for w in words)
    function = tuple(w in FUNCTION_WORDS for w in lowered)

    @lru_cache(maxsize=None)
    def go(wi: int, ai: int, skipped: int, inner_upper: int) -> bool:
        if ai == len(letters):
            # Every remaining content word must be skippable.
            rest = sum(1 for k in range(wi, len(words)) if not function[k] and words[k])
            return rest + skipped <= skips
        if wi == len(words):
            return False
        word = lowered[wi]
        if not word:
            return go(wi + 1, ai, skipped, inner_upper)
        options = False
        if function[wi] or (wi > 0 and skipped < skips):
            options = go(wi + 1, ai, skipped + (0 if function[wi] else 1), inner_upper)
            if options:
                return True
        digits = NUMBER_WORDS.get(word)
        if digits and letters.startswith(digits, ai):
            if go(wi + 1, ai + len(digits), skipped, inner_upper):
                return True
        if word[0] != letters[ai].lower():
            return False
        # Take the initial, then optionally more letters from inside the word.
        return _inner(wi, ai + 1, 1, skipped, inner_upper)

    @lru_cache(maxsize=None)
    def _inner(wi: int, ai: int, pos: int, skipped: int, inner_upper: int) -> bool:
        if go(wi + 1, ai, skipped, inner_upper):
            return True
        if ai == len(letters):
            return False
        word = lowered[wi]
        target = letters[ai]
        upper = target.isupper()
        if upper and inner_upper >= 1:
            return False
        for p in range(pos, len(word)):
            if word[p] == target.lower():
                if _inner(wi, ai + 1, p + 1, skipped, inner_upper + (1 if upper else 0)):
                    return True
        return False

    return go(0, 0, 0, 0)


def _words_before(text: str, end: int, limit: int) -> list[tuple[int, int]]:
    """Offsets of up to ``limit`` words ending before ``end``, nearest last."""
    window_start = max(0, end - 40 * limit)
    spans = [m.span() for m in _WORD.finditer(text, window_start, end)]
    if window_start > 0 and spans:
        spans = spans[1:]  # the first may be cut in half
    return spans[-limit:]


def long_form_before(text: str, paren_start: int, acronym: str) -> Optional[tuple[int, int]]:
    """Offsets of the shortest run of words before ``paren_start`` that fits ``acronym``."""
    letters = acronym_letters(acronym)
    limit = min(len(letters) + EXTRA_WORDS, len(letters) * 2)
    spans = _words_before(text, paren_start, limit)
    if not spans:
        return None
    # A sentence or clause boundary ends the search.
    for k in range(len(spans) - 1, -1, -1):
        word = text[spans[k][0] : spans[k][1]]
        if k < len(spans) - 1 and word.endswith((".", ";", ":", ")")) and not _is_abbreviation(word):
            spans = spans[k + 1 :]
            break
    words = [text[s:e] for s, e in spans]
    for k in range(len(words) - 1, -1, -1):
        if fits(acronym, words[k:]):
            start = spans[k][0]
            end = spans[-1][1]
            while end > start and text[end - 1] in _EDGE_PUNCT:
                end -= 1
            while start < end and text[start] in _EDGE_PUNCT:
                start += 1
            return start, end
    return None


_ABBREVIATION = re.compile(r"(?:[A-Za-z]\.)+")


def _is_abbreviation(word: str) -> bool:
    return bool(_ABBREVIATION.fullmatch(word))


def find_definitions(text: str) -> list[Definition]:
    """Every acronym definition in ``text``, in order.

    >>> text = "the Office of the High Commissioner for Human Rights (OHCHR) said"
    >>> d = find_definitions(text)[0]
    >>> text[d.long_start:d.long_end], text[d.short_start:d.short_end]
    ('Office of the High Commissioner for Human Rights', 'OHCHR')
    """
    return list(iter_definitions(text))


def iter_definitions(text: str) -> Iterator[Definition]:
    """Lazy :func:`find_definitions`."""
    for match in _PAREN.finditer(text):
        inside = match.group(1)
        inner_start = match.start(1)
        if is_acronym(inside):
            found = long_form_before(text, match.start(), inside)
            if found:
                yield Definition(found[0], found[1], inner_start, inner_start + len(inside))
            continue
        # "ACR (Long Form)": the word before the bracket is the acronym.
        before = _words_before(text, match.start(), 1)
        if not before or " " not in inside.strip():
            continue
        short_start, short_end = before[0]
        short = text[short_start:short_end].strip(_EDGE_PUNCT)
        if not is_acronym(short):
            continue
        short_start = text.index(short, short_start)
        words = inside.split()
        offset = inner_start
        if words and words[0].lower() == "the":
            offset = text.index(words[1], inner_start + 3)
            words = words[1:]
        if words and fits(short, words):
            long_end = inner_start + len(inside)
            while long_end > offset and text[long_end - 1] in _EDGE_PUNCT:
                long_end -= 1
            yield Definition(offset, long_end, short_start, short_start + len(short))
