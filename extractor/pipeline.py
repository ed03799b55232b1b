"""Build the spaCy pipeline and run it: the library's entry points.

>>> import extractor
>>> result = extractor.extract("Secretary Blinken met ...", release_date="2022-05-01")
>>> ex = extractor.load()
>>> for record in ex.pipe([{"id": "a", "text": "..."}]):
...     print(record.model_dump_json())
"""
import datetime as _dt
import re
import signal
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Optional, Union

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import components  # noqa: F401  (registers the factories)
from .assets import PathLike, read_json
from .errors import Errors, ExtractorError, Warnings
from .extensions import register_extensions, warn
from .normalize import normalise_text
from .records import doc_to_record, merge_records
from .schema import DocumentExtraction

DateLike = Union[str, _dt.date, None]
_ISSUER = re.compile(r"^[A-Z]{2}$")
# Longer documents are processed in chunks of at most this many characters.
CHUNK_CHARS = 200_000


class DocumentTimeout(BaseException):
    """The per-document time limit ran out (a BaseException, so that a
    component's own ``except Exception`` cannot swallow it)."""


@contextmanager
def _time_limit(seconds: Optional[float]):
    """Raise DocumentTimeout after ``seconds`` (POSIX main thread only)."""
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise DocumentTimeout()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def split_chunks(text: str, size: int) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into (offset, chunk) pieces of at most ``size`` characters,
    at a paragraph break, else a line break, else a sentence end, else a space."""
    start = 0
    n = len(text)
    while n - start > size:
        window = text[start : start + size]
        cut = -1
        for sep in ("\n\n", "\n", ". ", " "):
            cut = window.rfind(sep, size // 2)
            if cut >= 0:
                cut += len(sep)
                break
        if cut <= 0:
            cut = size
        yield start, text[start : start + cut]
        start += cut
    if start < n or n == 0:
        yield start, text[start:]


@dataclass
class InputDocument:
    """One text to process, with the metadata that travels with it."""

    text: str
    id: Optional[str] = None
    release_date: DateLike = None
    issuer: Optional[str] = None
    meta: dict = field(default_factory=dict)


def parse_release_date(value: DateLike) -> Optional[_dt.date]:
    """Validate a caller-given release date (ISO string or date)."""
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ExtractorError(Errors.E003.format(value=value)) from None


def parse_issuer(value: Optional[str]) -> Optional[str]:
    """Validate a caller-given issuer country code."""
    if value is None or value == "":
        return None
    code = value.strip().upper()
    if not _ISSUER.match(code):
        raise ExtractorError(Errors.E004.format(value=value))
    return code


def build_nlp(
    config: PathLike = "config.json", *, overrides: Optional[dict[str, dict]] = None
) -> Language:
    """A blank English pipeline with the extractor's components from ``config``.

    ``overrides`` maps a component name to config values that replace the
    defaults (for example ``{"extractor_themes": {"taxonomy": "my.json"}}``).
    """
    register_extensions()
    spec = read_json(config)
    nlp = spacy.blank(spec.get("lang", "en"))
    for name, cfg in spec["pipeline"]:
        merged = {**cfg, **(overrides or {}).get(name, {})}
        nlp.add_pipe(name, config=merged)
    return nlp


class Extractor:
    """A loaded pipeline: ``extract`` one text, ``pipe`` many."""

    def __init__(
        self,
        nlp: Language,
        *,
        include_text: bool = True,
        config: PathLike = "config.json",
        taxonomy: Optional[PathLike] = None,
        timeout_per_doc: Optional[float] = None,
        chunk_chars: int = CHUNK_CHARS,
    ) -> None:
        self.nlp = nlp
        self.include_text = include_text
        self.timeout_per_doc = timeout_per_doc
        self.chunk_chars = chunk_chars
        # How the pipeline was built, so worker processes can build the same one.
        self.config = str(config)
        self.taxonomy = str(taxonomy) if taxonomy else None

    def make_doc(
        self,
        text: str,
        *,
        release_date: DateLike = None,
        issuer: Optional[str] = None,
        meta: Optional[dict] = None,
    ) -> Doc:
        """Normalise and tokenise ``text``, attach the caller's metadata (no components run)."""
        source = normalise_text(text)
        doc = self.nlp.make_doc(source.text)
        doc._.source = source
        doc._.release_date = parse_release_date(release_date)
        doc._.release_date_source = "caller" if doc._.release_date else None
        doc._.issuer = parse_issuer(issuer)
        doc._.records = {}
        doc._.warnings = []
        doc._.meta = dict(meta or {})
        if not text.strip():
            warn(doc, "document is empty")
        return doc

    def process(self, text: str, **kwargs: Any) -> Doc:
        """Run the pipeline and return the annotated ``Doc``."""
        return self.nlp(self.make_doc(text, **kwargs))

    def extract(
        self,
        text: str,
        *,
        release_date: DateLike = None,
        issuer: Optional[str] = None,
        doc_id: str = "doc",
    ) -> DocumentExtraction:
        """Extract one text (long texts in chunks, as :meth:`pipe` does).

        Raises :class:`ExtractorError` for bad metadata or when the document
        cannot be extracted (the cause and its code are in the message).
        """
        parse_release_date(release_date)
        parse_issuer(issuer)
        result = self.extract_one(
            InputDocument(text=text, id=doc_id, release_date=release_date, issuer=issuer)
        )
        if isinstance(result, Failure):
            raise ExtractorError(result.cause)
        return result

    def extract_one(self, item: "InputDocument") -> Union[DocumentExtraction, "Failure"]:
        """Extract one input; a failure (bad metadata, a component raising, the
        time limit) is returned, not raised."""
        try:
            with _time_limit(self.timeout_per_doc):
                return self._extract(item)
        except DocumentTimeout:
            return Failure(id=item.id, cause=Errors.E021.format(seconds=self.timeout_per_doc), meta=item.meta)

    def _run(self, text: str, item: "InputDocument", **kwargs: Any) -> Union[Doc, "Failure"]:
        try:
            doc = self.make_doc(text, meta={**item.meta, "id": item.id}, **kwargs)
        except ExtractorError as exc:
            return Failure(id=item.id, cause=str(exc), meta=item.meta)
        for name, proc in self.nlp.pipeline:
            try:
                doc = proc(doc)
            except Exception as exc:  # noqa: BLE001 - one document must never end a batch
                cause = Errors.E015.format(component=name, error=f"{type(exc).__name__}: {exc}")
                return Failure(id=item.id, cause=cause, meta=item.meta)
        return doc

    def _extract(self, item: "InputDocument") -> Union[DocumentExtraction, "Failure"]:
        meta = {k: v for k, v in item.meta.items() if k != "id"}
        if len(item.text) <= self.chunk_chars:
            doc = self._run(item.text, item, release_date=item.release_date, issuer=item.issuer)
            if isinstance(doc, Failure):
                return doc
            return doc_to_record(doc, doc_id=item.id, include_text=self.include_text, meta=meta)
        # A long document (a transcript, a merged dump) is processed a chunk at
        # a time, cut at paragraph or sentence ends, so memory stays bounded and
        # spaCy's max_length never refuses it; the records are merged after.
        parts = []
        release_date, issuer, sentences = item.release_date, item.issuer, 0
        first = None
        for offset, chunk in split_chunks(item.text, self.chunk_chars):
            doc = self._run(chunk, item, release_date=release_date, issuer=issuer)
            if isinstance(doc, Failure):
                return doc
            record = doc_to_record(doc, doc_id=item.id, include_text=False, meta=meta)
            if first is None:
                first = record
                release_date, issuer = doc._.release_date, doc._.issuer
            parts.append((offset, sentences, record))
            sentences += sum(1 for _ in doc.sents)
        return merge_records(parts, text=item.text if self.include_text else None)

    def pipe(
        self,
        items: Iterable[Union[str, dict, "InputDocument"]],
        *,
        batch_size: int = 32,
        n_process: int = 1,
        failures: str = "skip",
    ) -> Iterator[Union[DocumentExtraction, "Failure"]]:
        """Extract many texts, in input order; ids and metadata travel with them.

        Items are strings, dicts with ``text`` (and optionally ``id``,
        ``release_date``, ``issuer``, ``meta``) or :class:`InputDocument`.
        A document that fails is skipped with a warning (``failures="skip"``)
        or yielded as a :class:`Failure` (``failures="yield"``); either way
        the batch goes on. With ``n_process`` > 1 a pool of worker processes,
        each with its own pipeline, extracts the documents; the output is the
        same, in the same order.
        """
        inputs = (_as_input(item, number) for number, item in enumerate(items))
        if n_process > 1:
            results = _pool_map(self, inputs, n_process=n_process, batch_size=batch_size)
        else:
            results = (self.extract_one(doc_in) for doc_in in inputs)
        for result in results:
            if isinstance(result, Failure) and failures != "yield":
                warnings.warn(Warnings.W005.format(id=result.id, cause=result.cause), stacklevel=2)
                continue
            yield result


@dataclass
class Failure:
    """A document that could not be extracted, with the cause."""

    id: Optional[str]
    cause: str
    meta: dict = field(default_factory=dict)


_WORKER: Optional["Extractor"] = None


def _init_worker(spec: dict) -> None:
    global _WORKER
    _WORKER = load(
        spec["config"],
        taxonomy=spec["taxonomy"],
        include_text=spec["include_text"],
        timeout_per_doc=spec["timeout_per_doc"],
        chunk_chars=spec["chunk_chars"],
    )


def _work(item: "InputDocument"):
    assert _WORKER is not None
    return _WORKER.extract_one(item)


def _pool_map(ex: "Extractor", inputs: Iterator["InputDocument"], *, n_process: int, batch_size: int):
    import multiprocessing

    spec = {
        "config": ex.config,
        "taxonomy": ex.taxonomy,
        "include_text": ex.include_text,
        "timeout_per_doc": ex.timeout_per_doc,
        "chunk_chars": ex.chunk_chars,
    }
    with multiprocessing.get_context("spawn").Pool(
        n_process, initializer=_init_worker, initargs=(spec,)
    ) as pool:
        # imap keeps input order; chunks of batch_size amortise the IPC.
        yield from pool.imap(_work, inputs, chunksize=batch_size)


def _as_input(item: Union[str, dict, InputDocument], number: int) -> InputDocument:
    if isinstance(item, InputDocument):
        doc_in = item
    elif isinstance(item, str):
        doc_in = InputDocument(text=item)
    else:
        known = {"text", "id", "release_date", "issuer", "meta"}
        doc_in = InputDocument(**{k: v for k, v in item.items() if k in known})
    if doc_in.id is None:
        doc_in.id = f"doc-{number + 1}"
    return doc_in


_DEFAULT: Optional[Extractor] = None


def load(
    config: PathLike = "config.json",
    *,
    taxonomy: Optional[PathLike] = None,
    include_text: bool = True,
    timeout_per_doc: Optional[float] = None,
    chunk_chars: int = None,
) -> Extractor:
    """Load the extractor.

    ``taxonomy`` is a user theme taxonomy of the shipped shape;
    ``timeout_per_doc`` (seconds) turns a runaway document into a failure;
    documents longer than ``chunk_chars`` are processed in chunks.
    """
    overrides = {"extractor_themes": {"taxonomy": str(taxonomy)}} if taxonomy else None
    return Extractor(
        build_nlp(config, overrides=overrides),
        include_text=include_text,
        config=config,
        taxonomy=taxonomy,
        timeout_per_doc=timeout_per_doc,
        chunk_chars=chunk_chars or CHUNK_CHARS,
    )


def extract(
    text: str, *, release_date: DateLike = None, issuer: Optional[str] = None
) -> DocumentExtraction:
    """Extract one text with the default pipeline (loaded once per process)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load()
    return _DEFAULT.extract(text, release_date=release_date, issuer=issuer)
