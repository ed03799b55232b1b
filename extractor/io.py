"""Read input documents from files, folders, globs, JSONL and stdin.

Everything is a generator: a batch streams, and one bad record becomes an
:class:`InputError` in the stream (with file, line and cause) instead of
ending the batch.
"""
import glob
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Optional, TextIO, Union

from .errors import Errors
from .pipeline import InputDocument

TEXT_SUFFIXES = {".txt", ".md", ".text"}
JSON_SUFFIXES = {".jsonl", ".json", ".ndjson"}
_GLOB_CHARS = set("*?[")


@dataclass
class InputError:
    """A document that could not be read; reported, never fatal to a batch."""

    location: str
    message: str
    id: Optional[str] = None


Item = Union[InputDocument, InputError]


@dataclass(frozen=True)
class Keys:
    """Field names of JSON records."""

    text: str = "text"
    id: str = "id"
    date: str = "release_date"


def expand_inputs(inputs: Iterable[str]) -> Iterator[tuple[Path, Path]]:
    """Yield (file, root) for each input path, folder (recursive) or glob.

    ``root`` is what ids are made relative to. ``-`` is yielded as is.
    Raises :class:`FileNotFoundError` with code E005 for a missing input.
    """
    for raw in inputs:
        if raw == "-":
            yield Path("-"), Path(".")
            continue
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in TEXT_SUFFIXES | JSON_SUFFIXES:
                    yield child, path
        elif path.is_file():
            yield path, path.parent
        elif _GLOB_CHARS & set(raw):
            matches = sorted(glob.glob(raw, recursive=True))
            if not matches:
                raise FileNotFoundError(Errors.E005.format(path=raw))
            for match in matches:
                yield Path(match), Path(".")
        else:
            raise FileNotFoundError(Errors.E005.format(path=raw))


def _doc_id(path: Path, root: Path) -> str:
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = Path(path.name)
    return rel.with_suffix("").as_posix()


def read_records(
    lines: Iterable[str], *, location: str, keys: Keys, id_prefix: str
) -> Iterator[Item]:
    """Parse JSON Lines (or one JSON document) into inputs and errors."""
    lines = list(lines) if location.endswith(".json") else lines
    if location.endswith(".json"):
        try:
            data = json.loads("".join(lines))
        except json.JSONDecodeError as exc:
            yield InputError(location, Errors.E010.format(path=location, line=exc.lineno, msg=exc.msg))
            return
        rows = data if isinstance(data, list) else [data]
        numbered = [(i + 1, row) for i, row in enumerate(rows)]
    else:
        numbered = _jsonl_rows(lines, location)
    for number, row in numbered:
        if isinstance(row, InputError):
            yield row
            continue
        yield _record_to_input(row, number=number, location=location, keys=keys, id_prefix=id_prefix)


def _jsonl_rows(lines: Iterable[str], location: str):
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, InputError(
                f"{location}:{number}",
                Errors.E010.format(path=location, line=number, msg=f"invalid JSON ({exc.msg})"),
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


def read_inputs(
    inputs: Iterable[str], *, keys: Keys = Keys(), stdin: Optional[TextIO] = None
) -> Iterator[Item]:
    """Every document of every input, in order."""
    for path, root in expand_inputs(inputs):
        if str(path) == "-":
            content = (stdin or sys.stdin).read()
            if content.lstrip().startswith("{"):
                yield from read_records(
                    content.splitlines(), location="<stdin>", keys=keys, id_prefix="stdin"
                )
            else:
                yield InputDocument(text=content, id="stdin")
            continue
        location = str(path)
        suffix = path.suffix.lower()
        try:
            if suffix in JSON_SUFFIXES:
                with path.open(encoding="utf-8-sig") as handle:
                    yield from read_records(
                        handle, location=location, keys=keys, id_prefix=_doc_id(path, root)
                    )
            elif suffix in TEXT_SUFFIXES:
                text = path.read_text(encoding="utf-8-sig")
                yield InputDocument(text=text, id=_doc_id(path, root), meta={"path": location})
            else:
                yield InputError(location, Errors.E008.format(path=location))
        except UnicodeDecodeError as exc:
            yield InputError(location, Errors.E009.format(path=location, msg=exc.reason))


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
