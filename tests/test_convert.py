"""Converters between the project format and Prodigy, Label Studio, DocBin and BRAT."""
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin

from extractor.convert import (
    ConvertSummary,
    convert,
    detect_format,
    from_brat,
    from_docbin,
    from_labelstudio,
    from_prodigy,
    labelstudio_config,
    read,
    to_brat,
    to_docbin,
    to_labelstudio,
    to_prodigy,
)
from extractor.errors import ExtractorError
from extractor.evaluate import evaluate, read_documents
from extractor.gazetteers import fold
from extractor.schema import LIST_NAMES, DocumentExtraction

DATA = Path(__file__).parent / "data" / "convert"
GOLD = DATA / "gold.jsonl"
SUFFIX = {"prodigy": "tasks.jsonl", "labelstudio": "tasks.json", "docbin": "docs.spacy", "brat": "brat"}


def gold_docs() -> list[DocumentExtraction]:
    docs, problems = read_documents(GOLD)
    assert problems == []
    return docs


def canon(record, list_name: str) -> tuple:
    """What a round trip must keep of a record: names folded, values exact."""
    if list_name == "officials":
        return (fold(record.name), record.title, record.organisation, record.country)
    if list_name == "organisations":
        return (fold(record.name), record.acronym, tuple(sorted(fold(a) for a in record.aliases)))
    if list_name == "dates":
        return (record.text, record.value)
    if list_name == "pledges":
        conversions = tuple((c.text, c.amount, c.currency) for c in record.conversions)
        return (record.text, record.amount, record.currency, record.donor, record.recipient, record.qualifier,
                conversions)
    return (record.id,)


def mentions(record) -> tuple:
    return tuple(sorted((m.start, m.end, m.text) for m in record.mentions))


def by_id(docs):
    return {d.id: d for d in docs}


def assert_same(before: DocumentExtraction, after: DocumentExtraction, *, lost: set = frozenset()) -> None:
    """Records, attributes and mentions equal; a record that had no mention may have gained its first occurrence."""
    assert (after.id, after.text, after.release_date, after.issuer, after.meta) == (
        before.id, before.text, before.release_date, before.issuer, before.meta
    )
    for list_name in LIST_NAMES:
        old, new = getattr(before, list_name), getattr(after, list_name)
        if old is None:
            assert new is None, list_name
            continue
        assert sorted(canon(r, list_name) for r in new) == sorted(canon(r, list_name) for r in old), list_name
        if list_name == "themes":
            continue
        for record in old:
            twin = next(r for r in new if canon(r, list_name) == canon(record, list_name) and (
                not record.mentions or mentions(r) == mentions(record)))
            if record.mentions:
                assert mentions(twin) == mentions(record)
            else:
                # Placed at its first occurrence, or kept in the metadata with none.
                name = getattr(record, "name", None) or record.text
                if twin.mentions:
                    start = before.text.index(name)
                    assert mentions(twin) == ((start, start + len(name), name),)


# ------------------------------------------------------------------ round trips


@pytest.mark.parametrize("fmt", ["prodigy", "labelstudio", "docbin", "brat"])
def test_project_round_trip_loses_nothing(tmp_path, fmt):
    middle = tmp_path / SUFFIX[fmt]
    out = convert(GOLD, middle)
    assert out.src_format == "project" and out.dst_format == fmt
    assert out.documents == 3
    assert out.records == {"officials": 5, "organisations": 6, "dates": 5, "pledges": 7, "themes": 3}
    # The one record with no mention and no occurrence in the text is reported, and kept.
    unplaced = [n for n in out.notes if n.startswith("[W020]")]
    assert len(unplaced) == 1 and "Korea International Cooperation Agency" in unplaced[0]

    back = convert(middle, tmp_path / "back.jsonl")
    assert back.src_format == fmt and back.dst_format == "project"
    assert not [n for n in back.notes if not n.startswith("[W025] (all)")]
    docs, problems = read_documents(tmp_path / "back.jsonl")
    assert problems == []
    after = by_id(docs)
    for before in gold_docs():
        assert_same(before, after[before.id])
    # Placed at the first occurrence: the date "this year" and Kao Kim Hourn.
    this_year = next(d for d in after["g1"].dates if d.text == "this year")
    assert [m.start for m in this_year.mentions] == [after["g1"].text.index("this year")]
    kao = next(o for o in after["g3"].officials if o.name == "Kao Kim Hourn")
    assert len(kao.mentions) == 1
    koica = next(o for o in after["g1"].organisations if o.acronym == "KOICA")
    assert koica.mentions == []
    # Scores are untouched: the converted gold scores perfectly against the original.
    report = evaluate(docs, gold_docs())
    scores = report.scores()
    assert all(scores[f"{name}_f"] == 1.0 for name in LIST_NAMES)


def test_distributive_pledge_and_line_break_survive_brat(tmp_path):
    convert(GOLD, tmp_path / "brat")
    ann = (tmp_path / "brat" / "g2.ann").read_text(encoding="utf-8")
    # Two records on one span ("$100,000 each to Zimbabwe and Malawi"), each its own T line.
    assert sum("\tMONEY 171 179\t$100,000" in line for line in ann.splitlines()) == 2
    # A mention across a line break is written as two fragments.
    assert "\tORG 270 280;281 290\tWorld Food Programme" in ann
    assert "*\tEquiv T3 T4 T5" in ann
    side = json.loads((tmp_path / "brat" / "g2.json").read_text(encoding="utf-8"))
    assert side["themes"] == [{"id": "humanitarian_aid"}] and side["release_date"] == "2021-06-23"
    assert (tmp_path / "brat" / "annotation.conf").exists()


def predictions() -> list[DocumentExtraction]:
    """The gold documents dressed as extractor output: rule ids, theme scores and evidence, warnings."""
    docs = []
    for doc in gold_docs():
        data = doc.model_dump(mode="json")
        data["release_date_source"] = "caller" if doc.release_date else None
        data["warnings"] = [] if doc.release_date else ["release date unknown: years left as XXXX"]
        for name in ("officials", "organisations", "dates", "pledges"):
            for record in data[name]:
                for m in record["mentions"]:
                    m["rule"] = f"{name}-rule"
        for theme in data["themes"] or []:
            theme["score"] = 2.5
            theme["mentions"] = [{"start": 0, "end": 4, "text": doc.text[:4], "rule": "cue"}]
        docs.append(DocumentExtraction.model_validate(data))
    return docs


@pytest.mark.parametrize(
    "fmt, dropped",
    [
        ("prodigy", {"theme evidence mentions", "theme scores"}),
        ("labelstudio", {"theme evidence mentions", "theme scores", "mention rule ids"}),
        ("docbin", set()),
        ("brat", {"theme evidence mentions"}),
    ],
)
def test_predictions_round_trip_reports_what_the_format_cannot_hold(tmp_path, fmt, dropped):
    src = tmp_path / "pred.jsonl"
    src.write_text("".join(d.model_dump_json() + "\n" for d in predictions()), encoding="utf-8")
    out = convert(src, tmp_path / SUFFIX[fmt])
    reported = {n.split("]", 1)[1].split(" not kept in")[0].strip() for n in out.notes if n.startswith("[W021]")}
    assert reported == dropped
    back = {d.id: d for d in read(tmp_path / SUFFIX[fmt])}
    for before in predictions():
        after = back[before.id]
        assert_same(before, after)
        assert (after.release_date_source, after.warnings) == (before.release_date_source, before.warnings)
        had_mentions = {o.name for o in before.officials if o.mentions}
        rules = {m.rule for r in after.officials if r.name in had_mentions for m in r.mentions}
        assert rules == ({None} if "mention rule ids" in dropped else {"officials-rule"})
        if before.themes is not None:
            scores = {t.score for t in after.themes}
            assert scores == ({None} if "theme scores" in dropped else {2.5})
            evidence = [m.rule for t in after.themes for m in t.mentions]
            assert evidence == ([] if "theme evidence mentions" in dropped else ["cue"] * len(before.themes))


def test_labelstudio_role(tmp_path):
    gold = to_labelstudio(gold_docs(), notes=(notes := []))
    assert all("annotations" in t and "predictions" not in t for t in gold)
    assert any("role inferred" in n and "gold" in n for n in notes)
    preds = to_labelstudio(predictions())
    assert all("predictions" in t and "annotations" not in t for t in preds)
    forced = to_labelstudio(gold_docs(), role="predictions")
    assert all("predictions" in t for t in forced)
    # Predictions read back from the tool when nobody has annotated yet.
    assert [d.id for d in from_labelstudio(forced)] == ["g1", "g2", "g3"]
    assert from_labelstudio(forced, source="annotations", notes=(skipped := [])) == []
    assert len(skipped) == 3
    with pytest.raises(ExtractorError, match="E034"):
        to_labelstudio(gold_docs(), role="draft")


def test_labelstudio_config_names_every_control_the_tasks_use():
    tasks = to_labelstudio(gold_docs(), role="gold")
    root = ET.fromstring(labelstudio_config())
    controls = {el.get("name") for el in root.iter() if el.get("name")}
    used = {r["from_name"] for t in tasks for r in t["annotations"][0]["result"] if "from_name" in r}
    assert used <= controls
    labels = {el.get("value") for el in root.iter("Label")}
    assert labels == {"OFFICIAL", "ORG", "DATE", "MONEY"}


def test_attributes_the_text_would_contradict_are_written_empty():
    text = "Korea gave $5 million and more than $2 million."
    doc = DocumentExtraction.model_validate({
        "id": "x", "text": text,
        "pledges": [
            {"text": "$5 million", "amount": 5e6, "currency": None,
             "mentions": [{"start": 11, "end": 21, "text": "$5 million"}]},
            {"text": "$2 million", "amount": 2e6, "currency": "USD", "qualifier": "more than",
             "mentions": [{"start": 36, "end": 46, "text": "$2 million"}]},
        ],
    })
    ls = from_labelstudio(to_labelstudio([doc], role="gold"))[0]
    text_, ann, side = to_brat(doc)
    assert "\tamount=5000000; currency=\n" in ann
    brat = from_brat(text_, ann, doc_id="x", document=side)
    for back in (ls, brat):
        assert [(p.amount, p.currency, p.qualifier) for p in back.pledges] == [
            (5e6, None, None), (2e6, "USD", "more than")
        ]


# ------------------------------------------------------------------ DocBin


def test_docbin_splits_tokens_at_mention_edges():
    text = "Seoul pledged US$10 million to UNICEF-led work."
    doc = DocumentExtraction.model_validate({
        "id": "t", "text": text,
        "pledges": [{"text": "$10 million", "amount": 1e7, "currency": "USD",
                     "mentions": [{"start": 16, "end": 27, "text": "$10 million"}]}],
        "organisations": [{"name": "UNICEF", "mentions": [{"start": 31, "end": 37, "text": "UNICEF"}]}],
    })
    notes = []
    docbin = to_docbin([doc], notes=notes)
    assert notes == []
    sdoc = next(docbin.get_docs(spacy.blank("en").vocab))
    assert sdoc.text == text
    assert [(s.start_char, s.end_char, s.label_) for s in sdoc.spans["pledges"]] == [(16, 27, "MONEY")]
    assert [e.label_ for e in sdoc.ents] == ["MONEY", "ORG"]
    back = from_docbin([sdoc])[0]
    assert mentions(back.pledges[0]) == ((16, 27, "$10 million"),)
    assert back.themes is None and back.dates is None


def test_docbin_as_the_pipeline_leaves_it():
    """Spans keyed by record (kb_id_), rule in id_, fields in doc._.records, no writer metadata."""
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Secretary Antony J. Blinken met Blinken's team on June 23.")
    doc.spans["officials"] = [
        doc.char_span(10, 27, label="OFFICIAL", kb_id="p0", span_id="title_name"),
        doc.char_span(32, 39, label="OFFICIAL", kb_id="p0", span_id="surname"),
    ]
    doc.spans["dates"] = [doc.char_span(50, 57, label="DATE", kb_id="d0")]
    doc.user_data[("._.", "records", None, None)] = {
        "officials": {"p0": {"name": "Antony J. Blinken", "title": "Secretary", "organisation": None, "country": "US"}},
        "dates": {"d0": {"text": "June 23", "value": "2021-06-23"}},
        "themes": {"health": {"id": "health", "score": 1.5}},
    }
    docbin = DocBin(store_user_data=True, docs=[doc])
    (back,) = from_docbin(docbin.get_docs(nlp.vocab))
    (official,) = back.officials
    assert (official.name, official.title, official.country) == ("Antony J. Blinken", "Secretary", "US")
    assert [m.rule for m in official.mentions] == ["title_name", "surname"]
    assert [(d.text, d.value) for d in back.dates] == [("June 23", "2021-06-23")]
    assert [(t.id, t.score) for t in back.themes] == [("health", 1.5)]


def test_docbin_with_entities_only_fills_values_from_the_text():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Korea gave $2 million on February 27 and later.")
    doc.ents = [doc.char_span(11, 21, label="MONEY"), doc.char_span(25, 36, label="DATE")]
    doc.cats = {"health": 0.9, "human_rights": 0.1}
    (back,) = from_docbin([doc], release_date="2024-02-29")
    assert [(p.amount, p.currency) for p in back.pledges] == [(2e6, "USD")]
    assert [d.value for d in back.dates] == ["2024-02-27"]
    assert [t.id for t in back.themes] == ["health"]
    assert back.officials == []


# ------------------------------------------------------------------ Prodigy


def test_reading_a_prodigy_annotation_file():
    notes = []
    docs = read(DATA / "prodigy_annotations.jsonl", notes=notes)
    assert [d.id for d in docs] == ["mofa-001", "sd-002"]
    first, second = docs
    assert first.release_date.isoformat() == "2024-02-29" and first.meta == {"source": "mofa.go.kr"}
    # The same name twice is one official; the same organisation twice is one record.
    assert [(o.name, len(o.mentions)) for o in first.officials] == [("Kang Insun", 2), ("Filippo Grandi", 1)]
    assert [(o.name, o.acronym, len(o.mentions)) for o in first.organisations] == [("UNHCR", "UNHCR", 2)]
    assert [(d.text, d.value) for d in first.dates] == [("February 27", "2024-02-27")]
    assert [(p.text, p.amount, p.currency) for p in first.pledges] == [("$2 million", 2e6, "USD")]
    assert [t.id for t in first.themes] == ["refugees_migration", "human_rights"]
    # No choice interface: themes not annotated (not scored), not "no themes".
    assert second.themes is None
    assert [(p.amount, p.currency) for p in second.pledges] == [(5e6, "EUR")]
    assert [d.value for d in second.dates] == ["2021-06-22"]
    codes = sorted(n[1:5] for n in notes)
    assert codes == ["W022", "W022", "W023", "W026"]
    assert any("answered reject" in n for n in notes) and any("answered ignore" in n for n in notes)
    assert any("'PERSON'" in n for n in notes)


def test_prodigy_label_mapping_and_tokens():
    tasks = [json.loads(line) for line in (DATA / "prodigy_annotations.jsonl").read_text(encoding="utf-8").splitlines()]
    (doc,) = from_prodigy([tasks[3]], labels={"PERSON": "officials"})
    assert [o.name for o in doc.officials] == ["Blinken", "Jane Doe"]
    (task,) = to_prodigy([doc], tokens=True)
    tokens = task["tokens"]
    for span in task["spans"]:
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]
    assert "options" not in task and task["meta"]["lists"] == ["officials", "organisations", "dates", "pledges"]
    with pytest.raises(ExtractorError, match="E034"):
        from_prodigy([tasks[3]], labels={"PERSON": "people"})


def test_prodigy_spans_without_record_keys_merge_by_folded_name():
    text = "Minister KANG Insun and Kang Insun met; Kang spoke."
    tasks = [{"text": text, "meta": {"id": "k"}, "spans": [
        {"start": 9, "end": 19, "label": "OFFICIAL", "title": "Minister"},
        {"start": 24, "end": 34, "label": "OFFICIAL", "country": "KR"},
        {"start": 40, "end": 44, "label": "OFFICIAL"},
    ]}]
    (doc,) = from_prodigy(tasks)
    assert [(o.name, o.title, o.country, len(o.mentions)) for o in doc.officials] == [
        ("KANG Insun", "Minister", "KR", 2), ("Kang", None, None, 1)
    ]


# ------------------------------------------------------------------ Label Studio


def test_reading_a_labelstudio_export():
    notes = []
    docs = read(DATA / "labelstudio_export.json", notes=notes)
    assert [d.id for d in docs] == ["101", "103"]
    doc = docs[0]
    assert doc.meta == {"title": "Korea-US foreign ministers meet"}
    assert [(o.name, o.title, o.organisation, o.country, len(o.mentions)) for o in doc.officials] == [
        ("Cho Tae-yul", "Minister of Foreign Affairs", None, "KR", 2),
        ("Samantha Power", "Administrator", "USAID", "US", 1),
    ]
    assert [(o.name, o.acronym, len(o.mentions)) for o in doc.organisations] == [
        ("USAID", "USAID", 1), ("United Nations Development Programme", "UNDP", 2)
    ]
    # "March 4" valued from the text; "next year" carries its value.
    assert [(d.text, d.value) for d in doc.dates] == [("March 4", "2024-03-04"), ("next year", "2025")]
    (pledge,) = doc.pledges
    assert (pledge.amount, pledge.currency, pledge.donor, pledge.recipient) == (
        5e6, "USD", "Republic of Korea", "United Nations Development Programme"
    )
    assert [t.id for t in doc.themes] == ["development_cooperation"]
    assert [o.name for o in docs[1].organisations] == ["WHO"]
    assert sorted(n[1:5] for n in notes) == ["W022", "W022", "W025"]
    assert any("103" in n and "prediction" in n for n in notes)
    # The text under another data key.
    tasks = json.loads((DATA / "labelstudio_export.json").read_text(encoding="utf-8"))
    for task in tasks:
        task["data"]["body"] = task["data"].pop("text")
    assert [d.id for d in from_labelstudio(tasks, text_key="body")] == ["101", "103"]


# ------------------------------------------------------------------ BRAT


def test_reading_a_brat_folder():
    notes = []
    (doc,) = read(DATA / "brat", notes=notes)
    assert doc.id == "kishida-yoon" and doc.release_date is None and doc.themes is None
    assert [(o.name, o.title, o.country, [m.text for m in o.mentions]) for o in doc.officials] == [
        ("Fumio Kishida", "Prime Minister", "JP", ["Fumio Kishida", "Kishida"]),
        # A discontinuous annotation takes its outer extent.
        ("Yoon Suk Yeol", "President", "KR", ["President Yoon Suk Yeol", "Yoon"]),
    ]
    (org,) = doc.organisations
    assert (org.name, org.acronym, len(org.mentions)) == ("Japan International Cooperation Agency", "JICA", 2)
    assert [(d.text, d.value) for d in doc.dates] == [("March 16, 2023", "2023-03-16")]
    assert [(p.amount, p.currency, p.donor, p.recipient) for p in doc.pledges] == [(1e10, "JPY", "Japan", "JICA")]
    assert len(notes) == 1 and "'LOC'" in notes[0]
    # The same folder from its .ann path, and back through the project format.
    assert read([DATA / "brat" / "kishida-yoon.ann"], format="brat")[0] == doc


def test_brat_to_project_to_brat(tmp_path):
    convert(DATA / "brat", tmp_path / "p.jsonl")
    (doc,) = read_documents(tmp_path / "p.jsonl")[0]
    convert(tmp_path / "p.jsonl", tmp_path / "again", dst_format="brat")
    (again,) = read(tmp_path / "again")
    assert_same(doc, again)


# ------------------------------------------------------------------ formats and options


def test_detect_format(tmp_path):
    assert detect_format(GOLD) == "project"
    assert detect_format(DATA / "prodigy_annotations.jsonl") == "prodigy"
    assert detect_format(DATA / "labelstudio_export.json") == "labelstudio"
    assert detect_format(DATA / "brat") == "brat"
    assert detect_format(DATA / "brat" / "kishida-yoon.ann") == "brat"
    # Project gold with a Prodigy-style spans list is still project gold.
    spans_gold = tmp_path / "g.jsonl"
    spans_gold.write_text('{"id": "a", "text": "x", "officials": [], "spans": []}\n', encoding="utf-8")
    assert detect_format(spans_gold) == "project"
    odd = tmp_path / "odd.json"
    odd.write_text('[{"foo": 1}]', encoding="utf-8")
    with pytest.raises(ExtractorError, match="E041"):
        detect_format(odd)


def test_convert_checks_formats_and_options(tmp_path):
    with pytest.raises(ExtractorError, match="E040"):
        convert(GOLD, tmp_path / "x.jsonl", dst_format="conll")
    with pytest.raises(ExtractorError, match="E043.*tokens"):
        convert(GOLD, tmp_path / "x.json", dst_format="labelstudio", tokens=True)
    summary = convert(GOLD, tmp_path / "x.prodigy.jsonl", tokens=True)
    assert isinstance(summary, ConvertSummary) and summary.dst_format == "prodigy"
    assert summary.to_dict()["records"]["pledges"] == 7
    # From a tool format, plain JSONL is the project format.
    assert convert(tmp_path / "x.prodigy.jsonl", tmp_path / "y.jsonl").dst_format == "project"


def test_documents_without_text_are_not_written_to_span_formats():
    doc = DocumentExtraction.model_validate({"id": "bare", "officials": [{"name": "Kang Insun"}]})
    notes = []
    assert to_prodigy([doc], notes=notes) == []
    assert notes and notes[0].startswith("[W027]")


def test_a_date_the_text_cannot_value_is_reported():
    tasks = [{"text": "They met on the 55th anniversary.", "meta": {"id": "n"},
              "spans": [{"start": 16, "end": 20, "label": "DATE"}]}]
    notes = []
    (doc,) = from_prodigy(tasks, notes=notes)
    assert doc.dates == []
    assert notes and notes[0].startswith("[W024]") and "'55th'" in notes[0]


@pytest.mark.parametrize("fmt", ["prodigy", "labelstudio", "docbin", "brat"])
def test_extractor_output_round_trips(tmp_path, ex, seed_text, fmt):
    """Real predictions (rule ids, shared spans, aliases, scores) come back record for record."""
    doc = ex.extract(seed_text, release_date="2024-02-29").model_copy(update={"id": "seed"})
    src = tmp_path / "pred.jsonl"
    src.write_text(doc.model_dump_json() + "\n", encoding="utf-8")
    out = convert(src, tmp_path / SUFFIX[fmt])
    assert not [n for n in out.notes if n.startswith(("[W020]", "[W024]", "[W025] seed"))]
    (back,) = read(tmp_path / SUFFIX[fmt])
    assert_same(doc, back)
    assert back.warnings == doc.warnings and back.release_date_source == doc.release_date_source
