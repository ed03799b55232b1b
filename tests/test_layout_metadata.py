"""Sentence boundaries for press-release layout, and issuer inference."""
import pytest
import spacy

from extractor.components.layout import sentence_starts
from extractor.components.metadata import score_issuer


@pytest.fixture(scope="module")
def blank():
    return spacy.blank("en")


def _sentences(blank, text):
    doc = blank.make_doc(text)
    starts = sentence_starts([t.text for t in doc], [bool(t.whitespace_) for t in doc])
    out, current = [], []
    for token, start in zip(doc, starts):
        if start and current:
            out.append("".join(t.text_with_ws for t in current).strip())
            current = []
        current.append(token)
    out.append("".join(t.text_with_ws for t in current).strip())
    return out


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Amb. Kim met Dr. Lee in the U.S. capital. They spoke.",
            ["Amb. Kim met Dr. Lee in the U.S. capital.", "They spoke."],
        ),
        (
            "1. The Ministry announced aid.\n° The aid is worth $1 million.\n※ Details follow.",
            ["1. The Ministry announced aid.", "° The aid is worth $1 million.", "※ Details follow."],
        ),
        (
            "The President met the leaders of the\nregion and discussed trade.\n\nA new paragraph.",
            ["The President met the leaders of the\nregion and discussed trade.", "A new paragraph."],
        ),
        ("Office of the Spokesperson\nThe Secretary spoke.", ["Office of the Spokesperson", "The Secretary spoke."]),
        ("See Resolution No. 2397 for details. Then go.", ["See Resolution No. 2397 for details.", "Then go."]),
        ("- first bullet\n- second bullet", ["- first bullet", "- second bullet"]),
    ],
)
def test_sentence_starts(blank, text, expected):
    assert _sentences(blank, text) == expected


@pytest.mark.parametrize(
    "cues, expected",
    [
        ([("US", 3.0)], "US"),
        ([("US", 1.0)], None),
        ([("UA", 0.3)] * 20 + [("US", 3.0)], "US"),
        ([("KR", 0.3)] * 10, "KR"),
        ([("KR", 3.0), ("US", 3.0)], None),
        ([], None),
    ],
)
def test_score_issuer(cues, expected):
    assert score_issuer(cues) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Korean government will provide aid. The ROK government said so.", "KR"),
        ("Office of the Spokesperson\n\nThe United States condemns the attack.", "US"),
        ("Rain fell on Tuesday.", None),
    ],
)
def test_issuer_inferred_from_text(ex, text, expected):
    assert ex.extract(text).issuer == expected


def test_caller_issuer_wins(ex):
    assert ex.extract("The Korean government will provide aid.", issuer="us").issuer == "US"
