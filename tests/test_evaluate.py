"""The scorer: every matching rule of ANNOTATION.md's scoring table, file reading, the report."""
import json
import random
from pathlib import Path

import pytest

import extractor.evaluate as evaluate_module
from extractor.errors import ExtractorError
from extractor.evaluate import (
    EvalReport,
    check_floors,
    compare,
    evaluate,
    evaluate_files,
    floor_keys,
    format_comparison,
    format_report,
    match_records,
    parse_floors,
    read_documents,
    same_official,
    same_party,
    sentence_starts,
    text_overlap,
    write_errors,
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
    text = format_report(evaluate_files(DATA / "pred.jsonl", DATA / "gold.jsonl", bootstrap=0))
    tables: list[list[str]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                tables.append([])
            tables[-1].append(line)
        previous = line
    assert len(tables) == 4  # lists, attributes, themes, currencies
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
    assert "| USD      | 1.000 | 1.000 | 1.000 |   1 |   0 |   0 |" in text
    assert "Warnings:\n- [W003] d3" in text


def test_format_report_marks_unscored_attributes():
    report = evaluate([doc(officials=[])], [doc(officials=[off("Kang Insun")])], bootstrap=0)
    text = format_report(report)
    assert "| officials | title        |   n/a |     0 |" in text
    assert "Not annotated in gold, not scored: organisations, dates, pledges, themes." in text


# --- bootstrap confidence intervals -----------------------------------------


def _varied_corpus(n: int = 30) -> tuple[list[DocumentExtraction], list[DocumentExtraction]]:
    rng = random.Random(7)
    predicted, gold = [], []
    for k in range(n):
        names = [f"Person{k} Name{i}" for i in range(rng.randint(1, 5))]
        kept = [name for name in names if rng.random() < 0.8]
        extra = [f"Wrong{k} Person{i}" for i in range(rng.randint(0, 2))]
        gold.append(doc(f"d{k}", officials=[off(x) for x in names], themes=themes("health")))
        predicted.append(doc(f"d{k}", officials=[off(x) for x in kept + extra], themes=themes("health")))
    return predicted, gold


def test_bootstrap_is_deterministic_and_contains_the_estimate():
    predicted, gold = _varied_corpus()
    first = evaluate(predicted, gold, bootstrap=500, seed=3)
    again = evaluate(predicted, gold, bootstrap=500, seed=3)
    other = evaluate(predicted, gold, bootstrap=500, seed=4)
    officials = first.lists["officials"]
    assert officials.ci == again.lists["officials"].ci
    assert officials.ci != other.lists["officials"].ci
    for metric in ("precision", "recall", "f1"):
        low, high = officials.ci[metric]
        assert low < getattr(officials, metric) < high
        assert 0.0 <= low < high <= 1.0
    # Every document perfect on themes: every replicate is 1.0.
    assert first.lists["themes"].ci == {"precision": (1.0, 1.0), "recall": (1.0, 1.0), "f1": (1.0, 1.0)}
    assert first.bootstrap == {"samples": 500, "seed": 3, "level": 0.95}
    data = json.loads(json.dumps(first.to_dict()))
    assert data["lists"]["officials"]["ci"]["f1"] == list(officials.ci["f1"])
    assert data["bootstrap"]["samples"] == 500


def test_bootstrap_default_and_off():
    predicted, gold = _varied_corpus(5)
    assert evaluate(predicted, gold).bootstrap == {"samples": 1000, "seed": 0, "level": 0.95}
    report = evaluate(predicted, gold, bootstrap=0)
    assert report.bootstrap is None
    assert report.lists["officials"].ci is None
    assert report.to_dict()["lists"]["officials"]["ci"] is None
    assert "[" not in format_report(report).split("\n\n")[1]


def test_bootstrap_does_not_match_again(monkeypatch):
    predicted, gold = _varied_corpus(10)
    calls = []
    original = evaluate_module.match_records
    monkeypatch.setattr(evaluate_module, "match_records", lambda *a, **k: calls.append(1) or original(*a, **k))
    evaluate(predicted, gold, bootstrap=0)
    without = len(calls)
    evaluate(predicted, gold, bootstrap=200)
    assert len(calls) == 2 * without


def test_bootstrap_single_document_is_degenerate():
    report = evaluate([doc(officials=[off("Kang Insun")])], [doc(officials=[off("Kang Insun"), off("Ned Price")])])
    assert report.lists["officials"].ci["recall"] == (0.5, 0.5)


def test_bootstrap_shown_in_format_report():
    predicted, gold = _varied_corpus()
    report = evaluate(predicted, gold, bootstrap=200, seed=1)
    text = format_report(report)
    low, high = report.lists["officials"].ci["f1"]
    assert f"{report.lists['officials'].f1:.3f} [{low:.2f}–{high:.2f}]" in text
    assert "95% bootstrap confidence interval over documents (200 resamples, seed 1)" in text


@pytest.mark.parametrize("kwargs", [{"bootstrap": -1}, {"bootstrap": 1.5}, {"level": 1.0}, {"level": 0}])
def test_bootstrap_bad_options(kwargs):
    with pytest.raises(ExtractorError, match=r"\[E034\]"):
        evaluate([], [], **kwargs)


# --- per currency --------------------------------------------------------------


def test_per_currency_scores():
    report = score_one(
        "pledges",
        [pledge(1e6, "USD"), pledge(3e9, "krw"), pledge(2e6, "EUR"), pledge(5, None)],
        [pledge(1e6, "USD"), pledge(3e9, "KRW"), pledge(2e6, "USD"), pledge(5, None)],
    )
    per_currency = {code: (p.tp, p.fp, p.fn) for code, p in report.currencies.items()}
    assert per_currency == {"EUR": (0, 1, 0), "KRW": (1, 0, 0), "USD": (1, 0, 1), "(none)": (1, 0, 0)}
    assert list(report.currencies) == ["EUR", "KRW", "USD", "(none)"]
    assert report.currencies["USD"].recall == 0.5
    assert report.currencies["USD"].f1 == pytest.approx(2 / 3)
    assert report.to_dict()["currencies"]["EUR"]["precision"] == 0.0
    assert "| (none)   | 1.000 | 1.000 | 1.000 |   1 |   0 |   0 |" in format_report(report)


# --- bad gold ------------------------------------------------------------------


def test_bad_gold_file_is_reported_and_the_rest_scored():
    report = evaluate_files(DATA / "bad_pred.jsonl", DATA / "bad_gold.jsonl", bootstrap=0)
    codes = [p[:6] for p in report.problems]
    assert codes == ["[E002]", "[E012]", "[E030]", "[E030]", "[E031]", "[W010]", "[E013]"]
    assert "bad_gold.jsonl, line 4: invalid JSON" in report.problems[0]  # invalid JSON line
    assert "'not_a_theme' in " in report.problems[1] and "bad_gold.jsonl, line 1" in report.problems[1]
    assert "line 1: officials[0].mentions[0] 'Short' has bad offsets 0-50" in report.problems[2]
    assert "line 2: spans[0] (ORG) has bad offsets 8-4 (start is after end)" in report.problems[3]
    assert "line 2: spans[1] is malformed" in report.problems[4]
    assert "label 'PERSON'" in report.problems[5]
    assert "line 3: id 'b1' occurs more than once" in report.problems[6]
    # The missing prediction is said and scored as empty.
    assert report.missing_predictions == ["b3"]
    assert report.warnings == ["[W003] b3: not in the predictions, scored as an empty prediction"]
    assert any("1 gold document(s) have no prediction and were scored as empty predictions." == n for n in report.notes)
    # Everything else is scored: themes of b1 (one unknown id) and b3, b2's span.
    assert report.documents == 3
    assert counts(report, "themes") == (1, 0, 2)
    assert report.themes["not_a_theme"].fn == 1
    assert report.mentions.documents == 2
    exact = report.mentions.schemes["exact"]
    assert (exact.cor, exact.spu) == (1, 1)  # b2's PERSON span; b1's prediction, its gold offsets bad


def test_bad_gold_objects_are_reported_by_evaluate():
    gold = [
        {"id": "a", "text": "Short.", "themes": [{"id": "nope"}],
         "dates": [{"text": "x", "value": "2024", "mentions": [{"start": 4, "end": 9, "text": "x"}]}]},
        {"id": "a", "themes": []},
        {"id": "b", "themes": [{"id": "health"}], "spans": [{"start": 2, "end": 1, "label": "ORG"}]},
    ]
    report = evaluate([{"id": "a", "themes": []}], gold, bootstrap=0)
    assert report.problems[0] == (
        "[E012] Unknown theme id 'nope' in gold document 'a'. Use one of the ids of the taxonomy."
    )
    assert report.problems[1].startswith("[E030] gold document 'a': dates[0].mentions[0] 'x' has bad offsets 4-9")
    assert report.problems[2].startswith("[E030] gold document 'b': spans[0] (ORG) has bad offsets 2-1")
    assert report.warnings[0].startswith("[E013] gold: id 'a' occurs more than once")
    assert report.warnings[1] == "[W003] b: not in the predictions, scored as an empty prediction"
    assert counts(report, "themes") == (0, 0, 2)


def test_gold_spans_field_is_kept_in_meta(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "UN.", "spans": [{"start": 0, "end": 2, "label": "ORG"}]}) + "\n")
    docs, problems = read_documents(path)
    assert problems == []
    assert docs[0].meta["spans"] == [{"start": 0, "end": 2, "label": "ORG"}]


# --- comparing runs --------------------------------------------------------------


def _runs() -> tuple[EvalReport, EvalReport]:
    gold = [
        doc("a", officials=[off("Kang Insun"), off("Volker Türk")]),
        doc("b", officials=[off("Ned Price")]),
        doc("c", officials=[off("Antony Blinken")]),
        doc("d", officials=[off("Filippo Grandi", "High Commissioner")]),
    ]
    baseline = [
        doc("a", officials=[off("Kang Insun")]),
        doc("b", officials=[off("Ned Price")]),
        doc("c", officials=[]),
        doc("d", officials=[off("Filippo Grandi", "High Commissioner")]),
    ]
    current = [
        doc("a", officials=[off("Kang Insun"), off("Volker Türk")]),
        doc("b", officials=[]),
        doc("c", officials=[off("Antony Blinken")]),
        doc("d", officials=[off("Filippo Grandi", "Commissioner")]),
    ]
    return evaluate(current, gold, bootstrap=0), evaluate(baseline, gold, bootstrap=0)


def test_compare_runs():
    current, baseline = _runs()
    comparison = compare(current, baseline)
    officials = comparison.lists["officials"]
    assert (officials.f1.baseline, officials.f1.current) == pytest.approx((6 / 8, 8 / 9))
    assert officials.f1.change == pytest.approx(8 / 9 - 6 / 8)
    assert officials.precision.change == 0.0
    assert officials.recall.change == pytest.approx(4 / 5 - 3 / 5)
    assert comparison.scores["officials_title"].change == pytest.approx(3 / 4 - 1.0)
    # a: 1 → 0, c: 1 → 0 better; b: 0 → 1 (missed), d: 0 → 1 (title) worse.
    assert [(d.id, d.baseline_errors, d.errors) for d in comparison.better] == [("a", 1, 0), ("c", 1, 0)]
    assert [(d.id, d.baseline_errors, d.errors) for d in comparison.worse] == [("b", 0, 1), ("d", 0, 1)]
    assert comparison.better[0].lists == {"officials": (1, 0)}
    assert comparison.unchanged == 0
    assert comparison.notes == []
    data = json.loads(json.dumps(comparison.to_dict()))
    assert data["worse"][0] == {"id": "b", "baseline_errors": 0, "errors": 1, "lists": {"officials": [0, 1]}}


def test_compare_notes_different_documents():
    current, baseline = _runs()
    baseline.per_document = baseline.per_document[:2]
    baseline.sources = {"gold": "old.jsonl"}
    current.sources = {"gold": "new.jsonl"}
    comparison = compare(current, baseline)
    assert comparison.only_in_current == ["c", "d"]
    assert any("different gold files" in n for n in comparison.notes)
    assert any("2 document(s) scored only in the current run" in n for n in comparison.notes)


def test_compare_lists_scored_in_one_run_only():
    old = evaluate([doc("a", themes=[])], [doc("a", themes=[], dates=[])], bootstrap=0)
    new = evaluate([doc("a", themes=[])], [doc("a", themes=[])], bootstrap=0)
    comparison = compare(new, old)
    assert comparison.lists["dates"].f1.current is None and comparison.lists["dates"].f1.change is None
    assert comparison.notes == ["'dates' is scored only in the baseline."]
    assert "1.000 → n/a |" in format_comparison(comparison)


def test_format_comparison():
    current, baseline = _runs()
    text = format_comparison(compare(current, baseline), limit=1)
    assert "| officials | 1.000 → 1.000 (+0.000) | 0.600 → 0.800 (+0.200) | 0.750 → 0.889 (+0.139) |" in text
    assert "Better: 2 document(s)\n- a: 1 → 0 errors (officials 1→0)\n- … and 1 more" in text
    assert "Worse: 2 document(s)\n- b: 0 → 1 errors (officials 0→1)" in text
    assert "| officials_title |" in text


# --- regression gate -------------------------------------------------------------


@pytest.mark.parametrize(
    "spec,expected",
    [
        ("officials=0.9,pledges=0.9", {"officials_f": 0.9, "pledges_f": 0.9}),
        (" officials_title = 0.85 , Dates_P=0.5,", {"officials_title": 0.85, "dates_p": 0.5}),
        ("themes_recall=1,organisations_macro_f1=0", {"themes_r": 1.0, "organisations_macro_f": 0.0}),
        ("mentions_strict=0.7,mentions_partial_p=.8", {"mentions_strict_f": 0.7, "mentions_partial_p": 0.8}),
        ("pledges_donor=0.5,dates_text_overlap=0.4", {"pledges_donor": 0.5, "dates_text_overlap": 0.4}),
    ],
)
def test_parse_floors(spec, expected):
    assert parse_floors(spec) == expected


@pytest.mark.parametrize(
    "spec,message",
    [
        ("officials", "'officials' is not key=value"),
        ("officials=0.9=1", "is not key=value"),
        ("officals=0.9", "unknown key 'officals' (did you mean officials"),
        ("themes_title=0.5", "unknown key 'themes_title'"),
        ("officials=high", "the value of 'officials' is not a number: 'high'"),
        ("officials=90", "outside 0 to 1"),
        ("officials=nan", "outside 0 to 1"),
        ("officials=0.9,officials_f=0.8", "'officials_f' sets officials_f a second time"),
        ("", "no floor given"),
        (" , ", "no floor given"),
    ],
)
def test_parse_floors_errors(spec, message):
    with pytest.raises(ExtractorError, match=r"\[E032\]") as info:
        parse_floors(spec)
    assert message in str(info.value)


def test_floor_keys_cover_the_scores():
    report = evaluate_files(DATA / "spans_pred.jsonl", DATA / "spans_gold.jsonl", bootstrap=0)
    assert set(report.scores()) <= set(floor_keys().values())


def test_check_floors():
    report = evaluate_files(DATA / "spans_pred.jsonl", DATA / "spans_gold.jsonl", bootstrap=0)
    floors = parse_floors(
        "officials=0.9,organisations=0.9,officials_title=0.5,dates_text_overlap=0.5,themes=0.5,mentions_partial=0.6"
    )
    assert check_floors(report, floors) == [
        "organisations_f = 0.667 is under its floor 0.900.",
        "officials_title = 0.000 is under its floor 0.500.",
        "dates_text_overlap: no matched pairs to score, so the floor 0.500 cannot be checked.",
        "themes_f: not scored in this report (the gold does not annotate that list), so the floor 0.500 cannot be checked.",
    ]
    assert check_floors(report, {"officials_f": 1.0, "mentions_partial_f": 0.625}) == []
    plain = evaluate([doc(themes=[])], [doc(themes=[])], bootstrap=0)
    assert "no span-annotated gold documents" in check_floors(plain, {"mentions_strict_f": 0.5})[0]


# --- error analysis --------------------------------------------------------------


def test_write_errors(tmp_path):
    report = evaluate_files(DATA / "spans_pred.jsonl", DATA / "spans_gold.jsonl", bootstrap=0)
    out = tmp_path / "errors.jsonl"
    n = write_errors(report, out, predictions=DATA / "spans_pred.jsonl", gold=DATA / "spans_gold.jsonl")
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert n == len(rows) == 5
    assert [(r["list"], r["error"]) for r in rows] == [
        ("officials", "attribute_mismatch"),
        ("organisations", "false_positive"),
        ("dates", "false_positive"),
        ("dates", "false_negative"),
        ("pledges", "false_negative"),
    ]
    title = rows[0]
    assert title["id"] == "s1"
    assert (title["attribute"], title["gold_value"], title["predicted_value"]) == ("title", "Vice Minister", "Minister")
    assert title["record"]["title"] == "Vice Minister"
    assert title["sentence"] == "Vice Minister Kang Insun met UNHCR officials on February 27."
    assert (title["span"], title["span_from"], title["rule"]) == ([14, 24], "mention", "title-name")
    spurious = rows[1]
    assert spurious["record"] == {"name": "Korea", "acronym": None, "aliases": []}
    assert spurious["sentence"] == "Korea gave $2 million to the fund."
    assert spurious["rule"] == "pattern:country-body"
    missed = rows[4]
    assert missed["record"]["text"] == "$2 million" and missed["rule"] is None
    assert (missed["span"], missed["span_from"]) == ([72, 82], "search")
    assert missed["sentence"] == "Korea gave $2 million to the fund."


def test_write_errors_from_objects_and_without_text(tmp_path):
    predicted = [doc("a", officials=[off("Ned Price")], themes=themes("health"))]
    gold = [doc("a", officials=[off("Kang Insun")], themes=[])]
    report = evaluate(predicted, gold, bootstrap=0)
    out = tmp_path / "errors.jsonl"
    assert write_errors(report, out, predictions=predicted, gold=gold) == 3
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {(r["list"], r["error"]) for r in rows} == {
        ("officials", "false_positive"), ("officials", "false_negative"), ("themes", "false_positive")
    }
    assert all(r["sentence"] is None and r["span"] is None for r in rows)


def test_write_errors_refuses_other_documents(tmp_path):
    predicted = [doc("a", officials=[off("Ned Price")])]
    gold = [doc("a", officials=[off("Kang Insun")])]
    report = evaluate(predicted, gold, bootstrap=0)
    with pytest.raises(ExtractorError, match=r"\[E033\].*a officials: 0 false positive"):
        write_errors(report, tmp_path / "e.jsonl", predictions=[doc("a", officials=[])], gold=gold)
    with pytest.raises(ExtractorError, match=r"\[E033\].*gold document 'a' is missing"):
        write_errors(report, tmp_path / "e.jsonl", predictions=predicted, gold=[])


@pytest.mark.parametrize(
    "text,sentences",
    [
        ("One here. Two there! Three?", ["One here. ", "Two there! ", "Three?"]),
        ("U.S. Secretary Blinken met Mr. Kang. He left.", ["U.S. Secretary Blinken met Mr. Kang. ", "He left."]),
        ("Title line\nBody starts on Feb. 27 2024. Then “Quoted.” More", ["Title line\n", "Body starts on Feb. 27 2024. ", "Then “Quoted.” ", "More"]),
        ("Costs 3.5 million. Next", ["Costs 3.5 million. ", "Next"]),
    ],
)
def test_sentence_starts(text, sentences):
    starts = sentence_starts(text)
    assert [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])] == sentences
