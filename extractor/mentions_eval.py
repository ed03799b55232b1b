"""Mention-level scores: the four schemes of SemEval-2013 Task 9.1 over character spans.

Record-level scoring (:mod:`extractor.evaluate`) asks whether the right
*records* were found; this module asks whether the right *places in the text*
were marked. It runs when gold documents carry character spans, in either of
two forms:

- the ``mentions`` (``start``/``end``) of the gold records, labelled by their
  list: ``OFFICIAL`` (officials), ``ORG`` (organisations), ``DATE`` (dates),
  ``MONEY`` (pledges); themes have no mention label;
- a Prodigy-style ``spans`` list on the gold document,
  ``[{"start": 33, "end": 43, "label": "OFFICIAL"}, ...]``. The schema ignores
  unknown fields, so :func:`extractor.evaluate.read_documents` (and
  :func:`extractor.evaluate.evaluate` for dicts) carries it in
  ``meta["spans"]``; a top-level ``spans`` wins over an existing
  ``meta["spans"]``. When a document has ``spans``, its record mentions are
  not used for gold.

Predicted spans are always the ``mentions`` of the prediction's records.

Which labels a gold document annotates
--------------------------------------
A document with ``spans`` annotates all four labels (and any other label its
spans use). A document without ``spans`` annotates a label when its list is
present (not ``None``) and either empty or with at least one record that has
mentions; a list whose records carry no mentions at all is not span-annotated
(a note counts such lists). A document with neither ``spans`` nor any gold
mention is not scored here. Predicted spans of labels the document does not
annotate are left out.

Alignment and the four schemes
------------------------------
Spans are half-open ``[start, end)`` character ranges; two spans overlap when
they share at least one character. Identical spans in one document count once.
Gold and predicted spans are aligned **one to one**, so that, as in the
SemEval definitions, POS = COR + INC + PAR + MIS is the number of gold spans
and ACT = COR + INC + PAR + SPU the number of predicted ones. (nervaluate lets
several predictions count against one gold span; this module does not.) A
pair is taken greedily in this order of preference: same boundaries and
label; same boundaries; overlap with the same label; any overlap; within a
tier the larger overlap, then the earlier spans. Each outcome counts as:

=====================  ======  ======  =======  ======
outcome                strict  exact   partial  type
=====================  ======  ======  =======  ======
same boundaries+label  COR     COR     COR      COR
same boundaries        INC     COR     COR      INC
overlap, same label    INC     INC     PAR      COR
overlap, other label   INC     INC     PAR      INC
gold span unmatched    MIS     MIS     MIS      MIS
predicted unmatched    SPU     SPU     SPU      SPU
=====================  ======  ======  =======  ======

precision = (COR + 0.5·PAR) / ACT and recall = (COR + 0.5·PAR) / POS (PAR is
only ever non-zero under ``partial``, so this is COR/ACT and COR/POS for the
other schemes); F1 is their harmonic mean. As in :mod:`extractor.evaluate`,
nothing to find and nothing found scores 1.0, another empty denominator 0.0.

Per label, COR, INC, PAR and MIS go to the gold span's label and SPU to the
predicted span's label (nervaluate counts a spurious span against every
label; this module counts it once, against its own).

Pure Python, no spaCy.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional

from .errors import Errors, Warnings

__all__ = [
    "LABELS",
    "SCHEMES",
    "MentionReport",
    "SchemeScore",
    "Span",
    "align_spans",
    "evaluate_mentions",
    "gold_spans",
    "label_order",
    "predicted_spans",
    "score_spans",
    "span_problems",
]

# The list each mention label stands for, in report order.
LABELS: dict[str, str] = {"officials": "OFFICIAL", "organisations": "ORG", "dates": "DATE", "pledges": "MONEY"}
SCHEMES = ("strict", "exact", "partial", "type")

# Outcome of one aligned pair (or lone span) → its category under each scheme.
_OUTCOMES: dict[str, dict[str, str]] = {
    "match": {"strict": "cor", "exact": "cor", "partial": "cor", "type": "cor"},
    "boundary": {"strict": "inc", "exact": "cor", "partial": "cor", "type": "inc"},
    "overlap_label": {"strict": "inc", "exact": "inc", "partial": "par", "type": "cor"},
    "overlap": {"strict": "inc", "exact": "inc", "partial": "par", "type": "inc"},
    "missed": {s: "mis" for s in SCHEMES},
    "spurious": {s: "spu" for s in SCHEMES},
}
_TIERS = ("match", "boundary", "overlap_label", "overlap")


@dataclass(frozen=True, order=True)
class Span:
    """A labelled half-open character range ``[start, end)``."""

    start: int
    end: int
    label: str


@dataclass
class SchemeScore:
    """The SemEval counts of one scheme, with precision, recall and F1."""

    cor: int = 0
    inc: int = 0
    par: int = 0
    mis: int = 0
    spu: int = 0

    @property
    def possible(self) -> int:
        """POS: the gold spans."""
        return self.cor + self.inc + self.par + self.mis

    @property
    def actual(self) -> int:
        """ACT: the predicted spans."""
        return self.cor + self.inc + self.par + self.spu

    @property
    def _empty(self) -> float:
        return 1.0 if self.possible == self.actual == 0 else 0.0

    @property
    def precision(self) -> float:
        return (self.cor + 0.5 * self.par) / self.actual if self.actual else self._empty

    @property
    def recall(self) -> float:
        return (self.cor + 0.5 * self.par) / self.possible if self.possible else self._empty

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: "SchemeScore") -> None:
        self.cor += other.cor
        self.inc += other.inc
        self.par += other.par
        self.mis += other.mis
        self.spu += other.spu

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "cor": self.cor,
            "inc": self.inc,
            "par": self.par,
            "mis": self.mis,
            "spu": self.spu,
            "possible": self.possible,
            "actual": self.actual,
        }


def _schemes() -> dict[str, SchemeScore]:
    return {scheme: SchemeScore() for scheme in SCHEMES}


@dataclass
class MentionReport:
    """Mention-level scores over the span-annotated gold documents."""

    documents: int = 0
    schemes: dict[str, SchemeScore] = field(default_factory=_schemes)
    labels: dict[str, dict[str, SchemeScore]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, other: "MentionReport") -> None:
        self.documents += other.documents
        for scheme, score in other.schemes.items():
            self.schemes[scheme].add(score)
        for label, schemes in other.labels.items():
            mine = self.labels.setdefault(label, _schemes())
            for scheme, score in schemes.items():
                mine[scheme].add(score)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "schemes": {s: v.to_dict() for s, v in self.schemes.items()},
            "labels": {
                label: {s: v.to_dict() for s, v in schemes.items()} for label, schemes in self.labels.items()
            },
            "notes": self.notes,
        }


# --------------------------------------------------------------------------
# Alignment


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _tier(gold: Span, pred: Span) -> Optional[int]:
    if (gold.start, gold.end) == (pred.start, pred.end):
        return 0 if gold.label == pred.label else 1
    if _overlap(gold, pred):
        return 2 if gold.label == pred.label else 3
    return None


def align_spans(
    gold: Iterable[Span], predicted: Iterable[Span]
) -> list[tuple[str, Optional[Span], Optional[Span]]]:
    """(outcome, gold span, predicted span) for every span of one document.

    Outcomes are ``match``, ``boundary``, ``overlap_label``, ``overlap``,
    ``missed`` (gold only) and ``spurious`` (predicted only); see the module
    docstring for the one-to-one alignment. Duplicates count once; the result
    is sorted and so deterministic.
    """
    gold_set = sorted(set(gold))
    pred_set = sorted(set(predicted))
    candidates = []
    for g in gold_set:
        for p in pred_set:
            tier = _tier(g, p)
            if tier is not None:
                candidates.append((tier, -_overlap(g, p), p, g))
    candidates.sort()
    used_g: set[Span] = set()
    used_p: set[Span] = set()
    out: list[tuple[str, Optional[Span], Optional[Span]]] = []
    for tier, _, p, g in candidates:
        if g in used_g or p in used_p:
            continue
        used_g.add(g)
        used_p.add(p)
        out.append((_TIERS[tier], g, p))
    out += [("missed", g, None) for g in gold_set if g not in used_g]
    out += [("spurious", None, p) for p in pred_set if p not in used_p]
    return sorted(out, key=lambda o: ((o[1] or o[2]).start, (o[1] or o[2]).end, o[0]))


def score_spans(gold: Iterable[Span], predicted: Iterable[Span]) -> MentionReport:
    """The four schemes, overall and per label, for one document's spans."""
    report = MentionReport(documents=1)
    for outcome, g, p in align_spans(gold, predicted):
        label = g.label if g is not None else p.label
        per_label = report.labels.setdefault(label, _schemes())
        for scheme, category in _OUTCOMES[outcome].items():
            for target in (report.schemes[scheme], per_label[scheme]):
                setattr(target, category, getattr(target, category) + 1)
    return report


# --------------------------------------------------------------------------
# Spans of documents


def _raw_spans(doc: Any) -> Optional[list]:
    meta = getattr(doc, "meta", None) or {}
    spans = meta.get("spans") if isinstance(meta, dict) else None
    return spans if isinstance(spans, list) else None


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_span(item: Any) -> Optional[Span]:
    if not isinstance(item, dict):
        return None
    start, end, label = item.get("start"), item.get("end"), item.get("label")
    if not (_int(start) and _int(end) and isinstance(label, str) and label.strip()):
        return None
    return Span(start, end, label.strip())


def _fits(span: Span, length: Optional[int]) -> bool:
    return 0 <= span.start <= span.end and (length is None or span.end <= length)


def _record_spans(doc: Any, labels: Optional[Iterable[str]] = None) -> list[Span]:
    wanted = set(labels) if labels is not None else set(LABELS.values())
    out = []
    for list_name, label in LABELS.items():
        if label not in wanted:
            continue
        for record in getattr(doc, list_name, None) or ():
            out += [Span(m.start, m.end, label) for m in record.mentions]
    return out


def gold_spans(doc: Any, *, text_length: Optional[int] = None) -> Optional[tuple[list[Span], set[str]]]:
    """The gold spans of a document and the labels it annotates, or None.

    ``None`` when the document carries neither ``spans`` nor record mentions.
    Spans that are malformed or fall outside the text (``start > end``, or
    ``end`` past ``text_length`` when given) are left out; :func:`span_problems`
    reports them.
    """
    length = text_length if text_length is not None else _length(doc)
    raw = _raw_spans(doc)
    if raw is not None:
        spans = [s for s in map(_parse_span, raw) if s is not None and _fits(s, length)]
        return spans, set(LABELS.values()) | {s.label for s in spans}
    labels: set[str] = set()
    for list_name, label in LABELS.items():
        records = getattr(doc, list_name, None)
        if records is None:
            continue
        if not records or any(r.mentions for r in records):
            labels.add(label)
    if not any(r.mentions for name in LABELS for r in (getattr(doc, name, None) or ())):
        return None
    return [s for s in _record_spans(doc, labels) if _fits(s, length)], labels


def predicted_spans(doc: Any, *, labels: Iterable[str], text_length: Optional[int] = None) -> list[Span]:
    """The mentions of a prediction's records as spans, for the given labels."""
    if doc is None:
        return []
    length = text_length if text_length is not None else _length(doc)
    return [s for s in _record_spans(doc, labels) if _fits(s, length)]


def _length(doc: Any) -> Optional[int]:
    text = getattr(doc, "text", None)
    return len(text) if isinstance(text, str) else None


def evaluate_mentions(pairs: Iterable[tuple[Any, Any]]) -> Optional[MentionReport]:
    """Mention scores over (gold document, prediction or None) pairs.

    ``None`` when no gold document carries spans. The text that bounds the
    offsets is the gold document's, else the prediction's.
    """
    total: Optional[MentionReport] = None
    unmarked: dict[str, int] = {}
    for gold, pred in pairs:
        length = _length(gold)
        if length is None and pred is not None:
            length = _length(pred)
        found = gold_spans(gold, text_length=length)
        if found is None:
            continue
        spans, labels = found
        if _raw_spans(gold) is None:
            for list_name, label in LABELS.items():
                records = getattr(gold, list_name, None)
                if records and label not in labels:
                    unmarked[list_name] = unmarked.get(list_name, 0) + 1
        if total is None:
            total = MentionReport()
        total.add(score_spans(spans, predicted_spans(pred, labels=labels, text_length=length)))
    if total is None:
        return None
    total.labels = {label: total.labels[label] for label in label_order(list(total.labels))}
    for list_name, count in unmarked.items():
        total.notes.append(
            f"{count} span-annotated gold document(s) have '{list_name}' records without mentions; "
            f"{LABELS[list_name]} is not scored at mention level there."
        )
    return total


# --------------------------------------------------------------------------
# Checking gold


def span_problems(doc: Any, *, where: str) -> list[str]:
    """Messages for malformed ``spans`` entries and offsets outside the text.

    ``where`` locates the document in the messages (``"gold.jsonl, line 3"``).
    Offsets are checked against the document's ``text`` when it has one.
    """
    problems: list[str] = []
    length = _length(doc)
    raw_meta = getattr(doc, "meta", None) or {}
    raw = raw_meta.get("spans") if isinstance(raw_meta, dict) else None
    if raw is not None and not isinstance(raw, list):
        problems.append(Errors.E031.format(where=where, item="spans", value=_short(raw)))
        raw = None

    def check(what: str, start: int, end: int) -> None:
        if start > end:
            problems.append(Errors.E030.format(where=where, what=what, start=start, end=end, why="start is after end"))
        elif length is not None and end > length:
            why = f"end is past the text, which has {length} characters"
            problems.append(Errors.E030.format(where=where, what=what, start=start, end=end, why=why))

    known = set(LABELS.values())
    for index, item in enumerate(raw or ()):
        span = _parse_span(item)
        if span is None or span.start < 0:
            problems.append(Errors.E031.format(where=where, item=f"spans[{index}]", value=_short(item)))
            continue
        check(f"spans[{index}] ({span.label})", span.start, span.end)
        if span.label not in known:
            problems.append(Warnings.W010.format(where=where, item=f"spans[{index}]", label=span.label))
    for list_name in LABELS:
        for i, record in enumerate(getattr(doc, list_name, None) or ()):
            for j, mention in enumerate(record.mentions):
                check(f"{list_name}[{i}].mentions[{j}] '{mention.text}'", mention.start, mention.end)
    return problems


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_order(labels: Sequence[str]) -> list[str]:
    """Labels in report order: the four list labels first, then others by name."""
    order = list(LABELS.values())
    return sorted(labels, key=lambda x: (order.index(x) if x in order else len(order), x))
