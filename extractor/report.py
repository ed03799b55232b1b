"""An evaluation report as one self-contained HTML page, for error analysis.

:func:`render_html` turns an :class:`~extractor.evaluate.EvalReport` and the
documents it scored into a single page that needs nothing from the network
(inline CSS, inline SVG charts and a little vanilla JavaScript)::

    >>> report = evaluate(predictions, gold)
    >>> Path("report.html").write_text(render_html(report, predictions=predictions, gold=gold))

The page holds the summary table (precision, recall, F1 and counts per list,
with confidence intervals when the report carries them), attribute
accuracies, a bar chart per list, and every gold document with its gold and
predicted records highlighted in the text side by side. A highlight's colour
says whether the record is correct, missed (in gold only), spurious (predicted
only) or matched with a wrong attribute; its tooltip shows the record's fields
and the rule that predicted it. Documents can be reordered by their number of
errors and filtered by list, also from the address: ``report.html#sort=input&list=officials``.

Which record is missed, spurious or wrong comes from the report's
per-document details (``missed``, ``spurious``, ``attribute_errors``); the
scorer's own matching (:func:`~extractor.evaluate.match_records`) only pairs
a predicted record with its gold partner for the tooltips.

Where a record is in the text: a record's ``mentions`` (the extractor writes
them); a record without them (gold usually) is placed at the first
case-insensitive occurrence of its name or text, and is listed under the text
as "not located" when there is none. Every piece of document text and every
record value is HTML-escaped, so markup inside a release is shown, never run.
"""
import html
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional, Sequence, Union

from pydantic import BaseModel

from .schema import LIST_NAMES, DocumentExtraction

__all__ = ["render_html"]

# Status: (legend name, what it means).
STATUS_LABELS = {
    "correct": ("correct", "matched, attributes agree"),
    "missed": ("missed", "false negative: in gold only"),
    "spurious": ("spurious", "false positive: predicted only"),
    "wrong": ("wrong attribute", "matched, an attribute differs"),
    "unscored": ("not scored", "list not annotated in gold"),
}

LIST_TAGS = {
    "officials": "off",
    "organisations": "org",
    "dates": "date",
    "pledges": "pledge",
    "themes": "theme",
}

# What a tooltip shows of a record, in this order (scored fields first).
SHOWN_FIELDS: dict[str, tuple[str, ...]] = {
    "officials": ("name", "title", "organisation", "country"),
    "organisations": ("name", "acronym", "aliases"),
    "dates": ("text", "value"),
    "pledges": ("text", "amount", "currency", "donor", "recipient", "qualifier"),
    "themes": ("id", "score"),
}

# The field of a record that an attribute of the scorer compares.
ATTRIBUTE_FIELDS = {"text_overlap": "text"}

Doc = Union[DocumentExtraction, dict]


# --------------------------------------------------------------------------
# Reading the report (its JSON shape, so a report read back from JSON works too)


def _report_dict(report: Any) -> dict:
    if isinstance(report, dict):
        return report
    return report.to_dict()


def _as_document(item: Doc) -> DocumentExtraction:
    if isinstance(item, DocumentExtraction):
        return item
    return DocumentExtraction.model_validate(item)


def _canon(value: Any) -> Any:
    """A hashable, JSON-round-trip-proof form of a shown record (2000000 == 2000000.0)."""
    if isinstance(value, dict):
        return tuple(sorted((str(k), _canon(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_canon(v) for v in value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return str(value)


def _shown(record: BaseModel, keys: Iterable[str]) -> Any:
    dumped = record.model_dump()
    return _canon({k: dumped.get(k) for k in keys})


def _interval(entry: dict, metric: str) -> Optional[tuple[float, float]]:
    """A confidence interval of ``metric`` in a list's report entry, if it has one.

    The report may or may not carry intervals; several plausible spellings are
    read (``precision_ci: [lo, hi]``, ``ci: {"precision": {"low", "high"}}``,
    ``precision_low``/``precision_high`` ...) and anything else is no interval.
    """
    aliases = {"precision": ("precision", "p"), "recall": ("recall", "r"), "f1": ("f1", "f", "f_score")}[metric]

    def pair(value: Any) -> Optional[tuple[float, float]]:
        try:
            if isinstance(value, dict):
                for lo, hi in (("low", "high"), ("lower", "upper"), ("lo", "hi"), ("min", "max")):
                    if lo in value and hi in value:
                        return float(value[lo]), float(value[hi])
                return None
            if isinstance(value, (list, tuple)) and len(value) == 2:
                return float(value[0]), float(value[1])
        except (TypeError, ValueError):
            return None
        return None

    for name in aliases:
        for suffix in ("_ci", "_interval", "_confidence_interval"):
            if name + suffix in entry:
                found = pair(entry[name + suffix])
                if found:
                    return found
        for lo, hi in (("_low", "_high"), ("_lower", "_upper"), ("_lo", "_hi"), ("_ci_low", "_ci_high")):
            if name + lo in entry and name + hi in entry:
                found = pair([entry[name + lo], entry[name + hi]])
                if found:
                    return found
    for container in ("ci", "cis", "intervals", "confidence_intervals", "confidence_interval", "bootstrap"):
        block = entry.get(container)
        if isinstance(block, dict):
            for name in aliases:
                if name in block:
                    found = pair(block[name])
                    if found:
                        return found
    return None


def _ci_note(data: dict) -> str:
    """What the intervals are, from the report's ``bootstrap`` entry when it has one."""
    info = data.get("bootstrap")
    info = info if isinstance(info, dict) else {}
    level = info.get("level")
    note = f"{level * 100:g}% confidence interval" if isinstance(level, (int, float)) and 0 < level < 1 else "confidence interval"
    samples = info.get("samples")
    if isinstance(samples, int):
        note += f" (bootstrap over documents, {samples} resamples)"
    return note


# --------------------------------------------------------------------------
# Formatting helpers


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _num(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _value(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        if value.is_integer() and abs(value) >= 1000:
            return f"{int(value):,}"
        return f"{value:g}" if abs(value) < 1000 else f"{value:,.2f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) if value else "—"
    return str(value)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "doc"


def _record_lines(record: BaseModel, list_name: str) -> list[str]:
    dumped = record.model_dump()
    lines = []
    for name in SHOWN_FIELDS.get(list_name, ()):
        value = dumped.get(name)
        if name in ("qualifier", "score", "aliases") and not value:
            continue
        lines.append(f"{name}: {_value(value)}")
    return lines


def _rules(record: BaseModel) -> list[str]:
    rules: list[str] = []
    for mention in getattr(record, "mentions", None) or ():
        if mention.rule and mention.rule not in rules:
            rules.append(mention.rule)
    return rules


# --------------------------------------------------------------------------
# Which record is what (from the report), and where it is in the text


@dataclass
class _Item:
    """One record of one side (gold or predicted) of one list of one document."""

    side: str
    list_name: str
    record: BaseModel
    status: str
    errors: list[dict] = field(default_factory=list)
    partner: Optional[BaseModel] = None

    def tooltip(self, rule: Optional[str] = None) -> str:
        side = "gold" if self.side == "gold" else "predicted"
        name, meaning = STATUS_LABELS[self.status]
        lines = [f"{self.list_name} · {side} · {name} ({meaning})"]
        lines += _record_lines(self.record, self.list_name)
        for error in self.errors:
            lines.append(
                f"✗ {error.get('attribute')}: gold {_value(error.get('gold'))} ≠ predicted {_value(error.get('predicted'))}"
            )
        if self.side == "pred":
            rules = [rule] if rule else _rules(self.record)
            lines.append("rule: " + (", ".join(rules) if rules else "—"))
        elif self.partner is not None:
            rules = _rules(self.partner)
            lines.append("predicted by rule: " + (", ".join(rules) if rules else "—"))
        return "\n".join(lines)


def _field_equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return str(a).strip().casefold() == str(b).strip().casefold()


def _classify(
    list_name: str,
    gold_records: Sequence[BaseModel],
    pred_records: Sequence[BaseModel],
    detail: Optional[dict],
) -> tuple[list[_Item], list[_Item]]:
    """The gold and predicted items of one list, with their status from the report."""
    if detail is None:
        return (
            [_Item("gold", list_name, r, "unscored") for r in gold_records],
            [_Item("pred", list_name, r, "unscored") for r in pred_records],
        )

    missed = list(detail.get("missed") or ())
    spurious = list(detail.get("spurious") or ())
    attribute_errors = list(detail.get("attribute_errors") or ())

    def mark(records: Sequence[BaseModel], entries: Sequence[dict]) -> set[int]:
        """Indices of the records that the report's entries name, one record per entry."""
        if not entries:
            return set()
        fields = tuple(sorted({k for entry in entries for k in entry}))
        wanted = Counter(_canon({k: e.get(k) for k in fields}) for e in entries)
        hit: set[int] = set()
        for i, record in enumerate(records):
            key = _shown(record, fields)
            if wanted[key] > 0:
                wanted[key] -= 1
                hit.add(i)
        return hit

    missed_g = mark(gold_records, missed)
    spurious_p = mark(pred_records, spurious)
    gold_items = [
        _Item("gold", list_name, r, "missed" if j in missed_g else "correct") for j, r in enumerate(gold_records)
    ]
    pred_items = [
        _Item("pred", list_name, r, "spurious" if i in spurious_p else "correct") for i, r in enumerate(pred_records)
    ]

    # Attribute errors name the gold record; several entries may name one record.
    if attribute_errors:
        fields = tuple(sorted({k for e in attribute_errors for k in (e.get("record") or {})}))
        by_key: dict[Any, list[int]] = defaultdict(list)
        for j, record in enumerate(gold_records):
            if j not in missed_g:
                by_key[_shown(record, fields)].append(j)
        for error in attribute_errors:
            candidates = by_key.get(_canon({k: (error.get("record") or {}).get(k) for k in fields}))
            if candidates:
                item = gold_items[candidates[0]]
                item.status = "wrong"
                item.errors.append(error)

    # The scorer's own pairing tells which predicted record is each gold record's partner.
    pairs: list[tuple[int, int]] = []
    try:
        from .evaluate import match_records

        pairs = [
            (i, j)
            for i, j in match_records(pred_records, gold_records, rule=list_name)
            if i not in spurious_p and j not in missed_g
        ]
    except Exception:  # noqa: BLE001 - a scorer without it: the fallback below pairs by value
        pairs = []
    paired_p: set[int] = set()
    for i, j in pairs:
        gold_items[j].partner = pred_records[i]
        pred_items[i].partner = gold_records[j]
        pred_items[i].status = gold_items[j].status
        pred_items[i].errors = gold_items[j].errors
        paired_p.add(i)
    # Without a pairing, a predicted record is wrong when its value is the one an error names.
    for error in attribute_errors:
        if any(item.errors and error in item.errors for item in pred_items):
            continue
        fieldname = ATTRIBUTE_FIELDS.get(str(error.get("attribute")), str(error.get("attribute")))
        for i, item in enumerate(pred_items):
            if i in spurious_p or i in paired_p or item.status == "wrong":
                continue
            if _field_equal(getattr(item.record, fieldname, None), error.get("predicted")):
                item.status = "wrong"
                item.errors.append(error)
                break
    return gold_items, pred_items


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2011": "-"})


def _find(text: str, needle: Optional[str]) -> Optional[tuple[int, int]]:
    """The first case-insensitive occurrence of ``needle`` as whole words, or None."""
    if not needle or not needle.strip():
        return None
    words = needle.translate(_QUOTES).split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    if re.match(r"\w", words[0]):
        pattern = r"(?<!\w)" + pattern
    if re.search(r"\w$", words[-1]):
        pattern += r"(?!\w)"
    found = re.search(pattern, text.translate(_QUOTES), flags=re.IGNORECASE)
    return found.span() if found else None


def _search_keys(record: BaseModel, list_name: str) -> list[str]:
    if list_name == "officials":
        return [record.name]
    if list_name == "organisations":
        keys = [record.name, re.sub(r"(?i)^the\s+", "", record.name), record.acronym, *record.aliases]
        return [k for k in keys if k]
    if list_name in ("dates", "pledges"):
        return [record.text]
    return []


def _locate(item: _Item, text: Optional[str]) -> list[tuple[int, int, Optional[str]]]:
    """(start, end, rule) of each place of the record in ``text``; [] when not located."""
    if not text:
        return []
    spans: list[tuple[int, int, Optional[str]]] = []
    for mention in getattr(item.record, "mentions", None) or ():
        start, end = mention.start, mention.end
        if not (0 <= start < end <= len(text)) or (
            mention.text and text[start:end].casefold() != mention.text.casefold()
        ):
            # Offsets of another version of the text: fall back to the mention's words.
            found = _find(text, mention.text)
            if not found:
                continue
            start, end = found
        if (start, end) not in {(s, e) for s, e, _ in spans}:
            spans.append((start, end, mention.rule))
    if spans:
        return spans
    for key in _search_keys(item.record, item.list_name):
        found = _find(text, key)
        if found:
            return [(found[0], found[1], None)]
    return []


# --------------------------------------------------------------------------
# HTML pieces


def _mark_open(item: _Item, rule: Optional[str], *, first: bool) -> str:
    tag = f' data-tag="{LIST_TAGS.get(item.list_name, item.list_name)}"' if first else ""
    return (
        f'<mark class="hl st-{item.status}" data-list="{item.list_name}" data-status="{item.status}"'
        f' data-side="{item.side}"{tag} title="{_e(item.tooltip(rule))}">'
    )


def _highlight(text: str, spans: list[tuple[int, int, _Item, Optional[str]]]) -> str:
    """``text`` escaped, with a ``<mark>`` around each span.

    Nested spans nest; a span that crosses another is closed and reopened
    around the other's end, so the markup stays well formed.
    """
    spans = [s for s in spans if s[0] < s[1]]
    order = sorted(range(len(spans)), key=lambda k: (spans[k][0], -spans[k][1], k))
    starts: dict[int, list[int]] = defaultdict(list)
    ends: dict[int, list[int]] = defaultdict(list)
    for k in order:
        starts[spans[k][0]].append(k)
        ends[spans[k][1]].append(k)
    bounds = sorted({0, len(text), *starts, *ends})
    out: list[str] = []
    stack: list[int] = []
    previous = 0
    for pos in bounds:
        out.append(html.escape(text[previous:pos], quote=False))
        previous = pos
        closing = set(ends.get(pos, ()))
        if closing & set(stack):
            reopen: list[int] = []
            while closing & set(stack):
                k = stack.pop()
                out.append("</mark>")
                if k not in closing:
                    reopen.append(k)
            for k in reversed(reopen):
                out.append(_mark_open(spans[k][2], spans[k][3], first=False))
                stack.append(k)
        for k in starts.get(pos, ()):
            out.append(_mark_open(spans[k][2], spans[k][3], first=True))
            stack.append(k)
    while stack:
        stack.pop()
        out.append("</mark>")
    return "".join(out)


def _chip(item: _Item, label: str) -> str:
    return (
        f'<mark class="hl chip st-{item.status}" data-list="{item.list_name}" data-status="{item.status}"'
        f' data-side="{item.side}" title="{_e(item.tooltip())}">{_e(label)}</mark>'
    )


def _label(item: _Item) -> str:
    record = item.record
    if item.list_name == "themes":
        return record.id
    if item.list_name in ("officials", "organisations"):
        return record.name
    return record.text


def _column(side: str, text: Optional[str], items: list[_Item]) -> str:
    spans: list[tuple[int, int, _Item, Optional[str]]] = []
    unplaced: list[_Item] = []
    themes: list[_Item] = []
    for item in items:
        if item.list_name == "themes":
            themes.append(item)
            continue
        places = _locate(item, text)
        if not places:
            unplaced.append(item)
        for start, end, rule in places:
            spans.append((start, end, item, rule))
    parts = [f'<div class="col col-{side}" data-side="{side}">']
    heading = "Gold" if side == "gold" else "Predicted"
    parts.append(f'<h4 class="colhead">{heading}</h4>')
    if text:
        parts.append(f'<div class="text">{_highlight(text, spans)}</div>')
    else:
        parts.append('<div class="text notext">(no text in the gold or predicted document)</div>')
    if unplaced:
        chips = " ".join(_chip(item, _label(item)) for item in unplaced)
        parts.append(f'<div class="unplaced"><span class="lbl">Not located in the text:</span> {chips}</div>')
    if themes:
        chips = " ".join(_chip(item, _label(item)) for item in themes)
        parts.append(f'<div class="themes"><span class="lbl">Themes:</span> {chips}</div>')
    parts.append("</div>")
    return "".join(parts)


def _bar_chart(name: str, entry: dict) -> str:
    """An inline SVG of precision, recall and F1 (with CI whiskers when known)."""
    width, height = 250, 170
    left, right, top, bottom = 34, 10, 36, 24
    plot_h = height - top - bottom
    metrics = (("precision", "P", "#3b5bdb"), ("recall", "R", "#0c8599"), ("f1", "F1", "#5f3dc4"))
    slot = (width - left - right) / len(metrics)
    bar_w = slot * 0.56
    out = [
        f'<svg class="chart" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label="{_e(name)}: precision, recall and F1">',
        f'<text x="{left}" y="15" class="ct">{_e(name)}</text>',
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + plot_h * (1 - tick)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        out.append(f'<text x="{left - 4}" y="{y + 3:.1f}" class="tick" text-anchor="end">{tick:g}</text>')
    for k, (metric, short, colour) in enumerate(metrics):
        value = entry.get(metric)
        if not isinstance(value, (int, float)):
            continue
        value = max(0.0, min(1.0, float(value)))
        x = left + slot * k + (slot - bar_w) / 2
        y = top + plot_h * (1 - value)
        ci = _interval(entry, metric)
        tip = f"{short} {value:.3f}" + (f" (CI {ci[0]:.3f}–{ci[1]:.3f})" if ci else "")
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{top + plot_h - y:.1f}" fill="{colour}">'
            f"<title>{_e(tip)}</title></rect>"
        )
        cx = x + bar_w / 2
        if ci:
            lo, hi = (top + plot_h * (1 - max(0.0, min(1.0, v))) for v in ci)
            out.append(
                f'<path d="M{cx:.1f} {lo:.1f}V{hi:.1f}M{cx - 6:.1f} {lo:.1f}h12M{cx - 6:.1f} {hi:.1f}h12" class="whisker"/>'
            )
        label_y = (min(y, hi) if ci else y) - 4
        out.append(f'<text x="{cx:.1f}" y="{label_y:.1f}" class="val" text-anchor="middle">{value:.2f}</text>')
        out.append(f'<text x="{cx:.1f}" y="{height - 8}" class="tick" text-anchor="middle">{short}</text>')
    out.append("</svg>")
    return "".join(out)


def _with_ci(entry: dict, metric: str) -> str:
    value = entry.get(metric)
    text = _num(value if isinstance(value, (int, float)) else None)
    ci = _interval(entry, metric)
    if ci:
        text += f' <span class="ci">[{ci[0]:.3f}–{ci[1]:.3f}]</span>'
    return text


def _summary(data: dict) -> str:
    lists: dict = data.get("lists") or {}
    parts = ['<section class="summary"><h2>Summary</h2>']
    documents = data.get("documents")
    sources = data.get("sources") or {}
    line = f"{documents} gold document(s) scored" if documents is not None else ""
    if sources:
        line += " · " + " · ".join(f"{_e(k)}: <code>{_e(v)}</code>" for k, v in sources.items())
    if line:
        parts.append(f'<p class="sub">{line}</p>')
    if not lists:
        parts.append("<p>No list was scored (no gold list is annotated).</p></section>")
        return "".join(parts)
    has_ci = any(_interval(entry, m) for entry in lists.values() for m in ("precision", "recall", "f1"))
    ci_note = f"; [low–high] = {_ci_note(data)}" if has_ci else ""
    parts.append('<div class="tables">')
    parts.append(f'<table class="scores"><caption>Micro-averaged scores per list{ci_note}</caption>')
    parts.append(
        "<thead><tr><th>list</th><th>P</th><th>R</th><th>F1</th><th>TP</th><th>FP</th><th>FN</th>"
        "<th>docs</th><th>macro F1</th></tr></thead><tbody>"
    )
    for name, entry in lists.items():
        parts.append(
            f'<tr><th scope="row">{_e(name)}</th><td>{_with_ci(entry, "precision")}</td>'
            f'<td>{_with_ci(entry, "recall")}</td><td>{_with_ci(entry, "f1")}</td>'
            f"<td>{_e(entry.get('tp', ''))}</td><td>{_e(entry.get('fp', ''))}</td><td>{_e(entry.get('fn', ''))}</td>"
            f"<td>{_e(entry.get('docs', ''))}</td><td>{_num(entry.get('macro_f1'))}</td></tr>"
        )
    parts.append("</tbody></table>")

    attr_rows = []
    for name, entry in lists.items():
        for attribute, score in (entry.get("attributes") or {}).items():
            value = score.get("score") if isinstance(score, dict) else None
            width = 0 if value is None else round(100 * max(0.0, min(1.0, value)))
            attr_rows.append(
                f'<tr><th scope="row">{_e(name)}</th><td>{_e(attribute)}</td><td>{_num(value)}</td>'
                f'<td><span class="meter"><span style="width:{width}%"></span></span></td>'
                f"<td>{_e(score.get('total', '') if isinstance(score, dict) else '')}</td></tr>"
            )
    if attr_rows:
        parts.append(
            '<table class="attrs"><caption>Attribute accuracy over matched pairs</caption>'
            "<thead><tr><th>list</th><th>attribute</th><th>accuracy</th><th></th><th>pairs</th></tr></thead><tbody>"
        )
        parts += attr_rows
        parts.append("</tbody></table>")
    parts.append("</div>")

    parts.append('<div class="charts">')
    parts += [_bar_chart(name, entry) for name, entry in lists.items()]
    parts.append("</div>")

    for caption, key, label in (("Per-theme scores", "themes", "theme"), ("Pledges per currency", "currencies", "currency")):
        table = data.get(key)
        if isinstance(table, dict) and table:
            parts.append(_prf_table(caption, label, table))
    mentions = data.get("mentions")
    if isinstance(mentions, dict) and mentions.get("documents") and isinstance(mentions.get("schemes"), dict):
        caption = f"Mention-level scores ({mentions['documents']} span-annotated document(s))"
        parts.append(_prf_table(caption, "scheme", mentions["schemes"], counts=("cor", "inc", "par", "mis", "spu")))

    for heading, key in (("Problems", "problems"), ("Warnings", "warnings"), ("Notes", "notes")):
        messages = data.get(key) or []
        if messages:
            items = "".join(f"<li>{_e(m)}</li>" for m in messages)
            parts.append(f'<details class="messages {key}"><summary>{heading} ({len(messages)})</summary><ul>{items}</ul></details>')
    parts.append("</section>")
    return "".join(parts)


def _prf_table(caption: str, label: str, rows: dict, *, counts: Sequence[str] = ("tp", "fp", "fn")) -> str:
    """A folded table of P/R/F1 and counts, one row per key of ``rows``."""
    head = "".join(f"<th>{_e(c.upper())}</th>" for c in counts)
    out = [
        f'<details class="more"><summary>{_e(caption)}</summary><table>'
        f"<thead><tr><th>{_e(label)}</th><th>P</th><th>R</th><th>F1</th>{head}</tr></thead><tbody>"
    ]
    for key, entry in rows.items():
        if not isinstance(entry, dict):
            continue
        cells = "".join(f"<td>{_e(entry.get(c, ''))}</td>" for c in counts)
        out.append(
            f'<tr><th scope="row">{_e(key)}</th><td>{_num(entry.get("precision"))}</td>'
            f'<td>{_num(entry.get("recall"))}</td><td>{_num(entry.get("f1"))}</td>{cells}</tr>'
        )
    out.append("</tbody></table></details>")
    return "".join(out)


def _legend() -> str:
    swatches = "".join(
        f'<span class="key"><mark class="hl st-{status}">{_e(name)}</mark><span class="keytext">{_e(meaning)}</span></span>'
        for status, (name, meaning) in STATUS_LABELS.items()
    )
    tags = " · ".join(f"<b>{tag}</b> {name}" for name, tag in LIST_TAGS.items())
    return (
        f'<div class="legend" id="legend">{swatches}'
        f'<div class="tags">Small labels after a highlight name its list: {tags}. '
        "Hover a highlight for the record's fields and the rule that predicted it.</div></div>"
    )


def _controls() -> str:
    lists = "".join(f'<option value="{name}">{name}</option>' for name in LIST_NAMES)
    return (
        '<div class="controls" id="controls">'
        '<label>Sort documents <select id="sort">'
        '<option value="errors-desc" selected>most errors first</option>'
        '<option value="errors-asc">fewest errors first</option>'
        '<option value="id">by id</option>'
        '<option value="input">gold file order</option>'
        "</select></label>"
        f'<label>List <select id="list-filter"><option value="all" selected>all lists</option>{lists}</select></label>'
        '<label><input type="checkbox" id="only-errors"> only documents with errors</label>'
        '<button type="button" id="expand">expand all</button>'
        '<button type="button" id="collapse">collapse all</button>'
        '<span id="shown" class="sub"></span>'
        "</div>"
    )


def _document(
    index: int,
    entry: dict,
    gold_doc: Optional[DocumentExtraction],
    pred_doc: Optional[DocumentExtraction],
) -> str:
    doc_id = str(entry.get("id"))
    details: dict = entry.get("lists") or {}
    errors = {
        name: int(d.get("fp", 0)) + int(d.get("fn", 0)) + len(d.get("attribute_errors") or ())
        for name, d in details.items()
    }
    total = sum(errors.values())
    gold_items: list[_Item] = []
    pred_items: list[_Item] = []
    for name in LIST_NAMES:
        gold_records = (getattr(gold_doc, name, None) or []) if gold_doc is not None else []
        pred_records = (getattr(pred_doc, name, None) or []) if pred_doc is not None else []
        g, p = _classify(name, gold_records, pred_records, details.get(name))
        gold_items += g
        pred_items += p
    gold_text = (gold_doc.text if gold_doc is not None else None) or (pred_doc.text if pred_doc is not None else None)
    pred_text = (pred_doc.text if pred_doc is not None else None) or gold_text

    attrs = " ".join(f'data-errors-{name}="{errors.get(name, 0)}"' for name in LIST_NAMES)
    counts = "".join(
        f'<span class="cnt" data-list="{_e(name)}">{_e(name)} '
        f'<span class="tp">{d.get("tp", 0)} tp</span> <span class="fp">{d.get("fp", 0)} fp</span> '
        f'<span class="fn">{d.get("fn", 0)} fn</span>'
        + (f' <span class="ae">{len(d.get("attribute_errors") or ())} attr</span>' if d.get("attribute_errors") else "")
        + "</span>"
        for name, d in details.items()
    )
    flags = []
    if entry.get("predicted") is False:
        flags.append('<span class="flag">no prediction for this document</span>')
    if gold_doc is None:
        flags.append('<span class="flag">gold document not given to the report</span>')
    badge = f'<span class="badge{" zero" if total == 0 else ""}" data-all="{total}">{total} error{"" if total == 1 else "s"}</span>'
    return (
        f'<details class="doc" open id="doc-{index}-{_e(_slug(doc_id))}" data-id="{_e(doc_id)}" data-order="{index}"'
        f' data-errors-all="{total}" {attrs}>'
        f'<summary><span class="docid">{_e(doc_id)}</span> {badge} <span class="counts">{counts}</span> {"".join(flags)}</summary>'
        f'<div class="cols">{_column("gold", gold_text, gold_items)}{_column("pred", pred_text, pred_items)}</div>'
        "</details>"
    )


_CSS = """
:root{--correct:#c3eccb;--correct-b:#2b8a3e;--missed:#ffc9c9;--missed-b:#e03131;--spurious:#d0bfff;--spurious-b:#6741d9;
--wrong:#ffe066;--wrong-b:#e67700;--unscored:#e9ecef;--unscored-b:#868e96;}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#212529;background:#f8f9fa}
header{background:#212529;color:#f8f9fa;padding:14px 24px}
header h1{margin:0;font-size:20px}
main{padding:12px 24px 40px}
h2{font-size:17px;margin:18px 0 8px}
.sub{color:#495057;font-size:12.5px}
header .sub{color:#ced4da}
code{font-size:12px}
table{border-collapse:collapse;background:#fff;margin:8px 16px 8px 0;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:4px 0;color:#343a40}
th,td{border:1px solid #dee2e6;padding:3px 9px;text-align:right}
th[scope=row],thead th:first-child,.attrs td:nth-child(2){text-align:left}
thead th{background:#f1f3f5}
.ci{color:#868e96;font-size:11.5px}
.tables{display:flex;flex-wrap:wrap;align-items:flex-start}
.meter{display:inline-block;width:90px;height:9px;background:#e9ecef;border-radius:4px;overflow:hidden;vertical-align:middle}
.meter span{display:block;height:100%;background:#5f3dc4}
.charts{display:flex;flex-wrap:wrap;gap:10px;margin:8px 0}
.chart{background:#fff;border:1px solid #dee2e6;border-radius:6px}
.chart .ct{font-weight:600;font-size:13px;fill:#212529}
.chart .tick{font-size:10px;fill:#6c757d}
.chart .val{font-size:10.5px;fill:#212529}
.chart .grid{stroke:#e9ecef;stroke-width:1}
.chart .whisker{stroke:#212529;stroke-width:1.3;fill:none}
details.more,details.messages{margin:6px 0}
details.more table{margin-top:4px}
.controls{position:sticky;top:0;z-index:5;background:#fff;border:1px solid #dee2e6;border-radius:6px;padding:8px 12px;
display:flex;flex-wrap:wrap;gap:16px;align-items:center;margin:10px 0}
.controls select,.controls button{font:inherit;padding:2px 6px}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center;background:#fff;border:1px solid #dee2e6;border-radius:6px;padding:8px 12px}
.legend .key{display:inline-flex;gap:6px;align-items:center}
.legend .keytext{color:#495057;font-size:12px}
.legend .tags{flex-basis:100%;color:#495057;font-size:12px}
.doc{background:#fff;border:1px solid #dee2e6;border-radius:6px;margin:12px 0;padding:0}
.doc>summary{cursor:pointer;padding:8px 12px;border-bottom:1px solid #f1f3f5;font-size:13px}
.docid{font-weight:700;font-family:ui-monospace,"DejaVu Sans Mono",monospace}
.badge{display:inline-block;background:#e03131;color:#fff;border-radius:10px;padding:0 8px;font-size:12px;margin:0 6px}
.badge.zero{background:#2b8a3e}
.counts{color:#495057;font-size:12px}
.cnt:not([hidden]) ~ .cnt:not([hidden])::before{content:" · ";color:#adb5bd}
.counts .fp{color:#6741d9}.counts .fn{color:#c92a2a}.counts .ae{color:#b35c00}
.flag{background:#fff3bf;border:1px solid #fcc419;border-radius:4px;padding:0 6px;font-size:12px;margin-left:6px}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:0}
.col{padding:8px 14px;min-width:0}
.col-gold{border-right:1px solid #dee2e6}
.colhead{margin:0 0 4px;font-size:12px;text-transform:uppercase;letter-spacing:.06em;color:#868e96}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:13.5px;line-height:1.75}
.notext{color:#868e96;font-style:italic}
.unplaced,.themes{margin-top:8px;font-size:12.5px;line-height:2}
.lbl{color:#495057;font-weight:600;margin-right:4px}
mark.hl{color:inherit;border-radius:3px;padding:0 1px;cursor:help}
mark.hl[data-tag]::after{content:attr(data-tag);font-size:9px;color:#495057;vertical-align:super;margin-left:1px;
font-weight:600;text-transform:uppercase;letter-spacing:.02em}
mark.chip{padding:1px 6px;white-space:nowrap}
.st-correct{background:var(--correct);box-shadow:inset 0 -2px 0 var(--correct-b)}
.st-missed{background:var(--missed);box-shadow:inset 0 -2px 0 var(--missed-b);outline:1px dashed var(--missed-b)}
.st-spurious{background:var(--spurious);box-shadow:inset 0 -2px 0 var(--spurious-b);outline:1px dotted var(--spurious-b)}
.st-wrong{background:var(--wrong);box-shadow:inset 0 -3px 0 var(--wrong-b)}
.st-unscored{background:var(--unscored);box-shadow:inset 0 -2px 0 var(--unscored-b)}
mark.hl mark.hl{padding:0}
mark.hl.off{background:none;box-shadow:none;outline:none}
mark.hl.off::after{content:none}
mark.chip.off{display:none}
[hidden]{display:none!important}
@media (max-width:800px){.cols{grid-template-columns:1fr}.col-gold{border-right:0;border-bottom:1px solid #dee2e6}}
"""

# Runs at the end of <body>; reads #sort=...&list=...&only=1 from the address so
# a view can be linked (and a headless browser can be pointed at one).
_JS = """
(function () {
  "use strict";
  var box = document.getElementById("docs");
  var sort = document.getElementById("sort");
  var filter = document.getElementById("list-filter");
  var only = document.getElementById("only-errors");
  var shown = document.getElementById("shown");
  function docs() { return Array.prototype.slice.call(box.children).filter(function (el) { return el.classList.contains("doc"); }); }
  function errors(el, list) { return parseInt(el.getAttribute("data-errors-" + list) || "0", 10); }
  function order(el) { return parseInt(el.getAttribute("data-order"), 10); }
  function fromHash() {
    var params = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
      var i = kv.indexOf("=");
      if (i > 0) { params[decodeURIComponent(kv.slice(0, i))] = decodeURIComponent(kv.slice(i + 1)); }
    });
    function pick(select, value) {
      for (var k = 0; k < select.options.length; k++) { if (select.options[k].value === value) { select.value = value; } }
    }
    if (params.sort) { pick(sort, params.sort); }
    if (params.list) { pick(filter, params.list); }
    if (params.only) { only.checked = params.only === "1"; }
  }
  function apply() {
    var key = sort.value, list = filter.value, items = docs();
    items.sort(function (a, b) {
      var d = 0;
      if (key === "errors-desc") { d = errors(b, list) - errors(a, list); }
      else if (key === "errors-asc") { d = errors(a, list) - errors(b, list); }
      else if (key === "id") { d = a.getAttribute("data-id").localeCompare(b.getAttribute("data-id")); }
      return d || order(a) - order(b);
    });
    var visible = 0;
    items.forEach(function (el) {
      box.appendChild(el);
      var n = errors(el, list);
      el.hidden = only.checked && n === 0;
      if (!el.hidden) { visible += 1; }
      var badge = el.querySelector(".badge");
      badge.textContent = n + (n === 1 ? " error" : " errors") + (list === "all" ? "" : " in " + list);
      badge.classList.toggle("zero", n === 0);
      Array.prototype.forEach.call(el.querySelectorAll(".cnt"), function (c) {
        c.hidden = list !== "all" && c.getAttribute("data-list") !== list;
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("mark.hl[data-side]"), function (m) {
      m.classList.toggle("off", list !== "all" && m.getAttribute("data-list") !== list);
    });
    Array.prototype.forEach.call(document.querySelectorAll(".unplaced, .themes"), function (row) {
      row.hidden = !row.querySelector("mark.chip:not(.off)");
    });
    shown.textContent = visible + " of " + items.length + " document(s) shown";
    document.body.setAttribute("data-sort", key);
    document.body.setAttribute("data-list", list);
  }
  function remember() {
    var hash = "#sort=" + sort.value + "&list=" + filter.value + (only.checked ? "&only=1" : "");
    if (history.replaceState) { history.replaceState(null, "", hash); }
    apply();
  }
  sort.addEventListener("change", remember);
  filter.addEventListener("change", remember);
  only.addEventListener("change", remember);
  window.addEventListener("hashchange", function () { fromHash(); apply(); });
  document.getElementById("expand").addEventListener("click", function () { docs().forEach(function (d) { d.open = true; }); });
  document.getElementById("collapse").addEventListener("click", function () { docs().forEach(function (d) { d.open = false; }); });
  fromHash();
  apply();
  document.body.setAttribute("data-ready", "1");
})();
"""


def render_html(
    report: Any,
    *,
    predictions: Iterable[Doc],
    gold: Iterable[Doc],
    title: str = "Extraction evaluation",
) -> str:
    """One self-contained HTML page of an evaluation, for reading errors.

    ``report`` is the :class:`~extractor.evaluate.EvalReport` of
    ``evaluate(predictions, gold)`` (or its ``to_dict()``); ``predictions``
    and ``gold`` are the documents it scored (models or dicts). A document's
    text is taken from its gold record, else from its prediction. The page
    loads nothing from the network.
    """
    data = _report_dict(report)
    gold_by_id: dict[str, DocumentExtraction] = {}
    for item in gold:
        doc = _as_document(item)
        gold_by_id.setdefault(doc.id, doc)
    pred_by_id: dict[str, DocumentExtraction] = {}
    for item in predictions:
        doc = _as_document(item)
        pred_by_id.setdefault(doc.id, doc)

    entries = list(data.get("per_document") or ())
    if not entries:
        entries = [{"id": doc_id, "predicted": doc_id in pred_by_id, "lists": {}} for doc_id in gold_by_id]

    rendered = [
        (
            sum(
                int(d.get("fp", 0)) + int(d.get("fn", 0)) + len(d.get("attribute_errors") or ())
                for d in (entry.get("lists") or {}).values()
            ),
            index,
            _document(index, entry, gold_by_id.get(str(entry.get("id"))), pred_by_id.get(str(entry.get("id")))),
        )
        for index, entry in enumerate(entries)
    ]
    # Most errors first without the script too; the script applies the same order.
    rendered.sort(key=lambda r: (-r[0], r[1]))
    with_errors = sum(1 for r in rendered if r[0])

    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # No network: forbid every load except what the page carries inline.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
        f"<title>{_e(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f'<header><h1>{_e(title)}</h1><div class="sub">{len(rendered)} document(s), {with_errors} with errors</div></header>',
        "<main>",
        _summary(data),
        '<section class="documents"><h2>Documents</h2>',
        _legend(),
        _controls(),
        '<div id="docs">',
        *(r[2] for r in rendered),
        "</div></section></main>",
        f"<script>{_JS}</script>",
        "</body></html>",
    ]
    return "\n".join(body)
