"""Policy themes: cue phrases from the taxonomy, scored per sentence.

Cues and their weights are data (``models/themes.json``, or a user taxonomy
given as the ``taxonomy`` config value); the scoring is the pure code of
:mod:`extractor.taxonomy`. This component only matches, filters and sets
annotations:

* one ``PhraseMatcher`` (attribute ``LOWER``) holds every cue and negative
  phrase, compiled once; short all-capital acronyms ("AI", "STEM", "WHO")
  are matched case-sensitively by a second one (attribute ``ORTH``);
* a cue does not count inside an organisation's name (``doc.spans
  ["organisations"]``: "refugee" in "UN Refugee Agency"), inside a negative
  phrase of its theme ("Human Rights Council" as a venue), inside
  shared-values boilerplate ("our shared democratic values", "shared values
  of democracy and human rights"), inside a title or an office's name
  ("Director-General for Climate Change, Energy, Environment and Scientific
  Affairs"), in the clause after a "background" phrase
  that describes what a relationship rests on ("a partnership rooted in
  shared democratic values and strong economic ties"), or inside a longer cue
  (of any theme: "security" in "food security");
* ``doc.spans["themes"]`` gets the counted cues of the selected themes
  (``kb_id_`` the theme id, ``id_`` ``cue:<phrase>``), and
  ``doc._.records["themes"]`` one record per selected theme, highest score
  first.

Scraped White House pages are hard-wrapped, so a single newline may sit
inside a cue ("climate\\nchange"): such documents are matched on a copy
without the line-break tokens, and the matches mapped back.
"""
from bisect import bisect_right
from pathlib import Path
from typing import Iterable, Optional

import numpy
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..assets import PathLike
from ..extensions import records
from ..taxonomy import (
    CueHit,
    Taxonomy,
    load_taxonomy,
    outermost_hits,
    select_themes,
    theme_scores,
)

LIST = "themes"
ORGANISATIONS = "organisations"
LABEL = "THEME"
TAXONOMY_FILE = "taxonomy.json"
# A top-level negative phrase about values ("shared values") that is followed
# by one of these voids the list after it, to the end of the clause: "shared
# values of democracy, human rights and the rule of law" makes no theme.
_LIST_OPENERS = frozenset({"of", "such", "including", "like", ":", "—", "–"})
_CLAUSE_END = frozenset({";", ".", "!", "?", "but", "while", "whereas"})
_MAX_CLAUSE = 25
_MAX_NAME = 15
# Lower-case words and marks that may sit inside a capitalised name.
_NAME_GLUE = frozenset({"and", "of", "for", "the", "on", "to", ",", "&", "-", "'s", "’s"})
# How far a negative phrase reaches beyond itself.
_SELF, _LIST, _CLAUSE, _NAME = 0, 1, 2, 3


class ThemeTagger:
    """Select the themes a document addresses, with their cue evidence."""

    def __init__(self, nlp: Language, name: str, *, taxonomy: Optional[str] = None) -> None:
        self.name = name
        self._make_doc = nlp.make_doc
        self._vocab = nlp.vocab
        self._build(load_taxonomy(taxonomy))

    def _build(self, taxonomy: Taxonomy) -> None:
        """Compile the matcher and the lookup tables of ``taxonomy``."""
        self.taxonomy = taxonomy
        self.order = taxonomy.ids
        self.thresholds = taxonomy.thresholds()
        self.matcher = PhraseMatcher(self._vocab, attr="LOWER")
        # Short all-capital acronyms match only in capitals: "AI" not "ai", "STEM" not "stem".
        self.acronyms = PhraseMatcher(self._vocab, attr="ORTH")
        strings = self._vocab.strings
        make_doc = self._make_doc
        # match key -> [(theme, phrase, weight)]: a phrase may cue several themes.
        self.cues: dict[int, list[tuple[str, str, float]]] = {}
        for theme in taxonomy.themes:
            for cue in theme.cues:
                key = f"cue:{cue.phrase.lower()}"
                hashed = strings.add(key)
                if hashed not in self.cues:
                    matcher = self.acronyms if _is_acronym(cue.phrase) else self.matcher
                    matcher.add(key, [make_doc(v) for v in _variants(cue.phrase)])
                self.cues.setdefault(hashed, []).append((theme.id, cue.phrase, cue.weight))
        # negative phrase -> (themes it applies to or None for all, reach)
        negatives: dict[str, tuple[Optional[set], int]] = {}
        for phrase in taxonomy.negative:
            values = phrase.split()[-1].lower() in {"value", "values"}
            negatives[phrase.lower()] = (None, _LIST if values else _SELF)
        for phrase in taxonomy.background:
            negatives[phrase.lower()] = (None, _CLAUSE)
        for phrase in taxonomy.name_openers:
            negatives.setdefault(phrase.lower(), (None, _NAME))
        for theme in taxonomy.themes:
            for phrase in theme.negative:
                themes, reach = negatives.get(phrase.lower(), (set(), _SELF))
                if themes is not None:
                    themes.add(theme.id)
                negatives[phrase.lower()] = (themes, reach)
        # match key -> (frozenset of themes or None, reach)
        self.negatives: dict[int, tuple[Optional[frozenset], int]] = {}
        for phrase, (themes, reach) in negatives.items():
            key = f"neg:{phrase}"
            self.matcher.add(key, [make_doc(v) for v in _variants(phrase)])
            frozen = frozenset(themes) if themes is not None else None
            self.negatives[strings.add(key)] = (frozen, reach)

    def to_disk(self, path: PathLike, *, exclude: Iterable[str] = ()) -> None:
        """Save the taxonomy with the pipeline, so it loads without the source file."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / TAXONOMY_FILE).write_text(self.taxonomy.model_dump_json(indent=1), encoding="utf-8")

    def from_disk(self, path: PathLike, *, exclude: Iterable[str] = ()) -> "ThemeTagger":
        """Load the taxonomy saved by :meth:`to_disk`."""
        self._build(load_taxonomy(Path(path) / TAXONOMY_FILE))
        return self

    def _matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Matcher output on ``doc``, bridging single line breaks."""
        is_space = doc.to_array(IS_SPACE)
        if not is_space.any():
            return self._match(doc)
        # A paragraph break (two newlines) stays a barrier between cues.
        soft = [i for i in numpy.flatnonzero(is_space).tolist() if doc[i].text.count("\n") < 2]
        if not soft:
            return self._match(doc)
        mask = numpy.ones(len(doc), dtype=bool)
        mask[soft] = False
        keep = numpy.flatnonzero(mask)
        strings = doc.vocab.strings
        words = [strings[h] for h in doc.to_array(ORTH)[keep].tolist()]
        if not words:
            return []
        keep_list = keep.tolist()
        return [
            (key, keep_list[s], keep_list[e - 1] + 1)
            for key, s, e in self._match(Doc(doc.vocab, words=words))
        ]

    def _match(self, doc: Doc) -> list[tuple[int, int, int]]:
        matches = self.matcher(doc)
        if len(self.acronyms):
            matches.extend(self.acronyms(doc))
        return matches

    def _suppressed_ranges(self, doc: Doc, negatives: list[tuple[int, int, int]]) -> list:
        """(start, end, themes) token ranges in which cues do not count."""
        ranges = []
        for key, start, end in negatives:
            themes, reach = self.negatives[key]
            if reach == _LIST:
                nxt = _next_word(doc, end)
                if nxt is not None and doc[nxt].lower_ in _LIST_OPENERS:
                    end = _clause_end(doc, nxt + 1)
            elif reach == _CLAUSE:
                end = _clause_end(doc, end)
            elif reach == _NAME:
                if not doc[start].is_title:
                    continue  # "the minister of ..." opens no name
                end = _name_end(doc, end)
            ranges.append((start, end, themes))
        return ranges

    def __call__(self, doc: Doc) -> Doc:
        table = records(doc, LIST)
        matches = self._matches(doc)
        if not matches:
            doc.spans[LIST] = []
            return doc
        cue_matches = []
        negatives = []
        for match in matches:
            if match[0] in self.negatives:
                negatives.append(match)
            else:
                cue_matches.append(match)
        # token -> ranges covering it, so each cue is checked in O(1)
        blocked: dict[int, list[tuple[int, Optional[frozenset]]]] = {}
        for s, e, themes in self._suppressed_ranges(doc, negatives):
            for i in range(s, e):
                blocked.setdefault(i, []).append((e, themes))
        in_org: dict[int, list[tuple[int, int]]] = {}
        for span in doc.spans.get(ORGANISATIONS, ()):
            for i in range(span.start, span.end):
                in_org.setdefault(i, []).append((span.start, span.end))
        starts = _sentence_starts(doc)
        hits: list[CueHit] = []
        for key, start, end in cue_matches:
            length = end - start
            if any(end <= e and e - s > length for s, e in in_org.get(start, ())):
                continue
            sentence = bisect_right(starts, start) - 1
            ranges = blocked.get(start, ())
            for theme, phrase, weight in self.cues[key]:
                if any(end <= e and (themes is None or theme in themes) for e, themes in ranges):
                    continue
                hits.append(CueHit(theme, phrase, weight, sentence, start, end))
        hits = outermost_hits(hits)
        scores = theme_scores(
            hits, weak_below=self.taxonomy.weak_below, weak_cap=self.taxonomy.weak_cap
        )
        chosen = select_themes(
            scores, threshold=self.taxonomy.threshold, overrides=self.thresholds, order=self.order
        )
        selected = {theme for theme, _ in chosen}
        for theme, score in chosen:
            table[theme] = {"id": theme, "score": round(score, 2)}
        doc.spans[LIST] = [
            Span(doc, h.start, h.end, label=LABEL, kb_id=h.theme, span_id=f"cue:{h.phrase}")
            for h in hits
            if h.theme in selected
        ]
        return doc


def _sentence_starts(doc: Doc) -> list[int]:
    if not doc.has_annotation("SENT_START"):
        return [0]
    starts = numpy.flatnonzero(doc.to_array(SENT_START) == 1).tolist()
    return starts if starts and starts[0] == 0 else [0] + starts


def _next_word(doc: Doc, i: int) -> Optional[int]:
    while i < len(doc) and doc[i].is_space:
        i += 1
    return i if i < len(doc) else None


def _clause_end(doc: Doc, i: int) -> int:
    """The end of the clause that runs on from token ``i`` (at most _MAX_CLAUSE tokens)."""
    limit = min(len(doc), i + _MAX_CLAUSE)
    while i < limit:
        token = doc[i]
        if token.is_sent_start or token.lower_ in _CLAUSE_END or "\n\n" in token.text:
            break
        i += 1
    return i


def _name_end(doc: Doc, i: int) -> int:
    """The end of the capitalised name that runs on from token ``i``."""
    limit = min(len(doc), i + _MAX_NAME)
    last = i
    while i < limit:
        token = doc[i]
        if token.is_sent_start or "\n\n" in token.text:
            break
        if token.is_space or token.lower_ in _NAME_GLUE:
            i += 1
            continue
        if not (token.text[:1].isupper() or token.text[:1].isdigit()):
            break
        i += 1
        last = i
    return last


def _is_acronym(phrase: str) -> bool:
    return len(phrase) <= 4 and phrase.isalpha() and phrase.isupper()


def _variants(phrase: str) -> list[str]:
    """The phrase with straight and curly apostrophes (the tokenizer keeps them apart)."""
    forms = [phrase]
    for a, b in (("'", "’"), ("’", "'")):
        if a in phrase and phrase.replace(a, b) not in forms:
            forms.append(phrase.replace(a, b))
    return forms


@Language.factory(
    "extractor_themes",
    assigns=["doc.spans", "doc._.records"],
    default_config={"taxonomy": None},
)
def make_themes(nlp: Language, name: str, taxonomy: Optional[str]) -> ThemeTagger:
    """``taxonomy``: path of a taxonomy file; ``None`` is the shipped ``models/themes.json``."""
    return ThemeTagger(nlp, name, taxonomy=taxonomy)
