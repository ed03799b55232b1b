"""The library: extract, load, pipe, Doc access, validation of caller input."""
import datetime as dt
import json

import pytest

import extractor
from extractor.schema import DocumentExtraction, json_schema

TEXT = (
    "Date 2023-05-12\n\n"
    "1. Minister of Foreign Affairs Park Jin announced that the Korean government will provide "
    "US$3 million in humanitarian assistance to the World Food Programme (WFP) for Sudan.\n"
    "° Minister Park met WFP Executive Director Cindy McCain yesterday."
)


def test_extract_returns_validated_records():
    record = extractor.extract(TEXT)
    assert isinstance(record, DocumentExtraction)
    assert record.release_date == dt.date(2023, 5, 12)
    assert record.release_date_source == "header"
    assert record.issuer == "KR"
    officials = {o.name: (o.title, o.country) for o in record.officials}
    assert officials["Park Jin"] == ("Minister of Foreign Affairs", "KR")
    assert officials["Cindy McCain"][0] == "Executive Director"
    assert [(p.amount, p.currency, p.donor) for p in record.pledges] == [(3_000_000, "USD", "Republic of Korea")]
    assert "WFP" in {o.acronym for o in record.organisations}
    assert ("yesterday", "2023-05-11") in {(d.text, d.value) for d in record.dates}
    # The header line is the release date, not a date record.
    assert not any(d.value == "2023-05-12" for d in record.dates)


def test_output_round_trips_through_json():
    record = extractor.extract(TEXT)
    again = DocumentExtraction.model_validate_json(record.model_dump_json())
    assert again == record


def test_pipe_keeps_order_ids_and_metadata(ex):
    items = [
        {"id": "b", "text": "Secretary of State Antony J. Blinken spoke.", "meta": {"source": "x"}},
        "Vice Minister Kang Insun met the press.",
        extractor.InputDocument(text="Nothing here.", id="c", release_date="2024-01-02"),
    ]
    out = list(ex.pipe(items, batch_size=2))
    assert [r.id for r in out] == ["b", "doc-2", "c"]
    assert out[0].meta == {"source": "x"}
    assert out[0].officials[0].name == "Antony J. Blinken"
    assert out[1].officials[0].name == "Kang Insun"
    assert out[2].release_date == dt.date(2024, 1, 2)


def test_doc_spans_are_named_after_the_lists(ex):
    doc = ex.process(TEXT)
    for key in ("officials", "organisations", "dates", "pledges", "themes"):
        assert key in doc.spans
    assert "Park Jin" in {s.text for s in doc.spans["officials"]}
    assert all(s.id_ for s in doc.spans["officials"])


@pytest.mark.parametrize("bad", ["2024-13-01", "yesterday", "29/02/2024"])
def test_bad_release_date_is_a_coded_error(ex, bad):
    with pytest.raises(extractor.ExtractorError, match=r"\[E003\]"):
        ex.extract("text", release_date=bad)


@pytest.mark.parametrize("bad", ["Korea", "K", "12"])
def test_bad_issuer_is_a_coded_error(ex, bad):
    with pytest.raises(extractor.ExtractorError, match=r"\[E004\]"):
        ex.extract("text", issuer=bad)


def test_empty_document_gives_empty_lists_and_a_warning(ex):
    record = ex.extract("   ")
    assert record.officials == record.organisations == record.dates == record.pledges == record.themes == []
    assert "document is empty" in record.warnings


def test_json_schema_is_generated_from_the_models():
    schema = json_schema()
    assert set(schema["properties"]) >= {"id", "officials", "organisations", "dates", "pledges", "themes"}
    assert schema["$defs"]["Pledge"]["properties"]["currency"]
    json.dumps(schema)


def test_each_component_is_a_registered_factory():
    import spacy

    nlp = spacy.blank("en")
    for name in ("extractor_layout", "extractor_metadata", "extractor_organisations",
                 "extractor_officials", "extractor_dates", "extractor_pledges", "extractor_themes"):
        nlp.add_pipe(name)
    assert nlp.pipe_names[-1] == "extractor_themes"
