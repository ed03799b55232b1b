"""Text normalisation before matching, with offsets that map back to the original.

Releases arrive with no-break and zero-width spaces, soft hyphens, curly
quotes and compatibility characters ("ﬁ", full-width digits). The rules match
plain forms, so the pipeline runs on a normalised copy; every mention's
offsets are mapped back so that ``original[start:end]`` is what was written.
Only characters outside ASCII are examined, so plain text costs one regex scan.
"""
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

SPACES = dict.fromkeys("\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000", " ")
REMOVED = dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff\u00ad", "")
QUOTES = {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"'}
HYPHENS = {"\u2010": "-", "\u2011": "-"}
TABLE = {**SPACES, **REMOVED, **QUOTES, **HYPHENS}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _replacement(char: str) -> str:
    if char in TABLE:
        return TABLE[char]
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"  # a lone surrogate cannot be encoded; spaCy's string store would fail
    # Compatibility characters only ("ﬁ" → "fi", "２" → "2"); letters with
    # accents ("é", "ü") are kept as they are.
    if unicodedata.decomposition(char).startswith("<") and not unicodedata.combining(char):
        return unicodedata.normalize("NFKC", char)
    return char


@dataclass(frozen=True)
class NormalisedText:
    """A normalised text and the map from its offsets to the original's."""

    original: str
    text: str
    # Parallel lists: from norm_at[k] on, norm offset p maps to orig_at[k] + (p - norm_at[k]).
    norm_at: tuple = field(default=(0,))
    orig_at: tuple = field(default=(0,))

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def to_original(self, position: int) -> int:
        """Original offset of a normalised start offset."""
        k = bisect_right(self.norm_at, position) - 1
        return min(self.orig_at[k] + (position - self.norm_at[k]), len(self.original))

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of a normalised span; removed characters at its edges stay out."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        # An expanded character ("ﬁ" → "fi") maps all its outputs to one
        # original character: the span ends just after that character.
        return self.to_original(start), self.to_original(end - 1) + 1


# A run of this many characters without a space ("$$$$…", "((((…", a minified
# blob) makes spaCy's tokenizer quadratic (explosion/spaCy#4362); such runs get
# a space after every RUN_STEP characters, mapped back like any expansion.
LONG_RUN = re.compile(r"\S{1000,}")
RUN_STEP = 100


def normalise_text(text: str) -> NormalisedText:
    """Normalise ``text`` for matching; see the module docstring."""
    edits: dict[int, str] = {}
    for match in _NON_ASCII.finditer(text):
        char = match.group()
        new = _replacement(char)
        if new != char:
            edits[match.start()] = new
    for match in LONG_RUN.finditer(text):
        for i in range(match.start() + RUN_STEP - 1, match.end() - 1, RUN_STEP):
            edits[i] = edits.get(i, text[i]) + " "
    if not edits:
        return NormalisedText(text, text)
    pieces: list[str] = []
    norm_at, orig_at = [0], [0]
    last = 0
    norm_len = 0
    for i in sorted(edits):
        new = edits[i]
        pieces.append(text[last:i])
        norm_len += i - last
        pieces.append(new)
        if len(new) == 1:
            norm_len += 1
        elif len(new) == 0:
            # Removal: the offset delta changes here.
            norm_at.append(norm_len)
            orig_at.append(i + 1)
        else:
            # Expansion: every output character maps to the one original character.
            for k in range(len(new)):
                norm_at.append(norm_len + k)
                orig_at.append(i)
            norm_at.append(norm_len + len(new))
            orig_at.append(i + 1)
            norm_len += len(new)
        last = i + 1
    pieces.append(text[last:])
    return NormalisedText(text, "".join(pieces), tuple(norm_at), tuple(orig_at))
