"""The theme taxonomy: validation of taxonomy files and the pure scoring functions."""
import json

import pytest

from extractor.errors import ExtractorError
from extractor.schema import THEME_IDS
from extractor.taxonomy import (
    CueHit,
    Taxonomy,
    load_taxonomy,
    outermost_hits,
    select_themes,
    sentence_evidence,
    theme_scores,
    validate_taxonomy,
)


def _theme(theme_id="water", **fields):
    return {"id": theme_id, "label": theme_id.title(), "cues": [{"phrase": "water", "weight": 1.0}], **fields}


def _write(tmp_path, data, name="tax.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def test_shipped_taxonomy_has_exactly_the_annotation_ids():
    taxonomy = load_taxonomy()
    assert taxonomy.ids == THEME_IDS
    for theme in taxonomy.themes:
        assert theme.label and theme.description
        assert len(theme.cues) >= 30, theme.id


def test_shipped_cues_are_unique_per_theme_and_weighted():
    for theme in load_taxonomy().themes:
        phrases = [cue.phrase.lower() for cue in theme.cues]
        assert len(phrases) == len(set(phrases)), theme.id
        assert all(0 < cue.weight <= 10 for cue in theme.cues)


def test_user_taxonomy_may_define_its_own_ids(tmp_path):
    path = _write(tmp_path, {"version": 1, "threshold": 1.0, "themes": [_theme("water")]})
    taxonomy = load_taxonomy(path)
    assert taxonomy.ids == ("water",)
    assert taxonomy.threshold_of("water") == 1.0


def test_per_theme_threshold_overrides_the_default(tmp_path):
    path = _write(tmp_path, {"threshold": 1.0, "themes": [_theme("water", threshold=3.0), _theme("fire")]})
    assert load_taxonomy(path).thresholds() == {"water": 3.0, "fire": 1.0}


def test_bad_json_is_e002_with_the_file(tmp_path):
    path = _write(tmp_path, '{"version": 1, "themes": [')
    with pytest.raises(ExtractorError, match=r"\[E002\]") as info:
        load_taxonomy(path)
    assert str(path) in str(info.value)


def test_missing_file_is_e001(tmp_path):
    with pytest.raises(ExtractorError, match=r"\[E001\]"):
        load_taxonomy(tmp_path / "absent.json")


@pytest.mark.parametrize(
    "theme, field",
    [
        (_theme("water", colour="blue"), "colour"),
        ({"id": "water", "label": "Water"}, "cues"),
        (_theme("water", cues=[]), "cues"),
        (_theme("water", cues=[{"phrase": "water", "weight": 0}]), "cues[0].weight"),
        (_theme("water", cues=[{"phrase": "water", "weight": -1}]), "cues[0].weight"),
        (_theme("water", cues=[{"phrase": "water", "weight": "heavy"}]), "cues[0].weight"),
        (_theme("water", cues=[{"phrase": "  ", "weight": 1}]), "cues[0].phrase"),
        (_theme("water", cues=[{"phrase": "water", "wieght": 1}]), "cues[0].wieght"),
        (_theme("Water Theme"), "id"),
    ],
)
def test_invalid_theme_is_e011_naming_file_theme_and_field(tmp_path, theme, field):
    path = _write(tmp_path, {"version": 1, "themes": [_theme("fire"), theme]})
    with pytest.raises(ExtractorError, match=r"\[E011\]") as info:
        load_taxonomy(path)
    message = str(info.value)
    assert str(path) in message
    assert "themes[1]" in message
    assert f"field '{field}'" in message


def test_unknown_top_level_field_is_e011(tmp_path):
    path = _write(tmp_path, {"version": 1, "treshold": 2, "themes": [_theme()]})
    with pytest.raises(ExtractorError, match=r"\[E011\].*field 'treshold'"):
        load_taxonomy(path)


def test_duplicate_theme_ids_are_e011(tmp_path):
    path = _write(tmp_path, {"themes": [_theme("water"), _theme("water")]})
    with pytest.raises(ExtractorError, match=r"\[E011\].*theme 'water'.*defined twice"):
        load_taxonomy(path)


def test_duplicate_cue_phrase_is_e011(tmp_path):
    cues = [{"phrase": "Water", "weight": 1}, {"phrase": "water", "weight": 2}]
    path = _write(tmp_path, {"themes": [_theme("water", cues=cues)]})
    with pytest.raises(ExtractorError, match=r"\[E011\].*field 'cues'.*listed twice"):
        load_taxonomy(path)


def test_shipped_taxonomy_rejects_unknown_and_missing_ids():
    shipped = json.loads(json.dumps(load_taxonomy().model_dump()))
    extra = dict(shipped, themes=shipped["themes"] + [_theme("water")])
    with pytest.raises(ExtractorError, match=r"\[E012\].*'water'"):
        validate_taxonomy(extra, path="themes.json", shipped=True)
    missing = dict(shipped, themes=shipped["themes"][1:])
    with pytest.raises(ExtractorError, match=r"\[E011\].*human_rights"):
        validate_taxonomy(missing, path="themes.json", shipped=True)
    # The same content is fine as a user taxonomy.
    assert isinstance(validate_taxonomy(extra, path="mine.json"), Taxonomy)


def _hit(theme, weight, sentence, phrase="cue", start=0):
    return CueHit(theme, phrase, weight, sentence, start, start + 1)


def test_score_is_sum_over_sentences_of_the_strongest_cue():
    hits = [
        _hit("a", 0.5, 0), _hit("a", 0.5, 0), _hit("a", 0.5, 0),  # one weak word, thrice
        _hit("a", 2.0, 1), _hit("a", 0.5, 1),
        _hit("b", 1.0, 2),
    ]
    assert theme_scores(hits) == {"a": 2.5, "b": 1.0}


def test_repeated_weak_word_in_one_sentence_does_not_dominate():
    assert theme_scores([_hit("a", 0.5, 0)] * 10) == {"a": 0.5}


def test_sentence_evidence_groups_by_theme_and_sentence():
    hits = [_hit("a", 1, 0, "x"), _hit("a", 1, 2, "y"), _hit("b", 1, 0, "z")]
    grouped = sentence_evidence(hits)
    assert sorted(grouped) == ["a", "b"]
    assert [h.phrase for h in grouped["a"][2]] == ["y"]


def test_select_by_threshold_with_overrides_and_order():
    scores = {"a": 2.0, "b": 5.0, "c": 1.0, "d": 2.0}
    assert select_themes(scores, threshold=2.0) == [("b", 5.0), ("a", 2.0), ("d", 2.0)]
    assert select_themes(scores, threshold=2.0, overrides={"b": 6.0, "c": 1.0}) == [
        ("a", 2.0),
        ("d", 2.0),
        ("c", 1.0),
    ]
    assert [t for t, _ in select_themes(scores, threshold=2.0, order=["d", "a"])] == ["b", "d", "a"]


def test_select_tolerates_float_sums():
    assert select_themes({"a": 0.1 + 0.2}, threshold=0.3) == [("a", 0.1 + 0.2)]


def test_weak_sentences_add_at_most_the_cap():
    hits = [_hit("a", 0.5, i) for i in range(6)] + [_hit("b", 0.5, i) for i in range(2)]
    assert theme_scores(hits) == {"a": 3.0, "b": 1.0}
    assert theme_scores(hits, weak_cap=1.0) == {"a": 1.0, "b": 1.0}
    with_strong = hits + [_hit("a", 1.0, 9)]
    assert theme_scores(with_strong, weak_cap=1.0)["a"] == 2.0


def test_shipped_taxonomy_caps_weak_evidence_below_the_threshold():
    taxonomy = load_taxonomy()
    # Generic words alone can never select a theme.
    assert taxonomy.weak_cap is not None and taxonomy.weak_cap < taxonomy.threshold


def test_outermost_hits_drop_nested_hits_of_any_theme():
    food_security = CueHit("humanitarian", "food security", 2.0, 0, 3, 5)
    security = CueHit("peace", "security", 1.0, 0, 4, 5)
    same_tokens = CueHit("other", "food security", 1.0, 0, 3, 5)
    overlapping = CueHit("peace", "security assistance", 2.0, 0, 4, 6)
    kept = outermost_hits([security, food_security, same_tokens, overlapping])
    assert kept == [food_security, same_tokens, overlapping]
