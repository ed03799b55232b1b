"""Information extraction from diplomatic and government press releases.

>>> import extractor
>>> record = extractor.extract(text, release_date="2024-02-29")
>>> record.officials[0].name
"""
from .errors import ExtractorError
from .pipeline import Extractor, InputDocument, build_nlp, extract, load
from .schema import DocumentExtraction, json_schema

__version__ = "0.1.0"
__all__ = [
    "DocumentExtraction",
    "Extractor",
    "ExtractorError",
    "InputDocument",
    "build_nlp",
    "extract",
    "json_schema",
    "load",
]
