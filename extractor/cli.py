"""The command line: a thin typer layer over the library."""
import json
import sys
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


@app.command()
def extract(
    inputs: Annotated[
        list[str],
        typer.Argument(help="Files (.txt, .md, .jsonl, .json), folders, globs, or - for stdin."),
    ],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write JSONL here (default: stdout).")
    ] = None,
    text_key: Annotated[str, typer.Option(help="JSON field holding the text.")] = "text",
    id_key: Annotated[str, typer.Option(help="JSON field holding the document id.")] = "id",
    date_key: Annotated[
        str, typer.Option(help="JSON field holding the release date.")
    ] = "release_date",
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
    batch_size: Annotated[int, typer.Option(min=1)] = 32,
    n_process: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Extract records from press releases and write one JSON record per document.

    One text in and no --output gives one pretty JSON document; otherwise
    JSON Lines, in input order. Unreadable documents are reported on stderr
    and skipped; the batch goes on.
    """
    from .io import InputError, Keys, read_id_list, read_inputs
    from .pipeline import InputDocument, load, parse_issuer, parse_release_date

    try:
        default_date = parse_release_date(release_date)
        default_issuer = parse_issuer(issuer)
        ex = load(taxonomy=taxonomy, include_text=not no_text)
        stream = read_inputs(inputs, keys=Keys(text_key, id_key, date_key))
        if ids is not None:
            wanted = read_id_list(ids)
            stream = (item for item in stream if item.id in wanted)
        # Peek at two items: exactly one document is printed as pretty JSON.
        head = list(islice(stream, 2))
    except (ExtractorError, FileNotFoundError) as exc:
        _fail(str(exc))
        return

    failures = 0

    def documents():
        nonlocal failures
        for item in chain(head, stream):
            if isinstance(item, InputError):
                failures += 1
                typer.echo(f"Skipped {item.location}: {item.message}", err=True)
                continue
            try:
                date = parse_release_date(item.release_date) or default_date
            except ExtractorError as exc:
                typer.echo(f"Warning: {item.id}: {exc}; release date ignored.", err=True)
                date = default_date
            yield InputDocument(
                text=item.text, id=item.id, release_date=date,
                issuer=item.issuer or default_issuer, meta=item.meta,
            )

    records = ex.pipe(documents(), batch_size=batch_size, n_process=n_process)
    if output is None and len(head) == 1:
        for record in records:
            typer.echo(record.model_dump_json(indent=2, exclude_none=False))
    else:
        handle = output.open("w", encoding="utf-8") if output else sys.stdout
        try:
            for record in records:
                handle.write(record.model_dump_json() + "\n")
                handle.flush()
        finally:
            if output:
                handle.close()
    if failures:
        typer.echo(f"{failures} input(s) could not be read (see above).", err=True)


@app.command()
def evaluate(
    predictions: Annotated[Path, typer.Argument(help="Predicted records (JSONL or JSON).")],
    gold: Annotated[Path, typer.Argument(help="Gold records (JSONL or JSON).")],
    corpus: Annotated[
        Optional[Path],
        typer.Option(help="JSONL or folder of .txt that gold records without text join by id."),
    ] = None,
    json_out: Annotated[
        Optional[Path], typer.Option("--json", help="Also write the scores as JSON here.")
    ] = None,
) -> None:
    """Score predictions against gold annotations (ANNOTATION.md's scoring table)."""
    from .evaluate import evaluate_files, format_report

    for path in (predictions, gold):
        if not path.exists():
            _fail(f"{path} does not exist.")
    try:
        report = evaluate_files(predictions, gold, corpus=corpus)
    except ExtractorError as exc:
        _fail(str(exc))
        return
    typer.echo(format_report(report))
    if json_out:
        json_out.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")


@app.command()
def schema() -> None:
    """Print the JSON Schema of one output record."""
    from .schema import json_schema

    typer.echo(json.dumps(json_schema(), indent=2))


if __name__ == "__main__":  # pragma: no cover
    app()
