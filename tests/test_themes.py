"""The themes component: cue matching, suppression, selection and the output contract."""
import json

import pytest
import spacy
from spacy.tokens import Span

import extractor
from extractor.components.themes import ThemeTagger
from extractor.extensions import register_extensions

SEED_THEMES = {
    "human_rights",
    "north_korea",
    "refugees_migration",
    "development_cooperation",
    "digital_technology",
    "gender_wps",
    "multilateral_institutions",
}


def _fold(text):
    return " ".join(text.lower().replace("\u2019", "'").split())


def theme_ids(ex, text):
    return [t.id for t in ex.extract(text).themes]


@pytest.fixture()
def tiny_taxonomy(tmp_path):
    data = {
        "version": 1,
        "threshold": 1.0,
        "negative": ["shared values"],
        "themes": [
            {
                "id": "water",
                "label": "Water",
                "cues": [
                    {"phrase": "water", "weight": 1.0},
                    {"phrase": "drinking water", "weight": 2.0},
                    {"phrase": "rivers", "weight": 0.5},
                ],
                "negative": ["Water Agency"],
            },
            {"id": "fire", "label": "Fire", "cues": [{"phrase": "wildfire", "weight": 1.0}]},
        ],
    }
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture()
def tiny_nlp(tiny_taxonomy):
    """A blank pipeline with the sentencizer and the themes component on the tiny taxonomy."""
    register_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("extractor_layout")
    nlp.add_pipe("extractor_themes", config={"taxonomy": str(tiny_taxonomy)})
    return nlp


def test_seed_gives_exactly_the_annotated_themes(ex, seed_text):
    assert set(theme_ids(ex, seed_text)) == SEED_THEMES


def test_records_are_ordered_by_descending_score(ex, seed_text):
    doc = ex.process(seed_text)
    table = doc._.records["themes"]
    scores = [record["score"] for record in table.values()]
    assert scores == sorted(scores, reverse=True)
    for key, record in table.items():
        assert set(record) == {"id", "score"}
        assert record["id"] == key


def test_evidence_spans_point_at_the_cue_text(ex, seed_text):
    doc = ex.process(seed_text)
    spans = doc.spans["themes"]
    assert spans
    selected = set(doc._.records["themes"])
    for span in spans:
        assert span.kb_id_ in selected
        assert span.label_ == "THEME"
        assert span.id_.startswith("cue:")
        assert _fold(span.text) == _fold(span.id_[len("cue:"):])
    texts = {(s.kb_id_, s.text) for s in spans}
    assert ("refugees_migration", "non-refoulement") in texts
    assert ("gender_wps", "Women, Peace, and Security") in texts


def test_output_record_carries_mentions(ex, seed_text):
    record = ex.extract(seed_text)
    human_rights = next(t for t in record.themes if t.id == "human_rights")
    assert human_rights.score and human_rights.score >= 2
    assert all(m.rule.startswith("cue:") for m in human_rights.mentions)
    assert all(seed_text[m.start : m.end] == m.text for m in human_rights.mentions)


def test_venue_name_alone_gives_no_theme(ex):
    assert "human_rights" not in theme_ids(ex, "The two ministers met at the Human Rights Council.")
    assert "human_rights" not in theme_ids(
        ex, "She met UN High Commissioner for Human Rights Volker Türk in Geneva on Monday."
    )


def test_shared_values_boilerplate_gives_no_theme(ex):
    text = (
        "The leaders reaffirmed their shared values of democracy, human rights and the rule of law. "
        "They also celebrated our shared democratic values."
    )
    ids = theme_ids(ex, text)
    assert "human_rights" not in ids
    assert "democracy_governance" not in ids


def test_substantive_sentence_gives_the_theme(ex):
    text = "The Secretary raised the human rights situation in Burma and the detention of journalists."
    assert "human_rights" in theme_ids(ex, text)


@pytest.mark.parametrize(
    "text, theme",
    [
        ("They discussed regional security, health cooperation and transnational crime.", "peace_security"),
        ("They discussed regional security, health cooperation and transnational crime.", "health"),
        ("They discussed regional security, health cooperation and transnational crime.", "law_enforcement"),
        ("North Korea conducted its seventh nuclear test.", "north_korea"),
        ("North Korea conducted its seventh nuclear test.", "nonproliferation"),
        ("Korea will provide $1 million in humanitarian assistance to the victims of the earthquake.",
         "humanitarian_aid"),
        ("The ministers agreed to expand cooperation on critical minerals and LNG.", "energy_resources"),
    ],
)
def test_topics_in_a_list_each_give_their_theme(ex, text, theme):
    assert theme in theme_ids(ex, text)


def test_cue_inside_an_organisation_name_does_not_count(tiny_nlp):
    doc = tiny_nlp.make_doc("She met the head of the National Water Board. It was a short visit.")
    start = next(t.i for t in doc if t.text == "National")
    doc.spans["organisations"] = [Span(doc, start, start + 3, label="ORG")]
    doc = tiny_nlp(doc)
    assert "water" not in doc._.records["themes"]
    assert len(doc.spans["themes"]) == 0


def test_the_same_cue_outside_the_name_counts(tiny_nlp):
    doc = tiny_nlp.make_doc("She met the head of the National Water Board to discuss water.")
    start = next(t.i for t in doc if t.text == "National")
    doc.spans["organisations"] = [Span(doc, start, start + 3, label="ORG")]
    doc = tiny_nlp(doc)
    assert list(doc._.records["themes"]) == ["water"]
    (span,) = doc.spans["themes"]
    assert (span.text, span.kb_id_, span.id_, span.label_) == ("water", "water", "cue:water", "THEME")
    assert span.start == len(doc) - 2


def test_a_cue_that_is_the_whole_organisation_name_counts(tiny_nlp):
    doc = tiny_nlp.make_doc("Water was there.")
    doc.spans["organisations"] = [Span(doc, 0, 1, label="ORG")]
    assert tiny_nlp(doc)._.records["themes"] == {"water": {"id": "water", "score": 1.0}}


def test_negative_phrase_suppresses_its_cues_only(tiny_nlp):
    assert "water" not in tiny_nlp("Officials visited the Water Agency.")._.records["themes"]
    doc = tiny_nlp("Officials visited the Water Agency. Access to drinking water was discussed.")
    assert doc._.records["themes"]["water"]["score"] == 2.0


def test_score_is_per_sentence_maximum(tiny_nlp):
    doc = tiny_nlp("Rivers, rivers and more rivers. Nothing else.")
    assert "water" not in doc._.records["themes"]  # 0.5 once, not 1.5
    doc = tiny_nlp("Rivers matter. Rivers flood. Nothing else.")
    assert doc._.records["themes"]["water"]["score"] == 1.0


def test_nested_cue_keeps_the_longest_evidence(tiny_nlp):
    doc = tiny_nlp("They discussed drinking water.")
    assert [(s.text, s.id_) for s in doc.spans["themes"]] == [("drinking water", "cue:drinking water")]


def test_cue_across_a_hard_line_break_matches(tiny_nlp):
    doc = tiny_nlp("They discussed access to drinking\nwater in the region.")
    assert doc._.records["themes"]["water"]["score"] == 2.0
    assert [s.text for s in doc.spans["themes"]] == ["drinking\nwater"]


def test_paragraph_break_separates_cues(tiny_nlp):
    doc = tiny_nlp("A report on drinking\n\nWater is a word here.")
    assert [s.id_ for s in doc.spans["themes"]] == ["cue:water"]


def test_no_theme_leaves_empty_annotations(tiny_nlp):
    doc = tiny_nlp("Nothing to see here.")
    assert doc._.records["themes"] == {}
    assert len(doc.spans["themes"]) == 0
    empty = tiny_nlp("")
    assert len(empty.spans["themes"]) == 0


def test_component_works_without_sentence_boundaries(tiny_taxonomy):
    nlp = spacy.blank("en")
    tagger = ThemeTagger(nlp, "themes", taxonomy=str(tiny_taxonomy))
    doc = tagger(nlp.make_doc("Water. Water."))
    assert doc._.records["themes"]["water"]["score"] == 1.0


def test_user_taxonomy_through_load_changes_the_output(tiny_taxonomy, seed_text):
    custom = extractor.load(taxonomy=tiny_taxonomy)
    record = custom.extract("A wildfire burned near the rivers; drinking water ran short.")
    assert [t.id for t in record.themes] == ["water", "fire"]
    assert [t.id for t in custom.extract(seed_text).themes] == []


def test_bad_user_taxonomy_fails_at_load(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"themes": [{"id": "water", "label": "W", "cues": []}]}), encoding="utf-8")
    with pytest.raises(extractor.errors.ExtractorError, match=r"\[E011\].*theme 'water'.*'cues'"):
        extractor.load(taxonomy=path)



@pytest.mark.parametrize(
    "text, present, absent",
    [
        ("The ministers discussed global food security.", "humanitarian_aid", "peace_security"),
        ("They agreed to expand cooperation on health security.", "health", "peace_security"),
        ("They welcomed progress on the Women, Peace and Security agenda.", "gender_wps", "peace_security"),
    ],
)
def test_cue_inside_a_longer_cue_does_not_count(ex, text, present, absent):
    ids = theme_ids(ex, text)
    assert present in ids
    assert absent not in ids


def test_relationship_background_clause_gives_no_theme(ex):
    text = (
        "The two leaders met in Washington. Their partnership is rooted in shared interests in "
        "regional peace, security, and prosperity and in a common commitment to human rights."
    )
    ids = theme_ids(ex, text)
    assert "peace_security" not in ids
    assert "human_rights" not in ids
    assert "peace_security" in theme_ids(ex, "The two leaders discussed regional peace and security.")


def test_taxonomy_travels_with_a_saved_pipeline(tiny_nlp, tiny_taxonomy, tmp_path):
    tiny_nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "extractor_themes" / "taxonomy.json").exists()
    # The source file changes afterwards: the saved copy is what loads.
    changed = {"themes": [{"id": "other", "label": "Other", "cues": [{"phrase": "water"}]}]}
    tiny_taxonomy.write_text(json.dumps(changed), encoding="utf-8")
    loaded = spacy.load(tmp_path / "pipeline")
    doc = loaded("Drinking water ran short after the wildfire.")
    assert list(doc._.records["themes"]) == ["water", "fire"]


@pytest.mark.parametrize(
    "text, theme, expected",
    [
        ("They discussed the safe use of AI in the military domain.", "digital_technology", True),
        ("Ai Weiwei spoke at the event, and ai was not discussed.", "digital_technology", False),
        ("They briefed the WHO in Geneva.", "health", True),
        ("Those who discussed it agreed.", "health", False),
        ("Measures to stem the flow of fentanyl were agreed.", "science_space", False),
    ],
)
def test_short_acronyms_match_in_capitals_only(ex, text, theme, expected):
    assert (theme in theme_ids(ex, text)) is expected
