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
