"""Normalisation before matching, and offsets that still point into the original text."""
import json
from itertools import islice

import pytest

from extractor.normalize import normalise_text


@pytest.mark.parametrize(
    "text, normalised",
    [
        ("plain ASCII", "plain ASCII"),
        ("Volker\u00a0Türk", "Volker Türk"),
        ("Côte d\u2019Ivoire", "Côte d'Ivoire"),
        ("\u201cquoted\u201d", '"quoted"'),
        ("Yoon Suk\u2011yeol", "Yoon Suk-yeol"),
        ("zero\u200bwidth and soft\u00adhyphen", "zerowidth and softhyphen"),
        ("\ufeffBOM first", "BOM first"),
        ("\ufb01nance \uff12\uff10\uff12\uff14", "finance 2024"),
        ("한국 외교부", "한국 외교부"),
    ],
)
def test_normalise_text(text, normalised):
    assert normalise_text(text).text == normalised


@pytest.mark.parametrize(
    "text, word",
    [
        ("a\u200bb Türk c", "Türk"),
        ("x\u00adx \ufb01nal y", "\ufb01nal"),
        ("\u200b\u200bKang Insun", "Kang Insun"),
        ("Kang Insun\u200b", "Kang Insun"),
    ],
)
def test_spans_map_back_to_the_original(text, word):
    norm = normalise_text(text)
    target = normalise_text(word).text
    start = norm.text.index(target)
    s, e = norm.span_to_original(start, start + len(target))
    assert text[s:e] == word


def test_mentions_point_into_the_original_text(ex):
    text = "Vice\u00a0Minister of Foreign Affairs Kang\u200b Insun met UN High Commissioner for Refugees Filippo\u00a0Grandi on February\u00a027."
    record = ex.extract(text, release_date="2024-02-29", issuer="KR")
    assert record.text == text
    assert {o.name for o in record.officials} == {"Kang Insun", "Filippo Grandi"}
    for name in ("officials", "organisations", "dates", "pledges", "themes"):
        for item in getattr(record, name):
            for m in item.mentions:
                assert text[m.start : m.end] == m.text


@pytest.mark.slow
def test_every_mention_points_into_the_text_on_dev(ex, dev_path):
    with dev_path.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in islice(handle, 800)]
    items = [{"id": r["id"], "text": r["text"], "release_date": r["release_date"]} for r in rows]
    checked = 0
    for record, row in zip(ex.pipe(items), rows):
        assert record.id == row["id"]
        for name in ("officials", "organisations", "dates", "pledges", "themes"):
            for item in getattr(record, name):
                for m in item.mentions:
                    assert row["text"][m.start : m.end] == m.text, (row["id"], m)
                    checked += 1
    assert checked > 10_000
