"""Sentence boundaries for press-release layout.

Press releases are not running prose: numbered paragraphs (``1.``), ``°`` and
``※`` sub-points, bullets, header and byline lines, and (in scraped White
House pages) hard-wrapped Markdown lines. The rules live in
:func:`sentence_starts`, a pure function over token texts, so they can be
tested without a pipeline.
"""
import re
from typing import Sequence

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

# Tokens after which a period does not end a sentence.
ABBREVIATIONS = frozenset(
    """
    u.s. u.k. u.n. e.u. u.s.a. r.o.k. d.c. amb. dr. mr. mrs. ms. st. gen. lt. col. maj.
    capt. sgt. adm. sen. rep. gov. rev. hon. prof. jr. sr. inc. ltd. co. corp. vs. e.g. i.e. etc.
    jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec. art. para. vol. p. pp. fig. approx.
    h.e. h.r. s. a.m. p.m.
    """.split()
)
NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "art", "para", "vol", "p", "pp"})
LIST_MARKER = re.compile(r"^(?:\d{1,2}[.)]|[°※•▪■◦\-–*]|\(\d{1,2}\)|[a-z][.)])$")
SENTENCE_END = re.compile(r"[.!?]['\"’”)]*$")
# A line shorter than this that does not end in punctuation is a heading or a
# byline ("Office of the Spokesperson", "Geneva, Switzerland"), not wrapped prose.
SHORT_LINE = 70


def sentence_starts(words: Sequence[str], spaces: Sequence[bool]) -> list[bool]:
    """For each token, whether it starts a sentence.

    ``words`` are token texts (whitespace tokens included, as spaCy makes
    them), ``spaces`` whether each token is followed by a space.
    """
    n = len(words)
    starts = [False] * n
    if not n:
        return starts
    starts[0] = True
    line_start = 0
    for i, word in enumerate(words):
        if "\n" in word:
            # A newline token: decide whether the next line starts a sentence.
            nxt = _next_content(words, i + 1)
            if nxt is None:
                continue
            prev = _prev_content(words, i - 1)
            line = "".join(
                w + (" " if s else "") for w, s in zip(words[line_start:i], spaces[line_start:i])
            ).strip()
            blank_line = word.count("\n") >= 2
            continues = words[nxt][:1].islower()
            if (
                blank_line
                or prev is None
                or SENTENCE_END.search(words[prev])
                or words[prev].endswith(":")
                or (len(line) < SHORT_LINE and not continues)
                or LIST_MARKER.match(words[nxt])
                or words[nxt] in {"#", "##", "###", "**"}
            ):
                starts[nxt] = True
            line_start = i + 1
            continue
        if LIST_MARKER.match(word) and (i == 0 or "\n" in words[i - 1]):
            starts[i] = True
            continue
        if word in {".", "!", "?"} or (
            word.endswith(".") and len(word) > 1 and word.lower() not in ABBREVIATIONS
            and not re.fullmatch(r"(?:[A-Za-z]\.)+", word)
        ):
            if word == "." and i > 0 and (words[i - 1].lower() + ".") in ABBREVIATIONS:
                continue
            if word == "." and i > 0 and words[i - 1].isdigit() and len(words[i - 1]) <= 2 and (
                i == 1 or "\n" in words[i - 2]
            ):
                continue  # the "1." of a numbered paragraph
            nxt = _next_content(words, i + 1)
            if nxt is None or "\n" in "".join(words[i + 1 : nxt]):
                continue
            prev_word = words[i - 1].lower() if word == "." and i > 0 else word.lower().rstrip(".")
            if prev_word in NUMBER_ABBREVIATIONS and words[nxt][0].isdigit():
                continue  # "No. 5", "Nos. 3"
            # Closing quotes and brackets stay with the sentence they end.
            while nxt < n and words[nxt] in {'"', "”", "’", "'", ")"}:
                nxt = _next_content(words, nxt + 1)
                if nxt is None:
                    break
            if nxt is None:
                continue
            first = words[nxt][0]
            if first.isupper() or first.isdigit() or first in "\"“‘(°※•":
                starts[nxt] = True
    return starts


def _next_content(words: Sequence[str], i: int):
    while i < len(words) and not words[i].strip():
        i += 1
    return i if i < len(words) else None


def _prev_content(words: Sequence[str], i: int):
    while i >= 0 and not words[i].strip():
        i -= 1
    return i if i >= 0 else None


class LayoutSentencizer:
    """Sets ``token.is_sent_start`` with the press-release rules."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        words = [t.text for t in doc]
        spaces = [bool(t.whitespace_) for t in doc]
        # One array write: setting token.is_sent_start token by token re-derives
        # sentence bounds each time and is quadratic in the document's length.
        values = numpy.array([1 if s else -1 for s in sentence_starts(words, spaces)], dtype="int64")
        doc.from_array([SENT_START], values.astype("uint64").reshape(-1, 1))
        return doc


@Language.factory("extractor_layout", assigns=["token.is_sent_start"], default_config={})
def make_layout(nlp: Language, name: str) -> LayoutSentencizer:
    return LayoutSentencizer(nlp, name)
