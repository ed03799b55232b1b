"""Read input documents from files, folders, globs, JSONL, CSV, HTML and stdin.

Everything is a generator: a batch streams, and one bad record becomes an
:class:`InputError` in the stream (with file, line or row, and cause) instead
of ending the batch.

Supported files: plain text (``.txt .md .text``), JSON Lines or JSON
(``.jsonl .ndjson .json``), CSV with a header row (``.csv``) and web pages
(``.html .htm``), each also gzip-compressed (``a.jsonl.gz``). Ids are stable:
a record's id field, else the file's path relative to the input root without
its suffixes, and ``"<file id>:<line or row>"`` for records of a JSONL or CSV
file that carry no id.

Bytes become text through :mod:`extractor.decoding`: UTF-8 (with or without a
byte-order mark), UTF-16/32 with a mark, legacy encodings with a W006 message
in the document's ``meta["decoding_warning"]``; a binary file (PDF, ZIP, NUL
bytes ...) is one E022 error.
"""
import csv
import glob as _glob
import gzip
import json
import os
import re
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Callable, Iterable, Iterator, Optional, TextIO, Union

from bs4.builder import ParserRejectedMarkup

from .decoding import (
    LineDecoder,
    NotText,
    UndecodableLine,
    decode_bytes,
    declared_charset,
    has_lone_surrogate,
    replace_lone_surrogates,
)
from .errors import Errors
from .html import html_to_text
from .pipeline import InputDocument

TEXT_SUFFIXES = {".txt", ".md", ".text"}
JSON_SUFFIXES = {".jsonl", ".json", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm"}
CSV_SUFFIXES = {".csv"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | JSON_SUFFIXES | HTML_SUFFIXES | CSV_SUFFIXES
GZIP_SUFFIX = ".gz"
_GLOB_CHARS = set("*?[")
# json.loads recurses once per level of nesting: "[[[[..." raises RecursionError.
_TOO_DEEP = "JSON nested too deeply to read (not a record)"


@dataclass
class InputError:
    """A document that could not be read; reported, never fatal to a batch."""

    location: str
    message: str
    id: Optional[str] = None


Item = Union[InputDocument, InputError]


@dataclass(frozen=True)
class Keys:
    """Field names of JSON records and column names of CSV files."""

    text: str = "text"
    id: str = "id"
    date: str = "release_date"


def file_type(name: str) -> tuple[str, bool]:
    """The lower-case type suffix of a file name and whether it is gzipped.

    ``"a.JSONL.gz"`` gives ``(".jsonl", True)``, ``"b.txt"`` ``(".txt", False)``.
    """
    path = PurePosixPath(name)
    compressed = path.suffix.lower() == GZIP_SUFFIX
    if compressed:
        path = path.with_suffix("")
    return path.suffix.lower(), compressed


def is_supported(name: str) -> bool:
    """Whether a file of this name is read (type suffix known, gzipped or not)."""
    return file_type(name)[0] in SUPPORTED_SUFFIXES


def file_id(path: Path, root: Path) -> str:
    """The id of a file: its path relative to ``root`` without type and ``.gz`` suffixes.

    Only known suffixes go: ``"2024/brief.v2.txt.gz"`` gives ``"2024/brief.v2"``.
    A path outside ``root`` keeps its name only.
    """
    try:
        rel = PurePosixPath(path.relative_to(root).as_posix())
    except ValueError:
        rel = PurePosixPath(path.name)
    kind, compressed = file_type(rel.name)
    if compressed:
        rel = rel.with_suffix("")
    if kind in SUPPORTED_SUFFIXES:
        rel = rel.with_suffix("")
    return rel.as_posix()


def glob_matcher(pattern: str) -> Callable[[str], bool]:
    """A test of a relative POSIX path against a glob pattern.

    ``*`` and ``?`` stay within one folder, ``**/`` spans any number of
    folders (none included), ``[...]`` is a character class. A pattern
    without ``/`` is matched against the file name at any depth (``"*.html"``);
    one with ``/`` against the whole relative path (``"2024/**/*.txt"``).
    """
    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.lstrip("/")
    regex = re.compile(_glob_regex(pattern) + r"\Z", re.DOTALL)
    if "/" in pattern:
        return lambda rel: regex.match(rel) is not None
    return lambda rel: regex.match(rel.rsplit("/", 1)[-1]) is not None


def _glob_regex(pattern: str) -> str:
    out, i, n = [], 0, len(pattern)
    while i < n:
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = i + 1
            if end < n and pattern[end] in "!^":
                end += 1
            if end < n and pattern[end] == "]":
                end += 1
            while end < n and pattern[end] != "]":
                end += 1
            if end >= n:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                if body[:1] in "!^" and body:
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _walk(folder: Path, root: Path, glob: Optional[str]) -> list[Path]:
    """The files under ``folder`` to read, sorted by their path relative to ``root``.

    Hidden files and folders (``.git``, ``.DS_Store``, macOS ``._`` twins) are
    skipped; symlinked folders are not followed, so a link loop cannot hang a batch.
    """
    match = glob_matcher(glob) if glob else None
    found = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            path = Path(here, name)
            rel = path.relative_to(root).as_posix()
            if (match(rel) if match else is_supported(name)):
                found.append(path)
    return sorted(found, key=lambda p: _rel_parts(p, root))


def _rel_parts(path: Path, root: Path) -> tuple[str, ...]:
    try:
        return path.relative_to(root).parts
    except ValueError:
        return path.parts


def _glob_root(pattern: str) -> Path:
    """The folder a glob pattern starts from: its leading parts without wildcards."""
    parts = Path(pattern).parts[:-1]
    fixed = []
    for part in parts:
        if _GLOB_CHARS & set(part):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def expand_inputs(inputs: Iterable[str], *, glob: Optional[str] = None) -> Iterator[tuple[Path, Path]]:
    """Yield (file, root) for each input path, folder (recursive) or glob.

    ``root`` is what ids are made relative to: the folder for a folder input,
    the parent for a file, the fixed start of the pattern for a glob input
    (``data/**/*.txt`` gives ids relative to ``data``). ``glob`` filters the
    files found in folders by their path relative to that root (see
    :func:`glob_matcher`); without it, every supported file is taken.
    Explicitly named files are always taken. ``-`` is yielded as is.
    Raises :class:`FileNotFoundError` with code E005 for a missing input,
    before yielding anything, so a typo in the last input is not found after
    a long batch.
    """
    resolved = []
    for raw in inputs:
        path = Path(raw)
        if raw == "-" or path.exists():
            resolved.append((raw, None))
        elif _GLOB_CHARS & set(raw) and (matches := sorted(_glob.glob(raw, recursive=True))):
            resolved.append((raw, matches))
        else:
            raise FileNotFoundError(Errors.E005.format(path=raw))
    for raw, matches in resolved:
        path = Path(raw)
        if raw == "-":
            yield Path("-"), Path(".")
        elif matches is not None:
            root = _glob_root(raw)
            # "data/**" matches folders and the files in them: each file once.
            files = set()
            for match in map(Path, matches):
                files.update(_walk(match, root, glob) if match.is_dir() else [match])
            for child in sorted(files, key=lambda p: _rel_parts(p, root)):
                yield child, root
        elif path.is_dir():
            for child in _walk(path, path, glob):
                yield child, path
        else:
            yield path, path.parent


def read_records(
    lines: Iterable[str],
    *,
    location: str,
    keys: Keys,
    id_prefix: str,
    json_document: Optional[bool] = None,
) -> Iterator[Item]:
    """Parse JSON Lines (or one JSON document) into inputs and errors.

    ``json_document`` says the lines are one JSON document (a record or a
    list of records), not JSON Lines; by default, when ``location`` ends in
    ``.json``. JSON Lines are parsed one line at a time.
    """
    if json_document is None:
        json_document = location.lower().endswith(".json")
    if json_document:
        source = "".join(lines)
        try:
            data = _without_lone_surrogates(json.loads(source), source)
        except json.JSONDecodeError as exc:
            yield InputError(location, Errors.E010.format(path=location, line=exc.lineno, msg=exc.msg))
            return
        except RecursionError:
            yield InputError(location, Errors.E010.format(path=location, line=1, msg=_TOO_DEEP))
            return
        rows = data if isinstance(data, list) else [data]
        numbered: Iterable = ((i + 1, row) for i, row in enumerate(rows))
    else:
        numbered = _jsonl_rows(lines, location)
    for number, row in numbered:
        if isinstance(row, InputError):
            yield row
            continue
        yield _record_to_input(row, number=number, location=location, keys=keys, id_prefix=id_prefix)


def _without_lone_surrogates(value: object, source: str) -> object:
    """``value`` with lone surrogates (JSON escapes such as ``"\\ud800"``) as U+FFFD.

    They cannot be encoded as UTF-8, so spaCy and the output writer would fail
    on the record; the replacement keeps the text's length and offsets.
    """
    # Only a \u escape can make one (JSON has no \U); strict decoding never does.
    if "\\u" not in source:
        return value
    return _replace_surrogates(value)


def _replace_surrogates(value: object) -> object:
    if isinstance(value, str):
        return replace_lone_surrogates(value) if has_lone_surrogate(value) else value
    if isinstance(value, list):
        return [_replace_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_replace_surrogates(key): _replace_surrogates(item) for key, item in value.items()}
    return value


def _jsonl_rows(lines: Iterable[str], location: str) -> Iterator[tuple[int, object]]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, _without_lone_surrogates(json.loads(line), line)
        except json.JSONDecodeError as exc:
            yield number, InputError(
                f"{location}:{number}",
                Errors.E010.format(path=location, line=number, msg=f"invalid JSON ({exc.msg})"),
            )
        except RecursionError:
            yield number, InputError(
                f"{location}:{number}", Errors.E010.format(path=location, line=number, msg=_TOO_DEEP)
            )


def _record_to_input(row: object, *, number: int, location: str, keys: Keys, id_prefix: str) -> Item:
    where = f"{location}:{number}"
    if not isinstance(row, dict):
        return InputError(where, Errors.E010.format(path=location, line=number, msg="not a JSON object"))
    doc_id = row.get(keys.id)
    doc_id = str(doc_id) if doc_id not in (None, "") else f"{id_prefix}:{number}"
    text = row.get(keys.text)
    if text is None:
        return InputError(where, Errors.E006.format(path=location, line=number, key=keys.text), doc_id)
    if not isinstance(text, str):
        return InputError(
            where,
            Errors.E007.format(path=location, line=number, key=keys.text, type=type(text).__name__),
            doc_id,
        )
    date = row.get(keys.date)
    meta = {k: v for k, v in row.items() if k not in {keys.text, keys.id, keys.date}}
    return InputDocument(text=text, id=doc_id, release_date=date, meta=meta)


def read_csv_records(
    lines: Iterable[str], *, location: str, keys: Keys, id_prefix: str
) -> Iterator[Item]:
    """Parse CSV with a header row into inputs and errors, one row at a time.

    ``lines`` keep their line endings, as a file opened with ``newline=""``
    gives, so quoted line breaks survive. Rows are numbered from 1 after the header, blank rows
    included (and skipped); a record without an id is ``"<id_prefix>:<row>"``.
    The columns other than text, id and date go to ``meta``.
    """
    # strict: an unterminated quote is an error, not a field that swallows the rest of the file.
    reader = csv.reader(lines, strict=True)
    header: Optional[list[str]] = None
    row_number = 0
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if header is None:
                columns = f"unreadable: {exc}"
                yield InputError(location, Errors.E017.format(path=location, key=keys.text, columns=columns))
                return
            row_number += 1
            yield InputError(
                f"{location}:{line}",
                Errors.E019.format(path=location, row=row_number, line=line, msg=exc),
            )
            continue
        if header is None:
            if not row:
                continue
            header = [name.strip() for name in row]
            if keys.text not in header:
                columns = ", ".join(repr(name) for name in header)
                yield InputError(location, Errors.E017.format(path=location, key=keys.text, columns=columns))
                return
            continue
        row_number += 1
        if not any(row):
            continue
        yield _csv_row_to_input(
            header, row, row=row_number, line=line, location=location, keys=keys, id_prefix=id_prefix
        )
    if header is None:
        yield InputError(location, Errors.E017.format(path=location, key=keys.text, columns="empty file"))


def _csv_row_to_input(
    header: list[str],
    fields: list[str],
    *,
    row: int,
    line: int,
    location: str,
    keys: Keys,
    id_prefix: str,
) -> Item:
    where = f"{location}:{line}"
    record = dict(zip(header, fields))
    doc_id = record.get(keys.id) or f"{id_prefix}:{row}"
    if len(fields) > len(header) and any(fields[len(header):]):
        msg = f"{len(fields)} fields but the header has {len(header)}"
        return InputError(where, Errors.E019.format(path=location, row=row, line=line, msg=msg), doc_id)
    if keys.text not in record:
        return InputError(
            where,
            Errors.E018.format(
                path=location, row=row, line=line, key=keys.text, count=len(fields), width=len(header)
            ),
            doc_id,
        )
    meta = {k: v for k, v in record.items() if k and k not in {keys.text, keys.id, keys.date}}
    return InputDocument(
        text=record[keys.text], id=doc_id, release_date=record.get(keys.date) or None, meta=meta
    )


def _open_bytes(path: Path, *, compressed: bool) -> IO[bytes]:
    return gzip.open(path, "rb") if compressed else path.open("rb")


def _with_line_warnings(items: Iterable[Item], lines: LineDecoder, location: str) -> Iterator[Item]:
    # A record is yielded right after the lines it was parsed from were
    # decoded, so the lines decoded since the last record are its own.
    for item in items:
        warning = lines.warning(location, lines.pop_pending())
        if warning and isinstance(item, InputDocument):
            item.meta["decoding_warning"] = warning
        yield item


def _with_warning(items: Iterable[Item], warning: Optional[str]) -> Iterator[Item]:
    for item in items:
        if warning and isinstance(item, InputDocument):
            item.meta["decoding_warning"] = warning
        yield item


def _universal_newlines(text: str) -> str:
    # As text-mode reading gives.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_error(location: str, exc: UndecodableLine) -> str:
    if exc.bom:
        return Errors.E023.format(path=location, encoding=exc.encoding.upper(), msg=exc)
    return Errors.E009.format(path=location, msg=exc)


def read_file(path: Path, *, root: Path, keys: Keys = Keys()) -> Iterator[Item]:
    """Every document of one file (any supported type, gzipped or not), in order.

    Bytes are decoded by :mod:`extractor.decoding`: a byte-order mark
    (UTF-8, UTF-16, UTF-32) is honoured; lines that are not UTF-8 are decoded
    with a legacy encoding and the document carries a W006 message in
    ``meta["decoding_warning"]``; a binary file (PDF, ZIP, NUL bytes ...) is
    one :class:`InputError` (E022). A file that cannot be read or decoded
    ends in an :class:`InputError`; the records before the fault have been
    yielded. JSON Lines and CSV are decoded as they stream.
    """
    location = str(path)
    kind, compressed = file_type(path.name)
    doc_id = file_id(path, root)
    # Errors of a one-document file carry its id, so an id filter keeps them.
    error_id = doc_id if kind in TEXT_SUFFIXES | HTML_SUFFIXES else None
    try:
        if kind == ".json":
            with _open_bytes(path, compressed=compressed) as raw:
                decoded = decode_bytes(raw.read())
            yield from _with_warning(
                read_records([decoded.text], location=location, keys=keys, id_prefix=doc_id, json_document=True),
                decoded.warning(location),
            )
        elif kind in JSON_SUFFIXES:
            with _open_bytes(path, compressed=compressed) as raw:
                lines = LineDecoder(raw, strip_line_boms=True)
                yield from _with_line_warnings(
                    read_records(lines, location=location, keys=keys, id_prefix=doc_id, json_document=False),
                    lines,
                    location,
                )
        elif kind in CSV_SUFFIXES:
            with _open_bytes(path, compressed=compressed) as raw:
                lines = LineDecoder(raw)
                yield from _with_line_warnings(
                    read_csv_records(lines, location=location, keys=keys, id_prefix=doc_id), lines, location
                )
        elif kind in TEXT_SUFFIXES:
            with _open_bytes(path, compressed=compressed) as raw:
                decoded = decode_bytes(raw.read())
            meta = {"path": location}
            if warning := decoded.warning(location):
                meta["decoding_warning"] = warning
            yield InputDocument(text=_universal_newlines(decoded.text), id=doc_id, meta=meta)
        elif kind in HTML_SUFFIXES:
            with _open_bytes(path, compressed=compressed) as raw:
                data = raw.read()
            decoded = decode_bytes(data, declared=declared_charset(data))
            text, meta = html_to_text(_universal_newlines(decoded.text))
            date = meta.pop("release_date", None)
            if warning := decoded.warning(location):
                meta["decoding_warning"] = warning
            yield InputDocument(text=text, id=doc_id, release_date=date, meta={"path": location, **meta})
        else:
            yield InputError(location, Errors.E016.format(path=location))
    except NotText as exc:
        yield InputError(location, Errors.E022.format(path=location, kind=exc.kind, fix=exc.fix), error_id)
    except UndecodableLine as exc:
        yield InputError(location, _decode_error(location, exc), error_id)
    except (OSError, EOFError, zlib.error, ParserRejectedMarkup) as exc:
        yield InputError(location, Errors.E020.format(path=location, msg=exc), error_id)


def _read_stdin(stream: TextIO) -> Union[tuple[str, Optional[str]], InputError]:
    """The text of stdin and its W006 message, decoded from its bytes where it has them.

    Decoded as :func:`read_file` decodes a file, so a legacy or binary stream
    is a warning or an :class:`InputError`, not a crash of the reader.
    """
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        return stream.read(), None
    try:
        decoded = decode_bytes(buffer.read())
    except NotText as exc:
        return InputError("<stdin>", Errors.E022.format(path="<stdin>", kind=exc.kind, fix=exc.fix), "stdin")
    except UndecodableLine as exc:
        return InputError("<stdin>", _decode_error("<stdin>", exc), "stdin")
    return _universal_newlines(decoded.text), decoded.warning("<stdin>")


def read_inputs(
    inputs: Iterable[str],
    *,
    keys: Keys = Keys(),
    stdin: Optional[TextIO] = None,
    glob: Optional[str] = None,
) -> Iterator[Item]:
    """Every document of every input, in order.

    ``glob`` filters the files found in folder inputs (``"*.html"``,
    ``"**/*.txt"``; see :func:`expand_inputs`). A missing input raises
    :class:`FileNotFoundError` (E005) when the stream reaches it; any other
    fault is an :class:`InputError` in the stream.
    """
    for path, root in expand_inputs(inputs, glob=glob):
        if str(path) == "-":
            read = _read_stdin(stdin or sys.stdin)
            if isinstance(read, InputError):
                yield read
                continue
            content, warning = read
            if content.lstrip().startswith("{"):
                # Not splitlines(): JSON strings may hold U+2028, U+0085 ... raw.
                records = read_records(
                    content.split("\n"), location="<stdin>", keys=keys, id_prefix="stdin",
                    json_document=False,
                )
                yield from _with_warning(records, warning)
            else:
                yield InputDocument(
                    text=content, id="stdin", meta={"decoding_warning": warning} if warning else {}
                )
            continue
        yield from read_file(path, root=root, keys=keys)


def read_id_list(path: Path) -> set[str]:
    """Ids from a file: one a line, or JSON Lines records with an ``id`` field."""
    wanted = set()
    with Path(path).open(encoding="utf-8-sig") as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            if line.startswith("{"):
                wanted.add(str(json.loads(line).get("id")))
            else:
                wanted.add(line)
    return wanted
