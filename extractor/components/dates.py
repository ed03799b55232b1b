"""Dates: find date expressions with token patterns, resolve them to ISO values.

Steps (``ANNOTATION.md``, "Dates"):

1. Without a caller's release date, the release's own date line
   (:func:`extractor.temporal.find_header_date`) becomes ``doc._.release_date``.
   That line is never a date record.
2. The Matcher patterns of ``models/date_patterns.jsonl`` run only over windows
   around their anchor tokens (a month or weekday name, a year, an ordinal day,
   "today", "year" ...), so prose with no date in it costs next to nothing.
3. The longest matches that pass the guards (:func:`keep_match`) and resolve
   (:func:`extractor.temporal.normalise`) win; a bare ordinal takes its month
   from the nearest full date before it, a bare weekday its direction from the
   tense of its sentence.
4. ``doc.spans["dates"]`` gets one span per mention (``kb_id_`` the record key,
   ``id_`` the pattern id) and ``doc._.records["dates"]`` one record per value,
   keyed by the value; an unresolved value (``XXXX``) is keyed by value and
   text, since "last year" and "this year" are different dates.
"""
import re
from typing import Optional

import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from ..assets import asset_path, read_jsonl
from ..errors import Errors, ExtractorError
from ..extensions import records, warn
from ..temporal import MONTHS, WEEKDAYS, find_header_date, normalise

LIST = "dates"
LABEL = "DATE"
UNKNOWN_YEAR_WARNING = "release date unknown: years left as XXXX"

# Every pattern names the kind of anchor token all its matches contain; the
# Matcher of that kind runs only over windows around such tokens, from LEFT
# word tokens before an anchor to RIGHT after it (the longest reach of the
# kind's patterns: "the first quarter of FY 2022", "March 5 - 7, 2024").
# The spaCy Matcher costs about 0.1 µs per pattern per token scanned, so this
# keeps prose without dates nearly free.
ANCHORS = {
    # kind: (code, LEFT, RIGHT)
    "month": (2, 5, 6),
    "weekday": (3, 2, 0),
    "ordinal": (4, 1, 0),
    "year": (5, 5, 4),
    "relative": (6, 4, 0),
}
SPACE = 1
RELATIVE_WORDS = frozenset(
    "today tonight yesterday tomorrow day morning afternoon evening night year month week".split()
)
_ORDINAL_TOKEN = re.compile(r"^\d{1,2}(?:st|nd|rd|th)$")
_YEAR_TOKEN = re.compile(r"\d{4}|^fy|^fiscal$|^q[1-4]$")


def anchor_kind(text: str) -> int:
    """The anchor code of a token text (see ANCHORS), SPACE, or 0."""
    if text.isspace():
        return SPACE
    low = text.lower()
    if low in MONTHS or (low.endswith(".") and low[:-1] in MONTHS):
        return ANCHORS["month"][0]
    if low in WEEKDAYS:
        return ANCHORS["weekday"][0]
    if low in RELATIVE_WORDS:
        return ANCHORS["relative"][0]
    if _ORDINAL_TOKEN.match(low):
        return ANCHORS["ordinal"][0]
    if _YEAR_TOKEN.search(low):
        return ANCHORS["year"][0]
    return 0


# The header date line lies in the first 400 characters: fewer tokens than this.
HEAD_TOKENS = 250
# Prepositions that lead a date expression in a pattern: context, not text.
LEADING = frozenset(
    "in on at since by until till through throughout during from before after of between".split()
)
# Words before a month name alone that make it a date ("in March", "since March").
MONTH_CUES = frozenset(
    "in on since by until till through throughout during from before after of between "
    "early late mid and or to last next this past".split()
)
# Words before a bare year that make it a date, whatever follows.
YEAR_PREPOSITIONS = frozenset(
    "in since by until till through throughout during from before after of for to and or "
    "between around circa as early late mid".split()
)
# Words before a number that make it a count, an amount or a citation.
NOT_YEAR_BEFORE = frozenset(
    """$ € £ ¥ us$ # no no. nos. number numbers resolution resolutions unscr unscrs unsc section
    sections article articles order orders room flight route highway h.r. s. bill chapter rule
    decision decisions code proclamation item annex box suite page pages p. pp. paragraph
    paragraphs para docket case about approximately nearly over some than almost roughly
    least exceeding + x ~ ≈ cve fr sr ch. sec. art. e.o. eo vol. volume""".split()
)
# Words after a number that make it a count or a measure.
NOT_YEAR_AFTER = frozenset(
    """% percent per troops people persons soldiers personnel times km kilometers kilometres miles
    tons tonnes metres meters feet foot refugees participants students members cases deaths units
    hours minutes seconds dollars won euros yen barrels acres jobs households families children
    women men individuals officers employees workers delegates experts scholars fellows doses
    vaccines beds homes houses vehicles aircraft ships vessels rounds missiles kg pounds lbs
    hectares square sq calories visas applications projects schools villages communities
    participants civilians victims migrants athletes exchange-rate megawatts mw gw""".split()
)
# Capitalised words that end the name of a law, treaty, event or document.
NAME_HEADS = frozenset(
    """act acts treaty treaties agenda summit summits forum conference convention declaration
    olympics olympic paralympics paralympic games expo strategy report review plan initiative cup
    award awards prize census accord accords agreement protocol charter framework dialogue meeting
    ministerial session assembly congress exercise law resolution communique communiqué vision
    roadmap olympiad world championship championships festival biennale budget ndaa nss election
    elections fair commission bill doctrine guidelines""".split()
)
# Title-case words that are function words, not names, before a year.
CAPITAL_FUNCTION = frozenset(
    "the in on at since by until till through throughout during from before after of for to "
    "and or between around as early late mid a an this that its their our his her".split()
)
RECURRING = frozenset({"every", "each"})
NAME_JOINERS = frozenset({"-", "–", "of", "for", "on", "and", "&"})
WEEKDAY_NAMES = frozenset(
    """super black good ash easter palm holy bloody cyber giving fat maundy great shrove
    small happy""".split()
)
# Tense cues for a bare weekday: the nearest one in the sentence decides.
FUTURE_CUES = frozenset(
    "will 'll ’ll shall wo upcoming scheduled plans planned going expected forthcoming".split()
)
PAST_IRREGULAR = frozenset(
    """met spoke said held took gave made led went saw became began brought sent told wrote was
    were had did came found left paid ran sat stood thought won hosted""".split()
)
PAST_AUXILIARIES = frozenset("was were had has have did".split())
TENSE_REACH = 30
ORDINAL_FOLLOWERS = frozenset(
    "and or to through until till at in when with as for from after before the".split()
)
# Rules whose value depends on the tense: weekdays, and months alone on a tie
# between last year's and next year's ("in December" said in June).
TENSED_RULES = frozenset({"weekday", "weekday_relative", "month"})
_MONTH_VALUE = re.compile(r"^(\d{4}|XXXX)-(\d\d)")


def with_line_breaks(pattern: list[dict]) -> list[dict]:
    """Allow a whitespace token (a hard-wrapped line) between any two tokens."""
    out: list[dict] = []
    for number, spec in enumerate(pattern):
        if number:
            out.append({"IS_SPACE": True, "OP": "?"})
        out.append(spec)
    return out


def _prev(doc: Doc, i: int) -> Optional[Token]:
    """The token before position ``i``, skipping whitespace tokens."""
    i -= 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return doc[i] if i >= 0 else None


def _next(doc: Doc, i: int) -> Optional[Token]:
    """The token at or after position ``i``, skipping whitespace tokens."""
    n = len(doc)
    while i < n and doc[i].is_space:
        i += 1
    return doc[i] if i < n else None


def _is_name_word(token: Optional[Token]) -> bool:
    """A capitalised word that can be part of a proper name."""
    if token is None or token.is_punct or token.is_space:
        return False
    text = token.text
    return text[:1].isupper() and (token.is_alpha or any(c.isalpha() for c in text)) and (
        token.lower_ not in CAPITAL_FUNCTION
    )


def _starts_sentence(token: Token) -> bool:
    if token.is_sent_start:
        return True
    prev = _prev(token.doc, token.i)
    if prev is None or prev.text in {".", "!", "?", ":"}:
        return True
    if prev.text in {"•", "*", "-", "–", "#", "##", "###", "**"}:
        # A bullet or heading mark at the start of a line.
        before = prev.i - 1
        return before < 0 or "\n" in prev.doc[before].text or "\n" in prev.doc[before].whitespace_
    return False


def year_in_name(doc: Doc, start: int, end: int) -> bool:
    """Whether the year(s) ``doc[start:end]`` belong to a name ("the 1951 Mutual Defense
    Treaty", "Tokyo 2020", "CHIPS Act of 2022", "resolution 2397 (2017)").
    """
    before = _prev(doc, start)
    after = _next(doc, end)
    if before is not None:
        low = before.lower_
        if low in NOT_YEAR_BEFORE:
            return True
        if low in {",", "and", "or", "&"}:
            # A list of numbers after a citation word: "resolutions 2087, 2094 and 2270".
            ante = before
            while ante is not None and (ante.like_num or ante.lower_ in {",", "and", "or", "&"}):
                ante = _prev(doc, ante.i)
            if ante is not None and ante.lower_ in NOT_YEAR_BEFORE and ante.i < before.i - 1:
                return True
        if low == "(":
            # "resolution 2397 (2017)", "the Act (2018)"
            ante = _prev(doc, before.i)
            if ante is not None and (ante.like_num or _is_name_word(ante)):
                return True
        if low == "of":
            ante = _prev(doc, before.i)
            if ante is not None and _is_name_word(ante) and not _starts_sentence(ante):
                return True  # "CHIPS Act of 2022"
        if _is_name_word(before) and not _starts_sentence(before):
            return True  # "Tokyo 2020", "Agenda 2030"
        if before.like_num or before.text in {"-", "–", "/"}:
            ante = _prev(doc, before.i)
            if before.like_num or (ante is not None and ante.like_num):
                return True  # "647-2010", lists of resolution numbers
    if after is not None:
        low = after.lower_
        if low in NOT_YEAR_AFTER:
            return True
        if low == "agenda" and before is not None and before.lower_ in {"the", "'s", "’s"}:
            return True  # "the UN's 2030 agenda" names a document
        if before is not None and before.lower_ in YEAR_PREPOSITIONS and not (
            before.lower_ in {"and", "or"}
        ):
            return False  # "in 2021 President Biden ...": the preposition decides
        if _is_name_word(after):
            # A capitalised run after the year: a name if it is long or ends in a
            # name word ("the 2030 Agenda", "2019 Korea-LAC Future Cooperation Forum").
            run = [after]
            nxt = _next(doc, after.i + 1)
            while nxt is not None and len(run) < 8:
                if _is_name_word(nxt):
                    run.append(nxt)
                elif nxt.text in NAME_JOINERS or nxt.lower_ in NAME_JOINERS:
                    # "ASEAN-U.S. ICT Work Plan", "Order of the First State"
                    following = _next(doc, nxt.i + 1)
                    if following is not None and following.lower_ == "the":
                        following = _next(doc, following.i + 1)
                    if following is None or not _is_name_word(following):
                        break
                    nxt = following
                    continue
                else:
                    break
                nxt = _next(doc, nxt.i + 1)
            if len(run) >= 2 or run[-1].lower_ in NAME_HEADS:
                return True
    return False


def _digits_amount(doc: Doc, start: int) -> bool:
    before = _prev(doc, start)
    return before is not None and before.lower_ in NOT_YEAR_BEFORE


_GLUE = frozenset("-/_=&%+@#.")


def glued(doc: Doc, start: int, end: int) -> bool:
    """Whether ``doc[start:end]`` is a piece of a longer string (a URL, a file name,
    "pre-2020"), not a word group of its own."""
    if start > 0 and not doc[start - 1].whitespace_:
        last = doc[start - 1].text[-1]
        if last.isalnum() or last in _GLUE:
            return True
    if end < len(doc) and not doc[end - 1].whitespace_:
        nxt = doc[end].text
        if nxt[0].isalnum() or (nxt[0] in _GLUE and nxt not in (".", "-") and len(nxt) == 1) or (
            nxt[0] in "-/_" and end + 1 < len(doc) and not doc[end].whitespace_
            and doc[end + 1].text[:1].isalnum()
        ):
            return True
    return False


def keep_match(doc: Doc, rule: str, start: int, end: int) -> bool:
    """The guards: whether the match ``rule`` over ``doc[start:end]`` is a date."""
    first = doc[start]
    before = _prev(doc, start)
    after = _next(doc, end)
    if rule == "year":
        if not 1900 <= int(first.text) <= 2100:
            return False
        return not year_in_name(doc, start, end)
    if rule == "year_range":
        if first.text[:4].isdigit() and not 1900 <= int(first.text[:4]) <= 2100:
            return False
        return not year_in_name(doc, start, end)
    if rule == "partial_year":
        if end - start == 1 and not first.lower_.startswith(("mid", "early", "late")):
            return False  # "february-2020" in a URL
        return not _digits_amount(doc, start)
    if rule == "month":
        if first.lower_ in MONTH_CUES:  # "in May": the cue is part of the pattern
            return True
        return before is not None and before.lower_ in MONTH_CUES
    if rule in ("month_day", "day_month", "month_day_year", "day_month_year", "month_year"):
        if before is not None and before.lower_ in NOT_YEAR_BEFORE and rule.startswith("day"):
            return False
        if before is not None and before.lower_ in RECURRING and rule != "month_day_year":
            return False  # "each March 17" recurs: no one calendar day
        return True
    if rule == "weekday":
        if before is not None and (before.lower_ in WEEKDAY_NAMES or before.lower_ in RECURRING):
            return False
        return True
    if rule == "today":
        if first.text == "Today" and before is not None and _is_name_word(before) and not (
            _starts_sentence(first)
        ):
            return False  # "USA Today"
        if first.lower_ == "this" and doc[end - 1].lower_ == "day":
            if before is not None and before.lower_ in {"to", "until", "till", "unto"}:
                return False  # "to this day" means "still"
            if after is not None and after.lower_ in {"and", "in", "after", "to"}:
                return False  # "this day and age", "this day in, day out"
        return True
    if rule == "relative_unit":
        if first.lower_ in {"last", "next"} and before is not None and before.lower_ in {
            "the", "over", "within", "for", "during", "throughout"
        }:
            return False  # "the last year", "over the next month": durations
        return True
    if rule == "ordinal_day":
        if before is None or before.lower_ not in LEADING | {"and", "to", "as"}:
            return False
        if after is None or after.is_punct or after.is_space:
            return True
        return after.lower_ in ORDINAL_FOLLOWERS
    return True


def sentence_tense(doc: Doc, start: int, end: int) -> Optional[bool]:
    """``True`` (past), ``False`` (future) or None for the clause of ``doc[start:end]``.

    The verb before the date decides ("met ... on Tuesday"); failing that, the
    first one after it ("On Tuesday, the President will travel").
    """
    i = start - 1
    while i >= 0 and start - i <= TENSE_REACH:
        found = _tense(doc, i)
        if found is not None:
            return found
        if doc[i].is_sent_start:
            break
        i -= 1
    j = end
    while j < len(doc) and j - end < TENSE_REACH:
        if doc[j].is_sent_start:
            break
        found = _tense(doc, j)
        if found is not None:
            return found
        j += 1
    return None


def _tense(doc: Doc, i: int) -> Optional[bool]:
    token = doc[i]
    low = token.lower_
    if low in FUTURE_CUES:
        return False
    if low in PAST_IRREGULAR or (
        low.endswith("ed") and len(low) > 4 and not low.endswith("eed") and token.is_alpha
        and token.text.islower()
    ):
        # "will be held", "to be announced": a participle after a future auxiliary.
        for k in range(i - 1, max(i - 4, -1), -1):
            aux = doc[k].lower_
            if aux in FUTURE_CUES or aux == "to":
                return False
            if aux in PAST_AUXILIARIES:
                return True
        return True
    return None


class DateExtractor:
    """Finds date mentions and builds one record per ISO value."""

    def __init__(self, nlp: Language, name: str, *, patterns: str) -> None:
        self.name = name
        self.patterns = patterns
        self.matchers: dict[int, Matcher] = {}
        path = asset_path(patterns)
        for number, row in enumerate(read_jsonl(path), 1):
            kind = ANCHORS.get(row.get("anchor", ""))
            if kind is None or not row.get("id") or not row.get("pattern"):
                raise ExtractorError(Errors.E010.format(
                    path=path, line=number,
                    msg="a date pattern needs an 'id', a 'pattern' and an 'anchor' among "
                    + ", ".join(ANCHORS),
                ))
            matcher = self.matchers.setdefault(kind[0], Matcher(nlp.vocab))
            matcher.add(row["id"], [with_line_breaks(row["pattern"])])
        self._reach = {code: (left, right) for code, left, right in ANCHORS.values()}
        self._kinds: dict[int, int] = {}
        self._leading_ids = {nlp.vocab.strings.add(w) for w in LEADING}

    # ------------------------------------------------------------- matching

    def token_kinds(self, doc: Doc) -> numpy.ndarray:
        """The anchor code of every token (cached per word form)."""
        unique, inverse = numpy.unique(doc.to_array(ORTH), return_inverse=True)
        strings = doc.vocab.strings
        cache = self._kinds
        codes = []
        for orth in unique.tolist():
            code = cache.get(orth)
            if code is None:
                code = anchor_kind(strings[orth])
                if len(cache) < 500_000:
                    cache[orth] = code
            codes.append(code)
        return numpy.asarray(codes, dtype=numpy.int8)[inverse.reshape(-1)]

    def windows(self, kinds: numpy.ndarray, code: int) -> list[tuple[int, int]]:
        """Merged token ranges around the anchors of one kind (spaces not counted)."""
        positions = numpy.flatnonzero(kinds == code)
        if not len(positions):
            return []
        left, right = self._reach[code]
        n = len(kinds)
        # words[i]: the number of non-space tokens before token i.
        words = numpy.concatenate(([0], numpy.cumsum(kinds != SPACE)))
        lows = numpy.searchsorted(words, words[positions] - left, side="left")
        highs = numpy.searchsorted(words, words[positions + 1] + right, side="right") - 1
        out: list[tuple[int, int]] = []
        for lo, hi in zip(lows.tolist(), highs.tolist()):
            hi = min(hi, n)
            if out and lo <= out[-1][1]:
                out[-1] = (out[-1][0], max(hi, out[-1][1]))
            else:
                out.append((lo, hi))
        return out

    def matches(self, doc: Doc, *, windowed: bool = True) -> list[tuple[str, int, int, int]]:
        """All pattern matches as (rule id, start, text start, end), trimmed of edge
        punctuation; the text starts after leading prepositions ("from", "between").

        ``windowed=False`` runs every Matcher over the whole text (slow; for tests).
        """
        if not len(doc):
            return []
        found = []
        strings = doc.vocab.strings
        kinds = self.token_kinds(doc)
        for code, matcher in self.matchers.items():
            ranges = self.windows(kinds, code) if windowed else [(0, len(doc))]
            for lo, hi in ranges:
                for match_id, start, end in matcher(doc[lo:hi]):
                    start += lo
                    end += lo
                    while end > start and (
                        doc[end - 1].is_space or doc[end - 1].text in {",", "(", ")"}
                    ):
                        end -= 1
                    while start < end and doc[start].is_space:
                        start += 1
                    if end > start:
                        text_start = start
                        while text_start < end - 1 and (
                            doc[text_start].lower in self._leading_ids or doc[text_start].is_space
                        ):
                            text_start += 1
                        found.append((strings[match_id], start, text_start, end))
        return found

    # ------------------------------------------------------------ selecting

    def select(
        self, doc: Doc, release, exclude: Optional[tuple[int, int]]
    ) -> list[tuple[str, int, int, int]]:
        """Longest non-overlapping matches that pass the guards and resolve.

        Length is counted without leading prepositions, so "May 2024" beats
        "by May" in "by May 2024".
        """
        candidates = sorted(set(self.matches(doc)), key=lambda m: (m[2] - m[3], m[2], m[1]))
        taken = bytearray(len(doc))
        chosen = []
        for rule, start, text_start, end in candidates:
            if any(taken[text_start:end]):
                continue
            if exclude is not None:
                span = doc[text_start:end]
                if span.start_char < exclude[1] and span.end_char > exclude[0]:
                    continue
            if glued(doc, text_start, end) or not keep_match(doc, rule, start, end):
                continue
            if normalise(doc[start:end].text, release) is None:
                continue
            taken[text_start:end] = b"\x01" * (end - text_start)
            chosen.append((rule, start, text_start, end))
        chosen.sort(key=lambda m: m[2])
        return chosen

    # -------------------------------------------------------------- calling

    def __call__(self, doc: Doc) -> Doc:
        exclude = None
        # Doc.text joins every token: read only the head.
        header = find_header_date(doc[:HEAD_TOKENS].text) if len(doc) else None
        if header is not None:
            exclude = header[:2]
            if doc._.release_date is None:
                doc._.release_date = header[2]
                doc._.release_date_source = "header"
        release = doc._.release_date
        table = records(doc, LIST)
        spans = []
        context_month: Optional[int] = None
        context_year: Optional[int] = None
        unknown = False
        for rule, start, text_start, end in self.select(doc, release, exclude):
            match_text = doc[start:end].text
            if rule == "ordinal_day":
                value = normalise(
                    match_text, release, context_month=context_month, context_year=context_year
                )
            elif rule in TENSED_RULES:
                value = normalise(match_text, release, past=sentence_tense(doc, start, end))
            else:
                value = normalise(match_text, release)
            if value is None:
                continue
            month = _MONTH_VALUE.match(value)
            if month and rule != "ordinal_day" and "W" not in value:
                context_month = int(month.group(2))
                context_year = None if month.group(1) == "XXXX" else int(month.group(1))
            text = " ".join(doc[text_start:end].text.split())
            key = value
            if "X" in value:
                # Unresolved values of different expressions ("last year", "this
                # year") are different dates: one record each.
                key = f"{value}|{text.lower()}"
                unknown = True
            spans.append(Span(doc, text_start, end, label=LABEL, kb_id=key, span_id=rule))
            if key not in table:
                table[key] = {"text": text, "value": value}
        doc.spans[LIST] = spans
        if unknown:
            warn(doc, UNKNOWN_YEAR_WARNING)
        return doc


@Language.factory(
    "extractor_dates",
    assigns=["doc.spans"],
    default_config={"patterns": "date_patterns.jsonl"},
)
def make_dates(nlp: Language, name: str, patterns: str) -> DateExtractor:
    return DateExtractor(nlp, name, patterns=patterns)
