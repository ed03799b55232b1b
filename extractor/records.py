"""Flatten an annotated ``Doc`` into a validated :class:`DocumentExtraction`.

The one place where spaCy objects become output rows (as medspacy's
``DocConsumer`` does): it reads ``doc.spans`` and ``doc._.records`` following
the contract in :mod:`extractor.extensions`.
"""
from bisect import bisect_right
from typing import Optional

from spacy.tokens import Doc

from .schema import (
    DateRecord,
    DocumentExtraction,
    Mention,
    Official,
    Organisation,
    Pledge,
    Theme,
)

MODELS = {
    "officials": Official,
    "organisations": Organisation,
    "dates": DateRecord,
    "pledges": Pledge,
    "themes": Theme,
}


def _sentence_starts(doc: Doc) -> list[int]:
    if not doc.has_annotation("SENT_START"):
        return [0]
    return [sent.start_char for sent in doc.sents]


def doc_to_record(
    doc: Doc, *, doc_id: str, include_text: bool = True, meta: Optional[dict] = None
) -> DocumentExtraction:
    """Build the output record of one processed document."""
    starts = _sentence_starts(doc)
    source = doc._.source
    original = source.original if source is not None else doc.text
    tables = doc._.records or {}
    lists: dict[str, list] = {}
    for list_name, model in MODELS.items():
        mentions: dict[str, list[Mention]] = {}
        for span in doc.spans.get(list_name, []):
            # Offsets point into the caller's text, not the normalised copy.
            if source is not None and source.changed:
                start, end = source.span_to_original(span.start_char, span.end_char)
            else:
                start, end = span.start_char, span.end_char
            mentions.setdefault(span.kb_id_, []).append(
                Mention(
                    start=start,
                    end=end,
                    text=original[start:end],
                    sentence=bisect_right(starts, span.start_char) - 1,
                    rule=span.id_ or None,
                )
            )
        out = []
        for key, fields in tables.get(list_name, {}).items():
            found = sorted(mentions.get(key, []), key=lambda m: (m.start, m.end))
            out.append(model(**fields, mentions=found))
        lists[list_name] = out
    return DocumentExtraction(
        id=doc_id,
        text=original if include_text else None,
        release_date=doc._.release_date,
        release_date_source=doc._.release_date_source,
        issuer=doc._.issuer,
        warnings=list(doc._.warnings or []),
        meta=dict(meta or doc._.meta or {}),
        **lists,
    )


def merge_records(
    parts: list[tuple[int, int, DocumentExtraction]], *, text: Optional[str]
) -> DocumentExtraction:
    """Merge the records of a document's chunks into one document's records.

    ``parts`` are (character offset, sentence offset, record) per chunk, in
    order. Mentions are shifted into the whole text; the same person,
    organisation, date or theme found in two chunks becomes one record.
    """
    from .gazetteers import fold
    from .titles import name_tokens, same_person

    def shifted(item, offset, sentences):
        return [
            m.model_copy(update={
                "start": m.start + offset,
                "end": m.end + offset,
                "sentence": None if m.sentence is None else m.sentence + sentences,
            })
            for m in item.mentions
        ]

    first = parts[0][2]
    # Indexes, so that merging stays linear in the number of records.
    people_by_token: dict[str, list[Official]] = {}
    orgs_by_form: dict[str, Organisation] = {}
    pledges_by_key: dict[tuple, Pledge] = {}
    officials: list[Official] = []
    organisations: list[Organisation] = []
    dates: dict[tuple, DateRecord] = {}
    pledges: list[Pledge] = []
    themes: dict[str, Theme] = {}
    warnings: list[str] = []
    for offset, sentences, record in parts:
        for w in record.warnings:
            if w not in warnings:
                warnings.append(w)
        for o in record.officials or []:
            mentions = shifted(o, offset, sentences)
            candidates = [p for t in name_tokens(o.name) for p in people_by_token.get(t, [])]
            same = next((p for p in candidates if same_person(o.name, p.name) or same_person(p.name, o.name)), None)
            if same is None:
                person = o.model_copy(update={"mentions": mentions})
                officials.append(person)
                for t in name_tokens(o.name):
                    people_by_token.setdefault(t, []).append(person)
                continue
            better = len(o.name.split()) > len(same.name.split())
            same.mentions.extend(mentions)
            same.name = o.name if better else same.name
            if o.title and (not same.title or len(o.title.split()) > len(same.title.split())):
                same.title = o.title
            same.organisation = same.organisation or o.organisation
            same.country = same.country or o.country
        for g in record.organisations or []:
            mentions = shifted(g, offset, sentences)
            forms = {fold(f) for f in (g.name, g.acronym, *g.aliases) if f}
            same = next((orgs_by_form[f] for f in forms if f in orgs_by_form), None)
            if same is None:
                org = g.model_copy(update={"mentions": mentions})
                organisations.append(org)
                for f in forms:
                    orgs_by_form.setdefault(f, org)
                continue
            for f in forms:
                orgs_by_form.setdefault(f, same)
            same.mentions.extend(mentions)
            if len(g.name) > len(same.name) and g.name != same.acronym:
                same.aliases = sorted({*same.aliases, same.name} - {g.name})
                same.name = g.name
            same.acronym = same.acronym or g.acronym
            same.aliases = sorted({*same.aliases, *g.aliases} - {same.name, same.acronym or ""})
        for d in record.dates or []:
            key = (d.value, d.text if "X" in d.value else None)
            if key in dates:
                dates[key].mentions.extend(shifted(d, offset, sentences))
            else:
                dates[key] = d.model_copy(update={"mentions": shifted(d, offset, sentences)})
        for p in record.pledges or []:
            # The same pledge restated in another chunk is one record, as within a chunk.
            key = (p.amount, p.currency, p.donor, p.recipient)
            same = pledges_by_key.get(key)
            if same is None:
                pledge = p.model_copy(update={"mentions": shifted(p, offset, sentences)})
                pledges.append(pledge)
                pledges_by_key[key] = pledge
            else:
                same.mentions.extend(shifted(p, offset, sentences))
        for t in record.themes or []:
            if t.id in themes:
                themes[t.id].mentions.extend(shifted(t, offset, sentences))
                themes[t.id].score = (themes[t.id].score or 0) + (t.score or 0)
            else:
                themes[t.id] = t.model_copy(update={"mentions": shifted(t, offset, sentences)})
    return first.model_copy(
        update={
            "text": text,
            "officials": officials,
            "organisations": organisations,
            "dates": list(dates.values()),
            "pledges": pledges,
            "themes": sorted(themes.values(), key=lambda t: -(t.score or 0)),
            "warnings": warnings,
        }
    )
