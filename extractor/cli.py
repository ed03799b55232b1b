"""The command line: a thin typer layer over the library."""
import json
import signal
import time
from enum import Enum
from itertools import chain, islice
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import ExtractorError

app = typer.Typer(
    name="extractor",
    help="Extract officials, organisations, dates, pledges and themes from press releases.",
    no_args_is_help=True,
    add_completion=False,
)


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=1)


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


@app.command()
def extract(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files (.txt, .md, .html, .jsonl, .json, .csv, .gz), folders, globs, or - for stdin."),
    ],
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="JSONL file (default: stdout), or a folder with --format csv."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="jsonl, or csv: one table per list in the --output folder.")
    ] = OutputFormat.jsonl,
    text_key: Annotated[str, typer.Option(help="JSON/CSV field holding the text.")] = "text",
    id_key: Annotated[str, typer.Option(help="JSON/CSV field holding the document id.")] = "id",
    date_key: Annotated[
        str, typer.Option(help="JSON/CSV field holding the release date.")
    ] = "release_date",
    glob: Annotated[
        Optional[str], typer.Option("--glob", help='Only files matching this pattern in folders, e.g. "*.html".')
    ] = None,
    release_date: Annotated[
        Optional[str],
        typer.Option(help="Release date (ISO) for inputs that do not carry one."),
    ] = None,
    issuer: Annotated[
        Optional[str],
        typer.Option(help="ISO country code of the issuing government (e.g. KR, US)."),
    ] = None,
    taxonomy: Annotated[
        Optional[Path], typer.Option(help="A theme taxonomy JSON of the shipped shape.")
    ] = None,
    no_text: Annotated[
        bool, typer.Option("--no-text", help="Leave the text out of the output records.")
    ] = False,
    ids: Annotated[
        Optional[Path],
        typer.Option(help="Only documents whose id is listed in this file (one id a line, or JSONL with an id field)."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Skip ids already in --output and append the rest.")
    ] = False,
    errors: Annotated[
        Optional[Path], typer.Option("--errors", help="Write failed documents (id, location, cause) here as JSONL.")
    ] = None,
    batch_size: Annotated[int, typer.Option(min=1)] = 32,
    n_process: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    timeout_per_doc: Annotated[
        Optional[float], typer.Option(min=0.01, help="Seconds one document may take; then it becomes an error record.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
) -> None:
    """Extract records from press releases and write one JSON record per document.

    One text in and no --output gives one pretty JSON document; otherwise
    JSON Lines in input order (or CSV tables with --format csv). Documents
    that cannot be read or extracted are reported on stderr (and in --errors)
    and skipped; the batch goes on. Each output line is written whole, so an
    interrupted run can be continued with --resume.
    """
    from .batch import CsvSink, ErrorSink, JsonlSink, Summary, finished_ids, repair_tail
    from .io import InputError, Keys, read_id_list, read_inputs
    from .pipeline import Failure, InputDocument, load, parse_issuer, parse_release_date

    if resume and (output is None or output_format is not OutputFormat.jsonl):
        _fail("--resume needs a JSONL --output file to continue.")
    if output_format is OutputFormat.csv and output is None:
        _fail("--format csv needs --output FOLDER.")
    try:
        default_date = parse_release_date(release_date)
        default_issuer = parse_issuer(issuer)
        ex = load(taxonomy=taxonomy, include_text=not no_text, timeout_per_doc=timeout_per_doc)
        stream = read_inputs(inputs, keys=Keys(text_key, id_key, date_key), **({"glob": glob} if glob else {}))
        if ids is not None:
            wanted = read_id_list(ids)
            stream = (item for item in stream if item.id in wanted)
        # Peek at two items: exactly one document is printed as pretty JSON.
        head = list(islice(stream, 2))
    except (ExtractorError, FileNotFoundError) as exc:
        _fail(str(exc))
        return

    pretty = output is None and len(head) == 1 and output_format is OutputFormat.jsonl
    done: set[str] = set()
    if resume and output is not None:
        repair_tail(output)
        done = finished_ids(output)
    summary = Summary()
    error_sink = ErrorSink(errors, append=resume)

    def report_failure(doc_id, location, cause) -> None:
        summary.failures += 1
        error_sink.write(id=doc_id, location=location, cause=cause)
        typer.echo(f"Skipped {location or doc_id}: {cause}", err=True)

    def documents():
        for item in chain(head, stream):
            summary.documents += 1
            if isinstance(item, InputError):
                report_failure(item.id, item.location, item.message)
                continue
            if item.id in done:
                summary.skipped_done += 1
                continue
            if item.meta.get("decoding_warning"):
                typer.echo(f"Warning: {item.meta['decoding_warning']}", err=True)
            try:
                date = parse_release_date(item.release_date) or default_date
            except ExtractorError as exc:
                typer.echo(f"Warning: {item.id}: {exc}; release date ignored.", err=True)
                date = default_date
            yield InputDocument(
                text=item.text, id=item.id, release_date=date,
                issuer=item.issuer or default_issuer, meta=item.meta,
            )

    if pretty:
        for result in ex.pipe(documents(), failures="yield"):
            if isinstance(result, Failure):
                report_failure(result.id, result.meta.get("path"), result.cause)
                raise typer.Exit(code=1)
            typer.echo(result.model_dump_json(indent=2))
        return

    if output_format is OutputFormat.csv:
        sink = CsvSink(output)
    else:
        sink = JsonlSink(output, append=resume)
    started = time.perf_counter()
    progress = None if quiet or output is None else _progress()
    previous_handler = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        if progress:
            progress.start()
            # With --ids only some records are wanted: the file size says nothing.
            total = len(read_id_list(ids)) if ids is not None else _estimate_total(inputs)
            task = progress.add_task("extracting", total=total)
        results = ex.pipe(documents(), batch_size=batch_size, n_process=n_process, failures="yield")
        for result in results:
            if isinstance(result, Failure):
                report_failure(result.id, result.meta.get("path"), result.cause)
            else:
                sink.write(result)
                summary.add(result)
            if progress:
                progress.update(task, completed=summary.documents)
    except KeyboardInterrupt:
        summary.seconds = time.perf_counter() - started
        if progress:
            progress.stop()
        typer.echo("Interrupted: every line written is whole; continue with --resume.", err=True)
        for line in summary.lines():
            typer.echo(line, err=True)
        raise typer.Exit(code=130)
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
        sink.close()
        error_sink.close()
        if progress:
            progress.stop()
    summary.seconds = time.perf_counter() - started
    if not quiet:
        for line in summary.lines():
            typer.echo(line, err=True)
    elif summary.failures:
        typer.echo(f"{summary.failures} document(s) failed (see above).", err=True)


def _raise_interrupt(signum, frame):  # pragma: no cover - exercised by a subprocess test
    raise KeyboardInterrupt


def _estimate_total(inputs: list[str]) -> Optional[int]:
    """Documents to expect, for the progress bar's time estimate (None when unknown)."""
    from .io import expand_inputs

    total = 0
    try:
        for path, _root in expand_inputs(inputs):
            name = path.name.lower()
            if str(path) == "-" or name.endswith(".gz"):
                return None
            if name.endswith((".jsonl", ".ndjson", ".csv")):
                with path.open("rb") as handle:
                    lines = sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
                total += lines - (1 if name.endswith(".csv") else 0)
            else:
                total += 1
    except (OSError, FileNotFoundError):
        return None
    return total or None


def _progress():
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class _RateColumn(ProgressColumn):
        """Documents per second (rich's own speed column counts bytes)."""

        def render(self, task) -> Text:
            return Text(f"{task.speed or 0:.1f} docs/s")

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=False,
    )


@app.command()
def evaluate(
    predictions: Annotated[Path, typer.Argument(help="Predicted records (JSONL or JSON).")],
    gold: Annotated[
        Path,
        typer.Argument(help="Gold: project JSONL/JSON, Prodigy JSONL, Label Studio JSON, .spacy, or a BRAT folder."),
    ],
    corpus: Annotated[
        Optional[Path],
        typer.Option(help="JSONL or folder of .txt that gold records without text join by id."),
    ] = None,
    json_out: Annotated[
        Optional[Path], typer.Option("--json", help="Also write the scores as JSON here.")
    ] = None,
    report: Annotated[
        Optional[Path], typer.Option("--report", help="Write a self-contained HTML report here.")
    ] = None,
    errors: Annotated[
        Optional[Path],
        typer.Option("--errors", help="Write every false positive, false negative and attribute mismatch here (JSONL)."),
    ] = None,
    baseline: Annotated[
        Optional[Path], typer.Option(help="Older predictions on the same gold: show what changed.")
    ] = None,
    fail_under: Annotated[
        Optional[str],
        typer.Option(help='Exit 1 when a figure is under its floor, e.g. "officials=0.9,pledges=0.9,officials_title=0.85".'),
    ] = None,
    bootstrap: Annotated[int, typer.Option(min=0, help="Bootstrap samples for 95% intervals (0: none).")] = 1000,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap, so results repeat.")] = 0,
) -> None:
    """Score predictions against gold annotations (ANNOTATION.md's scoring table).

    Prints per-list precision, recall and F1 with bootstrap intervals,
    attribute accuracies, per-theme and per-currency scores, and mention-level
    scores when the gold has character spans.
    """
    from .evaluate import (
        check_floors,
        compare,
        evaluate as score,
        format_comparison,
        format_report,
        parse_floors,
        read_documents,
        write_errors,
    )

    for path in (predictions, gold) + ((baseline,) if baseline else ()):
        if not path.exists():
            _fail(f"{path} does not exist.")
    try:
        floors = parse_floors(fail_under) if fail_under else {}
        gold_docs, problems = _read_gold(gold, corpus)
        pred_docs, pred_problems = read_documents(predictions)
        result = score(pred_docs, gold_docs, bootstrap=bootstrap, seed=seed)
        result.problems = pred_problems + problems + result.problems
        result.sources = {"predictions": str(predictions), "gold": str(gold), **({"corpus": str(corpus)} if corpus else {})}
    except ExtractorError as exc:
        _fail(str(exc))
        return
    typer.echo(format_report(result))
    if baseline:
        old_docs, _ = read_documents(baseline)
        typer.echo("")
        typer.echo(format_comparison(compare(result, score(old_docs, gold_docs, bootstrap=0))))
    if json_out:
        json_out.write_text(json.dumps(result.to_dict(), indent=2), encoding="utf-8")
    if errors:
        count = write_errors(result, errors, predictions=pred_docs, gold=gold_docs)
        typer.echo(f"{count} error line(s) written to {errors}", err=True)
    if report:
        from .report import render_html

        report.write_text(render_html(result, predictions=pred_docs, gold=gold_docs), encoding="utf-8")
        typer.echo(f"report written to {report}", err=True)
    failed = check_floors(result, floors) if floors else []
    for message in failed:
        typer.echo(f"FAIL: {message}", err=True)
    if failed:
        raise typer.Exit(code=1)


def _read_gold(path: Path, corpus: Optional[Path]):
    """Gold in this project's format, or any format the converters read."""
    from .convert import detect_format, read
    from .evaluate import read_documents

    if detect_format(path) == "project":
        return read_documents(path, corpus=corpus)
    notes: list = []
    docs = read(path, notes=notes, **({"corpus": corpus} if corpus else {}))
    return docs, [str(n) for n in notes]


@app.command()
def convert(
    source: Annotated[Path, typer.Argument(help="Gold or predictions: project JSONL/JSON, Prodigy JSONL, Label Studio JSON, .spacy, or a BRAT folder.")],
    destination: Annotated[Path, typer.Argument(help="Where to write; the format follows the name (see --to).")],
    from_format: Annotated[
        Optional[str], typer.Option("--from", help="project, prodigy, labelstudio, docbin or brat (default: detected).")
    ] = None,
    to_format: Annotated[
        Optional[str], typer.Option("--to", help="project, prodigy, labelstudio, docbin or brat (default: from the name).")
    ] = None,
    corpus: Annotated[
        Optional[Path], typer.Option(help="JSONL or folder of .txt that records without text join by id.")
    ] = None,
) -> None:
    """Convert annotations between this project's format and annotation tools.

    Bring gold from Prodigy, Label Studio, spaCy or BRAT; or send the
    extractor's output to those tools to correct it and bring it back as gold.
    Whatever the target format cannot hold is listed.
    """
    from .convert import convert as run_convert

    if not source.exists():
        _fail(f"{source} does not exist.")
    options = {"corpus": corpus} if corpus else {}
    try:
        summary = run_convert(source, destination, src_format=from_format, dst_format=to_format, **options)
    except (ExtractorError, ValueError) as exc:
        _fail(str(exc))
        return
    data = summary.to_dict()
    records = ", ".join(f"{n} {name}" for name, n in data.get("records", {}).items())
    typer.echo(
        f"{data['documents']} document(s) {data['src_format']} → {data['dst_format']}: {records}", err=True
    )
    for note in data.get("notes", []):
        typer.echo(f"note: {note}", err=True)


@app.command("errors")
def list_errors() -> None:
    """Print every error and warning code with its message."""
    from .errors import all_codes

    for code, message in all_codes().items():
        typer.echo(f"{code}  {message}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of one output record."""
    from .schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


if __name__ == "__main__":  # pragma: no cover
    app()
