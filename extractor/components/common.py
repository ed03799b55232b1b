"""Matchers shared by several components, built once per pipeline."""
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..gazetteers import Countries


def country_matcher(nlp: Language, countries: Countries) -> PhraseMatcher:
    """Case-sensitive matcher of country names and adjectives.

    Match ids are ``"name:KR"`` or ``"adjective:KR"``.
    """
    matcher = PhraseMatcher(nlp.vocab)
    patterns: dict[str, list] = {}
    for form, code, kind in countries.forms():
        patterns.setdefault(f"{kind}:{code}", []).append(nlp.make_doc(form))
    for key, docs in patterns.items():
        matcher.add(key, docs)
    return matcher


def country_index(doc: Doc, matcher: PhraseMatcher) -> dict[int, tuple[int, str, str]]:
    """Map each matched span's first token to (end, kind, code); longest match wins."""
    index: dict[int, tuple[int, str, str]] = {}
    for match_id, start, end in matcher(doc):
        kind, code = doc.vocab.strings[match_id].split(":", 1)
        if start not in index or end > index[start][0]:
            index[start] = (end, kind, code)
    return index
