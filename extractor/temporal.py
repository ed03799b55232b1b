"""Resolve date expressions to ISO 8601 values, and find a release's date line.

Pure functions, no spaCy: :func:`normalise` turns the text of one date
expression (already found by the token patterns of ``models/date_patterns.jsonl``)
into the value defined in ``ANNOTATION.md``; :func:`find_header_date` finds the
release's own date line near the top of a text.

The parser is a handful of regular expressions over the lower-cased span text
(a range is split at its connector and each end parsed alone), because
``dateparser`` costs milliseconds a call and guesses years and precisions the
annotation guide fixes otherwise; it is kept only as a cached fallback for
forms the regular expressions do not know.

Values: a day ``2024-02-27``, a month ``2024-02``, a year ``2024``, an ISO week
``2024-W09``, a span ``start/end`` with each end at its own precision. An
unknown year is ``XXXX`` (``XXXX-02-27``); an unknown month or day is ``XX``.
"""
import datetime as _dt
import re
from functools import lru_cache
from typing import Optional

__all__ = ["normalise", "find_header_date", "MONTHS", "WEEKDAYS"]

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}

# y, m, d of a parsed expression. y None: resolve to the year nearest the
# release date; UNKNOWN (-1) in any field: unresolvable, written XXXX / XX.
UNKNOWN = -1
Point = tuple  # (Optional[int], Optional[int], Optional[int])

_MONTH_RE = (
    r"(january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_WEEKDAY_RE = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_ORD = r"(?:st|nd|rd|th)?"
_TZ = (
    r"kst|jst|cst|cdt|est|edt|pst|pdt|mst|mdt|utc|gmt|cet|cest|eet|eest|bst|ist|wib|sgt"
    r"|hkt|aest|aedt|msk|et|pt|ct|local time"
)

_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-", "’": "'", "‘": "'", "\u00a0": " "})
_TIME = re.compile(
    r"(?:\b(?:at|from)\s+)?\b\d{1,2}(?::\d{2}){1,2}\s*(?:[ap]\.?m\.?)?(?:\s*\(?(?:" + _TZ + r")\)?(?![a-z]))?"
    r"|\b\d{1,2}\s*[ap]\.?m\.?(?:\s*\(?(?:" + _TZ + r")\)?(?![a-z]))?"
    r"|\b(?:noon|midnight)\b"
)
_PART_OF_DAY = re.compile(
    r"\b(?:in\s+)?(?:the\s+)?(?:(?:early|late)\s+)?(?:morning|afternoon|evening|night)\s+of\b"
)
_LEAD = re.compile(
    r"^(?:(?:from|between|on|in|since|by|until|till|through|throughout|during|at|as of|of"
    r"|before|after|for|starting|beginning|effective|dated|date)\s+)+"
)
_SPACES = re.compile(r"\s+")
_COMMA = re.compile(r"\s*,\s*")

_RELATIVE_DAY = {
    "today": 0, "this day": 0, "tonight": 0, "this morning": 0, "this afternoon": 0,
    "this evening": 0, "yesterday": -1, "tomorrow": 1, "last night": -1,
    "the day before yesterday": -2, "day before yesterday": -2,
    "the day after tomorrow": 2, "day after tomorrow": 2,
}
_REL_STEP = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0, "next": 1, "coming": 1}
_RELATIVE_UNIT = re.compile(r"^(?:the\s+)?(last|this|next|current|past|previous|coming)\s+(year|month|week)$")
_SOFTENER = re.compile(r"^(?:earlier|later|early|late|ago)\s+(?=(?:today|this|tonight))")

_ISO = re.compile(r"^(\d{4})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})\.?$")
_US_NUMERIC = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MDY = re.compile(r"^" + _MONTH_RE + r"\s+(\d{1,2})" + _ORD + r"(?:\s+(\d{4}))?$")
_DMY = re.compile(r"^(?:the\s+)?(\d{1,2})" + _ORD + r"(?:\s+of)?\s+" + _MONTH_RE + r"(?:\s+(\d{4}))?$")
_MY = re.compile(r"^" + _MONTH_RE + r"\s+(?:of\s+)?(\d{4})$")
_M = re.compile(r"^(?:(last|this past|past|this|next|this coming|coming)\s+)?" + _MONTH_RE + r"$")
_Y = re.compile(r"^(\d{4})$")
_FY = re.compile(r"^(?:the\s+)?(?:u\.?s\.?\s+)?(?:fy|fiscal\s+year|fiscal)\s*(?:\(fy\)\s*)?'?(\d{4}|\d{2})$")
_ORDINAL_DAY = re.compile(r"^(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)$")
# A range end that is only a number: a day ("28", "11 2023") or a two-digit year ("27").
_NUMBER_END = re.compile(r"^'?(\d{1,2})(?:st|nd|rd|th)?(?:\s+(\d{4}))?$")
NUMBER = "number"
_WEEKDAY = re.compile(
    r"^(?:(last|this past|past|this|next|this coming|coming)\s+)?" + _WEEKDAY_RE
    + r"(?:'s)?(?:\s+(?:morning|afternoon|evening|night))?$"
)
_WEEKDAY_PREFIX = re.compile(r"^" + _WEEKDAY_RE + r"\s*,?\s+(?=\S)")
_REL_YEAR_SUFFIX = re.compile(r"^(.+?)\s+(?:of\s+)?(this|last|next)\s+year$")
# "the beginning of", "early", "mid-": keep the precision of what follows.
_PARTIAL = re.compile(
    r"^(?:the\s+)?(?:(?:very\s+)?(?:beginning|start|end|middle|close|turn|remainder|rest|"
    r"first\s+part|latter\s+part|second\s+part|last\s+part)\s+of\s+(?:the\s+)?"
    r"|(?:early|late|mid|middle)\s*-?\s*(?:in\s+)?"
    r"|(?:the\s+)?(?:spring|summer|fall|autumn|winter)\s+(?:of\s+)?)"
)
_QUARTER = re.compile(
    r"^(?:the\s+)?(?:(first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter\s+of|q([1-4]))\s+(?:fy\s*)?(\d{4})$"
)
_HALF = re.compile(r"^(?:the\s+)?(first|second)\s+half\s+of\s+(\d{4})$")
_QUARTER_NUM = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_CONNECTOR = re.compile(r"\s*(?:-|/|\bto\b|\bthrough\b|\bthru\b|\buntil\b|\btill\b|\band\b)\s*")


_ORDINAL_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9,
}
ORDINAL_WORDS = {
    **_ORDINAL_UNITS, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    **{f"twenty-{word}": 20 + n for word, n in _ORDINAL_UNITS.items()},
    "thirty-first": 31,
}
# "the sixth day of March" (proclamations): the day as a number.
_ORDINAL_DAY_WORDS = re.compile(
    r"\b(" + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) + r")\s+day\s+of\b"
)


def _clean(text: str) -> tuple[str, bool]:
    """Lower-case, unify dashes, drop times of day and leading prepositions."""
    s = text.translate(_DASHES).lower()
    s = _SPACES.sub(" ", s).strip()
    between = s.startswith("between ") or s.startswith("from ")
    if ":" in s or "m" in s or "noon" in s or "night" in s:
        s = _TIME.sub(" ", s)
    if " of" in s:
        s = _PART_OF_DAY.sub(" ", s)
    if "day of" in s:
        s = _ORDINAL_DAY_WORDS.sub(lambda m: f"{ORDINAL_WORDS[m.group(1)]} of", s)
    s = _COMMA.sub(" ", s)
    s = _SPACES.sub(" ", s).strip(" .;:()")
    if s.endswith("'s"):
        s = s[:-2]
    s = s.rstrip("'")
    s = _LEAD.sub("", s)
    return s, between


def _valid(y: Optional[int], m: Optional[int], d: Optional[int]) -> bool:
    if m is not None and m != UNKNOWN and not 1 <= m <= 12:
        return False
    if d is not None and d != UNKNOWN:
        if not 1 <= d <= 31:
            return False
        if m not in (None, UNKNOWN):
            year = y if y not in (None, UNKNOWN) else 2024  # a leap year admits Feb 29
            try:
                _dt.date(year, m, d)
            except ValueError:
                return False
    return True


def _year4(text: str) -> Optional[int]:
    year = int(text)
    return year if 1000 <= year <= 2999 else None


def _fmt(point: Point) -> str:
    y, m, d = point
    out = "XXXX" if y in (None, UNKNOWN) else f"{y:04d}"
    if m is not None:
        out += "-XX" if m == UNKNOWN else f"-{m:02d}"
        if d is not None:
            out += "-XX" if d == UNKNOWN else f"-{d:02d}"
    return out


def _fmt_date(day: _dt.date) -> str:
    return day.isoformat()


def _week(day: _dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def _add_months(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def _nearest_year(
    m: int, d: Optional[int], release: _dt.date, past: Optional[bool] = None
) -> int:
    """The year that puts month ``m`` (day ``d``) nearest the release date.

    A tie (a month six months away) goes to the past, or to the future when
    ``past`` is False (the tense of the sentence).
    """
    best, best_gap = release.year, None
    for year in (release.year - 1, release.year, release.year + 1):
        if d is None:
            gap = abs((year * 12 + m) - (release.year * 12 + release.month)) * 31
        else:
            try:
                gap = abs((_dt.date(year, m, d) - release).days)
            except ValueError:  # Feb 29 of a common year
                continue
        if best_gap is None or gap < best_gap or (gap == best_gap and past is False):
            best, best_gap = year, gap
    return best


def _nearest_range_year(
    lm: int, ld: Optional[int], rm: Optional[int], rd: Optional[int], rolls: bool,
    release: _dt.date,
) -> int:
    """The start year that puts the span nearest the release date (0 if inside it)."""
    best, best_gap = release.year, None
    for year in (release.year - 1, release.year, release.year + 1):
        try:
            first = _dt.date(year, lm, ld or 1)
            end_year = year + 1 if rolls else year
            end_month = rm or lm
            if rd is None:
                last = _dt.date(end_year + end_month // 12, end_month % 12 + 1, 1) - _dt.timedelta(days=1)
            else:
                last = _dt.date(end_year, end_month, rd)
        except ValueError:
            continue
        gap = 0 if first <= release <= last else min(abs((first - release).days), abs((last - release).days))
        if best_gap is None or gap < best_gap:
            best, best_gap = year, gap
    return best


def _weekday(weekday: int, release: _dt.date, direction: int) -> _dt.date:
    """The ``weekday`` nearest the release date (on or before, or on or after)."""
    if direction < 0:
        return release - _dt.timedelta(days=(release.weekday() - weekday) % 7)
    return release + _dt.timedelta(days=(weekday - release.weekday()) % 7)


def _point(
    s: str,
    release: Optional[_dt.date],
    context_month: Optional[int],
    context_year: Optional[int],
) -> Optional[Point]:
    """Parse one calendar expression (no range) into (y, m, d); y None = nearest."""
    match = _MDY.match(s)
    if match:
        y = _year4(match.group(3)) if match.group(3) else None
        return (y, MONTHS[match.group(1)], int(match.group(2)))
    match = _DMY.match(s)
    if match:
        y = _year4(match.group(3)) if match.group(3) else None
        return (y, MONTHS[match.group(2)], int(match.group(1)))
    match = _MY.match(s)
    if match:
        return (_year4(match.group(2)), MONTHS[match.group(1)], None)
    match = _Y.match(s)
    if match:
        year = _year4(match.group(1))
        return None if year is None else (year, None, None)
    match = _ISO.match(s)
    if match:
        return (int(match.group(1)), int(match.group(3)), int(match.group(4)))
    match = _US_NUMERIC.match(s)
    if match:
        first, second = int(match.group(1)), int(match.group(2))
        if first > 12:  # day/month/year
            first, second = second, first
        return (int(match.group(3)), first, second)
    match = _FY.match(s)
    if match:
        digits = match.group(1)
        return (2000 + int(digits) if len(digits) == 2 else int(digits), None, None)
    match = _M.match(s)
    if match:
        month = MONTHS[match.group(2)]
        modifier = match.group(1)
        if modifier is None:
            return (None, month, None)
        if release is None:
            return (UNKNOWN, month, None)
        if modifier in ("last", "this past", "past"):
            year = release.year if month < release.month else release.year - 1
        elif modifier in ("next", "this coming", "coming"):
            year = release.year if month > release.month else release.year + 1
        else:  # "this March"
            year = release.year
        return (year, month, None)
    match = _ORDINAL_DAY.match(s)
    if match:
        day = int(match.group(1))
        if not 1 <= day <= 31:
            return None
        if context_month is not None:
            if context_year is not None:
                return (context_year, context_month, day)
            return (None, context_month, day)
        if release is None:
            return (UNKNOWN, UNKNOWN, day)
        # No month in the text before it: the day of that number nearest the release.
        best = None
        for step in (-1, 0, 1):
            year, month = _add_months(release.year, release.month, step)
            try:
                candidate = _dt.date(year, month, day)
            except ValueError:
                continue
            if best is None or abs((candidate - release).days) < abs((best - release).days):
                best = candidate
        return (best.year, best.month, best.day) if best else None
    match = _REL_YEAR_SUFFIX.match(s)
    if match:
        inner = _point(match.group(1), None, None, None)
        if inner is None or inner[0] is not None or inner[1] in (None, UNKNOWN):
            return None
        if release is None:
            return (UNKNOWN, inner[1], inner[2])
        return (release.year + _REL_STEP[match.group(2)], inner[1], inner[2])
    return None


def _resolve(point: Point, release: Optional[_dt.date], past: Optional[bool] = None) -> Point:
    y, m, d = point
    if y is None:
        if release is None or m in (None, UNKNOWN):
            y = UNKNOWN
        else:
            y = _nearest_year(m, d, release, past)
    return (y, m, d)


def _side(s: str, release, context_month, context_year) -> Optional[Point]:
    """One end of a range: a full expression, or a bare number ("28", "27", "11 2023")."""
    point = _point(s, release, context_month, context_year)
    if point is not None:
        return point
    match = _NUMBER_END.match(s)
    if match:
        year = _year4(match.group(2)) if match.group(2) else None
        return (NUMBER, year, int(match.group(1)))
    return None


def _range(
    s: str, between: bool, release, context_month, context_year
) -> Optional[str]:
    for connector in _CONNECTOR.finditer(s):
        left_text, right_text = s[: connector.start()].strip(), s[connector.end() :].strip()
        if not left_text or not right_text:
            continue
        word = connector.group().strip()
        left = _side(left_text, release, context_month, context_year)
        if left is None:
            continue
        right = _side(right_text, release, context_month, context_year)
        if right is None:
            continue
        spanned = _join(left, right, release)
        if spanned is None:
            continue
        start, end = spanned
        if word == "and" and not between:
            # "January 29 and 30" is a span; other lists are separate dates.
            if not (start[2] and end[2] and start[:2] == end[:2] and end[2] == start[2] + 1):
                continue
        if word == "/" and not (start[2] is None and end[2] is None and start[1] is None):
            continue  # "/" joins only years ("2019/20")
        return f"{_fmt(start)}/{_fmt(end)}"
    return None


def _join(left: Point, right: Point, release) -> Optional[tuple[Point, Point]]:
    if left[0] == NUMBER:
        # "26-28 February 2024": the start borrows month and year from the end.
        _, _, ld = left
        ry, rm, rd = right
        if right[0] == NUMBER or rm in (None, UNKNOWN) or rd is None:
            return None
        ly, lm = ry, rm
    elif right[0] == NUMBER:
        ly, lm, ld = left
        _, year, number = right
        if lm is None and ld is None:
            # "2025-27": a two-digit end year after a year.
            if ly in (None, UNKNOWN) or year is not None or number > 99:
                return None
            end_year = (ly // 100) * 100 + number
            if end_year <= ly:
                return None
            return (ly, None, None), (end_year, None, None)
        if ld is None:
            return None
        # "February 26 to 28", "October 8-11, 2023": the end borrows the month.
        ry, rm, rd = (year if year is not None else ly), lm, number
        if ly is None and year is not None:
            ly = year
    else:
        ly, lm, ld = left
        ry, rm, rd = right
    if lm is None and ld is None and rm is not None:
        return None  # "2019 to June 2021": too odd to trust
    if lm is not None and ld is None and rd is not None:
        return None
    same_month = lm == rm
    if ly is None and ry not in (None, UNKNOWN):
        ly = ry
        if not same_month and (lm or 1, ld or 1) > (rm or 12, rd or 31):
            ly = ry - 1
    rolls = not same_month and (rm or 12, rd or 31) < (lm or 1, ld or 1)
    if ly is None:
        if release is None or lm in (None, UNKNOWN):
            ly = UNKNOWN
        else:
            ly = _nearest_range_year(lm, ld, rm, rd, rolls, release)
    if ry is None:
        ry = ly
        if ly != UNKNOWN and rolls:
            ry = ly + 1
    start, end = (ly, lm, ld), (ry, rm, rd)
    if UNKNOWN in (ly, ry):
        if ly != ry or (lm or 1, ld or 1) > (rm or 12, rd or 31):
            return None
    elif (ly, lm or 1, ld or 1) > (ry, rm or 12, rd or 31):
        return None
    if not (_valid(*start) and _valid(*end)) or start == end:
        return None
    return start, end


def _relative(s: str, release: Optional[_dt.date], past: Optional[bool]) -> Optional[str]:
    s = _SOFTENER.sub("", s)
    if s in _RELATIVE_DAY:
        if release is None:
            return "XXXX-XX-XX"
        return _fmt_date(release + _dt.timedelta(days=_RELATIVE_DAY[s]))
    match = _RELATIVE_UNIT.match(s)
    if match:
        step = _REL_STEP[match.group(1)]
        unit = match.group(2)
        if match.group(1) == "past" and unit != "week":
            return None  # "the past year" is a duration
        if unit == "year":
            return "XXXX" if release is None else f"{release.year + step:04d}"
        if unit == "month":
            if release is None:
                return "XXXX-XX"
            year, month = _add_months(release.year, release.month, step)
            return f"{year:04d}-{month:02d}"
        if match.group(1) == "past":
            return None
        if release is None:
            return "XXXX-WXX"
        return _week(release + _dt.timedelta(weeks=step))
    match = _WEEKDAY.match(s)
    if match:
        if release is None:
            return "XXXX-XX-XX"
        modifier, weekday = match.group(1), WEEKDAYS[match.group(2)]
        if modifier in ("last", "this past", "past"):
            day = _weekday(weekday, release - _dt.timedelta(days=1), -1)
        elif modifier in ("next", "this coming", "coming"):
            day = _weekday(weekday, release + _dt.timedelta(days=1), 1)
        elif modifier == "this":  # "this Sunday": the coming one unless told otherwise
            day = _weekday(weekday, release, -1 if past else 1)
        else:
            day = _weekday(weekday, release, 1 if past is False else -1)
        return _fmt_date(day)
    return None


def _partial(s: str) -> Optional[str]:
    """Strip "the beginning of", "early", "mid-": the rest keeps its precision."""
    match = _PARTIAL.match(s)
    if match and match.end() < len(s):
        return s[match.end() :].strip()
    return None


def _parse(
    s: str,
    between: bool,
    release: Optional[_dt.date],
    context_month: Optional[int],
    context_year: Optional[int],
    past: Optional[bool],
) -> Optional[str]:
    value = _relative(s, release, past)
    if value is not None:
        return value
    point = _point(s, release, context_month, context_year)
    if point is not None:
        if not _valid(*point):
            return None
        return _fmt(_resolve(point, release, past))
    match = _QUARTER.match(s)
    if match:
        quarter = _QUARTER_NUM.get(match.group(1) or "", 0) or int(match.group(2) or 0)
        year = int(match.group(3))
        return f"{year:04d}-{quarter * 3 - 2:02d}/{year:04d}-{quarter * 3:02d}"
    match = _HALF.match(s)
    if match:
        year = int(match.group(2))
        return f"{year:04d}-01/{year:04d}-06" if match.group(1) == "first" else f"{year:04d}-07/{year:04d}-12"
    rest = _partial(s)
    if rest is not None:
        return _parse(rest, between, release, context_month, context_year, past)
    if _WEEKDAY_PREFIX.match(s):
        rest = _WEEKDAY_PREFIX.sub("", s, count=1)
        return _parse(rest, between, release, context_month, context_year, past)
    return _range(s, between, release, context_month, context_year)


@lru_cache(maxsize=32768)
def normalise(
    text: str,
    release_date: Optional[_dt.date],
    *,
    context_month: Optional[int] = None,
    past: Optional[bool] = None,
    context_year: Optional[int] = None,
) -> Optional[str]:
    """The ISO 8601 value of one date expression, or None if it names no date.

    ``release_date`` anchors relative expressions and years left out;
    ``context_month`` (and ``context_year``) give the month of a bare ordinal day
    ("the 27th"); ``past`` is the tense of a bare weekday: ``False`` looks after
    the release date, anything else before.

    >>> normalise("February 26 to 28", _dt.date(2024, 2, 29))
    '2024-02-26/2024-02-28'
    >>> normalise("last year", None)
    'XXXX'
    """
    s, between = _clean(text)
    if not s:
        return None
    value = _parse(s, between, release_date, context_month, context_year, past)
    if value is None:
        value = _fallback(s, release_date)
    return value


# ----------------------------------------------------------------- fallback

# Only forms that name a month or a year: a bare ordinal ("the 55th") is no date.
_FALLBACK_OK = re.compile(r"\b\d{4}\b|\b" + _MONTH_RE)
# Lists and ranges the parser refused are not dates to be guessed at.
_FALLBACK_NO = re.compile(r"-|/|\b(?:and|to|through|thru|until|till|or)\b")


def _fallback(s: str, release: Optional[_dt.date]) -> Optional[str]:
    """dateparser for odd forms the regular expressions miss (cached)."""
    if not _FALLBACK_OK.search(s) or len(s) > 40 or _FALLBACK_NO.search(s) or " " not in s:
        return None
    value = _dateparser(s, release)
    year = re.search(r"\b\d{4}\b", s)
    if value is not None and year is not None and not value.startswith(year.group()):
        return None
    return value


@lru_cache(maxsize=4096)
def _dateparser(s: str, release: Optional[_dt.date]) -> Optional[str]:
    try:
        from dateparser.date import DateDataParser
    except ImportError:  # pragma: no cover - dateparser is a dependency
        return None
    settings = {"PREFER_DATES_FROM": "past", "STRICT_PARSING": False}
    if release is not None:
        settings["RELATIVE_BASE"] = _dt.datetime(release.year, release.month, release.day)
    parser = _date_data_parser(DateDataParser, tuple(sorted(settings.items(), key=str)))
    try:
        data = parser.get_date_data(s)
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors on junk
        return None
    when, period = data.date_obj, data.period
    if when is None:
        return None
    has_year = re.search(r"\b\d{4}\b", s) is not None
    year = f"{when.year:04d}" if (has_year or release is not None) else "XXXX"
    if period == "year":
        return year
    if period == "month":
        return f"{year}-{when.month:02d}"
    if period in ("day", "time"):
        return f"{year}-{when.month:02d}-{when.day:02d}"
    return None


@lru_cache(maxsize=8)
def _date_data_parser(cls, settings: tuple):
    return cls(languages=["en"], settings=dict(settings))


# ----------------------------------------------------------- header date

_HEADER_DATE = (
    r"(?:" + _WEEKDAY_RE.replace("(", "(?:") + r",?\s+)?"
    r"(?:\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}\.?"
    r"|(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?"
    r"|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?,?\s+\d{4})"
)
_HEADER_LINE = re.compile(
    r"^[ \t*#_>|-]*(?:(?:date[d]?|published(?:\s+on)?|released?(?:\s+on)?|posted(?:\s+on)?"
    r"|issued(?:\s+on)?|updated(?:\s+on)?|last\s+updated(?:\s+on)?|press\s+release)\s*[:：|-]?\s*)?"
    r"(?P<date>" + _HEADER_DATE + r")"
    r"(?:\s*,?\s*(?:\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[a-z]{2,4})?|[ap]\.?m\.?))?"
    r"[ \t*_|.]*$",
    re.IGNORECASE,
)
# A line ending in one of these words goes on in the next line.
_CONTINUING = frozenset(
    "on of the in at to for and or by from with since until before after as than was is".split()
)
HEADER_LINES = 6
HEADER_CHARS = 400


def find_header_date(text: str) -> Optional[tuple[int, int, _dt.date]]:
    """The release's own date line among the first lines of ``text``.

    Returns ``(start, end, date)``: the character offsets of the date
    expression (without "Date:" or a time of day) and the date, or None.
    A date inside a sentence is not a date line.
    """
    offset, seen = 0, 0
    previous = ""  # the line before, "" when blank
    head = text[: HEADER_CHARS + 200]
    for line in head.split("\n"):
        if offset > HEADER_CHARS:
            break
        stripped = line.strip()
        if stripped:
            seen += 1
            # A date wrapped onto its own line inside a sentence ("on Monday,\nApril
            # 21, 2025.") follows a line that does not end a heading or a sentence.
            last_word = previous.rsplit(None, 1)[-1].lower() if previous else ""
            continues = previous[-1:] in {",", ";"} or last_word in _CONTINUING
            if len(stripped) <= 80 and not continues:
                match = _HEADER_LINE.match(line)
                if match:
                    day = _header_value(match.group("date"))
                    if day is not None:
                        start, end = match.span("date")
                        raw = match.group("date")
                        # Trailing period of "2022.02.28." stays out of the span.
                        end -= len(raw) - len(raw.rstrip(". "))
                        return offset + start, offset + end, day
            if seen >= HEADER_LINES:
                break
        previous = line.rstrip()
        offset += len(line) + 1
    return None


def _header_value(text: str) -> Optional[_dt.date]:
    s, _ = _clean(text)
    if _WEEKDAY_PREFIX.match(s):
        s = _WEEKDAY_PREFIX.sub("", s, count=1)
    point = _point(s, None, None, None)
    if point is None or None in point or UNKNOWN in point or not _valid(*point):
        return None
    try:
        return _dt.date(*point)
    except ValueError:
        return None
