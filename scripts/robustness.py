"""Run the extractor over the dev corpus and the hostile files; account for every document.

    python scripts/robustness.py                      # dev corpus + tests/data/hostile
    python scripts/robustness.py --no-corpus          # hostile files only
    python scripts/robustness.py --transcript-mb 5    # plus a generated 5 MB transcript

Reads through ``extractor.io.read_inputs`` and extracts through
``Extractor.pipe(failures="yield")``, one input and one document at a time,
so an exception that escapes the library (a crash) is counted and the run
goes on. Prints documents in, records out, errors grouped by cause, crashes,
records that break the output contract (a failed JSON round trip, a mention
whose offsets do not give its text), and the slowest documents. Exits 1
unless there are no crashes, no broken records, and
``in == out + errors``.
"""
import argparse
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Iterator, Optional

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "dev.jsonl"
DEFAULT_HOSTILE = ROOT / "tests" / "data" / "hostile"
_CODE = re.compile(r"^\[([EW]\d{3})\]")
_KIND = re.compile(r"not read as text \((.*)\)\. ")


def _cause_key(message: str) -> str:
    """A cause without the parts that differ per document: the code and the message shape."""
    match = _CODE.match(message)
    code = match.group(1) if match else "no code"
    if "Component '" in message:
        component = message.split("Component '", 1)[1].split("'", 1)[0]
        error = message.split("(", 1)[1].split(":", 1)[0] if "(" in message else ""
        return f"{code} {component} {error}".strip()
    kind = _KIND.search(message)
    return f"{code} ({kind.group(1)})" if kind else code


def _transcript(folder: Path, megabytes: float) -> Path:
    """A press-conference transcript of ``megabytes`` MB, written to ``folder``."""
    turns = [
        "MODERATOR: Good afternoon. The Minister will take questions on the visit to Seoul.\n",
        "SECRETARY BLINKEN: Today Foreign Minister Park Jin and I discussed the $10 million contribution "
        "to the World Food Programme and the meeting on March 3, 2023.\n",
        "QUESTION: Minister, can you say more about the timeline you mentioned?\n",
        "FOREIGN MINISTER PARK: Korea will provide KRW 2.5 billion; Vice Minister Cho Tae-yul will lead the talks.\n\n",
    ]
    path = folder / "transcript.txt"
    target, parts, size = int(megabytes * 1_000_000), [], 0
    while size < target:
        turn = turns[len(parts) % len(turns)]
        parts.append(turn)
        size += len(turn)
    path.write_text("".join(parts), encoding="utf-8")
    return path


def _inputs(corpus: Optional[Path], hostile: Optional[Path], extra: list[Path]) -> list[str]:
    found = []
    if corpus is not None:
        found.append(str(corpus))
    if hostile is not None:
        found.extend(str(p) for p in sorted(hostile.iterdir()) if p.is_file() and not p.name.startswith("."))
    found.extend(str(p) for p in extra)
    return found


def _items(path: str, report: dict) -> Iterator:
    """The items of one input; an exception from the reader is a crash, and ends that input only."""
    from extractor.io import read_inputs

    try:
        yield from read_inputs([path])
    except Exception as exc:  # noqa: BLE001 - counting crashes is the point
        report["crashes"].append((path, "reader", f"{type(exc).__name__}: {exc}", traceback.format_exc()))


def _contract_problems(record, text: str) -> list[str]:
    from extractor.schema import LIST_NAMES, DocumentExtraction

    problems = []
    try:
        if DocumentExtraction.model_validate_json(record.model_dump_json()) != record:
            problems.append("JSON round trip changes the record")
    except Exception as exc:  # noqa: BLE001
        problems.append(f"JSON round trip fails: {type(exc).__name__}: {exc}")
    for name in LIST_NAMES:
        for item in getattr(record, name) or []:
            for mention in item.mentions:
                if text[mention.start : mention.end] != mention.text:
                    problems.append(
                        f"{name} mention {mention.start}-{mention.end} {mention.text!r} != {text[mention.start:mention.end]!r}"
                    )
    return problems


def run(inputs: list[str], *, timeout: Optional[float], progress: bool) -> dict:
    """Read and extract every input; return the figures."""
    import extractor
    from extractor.io import InputError
    from extractor.pipeline import Failure

    ex = extractor.load()
    ex.timeout_per_doc = timeout
    report = {
        "in": 0, "out": 0, "errors": Counter(), "error_examples": {}, "crashes": [],
        "broken": [], "slowest": [], "decoding_warnings": 0, "seconds": 0.0,
    }
    started = time.perf_counter()
    for path in inputs:
        for item in _items(path, report):
            report["in"] += 1
            if progress and report["in"] % 500 == 0:
                print(f"  {report['in']} documents ...", file=sys.stderr, flush=True)
            if isinstance(item, InputError):
                key = _cause_key(item.message)
                report["errors"][key] += 1
                report["error_examples"].setdefault(key, f"{item.location}: {item.message}")
                continue
            if item.meta.get("decoding_warning"):
                report["decoding_warnings"] += 1
            clock = time.process_time()
            try:
                (result,) = list(ex.pipe([item], failures="yield"))
            except Exception as exc:  # noqa: BLE001 - counting crashes is the point
                report["crashes"].append((item.id, "pipe", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
                continue
            seconds = time.process_time() - clock
            report["slowest"] = sorted([*report["slowest"], (seconds, item.id, len(item.text))], reverse=True)[:5]
            if isinstance(result, Failure):
                key = _cause_key(result.cause)
                report["errors"][key] += 1
                report["error_examples"].setdefault(key, f"{result.id}: {result.cause}")
                continue
            report["out"] += 1
            problems = _contract_problems(result, item.text)
            if problems:
                report["broken"].append((item.id, problems[:3]))
    report["seconds"] = time.perf_counter() - started
    return report


def print_report(report: dict) -> bool:
    """Print the figures; return whether the run passes."""
    errors = sum(report["errors"].values())
    balanced = report["in"] == report["out"] + errors
    print(f"documents in:      {report['in']}")
    print(f"records out:       {report['out']}")
    print(f"errors:            {errors}")
    for key, count in report["errors"].most_common():
        print(f"  {count:6d}  {key}    e.g. {report['error_examples'][key][:160]}")
    print(f"crashes:           {len(report['crashes'])}")
    for where, stage, error, _ in report["crashes"][:10]:
        print(f"  {where} ({stage}): {error[:200]}")
    print(f"broken records:    {len(report['broken'])}")
    for doc_id, problems in report["broken"][:10]:
        print(f"  {doc_id}: {'; '.join(problems)[:300]}")
    print(f"decoding warnings: {report['decoding_warnings']} document(s) decoded from a legacy encoding")
    print("slowest (CPU s):   " + ", ".join(f"{doc_id} {s:.1f}s/{n:,} chars" for s, doc_id, n in report["slowest"]))
    print(f"time:              {report['seconds']:.1f} s")
    verdict = balanced and not report["crashes"] and not report["broken"]
    print(f"in == out + errors: {'yes' if balanced else 'NO'}  ->  {'PASS' if verdict else 'FAIL'}")
    return verdict


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSONL corpus (default: the dev corpus)")
    parser.add_argument("--no-corpus", action="store_true", help="Skip the corpus.")
    parser.add_argument("--hostile", type=Path, default=DEFAULT_HOSTILE, help="Folder of hostile files.")
    parser.add_argument("--no-hostile", action="store_true", help="Skip the hostile files.")
    parser.add_argument("--transcript-mb", type=float, default=0, help="Also a generated transcript of this many MB.")
    parser.add_argument(
        "--timeout-per-doc", type=float, default=60.0,
        help="Seconds one document may take before it is an E021 error (0: no limit).",
    )
    parser.add_argument("--show-crashes", action="store_true", help="Print the traceback of each crash.")
    parser.add_argument("-q", "--quiet", action="store_true", help="No progress on stderr.")
    args = parser.parse_args(argv)

    corpus = None if args.no_corpus else args.corpus
    if corpus is not None and not corpus.exists():
        parser.error(f"corpus {corpus} not found (pass --corpus PATH or --no-corpus)")
    hostile = None if args.no_hostile else args.hostile
    with tempfile.TemporaryDirectory() as scratch:
        extra = [_transcript(Path(scratch), args.transcript_mb)] if args.transcript_mb > 0 else []
        inputs = _inputs(corpus, hostile, extra)
        report = run(inputs, timeout=args.timeout_per_doc or None, progress=not args.quiet)
    if args.show_crashes:
        for _, _, _, trace in report["crashes"]:
            print(trace, file=sys.stderr)
    return 0 if print_report(report) else 1


if __name__ == "__main__":
    sys.exit(main())
