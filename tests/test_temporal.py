"""extractor.temporal: ISO values of date expressions, the release's date line."""
import datetime as dt

import pytest

from extractor.temporal import find_header_date, normalise

SEED_DAY = dt.date(2024, 2, 29)  # a Thursday


@pytest.mark.parametrize(
    "text, release, expected",
    [
        # days, months, years
        ("February 27", SEED_DAY, "2024-02-27"),
        ("February 27", None, "XXXX-02-27"),
        ("September 30, 2022", None, "2022-09-30"),
        ("Sept. 30th, 2022", None, "2022-09-30"),
        ("30 September 2018", None, "2018-09-30"),
        ("the 30th of September", SEED_DAY, "2023-09-30"),
        ("2022-02-28", None, "2022-02-28"),
        ("2022.02.28", None, "2022-02-28"),
        ("2022. 2. 28.", None, "2022-02-28"),
        ("March 2022", None, "2022-03"),
        ("March of 2022", None, "2022-03"),
        ("2024", None, "2024"),
        ("Tuesday, March 5, 2024", None, "2024-03-05"),
        # the nearest year to the release date
        ("December 30", dt.date(2025, 1, 3), "2024-12-30"),
        ("January 6", dt.date(2021, 10, 12), "2022-01-06"),
        ("in March", SEED_DAY, "2024-03"),
        ("in March", None, "XXXX-03"),
        # spans, each end at its own precision
        ("February 26 to 28", SEED_DAY, "2024-02-26/2024-02-28"),
        ("February 26 to 28", None, "XXXX-02-26/XXXX-02-28"),
        ("from July 3 to 6", SEED_DAY, "2024-07-03/2024-07-06"),
        ("October 8-11", SEED_DAY, "2023-10-08/2023-10-11"),
        ("October 8–11, 2023", None, "2023-10-08/2023-10-11"),
        ("May 25 to June 4", SEED_DAY, "2024-05-25/2024-06-04"),
        ("May 25 to June 4, 2023", None, "2023-05-25/2023-06-04"),
        ("December 28 to January 3", dt.date(2025, 1, 5), "2024-12-28/2025-01-03"),
        ("26-28 February 2024", None, "2024-02-26/2024-02-28"),
        ("2025-27", None, "2025/2027"),
        ("2025-2027", None, "2025/2027"),
        ("2019–2021", None, "2019/2021"),
        ("2022/23", None, "2022/2023"),
        ("between 2019 and 2021", None, "2019/2021"),
        ("January 29 and 30", dt.date(2022, 2, 1), "2022-01-29/2022-01-30"),
        ("November 25, and 26, 1950", None, "1950-11-25/1950-11-26"),
        ("22:00, June 2 - 02:00, June 3", dt.date(2022, 6, 4), "2022-06-02/2022-06-03"),
        ("January to March 2022", None, "2022-01/2022-03"),
        ("January through October", dt.date(2022, 11, 7), "2022-01/2022-10"),
        ("August 26, 1950 to November 26, 1950", None, "1950-08-26/1950-11-26"),
        ("the first quarter of 2024", None, "2024-01/2024-03"),
        ("the first half of 2024", None, "2024-01/2024-06"),
        # fiscal years keep their number
        ("FY 2022", None, "2022"),
        ("FY22", None, "2022"),
        ("fiscal year 2023", None, "2023"),
        ("Fiscal Year (FY) 2023", None, "2023"),
        ("FY 2022-2023", None, "2022/2023"),
        # parts of a year or a month keep its precision
        ("the beginning of 2022", None, "2022"),
        ("early 2022", None, "2022"),
        ("mid-2023", None, "2023"),
        ("late-2021", None, "2021"),
        ("Spring 2024", None, "2024"),
        ("the end of July", dt.date(2021, 9, 9), "2021-07"),
        ("mid-March", SEED_DAY, "2024-03"),
        ("the end of this year", SEED_DAY, "2024"),
        # relative to the release date
        ("today", SEED_DAY, "2024-02-29"),
        ("Today", None, "XXXX-XX-XX"),
        ("this day", SEED_DAY, "2024-02-29"),
        ("tonight", SEED_DAY, "2024-02-29"),
        ("this morning", SEED_DAY, "2024-02-29"),
        ("yesterday", SEED_DAY, "2024-02-28"),
        ("tomorrow", SEED_DAY, "2024-03-01"),
        ("last night", SEED_DAY, "2024-02-28"),
        ("this year", SEED_DAY, "2024"),
        ("last year", SEED_DAY, "2023"),
        ("last year", None, "XXXX"),
        ("next year", SEED_DAY, "2025"),
        ("this month", SEED_DAY, "2024-02"),
        ("last month", dt.date(2024, 1, 15), "2023-12"),
        ("next month", SEED_DAY, "2024-03"),
        ("this week", dt.date(2021, 6, 3), "2021-W22"),
        ("last week", SEED_DAY, "2024-W08"),
        ("next week", SEED_DAY, "2024-W10"),
        ("earlier this year", SEED_DAY, "2024"),
        ("October last year", SEED_DAY, "2023-10"),
        ("April of last year", dt.date(2022, 3, 27), "2021-04"),
        ("last March", SEED_DAY, "2023-03"),
        ("this past January", dt.date(2025, 4, 28), "2025-01"),
        ("next June", SEED_DAY, "2024-06"),
        ("last Friday", dt.date(2023, 2, 2), "2023-01-27"),
        ("next Tuesday", SEED_DAY, "2024-03-05"),
    ],
)
def test_normalise(text, release, expected):
    assert normalise(text, release) == expected


@pytest.mark.parametrize(
    "text, past, expected",
    [
        ("Tuesday", None, "2024-02-27"),  # before the release date when the tense is unclear
        ("on Tuesday", True, "2024-02-27"),
        ("on Tuesday", False, "2024-03-05"),
        ("Thursday", None, "2024-02-29"),  # the release day itself
        ("Thursday", False, "2024-02-29"),
        ("Friday", True, "2024-02-23"),
        ("Friday", False, "2024-03-01"),
        ("this Sunday", None, "2024-03-03"),
    ],
)
def test_weekday_follows_tense(text, past, expected):
    assert normalise(text, SEED_DAY, past=past) == expected


@pytest.mark.parametrize(
    "context_month, context_year, expected",
    [
        (2, None, "2024-02-27"),
        (1, None, "2024-01-27"),
        (7, 2021, "2021-07-27"),
        (None, None, "2024-02-27"),  # no month before it: the nearest 27th
    ],
)
def test_ordinal_day_takes_the_month_of_context(context_month, context_year, expected):
    value = normalise(
        "the 27th", SEED_DAY, context_month=context_month, context_year=context_year
    )
    assert value == expected


def test_ordinal_day_without_release_date():
    assert normalise("the 27th", None, context_month=2) == "XXXX-02-27"
    assert normalise("the 27th", None) == "XXXX-XX-27"


@pytest.mark.parametrize(
    "text",
    [
        "February 30",
        "June 31, 2022",
        "28-26 February",
        "2019-2018",
        "January 29 and 31",  # a list of days, not a span
        "the 20th century",
        "the 55th",
        "the past year",  # a duration
        "2020 and 2021",
        "",
        "   ",
        "session",
    ],
)
def test_normalise_rejects_non_dates(text):
    assert normalise(text, SEED_DAY) is None


def test_normalise_is_cached():
    normalise.cache_clear()
    normalise("March 5, 2024", SEED_DAY)
    normalise("March 5, 2024", SEED_DAY)
    assert normalise.cache_info().hits >= 1


@pytest.mark.parametrize(
    "text, expected_span, expected_date",
    [
        ("Date 2022-02-28\nThe Minister met ...", "2022-02-28", dt.date(2022, 2, 28)),
        ("Press release\nDate: 2022.02.28\n\nText", "2022.02.28", dt.date(2022, 2, 28)),
        ("Briefing\nJune 30, 2022 14:30 KST\n\nText", "June 30, 2022", dt.date(2022, 6, 30)),
        ("Published on 30 Sep 2018\n\nText", "30 Sep 2018", dt.date(2018, 9, 30)),
        ("Statement\n\nMarch 5, 2024\n\nToday the ...", "March 5, 2024", dt.date(2024, 3, 5)),
        ("Statement\n2024-03-05\nText", "2024-03-05", dt.date(2024, 3, 5)),
        ("Office of the Spokesperson\n\nJuly 21, 2021\n\nMODERATOR: ...", "July 21, 2021",
         dt.date(2021, 7, 21)),
        ("**Tuesday, March 5, 2024**\n\nText", "Tuesday, March 5, 2024", dt.date(2024, 3, 5)),
    ],
)
def test_find_header_date(text, expected_span, expected_date):
    start, end, day = find_header_date(text)
    assert text[start:end] == expected_span
    assert day == expected_date


@pytest.mark.parametrize(
    "text",
    [
        "On March 5, 2024 the Minister met her counterpart.",  # inside a sentence
        "The event is on Monday,\nApril 21, 2025.\n",  # a sentence wrapped onto a new line
        "a\nb\nc\nd\ne\nf\ng\nMarch 5, 2024",  # too far down
        "Date 2022-02-30\n",  # no such day
        "March 2024\n",  # not a day
        "",
    ],
)
def test_find_header_date_ignores_other_dates(text):
    assert find_header_date(text) is None
