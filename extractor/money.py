"""Parse written monetary amounts: pure functions, no spaCy objects.

``parse_money("US$10 million")`` gives ``Money(text="US$10 million",
amount=10000000.0, currency="USD")``. The currency forms (symbols, ISO codes,
words) and the scale words come from ``models/currencies.json``, so a new
currency is a data change. A bare ``$`` is USD (ANNOTATION.md).

The pledge component finds candidate spans with spaCy's ``Matcher`` and hands
their text here; :func:`find_money` does the same search over plain text, for
tests and for callers without a pipeline.
"""
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Optional

from .assets import PathLike, read_json

# Qualifiers that change what the number means; anything else ("an
# additional", "a new") is dropped. The value is the canonical spelling.
QUALIFIERS = {
    "more than": "more than",
    "over": "over",
    "in excess of": "more than",
    "nearly": "nearly",
    "almost": "almost",
    "up to": "up to",
    "some": "some",
    "about": "about",
    "approximately": "approximately",
    "approx.": "approximately",
    "at least": "at least",
    "roughly": "roughly",
    "around": "around",
    "less than": "less than",
    "close to": "close to",
}

# Inside "(…)" after an amount, words that may precede the restated sum.
_CONVERSION_LEAD = r"(?:approx(?:imately|\.)?|about|around|some|roughly|nearly|equivalent\s+to|or|i\.e\.,?|appr\.)"


@dataclass(frozen=True)
class Money:
    """One amount: ``text`` as written (whitespace collapsed, qualifier excluded).

    ``start``/``end`` are character offsets of ``text`` in the string that
    was parsed.
    """

    text: str
    amount: float
    currency: Optional[str]
    qualifier: Optional[str] = None
    start: int = 0
    end: int = 0
    conversions: tuple["Money", ...] = field(default=())

    def as_amount(self) -> dict:
        """The ``Amount`` fields of the output schema."""
        return {"text": self.text, "amount": self.amount, "currency": self.currency}


@dataclass(frozen=True, eq=False)
class CurrencyTable:
    """Currency forms and scale words, compiled into one regular expression."""

    symbols: dict[str, str]
    codes: dict[str, str]
    words: dict[str, str]
    ambiguous_words: frozenset[str]
    scales: dict[str, int]

    @classmethod
    def from_json(cls, path: PathLike = "currencies.json") -> "CurrencyTable":
        data = read_json(path)

        def strip(table: dict) -> dict:
            return {k: v for k, v in table.items() if not k.startswith("//")}

        ambiguous = data.get("ambiguous_words", {}).get("items", [])
        return cls(
            symbols=strip(data["symbols"]),
            codes=strip(data["codes"]),
            words=strip(data["words"]),
            ambiguous_words=frozenset(w.lower() for w in ambiguous),
            scales={k.lower(): int(v) for k, v in strip(data["scales"]).items()},
        )

    def symbol_currency(self, written: str) -> Optional[str]:
        return self._symbols_folded().get(_squash(written))

    def word_currency(self, written: str) -> Optional[str]:
        return self._words_folded().get(_squash(written).lower())

    @lru_cache(maxsize=None)  # noqa: B019 - the table is immutable and long-lived
    def _symbols_folded(self) -> dict[str, str]:
        return {_squash(k): v for k, v in self.symbols.items()}

    @lru_cache(maxsize=None)  # noqa: B019
    def _words_folded(self) -> dict[str, str]:
        return {_squash(k).lower(): v for k, v in self.words.items()}

    @lru_cache(maxsize=None)  # noqa: B019
    def regex(self) -> re.Pattern:
        """One pattern for every form; named groups say which parts were found."""
        symbols = "|".join(_loose(s) for s in sorted(self.symbols, key=len, reverse=True))
        codes = "|".join(re.escape(c) for c in sorted(self.codes, key=len, reverse=True))
        words = "|".join(_loose(w) for w in sorted(self.words, key=len, reverse=True))
        scales = "|".join(re.escape(s) for s in sorted(self.scales, key=len, reverse=True))
        qualifiers = "|".join(_loose(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
        number = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
        return re.compile(
            rf"(?:(?<![A-Za-z])(?P<qual>(?i:{qualifiers}))\s+)?"
            rf"(?P<money>"
            rf"(?:(?P<sym>{symbols})\s*|(?<![A-Za-z])(?P<pcode>{codes})\s*)?"
            rf"(?P<num>{number})"
            rf"(?:\s*-?\s*(?P<scale>(?i:{scales}))(?![A-Za-z]))?"
            rf"(?:\s*(?<![A-Za-z])(?P<scode>{codes})(?![A-Za-z])"
            rf"|\s+(?P<word>(?i:{words}))(?![A-Za-z]))?"
            rf")"
        )


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _loose(form: str) -> str:
    """A form as a regex where its spaces match any run of whitespace."""
    return r"\s+".join(re.escape(part) for part in form.split())


@lru_cache(maxsize=4)
def load_currencies(path: str = "currencies.json") -> CurrencyTable:
    """The cached currency table for a path."""
    return CurrencyTable.from_json(path)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _to_number(written: str) -> Optional[Decimal]:
    try:
        return Decimal(written.replace(",", ""))
    except InvalidOperation:
        return None


def _from_match(match: re.Match, table: CurrencyTable) -> Optional[Money]:
    sym, pcode, scode, word = (match.group(g) for g in ("sym", "pcode", "scode", "word"))
    scale = match.group("scale")
    if sym:
        currency = table.symbol_currency(sym)
    elif pcode or scode:
        currency = table.codes.get(pcode or scode)
    elif word:
        currency = table.word_currency(word)
        if _squash(word).lower() in table.ambiguous_words:
            # "36 billion won" is money; "in 1998 won the vote" is not.
            digits = match.group("num").replace(",", "")
            if not scale and (len(digits.split(".")[0]) < 4 or "," not in match.group("num")):
                return None
    else:
        return None  # a bare number is not money
    value = _to_number(match.group("num"))
    if value is None:
        return None
    if scale:
        value *= table.scales[scale.lower()]
    qualifier = match.group("qual")
    return Money(
        text=_collapse(match.group("money")),
        amount=float(value),
        currency=currency,
        qualifier=QUALIFIERS[_collapse(qualifier).lower()] if qualifier else None,
        start=match.start("money"),
        end=match.end("money"),
    )


def find_money(text: str, *, table: Optional[CurrencyTable] = None) -> Iterator[Money]:
    """Every amount written in ``text``, left to right."""
    table = table or load_currencies()
    for match in table.regex().finditer(text):
        money = _from_match(match, table)
        if money is not None:
            yield money


def parse_money(text: str, *, table: Optional[CurrencyTable] = None) -> Optional[Money]:
    """The first amount in ``text`` ("some 500,000 US dollars" → 500000.0 USD, "some").

    Text around the amount is ignored, so a token span that carries markup
    ("million](http://…") still parses; ``start``/``end`` locate the amount.
    """
    return next(find_money(text, table=table), None)


def qualifier_before(text: str) -> Optional[str]:
    """The qualifier that ends ``text`` (the words just before an amount)."""
    match = _QUALIFIER_AT_END.search(text[-40:])
    return QUALIFIERS[_collapse(match.group(1)).lower()] if match else None


_QUALIFIER_AT_END = re.compile(
    r"(?<![A-Za-z])((?i:"
    + "|".join(_loose(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    + r"))\s*$"
)
_CONVERSION_OPEN = re.compile(rf"^\s*\(\s*(?:(?i:{_CONVERSION_LEAD})\s*)?$")
_CONVERSION_CLOSE = re.compile(r"^\s*[)]")


def is_conversion_gap(between: str, after: str) -> bool:
    """Whether a second amount restates the first: ``between`` is the text
    between them ("(", " (approximately "), ``after`` the text after the
    second (it must close the bracket)."""
    return bool(_CONVERSION_OPEN.match(between)) and bool(_CONVERSION_CLOSE.match(after))


def split_conversion(text: str, *, table: Optional[CurrencyTable] = None) -> Optional[Money]:
    """Parse "KRW 180.4 billion (USD 151 million)": the first amount as written,
    with the bracketed restatement in ``conversions``.

    Returns the first amount (with an empty ``conversions`` when nothing is
    restated), or None when ``text`` holds no amount.
    """
    found = list(find_money(text, table=table))
    if not found:
        return None
    first, conversions = found[0], []
    previous_end = first.end
    for other in found[1:]:
        if not is_conversion_gap(text[previous_end : other.start], text[other.end :]):
            break
        conversions.append(other)
        previous_end = other.end
    if not conversions:
        return first
    return Money(
        text=first.text,
        amount=first.amount,
        currency=first.currency,
        qualifier=first.qualifier,
        start=first.start,
        end=first.end,
        conversions=tuple(conversions),
    )
