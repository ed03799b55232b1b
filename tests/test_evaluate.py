"""The scorer: every matching rule of ANNOTATION.md's scoring table, file reading, the report."""
import json
import random
from pathlib import Path

import pytest

from extractor.errors import ExtractorError
from extractor.evaluate import (
    EvalReport,
    evaluate,
    evaluate_files,
    format_report,
    match_records,
    read_documents,
    same_official,
    same_party,
    text_overlap,
)
from extractor.schema import DocumentExtraction

DATA = Path(__file__).parent / "data" / "eval"


def doc(doc_id: str = "d", **lists) -> DocumentExtraction:
    return DocumentExtraction.model_validate({"id": doc_id, **lists})


def off(name: str, title=None, organisation=None, country=None) -> dict:
    return {"name": name, "title": title, "organisation": organisation, "country": country}


def org(name: str, acronym=None, aliases=()) -> dict:
    return {"name": name, "acronym": acronym, "aliases": list(aliases)}


def date(text: str, value: str) -> dict:
    return {"text": text, "value": value}


def pledge(amount, currency="USD", donor=None, recipient=None, text="$") -> dict:
    return {"text": text, "amount": amount, "currency": currency, "donor": donor, "recipient": recipient}


def themes(*ids: str) -> list[dict]:
    return [{"id": i} for i in ids]


def score_one(list_name: str, pred: list, gold: list) -> EvalReport:
    return evaluate([doc(**{list_name: pred})], [doc(**{list_name: gold})])


def counts(report: EvalReport, list_name: str) -> tuple[int, int, int]:
    c = report.lists[list_name].counts
    return c.tp, c.fp, c.fn


# --- officials -------------------------------------------------------------


@pytest.mark.parametrize(
    "predicted,gold,same",
    [
        ("Volker Türk", "VOLKER TURK", True),  # case and accents
        ("Ham Sang-wook", "Ham Sangwook", True),  # hyphen
        ("Ham Sang wook", "Ham Sang-wook", True),  # space vs hyphen
        ("Kang Insun", "Insun Kang", True),  # family name last
        ("Yoon Suk Yeol", "Suk Yeol Yoon", True),  # family name moved, two given names
        ("Suk Yeol Yoon", "Yoon Suk Yeol", True),
        ("Ham Sang-wook", "Sang-wook HAM", True),
        ("Sergey LAVROV", "Sergey Lavrov", True),
        ("Yoon Suk Yeol", "Yeol Suk Yoon", False),  # full reversal is not a family-name move
        ("Antony J. Blinken", "Antony Blinken", False),  # no initial dropping
        ("Kang Insun", "Kang Kyung-wha", False),
        ("Kang", "Kang Insun", False),
    ],
)
def test_official_names(predicted, gold, same):
    assert same_official(predicted, gold) is same
    report = score_one("officials", [off(predicted)], [off(gold)])
    assert counts(report, "officials") == ((1, 0, 0) if same else (0, 1, 1))


def test_official_attribute_accuracy():
    report = score_one(
        "officials",
        [
            off("Insun KANG", "vice minister of foreign affairs", "Ministry of Foreign Affairs", "kr"),
            off("Volker Turk", "High Commissioner", None, None),
            off("Ned Price", "Spokesperson"),
        ],
        [
            off("Kang Insun", "Vice Minister of Foreign Affairs", "Ministry of Foreign Affairs", "KR"),
            off("Volker Türk", "UN High Commissioner for Human Rights", "OHCHR", None),
            off("Filippo Grandi", "UN High Commissioner for Refugees", "UNHCR"),
        ],
    )
    assert counts(report, "officials") == (2, 1, 1)
    attributes = report.lists["officials"].attributes
    assert attributes["title"].score == 0.5
    assert attributes["organisation"].score == 0.5
    assert attributes["country"].score == 1.0  # "kr" ~ "KR"; None == None
    assert attributes["title"].total == 2
    errors = report.per_document[0].lists["officials"].attribute_errors
    assert {(e["attribute"], e["predicted"]) for e in errors} == {
        ("title", "High Commissioner"),
        ("organisation", None),
    }


def test_official_pairs_prefer_agreeing_attributes():
    # Two predictions for one person: the one that agrees is the match, the other the FP.
    report = score_one(
        "officials",
        [off("Kang Insun", "Minister"), off("Kang Insun", "Vice Minister")],
        [off("Kang Insun", "Vice Minister")],
    )
    assert counts(report, "officials") == (1, 1, 0)
    assert report.lists["officials"].attributes["title"].score == 1.0


# --- organisations ---------------------------------------------------------


@pytest.mark.parametrize(
    "predicted,gold,same",
    [
        (org("United Nations", "UN"), org("UN", "UN"), True),  # acronym = name
        (org("UN"), org("United Nations", "UN"), True),
        (org("The United Nations"), org("United Nations"), True),  # leading "the"
        (org("the UN"), org("UN"), True),
        (org("UN Refugee Agency", aliases=["UNHCR"]), org("Office of the UN High Commissioner for Refugees", "UNHCR"), True),
        (org("Human Rights Council"), org("United Nations Human Rights Council", aliases=["Human Rights Council"]), True),
        (org("Théâtre-Français"), org("THEATRE FRANCAIS"), True),  # folding
        (org("UN General Assembly"), org("United Nations", "UN"), False),
        (org("Other Body", "UN"), org("UN General Assembly", "UNGA"), False),
        (org("Theatre"), org("Atre"), False),  # only a whole leading "the" is dropped
    ],
)
def test_organisation_matching(predicted, gold, same):
    report = score_one("organisations", [predicted], [gold])
    assert counts(report, "organisations") == ((1, 0, 0) if same else (0, 1, 1))


def test_organisation_acronym_accuracy():
    report = score_one(
        "organisations",
        [org("Office of the High Commissioner for Human Rights", "OHCHR"), org("United Nations"), org("NATO")],
        [org("OHCHR", "OHCHR"), org("United Nations", "UN"), org("ASEAN", "ASEAN")],
    )
    assert counts(report, "organisations") == (2, 1, 1)
    assert report.lists["organisations"].attributes["acronym"].score == 0.5


def test_organisation_matching_is_maximum_not_greedy():
    # A greedy pass in document order pairs the first prediction with the first
    # gold record and leaves the second prediction alone; the maximum matching
    # finds both pairs.
    predicted = [org("UN Refugee Agency", "UNHCR"), org("UNHCR")]
    gold = [org("UNHCR"), org("UN Refugee Agency")]
    assert match_records(
        [doc(organisations=[p]).organisations[0] for p in predicted],
        [doc(organisations=[g]).organisations[0] for g in gold],
        rule="organisations",
    ) == [(1, 0), (0, 1)]
    report = score_one("organisations", predicted, gold)
    assert counts(report, "organisations") == (2, 0, 0)


# --- dates -----------------------------------------------------------------


@pytest.mark.parametrize(
    "a,b,overlap",
    [
        ("February 26", "February 26 to 28", 0.5),
        ("2025-27", "2025–27", 1.0),
        ("last year", "this year", 1 / 3),
        ("June 30, 2022", "june 30 2022", 1.0),
        ("today", "this day", 0.0),
    ],
)
def test_text_overlap(a, b, overlap):
    assert text_overlap(a, b) == pytest.approx(overlap)


@pytest.mark.parametrize(
    "predicted,gold,same",
    [
        (date("February 27", "2024-02-27"), date("27 February", "2024-02-27"), True),
        (date("February 27", "xxxx-02-27"), date("February 27", "XXXX-02-27"), True),
        (date("2025-27", "2025 / 2027"), date("2025-27", "2025/2027"), True),
        (date("this week", "2021-w22"), date("this week", "2021-W22"), True),
        (date("last year", "2024"), date("last year", "2023"), False),
        (date("March", "2024-03-01"), date("March", "2024-03"), False),
    ],
)
def test_date_value_matching(predicted, gold, same):
    report = score_one("dates", [predicted], [gold])
    assert counts(report, "dates") == ((1, 0, 0) if same else (0, 1, 1))


def test_date_ties_resolved_by_text_overlap():
    # In document order each prediction would take the first gold record with
    # its value (overlap 2/3 each); the table's rule pairs equal texts (overlap 1).
    report = score_one(
        "dates",
        [date("27 February 2024", "2024-02-27"), date("February 27", "2024-02-27"), date("March 1", "2024-03-01")],
        [date("February 27", "2024-02-27"), date("February 27, 2024", "2024-02-27"), date("March", "2024-03")],
    )
    assert counts(report, "dates") == (2, 1, 1)
    assert report.lists["dates"].attributes["text_overlap"].score == 1.0


def test_date_text_overlap_rate():
    report = score_one(
        "dates",
        [date("February 26", "2024-02-26/2024-02-28"), date("2024", "2024")],
        [date("February 26 to 28", "2024-02-26/2024-02-28"), date("this year", "2024")],
    )
    assert counts(report, "dates") == (2, 0, 0)
    assert report.lists["dates"].attributes["text_overlap"].score == pytest.approx((0.5 + 0.0) / 2)


# --- pledges ---------------------------------------------------------------


@pytest.mark.parametrize(
    "predicted,gold,same",
    [
        (pledge(2_000_000), pledge(2e6), True),
        (pledge(18_500_000.000001), pledge(18.5e6), True),  # float noise
        (pledge(100_000, "usd"), pledge(100_000, "USD"), True),
        (pledge(2_000_000, None), pledge(2_000_000, None), True),
        (pledge(2_000_000, "KRW"), pledge(2_000_000, "USD"), False),
        (pledge(2_000_000, None), pledge(2_000_000, "USD"), False),
        (pledge(2_000_001), pledge(2_000_000), False),
    ],
)
def test_pledge_matching(predicted, gold, same):
    report = score_one("pledges", [predicted], [gold])
    assert counts(report, "pledges") == ((1, 0, 0) if same else (0, 1, 1))


@pytest.mark.parametrize(
    "a,b,same",
    [
        ("Republic of Korea", "republic of korea", True),
        ("Korea", "Republic of Korea", True),  # one contains the other, on whole words
        ("Action with Women and Peace Fund", "Women and Peace Fund", True),
        ("the United States", "United States", True),
        ("United States and Japan", "United States", True),
        ("US", "Australia", False),  # a substring, not a word
        ("Japan", "Republic of Korea", False),
        (None, None, True),
        (None, "Libya", False),
        ("", None, True),
    ],
)
def test_donor_recipient_agreement(a, b, same):
    assert same_party(a, b) is same
    assert same_party(b, a) is same


def test_pledge_donor_recipient_accuracy():
    report = score_one(
        "pledges",
        [
            pledge(2e6, donor="Korea", recipient="Action with Women and Peace Fund"),
            pledge(5e5, donor="Japan", recipient=None),
        ],
        [
            pledge(2e6, donor="Republic of Korea", recipient="Action with Women and Peace Fund"),
            pledge(5e5, donor="Republic of Korea", recipient="UNHCR"),
        ],
    )
    assert counts(report, "pledges") == (2, 0, 0)
    attributes = report.lists["pledges"].attributes
    assert attributes["donor"].score == 0.5
    assert attributes["recipient"].score == 0.5


def test_distributive_pledges():
    # "$300,000 to Mozambique as well as $100,000 each to Zimbabwe and Malawi
    # ... a total of $500,000": four gold pledges. The prediction lists the
    # parts in another order, repeats Malawi, and misses the total.
    gold = [
        pledge(300_000, donor="United States", recipient="Mozambique"),
        pledge(100_000, donor="United States", recipient="Zimbabwe"),
        pledge(100_000, donor="United States", recipient="Malawi"),
        pledge(500_000, donor="United States", recipient="Mozambique, Zimbabwe and Malawi"),
    ]
    predicted = [
        pledge(100_000, donor="United States", recipient="Malawi"),
        pledge(100_000, donor=None, recipient="Zimbabwe"),
        pledge(300_000, donor="the United States", recipient="Mozambique"),
        pledge(100_000, donor="United States", recipient="Malawi"),
    ]
    report = score_one("pledges", predicted, gold)
    assert counts(report, "pledges") == (3, 1, 1)
    score = report.lists["pledges"]
    assert (score.precision, score.recall, score.f1) == (0.75, 0.75, 0.75)
    # Each part pairs with its own recipient, whatever the order.
    assert score.attributes["recipient"].score == 1.0
    assert score.attributes["donor"].score == pytest.approx(2 / 3)
    detail = report.per_document[0].lists["pledges"]
    assert [m["recipient"] for m in detail.missed] == ["Mozambique, Zimbabwe and Malawi"]
    assert [s["recipient"] for s in detail.spurious] == ["Malawi"]


# --- themes ----------------------------------------------------------------


def test_themes_per_theme_scores():
    report = evaluate(
        [
            doc("a", themes=themes("human_rights", "north_korea")),
            doc("b", themes=themes("human_rights", "health")),
        ],
        [
            doc("a", themes=themes("human_rights", "north_korea", "nonproliferation")),
            doc("b", themes=themes("peace_security", "health")),
        ],
    )
    assert counts(report, "themes") == (3, 1, 2)
    assert report.lists["themes"].precision == 0.75
    assert report.lists["themes"].recall == 0.6
    assert report.lists["themes"].f1 == pytest.approx(2 / 3)
    per_theme = {t: (p.tp, p.fp, p.fn) for t, p in report.themes.items()}
    assert per_theme == {
        "human_rights": (1, 1, 0),
        "north_korea": (1, 0, 0),
        "nonproliferation": (0, 0, 1),
        "peace_security": (0, 0, 1),
        "health": (1, 0, 0),
    }
    # Taxonomy order.
    assert list(report.themes) == ["human_rights", "north_korea", "nonproliferation", "peace_security", "health"]
    assert report.themes["human_rights"].precision == 0.5
    assert report.themes["human_rights"].f1 == pytest.approx(2 / 3)


# --- counting rules --------------------------------------------------------


@pytest.mark.parametrize(
    "list_name,record",
    [
        ("officials", off("Kang Insun")),
        ("organisations", org("United Nations", "UN")),
        ("dates", date("February 27", "2024-02-27")),
        ("pledges", pledge(2e6)),
        ("themes", {"id": "health"}),
    ],
)
def test_duplicate_record_counts_once_as_false_positive(list_name, record):
    report = score_one(list_name, [record, record], [record])
    assert counts(report, list_name) == (1, 1, 0)
    score = report.lists[list_name]
    assert (score.precision, score.recall) == (0.5, 1.0)
    assert score.f1 == pytest.approx(2 / 3)


def test_lists_missing_in_gold_are_skipped():
    predicted = [
        doc("a", officials=[off("Kang Insun")], pledges=[pledge(1)], themes=themes("health")),
        doc("b", officials=[off("Kang Insun")], pledges=[pledge(1)], themes=themes("health")),
    ]
    gold = [doc("a", officials=[off("Kang Insun")], pledges=[]), doc("b", pledges=None, themes=[])]
    report = evaluate(predicted, gold)
    assert set(report.lists) == {"officials", "pledges", "themes"}
    assert report.not_annotated == ["organisations", "dates"]
    assert report.lists["officials"].docs == 1
    assert counts(report, "officials") == (1, 0, 0)  # b's official is not scored
    assert report.lists["pledges"].docs == 1
    assert counts(report, "pledges") == (0, 1, 0)  # an empty gold list is scored
    assert counts(report, "themes") == (0, 1, 0)


def test_missing_prediction_scores_empty_with_warning():
    gold = [doc("a", officials=[off("Kang Insun")]), doc("b", officials=[off("Ned Price")], themes=[])]
    report = evaluate([doc("a", officials=[off("Kang Insun")]), doc("z", officials=[])], gold)
    assert counts(report, "officials") == (1, 0, 1)
    assert report.missing_predictions == ["b"]
    assert report.warnings == ["[W003] b: not in the predictions, scored as an empty prediction"]
    assert report.ignored_predictions == 1
    assert any("1 predicted document(s) have no gold record" in n for n in report.notes)
    assert report.per_document[1].predicted is False


def test_prediction_without_a_list_scores_empty():
    report = evaluate([doc("a")], [doc("a", dates=[date("June 23", "2021-06-23")])])
    assert counts(report, "dates") == (0, 0, 1)
    assert any("'dates'" in n for n in report.notes)


def test_micro_and_macro_averages():
    predicted = [
        doc("a", officials=[off("Kang Insun"), off("Volker Türk")]),
        doc("b", officials=[off("Ned Price")]),
        doc("c", officials=[]),
    ]
    gold = [
        doc("a", officials=[off("Kang Insun"), off("Volker Türk")]),
        doc("b", officials=[off("Antony J. Blinken")]),
        doc("c", officials=[]),  # nothing to find, nothing found: a perfect document
    ]
    score = evaluate(predicted, gold).lists["officials"]
    assert (score.counts.tp, score.counts.fp, score.counts.fn) == (2, 1, 1)
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(2 / 3)
    assert score.macro_precision == pytest.approx(2 / 3)
    assert score.macro_recall == pytest.approx(2 / 3)
    assert score.macro_f1 == pytest.approx(2 / 3)
    assert score.docs == 3


def test_all_empty_is_perfect():
    score = evaluate([doc("a", themes=[])], [doc("a", themes=[])]).lists["themes"]
    assert (score.precision, score.recall, score.f1) == (1.0, 1.0, 1.0)
    assert score.attributes == {}


def test_matching_is_deterministic_and_order_free():
    gold = [
        pledge(100_000, recipient="Zimbabwe"),
        pledge(100_000, recipient="Malawi"),
        pledge(100_000, recipient="Zambia"),
    ]
    predicted = [
        pledge(100_000, recipient="Malawi"),
        pledge(100_000, recipient="Zambia"),
        pledge(100_000, recipient="Zimbabwe"),
        pledge(100_000, recipient="Malawi"),
    ]
    first = score_one("pledges", predicted, gold).to_dict()
    for seed in range(5):
        random.Random(seed).shuffle(predicted)
        again = score_one("pledges", predicted, gold).to_dict()
        assert again["scores"] == first["scores"]
    assert first["scores"]["pledges_recipient"] == 1.0


@pytest.mark.parametrize("n_pred,n_gold", [(1, 3), (3, 1), (4, 4), (6, 2)])
def test_match_records_sizes(n_pred, n_gold):
    predicted = doc(dates=[date(f"t{i}", "2024") for i in range(n_pred)]).dates
    gold = doc(dates=[date(f"t{i}", "2024") for i in range(n_gold)]).dates
    pairs = match_records(predicted, gold, rule="dates")
    assert len(pairs) == min(n_pred, n_gold)
    assert all(i == j for i, j in pairs)  # equal texts pair up


# --- files -----------------------------------------------------------------


def test_read_documents_reports_bad_lines_and_keeps_the_rest():
    docs, problems = read_documents(DATA / "pred.jsonl")
    assert [d.id for d in docs] == ["d1", "d2", "d9"]
    assert len(problems) == 3
    assert problems[0].startswith("[E002]") and "pred.jsonl, line 2: invalid JSON" in problems[0]
    assert problems[1].startswith("[E013]") and "line 5: id 'd1'" in problems[1]
    assert "line 1 is kept" in problems[1]
    assert problems[2].startswith("[E010]") and "line 6" in problems[2]
    assert "officials.0.name: Field required" in problems[2]


def test_read_json_list_with_line_numbers():
    docs, problems = read_documents(DATA / "gold_list.json")
    assert [d.id for d in docs] == ["j1", "j2"]
    assert problems[0].startswith("[E012]") and "'not_a_theme'" in problems[0]
    assert "gold_list.json, line 3" in problems[0]
    assert problems[1].startswith("[E010]") and "gold_list.json, line 5" in problems[1]


@pytest.mark.parametrize(
    "content,ids,n_problems",
    [
        ('{"id": "x", "themes": []}', ["x"], 0),
        ('{"id": "x"}\n{"id": "y"}\n', ["x", "y"], 0),  # JSON Lines in a .json file
        ('[{"id": "x"}, {"id": "y"}]', ["x", "y"], 0),
        ("[]", [], 0),
        ('[{"id": "x"}, {"id": ', ["x"], 1),
        ('\ufeff{"id": "x"}', ["x"], 0),
    ],
)
def test_read_json_shapes(tmp_path, content, ids, n_problems):
    path = tmp_path / "docs.json"
    path.write_text(content, encoding="utf-8")
    docs, problems = read_documents(path)
    assert [d.id for d in docs] == ids
    assert len(problems) == n_problems


def test_read_jsonl_bad_encoding_and_non_object(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b'{"id": "a"}\n\xff\xfe\n[1, 2]\n\n{"id": "b"}\n')
    docs, problems = read_documents(path)
    assert [d.id for d in docs] == ["a", "b"]
    assert "line 2: not UTF-8" in problems[0]
    assert "line 3: expected a JSON object, got list" in problems[1]


def test_missing_file_raises():
    with pytest.raises(ExtractorError, match=r"\[E005\]"):
        read_documents(DATA / "nope.jsonl")


def test_gold_without_text_is_kept():
    docs, problems = read_documents(DATA / "gold.jsonl")
    assert problems == []
    assert [d.text for d in docs] == [None, None, None]
    assert docs[1].release_date is None


@pytest.mark.parametrize("corpus", ["corpus.jsonl", "corpus_txt"])
def test_gold_joins_corpus_text(corpus):
    docs, problems = read_documents(DATA / "gold.jsonl", corpus=DATA / corpus)
    assert docs[0].text.startswith("Vice Minister of Foreign Affairs Kang Insun")
    assert docs[1].text.startswith("The United Nations met")
    assert docs[2].text is None
    assert len(problems) == 1 and problems[0].startswith("[W004] d3: no record with that id")
    if corpus == "corpus.jsonl":
        assert str(docs[1].release_date) == "2021-06-23"  # taken from the corpus
    assert str(docs[0].release_date) == "2024-02-29"  # gold's own is kept


def test_require_text():
    docs, problems = read_documents(DATA / "gold.jsonl", corpus=DATA / "corpus.jsonl", require_text=True)
    assert [d.id for d in docs] == ["d1", "d2"]
    assert any(p.startswith("[E014] Gold document 'd3'") for p in problems)


def test_evaluate_files_end_to_end():
    report = evaluate_files(DATA / "pred.jsonl", DATA / "gold.jsonl", corpus=DATA / "corpus.jsonl")
    assert report.documents == 3
    expected = {
        "officials": ((2, 1, 1), 3),
        "organisations": ((2, 1, 1), 2),
        "dates": ((2, 1, 1), 2),
        "pledges": ((1, 0, 0), 1),
        "themes": ((2, 1, 2), 3),
    }
    assert {name: (counts(report, name), s.docs) for name, s in report.lists.items()} == expected
    officials = report.lists["officials"]
    assert officials.f1 == pytest.approx(2 / 3)
    assert officials.macro_f1 == pytest.approx(1 / 3)  # d1 perfect, d2 and d3 zero
    assert {a: s.score for a, s in officials.attributes.items()} == {
        "title": 0.5,
        "organisation": 0.5,
        "country": 1.0,
    }
    assert report.lists["organisations"].attributes["acronym"].score == 0.5
    assert report.lists["dates"].attributes["text_overlap"].score == 1.0
    assert report.lists["pledges"].attributes["donor"].score == 1.0  # "Korea" in "Republic of Korea"
    assert report.lists["themes"].f1 == pytest.approx(4 / 7)
    assert [p[:6] for p in report.problems] == ["[E002]", "[E013]", "[E010]", "[W004]"]
    assert report.warnings == ["[W003] d3: not in the predictions, scored as an empty prediction"]
    assert report.ignored_predictions == 1


def test_to_dict_is_json_and_flat_scores():
    report = evaluate_files(DATA / "pred.jsonl", DATA / "gold.jsonl")
    data = json.loads(json.dumps(report.to_dict()))
    assert data["scores"]["officials_f"] == pytest.approx(2 / 3)
    assert data["scores"]["officials_title"] == 0.5
    assert data["scores"]["dates_text_overlap"] == 1.0
    assert data["lists"]["themes"]["fn"] == 2
    assert data["themes"]["gender_wps"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 1}
    assert data["per_document"][0]["lists"]["dates"]["missed"] == [{"text": "last year", "value": "2023"}]
    assert data["sources"]["gold"].endswith("gold.jsonl")


def test_format_report_is_markdown():
    text = format_report(evaluate_files(DATA / "pred.jsonl", DATA / "gold.jsonl"))
    tables: list[list[str]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
        previous = line
    assert len(tables) == 3  # lists, attributes, themes
    for table in tables:
        widths = {line.count("|") for line in table}
        assert len(widths) == 1, "every row of a table has the same number of cells"
        assert set(table[1].replace("|", "").replace(" ", "")) <= {"-", ":"}
    assert tables[0][0].split("|")[1:9] == [
        " list          ", "     P ", "     R ", "    F1 ", "  TP ", "  FP ", "  FN ", " docs "
    ]
    assert "| officials     | 0.667 | 0.667 | 0.667 |   2 |   1 |   1 |    3 |   0.333 |" in text
    assert "| officials     | title        | 0.500 |     2 |" in text
    assert "| gender_wps     | 0.000 | 0.000 | 0.000 |   0 |   0 |   1 |" in text
    assert "Warnings:\n- [W003] d3" in text


def test_format_report_marks_unscored_attributes():
    report = score_one("officials", [], [off("Kang Insun")])
    text = format_report(report)
    assert "| officials | title        |   n/a |     0 |" in text
    assert "Not annotated in gold, not scored: organisations, dates, pledges, themes." in text
