"""Placeholder: replaced by the real component (being written)."""
from typing import Optional

from spacy.language import Language
from spacy.tokens import Doc


@Language.factory("extractor_themes", assigns=["doc.spans"], default_config={"taxonomy": None})
def make_themes(nlp: Language, name: str, taxonomy: Optional[str]):
    def component(doc: Doc) -> Doc:
        return doc

    return component
