"""Convert gold and predictions between this project's format and annotation tools.

Four tools are read and written, besides the project's own JSONL/JSON
(:func:`~extractor.evaluate.read_documents`):

* **Prodigy** JSONL tasks: ``{"text", "spans": [{"start", "end", "label", ...}],
  "meta": {...}, "options": [...], "accept": [...], "answer"}``;
* **Label Studio** JSON: a list of tasks with ``data``, ``annotations`` and
  ``predictions`` (:func:`labelstudio_config` gives the matching labelling
  configuration);
* **spaCy DocBin** (``.spacy``): ``doc.spans[<list>]`` as the pipeline writes
  them, the record fields in ``doc.user_data`` under the pipeline's extension
  keys (``doc._.records``), themes in ``doc.cats``;
* **BRAT** standoff: a folder of ``.txt`` + ``.ann``, with a ``.json`` beside
  each for what BRAT has no place for (release date, themes, metadata).

Labels: ``OFFICIAL`` (officials), ``ORG`` (organisations), ``DATE`` (dates),
``MONEY`` (pledges); themes are document-level choices or categories.

Reading builds one record per group of spans. A group is what the tool says
belongs together (a span's ``record`` key or ``kb_id``, BRAT ``Equiv`` lines,
Label Studio relations); spans without a group are one record each, except
that officials with the same folded name, organisations sharing a name or
acronym, and dates with the same text and value are merged. Fields missing
from the span attributes are filled from the span text: a date's value with
:func:`extractor.temporal.normalise` against the document's release date, a
pledge's amount, currency and qualifier with :func:`extractor.money.parse_money`.

Writing places every mention as a span with the record's attributes. A record
without mentions is placed at the first occurrence of its name or text; when
the text has none, it is kept in the document-level metadata (``unplaced``)
and reported, so nothing is lost that the target format can hold. Mention
sentence indices are not written (they follow from the text).

The module is silent: readers and writers append their notes (skipped tasks,
records that could not be placed, things the target cannot hold) to a
``notes`` list, and :func:`convert` returns them in its summary.
"""
import datetime as _dt
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Optional, Union

from pydantic import ValidationError

from .errors import Errors, ExtractorError, Warnings
from .evaluate import organisation_forms, read_documents
from .gazetteers import fold
from .money import parse_money
from .schema import (
    LIST_NAMES,
    THEME_IDS,
    Amount,
    DateRecord,
    DocumentExtraction,
    Mention,
    Official,
    Organisation,
    Pledge,
    Theme,
)
from .temporal import normalise
from .titles import fullest

__all__ = [
    "FORMATS",
    "LABELS",
    "ConvertSummary",
    "convert",
    "detect_format",
    "from_brat",
    "from_docbin",
    "from_labelstudio",
    "from_prodigy",
    "labelstudio_config",
    "read",
    "read_brat",
    "to_brat",
    "to_docbin",
    "to_labelstudio",
    "to_prodigy",
    "write",
    "write_brat",
]

PathLike = Union[str, Path]
DateLike = Union[str, _dt.date, None]

FORMATS = ("project", "prodigy", "labelstudio", "docbin", "brat")
LABELS = {"officials": "OFFICIAL", "organisations": "ORG", "dates": "DATE", "pledges": "MONEY"}
SPAN_LISTS = tuple(LABELS)
MODELS = {"officials": Official, "organisations": Organisation, "dates": DateRecord, "pledges": Pledge}
# The record's own name or text. Dates and pledges call it "text", which a span
# already uses for the mention's text, so on spans it is "record_text".
IDENTITY = {"officials": "name", "organisations": "name", "dates": "record_text", "pledges": "record_text"}
FIELDS = {
    "officials": ("title", "organisation", "country"),
    "organisations": ("acronym", "aliases"),
    "dates": ("value",),
    "pledges": ("amount", "currency", "donor", "recipient", "qualifier", "conversions"),
}
LIST_FIELDS = ("aliases", "conversions")
# Keys a span or region may carry that group mentions into one record.
GROUP_KEYS = ("record", "kb_id", "group")
# Label Studio relation labels that mean "the same record" (none means the same too).
SAME_LABELS = frozenset({"same", "same_as", "coref", "coreference", "equiv"})
# Document-level keys of the metadata each format keeps (Prodigy "meta", Label
# Studio "data", DocBin user data, BRAT's .json); anything else is doc.meta.
DOC_KEYS = ("id", "release_date", "release_date_source", "issuer", "warnings", "lists", "unplaced")
UNPLACED = "unplaced"
# DocBin user data keys: those of the pipeline's Doc extensions, so a Doc read
# back with the extensions registered shows doc._.records and friends.
_UD = {name: ("._.", name, None, None) for name in (
    "records", "release_date", "release_date_source", "issuer", "warnings", "meta", "doc_id", "lists",
)}

_READ_OPTIONS = {
    "project": ("corpus",),
    "prodigy": ("release_date", "labels"),
    "labelstudio": ("release_date", "labels", "text_key", "themes_from", "source"),
    "docbin": ("release_date", "labels", "cats_threshold", "lang"),
    "brat": ("release_date", "labels"),
}
_WRITE_OPTIONS = {
    "project": (),
    "prodigy": ("tokens", "lang"),
    "labelstudio": ("role", "text_key", "labels_from", "themes_from"),
    "docbin": ("lang", "ents"),
    "brat": (),
}


# --------------------------------------------------------------------------
# Summary


@dataclass
class ConvertSummary:
    """What :func:`convert` did: formats, documents and records written, notes."""

    src: str
    dst: str
    src_format: str
    dst_format: str
    documents: int = 0
    records: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "src": self.src,
            "dst": self.dst,
            "src_format": self.src_format,
            "dst_format": self.dst_format,
            "documents": self.documents,
            "records": dict(self.records),
            "notes": list(self.notes),
        }


class _Dropped:
    """Things a writer cannot hold, counted by kind and reported once per file."""

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.kinds: dict[tuple[str, str], list[str]] = {}

    def add(self, what: str, why: str, doc_id: str) -> None:
        ids = self.kinds.setdefault((what, why), [])
        if doc_id not in ids:
            ids.append(doc_id)

    def report(self, notes: Optional[list]) -> None:
        if notes is None:
            return
        for (what, why), ids in self.kinds.items():
            notes.append(Warnings.W021.format(what=what, format=self.fmt, why=why, count=len(ids), first=ids[0]))


# --------------------------------------------------------------------------
# Shared reading: spans and attributes → records


@dataclass
class _Span:
    list_name: str
    start: int
    end: int
    attrs: dict = field(default_factory=dict)
    group: Optional[str] = None
    rule: Optional[str] = None


@dataclass
class _Parts:
    """One document as read from a tool, before its records are built."""

    id: str
    text: str
    doc: dict = field(default_factory=dict)  # document-level keys (DOC_KEYS)
    meta: dict = field(default_factory=dict)
    spans: list[_Span] = field(default_factory=list)
    themes: Optional[list] = None  # theme ids or {"id", "score"} dicts; None: not annotated
    groups: list[tuple[str, str]] = field(default_factory=list)  # (group a, group b) joined


def _note(notes: Optional[list], message: str) -> None:
    if notes is not None:
        notes.append(message)


def _plain(value: Any) -> Any:
    """Tuples (msgpack with use_list=False) back to lists, recursively."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _as_date(value: Any, *, doc_id: str, notes: Optional[list]) -> Optional[_dt.date]:
    from .pipeline import parse_release_date

    try:
        return parse_release_date(value)
    except ExtractorError:
        _note(notes, Warnings.W025.format(id=doc_id, msg=f"release date {value!r} is not an ISO date; left empty"))
        return None


def _split_meta(data: Mapping, *, skip: Iterable[str] = ()) -> tuple[dict, dict]:
    """(document-level keys, doc.meta) of a tool's metadata object."""
    skip = set(skip)
    doc = {k: data[k] for k in DOC_KEYS if k in data}
    nested = data.get("meta")
    meta = dict(nested) if isinstance(nested, Mapping) else {}
    for key, value in data.items():
        if key not in DOC_KEYS and key not in skip and key != "meta":
            meta.setdefault(key, value)
    return doc, _plain(meta)


def _join_meta(doc: DocumentExtraction, *, lists: bool = True, unplaced: Optional[dict] = None) -> dict:
    """The document-level metadata a writer stores: DOC_KEYS first, then doc.meta."""
    out: dict[str, Any] = {"id": doc.id}
    if doc.release_date is not None:
        out["release_date"] = doc.release_date.isoformat()
    for key in ("release_date_source", "issuer"):
        if getattr(doc, key) is not None:
            out[key] = getattr(doc, key)
    if doc.warnings:
        out["warnings"] = list(doc.warnings)
    if lists:
        out["lists"] = [name for name in LIST_NAMES if getattr(doc, name) is not None]
    if unplaced:
        out[UNPLACED] = unplaced
    if doc.meta:
        clash = set(doc.meta) & (set(DOC_KEYS) | {"meta", "text"})
        if clash:
            out["meta"] = dict(doc.meta)
        else:
            out.update(doc.meta)
    return out


def _coerce(list_name: str, key: str, value: Any) -> Any:
    """A span attribute as the record field wants it ("" is None, amounts are numbers)."""
    if key in LIST_FIELDS:
        if value is None or value == "":
            return []
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if key == "aliases":
            return [str(v) for v in values if v not in (None, "")]
        return [_amount(v) for v in values if v not in (None, "")]
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if key == "amount" and isinstance(value, str):
        try:
            return float(value.replace(",", "").replace("_", ""))
        except ValueError:
            money = parse_money(value)
            return money.amount if money else value
    return value


def _amount(value: Any) -> Any:
    """A conversion from a dict, a JSON object string, or a written amount."""
    if isinstance(value, Mapping):
        return dict(value)
    text = str(value).strip()
    if text.startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass
    money = parse_money(text)
    if money is None:
        return {"text": text, "amount": None}
    return {"text": text, "amount": money.amount, "currency": money.currency}


def _amount_text(item: Amount) -> str:
    """A conversion as one string: its text when that parses back to it, else JSON."""
    money = parse_money(item.text)
    if money is not None and money.amount == item.amount and money.currency == item.currency:
        return item.text
    return json.dumps(item.model_dump(), ensure_ascii=False)


def _merge_attrs(spans: Sequence[_Span], *, doc_id: str, list_name: str, notes: Optional[list]) -> dict:
    """The attributes of a group: first span carrying a key wins; disagreements noted."""
    merged: dict[str, Any] = {}
    for span in spans:
        for key, value in span.attrs.items():
            if key not in merged:
                merged[key] = value
            elif value not in (None, "", [], ()) and merged[key] not in (None, "", [], ()) and merged[key] != value:
                _note(notes, Warnings.W025.format(
                    id=doc_id,
                    msg=f"{list_name} mentions of one record disagree on {key} "
                        f"({merged[key]!r} vs {value!r}); the first is kept",
                ))
    return merged


def _org_identity(texts: Sequence[str]) -> dict:
    """Name, acronym and aliases of an organisation known only by its mention texts."""
    from .acronyms import is_acronym

    def bare(text: str) -> str:
        text = text.strip()
        return text[4:] if text[:4].lower() == "the " else text

    forms: list[str] = []
    for text in map(bare, texts):
        if text and fold(text) not in {fold(f) for f in forms}:
            forms.append(text)
    if not forms:
        return {}
    long_forms = [f for f in forms if not is_acronym(f)] or forms
    name = max(long_forms, key=len)
    acronym = next((f for f in forms if f != name and is_acronym(f)), None)
    if acronym is None and is_acronym(name):
        acronym = name  # only the acronym is written ("ASEAN"): name and acronym both
    aliases = [f for f in forms if f not in (name, acronym)]
    return {"name": name, "acronym": acronym, "aliases": aliases}


def _build_record(
    list_name: str,
    attrs: dict,
    mentions: list[Mention],
    *,
    doc_id: str,
    release_date: Optional[_dt.date],
    notes: Optional[list],
):
    """One record from its merged attributes and mentions; None if it cannot be valued."""
    fields: dict[str, Any] = {}
    for key in FIELDS[list_name]:
        if key in attrs:
            fields[key] = _coerce(list_name, key, attrs[key])
    texts = [m.text for m in mentions]
    identity = _coerce(list_name, IDENTITY[list_name], attrs.get(IDENTITY[list_name]))
    if identity is None and list_name in ("dates", "pledges"):
        identity = _coerce(list_name, "text", attrs.get("text"))
    if list_name == "officials":
        fields["name"] = identity or (fullest(texts) if texts else None)
    elif list_name == "organisations":
        if identity:
            fields["name"] = identity
        else:
            derived = _org_identity(texts)
            for key, value in derived.items():
                if key not in fields or key == "name":
                    fields[key] = value
    else:
        fields["text"] = identity or (texts[0] if texts else None)
    shown = fields.get("name") or fields.get("text")
    if not shown:
        _note(notes, Warnings.W024.format(id=doc_id, list=list_name, text="", why="no name or text"))
        return None
    if list_name == "dates" and not fields.get("value"):
        fields["value"] = normalise(fields["text"], release_date)
        if not fields["value"]:
            _note(notes, Warnings.W024.format(
                id=doc_id, list=list_name, text=shown, why="no value given and the text names no date"
            ))
            return None
    if list_name == "pledges":
        if fields.get("amount") is None or "currency" not in fields or "qualifier" not in fields:
            money = parse_money(fields["text"])
            if fields.get("amount") is None:
                if money is None:
                    _note(notes, Warnings.W024.format(
                        id=doc_id, list=list_name, text=shown, why="no amount given and the text has none"
                    ))
                    return None
                fields["amount"] = money.amount
            if money is not None:
                fields.setdefault("currency", money.currency)
                fields.setdefault("qualifier", money.qualifier)
    try:
        return MODELS[list_name](**fields, mentions=mentions)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        _note(notes, Warnings.W024.format(id=doc_id, list=list_name, text=shown, why=f"invalid ({problems})"))
        return None


def _same_loose(list_name: str, loose, other) -> bool:
    """Whether a record read from a span with no group is ``other`` again."""
    if list_name == "officials":
        return fold(loose.name) == fold(other.name)
    if list_name == "organisations":
        mine = organisation_forms(loose.name, loose.acronym, loose.aliases)
        theirs = organisation_forms(other.name, other.acronym, other.aliases)
        return fold(loose.name) in theirs or fold(other.name) in mine
    if list_name == "dates":
        return loose.value == other.value and fold(loose.text) == fold(other.text)
    return False


def _absorb(list_name: str, into, loose, *, doc_id: str, notes: Optional[list]) -> None:
    into.mentions = sorted({(m.start, m.end): m for m in [*into.mentions, *loose.mentions]}.values(),
                           key=lambda m: (m.start, m.end))
    for key in FIELDS[list_name]:
        mine, theirs = getattr(into, key), getattr(loose, key)
        if mine in (None, []) and theirs not in (None, []):
            setattr(into, key, theirs)
        elif theirs not in (None, []) and mine != theirs and key not in LIST_FIELDS:
            _note(notes, Warnings.W025.format(
                id=doc_id, msg=f"{list_name} '{into.name}' is given {key} {mine!r} and {theirs!r}; the first is kept"
            ))
    if list_name == "organisations":
        known = organisation_forms(into.name, into.acronym, into.aliases)
        for form in (loose.name, *loose.aliases):
            if fold(form) not in known:
                into.aliases.append(form)
                known.add(fold(form))


def _theme(item: Any, *, doc_id: str, notes: Optional[list]) -> Optional[Theme]:
    data = dict(item) if isinstance(item, Mapping) else {"id": item}
    raw = str(data.get("id") or "").strip()
    if not raw:
        return None
    key = re.sub(r"[^0-9a-z]+", "_", raw.lower()).strip("_")
    data["id"] = raw if raw in THEME_IDS else (key if key in THEME_IDS else raw)
    if data["id"] not in THEME_IDS:
        _note(notes, Warnings.W025.format(id=doc_id, msg=f"theme {raw!r} is not a taxonomy id; kept as written"))
    data.pop("mentions", None)
    return Theme(**data)


def _assemble(parts: _Parts, *, release_date: DateLike = None, notes: Optional[list]) -> Optional[DocumentExtraction]:
    """A DocumentExtraction from the spans, attributes and metadata read from a tool."""
    doc_id, text = parts.id, parts.text
    date = _as_date(parts.doc.get("release_date"), doc_id=doc_id, notes=notes)
    if date is None and release_date is not None:
        date = _as_date(release_date, doc_id=doc_id, notes=notes)
    lists_given = parts.doc.get("lists")
    annotated = set(lists_given) if isinstance(lists_given, (list, tuple)) else set(SPAN_LISTS) | (
        {"themes"} if parts.themes is not None else set()
    )

    # Union-find over explicit groups; spans without one stay alone.
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in parts.groups:
        parent[find(a)] = find(b)

    lists: dict[str, list] = {name: [] for name in SPAN_LISTS}
    for list_name in SPAN_LISTS:
        grouped: dict[str, list[_Span]] = {}
        loose: list[_Span] = []
        for span in sorted((s for s in parts.spans if s.list_name == list_name), key=lambda s: (s.start, s.end)):
            if span.group is None:
                loose.append(span)
            else:
                grouped.setdefault(find(f"{list_name}\0{span.group}"), []).append(span)
        built: list[tuple[int, Any, bool]] = []
        units = [(spans, True) for spans in grouped.values()] + [([s], False) for s in loose]
        for spans, is_group in units:
            mentions: dict[tuple[int, int], Mention] = {}
            for s in spans:
                if s.start < s.end:
                    mentions.setdefault((s.start, s.end), Mention(
                        start=s.start, end=s.end, text=text[s.start:s.end], rule=s.rule
                    ))
            attrs = _merge_attrs(spans, doc_id=doc_id, list_name=list_name, notes=notes)
            record = _build_record(list_name, attrs, list(mentions.values()),
                                   doc_id=doc_id, release_date=date, notes=notes)
            if record is not None:
                built.append((min((s.start for s in spans), default=0), record, is_group))
        built.sort(key=lambda item: item[0])
        kept: list = []
        for _, record, is_group in built:
            if not is_group and list_name != "pledges":
                same = next((r for r in kept if _same_loose(list_name, record, r)), None)
                if same is not None:
                    _absorb(list_name, same, record, doc_id=doc_id, notes=notes)
                    continue
            kept.append(record)
        lists[list_name] = kept

    unplaced = parts.doc.get(UNPLACED) or {}
    if isinstance(unplaced, Mapping):
        for list_name, items in unplaced.items():
            if list_name not in MODELS or not isinstance(items, (list, tuple)):
                continue
            for item in items:
                if not isinstance(item, Mapping):
                    continue
                attrs = _fields_to_attrs(list_name, item)
                record = _build_record(list_name, attrs, [], doc_id=doc_id, release_date=date, notes=notes)
                if record is not None:
                    lists[list_name].append(record)

    themes = None
    if parts.themes is not None:
        themes = []
        for item in parts.themes:
            theme = _theme(item, doc_id=doc_id, notes=notes)
            if theme is not None and theme.id not in {t.id for t in themes}:
                themes.append(theme)
    warnings = parts.doc.get("warnings") or []
    try:
        return DocumentExtraction(
            id=doc_id,
            text=text,
            release_date=date,
            release_date_source=parts.doc.get("release_date_source"),
            issuer=parts.doc.get("issuer"),
            warnings=[str(w) for w in warnings] if isinstance(warnings, (list, tuple)) else [str(warnings)],
            meta=parts.meta,
            **{name: (lists[name] if name in annotated else None) for name in SPAN_LISTS},
            themes=themes if "themes" in annotated else None,
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        _note(notes, Warnings.W025.format(id=doc_id, msg=f"invalid document ({problems}); skipped"))
        return None


def _fields_to_attrs(list_name: str, fields: Mapping) -> dict:
    """A record's fields (schema names) as span attributes (``text`` → ``record_text``)."""
    attrs = {k: v for k, v in fields.items() if k != "mentions"}
    if list_name in ("dates", "pledges") and "text" in attrs:
        attrs["record_text"] = attrs.pop("text")
    return attrs


def _label_map(labels: Optional[Mapping[str, str]]) -> dict[str, str]:
    """Label → list name: the four labels, list names themselves, and the caller's."""
    out = {label: name for name, label in LABELS.items()}
    out.update({name: name for name in SPAN_LISTS})
    for label, name in (labels or {}).items():
        if name not in SPAN_LISTS:
            raise ExtractorError(Errors.E034.format(
                option="labels", value={label: name}, fix=f"map a label to one of {', '.join(SPAN_LISTS)}"
            ))
        out[label] = name
    return out


def _list_for(label: Any, labels: dict[str, str]) -> Optional[str]:
    if label is None:
        return None
    label = str(label)
    return labels.get(label) or labels.get(label.upper())


class _Ids:
    """Unique document ids in one file: a repeat is reported and skipped."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def fresh(self, doc_id: str, notes: Optional[list]) -> bool:
        if doc_id in self.seen:
            _note(notes, Warnings.W026.format(id=doc_id))
            return False
        self.seen.add(doc_id)
        return True


def _span_offsets(item: Mapping, text: str) -> Optional[tuple[int, int]]:
    try:
        start, end = int(item["start"]), int(item["end"])
    except (KeyError, TypeError, ValueError):
        return None
    if not 0 <= start <= end <= len(text):
        return None
    return start, end


def _check_text(doc_id: str, item: Mapping, start: int, end: int, text: str, notes: Optional[list]) -> None:
    said = item.get("text")
    if isinstance(said, str) and said and said != text[start:end]:
        _note(notes, Warnings.W025.format(
            id=doc_id, msg=f"span {start}-{end} reads {text[start:end]!r} in the text, not {said!r}; the text is kept"
        ))


# --------------------------------------------------------------------------
# Shared writing: records → placed mentions


@dataclass
class _Placed:
    list_name: str
    key: str  # record key, unique in the document
    record: Any
    mentions: list[Mention]


def _locate(text: str, needle: Optional[str]) -> Optional[tuple[int, int]]:
    """The first occurrence of ``needle`` as whole words, then in any case, then anywhere."""
    if not needle or not needle.strip():
        return None
    needle = needle.strip()
    pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
    for flags in (0, re.IGNORECASE):
        match = re.search(pattern, text, flags)
        if match:
            return match.span()
    index = text.find(needle)
    return (index, index + len(needle)) if index >= 0 else None


def _record_needles(list_name: str, record) -> list[str]:
    if list_name == "officials":
        return [record.name]
    if list_name == "organisations":
        return [record.name, record.acronym, *record.aliases]
    return [record.text]


def _shown(list_name: str, record) -> str:
    return record.name if list_name in ("officials", "organisations") else record.text


def _record_fields(list_name: str, record) -> dict:
    """A record's fields as plain JSON values, without mentions."""
    return record.model_dump(mode="json", exclude={"mentions"})


def _place(doc: DocumentExtraction, fmt: str, notes: Optional[list], where: str) -> tuple[list[_Placed], dict]:
    """Every record with the mentions a span format writes, and the records kept unplaced."""
    text = doc.text or ""
    placed: list[_Placed] = []
    unplaced: dict[str, list[dict]] = {}
    for list_name in SPAN_LISTS:
        for index, record in enumerate(getattr(doc, list_name) or []):
            mentions = []
            for m in record.mentions:
                if not 0 <= m.start < m.end <= len(text):
                    _note(notes, Warnings.W025.format(
                        id=doc.id, msg=f"{list_name} mention {m.start}-{m.end} lies outside the text; not written"
                    ))
                    continue
                if text[m.start:m.end] != m.text:
                    _note(notes, Warnings.W025.format(
                        id=doc.id,
                        msg=f"{list_name} mention {m.start}-{m.end} is {m.text!r} but the text there reads "
                            f"{text[m.start:m.end]!r}; the offsets are kept",
                    ))
                mentions.append(m)
            if not mentions:
                found = next((s for s in map(lambda n: _locate(text, n), _record_needles(list_name, record)) if s), None)
                if found is not None:
                    mentions = [Mention(start=found[0], end=found[1], text=text[found[0]:found[1]])]
            if not mentions:
                unplaced.setdefault(list_name, []).append(_record_fields(list_name, record))
                _note(notes, Warnings.W020.format(id=doc.id, list=list_name, name=_shown(list_name, record), where=where))
                continue
            placed.append(_Placed(list_name, f"{list_name}-{index}", record, mentions))
    return placed, unplaced


def _span_attrs(item: _Placed, *, explicit: bool) -> dict:
    """The attributes a span carries for its record.

    ``explicit``: every field, nulls included (JSON formats). Otherwise only
    what reading back would not derive by itself (tools whose attributes are
    free text): non-empty fields, an empty value where the span text would
    give one, the record's name or text where it differs from its first mention.
    """
    list_name, record = item.list_name, item.record
    fields = _record_fields(list_name, record)
    out: dict[str, Any] = {}
    first = item.mentions[0].text
    if list_name in ("officials", "organisations"):
        out["name"] = record.name
    elif explicit or record.text != first:
        out["record_text"] = record.text
    derived: dict[str, Any] = {}
    if not explicit and list_name == "pledges":
        money = parse_money(record.text)
        derived = {"currency": money.currency, "qualifier": money.qualifier} if money else {}
    for key in FIELDS[list_name]:
        value = fields[key]
        if explicit:
            out[key] = value
        elif key == "conversions":
            if record.conversions:
                out[key] = [_amount_text(c) for c in record.conversions]
        elif value not in (None, "", []):
            out[key] = value
        elif derived.get(key) is not None:
            out[key] = None  # an explicit empty: reading back must not fill it in
    return out


def _doc_writable(doc: DocumentExtraction, fmt: str, notes: Optional[list]) -> bool:
    if doc.text is None:
        _note(notes, Warnings.W027.format(id=doc.id, format=fmt))
        return False
    return True


def _theme_losses(doc: DocumentExtraction, dropped: _Dropped, fmt_why: str) -> None:
    for theme in doc.themes or []:
        if theme.mentions:
            dropped.add("theme evidence mentions", fmt_why, doc.id)
        if theme.score is not None:
            dropped.add("theme scores", fmt_why, doc.id)


def _make_doc(nlp, text: str, cuts: Iterable[int]):
    """A Doc of ``text`` whose tokens also split at every offset in ``cuts``.

    Mentions need not follow spaCy's tokens ("Korea" inside "Korea-based" is,
    "10" inside "US$10" is not); splitting tokens there keeps every offset exact.
    """
    from spacy.tokens import Doc

    base = nlp.make_doc(text)
    cuts = {c for c in cuts if 0 < c < len(text)}
    bounds = {t.idx for t in base} | {t.idx + len(t.text) for t in base}
    if cuts <= bounds:
        return base
    words: list[str] = []
    spaces: list[bool] = []
    for token in base:
        start, end = token.idx, token.idx + len(token.text)
        points = [start, *sorted(c for c in cuts if start < c < end), end]
        for a, b in zip(points, points[1:]):
            words.append(text[a:b])
            spaces.append(False)
        spaces[-1] = bool(token.whitespace_)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    return doc if doc.text == text else base


def _blank(lang: str):
    import spacy

    return spacy.blank(lang)


# --------------------------------------------------------------------------
# Prodigy


def from_prodigy(
    tasks: Iterable[Mapping],
    *,
    release_date: DateLike = None,
    labels: Optional[Mapping[str, str]] = None,
    notes: Optional[list] = None,
) -> list[DocumentExtraction]:
    """Documents from Prodigy tasks (``ner.manual``/``spans.manual``, choice, blocks).

    Tasks answered ``reject`` or ``ignore`` are skipped. The id is ``meta.id``
    (else the task's ``id``, else its ``_input_hash``, else its position);
    ``meta.release_date`` anchors dates. Themes are the ``accept`` list of a
    task that has ``options`` or ``accept``; otherwise themes are not annotated.
    """
    label_map = _label_map(labels)
    ids = _Ids()
    docs: list[DocumentExtraction] = []
    for number, task in enumerate(tasks, 1):
        if not isinstance(task, Mapping) or not isinstance(task.get("text"), str):
            _note(notes, Warnings.W025.format(id=f"task {number}", msg="not a Prodigy task with a text; skipped"))
            continue
        meta = task.get("meta") if isinstance(task.get("meta"), Mapping) else {}
        doc_id = str(meta.get("id") or task.get("id") or task.get("_input_hash") or f"task-{number}")
        answer = task.get("answer")
        if answer in ("reject", "ignore"):
            _note(notes, Warnings.W022.format(id=doc_id, answer=f"answered {answer}"))
            continue
        if not ids.fresh(doc_id, notes):
            continue
        text = task["text"]
        doc_keys, doc_meta = _split_meta(meta)
        for key in ("release_date",):
            if key not in doc_keys and task.get(key) is not None:
                doc_keys[key] = task[key]
        parts = _Parts(id=doc_id, text=text, doc=doc_keys, meta=doc_meta)
        for item in task.get("spans") or []:
            if not isinstance(item, Mapping):
                continue
            list_name = _list_for(item.get("label"), label_map)
            if list_name is None:
                _note(notes, Warnings.W023.format(id=doc_id, label=item.get("label"), labels=", ".join(LABELS.values())))
                continue
            offsets = _span_offsets(item, text)
            if offsets is None:
                _note(notes, Warnings.W025.format(id=doc_id, msg=f"span {dict(item)} has no valid offsets; skipped"))
                continue
            _check_text(doc_id, item, *offsets, text, notes)
            attrs = {k: v for k, v in item.items() if k in FIELDS[list_name] or k in (IDENTITY[list_name], "text")}
            attrs.pop("text", None)
            group = next((str(item[k]) for k in GROUP_KEYS if item.get(k) not in (None, "")), None)
            parts.spans.append(_Span(list_name, *offsets, attrs=attrs, group=group, rule=item.get("rule")))
        if "accept" in task or "options" in task:
            parts.themes = [a for a in task.get("accept") or [] if a is not None]
        doc = _assemble(parts, release_date=release_date, notes=notes)
        if doc is not None:
            docs.append(doc)
    return docs


def to_prodigy(
    docs: Iterable[DocumentExtraction],
    *,
    tokens: bool = False,
    lang: str = "en",
    notes: Optional[list] = None,
) -> list[dict]:
    """Prodigy tasks: one span per mention with the record's fields as extra keys.

    Spans of one record share a ``record`` key. Themes are ``accept`` with every
    taxonomy id in ``options``. With ``tokens`` the tasks carry ``tokens`` and
    the spans ``token_start``/``token_end`` (split at mention edges), as
    Prodigy's manual interfaces want them.
    """
    nlp = _blank(lang) if tokens else None
    dropped = _Dropped("Prodigy")
    out: list[dict] = []
    for doc in docs:
        if not _doc_writable(doc, "Prodigy", notes):
            continue
        placed, unplaced = _place(doc, "Prodigy", notes, "meta.unplaced")
        spans = []
        for item in placed:
            attrs = _span_attrs(item, explicit=True)
            for m in item.mentions:
                span = {"start": m.start, "end": m.end, "text": doc.text[m.start:m.end],
                        "label": LABELS[item.list_name], "record": item.key}
                if m.rule:
                    span["rule"] = m.rule
                span.update(attrs)
                spans.append(span)
        spans.sort(key=lambda s: (s["start"], s["end"]))
        task: dict[str, Any] = {"text": doc.text}
        if nlp is not None:
            sdoc = _make_doc(nlp, doc.text, (x for s in spans for x in (s["start"], s["end"])))
            task["tokens"] = [
                {"text": t.text, "start": t.idx, "end": t.idx + len(t.text), "id": t.i, "ws": bool(t.whitespace_)}
                for t in sdoc
            ]
            for span in spans:
                found = sdoc.char_span(span["start"], span["end"], alignment_mode="expand")
                if found is not None:
                    span["token_start"], span["token_end"] = found.start, found.end - 1
        task["spans"] = spans
        task["meta"] = _join_meta(doc, unplaced=unplaced)
        if doc.themes is not None:
            task["options"] = [{"id": t, "text": t} for t in THEME_IDS]
            task["accept"] = [t.id for t in doc.themes]
            _theme_losses(doc, dropped, "themes are accepted choices")
        task["answer"] = "accept"
        out.append(task)
    dropped.report(notes)
    return out


# --------------------------------------------------------------------------
# Label Studio


def labelstudio_config(*, text_key: str = "text", labels_from: str = "label", themes_from: str = "themes") -> str:
    """The labelling configuration (XML) that :func:`to_labelstudio` writes for.

    Per-region text areas hold the record fields (shown when a region is
    selected), a multiple choice holds the themes, relations join mentions of
    one record.
    """
    fields = ["name", "record_text"] + sorted({f for fs in FIELDS.values() for f in fs})
    lines = [
        "<View>",
        f'  <Labels name="{labels_from}" toName="{text_key}">',
        *(f'    <Label value="{label}"/>' for label in LABELS.values()),
        "  </Labels>",
        f'  <Text name="{text_key}" value="${text_key}"/>',
        "  <Relations>",
        '    <Relation value="same"/>',
        "  </Relations>",
        '  <View visibleWhen="region-selected">',
        *(
            f'    <Header value="{f}"/>\n'
            f'    <TextArea name="{f}" toName="{text_key}" perRegion="true" editable="true" rows="1"/>'
            for f in fields
        ),
        "  </View>",
        f'  <Choices name="{themes_from}" toName="{text_key}" choice="multiple">',
        *(f'    <Choice value="{t}"/>' for t in THEME_IDS),
        "  </Choices>",
        "</View>",
    ]
    return "\n".join(lines) + "\n"


def _ls_result(task: Mapping, source: str, doc_id: str, notes: Optional[list]) -> Optional[list]:
    """The result list to read: the first annotation not cancelled, else a prediction."""
    annotations = [a for a in task.get("annotations") or [] if isinstance(a, Mapping)]
    kept = [a for a in annotations if not a.get("was_cancelled")]
    predictions = [p for p in task.get("predictions") or [] if isinstance(p, Mapping)]
    if source in ("auto", "annotations") and kept:
        return list(kept[0].get("result") or [])
    if source == "annotations" or (annotations and not kept and source == "auto"):
        why = "has only cancelled annotations" if annotations else "has no annotation"
        _note(notes, Warnings.W022.format(id=doc_id, answer=why))
        return None
    if predictions:
        if source == "auto":
            _note(notes, Warnings.W025.format(id=doc_id, msg="no annotation; its first prediction is read"))
        return list(predictions[0].get("result") or [])
    _note(notes, Warnings.W022.format(id=doc_id, answer="has no annotation and no prediction"))
    return None


def _region_meta(meta: Any) -> dict:
    """Attributes from a region's ``meta``: a dict, or ``{"text": ["key=value", ...]}``."""
    if not isinstance(meta, Mapping):
        return {}
    out = {k: v for k, v in meta.items() if k != "text"}
    texts = meta.get("text")
    for line in texts if isinstance(texts, (list, tuple)) else [texts] if texts else []:
        out.update(_parse_note(str(line)))
    return out


def from_labelstudio(
    tasks: Iterable[Mapping],
    *,
    text_key: str = "text",
    themes_from: str = "themes",
    source: str = "auto",
    release_date: DateLike = None,
    labels: Optional[Mapping[str, str]] = None,
    notes: Optional[list] = None,
) -> list[DocumentExtraction]:
    """Documents from a Label Studio JSON export (or import file) of tasks.

    ``source``: ``"annotations"`` (the first annotation not cancelled),
    ``"predictions"`` (the first prediction), or ``"auto"``: annotations, else
    predictions. Regions are ``labels`` results; their attributes are
    ``textarea`` (or ``choices``) results with the region's id, named by the
    field (``title``, ``value``, ``amount`` ...), or the region's ``meta``.
    Relations without a label, or labelled ``same``, join mentions of one
    record. Themes are the ``choices`` result named ``themes_from``; when no
    task of the file has one, themes are not annotated.
    """
    if source not in ("auto", "annotations", "predictions"):
        raise ExtractorError(Errors.E034.format(
            option="source", value=source, fix="use auto, annotations or predictions"
        ))
    label_map = _label_map(labels)
    tasks = list(tasks)
    ids = _Ids()
    parts_list: list[_Parts] = []
    any_themes = False
    for number, task in enumerate(tasks, 1):
        data = task.get("data") if isinstance(task, Mapping) else None
        if not isinstance(data, Mapping) or not isinstance(data.get(text_key), str):
            _note(notes, Warnings.W025.format(
                id=f"task {number}", msg=f"no data.{text_key} text; skipped (pass text_key= if it has another name)"
            ))
            continue
        doc_id = str(data.get("id") or task.get("id") or f"task-{number}")
        result = _ls_result(task, source, doc_id, notes)
        if result is None or not ids.fresh(doc_id, notes):
            continue
        text = data[text_key]
        doc_keys, doc_meta = _split_meta(data, skip=(text_key,))
        parts = _Parts(id=doc_id, text=text, doc=doc_keys, meta=doc_meta)
        regions: dict[str, list[_Span]] = defaultdict(list)
        region_attrs: dict[str, dict] = defaultdict(dict)
        relations: list[tuple[str, str]] = []
        for item in result:
            if not isinstance(item, Mapping):
                continue
            kind = item.get("type")
            value = item.get("value") if isinstance(item.get("value"), Mapping) else {}
            rid = str(item["id"]) if item.get("id") is not None else None
            if kind == "labels":
                offsets = _span_offsets(value, text)
                if offsets is None:
                    _note(notes, Warnings.W025.format(id=doc_id, msg=f"region {rid} has no valid offsets; skipped"))
                    continue
                _check_text(doc_id, value, *offsets, text, notes)
                for label in value.get("labels") or []:
                    list_name = _list_for(label, label_map)
                    if list_name is None:
                        _note(notes, Warnings.W023.format(id=doc_id, label=label, labels=", ".join(LABELS.values())))
                        continue
                    span = _Span(list_name, *offsets, attrs=_region_meta(item.get("meta")))
                    regions[rid or f"region-{len(regions)}"].append(span)
            elif kind in ("textarea", "choices") and rid is not None and item.get("from_name") != themes_from:
                entries = value.get("text") if kind == "textarea" else value.get("choices")
                entries = entries if isinstance(entries, (list, tuple)) else [entries] if entries is not None else []
                region_attrs[rid][str(item.get("from_name")).lower()] = list(entries)
            elif kind == "choices" and item.get("from_name") == themes_from:
                parts.themes = list(value.get("choices") or [])
                any_themes = True
            elif kind == "relation":
                labels_ = {str(x).lower() for x in item.get("labels") or []}
                if not labels_ or labels_ & SAME_LABELS:
                    relations.append((str(item.get("from_id")), str(item.get("to_id"))))
        for rid, spans in regions.items():
            for span in spans:
                attrs = region_attrs.get(rid, {})
                for key, entries in attrs.items():
                    if key in FIELDS[span.list_name] or key == IDENTITY[span.list_name] or key in GROUP_KEYS:
                        single = key not in LIST_FIELDS
                        span.attrs[key] = (entries[0] if entries else None) if single else entries
                span.rule = span.attrs.pop("rule", None)
                span.group = next((str(span.attrs[k]) for k in GROUP_KEYS if span.attrs.get(k)), None)
                for k in GROUP_KEYS:
                    span.attrs.pop(k, None)
                if span.group is None and any(rid in pair for pair in relations):
                    span.group = f"region:{rid}"
                parts.spans.append(span)
        for a, b in relations:
            for sa in regions.get(a, []):
                for sb in regions.get(b, []):
                    if sa.list_name == sb.list_name:
                        parts.groups.append((f"{sa.list_name}\0region:{a}", f"{sb.list_name}\0region:{b}"))
        parts_list.append(parts)
    docs = []
    for parts in parts_list:
        if parts.themes is None and any_themes:
            parts.themes = []
        doc = _assemble(parts, release_date=release_date, notes=notes)
        if doc is not None:
            docs.append(doc)
    return docs


def _infer_role(docs: Sequence[DocumentExtraction]) -> str:
    """``predictions`` when the documents carry what only the extractor writes."""
    for doc in docs:
        if doc.release_date_source is not None or doc.warnings:
            return "predictions"
        for name in LIST_NAMES:
            for record in getattr(doc, name) or []:
                if getattr(record, "score", None) is not None or any(m.rule for m in record.mentions):
                    return "predictions"
    return "gold"


def to_labelstudio(
    docs: Iterable[DocumentExtraction],
    *,
    role: Optional[str] = None,
    text_key: str = "text",
    labels_from: str = "label",
    themes_from: str = "themes",
    notes: Optional[list] = None,
) -> list[dict]:
    """Label Studio tasks for :func:`labelstudio_config`.

    ``role="predictions"`` puts the records in ``predictions`` (to be
    corrected in the tool), ``"gold"`` in ``annotations``; by default the role
    is inferred (extractor output carries rule ids, scores or warnings).
    Each mention is a region; the record's fields are per-region text areas on
    its first region; relations join its other regions to the first.
    """
    docs = list(docs)
    if role is None:
        role = _infer_role(docs)
        _note(notes, Warnings.W025.format(id="(all)", msg=f"written as Label Studio {role} (role inferred; pass role= to choose)"))
    if role not in ("gold", "predictions"):
        raise ExtractorError(Errors.E034.format(option="role", value=role, fix="use gold or predictions"))
    dropped = _Dropped("Label Studio")
    out: list[dict] = []
    for doc in docs:
        if not _doc_writable(doc, "Label Studio", notes):
            continue
        placed, unplaced = _place(doc, "Label Studio", notes, "data.unplaced")
        result: list[dict] = []
        number = 0
        for item in placed:
            attrs = _span_attrs(item, explicit=False)
            first_id = None
            for m in item.mentions:
                number += 1
                rid = f"r{number}"
                if m.rule:
                    dropped.add("mention rule ids", "regions have no field for provenance", doc.id)
                value = {"start": m.start, "end": m.end, "text": doc.text[m.start:m.end]}
                result.append({
                    "id": rid, "from_name": labels_from, "to_name": text_key, "type": "labels",
                    "value": {**value, "labels": [LABELS[item.list_name]]},
                })
                if first_id is None:
                    first_id = rid
                    for key, val in attrs.items():
                        entries = [] if val is None else [str(v) for v in val] if isinstance(val, list) else [
                            _num(val) if key == "amount" else str(val)
                        ]
                        result.append({
                            "id": rid, "from_name": key, "to_name": text_key, "type": "textarea",
                            "value": {**value, "text": entries},
                        })
                else:
                    result.append({
                        "from_id": first_id, "to_id": rid, "type": "relation", "direction": "right", "labels": ["same"],
                    })
        if doc.themes is not None and doc.themes:
            result.append({
                "id": "themes", "from_name": themes_from, "to_name": text_key, "type": "choices",
                "value": {"choices": [t.id for t in doc.themes]},
            })
        if doc.themes is not None:
            _theme_losses(doc, dropped, "themes are choices")
        data = {text_key: doc.text}
        data.update((k, v) for k, v in _join_meta(doc, unplaced=unplaced).items() if k != text_key)
        task: dict[str, Any] = {"data": data}
        if role == "predictions":
            task["predictions"] = [{"model_version": "extractor", "result": result}]
        else:
            task["annotations"] = [{"result": result, "was_cancelled": False}]
        out.append(task)
    dropped.report(notes)
    return out


def _num(value: Any) -> str:
    """An amount as written in a text area: no trailing ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------
# spaCy DocBin


def from_docbin(
    docs: Iterable,
    *,
    release_date: DateLike = None,
    labels: Optional[Mapping[str, str]] = None,
    cats_threshold: float = 0.5,
    notes: Optional[list] = None,
) -> list[DocumentExtraction]:
    """Documents from spaCy Docs (``DocBin.get_docs``).

    Mentions are ``doc.spans[<list>]`` (the pipeline's keys; a span's
    ``kb_id_`` is its record, its ``id_`` the rule); for a list with no span
    group of its name, spans with the list's label in other groups and in
    ``doc.ents``. Record fields come from the user data the writer (or the
    pipeline's ``doc._.records``) stored; themes from that table, else from
    ``doc.cats`` at or above ``cats_threshold``.
    """
    label_map = _label_map(labels)
    ids = _Ids()
    out: list[DocumentExtraction] = []
    for number, sdoc in enumerate(docs, 1):
        ud = sdoc.user_data
        doc_id = str(ud.get(_UD["doc_id"]) or ud.get("id") or f"doc-{number}")
        if not ids.fresh(doc_id, notes):
            continue
        table = _plain(ud.get(_UD["records"]) or {})
        doc_keys = {k: _plain(ud[_UD[k]]) for k in ("release_date", "release_date_source", "issuer", "warnings", "lists")
                    if ud.get(_UD[k]) is not None}
        if isinstance(doc_keys.get("release_date"), (_dt.date,)):
            doc_keys["release_date"] = doc_keys["release_date"].isoformat()
        meta = _plain(ud.get(_UD["meta"]) or {})
        parts = _Parts(id=doc_id, text=sdoc.text, doc=doc_keys, meta=dict(meta) if isinstance(meta, Mapping) else {})
        candidates = [(span, name) for name in SPAN_LISTS if name in sdoc.spans for span in sdoc.spans[name]]
        others = [s for key, group in sdoc.spans.items() if key not in LIST_NAMES for s in group] + list(sdoc.ents)
        for span in others:
            list_name = _list_for(span.label_, label_map)
            if list_name is not None and list_name not in sdoc.spans:
                candidates.append((span, list_name))
        seen: set[tuple] = set()
        for span, list_name in candidates:
            key = span.kb_id_ or None
            ident = (list_name, span.start_char, span.end_char, key)
            if ident in seen:
                continue
            seen.add(ident)
            fields = (table.get(list_name) or {}).get(key) if key else None
            attrs = _fields_to_attrs(list_name, fields) if isinstance(fields, Mapping) else {}
            parts.spans.append(_Span(list_name, span.start_char, span.end_char, attrs=attrs,
                                     group=key, rule=span.id_ or None))
        # Records of the table with no span: kept without mentions.
        with_spans = {(s.list_name, s.group) for s in parts.spans}
        unplaced: dict[str, list] = {}
        for list_name in SPAN_LISTS:
            for key, fields in (table.get(list_name) or {}).items():
                if (list_name, key) not in with_spans and isinstance(fields, Mapping):
                    unplaced.setdefault(list_name, []).append(dict(fields))
        parts.doc[UNPLACED] = unplaced
        if "themes" in table:
            theme_spans: dict[str, list] = defaultdict(list)
            for span in sdoc.spans.get("themes", []):
                theme_spans[span.kb_id_].append(span)
            parts.themes = [dict(fields) for fields in table["themes"].values()]
        elif sdoc.cats:
            parts.themes = [t for t, score in sdoc.cats.items() if score >= cats_threshold]
        doc = _assemble(parts, release_date=release_date, notes=notes)
        if doc is None:
            continue
        if "themes" in table and doc.themes:
            by_id = {fields.get("id"): key for key, fields in table["themes"].items() if isinstance(fields, Mapping)}
            for theme in doc.themes:
                theme.mentions = sorted(
                    (Mention(start=s.start_char, end=s.end_char, text=s.text, rule=s.id_ or None)
                     for s in theme_spans.get(by_id.get(theme.id), [])),
                    key=lambda m: (m.start, m.end),
                )
        out.append(doc)
    return out


def to_docbin(
    docs: Iterable[DocumentExtraction],
    *,
    lang: str = "en",
    ents: bool = True,
    notes: Optional[list] = None,
):
    """A DocBin (user data stored) of the documents.

    ``doc.spans[<list>]`` holds every mention (label, ``kb_id_`` = record key,
    ``id_`` = rule), ``doc._.records`` (user data) every record's fields,
    ``doc.cats`` the themes (1.0 chosen, 0.0 the other taxonomy ids) and
    ``doc.ents`` the mentions that do not overlap (``ents=False``: none).
    """
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    nlp = _blank(lang)
    out = DocBin(store_user_data=True)
    for doc in docs:
        if not _doc_writable(doc, "DocBin", notes):
            continue
        placed, _ = _place(doc, "DocBin", notes, "the records table in the user data")
        table: dict[str, dict] = {name: {} for name in LIST_NAMES if getattr(doc, name) is not None}
        keyed: dict[int, str] = {id(item.record): item.key for item in placed}
        for list_name in SPAN_LISTS:
            for index, record in enumerate(getattr(doc, list_name) or []):
                table[list_name][keyed.get(id(record), f"{list_name}-{index}")] = _record_fields(list_name, record)
        theme_mentions = []
        for index, theme in enumerate(doc.themes or []):
            key = f"themes-{index}"
            table["themes"][key] = _record_fields("themes", theme)
            theme_mentions += [(key, m) for m in theme.mentions if 0 <= m.start < m.end <= len(doc.text)]
        cuts = [x for item in placed for m in item.mentions for x in (m.start, m.end)]
        cuts += [x for _, m in theme_mentions for x in (m.start, m.end)]
        sdoc = _make_doc(nlp, doc.text, cuts)
        all_spans = []
        groups: dict[str, list] = {name: [] for name in LIST_NAMES if getattr(doc, name) is not None}
        for item in placed:
            group = groups[item.list_name]
            for m in item.mentions:
                span = sdoc.char_span(m.start, m.end, label=LABELS[item.list_name], kb_id=item.key, span_id=m.rule or "")
                if span is None:
                    span = sdoc.char_span(m.start, m.end, label=LABELS[item.list_name], kb_id=item.key,
                                          span_id=m.rule or "", alignment_mode="expand")
                    _note(notes, Warnings.W025.format(
                        id=doc.id, msg=f"{item.list_name} mention {m.start}-{m.end} {m.text!r} does not fall on token "
                                       f"edges; widened to {span.start_char}-{span.end_char}"
                    ))
                group.append(span)
                all_spans.append(span)
        for key, m in theme_mentions:
            groups["themes"].append(sdoc.char_span(
                m.start, m.end, label="THEME", kb_id=key, span_id=m.rule or "", alignment_mode="expand"
            ))
        # Filled in record order; the pipeline's span groups are in text order.
        for list_name, group in groups.items():
            sdoc.spans[list_name] = sorted(group, key=lambda s: (s.start_char, s.end_char))
        if ents:
            sdoc.ents = filter_spans(all_spans)
        if doc.themes is not None:
            sdoc.cats = {**{t: 0.0 for t in THEME_IDS}, **{t.id: 1.0 for t in doc.themes}}
        sdoc.user_data[_UD["doc_id"]] = doc.id
        sdoc.user_data[_UD["records"]] = table
        sdoc.user_data[_UD["lists"]] = [name for name in LIST_NAMES if getattr(doc, name) is not None]
        sdoc.user_data[_UD["meta"]] = dict(doc.meta)
        sdoc.user_data[_UD["warnings"]] = list(doc.warnings)
        for key in ("release_date_source", "issuer"):
            if getattr(doc, key) is not None:
                sdoc.user_data[_UD[key]] = getattr(doc, key)
        if doc.release_date is not None:
            # msgpack holds no dates: ISO text, read back by from_docbin.
            sdoc.user_data[_UD["release_date"]] = doc.release_date.isoformat()
        out.add(sdoc)
    return out


# --------------------------------------------------------------------------
# BRAT standoff

_NOTE_SPLIT = re.compile(r"(?<!\\);")
_ISO_DBS = {"iso8601": "value", "iso4217": "currency", "iso3166": "country", "iso3166-1": "country"}


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace("\n", " ").replace("\t", " ")


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", r"\1", value)


def _parse_note(note: str) -> dict:
    """``key=value; key=value`` (``\\;`` for a semicolon); a JSON object too."""
    note = note.strip()
    if note.startswith("{"):
        try:
            value = json.loads(note)
            return dict(value) if isinstance(value, dict) else {}
        except json.JSONDecodeError:
            pass
    out: dict[str, Any] = {}
    for piece in _NOTE_SPLIT.split(note):
        key, sep, value = piece.partition("=")
        key = key.strip().lower()
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            continue
        value = _unescape(value.strip())
        if key in LIST_FIELDS:
            out.setdefault(key, []).append(value)
        else:
            out[key] = value
    return out


def _note_text(attrs: Mapping, rule: Optional[str]) -> str:
    pieces = []
    for key, value in attrs.items():
        if isinstance(value, list):
            pieces += [f"{key}={_escape(str(v))}" for v in value]
        else:
            shown = "" if value is None else _num(value) if key == "amount" else str(value)
            pieces.append(f"{key}={_escape(shown)}")
    if rule:
        pieces.append(f"rule={_escape(rule)}")
    return "; ".join(pieces)


def from_brat(
    text: str,
    ann: str,
    *,
    doc_id: str,
    document: Optional[Mapping] = None,
    release_date: DateLike = None,
    labels: Optional[Mapping[str, str]] = None,
    notes: Optional[list] = None,
) -> Optional[DocumentExtraction]:
    """One document from BRAT's text and standoff annotations.

    ``T`` lines are mentions (a discontinuous span takes its outer extent);
    ``A`` lines (``A1<TAB>country T1 KR``), ``N`` lines (``Reference T1
    ISO8601:2024-02-27`` or ``value:...``) and ``#`` AnnotatorNotes
    (``key=value; key=value``) give attributes; ``*<TAB>Equiv T1 T2`` joins
    mentions of one record. ``document`` is the ``.json`` written beside the
    files (release date, themes, metadata).
    """
    label_map = _label_map(labels)
    doc_keys, meta = _split_meta(document or {}, skip=("themes", "text"))
    doc_id = str(doc_keys.get("id") or doc_id)
    parts = _Parts(id=doc_id, text=text, doc=doc_keys, meta=meta)
    if document and "themes" in document:
        parts.themes = list(document.get("themes") or [])
    spans: dict[str, _Span] = {}
    later: list[tuple[str, list[str]]] = []
    for number, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        ident = fields[0]
        if ident.startswith("T") and len(fields) >= 2:
            head = fields[1].split(" ", 1)
            label = head[0]
            list_name = _list_for(label, label_map)
            if list_name is None:
                _note(notes, Warnings.W023.format(id=doc_id, label=label, labels=", ".join(LABELS.values())))
                continue
            try:
                pieces = [tuple(map(int, frag.split())) for frag in head[1].split(";")]
                start, end = min(p[0] for p in pieces), max(p[1] for p in pieces)
            except (IndexError, ValueError):
                _note(notes, Warnings.W025.format(id=doc_id, msg=f"line {number} {line!r}: bad offsets; skipped"))
                continue
            if not 0 <= start <= end <= len(text):
                _note(notes, Warnings.W025.format(id=doc_id, msg=f"line {number}: offsets beyond the text; skipped"))
                continue
            spans[ident] = _Span(list_name, start, end)
        else:
            later.append((line, fields))
    for _, fields in later:
        ident = fields[0]
        head = fields[1].split() if len(fields) > 1 else []
        if ident.startswith("A") or ident.startswith("M"):
            # Binary attributes (no value) name no field of a record.
            if len(head) >= 3 and head[1] in spans:
                spans[head[1]].attrs[head[0].lower()] = " ".join(head[2:])
        elif ident.startswith("N"):
            if len(head) >= 3 and head[1] in spans:
                db, _, value = head[2].partition(":")
                key = _ISO_DBS.get(db.lower(), db)
                spans[head[1]].attrs[key.lower()] = value
        elif ident.startswith("#"):
            if len(head) >= 2 and head[1] in spans and len(fields) > 2:
                spans[head[1]].attrs.update(_parse_note("\t".join(fields[2:])))
        elif ident.startswith("*"):
            if head and head[0] == "Equiv":
                members = [t for t in head[1:] if t in spans]
                for t in members:
                    spans[t].group = spans[t].group or f"T:{t}"
                for a, b in zip(members, members[1:]):
                    parts.groups.append(
                        (f"{spans[a].list_name}\0{spans[a].group}", f"{spans[b].list_name}\0{spans[b].group}")
                    )
    for span in spans.values():
        span.rule = span.attrs.pop("rule", None)
        explicit = next((str(span.attrs.pop(k)) for k in GROUP_KEYS if span.attrs.get(k)), None)
        if explicit is not None:
            if span.group is not None:
                parts.groups.append((f"{span.list_name}\0{span.group}", f"{span.list_name}\0{explicit}"))
            else:
                span.group = explicit
        for k in GROUP_KEYS:
            span.attrs.pop(k, None)
        parts.spans.append(span)
    return _assemble(parts, release_date=release_date, notes=notes)


def _brat_paths(src: Union[PathLike, Sequence[PathLike]]) -> list[tuple[Path, Path]]:
    """(.txt, .ann) pairs of a folder, or of the given .ann or .txt paths."""
    items = [src] if isinstance(src, (str, Path)) else list(src)
    pairs: list[tuple[Path, Path]] = []
    for item in map(Path, items):
        if item.is_dir():
            anns = sorted(item.rglob("*.ann"))
        elif item.exists():
            anns = [item.with_suffix(".ann")]
        else:
            raise ExtractorError(Errors.E005.format(path=item))
        for ann in anns:
            txt = ann.with_suffix(".txt")
            if not txt.exists():
                raise ExtractorError(Errors.E044.format(
                    path=ann, msg=f"no {txt.name} beside it. Put the document text next to its annotations."
                ))
            if not ann.exists():
                raise ExtractorError(Errors.E044.format(path=txt, msg=f"no {ann.name} beside it (BRAT annotations)."))
            pairs.append((txt, ann))
    return pairs


def _read_text(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            text = handle.read()
    except UnicodeDecodeError as exc:
        raise ExtractorError(Errors.E009.format(path=path, msg=exc.reason)) from None
    return text[1:] if text.startswith("\ufeff") else text


def read_brat(
    src: Union[PathLike, Sequence[PathLike]],
    *,
    release_date: DateLike = None,
    labels: Optional[Mapping[str, str]] = None,
    notes: Optional[list] = None,
) -> list[DocumentExtraction]:
    """Documents from a BRAT folder (or .ann/.txt paths); the id is the file stem
    unless the ``.json`` beside it names one."""
    ids = _Ids()
    docs = []
    for txt, ann in _brat_paths(src):
        side = ann.with_suffix(".json")
        document = None
        if side.exists():
            try:
                document = json.loads(_read_text(side))
            except json.JSONDecodeError as exc:
                raise ExtractorError(Errors.E002.format(path=side, line=exc.lineno, msg=exc.msg)) from None
        doc = from_brat(_read_text(txt), _read_text(ann), doc_id=txt.stem, document=document,
                        release_date=release_date, labels=labels, notes=notes)
        if doc is not None and ids.fresh(doc.id, notes):
            docs.append(doc)
    return docs


def to_brat(
    doc: DocumentExtraction, *, notes: Optional[list] = None, dropped: Optional[_Dropped] = None
) -> tuple[str, str, dict]:
    """(text, .ann content, document .json) of one document.

    A mention is a ``T`` line (split at line breaks into fragments, as BRAT
    wants); the first mention of a record carries its fields in an
    AnnotatorNotes line, each mention its rule; ``Equiv`` joins the mentions
    of a record. The .json keeps id, release date, themes, metadata and the
    records that could not be placed.
    """
    text = doc.text or ""
    placed, unplaced = _place(doc, "BRAT", notes, f"{UNPLACED} in the .json beside the .ann")
    lines: list[str] = []
    t_number = note_number = 0
    for item in placed:
        attrs = _span_attrs(item, explicit=False)
        members = []
        for index, m in enumerate(item.mentions):
            t_number += 1
            ident = f"T{t_number}"
            members.append(ident)
            fragments, pos = [], m.start
            for piece in re.split(r"(\r\n|\n|\r)", text[m.start:m.end]):
                if piece and piece not in ("\r\n", "\n", "\r") and piece.strip():
                    lead = len(piece) - len(piece.lstrip())
                    fragments.append((pos + lead, pos + len(piece.rstrip())))
                pos += len(piece)
            fragments = fragments or [(m.start, m.end)]
            if (fragments[0][0], fragments[-1][1]) != (m.start, m.end):
                fragments[0] = (m.start, fragments[0][1])
                fragments[-1] = (fragments[-1][0], m.end)
            where = ";".join(f"{a} {b}" for a, b in fragments)
            shown = re.sub(r"[\r\n\t]", " ", " ".join(text[a:b] for a, b in fragments))
            lines.append(f"{ident}\t{LABELS[item.list_name]} {where}\t{shown}")
            note = _note_text(attrs if index == 0 else {}, m.rule)
            if note:
                note_number += 1
                lines.append(f"#{note_number}\tAnnotatorNotes {ident}\t{note}")
        if len(members) > 1:
            lines.append("*\tEquiv " + " ".join(members))
    document = _join_meta(doc, unplaced=unplaced)
    if doc.themes is not None:
        document["themes"] = [t.model_dump(mode="json", exclude={"mentions"}, exclude_none=True) for t in doc.themes]
        if any(t.mentions for t in doc.themes):
            own = dropped is None
            dropped = dropped or _Dropped("BRAT")
            dropped.add("theme evidence mentions", "themes live in the .json beside the .ann", doc.id)
            if own:
                dropped.report(notes)
    return text, "\n".join(lines) + ("\n" if lines else ""), document


_BRAT_CONF = """[entities]
OFFICIAL
ORG
DATE
MONEY

[relations]
Equiv\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric-transitive
<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>

[events]

[attributes]
"""


def _file_stem(doc_id: str, taken: set[str]) -> str:
    stem = re.sub(r"[^\w.-]+", "_", doc_id).strip("._") or "doc"
    candidate, n = stem, 1
    while candidate.lower() in taken:
        n += 1
        candidate = f"{stem}-{n}"
    taken.add(candidate.lower())
    return candidate


def write_brat(docs: Iterable[DocumentExtraction], folder: PathLike, *, notes: Optional[list] = None) -> int:
    """Write ``<id>.txt``, ``<id>.ann`` and ``<id>.json`` per document (and an
    ``annotation.conf`` if the folder has none); return the documents written."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ExtractorError(Errors.E044.format(
            path=folder, msg="BRAT output is a folder, and this is a file. Name a folder."
        ))
    folder.mkdir(parents=True, exist_ok=True)
    conf = folder / "annotation.conf"
    if not conf.exists():
        conf.write_text(_BRAT_CONF, encoding="utf-8")
    taken: set[str] = set()
    dropped = _Dropped("BRAT")
    count = 0
    for doc in docs:
        if not _doc_writable(doc, "BRAT", notes):
            continue
        text, ann, document = to_brat(doc, notes=notes, dropped=dropped)
        stem = _file_stem(doc.id, taken)
        for suffix, content in ((".txt", text), (".ann", ann),
                                (".json", json.dumps(document, ensure_ascii=False, indent=1) + "\n")):
            with (folder / f"{stem}{suffix}").open("w", encoding="utf-8", newline="") as handle:
                handle.write(content)
        count += 1
    dropped.report(notes)
    return count


# --------------------------------------------------------------------------
# Files and format detection


def _load_json_values(path: Path) -> list:
    """The objects of a .json (one object or a list) or .jsonl file."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractorError(Errors.E009.format(path=path, msg=exc.reason)) from None
    stripped = raw.lstrip()
    if stripped.startswith("["):
        try:
            value = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise ExtractorError(Errors.E002.format(path=path, line=exc.lineno, msg=exc.msg)) from None
        return value if isinstance(value, list) else [value]
    values = []
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(raw) and raw[pos].isspace():
            pos += 1
        if pos >= len(raw):
            break
        try:
            value, pos = decoder.raw_decode(raw, pos)
        except json.JSONDecodeError as exc:
            raise ExtractorError(Errors.E002.format(path=path, line=exc.lineno, msg=exc.msg)) from None
        values.append(value)
    return values


def _first_values(path: Path, limit: int = 20) -> list:
    """A few leading objects of a JSON/JSONL file, to tell its format."""
    if path.suffix.lower() == ".json":
        try:
            return _load_json_values(path)[:limit]
        except ExtractorError:
            pass
    values = []
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        for line in handle:
            try:
                values.append(json.loads(line))
            except json.JSONDecodeError:
                continue
            if len(values) >= limit:
                break
    return values


def _json_kind(values: Sequence) -> Optional[str]:
    objects = [v for v in values if isinstance(v, dict)]
    if not objects:
        return None
    # Project gold may carry a Prodigy-style "spans" list too: the lists decide first.
    if any("id" in v and any(name in v for name in LIST_NAMES) for v in objects):
        return "project"
    if any(isinstance(v.get("data"), dict) and ("annotations" in v or "predictions" in v or "data" in v)
           for v in objects):
        return "labelstudio"
    if any("spans" in v or "accept" in v or "options" in v or "_input_hash" in v or "answer" in v for v in objects):
        return "prodigy"
    if any("id" in v and "text" in v for v in objects):
        return "project"
    return None


def detect_format(path: PathLike) -> str:
    """The format of an input: folder or ``.ann`` → brat, ``.spacy`` → docbin,
    JSON/JSONL by content (Label Studio tasks, Prodigy tasks, project records)."""
    path = Path(path)
    formats = ", ".join(FORMATS)
    if not path.exists():
        raise ExtractorError(Errors.E005.format(path=path))
    if path.is_dir():
        if any(path.rglob("*.ann")):
            return "brat"
        if any(path.glob("*.spacy")):
            return "docbin"
        raise ExtractorError(Errors.E041.format(
            path=path, why="a folder without .ann or .spacy files", formats=formats
        ))
    suffix = path.suffix.lower()
    if suffix == ".spacy":
        return "docbin"
    if suffix == ".ann" or (suffix == ".txt" and path.with_suffix(".ann").exists()):
        return "brat"
    if suffix in (".json", ".jsonl", ".ndjson"):
        kind = _json_kind(_first_values(path))
        if kind:
            return kind
        raise ExtractorError(Errors.E041.format(
            path=path, why="its records look like no known format", formats=formats
        ))
    raise ExtractorError(Errors.E041.format(path=path, why=f"unknown suffix '{suffix}'", formats=formats))


def _target_format(path: Path, src_format: str) -> str:
    """The output format from the name: .spacy, a folder, or JSON named for a tool;
    plain JSONL/JSON is the project format, or from project Prodigy (.jsonl)
    and Label Studio (.json)."""
    name = path.name.lower()
    suffix = path.suffix.lower()
    if suffix == ".spacy":
        return "docbin"
    if path.is_dir() or not suffix:
        return "brat"
    if "prodigy" in name:
        return "prodigy"
    if any(k in name for k in ("labelstudio", "label_studio", "label-studio", ".ls.")):
        return "labelstudio"
    if suffix in (".jsonl", ".ndjson", ".json"):
        if src_format != "project":
            return "project"
        return "prodigy" if suffix != ".json" else "labelstudio"
    raise ExtractorError(Errors.E041.format(path=path, why=f"unknown suffix '{suffix}'", formats=", ".join(FORMATS)))


def _check_format(name: Optional[str]) -> Optional[str]:
    if name is None:
        return None
    key = name.lower().replace("-", "").replace("_", "").replace(" ", "")
    aliases = {"spacy": "docbin", "jsonl": "project", "json": "project", "ls": "labelstudio"}
    key = aliases.get(key, key)
    if key not in FORMATS:
        raise ExtractorError(Errors.E040.format(name=name, formats=", ".join(FORMATS)))
    return key


def _check_options(formats: dict[str, str], options: Mapping, known: Iterable[str]) -> None:
    known = set(known)
    for key in options:
        if key not in known:
            raise ExtractorError(Errors.E043.format(
                option=key, formats=" and ".join(f"{k} {v}" for k, v in formats.items()),
                known=", ".join(sorted(known)) or "none",
            ))


def read(
    src: Union[PathLike, Sequence[PathLike]],
    *,
    format: Optional[str] = None,
    notes: Optional[list] = None,
    **options: Any,
) -> list[DocumentExtraction]:
    """Documents from a file or folder in any of :data:`FORMATS` (detected when not given)."""
    fmt = _check_format(format)
    if fmt is None:
        if not isinstance(src, (str, Path)):
            fmt = "brat"
        else:
            fmt = detect_format(src)
    _check_options({"input": fmt}, options, _READ_OPTIONS[fmt])
    options = dict(options)
    if fmt == "brat":
        return read_brat(src, notes=notes, **options)
    path = Path(src)
    if not path.exists():
        raise ExtractorError(Errors.E005.format(path=path))
    if fmt == "project":
        docs, problems = read_documents(path, corpus=options.get("corpus"))
        if notes is not None:
            notes.extend(problems)
        return docs
    if fmt == "docbin":
        from spacy.tokens import DocBin

        lang = options.pop("lang", "en")
        vocab = _blank(lang).vocab
        files = sorted(path.glob("*.spacy")) if path.is_dir() else [path]
        sdocs: list = []
        for file in files:
            try:
                sdocs.extend(DocBin().from_disk(file).get_docs(vocab))
            except Exception as exc:  # DocBin raises bare ValueError/KeyError on foreign bytes
                raise ExtractorError(Errors.E042.format(path=file, format="spaCy DocBin", msg=exc)) from None
        return from_docbin(sdocs, notes=notes, **options)
    values = _load_json_values(path)
    if fmt == "labelstudio":
        if len(values) == 1 and isinstance(values[0], list):
            values = values[0]
        if not all(isinstance(v, dict) for v in values):
            raise ExtractorError(Errors.E042.format(path=path, format="Label Studio", msg="expected a list of tasks"))
        return from_labelstudio(values, notes=notes, **options)
    return from_prodigy(values, notes=notes, **options)


def _project_line(doc: DocumentExtraction) -> dict:
    data = doc.model_dump(mode="json")
    for key in ("release_date", "release_date_source", "issuer", "text", *LIST_NAMES):
        if data.get(key) is None:
            data.pop(key, None)
    for key in ("warnings", "meta"):
        if not data.get(key):
            data.pop(key, None)
    for name in LIST_NAMES:
        for record in data.get(name) or []:
            if not record.get("mentions"):
                record.pop("mentions", None)
            for m in record.get("mentions", []):
                for key in ("sentence", "rule"):
                    if m.get(key) is None:
                        m.pop(key)
    return data


def write(
    docs: Iterable[DocumentExtraction],
    dst: PathLike,
    *,
    format: str,
    notes: Optional[list] = None,
    **options: Any,
) -> list[DocumentExtraction]:
    """Write documents as ``format``; return the documents written."""
    fmt = _check_format(format)
    _check_options({"output": fmt}, options, _WRITE_OPTIONS[fmt])
    docs = list(docs)
    dst = Path(dst)
    if fmt == "brat":
        write_brat(docs, dst, notes=notes)
        return [d for d in docs if d.text is not None]
    dst.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "docbin":
        to_docbin(docs, notes=notes, **options).to_disk(dst)
        return [d for d in docs if d.text is not None]
    if fmt == "project":
        rows = [_project_line(d) for d in docs]
        written = docs
    elif fmt == "prodigy":
        rows = to_prodigy(docs, notes=notes, **options)
        written = [d for d in docs if d.text is not None]
    else:
        rows = to_labelstudio(docs, notes=notes, **options)
        written = [d for d in docs if d.text is not None]
    with dst.open("w", encoding="utf-8", newline="\n") as handle:
        if dst.suffix.lower() == ".json":
            json.dump(rows, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        else:
            for row in rows:
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return written


def convert(
    src: Union[PathLike, Sequence[PathLike]],
    dst: PathLike,
    *,
    src_format: Optional[str] = None,
    dst_format: Optional[str] = None,
    **options: Any,
) -> ConvertSummary:
    """Convert ``src`` to ``dst``, each in one of :data:`FORMATS`.

    Formats are taken from the names when not given: ``.spacy`` is docbin, a
    folder (or ``.ann``) brat, JSON/JSONL by content for ``src``; for ``dst``
    a name with "prodigy" or "labelstudio" in it says so, otherwise plain
    JSONL/JSON is the project format, or, from the project format, Prodigy
    (``.jsonl``) and Label Studio (``.json``).

    Options go to the reader or writer that takes them: ``release_date``,
    ``labels`` (label → list name), ``text_key``, ``themes_from``,
    ``source`` (Label Studio: annotations/predictions/auto), ``cats_threshold``,
    ``corpus`` (texts for a project file without them); ``role``
    (gold/predictions, Label Studio), ``labels_from``, ``tokens`` (Prodigy),
    ``lang``, ``ents`` (DocBin). An option no format takes is an error.
    """
    fmt_in = _check_format(src_format)
    if fmt_in is None:
        fmt_in = detect_format(src) if isinstance(src, (str, Path)) else "brat"
    dst = Path(dst)
    fmt_out = _check_format(dst_format) or _target_format(dst, fmt_in)
    _check_options({"input": fmt_in, "output": fmt_out}, options, (*_READ_OPTIONS[fmt_in], *_WRITE_OPTIONS[fmt_out]))
    read_opts = {k: v for k, v in options.items() if k in _READ_OPTIONS[fmt_in]}
    write_opts = {k: v for k, v in options.items() if k in _WRITE_OPTIONS[fmt_out]}
    notes: list[str] = []
    docs = read(src, format=fmt_in, notes=notes, **read_opts)
    written = write(docs, dst, format=fmt_out, notes=notes, **write_opts)
    records = Counter()
    for doc in written:
        for name in LIST_NAMES:
            records[name] += len(getattr(doc, name) or [])
    return ConvertSummary(
        src=str(src) if isinstance(src, (str, Path)) else ", ".join(map(str, src)),
        dst=str(dst),
        src_format=fmt_in,
        dst_format=fmt_out,
        documents=len(written),
        records={name: records[name] for name in LIST_NAMES},
        notes=notes,
    )
