"""Score extraction output against gold annotations (ANNOTATION.md, "Scoring").

A prediction file and a gold file have the same shape
(:class:`~extractor.schema.DocumentExtraction`), so any output of the extractor
can be scored against any gold file::

    >>> report = evaluate_files("pred.jsonl", "gold.jsonl", corpus="dev.jsonl")
    >>> print(format_report(report))
    >>> report.to_dict()["scores"]["officials_f"]

The module is silent and returns data; printing belongs to the CLI. It is pure
Python plus pydantic (no spaCy objects), so scoring is fast and testable alone.

How records are paired
----------------------
Each list of each document is matched one-to-one, predicted records against
gold records. Which pairs *may* match is the rule of the scoring table
(``_RULES``); which pairs *do* match is a **maximum bipartite matching**, so no
true positive is lost to an unlucky order (an organisation alias can make
one predicted record compatible with two gold records). Among the maximum
matchings the one with the highest total *pair quality* is taken: the text
overlap of two dates with the same value (the table's tie rule), agreeing
attributes for officials, organisations and pledges (so "$100,000 each to
Zimbabwe and Malawi" pairs each recipient with its own, whatever the order).
Qualities are integers and the assignment algorithm (Hungarian, run on each
connected component of the compatibility graph) is deterministic, so the same
input always gives the same pairs.

A record that occurs twice in a document finds one partner: one true positive
and one false positive, as the guide requires.

Precision, recall and F1 are micro-averaged (counts summed over documents)
and also macro-averaged (the mean of per-document scores). A ratio with an
empty denominator follows one rule everywhere: when there is nothing to find
and nothing was found (tp = fp = fn = 0) precision, recall and F1 are 1.0;
otherwise an empty denominator gives 0.0.
"""
import json
import math
import re
from collections import defaultdict
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, Union

from pydantic import BaseModel, ValidationError

from .errors import Errors, ExtractorError, Warnings
from .gazetteers import fold as _fold_uncached
from .schema import LIST_NAMES, THEME_IDS, DocumentExtraction

__all__ = [
    "AttributeScore",
    "DocumentScore",
    "EvalReport",
    "ListScore",
    "PRF",
    "evaluate",
    "evaluate_files",
    "format_report",
    "read_documents",
]

PathLike = Union[str, Path]

# Pledge amounts are floats written by different tools ("18.5 million" →
# 18500000.0); half a cent, or a billionth, absorbs float noise but never
# joins two amounts a person would call different ($2,000,001 ≠ $2,000,000).
AMOUNT_REL_TOL = 1e-9
AMOUNT_ABS_TOL = 0.005

# The fields of each list that scoring looks at; they are what per-document
# details show of a record.
SCORED_FIELDS: dict[str, tuple[str, ...]] = {
    "officials": ("name", "title", "organisation", "country"),
    "organisations": ("name", "acronym", "aliases"),
    "dates": ("text", "value"),
    "pledges": ("text", "amount", "currency", "donor", "recipient"),
    "themes": ("id",),
}


# --------------------------------------------------------------------------
# Result objects


def _ratio(part: float, whole: float, *, empty: float) -> float:
    return part / whole if whole else empty


@dataclass
class PRF:
    """True positive, false positive and false negative counts, with their scores."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def _nothing(self) -> float:
        # Nothing to find and nothing found is a perfect score (module docstring).
        return 1.0 if self.tp == self.fp == self.fn == 0 else 0.0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp, empty=self._nothing)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn, empty=self._nothing)

    @property
    def f1(self) -> float:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn, empty=self._nothing)

    def add(self, other: "PRF") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class AttributeScore:
    """An attribute compared over matched pairs.

    ``correct`` is the number of pairs that agree, or for a graded attribute
    (date text overlap) the sum of the per-pair grades; ``score`` is their
    mean, ``None`` when no pair was matched.
    """

    correct: float = 0.0
    total: int = 0

    @property
    def score(self) -> Optional[float]:
        return self.correct / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "correct": self.correct, "total": self.total}


@dataclass
class ListScore:
    """The scores of one list over all documents where gold annotates it."""

    name: str
    counts: PRF = field(default_factory=PRF)
    docs: int = 0
    macro_precision: float = 0.0
    macro_recall: float = 0.0
    macro_f1: float = 0.0
    attributes: dict[str, AttributeScore] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.counts.precision

    @property
    def recall(self) -> float:
        return self.counts.recall

    @property
    def f1(self) -> float:
        return self.counts.f1

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.counts.to_dict(),
            "docs": self.docs,
            "macro_precision": self.macro_precision,
            "macro_recall": self.macro_recall,
            "macro_f1": self.macro_f1,
            "attributes": {name: a.to_dict() for name, a in self.attributes.items()},
        }


@dataclass
class DocumentListScore:
    """One list of one document: counts and what went wrong."""

    counts: PRF = field(default_factory=PRF)
    missed: list[dict] = field(default_factory=list)
    spurious: list[dict] = field(default_factory=list)
    attribute_errors: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.counts.tp,
            "fp": self.counts.fp,
            "fn": self.counts.fn,
            "missed": self.missed,
            "spurious": self.spurious,
            "attribute_errors": self.attribute_errors,
        }


@dataclass
class DocumentScore:
    """The scored lists of one gold document, for error analysis."""

    id: str
    lists: dict[str, DocumentListScore] = field(default_factory=dict)
    predicted: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "predicted": self.predicted,
            "lists": {name: s.to_dict() for name, s in self.lists.items()},
        }


@dataclass
class EvalReport:
    """Everything :func:`evaluate` found; :meth:`to_dict` is JSON-ready."""

    documents: int = 0
    lists: dict[str, ListScore] = field(default_factory=dict)
    themes: dict[str, PRF] = field(default_factory=dict)
    not_annotated: list[str] = field(default_factory=list)
    missing_predictions: list[str] = field(default_factory=list)
    ignored_predictions: int = 0
    per_document: list[DocumentScore] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def scores(self) -> dict[str, Optional[float]]:
        """Flat ``{list}_p/_r/_f`` scores (as spaCy's scorer), attributes and macro F1."""
        flat: dict[str, Optional[float]] = {}
        for name, score in self.lists.items():
            flat[f"{name}_p"] = score.precision
            flat[f"{name}_r"] = score.recall
            flat[f"{name}_f"] = score.f1
            flat[f"{name}_macro_f"] = score.macro_f1
            for attribute, value in score.attributes.items():
                flat[f"{name}_{attribute}"] = value.score
        return flat

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "sources": self.sources,
            "scores": self.scores(),
            "lists": {name: s.to_dict() for name, s in self.lists.items()},
            "themes": {theme: prf.to_dict() for theme, prf in self.themes.items()},
            "not_annotated": self.not_annotated,
            "missing_predictions": self.missing_predictions,
            "ignored_predictions": self.ignored_predictions,
            "problems": self.problems,
            "warnings": self.warnings,
            "notes": self.notes,
            "per_document": [d.to_dict() for d in self.per_document],
        }


# --------------------------------------------------------------------------
# Normalisation and comparison (the scoring table, one function a cell)

# Every pair comparison folds both sides again; the cache makes that free.
fold = lru_cache(maxsize=1 << 16)(_fold_uncached)


def _blank(value: Optional[str]) -> bool:
    return value is None or not str(value).strip()


def _drop_the(text: str) -> str:
    text = text.strip()
    return text[4:] if text[:4].lower() == "the " else text


def same_folded(a: Optional[str], b: Optional[str]) -> bool:
    """Attribute equality after :func:`fold`; two missing values agree."""
    if _blank(a) or _blank(b):
        return _blank(a) and _blank(b)
    return fold(a) == fold(b)


def name_variants(name: str) -> set[str]:
    """The folded name, and with its first or last word moved to the other end.

    Moving the family name from front to back (or back to front) is the only
    reordering the guide allows: "Kang Insun" ~ "Insun Kang", "Yoon Suk Yeol"
    ~ "Suk Yeol Yoon". Folding drops case, accents, hyphens and spaces, so
    "Ham Sang-wook" ~ "HAM Sangwook" ~ "Sang-wook Ham".
    """
    words = name.split()
    variants = {fold(name)}
    if len(words) > 1:
        variants.add(fold(" ".join(words[1:] + words[:1])))
        variants.add(fold(" ".join(words[-1:] + words[:-1])))
    return variants


def same_official(a: str, b: str) -> bool:
    """Whether two official names are one person under the scoring rule."""
    return fold(b) in name_variants(a) or fold(a) in name_variants(b)


def organisation_forms(name: str, acronym: Optional[str] = None, aliases: Iterable[str] = ()) -> set[str]:
    """Every folded form of an organisation: name, acronym, aliases, "the" dropped."""
    forms = {fold(_drop_the(form)) for form in (name, acronym, *aliases) if not _blank(form)}
    forms.discard("")
    return forms


def normalise_date_value(value: str) -> str:
    """``value`` without spaces, upper-cased (``xxxx-02-27`` = ``XXXX-02-27``)."""
    return re.sub(r"\s+", "", value).upper()


def _tokens(text: str) -> list[str]:
    return [t for t in (fold(w) for w in re.findall(r"\w+", text)) if t]


def text_overlap(a: str, b: str) -> float:
    """Token Jaccard of two mention texts ("February 26" vs "February 26 to 28": 0.5)."""
    ta, tb = set(_tokens(a)), set(_tokens(b))
    if not ta and not tb:
        return 1.0 if fold(a) == fold(b) else 0.0
    return len(ta & tb) / len(ta | tb)


def same_amount(a: float, b: float) -> bool:
    """Amounts equal within :data:`AMOUNT_REL_TOL` / :data:`AMOUNT_ABS_TOL`."""
    return math.isclose(a, b, rel_tol=AMOUNT_REL_TOL, abs_tol=AMOUNT_ABS_TOL)


def _currency(code: Optional[str]) -> str:
    return (code or "").strip().upper()


def _party_words(text: str) -> list[str]:
    words = [t for t in (fold(w) for w in _drop_the(text).split()) if t]
    return words


def same_party(a: Optional[str], b: Optional[str]) -> bool:
    """Donor or recipient agreement: equal after folding, or one contains the other.

    Containment is checked on whole words (after folding each word), so
    "Korea" agrees with "Republic of Korea" and "Women and Peace Fund" with
    "Action with Women and Peace Fund", but "US" does not agree with
    "Australia" as a plain substring test would have it. A leading "the" is
    dropped. Two missing values agree; a missing and a given one do not.
    """
    if _blank(a) or _blank(b):
        return _blank(a) and _blank(b)
    if fold(_drop_the(a)) == fold(_drop_the(b)):
        return True
    wa, wb = _party_words(a), _party_words(b)
    short, long = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if not short:
        return False
    return any(long[i : i + len(short)] == short for i in range(len(long) - len(short) + 1))


# --------------------------------------------------------------------------
# The rules of the scoring table


@dataclass(frozen=True)
class _Rule:
    """How one list is matched and which attributes are compared on matches.

    ``key`` normalises a record once; ``compatible`` decides on two keys
    whether the records may match; ``quality`` (an integer, higher is better)
    chooses among maximum matchings; ``attributes`` grade a matched pair
    (1.0 = agree) as (predicted, gold) → float.
    """

    key: Callable[[Any], Any]
    compatible: Callable[[Any, Any], bool]
    quality: Callable[[Any, Any], int]
    attributes: dict[str, Callable[[Any, Any], float]]
    attribute_fields: dict[str, str] = field(default_factory=dict)


def _official_key(r):
    return (fold(r.name), name_variants(r.name))


def _official_quality(p, g) -> int:
    # Exact name first, then the number of agreeing attributes.
    exact = fold(p.name) == fold(g.name)
    agree = sum(same_folded(getattr(p, a), getattr(g, a)) for a in ("title", "organisation", "country"))
    return 4 * exact + agree


def _org_quality(p, g) -> int:
    return 2 * (fold(_drop_the(p.name)) == fold(_drop_the(g.name))) + same_folded(p.acronym, g.acronym)


def _pledge_key(r):
    return (r.amount, _currency(r.currency))


def _pledge_quality(p, g) -> int:
    text = fold(p.text) == fold(g.text)
    return 2 * same_party(p.donor, g.donor) + 2 * same_party(p.recipient, g.recipient) + text


_RULES: dict[str, _Rule] = {
    "officials": _Rule(
        key=_official_key,
        compatible=lambda kp, kg: kg[0] in kp[1] or kp[0] in kg[1],
        quality=_official_quality,
        attributes={
            "title": lambda p, g: float(same_folded(p.title, g.title)),
            "organisation": lambda p, g: float(same_folded(p.organisation, g.organisation)),
            "country": lambda p, g: float(same_folded(p.country, g.country)),
        },
        attribute_fields={"title": "title", "organisation": "organisation", "country": "country"},
    ),
    "organisations": _Rule(
        key=lambda r: organisation_forms(r.name, r.acronym, r.aliases),
        compatible=lambda kp, kg: bool(kp & kg),
        quality=_org_quality,
        attributes={"acronym": lambda p, g: float(same_folded(p.acronym, g.acronym))},
        attribute_fields={"acronym": "acronym"},
    ),
    "dates": _Rule(
        key=lambda r: normalise_date_value(r.value),
        compatible=lambda kp, kg: kp == kg,
        # Per mille, so that quality stays an exact integer.
        quality=lambda p, g: round(1000 * text_overlap(p.text, g.text)),
        attributes={"text_overlap": lambda p, g: text_overlap(p.text, g.text)},
        attribute_fields={"text_overlap": "text"},
    ),
    "pledges": _Rule(
        key=_pledge_key,
        compatible=lambda kp, kg: kp[1] == kg[1] and same_amount(kp[0], kg[0]),
        quality=_pledge_quality,
        attributes={
            "donor": lambda p, g: float(same_party(p.donor, g.donor)),
            "recipient": lambda p, g: float(same_party(p.recipient, g.recipient)),
        },
        attribute_fields={"donor": "donor", "recipient": "recipient"},
    ),
    "themes": _Rule(
        key=lambda r: r.id.strip(),
        compatible=lambda kp, kg: kp == kg,
        quality=lambda p, g: 0,
        attributes={},
    ),
}


# --------------------------------------------------------------------------
# Matching


def _hungarian(cost: Sequence[Sequence[int]]) -> list[tuple[int, int]]:
    """Minimum-cost assignment of every row to a distinct column (rows ≤ columns).

    The O(n²m) shortest-augmenting-path form with potentials; integer costs
    keep it exact and so deterministic.
    """
    n, m = len(cost), len(cost[0])
    inf = math.inf
    u = [0] * (n + 1)
    v = [0] * (m + 1)
    owner = [0] * (m + 1)
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            delta = inf
            j1 = 0
            row = cost[i0 - 1]
            for j in range(1, m + 1):
                if not used[j]:
                    cur = row[j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    return [(owner[j] - 1, j - 1) for j in range(1, m + 1) if owner[j]]


def match_records(
    predicted: Sequence[Any], gold: Sequence[Any], *, rule: str
) -> list[tuple[int, int]]:
    """One-to-one (predicted index, gold index) pairs under the rule of a list.

    A maximum matching of the compatibility graph with the highest total
    quality among maximum matchings (module docstring), sorted by gold index.
    """
    spec = _RULES[rule]
    pkeys = [spec.key(r) for r in predicted]
    gkeys = [spec.key(r) for r in gold]
    edges: dict[tuple[int, int], int] = {}
    for i, kp in enumerate(pkeys):
        for j, kg in enumerate(gkeys):
            if spec.compatible(kp, kg):
                edges[i, j] = spec.quality(predicted[i], gold[j])
    # Connected components keep each assignment problem small: usually one
    # pair, a handful of dates with one value, or an entity and its duplicate.
    n = len(predicted)
    parent = list(range(n + len(gold)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in edges:
        parent[find(i)] = find(n + j)
    components: dict[int, tuple[list[int], list[int]]] = {}
    for i, j in edges:
        rows, cols = components.setdefault(find(i), ([], []))
        if i not in rows:
            rows.append(i)
        if j not in cols:
            cols.append(j)
    pairs: list[tuple[int, int]] = []
    for rows, cols in components.values():
        rows.sort()
        cols.sort()
        if len(rows) == 1 and len(cols) == 1:
            pairs.append((rows[0], cols[0]))
            continue
        top = max(edges[i, j] for i in rows for j in cols if (i, j) in edges)
        # One more edge must outweigh any gain in quality: quality sums to at
        # most top * min(rows, cols).
        big = top * min(len(rows), len(cols)) + 1
        weight = [[big + edges[i, j] if (i, j) in edges else 0 for j in cols] for i in rows]
        transpose = len(rows) > len(cols)
        if transpose:
            weight = [list(col) for col in zip(*weight)]
        ceiling = max(max(row) for row in weight)
        cost = [[ceiling - w for w in row] for row in weight]
        for a, b in _hungarian(cost):
            i, j = (rows[b], cols[a]) if transpose else (rows[a], cols[b])
            if (i, j) in edges:
                pairs.append((i, j))
    return sorted(pairs, key=lambda pair: (pair[1], pair[0]))


# --------------------------------------------------------------------------
# Evaluation


def _as_document(item: Union[DocumentExtraction, dict]) -> DocumentExtraction:
    if isinstance(item, DocumentExtraction):
        return item
    return DocumentExtraction.model_validate(item)


def _by_id(
    docs: Iterable[Union[DocumentExtraction, dict]], *, what: str, warnings: list[str]
) -> dict[str, DocumentExtraction]:
    out: dict[str, DocumentExtraction] = {}
    for doc in docs:
        doc = _as_document(doc)
        if doc.id in out:
            warnings.append(Errors.E013.format(path=what, id=doc.id) + " The first record is scored.")
            continue
        out[doc.id] = doc
    return out


def _shown(record: BaseModel, list_name: str) -> dict:
    return record.model_dump(include=set(SCORED_FIELDS[list_name]))


def _theme_order(theme: str) -> tuple[int, str]:
    return (THEME_IDS.index(theme), "") if theme in THEME_IDS else (len(THEME_IDS), theme)


def evaluate(
    predictions: Iterable[Union[DocumentExtraction, dict]],
    gold: Iterable[Union[DocumentExtraction, dict]],
) -> EvalReport:
    """Score predicted documents against gold documents, joined by ``id``.

    A gold document without a prediction is scored as an empty prediction
    (and a warning names it); predictions without gold are ignored (a note
    counts them). A list that is ``None`` in gold is not annotated and is
    skipped for that document; a list that is ``None`` in a prediction is
    scored as empty. See the module docstring for how records are paired.
    """
    report = EvalReport()
    pred_by_id = _by_id(predictions, what="predictions", warnings=report.warnings)
    gold_by_id = _by_id(gold, what="gold", warnings=report.warnings)
    report.documents = len(gold_by_id)
    report.ignored_predictions = sum(1 for doc_id in pred_by_id if doc_id not in gold_by_id)

    totals = {name: ListScore(name) for name in LIST_NAMES}
    macro: dict[str, list[PRF]] = defaultdict(list)
    themes: dict[str, PRF] = defaultdict(PRF)
    unpredicted_lists: dict[str, int] = defaultdict(int)

    for doc_id, gold_doc in gold_by_id.items():
        pred_doc = pred_by_id.get(doc_id)
        if pred_doc is None:
            report.missing_predictions.append(doc_id)
            report.warnings.append(Warnings.W003.format(id=doc_id))
        doc_score = DocumentScore(id=doc_id, predicted=pred_doc is not None)
        for name in LIST_NAMES:
            gold_records = getattr(gold_doc, name)
            if gold_records is None:
                continue
            pred_records = getattr(pred_doc, name) if pred_doc is not None else None
            if pred_records is None:
                if pred_doc is not None:
                    unpredicted_lists[name] += 1
                pred_records = []
            spec = _RULES[name]
            pairs = match_records(pred_records, gold_records, rule=name)
            matched_p = {i for i, _ in pairs}
            matched_g = {j for _, j in pairs}
            detail = DocumentListScore(
                counts=PRF(
                    tp=len(pairs),
                    fp=len(pred_records) - len(pairs),
                    fn=len(gold_records) - len(pairs),
                ),
                missed=[_shown(r, name) for j, r in enumerate(gold_records) if j not in matched_g],
                spurious=[_shown(r, name) for i, r in enumerate(pred_records) if i not in matched_p],
            )
            score = totals[name]
            score.docs += 1
            score.counts.add(detail.counts)
            macro[name].append(detail.counts)
            for attribute, grade in spec.attributes.items():
                tally = score.attributes.setdefault(attribute, AttributeScore())
                for i, j in pairs:
                    value = grade(pred_records[i], gold_records[j])
                    tally.correct += value
                    tally.total += 1
                    if value < 1.0:
                        fieldname = spec.attribute_fields[attribute]
                        detail.attribute_errors.append(
                            {
                                "record": _shown(gold_records[j], name),
                                "attribute": attribute,
                                "gold": getattr(gold_records[j], fieldname),
                                "predicted": getattr(pred_records[i], fieldname),
                            }
                        )
            if name == "themes":
                for i, j in pairs:
                    themes[gold_records[j].id.strip()].tp += 1
                for i, r in enumerate(pred_records):
                    if i not in matched_p:
                        themes[r.id.strip()].fp += 1
                for j, r in enumerate(gold_records):
                    if j not in matched_g:
                        themes[r.id.strip()].fn += 1
            doc_score.lists[name] = detail
        report.per_document.append(doc_score)

    for name, score in totals.items():
        if not score.docs:
            report.not_annotated.append(name)
            continue
        docs = macro[name]
        score.macro_precision = sum(d.precision for d in docs) / len(docs)
        score.macro_recall = sum(d.recall for d in docs) / len(docs)
        score.macro_f1 = sum(d.f1 for d in docs) / len(docs)
        report.lists[name] = score
    report.themes = {theme: themes[theme] for theme in sorted(themes, key=_theme_order)}

    if report.ignored_predictions:
        report.notes.append(
            f"{report.ignored_predictions} predicted document(s) have no gold record and were ignored."
        )
    for name, count in unpredicted_lists.items():
        report.notes.append(f"{count} prediction(s) carry no '{name}' list; scored as empty.")
    if report.not_annotated:
        report.notes.append("Not annotated in gold, not scored: " + ", ".join(report.not_annotated) + ".")
    return report


# --------------------------------------------------------------------------
# Reading files


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _json_values(text: str, *, path: Path, problems: list[str]) -> list[tuple[int, Any]]:
    """(line, object) of a ``.json`` file: one object, a list, or several objects."""
    decoder = json.JSONDecoder()
    out: list[tuple[int, Any]] = []
    pos = 0
    ws = re.compile(r"\s*")
    pos = ws.match(text, pos).end()
    try:
        if text.startswith("[", pos):
            pos = ws.match(text, pos + 1).end()
            while not text.startswith("]", pos):
                start = pos
                value, pos = decoder.raw_decode(text, pos)
                out.append((_line_of(text, start), value))
                pos = ws.match(text, pos).end()
                if text.startswith(",", pos):
                    pos = ws.match(text, pos + 1).end()
                elif not text.startswith("]", pos):
                    raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
            pos = ws.match(text, pos + 1).end()
        while pos < len(text):
            start = pos
            value, pos = decoder.raw_decode(text, pos)
            out.append((_line_of(text, start), value))
            pos = ws.match(text, pos).end()
    except json.JSONDecodeError as exc:
        problems.append(Errors.E002.format(path=path, line=exc.lineno, msg=exc.msg))
    return out


def _jsonl_values(data: bytes, *, path: Path, problems: list[str]) -> list[tuple[int, Any]]:
    out: list[tuple[int, Any]] = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            msg = f"not UTF-8 ({exc.reason}); skipped"
            problems.append(Errors.E010.format(path=path, line=number, msg=msg))
            continue
        if not line.strip():
            continue
        try:
            out.append((number, json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(Errors.E002.format(path=path, line=number, msg=exc.msg))
    return out


def _read_values(path: Path, problems: list[str]) -> list[tuple[int, Any]]:
    data = path.read_bytes()
    if path.suffix.lower() == ".json":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ExtractorError(Errors.E009.format(path=path, msg=exc.reason)) from None
        return _json_values(text, path=path, problems=problems)
    return _jsonl_values(data, path=path, problems=problems)


def _schema_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "record"
        parts.append(f"{where}: {error['msg']}")
    return "invalid record (" + "; ".join(parts) + "); skipped"


def _read_corpus(path: Path, ids: set[str], problems: list[str]) -> dict[str, dict]:
    """id → {"text", "release_date"} for the wanted ids of a corpus file or folder."""
    found: dict[str, dict] = {}
    if path.is_dir():
        for child in sorted(path.rglob("*.txt")):
            if child.stem in ids and child.stem not in found:
                try:
                    found[child.stem] = {"text": child.read_text(encoding="utf-8-sig")}
                except UnicodeDecodeError as exc:
                    problems.append(Errors.E009.format(path=child, msg=exc.reason))
        return found
    for _, row in _read_values(path, problems):
        if isinstance(row, dict) and str(row.get("id")) in ids:
            doc_id = str(row["id"])
            found.setdefault(
                doc_id, {k: row[k] for k in ("text", "release_date") if row.get(k) is not None}
            )
    return found


def _exists(path: PathLike) -> Path:
    path = Path(path)
    if not path.exists():
        raise ExtractorError(Errors.E005.format(path=path))
    return path


def read_documents(
    path: PathLike, *, corpus: Optional[PathLike] = None, require_text: bool = False
) -> tuple[list[DocumentExtraction], list[str]]:
    """Read a prediction or gold file: JSONL, or JSON holding one object or a list.

    Returns the documents and the problems found, each a message with the
    file and line. A line that is not valid JSON or not a valid record is
    reported and skipped; a repeated id is reported and the first record kept.
    Unknown theme ids are reported and kept (they score as any other id).

    Records without ``text`` (or ``release_date``) take it from ``corpus``
    when given: a JSONL/JSON file of ``id``/``text``/``release_date`` records,
    or a folder of ``.txt`` files named by id. Scoring does not need text, so
    a record left without it is kept, unless ``require_text`` is set (then it
    is reported with E014 and skipped).

    Raises :class:`ExtractorError` (E005) when ``path`` or ``corpus`` does not
    exist and (E009) when a ``.json`` file is not UTF-8.
    """
    path = _exists(path)
    problems: list[str] = []
    rows = _read_values(path, problems)

    joined: dict[str, dict] = {}
    if corpus is not None:
        corpus_path = _exists(corpus)
        records = [row for _, row in rows if isinstance(row, dict) and row.get("id") is not None]
        no_text = {str(row["id"]) for row in records if row.get("text") is None}
        wanted = no_text | {str(row["id"]) for row in records if row.get("release_date") is None}
        if wanted:
            joined = _read_corpus(corpus_path, wanted, problems)
            for doc_id in sorted(no_text - set(joined)):
                problems.append(Warnings.W004.format(id=doc_id, path=corpus_path))

    docs: list[DocumentExtraction] = []
    first_line: dict[str, int] = {}
    for line, row in rows:
        if not isinstance(row, dict):
            kind = type(row).__name__
            problems.append(
                Errors.E010.format(path=path, line=line, msg=f"expected a JSON object, got {kind}; skipped")
            )
            continue
        extra = joined.get(str(row.get("id")), {})
        if extra:
            row = {**row, **{k: v for k, v in extra.items() if row.get(k) is None}}
        try:
            doc = DocumentExtraction.model_validate(row)
        except ValidationError as exc:
            problems.append(Errors.E010.format(path=path, line=line, msg=_schema_message(exc)))
            continue
        if doc.id in first_line:
            problems.append(
                Errors.E013.format(path=f"{path}, line {line}", id=doc.id)
                + f" Skipped; the record on line {first_line[doc.id]} is kept."
            )
            continue
        if require_text and doc.text is None:
            problems.append(Errors.E014.format(id=doc.id))
            continue
        first_line[doc.id] = line
        for theme in doc.themes or ():
            if theme.id not in THEME_IDS:
                problems.append(Errors.E012.format(theme=theme.id, path=f"{path}, line {line}"))
        docs.append(doc)
    return docs, problems


def evaluate_files(
    pred_path: PathLike, gold_path: PathLike, *, corpus: Optional[PathLike] = None
) -> EvalReport:
    """Read both files, score them, and keep the reading problems in the report."""
    predictions, pred_problems = read_documents(pred_path)
    gold, gold_problems = read_documents(gold_path, corpus=corpus)
    report = evaluate(predictions, gold)
    report.problems = pred_problems + gold_problems + report.problems
    report.sources = {"predictions": str(pred_path), "gold": str(gold_path)}
    if corpus is not None:
        report.sources["corpus"] = str(corpus)
    return report


# --------------------------------------------------------------------------
# Formatting


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[bool]) -> list[str]:
    """A Markdown table padded to line up in a terminal."""
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    widths = [max(w, 3) for w in widths]

    def line(cells: Sequence[str]) -> str:
        padded = [
            str(c).rjust(w) if r else str(c).ljust(w) for c, w, r in zip(cells, widths, right)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "| " + " | ".join(("-" * (w - 1) + ":") if r else "-" * w for w, r in zip(widths, right)) + " |"
    return [line(header), rule, *(line(row) for row in rows)]


def _num(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_report(report: EvalReport) -> str:
    """The report as plain text whose tables are valid Markdown (paste into a README)."""
    out: list[str] = []
    sources = ", ".join(f"{k}: {v}" for k, v in report.sources.items())
    out.append(f"Scored {report.documents} gold document(s)" + (f" ({sources})" if sources else "") + ".")
    out.append("")
    rows = [
        [
            name,
            _num(s.precision),
            _num(s.recall),
            _num(s.f1),
            str(s.counts.tp),
            str(s.counts.fp),
            str(s.counts.fn),
            str(s.docs),
            _num(s.macro_precision),
            _num(s.macro_recall),
            _num(s.macro_f1),
        ]
        for name, s in report.lists.items()
    ]
    header = ["list", "P", "R", "F1", "TP", "FP", "FN", "docs", "macro P", "macro R", "macro F1"]
    out += _table(header, rows, right=[False] + [True] * 10)

    attr_rows = [
        [name, attribute, _num(a.score), str(a.total)]
        for name, s in report.lists.items()
        for attribute, a in s.attributes.items()
    ]
    if attr_rows:
        out.append("")
        out += _table(["list", "attribute", "score", "pairs"], attr_rows, right=[False, False, True, True])

    if report.themes:
        theme_rows = [
            [theme, _num(p.precision), _num(p.recall), _num(p.f1), str(p.tp), str(p.fp), str(p.fn)]
            for theme, p in report.themes.items()
        ]
        out.append("")
        out += _table(["theme", "P", "R", "F1", "TP", "FP", "FN"], theme_rows, right=[False] + [True] * 6)

    for title, messages in (("Problems", report.problems), ("Warnings", report.warnings), ("Notes", report.notes)):
        if messages:
            out.append("")
            out.append(f"{title}:")
            out += [f"- {m}" for m in messages]
    return "\n".join(out)
