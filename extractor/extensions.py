"""Custom attributes shared by the pipeline's components.

The contract between components and the record builder:

* ``doc.spans[LIST]`` (``LIST`` one of ``officials``, ``organisations``,
  ``dates``, ``pledges``, ``themes``) holds every *mention*. A mention span's
  ``kb_id_`` is the key of the record it belongs to, its ``id_`` is the rule or
  gazetteer entry that produced it, its ``label_`` the type.
* ``doc._.records[LIST][key]`` holds that record's fields as a plain dict
  (exactly the fields of the matching model in :mod:`extractor.schema`, minus
  ``mentions``), in the order records should be output.

Span extension values are stored by character offsets, so two records sharing
one span (a distributive pledge) cannot keep their fields on the span itself:
that is why fields live on the Doc.
"""
from spacy.tokens import Doc

DOC_ATTRS = {
    "release_date": None,  # datetime.date | None
    "release_date_source": None,  # "caller" | "header" | None
    "issuer": None,  # ISO 3166-1 alpha-2 of the issuing government
    "records": None,  # dict[str, dict[str, dict]]
    "warnings": None,  # list[str]
    "meta": None,  # dict carried from the input record
    "source": None,  # normalize.NormalisedText: the caller's text and the offset map
}


def register_extensions() -> None:
    """Register the ``Doc._`` attributes (idempotent)."""
    for name, default in DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def records(doc: Doc, list_name: str) -> dict:
    """The record table of one list, created on first use."""
    if doc._.records is None:
        doc._.records = {}
    return doc._.records.setdefault(list_name, {})


def warn(doc: Doc, message: str) -> None:
    """Attach a warning to the document (shown in its output record)."""
    if doc._.warnings is None:
        doc._.warnings = []
    if message not in doc._.warnings:
        doc._.warnings.append(message)


register_extensions()
