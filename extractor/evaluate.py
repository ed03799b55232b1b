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

Beyond the table
----------------
- **Confidence intervals** (``evaluate(..., bootstrap=1000, seed=0)``): a
  percentile bootstrap over documents. Each list's per-document tp/fp/fn are
  counted once; each of the ``bootstrap`` replicates draws, with replacement,
  as many documents as annotate the list, from those documents, and sums their
  counts (nothing is matched again). The 2.5th and 97.5th percentiles (linear
  interpolation) of the replicates' micro P/R/F1 are the 95% interval. One
  ``random.Random(seed)`` draws every replicate, list after list, so the same
  input and seed give the same intervals. ``bootstrap=0`` turns it off.
- **Per currency** (``report.currencies``): pledge counts by ISO code, a
  match and a miss under the gold currency, a false positive under the
  predicted one (``(none)`` when a pledge has no currency). Per theme as before.
- **Mentions** (``report.mentions``): the SemEval-2013 strict/exact/partial/type
  scores of character spans, when gold carries them (see
  :mod:`extractor.mentions_eval`; a gold ``spans`` field is kept in
  ``meta["spans"]``).
- **Comparing runs**: :func:`compare` and :func:`format_comparison`.
- **Regression gate**: :func:`parse_floors` and :func:`check_floors`.
- **Error analysis**: :func:`write_errors` writes every false positive, false
  negative and attribute mismatch, with its sentence and rule, as JSON Lines.

Bad gold is reported, never guessed: unknown theme ids (E012), offsets
outside the text (E030), malformed spans (E031), duplicate ids (E013), invalid
JSON lines (E002, with file and line) go to ``report.problems`` or
``report.warnings``; gold ids absent from the predictions are scored as empty
predictions (W003). Everything else is still scored.
"""
import bisect
import difflib
import json
import math
import random
import re
from collections import defaultdict
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional, Sequence, Union

from pydantic import BaseModel, ValidationError

from .errors import Errors, ExtractorError, Warnings
from .gazetteers import fold as _fold_uncached
from .mentions_eval import SCHEMES, MentionReport, evaluate_mentions, span_problems
from .schema import LIST_NAMES, THEME_IDS, DocumentExtraction

__all__ = [
    "AttributeScore",
    "Comparison",
    "Delta",
    "DocumentChange",
    "DocumentScore",
    "EvalReport",
    "ListComparison",
    "ListScore",
    "MentionReport",
    "PRF",
    "check_floors",
    "compare",
    "evaluate",
    "evaluate_files",
    "floor_keys",
    "format_comparison",
    "format_report",
    "parse_floors",
    "read_documents",
    "write_errors",
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

# The key of pledges that carry no currency in per-currency scores.
NO_CURRENCY = "(none)"


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
    # Bootstrap interval of each micro score: {"precision": (lo, hi), "recall": ..., "f1": ...}.
    ci: Optional[dict[str, tuple[float, float]]] = None

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
            "ci": {k: list(v) for k, v in self.ci.items()} if self.ci is not None else None,
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
    currencies: dict[str, PRF] = field(default_factory=dict)
    mentions: Optional[MentionReport] = None
    # {"samples": B, "seed": seed, "level": 0.95} when intervals were computed.
    bootstrap: Optional[dict[str, Any]] = None
    not_annotated: list[str] = field(default_factory=list)
    missing_predictions: list[str] = field(default_factory=list)
    ignored_predictions: int = 0
    per_document: list[DocumentScore] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    def scores(self) -> dict[str, Optional[float]]:
        """Flat ``{list}_p/_r/_f`` scores (as spaCy's scorer), attributes and macro F1.

        With mention-level scores, also ``mentions_{scheme}_p/_r/_f`` for the
        schemes strict, exact, partial and type.
        """
        flat: dict[str, Optional[float]] = {}
        for name, score in self.lists.items():
            flat[f"{name}_p"] = score.precision
            flat[f"{name}_r"] = score.recall
            flat[f"{name}_f"] = score.f1
            flat[f"{name}_macro_f"] = score.macro_f1
            for attribute, value in score.attributes.items():
                flat[f"{name}_{attribute}"] = value.score
        if self.mentions is not None:
            for scheme, value in self.mentions.schemes.items():
                flat[f"mentions_{scheme}_p"] = value.precision
                flat[f"mentions_{scheme}_r"] = value.recall
                flat[f"mentions_{scheme}_f"] = value.f1
        return flat

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "sources": self.sources,
            "scores": self.scores(),
            "lists": {name: s.to_dict() for name, s in self.lists.items()},
            "themes": {theme: prf.to_dict() for theme, prf in self.themes.items()},
            "currencies": {code: prf.to_dict() for code, prf in self.currencies.items()},
            "mentions": self.mentions.to_dict() if self.mentions is not None else None,
            "bootstrap": self.bootstrap,
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


def _carry_spans(row: dict) -> dict:
    """A gold row with a Prodigy-style top-level ``spans`` moved into ``meta["spans"]``.

    The schema drops unknown fields; ``meta`` is the one free-form field it keeps.
    """
    if "spans" not in row:
        return row
    meta = row.get("meta")
    meta = dict(meta) if isinstance(meta, dict) else {}
    meta["spans"] = row["spans"]
    return {**row, "meta": meta}


def _as_document(item: Union[DocumentExtraction, dict]) -> DocumentExtraction:
    if isinstance(item, DocumentExtraction):
        return item
    return DocumentExtraction.model_validate(_carry_spans(item))


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


def _currency_key(code: Optional[str]) -> str:
    return _currency(code) or NO_CURRENCY


# Lists scored also per value of one field: the key of a record in the breakdown.
_BREAKDOWNS: dict[str, Callable[[Any], str]] = {
    "themes": lambda r: r.id.strip(),
    "pledges": lambda r: _currency_key(r.currency),
}


def document_problems(doc: DocumentExtraction, *, where: str) -> list[str]:
    """What is wrong with one (gold) document's content: unknown theme ids, bad offsets or spans.

    ``where`` locates the document in the messages. File-level problems
    (invalid JSON, invalid records, duplicate ids) are found by
    :func:`read_documents` and :func:`evaluate`.
    """
    problems = [
        Errors.E012.format(theme=theme.id, path=where)
        for theme in doc.themes or ()
        if theme.id not in THEME_IDS
    ]
    return problems + span_problems(doc, where=where)


def _percentile(ordered: Sequence[float], q: float) -> float:
    # Linear interpolation between closest ranks (numpy's default method).
    pos = q * (len(ordered) - 1)
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def bootstrap_intervals(
    counts: Sequence[tuple[int, int, int]], *, samples: int, rng: random.Random, level: float = 0.95
) -> dict[str, tuple[float, float]]:
    """Percentile intervals of micro P/R/F1 over documents resampled with replacement.

    ``counts`` holds one (tp, fp, fn) per document; each of the ``samples``
    replicates draws ``len(counts)`` documents from ``rng`` and sums their counts.
    """
    n = len(counts)
    tps = [c[0] for c in counts]
    fps = [c[1] for c in counts]
    fns = [c[2] for c in counts]
    population = range(n)
    values: dict[str, list[float]] = {"precision": [], "recall": [], "f1": []}
    for _ in range(samples):
        draw = rng.choices(population, k=n)
        prf = PRF(
            tp=sum(map(tps.__getitem__, draw)),
            fp=sum(map(fps.__getitem__, draw)),
            fn=sum(map(fns.__getitem__, draw)),
        )
        values["precision"].append(prf.precision)
        values["recall"].append(prf.recall)
        values["f1"].append(prf.f1)
    tail = (1 - level) / 2
    out = {}
    for metric, series in values.items():
        series.sort()
        out[metric] = (_percentile(series, tail), _percentile(series, 1 - tail))
    return out


def evaluate(
    predictions: Iterable[Union[DocumentExtraction, dict]],
    gold: Iterable[Union[DocumentExtraction, dict]],
    *,
    bootstrap: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> EvalReport:
    """Score predicted documents against gold documents, joined by ``id``.

    A gold document without a prediction is scored as an empty prediction
    (and a warning names it); predictions without gold are ignored (a note
    counts them). A list that is ``None`` in gold is not annotated and is
    skipped for that document; a list that is ``None`` in a prediction is
    scored as empty. See the module docstring for how records are paired.

    ``bootstrap`` replicates (0: none) drawn from ``random.Random(seed)`` give
    each list's ``level`` (default 95%) confidence intervals. Gold content
    problems (unknown theme ids, offsets outside the text, malformed spans)
    are reported in ``report.problems`` and the rest is scored. Raises
    :class:`ExtractorError` (E034) for a negative ``bootstrap`` or a
    ``level`` outside (0, 1).
    """
    return _evaluate(predictions, gold, bootstrap=bootstrap, seed=seed, level=level, check_gold=True)


def _evaluate(
    predictions: Iterable[Union[DocumentExtraction, dict]],
    gold: Iterable[Union[DocumentExtraction, dict]],
    *,
    bootstrap: int,
    seed: int,
    level: float,
    check_gold: bool,
) -> EvalReport:
    if isinstance(bootstrap, bool) or not isinstance(bootstrap, int) or bootstrap < 0:
        raise ExtractorError(
            Errors.E034.format(option="bootstrap", value=bootstrap, fix="give the number of resamples, 0 or more (1000 is usual).")
        )
    if not 0 < level < 1:
        raise ExtractorError(Errors.E034.format(option="level", value=level, fix="give a confidence level between 0 and 1, such as 0.95."))
    report = EvalReport()
    pred_by_id = _by_id(predictions, what="predictions", warnings=report.warnings)
    gold_by_id = _by_id(gold, what="gold", warnings=report.warnings)
    report.documents = len(gold_by_id)
    report.ignored_predictions = sum(1 for doc_id in pred_by_id if doc_id not in gold_by_id)
    if check_gold:
        for doc_id, gold_doc in gold_by_id.items():
            report.problems += document_problems(gold_doc, where=f"gold document '{doc_id}'")

    totals = {name: ListScore(name) for name in LIST_NAMES}
    macro: dict[str, list[PRF]] = defaultdict(list)
    themes: dict[str, PRF] = defaultdict(PRF)
    currencies: dict[str, PRF] = defaultdict(PRF)
    breakdowns = {"themes": themes, "pledges": currencies}
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
            if name in _BREAKDOWNS:
                table, key = breakdowns[name], _BREAKDOWNS[name]
                for _, j in pairs:
                    table[key(gold_records[j])].tp += 1
                for i, r in enumerate(pred_records):
                    if i not in matched_p:
                        table[key(r)].fp += 1
                for j, r in enumerate(gold_records):
                    if j not in matched_g:
                        table[key(r)].fn += 1
            doc_score.lists[name] = detail
        report.per_document.append(doc_score)

    rng = random.Random(seed)
    for name, score in totals.items():
        if not score.docs:
            report.not_annotated.append(name)
            continue
        docs = macro[name]
        score.macro_precision = sum(d.precision for d in docs) / len(docs)
        score.macro_recall = sum(d.recall for d in docs) / len(docs)
        score.macro_f1 = sum(d.f1 for d in docs) / len(docs)
        if bootstrap:
            score.ci = bootstrap_intervals(
                [(d.tp, d.fp, d.fn) for d in docs], samples=bootstrap, rng=rng, level=level
            )
        report.lists[name] = score
    if bootstrap and report.lists:
        report.bootstrap = {"samples": bootstrap, "seed": seed, "level": level}
    report.themes = {theme: themes[theme] for theme in sorted(themes, key=_theme_order)}
    report.currencies = {code: currencies[code] for code in sorted(currencies, key=lambda c: (c == NO_CURRENCY, c))}
    report.mentions = evaluate_mentions((g, pred_by_id.get(doc_id)) for doc_id, g in gold_by_id.items())

    if report.ignored_predictions:
        report.notes.append(
            f"{report.ignored_predictions} predicted document(s) have no gold record and were ignored."
        )
    if report.missing_predictions:
        report.notes.append(
            f"{len(report.missing_predictions)} gold document(s) have no prediction and were scored as empty predictions."
        )
    for name, count in unpredicted_lists.items():
        report.notes.append(f"{count} prediction(s) carry no '{name}' list; scored as empty.")
    if report.not_annotated:
        report.notes.append("Not annotated in gold, not scored: " + ", ".join(report.not_annotated) + ".")
    if report.mentions is not None:
        report.notes += report.mentions.notes
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
    Unknown theme ids are reported and kept (they score as any other id);
    mention or span offsets outside the text, and malformed spans, are
    reported (and left out of mention-level scores only).

    A Prodigy-style top-level ``spans`` list (``[{"start", "end", "label"}]``)
    is kept in ``meta["spans"]``, where :mod:`extractor.mentions_eval` reads it.

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
        row = _carry_spans(row)
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
        problems += document_problems(doc, where=f"{path}, line {line}")
        docs.append(doc)
    return docs, problems


def evaluate_files(
    pred_path: PathLike,
    gold_path: PathLike,
    *,
    corpus: Optional[PathLike] = None,
    bootstrap: int = 1000,
    seed: int = 0,
    level: float = 0.95,
) -> EvalReport:
    """Read both files, score them, and keep the reading problems in the report.

    ``bootstrap``, ``seed`` and ``level`` are those of :func:`evaluate`.
    """
    predictions, pred_problems = read_documents(pred_path)
    gold, gold_problems = read_documents(gold_path, corpus=corpus)
    # read_documents has checked the gold content, with file and line.
    report = _evaluate(predictions, gold, bootstrap=bootstrap, seed=seed, level=level, check_gold=False)
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


def _with_ci(value: float, interval: Optional[tuple[float, float]]) -> str:
    """``0.952 [0.91–0.98]``: the score and its bootstrap interval, when there is one."""
    if interval is None:
        return _num(value)
    return f"{value:.3f} [{interval[0]:.2f}–{interval[1]:.2f}]"


def _prf_rows(table: dict[str, PRF]) -> list[list[str]]:
    return [
        [key, _num(p.precision), _num(p.recall), _num(p.f1), str(p.tp), str(p.fp), str(p.fn)]
        for key, p in table.items()
    ]


def format_report(report: EvalReport) -> str:
    """The report as plain text whose tables are valid Markdown (paste into a README).

    Tables: the lists (with bootstrap intervals when computed), attributes,
    themes, pledge currencies, and mention-level scores when gold has spans.
    """
    out: list[str] = []
    sources = ", ".join(f"{k}: {v}" for k, v in report.sources.items())
    out.append(f"Scored {report.documents} gold document(s)" + (f" ({sources})" if sources else "") + ".")
    if report.bootstrap:
        b = report.bootstrap
        out.append(
            f"[lo–hi]: {b['level']:.0%} bootstrap confidence interval over documents "
            f"({b['samples']} resamples, seed {b['seed']})."
        )
    out.append("")
    rows = []
    for name, s in report.lists.items():
        ci = s.ci or {}
        rows.append(
            [
                name,
                _with_ci(s.precision, ci.get("precision")),
                _with_ci(s.recall, ci.get("recall")),
                _with_ci(s.f1, ci.get("f1")),
                str(s.counts.tp),
                str(s.counts.fp),
                str(s.counts.fn),
                str(s.docs),
                _num(s.macro_precision),
                _num(s.macro_recall),
                _num(s.macro_f1),
            ]
        )
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

    for title, table in (("theme", report.themes), ("currency", report.currencies)):
        if table:
            out.append("")
            out += _table([title, "P", "R", "F1", "TP", "FP", "FN"], _prf_rows(table), right=[False] + [True] * 6)

    if report.mentions is not None:
        m = report.mentions
        mention_rows = [
            [label, scheme, _num(v.precision), _num(v.recall), _num(v.f1),
             str(v.cor), str(v.inc), str(v.par), str(v.mis), str(v.spu)]
            for label, schemes in (("all", m.schemes), *m.labels.items())
            for scheme, v in schemes.items()
        ]
        out.append("")
        out.append(f"Mentions ({m.documents} span-annotated document(s)):")
        out.append("")
        out += _table(
            ["label", "scheme", "P", "R", "F1", "COR", "INC", "PAR", "MIS", "SPU"],
            mention_rows,
            right=[False, False] + [True] * 8,
        )

    for title, messages in (("Problems", report.problems), ("Warnings", report.warnings), ("Notes", report.notes)):
        if messages:
            out.append("")
            out.append(f"{title}:")
            out += [f"- {m}" for m in messages]
    return "\n".join(out)


# --------------------------------------------------------------------------
# Comparing runs


@dataclass
class Delta:
    """One figure in the baseline and in the current run."""

    baseline: Optional[float]
    current: Optional[float]

    @property
    def change(self) -> Optional[float]:
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline

    def to_dict(self) -> dict[str, Optional[float]]:
        return {"baseline": self.baseline, "current": self.current, "change": self.change}


@dataclass
class ListComparison:
    """Micro P/R/F1 of one list in both runs (``None`` where a run does not score it)."""

    name: str
    precision: Delta
    recall: Delta
    f1: Delta

    def to_dict(self) -> dict[str, Any]:
        return {"precision": self.precision.to_dict(), "recall": self.recall.to_dict(), "f1": self.f1.to_dict()}


@dataclass
class DocumentChange:
    """A document whose error count moved; ``lists`` has (baseline, current) per list that moved."""

    id: str
    baseline_errors: int
    errors: int
    lists: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def change(self) -> int:
        return self.errors - self.baseline_errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "baseline_errors": self.baseline_errors,
            "errors": self.errors,
            "lists": {name: list(pair) for name, pair in self.lists.items()},
        }


@dataclass
class Comparison:
    """What changed between a baseline run and the current one (:func:`compare`)."""

    lists: dict[str, ListComparison] = field(default_factory=dict)
    scores: dict[str, Delta] = field(default_factory=dict)
    better: list[DocumentChange] = field(default_factory=list)
    worse: list[DocumentChange] = field(default_factory=list)
    unchanged: int = 0
    only_in_current: list[str] = field(default_factory=list)
    only_in_baseline: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lists": {name: c.to_dict() for name, c in self.lists.items()},
            "scores": {key: d.to_dict() for key, d in self.scores.items()},
            "better": [d.to_dict() for d in self.better],
            "worse": [d.to_dict() for d in self.worse],
            "unchanged": self.unchanged,
            "only_in_current": self.only_in_current,
            "only_in_baseline": self.only_in_baseline,
            "notes": self.notes,
        }


def document_errors(doc: DocumentScore) -> dict[str, int]:
    """Errors of one document per list: false positives + false negatives + attribute mismatches."""
    return {
        name: s.counts.fp + s.counts.fn + len(s.attribute_errors) for name, s in doc.lists.items()
    }


def compare(report: EvalReport, baseline_report: EvalReport) -> Comparison:
    """Deltas of ``report`` against ``baseline_report`` (both from :func:`evaluate`).

    Per list, micro P/R/F1 before and after; every flat score of
    :meth:`EvalReport.scores`; and the documents (by id, scored in both) whose
    error count (:func:`document_errors`) went down (``better``, biggest
    gain first) or up (``worse``, biggest loss first). Scores should come
    from the same gold: a note says when the gold sources or the scored
    documents differ.
    """
    comparison = Comparison()
    names = list(dict.fromkeys([*baseline_report.lists, *report.lists]))
    for name in names:
        old, new = baseline_report.lists.get(name), report.lists.get(name)
        comparison.lists[name] = ListComparison(
            name,
            *(Delta(getattr(old, m) if old else None, getattr(new, m) if new else None) for m in ("precision", "recall", "f1")),
        )
    old_scores, new_scores = baseline_report.scores(), report.scores()
    for key in dict.fromkeys([*old_scores, *new_scores]):
        comparison.scores[key] = Delta(old_scores.get(key), new_scores.get(key))

    baseline_docs = {d.id: d for d in baseline_report.per_document}
    current_ids = {d.id for d in report.per_document}
    for doc in report.per_document:
        before_doc = baseline_docs.get(doc.id)
        if before_doc is None:
            comparison.only_in_current.append(doc.id)
            continue
        before, after = document_errors(before_doc), document_errors(doc)
        moved = {
            name: (before.get(name, 0), after.get(name, 0))
            for name in dict.fromkeys([*before, *after])
            if before.get(name, 0) != after.get(name, 0)
        }
        change = DocumentChange(doc.id, sum(before.values()), sum(after.values()), moved)
        if change.change < 0:
            comparison.better.append(change)
        elif change.change > 0:
            comparison.worse.append(change)
        else:
            comparison.unchanged += 1
    comparison.only_in_baseline = [d.id for d in baseline_report.per_document if d.id not in current_ids]
    comparison.better.sort(key=lambda d: (d.change, d.id))
    comparison.worse.sort(key=lambda d: (-d.change, d.id))

    old_gold, new_gold = baseline_report.sources.get("gold"), report.sources.get("gold")
    if old_gold and new_gold and old_gold != new_gold:
        comparison.notes.append(f"The runs were scored against different gold files ({old_gold} and {new_gold}).")
    if comparison.only_in_current or comparison.only_in_baseline:
        comparison.notes.append(
            f"{len(comparison.only_in_current)} document(s) scored only in the current run and "
            f"{len(comparison.only_in_baseline)} only in the baseline; the scores cover different documents."
        )
    for name, c in comparison.lists.items():
        if c.f1.baseline is None or c.f1.current is None:
            only = "baseline" if c.f1.current is None else "current run"
            comparison.notes.append(f"'{name}' is scored only in the {only}.")
    return comparison


def _delta(d: Delta) -> str:
    if d.change is None:
        return f"{_num(d.baseline)} → {_num(d.current)}"
    return f"{_num(d.baseline)} → {_num(d.current)} ({d.change:+.3f})"


def format_comparison(comparison: Comparison, *, limit: Optional[int] = 20) -> str:
    """The comparison as plain text with a Markdown table; at most ``limit`` documents each way."""
    out: list[str] = ["Baseline → current (change):", ""]
    rows = [[name, _delta(c.precision), _delta(c.recall), _delta(c.f1)] for name, c in comparison.lists.items()]
    out += _table(["list", "P", "R", "F1"], rows, right=[False, True, True, True])
    attribute_rows = [
        [key, _delta(d)]
        for key, d in comparison.scores.items()
        if not key.endswith(("_p", "_r", "_f")) and d.change
    ]
    if attribute_rows:
        out.append("")
        out += _table(["score", "change"], attribute_rows, right=[False, True])
    for title, changes in (("Better", comparison.better), ("Worse", comparison.worse)):
        out.append("")
        out.append(f"{title}: {len(changes)} document(s)")
        for change in changes[:limit] if limit is not None else changes:
            moved = ", ".join(f"{name} {a}→{b}" for name, (a, b) in change.lists.items())
            out.append(f"- {change.id}: {change.baseline_errors} → {change.errors} errors ({moved})")
        if limit is not None and len(changes) > limit:
            out.append(f"- … and {len(changes) - limit} more")
    out.append("")
    out.append(f"Unchanged: {comparison.unchanged} document(s)")
    if comparison.notes:
        out.append("")
        out.append("Notes:")
        out += [f"- {n}" for n in comparison.notes]
    return "\n".join(out)


# --------------------------------------------------------------------------
# Regression gate

_METRICS = {"p": "p", "precision": "p", "r": "r", "recall": "r", "f": "f", "f1": "f"}


def floor_keys() -> dict[str, str]:
    """Every key :func:`parse_floors` accepts, mapped to its :meth:`EvalReport.scores` name.

    A list name alone is its F1 (``officials`` → ``officials_f``); the
    metrics are ``_p``/``_precision``, ``_r``/``_recall``, ``_f``/``_f1``,
    ``_macro_f``/``_macro_f1`` and each list's attributes (``officials_title``,
    ``pledges_donor`` ...); mention scores are ``mentions_{scheme}`` (F1) and
    ``mentions_{scheme}_p/_r/_f`` for strict, exact, partial and type.
    """
    keys: dict[str, str] = {}
    for name in LIST_NAMES:
        keys[name] = f"{name}_f"
        for alias, metric in _METRICS.items():
            keys[f"{name}_{alias}"] = f"{name}_{metric}"
        keys[f"{name}_macro_f"] = keys[f"{name}_macro_f1"] = f"{name}_macro_f"
        for attribute in _RULES[name].attributes:
            keys[f"{name}_{attribute}"] = f"{name}_{attribute}"
    for scheme in SCHEMES:
        keys[f"mentions_{scheme}"] = f"mentions_{scheme}_f"
        for alias, metric in _METRICS.items():
            keys[f"mentions_{scheme}_{alias}"] = f"mentions_{scheme}_{metric}"
    return keys


def parse_floors(spec: str) -> dict[str, float]:
    """``"officials=0.9,officials_title=0.85"`` → ``{"officials_f": 0.9, "officials_title": 0.85}``.

    Keys are those of :func:`floor_keys` (case and spaces ignored), values
    numbers between 0 and 1. Raises :class:`ExtractorError` (E032) naming the
    bad item: no ``=``, an unknown key (with the nearest known ones), a value
    that is not a number in [0, 1], a key given twice, or no floor at all.
    """
    known = floor_keys()
    examples = "officials_p, officials_title, pledges_donor, dates_macro_f, mentions_strict"

    def fail(msg: str) -> ExtractorError:
        return ExtractorError(Errors.E032.format(spec=spec, msg=msg, examples=examples))

    floors: dict[str, float] = {}
    for item in (spec or "").split(","):
        if not item.strip():
            continue
        if item.count("=") != 1:
            raise fail(f"'{item.strip()}' is not key=value")
        raw_key, raw_value = (part.strip() for part in item.split("="))
        key = raw_key.lower().replace(" ", "")
        if key not in known:
            near = difflib.get_close_matches(key, list(known), n=3)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            raise fail(f"unknown key '{raw_key}'{hint}")
        try:
            value = float(raw_value)
        except ValueError:
            raise fail(f"the value of '{raw_key}' is not a number: '{raw_value}'") from None
        if not 0.0 <= value <= 1.0:
            raise fail(f"the value of '{raw_key}' is {raw_value}, outside 0 to 1")
        canonical = known[key]
        if canonical in floors:
            raise fail(f"'{raw_key}' sets {canonical} a second time")
        floors[canonical] = value
    if not floors:
        raise fail("no floor given")
    return floors


def check_floors(report: EvalReport, floors: dict[str, float]) -> list[str]:
    """A message for each figure under its floor; an empty list when all pass.

    A floor whose figure the report does not have (a list the gold does not
    annotate, no span-annotated documents, an attribute with no matched pair)
    cannot be met and gets a message too, so that a gate never passes by
    checking nothing. Keys may be any of :func:`floor_keys`.
    """
    scores = report.scores()
    known = floor_keys()
    messages = []
    for key, floor in floors.items():
        name = known.get(key, key)
        value = scores.get(name)
        if name not in scores:
            why = "no span-annotated gold documents" if name.startswith("mentions_") else "the gold does not annotate that list"
            messages.append(f"{name}: not scored in this report ({why}), so the floor {floor:.3f} cannot be checked.")
        elif value is None:
            messages.append(f"{name}: no matched pairs to score, so the floor {floor:.3f} cannot be checked.")
        elif value < floor:
            messages.append(f"{name} = {value:.3f} is under its floor {floor:.3f}.")
    return messages


# --------------------------------------------------------------------------
# Error analysis

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "no", "gen", "sen", "rep", "amb", "lt", "col", "jr", "sr", "prof",
    "vs", "etc", "inc", "co", "ltd", "corp", "gov", "pres", "dept", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig", "vol", "art", "para", "approx",
}
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n\s*")


def sentence_starts(text: str) -> list[int]:
    """Start offsets of the sentences of ``text``, by a plain rule (no spaCy).

    A sentence ends at a line break, or at ``.``/``!``/``?`` (with closing
    quotes or brackets) followed by space and a capital or digit, unless the
    word before the period is a single letter (``U.S.``, ``J.``) or a common
    abbreviation (``Mr.``, ``Feb.``). Good enough to show an error in context.
    """
    starts = [0]
    for match in _SENTENCE_END.finditer(text):
        if match.group()[0] == ".":
            before = re.search(r"([\w.]+)$", text[: match.start()])
            word = before.group(1) if before else ""
            last = word.split(".")[-1]
            if len(last) == 1 or last.lower() in _ABBREVIATIONS:
                continue
        starts.append(match.end())
    return starts


def _sentence(text: str, starts: list[int], start: int, end: int) -> str:
    i = bisect.bisect_right(starts, start) - 1
    stop = starts[i + 1] if i + 1 < len(starts) else len(text)
    stop = max(stop, min(end, len(text)))
    return text[starts[i] : stop].strip()


def _search_forms(record: BaseModel, list_name: str) -> list[str]:
    if list_name == "officials":
        return [record.name]
    if list_name == "organisations":
        return [f for f in (record.name, _drop_the(record.name), record.acronym, *record.aliases) if not _blank(f)]
    if list_name in ("dates", "pledges"):
        return [record.text]
    return []


def _locate(record: BaseModel, list_name: str, text: Optional[str]) -> tuple[Optional[tuple[int, int]], Optional[str]]:
    """(start, end) of a record in the text and how it was found: ``mention`` or ``search``."""
    mentions = sorted(((m.start, m.end) for m in record.mentions), key=lambda m: m)
    if mentions:
        start, end = mentions[0]
        if text is None or end <= len(text):
            return (start, end), "mention"
    if text is None:
        return None, None
    for form in _search_forms(record, list_name):
        pattern = r"(?<!\w)" + re.escape(form.strip()) + r"(?!\w)"
        found = re.search(pattern, text, flags=re.IGNORECASE)
        if found:
            return (found.start(), found.end()), "search"
    return None, None


def _rules(record: Optional[BaseModel]) -> list[str]:
    if record is None:
        return []
    return list(dict.fromkeys(m.rule for m in sorted(record.mentions, key=lambda m: (m.start, m.end)) if m.rule))


def _documents(
    docs: Union[PathLike, Iterable[Union[DocumentExtraction, dict]]], *, corpus: Optional[str] = None
) -> dict[str, DocumentExtraction]:
    if isinstance(docs, (str, Path)):
        docs, _ = read_documents(docs, corpus=corpus)
    return _by_id(docs, what="documents", warnings=[])


def _error_row(
    where: tuple[str, Optional[str], list[int]],
    name: str,
    error: str,
    record: BaseModel,
    *,
    gold_record: Optional[BaseModel] = None,
    pred_record: Optional[BaseModel] = None,
    **extra: Any,
) -> dict[str, Any]:
    """One line of :func:`write_errors`; ``where`` is (document id, text, sentence starts)."""
    doc_id, text, starts = where
    located, how = _locate(pred_record if pred_record is not None else record, name, text)
    if located is None and pred_record is not None and gold_record is not None:
        located, how = _locate(gold_record, name, text)
    rules = _rules(pred_record)
    return {
        "id": doc_id,
        "list": name,
        "error": error,
        "record": _shown(record, name),
        "predicted": _shown(pred_record, name) if pred_record is not None else None,
        "gold": _shown(gold_record, name) if gold_record is not None else None,
        "attribute": None,
        "gold_value": None,
        "predicted_value": None,
        **extra,
        "sentence": _sentence(text, starts, *located) if located is not None and text is not None else None,
        "span": list(located) if located is not None else None,
        "span_from": how,
        "rule": rules[0] if rules else None,
        "rules": rules,
    }


def write_errors(
    report: EvalReport,
    path: PathLike,
    *,
    predictions: Union[PathLike, Iterable[Union[DocumentExtraction, dict]]],
    gold: Union[PathLike, Iterable[Union[DocumentExtraction, dict]]],
) -> int:
    """Write every false positive, false negative and attribute mismatch as JSON Lines.

    ``predictions`` and ``gold`` are the scored documents, or their files
    (gold is then joined to ``report.sources["corpus"]`` for its text). Each
    line::

        {"id": "d1", "list": "officials", "error": "false_positive",
         "record": {...}, "predicted": {...}, "gold": {...},
         "attribute": null, "gold_value": null, "predicted_value": null,
         "sentence": "...", "span": [33, 43], "span_from": "mention",
         "rule": "title-name", "rules": ["title-name"]}

    ``error`` is ``false_positive`` (``record`` is the prediction),
    ``false_negative`` (``record`` is the gold record) or
    ``attribute_mismatch`` (``record`` is the gold record, with ``attribute``,
    ``gold_value`` and ``predicted_value``). ``sentence`` is the sentence of
    the record's first mention (``span_from: "mention"``), else of the first
    occurrence of its name or text in the document (``"search"``), else null.
    ``rule`` is the first rule of the prediction's mentions (``rules``: all of
    them); null for a false negative. Records are the scored fields only.

    Returns the number of lines written. Raises :class:`ExtractorError`
    (E033) when the documents do not give the report's counts.
    """
    pred_by_id = _documents(predictions)
    gold_by_id = _documents(gold, corpus=report.sources.get("corpus"))
    rows: list[dict[str, Any]] = []
    for doc_score in report.per_document:
        gold_doc = gold_by_id.get(doc_score.id)
        if gold_doc is None:
            raise ExtractorError(Errors.E033.format(detail=f"gold document '{doc_score.id}' is missing"))
        pred_doc = pred_by_id.get(doc_score.id)
        text = gold_doc.text if gold_doc.text is not None else (pred_doc.text if pred_doc is not None else None)
        starts = sentence_starts(text) if text is not None else []
        where = (doc_score.id, text, starts)
        for name, detail in doc_score.lists.items():
            gold_records = getattr(gold_doc, name) or []
            pred_records = (getattr(pred_doc, name) if pred_doc is not None else None) or []
            pairs = match_records(pred_records, gold_records, rule=name)
            matched_p = {i for i, _ in pairs}
            matched_g = {j for _, j in pairs}
            fp = [r for i, r in enumerate(pred_records) if i not in matched_p]
            fn = [r for j, r in enumerate(gold_records) if j not in matched_g]
            if (len(fp), len(fn)) != (detail.counts.fp, detail.counts.fn):
                raise ExtractorError(
                    Errors.E033.format(
                        detail=f"{doc_score.id} {name}: {len(fp)} false positive(s) and {len(fn)} false negative(s), "
                        f"the report has {detail.counts.fp} and {detail.counts.fn}"
                    )
                )
            rows += [_error_row(where, name, "false_positive", r, pred_record=r) for r in fp]
            rows += [_error_row(where, name, "false_negative", r, gold_record=r) for r in fn]
            spec = _RULES[name]
            for i, j in pairs:
                p, g = pred_records[i], gold_records[j]
                for attribute, grade in spec.attributes.items():
                    if grade(p, g) < 1.0:
                        fieldname = spec.attribute_fields[attribute]
                        rows.append(
                            _error_row(
                                where, name, "attribute_mismatch", g, gold_record=g, pred_record=p,
                                attribute=attribute,
                                gold_value=getattr(g, fieldname),
                                predicted_value=getattr(p, fieldname),
                            )
                        )
    target = Path(path)
    with target.open("w", encoding="utf-8") as out:
        for r in rows:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
    return len(rows)
