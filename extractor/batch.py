"""Batch output: whole-line JSONL, CSV tables, an errors file, resume, a summary.

Output is written so an interrupt never leaves a half record behind: each JSON
line goes out in one ``os.write`` call, and a resumed run first cuts any
partial last line (from a crash mid-write) before appending. A resumed run
therefore produces exactly the records a clean run would.
"""
import csv
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .schema import LIST_NAMES, DocumentExtraction


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def repair_tail(path: Path) -> int:
    """Cut a partial last line (no trailing newline); return the bytes removed."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with path.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        step = min(size, 1 << 16)
        position = size
        # Walk back to the last newline.
        while position > 0:
            start = max(0, position - step)
            handle.seek(start)
            chunk = handle.read(position - start)
            index = chunk.rfind(b"\n")
            if index >= 0:
                keep = start + index + 1
                break
            position = start
        else:
            keep = 0
        if keep == size:
            return 0
        handle.truncate(keep)
        return size - keep


def finished_ids(path: Path) -> set[str]:
    """Ids already written to a JSONL output (after :func:`repair_tail`)."""
    done: set[str] = set()
    if not path.exists():
        return done
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            try:
                done.add(str(json.loads(line)["id"]))
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    return done


class JsonlSink:
    """One validated record per line; ``path=None`` writes to stdout."""

    def __init__(self, path: Optional[Path], *, append: bool = False) -> None:
        self.path = path
        if path is None:
            self.fd = 1
            self._own = False
        else:
            flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
            self.fd = os.open(path, flags, 0o644)
            self._own = True

    def write(self, record: DocumentExtraction) -> None:
        self.write_line(record.model_dump_json())

    def write_line(self, line: str) -> None:
        if self._own:
            _write_all(self.fd, (line + "\n").encode("utf-8"))
        else:
            # stdout goes through sys.stdout, which callers may have redirected.
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def close(self) -> None:
        if self._own:
            os.close(self.fd)


CSV_COLUMNS = {
    "officials": ["name", "title", "organisation", "country"],
    "organisations": ["name", "acronym", "aliases"],
    "dates": ["text", "value"],
    "pledges": ["text", "amount", "currency", "donor", "recipient", "qualifier"],
    "themes": ["id", "score"],
}


class CsvSink:
    """One table per list (officials.csv, …) keyed by document id, plus documents.csv."""

    def __init__(self, folder: Path, *, append: bool = False) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.handles = {}
        self.writers = {}
        tables = {"documents": ["release_date", "release_date_source", "issuer", "warnings"], **CSV_COLUMNS}
        for name, columns in tables.items():
            path = folder / f"{name}.csv"
            new = not (append and path.exists())
            handle = path.open("a" if append else "w", encoding="utf-8", newline="")
            writer = csv.writer(handle)
            if new:
                writer.writerow(["document_id", *columns, *(["mentions"] if name != "documents" else [])])
            self.handles[name], self.writers[name] = handle, writer

    def write(self, record: DocumentExtraction) -> None:
        self.writers["documents"].writerow(
            [record.id, record.release_date or "", record.release_date_source or "",
             record.issuer or "", "; ".join(record.warnings)]
        )
        for name, columns in CSV_COLUMNS.items():
            for item in getattr(record, name) or []:
                row = [record.id]
                for column in columns:
                    value = getattr(item, column)
                    row.append("; ".join(value) if isinstance(value, list) else ("" if value is None else value))
                row.append(len(item.mentions))
                self.writers[name].writerow(row)
        for handle in self.handles.values():
            handle.flush()

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


class ErrorSink:
    """``--errors errors.jsonl``: id, input location and cause of each failure."""

    def __init__(self, path: Optional[Path], *, append: bool = False) -> None:
        self.sink = JsonlSink(path, append=append) if path else None

    def write(self, *, id: Optional[str], location: Optional[str], cause: str) -> None:
        if self.sink is not None:
            line = json.dumps({"id": id, "location": location, "cause": cause}, ensure_ascii=False)
            self.sink.write_line(line)

    def close(self) -> None:
        if self.sink is not None:
            self.sink.close()


@dataclass
class Summary:
    """What a batch did: documents in, records out, failures, records per list."""

    documents: int = 0
    written: int = 0
    skipped_done: int = 0
    failures: int = 0
    records: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    def add(self, record: DocumentExtraction) -> None:
        self.written += 1
        for name in LIST_NAMES:
            self.records[name] += len(getattr(record, name) or [])

    def lines(self) -> list[str]:
        rate = self.written / self.seconds if self.seconds else 0.0
        per_list = ", ".join(f"{self.records[name]} {name}" for name in LIST_NAMES)
        out = [
            f"{self.documents} document(s) in: {self.written} written, {self.failures} failed"
            + (f", {self.skipped_done} already done (--resume)" if self.skipped_done else ""),
            f"records: {per_list}",
            f"time: {self.seconds:.1f} s ({rate:.1f} documents/s)",
        ]
        return out
