"""The dates component: the seed's records, the guards, the contract, the cost."""
import datetime as dt
import itertools
import json

import pytest
import spacy

from extractor.components.dates import UNKNOWN_YEAR_WARNING, DateExtractor
from extractor.errors import ExtractorError

SEED_RELEASE = "2024-02-29"
SEED_DATES = {
    None: {
        ("February 26 to 28", "XXXX-02-26/XXXX-02-28"),
        ("February 27", "XXXX-02-27"),
        ("last year", "XXXX"),
        ("this year", "XXXX"),
        ("2025-27", "2025/2027"),
    },
    SEED_RELEASE: {
        ("February 26 to 28", "2024-02-26/2024-02-28"),
        ("February 27", "2024-02-27"),
        ("last year", "2023"),
        ("this year", "2024"),
        ("2025-27", "2025/2027"),
    },
}


def dates(ex, text, release_date=SEED_RELEASE):
    """(text, value) of every date record."""
    return [(d.text, d.value) for d in ex.extract(text, release_date=release_date).dates]


@pytest.fixture(scope="module")
def blank_dates():
    """A blank pipeline with only the dates component (no sentence boundaries)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("extractor_dates")
    return nlp


# ---------------------------------------------------------------- the seed


@pytest.mark.parametrize("release_date", [None, SEED_RELEASE])
def test_seed_dates_record_by_record(ex, seed_text, release_date):
    record = ex.extract(seed_text, release_date=release_date)
    got = [(d.text, d.value) for d in record.dates]
    assert len(got) == len(set(got)) == 5
    assert set(got) == SEED_DATES[release_date]
    february_27 = next(d for d in record.dates if d.text == "February 27")
    assert [m.text for m in february_27.mentions] == ["February 27", "February 27"]
    assert all(m.rule for d in record.dates for m in d.mentions)
    texts = " ".join(m.text for d in record.dates for m in d.mentions)
    assert "55th" not in texts and "10th" not in texts
    if release_date is None:
        assert UNKNOWN_YEAR_WARNING in record.warnings
        assert record.release_date is None
    else:
        assert UNKNOWN_YEAR_WARNING not in record.warnings


def test_seed_spans_follow_the_contract(ex, seed_text):
    doc = ex.process(seed_text, release_date=SEED_RELEASE)
    table = doc._.records["dates"]
    for span in doc.spans["dates"]:
        assert span.label_ == "DATE"
        assert span.kb_id_ in table
        assert span.id_
        assert table[span.kb_id_]["value"] == span.kb_id_
    assert list(table) == [
        "2024-02-26/2024-02-28", "2024-02-27", "2023", "2024", "2025/2027"
    ]
    assert all(set(fields) == {"text", "value"} for fields in table.values())


# ---------------------------------------------------------------- guards


@pytest.mark.parametrize(
    "text",
    [
        "The Council adopted Resolution 1325 on women.",
        "They recalled resolution 2397 (2017) and resolutions 2087, 2094 and 2270.",
        "She attended the 55th session of the Council.",
        "It marks the 10th anniversary of the report.",
        "He met the 2nd Vice Minister in Seoul.",
        "They may march on Washington.",
        "May God bless America.",
        "Prime Minister Theresa May said so.",
        "The CHIPS Act of 2022 funds research.",
        "They reaffirmed the 1951 Mutual Defense Treaty.",
        "Korea hosted the 2019 Korea-LAC Future Cooperation Forum.",
        "Athletes competed at the Tokyo 2020 Olympics.",
        "The 2030 Agenda for Sustainable Development guides us.",
        "They support Agenda 2030 fully.",
        "The grant of $2,000 and $2022 goes to 2,500 troops and 1,000 families.",
        "We sent 2000 troops and 1950 tons of rice.",
        "COVID-19 support is available 24/7.",
        "The number 1325 and the year 2150 are not years here.",
        "Happy Friday, everyone.",
        "Stores open early on Black Friday.",
        "The council meets every Tuesday.",
        "Each March 17, people celebrate.",
        "That remains true to this day.",
        "Prices rose over the last year and will fall over the next month.",
        "See https://example.com/2017/09/22/story_2021.html for more.",
        "Read the report at www.x.gov/files/february-2020-to-march-2021-report.",
        "She was born in 1776 and this is the 21st century.",
        "The meeting was held on the 27th floor.",
    ],
)
def test_guards_reject_non_dates(ex, text):
    assert dates(ex, text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The 2016 U.S. presidential election was close.", [("2016", "2016")]),
        ("In 2021 President Biden announced it.", [("2021", "2021")]),
        ("It has grown since 2014.", [("2014", "2014")]),
        ("She spoke on the afternoon of February 27.", [("February 27", "2024-02-27")]),
        ("He traveled from July 3 to 6.", [("July 3 to 6", "2024-07-03/2024-07-06")]),
        ("Growth between 2019 and 2021 was fast.", [("2019 and 2021", "2019/2021")]),
        ("The talks ran October 8-11, 2023.", [("October 8-11, 2023", "2023-10-08/2023-10-11")]),
        ("He visits May 25 to June 4.", [("May 25 to June 4", "2024-05-25/2024-06-04")]),
        ("They met on 30 September 2018.", [("30 September 2018", "2018-09-30")]),
        ("They met on September 30, 2022.", [("September 30, 2022", "2022-09-30")]),
        ("Dated 2022-02-28 in the annex.", [("2022-02-28", "2022-02-28")]),
        ("Funds for FY 2022 and FY23 rose.", [("FY 2022", "2022"), ("FY23", "2023")]),
        ("We met January 29 and 30.", [("January 29 and 30", "2024-01-29/2024-01-30")]),
        ("Growth picked up in mid-2023 and early 2022.",
         [("mid-2023", "2023"), ("early 2022", "2022")]),
        ("Since the beginning of 2022, aid rose.", [("the beginning of 2022", "2022")]),
        ("He arrives by May 2024.", [("May 2024", "2024-05")]),
        ("In May, the agency acted.", [("May", "2024-05")]),
        ("It happened in March.", [("March", "2024-03")]),
        ("We plan a visit in March 2022.", [("March 2022", "2022-03")]),
        ("Talks were held in the 2025-27 term.", [("2025-27", "2025/2027")]),
        ("Today, the Minister met yesterday's guests.",
         [("Today", "2024-02-29"), ("yesterday", "2024-02-28")]),
        ("We will meet tomorrow and next week.",
         [("tomorrow", "2024-03-01"), ("next week", "2024-W10")]),
        ("Last month and this month were busy.",
         [("Last month", "2024-01"), ("this month", "2024-02")]),
        ("We made a plan in October last year.", [("October last year", "2023-10")]),
        ("He returned to office in January 2025, sworn in on the 20th.",
         [("January 2025", "2025-01"), ("the 20th", "2025-01-20")]),
        ("The meeting on February 20 continued on the 27th.",
         [("February 20", "2024-02-20"), ("the 27th", "2024-02-27")]),
        ("On this day, we remember.", [("this day", "2024-02-29")]),
        ("The Minister met him on Tuesday.", [("Tuesday", "2024-02-27")]),
        ("The Minister will travel to Paris on Tuesday.", [("Tuesday", "2024-03-05")]),
        ("On Friday, the President will host leaders.", [("Friday", "2024-03-01")]),
        ("The talks were held last Friday.", [("last Friday", "2024-02-23")]),
        ("Thursday, March 7, 2024, is the day.", [("Thursday, March 7, 2024", "2024-03-07")]),
        ("Visit the site\n    between February\n27 and 28.", [("February 27 and 28", "2024-02-27/2024-02-28")]),
        ("Talks on June 2-3 and on June 2-3 again.", [("June 2-3", "2024-06-02/2024-06-03")]),
        ("It ends on 22:00, June 2 - 02:00, June 3.",
         [("June 2 - 02:00, June 3", "2024-06-02/2024-06-03")]),
    ],
)
def test_dates_found(ex, text, expected):
    assert dates(ex, text) == expected


def test_same_date_twice_is_one_record_with_two_mentions(ex):
    record = ex.extract("On March 5 we met. March 5 was sunny.", release_date=SEED_RELEASE)
    assert [(d.text, d.value, len(d.mentions)) for d in record.dates] == [
        ("March 5", "2024-03-05", 2)
    ]


def test_unresolved_expressions_stay_separate_records(ex):
    record = ex.extract("Last year and this year, today.", release_date=None)
    assert [(d.text, d.value) for d in record.dates] == [
        ("Last year", "XXXX"), ("this year", "XXXX"), ("today", "XXXX-XX-XX")
    ]
    assert UNKNOWN_YEAR_WARNING in record.warnings


def test_resolved_dates_raise_no_warning(ex):
    record = ex.extract("In 2023, we met.", release_date=None)
    assert [(d.text, d.value) for d in record.dates] == [("2023", "2023")]
    assert record.warnings == []


# ---------------------------------------------------------------- the header


def test_header_date_becomes_the_release_date(ex):
    text = "Date 2022-02-28\n\nThe Minister met his counterpart yesterday and will return on March 3."
    record = ex.extract(text)
    assert record.release_date == dt.date(2022, 2, 28)
    assert record.release_date_source == "header"
    assert [(d.text, d.value) for d in record.dates] == [
        ("yesterday", "2022-02-27"), ("March 3", "2022-03-03")
    ]


def test_header_line_is_not_a_record_even_with_a_caller_date(ex):
    text = "Statement\n\nJune 30, 2022 14:30 KST\n\nThe talks end today."
    record = ex.extract(text, release_date="2022-07-01")
    assert record.release_date == dt.date(2022, 7, 1)
    assert record.release_date_source == "caller"
    assert [(d.text, d.value) for d in record.dates] == [("today", "2022-07-01")]


def test_blank_pipeline_without_sentences(blank_dates):
    doc = blank_dates("Published on 30 Sep 2018\n\nTalks will take place on Tuesday, October 2.")
    assert doc._.release_date == dt.date(2018, 9, 30)
    assert [(s.text, s.kb_id_, s.id_) for s in doc.spans["dates"]] == [
        ("Tuesday, October 2", "2018-10-02", "weekday_month_day")
    ]


def test_empty_and_dateless_docs(blank_dates):
    assert list(blank_dates("").spans["dates"]) == []
    doc = blank_dates("Nothing to see here.")
    assert list(doc.spans["dates"]) == [] and doc._.records["dates"] == {}


# ---------------------------------------------------------------- the factory


def test_factory_with_a_custom_pattern_file(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(
        json.dumps({"id": "today_only", "anchor": "relative", "pattern": [{"LOWER": "today"}]}) + "\n",
        encoding="utf-8",
    )
    nlp = spacy.blank("en")
    nlp.add_pipe("extractor_dates", config={"patterns": str(path)})
    doc = nlp("Today and 2024.")
    assert [(s.text, s.id_) for s in doc.spans["dates"]] == [("Today", "today_only")]


def test_a_pattern_without_anchor_is_a_coded_error(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"id": "x", "pattern": [{"LOWER": "today"}]}) + "\n", encoding="utf-8")
    with pytest.raises(ExtractorError, match=r"\[E010\]"):
        spacy.blank("en").add_pipe("extractor_dates", config={"patterns": str(path)})


# ---------------------------------------------------------------- windows and cost

WINDOW_TEXTS = [
    "Colonel Puckett fought during the period of November 25, and 26, 1950, in Korea.",
    "The first quarter of FY 2022 and the end of this year, and the beginning of 2022.",
    "It ends on 22:00, June 2 - 02:00, June 3, 2022 and runs December 28, 2023 to January 3, 2024.",
    "Fiscal Year (FY) 2023 and this coming Tuesday and the 27th of March, 2024.",
    "Visit\n    between February\n\n27 and\n28, 2024 or 26 - 28 February 2024.",
]


def _component(nlp) -> DateExtractor:
    return dict(nlp.pipeline)["extractor_dates"]


def test_windows_lose_no_match(nlp):
    component = _component(nlp)
    for text in WINDOW_TEXTS:
        doc = nlp.make_doc(text)
        assert sorted(component.matches(doc)) == sorted(component.matches(doc, windowed=False))


def _dev_docs(path, limit):
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in itertools.islice(handle, limit)]


@pytest.mark.slow
def test_windows_lose_no_match_on_dev(nlp, dev_path):
    component = _component(nlp)
    for row in _dev_docs(dev_path, 150):
        doc = nlp.make_doc(row["text"])
        assert sorted(component.matches(doc)) == sorted(component.matches(doc, windowed=False)), row["id"]
