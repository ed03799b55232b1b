"""Mention-level scores: the SemEval-2013 schemes on hand-made spans with exact expected counts."""
from pathlib import Path

import pytest

from extractor.evaluate import evaluate, evaluate_files, format_report
from extractor.mentions_eval import (
    SchemeScore,
    Span,
    align_spans,
    evaluate_mentions,
    gold_spans,
    score_spans,
    span_problems,
)
from extractor.schema import DocumentExtraction

DATA = Path(__file__).parent / "data" / "eval"


def counts(score: SchemeScore) -> tuple[int, int, int, int, int]:
    return score.cor, score.inc, score.par, score.mis, score.spu


# Gold and predicted spans covering every outcome once:
#   [0,5) ORG        exact boundary and label            -> match
#   [10,20) OFFICIAL predicted as ORG, same boundary     -> boundary
#   [30,35) DATE     predicted [30,33) DATE              -> overlap, same label
#   [40,50) MONEY    predicted [42,55) ORG               -> overlap, other label
#   [60,65) ORG      not predicted                       -> missed
#   predicted [70,75) DATE overlaps no gold span         -> spurious
GOLD = [Span(0, 5, "ORG"), Span(10, 20, "OFFICIAL"), Span(30, 35, "DATE"), Span(40, 50, "MONEY"), Span(60, 65, "ORG")]
PRED = [Span(0, 5, "ORG"), Span(10, 20, "ORG"), Span(30, 33, "DATE"), Span(42, 55, "ORG"), Span(70, 75, "DATE")]


def test_alignment_outcomes():
    outcomes = [(o, g, p) for o, g, p in align_spans(GOLD, PRED)]
    assert outcomes == [
        ("match", Span(0, 5, "ORG"), Span(0, 5, "ORG")),
        ("boundary", Span(10, 20, "OFFICIAL"), Span(10, 20, "ORG")),
        ("overlap_label", Span(30, 35, "DATE"), Span(30, 33, "DATE")),
        ("overlap", Span(40, 50, "MONEY"), Span(42, 55, "ORG")),
        ("missed", Span(60, 65, "ORG"), None),
        ("spurious", None, Span(70, 75, "DATE")),
    ]


@pytest.mark.parametrize(
    "scheme,expected,precision",
    [
        # (COR, INC, PAR, MIS, SPU); POS = ACT = 5 in every scheme.
        ("strict", (1, 3, 0, 1, 1), 1 / 5),
        ("exact", (2, 2, 0, 1, 1), 2 / 5),
        ("partial", (2, 0, 2, 1, 1), (2 + 0.5 * 2) / 5),
        ("type", (2, 2, 0, 1, 1), 2 / 5),
    ],
)
def test_semeval_schemes_overall(scheme, expected, precision):
    score = score_spans(GOLD, PRED).schemes[scheme]
    assert counts(score) == expected
    assert (score.possible, score.actual) == (5, 5)
    assert score.precision == pytest.approx(precision)
    assert score.recall == pytest.approx(precision)
    assert score.f1 == pytest.approx(precision)


@pytest.mark.parametrize(
    "label,scheme,expected,p,r",
    [
        # COR/INC/PAR/MIS under the gold label, SPU under the predicted label.
        ("ORG", "strict", (1, 0, 0, 1, 0), 1.0, 0.5),
        ("OFFICIAL", "strict", (0, 1, 0, 0, 0), 0.0, 0.0),
        ("OFFICIAL", "exact", (1, 0, 0, 0, 0), 1.0, 1.0),
        ("DATE", "strict", (0, 1, 0, 0, 1), 0.0, 0.0),
        ("DATE", "partial", (0, 0, 1, 0, 1), 0.25, 0.5),
        ("DATE", "type", (1, 0, 0, 0, 1), 0.5, 1.0),
        ("MONEY", "partial", (0, 0, 1, 0, 0), 0.5, 0.5),
        ("MONEY", "type", (0, 1, 0, 0, 0), 0.0, 0.0),
    ],
)
def test_semeval_schemes_per_label(label, scheme, expected, p, r):
    score = score_spans(GOLD, PRED).labels[label][scheme]
    assert counts(score) == expected
    assert score.precision == pytest.approx(p)
    assert score.recall == pytest.approx(r)
    assert score.f1 == pytest.approx(2 * p * r / (p + r) if p + r else 0.0)


def test_alignment_is_one_to_one_larger_overlap_first():
    # Two predictions overlap one gold span: the larger overlap pairs, the other is spurious.
    report = score_spans([Span(0, 10, "ORG")], [Span(0, 4, "ORG"), Span(5, 10, "ORG")])
    partial = report.schemes["partial"]
    assert counts(partial) == (0, 0, 1, 0, 1)
    assert (partial.possible, partial.actual) == (1, 2)
    assert partial.precision == pytest.approx(0.25)
    assert partial.recall == pytest.approx(0.5)
    assert align_spans([Span(0, 10, "ORG")], [Span(0, 4, "ORG"), Span(5, 10, "ORG")])[1][0] == "overlap_label"


def test_exact_boundary_preferred_over_same_label_overlap():
    gold = [Span(0, 10, "ORG"), Span(5, 12, "DATE")]
    outcomes = align_spans(gold, [Span(0, 10, "DATE")])
    assert ("boundary", Span(0, 10, "ORG"), Span(0, 10, "DATE")) in outcomes
    assert ("missed", Span(5, 12, "DATE"), None) in outcomes


def test_touching_spans_do_not_overlap_and_duplicates_count_once():
    report = score_spans([Span(0, 5, "ORG"), Span(0, 5, "ORG")], [Span(5, 9, "ORG"), Span(5, 9, "ORG")])
    assert counts(report.schemes["partial"]) == (0, 0, 0, 1, 1)


def test_empty_is_perfect_and_one_sided_is_zero():
    assert score_spans([], []).schemes["strict"].f1 == 1.0
    nothing = SchemeScore()
    assert (nothing.precision, nothing.recall, nothing.f1) == (1.0, 1.0, 1.0)
    missed = score_spans([Span(0, 1, "ORG")], []).schemes["strict"]
    assert (missed.precision, missed.recall, missed.f1) == (0.0, 0.0, 0.0)


# --- spans of documents ------------------------------------------------------


def doc(**fields) -> DocumentExtraction:
    return DocumentExtraction.model_validate({"id": "d", **fields})


def mention(start: int, end: int, rule=None) -> dict:
    return {"start": start, "end": end, "text": "x" * (end - start), "rule": rule}


def test_gold_spans_from_record_mentions():
    gold = doc(
        text="x" * 40,
        officials=[{"name": "A", "mentions": [mention(0, 3), mention(10, 11)]}],
        organisations=[{"name": "B"}],  # records without mentions: ORG is not span-annotated
        dates=[],  # an empty list is: nothing to find
        themes=[{"id": "health", "mentions": [mention(20, 26)]}],  # themes have no label
    )
    spans, labels = gold_spans(gold)
    assert spans == [Span(0, 3, "OFFICIAL"), Span(10, 11, "OFFICIAL")]
    assert labels == {"OFFICIAL", "DATE"}


def test_gold_without_any_span_is_not_scored():
    assert gold_spans(doc(officials=[{"name": "A"}])) is None
    assert evaluate_mentions([(doc(officials=[{"name": "A"}]), None)]) is None
    report = evaluate([doc(officials=[{"name": "A"}])], [doc(officials=[{"name": "A"}])], bootstrap=0)
    assert report.mentions is None
    assert not any(k.startswith("mentions_") for k in report.scores())


def test_spans_field_wins_and_predictions_only_for_annotated_labels():
    gold = {
        "id": "d",
        "text": "Kang Insun met UNHCR.",
        "officials": [{"name": "Kang Insun", "mentions": [mention(0, 4)]}],  # ignored: spans win
        "spans": [{"start": 0, "end": 10, "label": "OFFICIAL"}, {"start": 15, "end": 20, "label": "ORG"}],
    }
    pred = doc(
        officials=[{"name": "Kang Insun", "mentions": [mention(0, 10, "title-name")]}],
        organisations=[{"name": "UNHCR", "mentions": [mention(15, 20)]}],
        dates=[{"text": "x", "value": "2024", "mentions": [mention(2, 3)]}],
    )
    report = evaluate([pred], [gold], bootstrap=0)
    # The DATE prediction overlaps OFFICIAL [0,10) but that gold span is taken
    # by the exact OFFICIAL prediction: DATE is spurious (spans annotate every label).
    assert counts(report.mentions.schemes["strict"]) == (2, 0, 0, 0, 1)
    assert report.scores()["mentions_strict_p"] == pytest.approx(2 / 3)
    assert report.scores()["mentions_strict_r"] == 1.0

    # Records route: the gold annotates OFFICIAL only, so the ORG and DATE predictions are left out.
    gold.pop("spans")
    gold["officials"][0]["mentions"] = [mention(0, 10)]
    report = evaluate([pred], [gold], bootstrap=0)
    assert counts(report.mentions.schemes["strict"]) == (1, 0, 0, 0, 0)
    assert list(report.mentions.labels) == ["OFFICIAL"]


def test_end_to_end_from_files():
    report = evaluate_files(DATA / "spans_pred.jsonl", DATA / "spans_gold.jsonl", bootstrap=0)
    assert report.problems == []
    m = report.mentions
    assert m.documents == 1
    # OFFICIAL and ORG exact; DATE "February" inside "February 27"; MONEY missed; "Korea" ORG spurious.
    assert counts(m.schemes["strict"]) == (2, 1, 0, 1, 1)
    assert counts(m.schemes["partial"]) == (2, 0, 1, 1, 1)
    assert counts(m.schemes["type"]) == (3, 0, 0, 1, 1)
    assert m.schemes["partial"].precision == pytest.approx(2.5 / 4)
    assert list(m.labels) == ["OFFICIAL", "ORG", "DATE", "MONEY"]
    text = format_report(report)
    assert "Mentions (1 span-annotated document(s)):" in text
    assert "| all      | partial | 0.625 | 0.625 | 0.625 |   2 |   0 |   1 |   1 |   1 |" in text
    data = report.to_dict()["mentions"]
    assert data["schemes"]["strict"]["possible"] == 4
    assert data["labels"]["DATE"]["type"]["cor"] == 1


def test_span_problems():
    gold = doc(
        text="Short text.",
        officials=[{"name": "A", "mentions": [mention(0, 50), mention(3, 3)]}],
        meta={"spans": [{"start": 8, "end": 4, "label": "ORG"}, {"start": True, "end": 3, "label": "ORG"},
                        ["not", "a", "dict"], {"start": 0, "end": 5, "label": "PERSON"}]},
    )
    problems = span_problems(gold, where="gold.jsonl, line 7")
    assert [p[:6] for p in problems] == ["[E030]", "[E031]", "[E031]", "[W010]", "[E030]"]
    assert all("gold.jsonl, line 7" in p for p in problems)
    assert "spans[0] (ORG) has bad offsets 8-4 (start is after end)" in problems[0]
    assert "officials[0].mentions[0] 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' has bad offsets 0-50" in problems[4]
    assert "which has 11 characters" in problems[4]
    assert span_problems(doc(meta={"spans": "ORG"}), where="w")[0].startswith("[E031] w: spans is malformed")
    # Without text only the order of the offsets can be checked.
    assert span_problems(doc(officials=[{"name": "A", "mentions": [mention(0, 50)]}]), where="w") == []
