"""Policy themes: cue phrases from the taxonomy, scored per sentence.

Cues and their weights are data (``models/themes.json``, or a user taxonomy
given as the ``taxonomy`` config value); the scoring is the pure code of
:mod:`extractor.taxonomy`. This component only matches, filters and sets
annotations:

* one ``PhraseMatcher`` (attribute ``LOWER``) holds every cue and negative
  phrase, compiled once;
* a cue does not count inside an organisation's name (``doc.spans
  ["organisations"]``: "refugee" in "UN Refugee Agency"), inside a negative
  phrase of its theme ("Human Rights Council" as a venue), inside
  shared-values boilerplate ("our shared democratic values", "shared values
  of democracy and human rights"), in the clause after a "background" phrase
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
from typing import Optional

from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..extensions import records
from ..taxonomy import CueHit, Taxonomy, load_taxonomy, select_themes, theme_scores

LIST = "themes"
ORGANISATIONS = "organisations"
LABEL = "THEME"
# A top-level negative phrase about values ("shared values") that is followed
# by one of these voids the list after it, to the end of the clause: "shared
# values of democracy, human rights and the rule of law" makes no theme.
_LIST_OPENERS = frozenset({"of", "such", "including", "like", ":", "—", "–"})
_CLAUSE_END = frozenset({";", ".", "!", "?", "but", "while", "whereas"})
_MAX_CLAUSE = 25
# How far a negative phrase reaches beyond itself.
_SELF, _LIST, _CLAUSE = 0, 1, 2


class ThemeTagger:
    """Select the themes a document addresses, with their cue evidence."""

    def __init__(self, nlp: Language, name: str, *, taxonomy: Optional[str] = None) -> None:
        self.name = name
        self.taxonomy: Taxonomy = load_taxonomy(taxonomy)
        self.order = self.taxonomy.ids
        self.thresholds = self.taxonomy.thresholds()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        strings = nlp.vocab.strings
        # match key -> [(theme, phrase, weight)]: a phrase may cue several themes.
        self.cues: dict[int, list[tuple[str, str, float]]] = {}
        for theme in self.taxonomy.themes:
            for cue in theme.cues:
                key = f"cue:{cue.phrase.lower()}"
                hashed = strings.add(key)
                if hashed not in self.cues:
                    self.matcher.add(key, [nlp.make_doc(v) for v in _variants(cue.phrase)])
                self.cues.setdefault(hashed, []).append((theme.id, cue.phrase, cue.weight))
        # negative phrase -> (themes it applies to or None for all, reach)
        negatives: dict[str, tuple[Optional[set], int]] = {}
        for phrase in self.taxonomy.negative:
            values = phrase.split()[-1].lower() in {"value", "values"}
            negatives[phrase.lower()] = (None, _LIST if values else _SELF)
        for phrase in self.taxonomy.background:
            negatives[phrase.lower()] = (None, _CLAUSE)
        for theme in self.taxonomy.themes:
            for phrase in theme.negative:
                themes, reach = negatives.get(phrase.lower(), (set(), _SELF))
                if themes is not None:
                    themes.add(theme.id)
                negatives[phrase.lower()] = (themes, reach)
        # match key -> (frozenset of themes or None, reach)
        self.negatives: dict[int, tuple[Optional[frozenset], int]] = {}
        for phrase, (themes, reach) in negatives.items():
            key = f"neg:{phrase}"
            self.matcher.add(key, [nlp.make_doc(v) for v in _variants(phrase)])
            frozen = frozenset(themes) if themes is not None else None
            self.negatives[strings.add(key)] = (frozen, reach)

    def _matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Matcher output on ``doc``, bridging single line breaks."""
        is_space = doc.to_array(IS_SPACE)
        if not is_space.any():
            return self.matcher(doc)
        keep: list[int] = []
        bridged = False
        for i, flag in enumerate(is_space.tolist()):
            # A paragraph break (two newlines) stays a barrier between cues.
            if flag and doc[i].text.count("\n") < 2:
                bridged = True
                continue
            keep.append(i)
        if not bridged or not keep:
            return self.matcher(doc)
        compact = Doc(doc.vocab, words=[doc[i].lower_ for i in keep])
        return [(key, keep[s], keep[e - 1] + 1) for key, s, e in self.matcher(compact)]

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
        blocked = self._suppressed_ranges(doc, negatives)
        orgs = [(s.start, s.end) for s in doc.spans.get(ORGANISATIONS, ())]
        starts = [s.start for s in doc.sents] if doc.has_annotation("SENT_START") else [0]
        hits: list[CueHit] = []
        for key, start, end in cue_matches:
            if any(s <= start and end <= e and (e - s) > (end - start) for s, e in orgs):
                continue
            sentence = bisect_right(starts, start) - 1
            for theme, phrase, weight in self.cues[key]:
                if any(
                    s <= start and end <= e and (themes is None or theme in themes)
                    for s, e, themes in blocked
                ):
                    continue
                hits.append(CueHit(theme, phrase, weight, sentence, start, end))
        hits = _outermost(hits)
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


def _variants(phrase: str) -> list[str]:
    """The phrase with straight and curly apostrophes (the tokenizer keeps them apart)."""
    forms = [phrase]
    for a, b in (("'", "’"), ("’", "'")):
        if a in phrase and phrase.replace(a, b) not in forms:
            forms.append(phrase.replace(a, b))
    return forms


def _outermost(hits: list[CueHit]) -> list[CueHit]:
    """Drop every cue inside a longer cue, of any theme: the longer phrase is the
    reading ("security" in "food security", "water" in "drinking water"). A
    phrase listed under several themes counts for each of them."""
    kept = []
    cover = (-1, -1)
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if hit.end <= cover[1] and (hit.start, hit.end) != cover:
            continue
        if hit.end > cover[1]:
            cover = (hit.start, hit.end)
        kept.append(hit)
    return kept


@Language.factory(
    "extractor_themes",
    assigns=["doc.spans", "doc._.records"],
    default_config={"taxonomy": None},
)
def make_themes(nlp: Language, name: str, taxonomy: Optional[str]) -> ThemeTagger:
    """``taxonomy``: path of a taxonomy file; ``None`` is the shipped ``models/themes.json``."""
    return ThemeTagger(nlp, name, taxonomy=taxonomy)
