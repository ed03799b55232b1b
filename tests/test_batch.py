"""Batch extraction: resume after a killed run, errors file, CSV tables, parallel = serial."""
import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from extractor.batch import finished_ids, repair_tail
from extractor.cli import app

runner = CliRunner()


def _corpus(tmp_path, n=60):
    path = tmp_path / "in.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            text = (
                f"Secretary of State Antony J. Blinken met Foreign Minister Park Jin on March {i % 28 + 1}. "
                f"The United States will provide ${i + 1} million in humanitarian assistance to UNICEF. "
            ) * 20
            handle.write(json.dumps({"id": f"d{i:03d}", "text": text, "release_date": "2022-05-01"}) + "\n")
    return path


@pytest.mark.parametrize(
    "content, kept",
    [(b'{"id": "a"}\n{"id": "b"}\n{"id": "c', b'{"id": "a"}\n{"id": "b"}\n'), (b'{"id": "a"}\n', b'{"id": "a"}\n'), (b'{"id', b"")],
)
def test_repair_tail_cuts_only_a_partial_line(tmp_path, content, kept):
    path = tmp_path / "out.jsonl"
    path.write_bytes(content)
    repair_tail(path)
    assert path.read_bytes() == kept


def test_finished_ids(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text('{"id": "a"}\n\n{"id": "b", "x": 1}\nnot json\n', encoding="utf-8")
    assert finished_ids(path) == {"a", "b"}


@pytest.mark.slow
def test_resume_after_a_killed_run_matches_a_clean_run(tmp_path):
    source = _corpus(tmp_path, 60)
    clean = tmp_path / "clean.jsonl"
    assert runner.invoke(app, ["extract", str(source), "-o", str(clean), "-q"]).exit_code == 0

    partial = tmp_path / "partial.jsonl"
    cmd = [sys.executable, "-m", "extractor", "extract", str(source), "-o", str(partial), "-q", "--batch-size", "1"]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        if partial.exists() and partial.stat().st_size > 0 and partial.read_bytes().count(b"\n") >= 5:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    lines_before = partial.read_bytes().count(b"\n")
    assert 5 <= lines_before < 60, "the run was not killed mid-batch"

    result = runner.invoke(app, ["extract", str(source), "-o", str(partial), "--resume"])
    assert result.exit_code == 0, result.output
    assert "already done" in result.stderr
    assert partial.read_bytes() == clean.read_bytes()


def test_sigterm_leaves_only_whole_lines(tmp_path):
    source = _corpus(tmp_path, 40)
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "extractor", "extract", str(source), "-o", str(out), "-q", "--batch-size", "1"],
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 120
    while time.time() < deadline and not (out.exists() and out.read_bytes().count(b"\n") >= 3):
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    _, stderr = proc.communicate(timeout=60)
    data = out.read_bytes()
    assert data.endswith(b"\n")
    for line in data.splitlines():
        json.loads(line)
    if proc.returncode != 0:
        assert b"--resume" in stderr


def test_errors_file_and_the_batch_goes_on(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "ok1", "text": "Vice Minister Kang Insun spoke."}) + "\n"
        + "{broken\n"
        + json.dumps({"id": "nodate", "text": "President Yoon Suk Yeol spoke.", "release_date": "not a date"}) + "\n"
        + json.dumps({"id": "notext"}) + "\n"
        + json.dumps({"id": "ok2", "text": "Secretary Blinken spoke."}) + "\n",
        encoding="utf-8",
    )
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    result = runner.invoke(app, ["extract", str(source), "-o", str(out), "--errors", str(errors)])
    assert result.exit_code == 0, result.output
    written = [json.loads(line)["id"] for line in out.read_text().splitlines()]
    assert written == ["ok1", "nodate", "ok2"]  # a bad date is a warning, not a lost document
    failed = [json.loads(line) for line in errors.read_text().splitlines()]
    assert [f["location"] for f in failed] == [f"{source}:2", f"{source}:4"]
    assert "E010" in failed[0]["cause"] and "E006" in failed[1]["cause"]
    assert "5 document(s) in: 3 written, 2 failed" in result.stderr


def test_a_component_failure_is_reported_not_fatal(ex, monkeypatch):
    from extractor.pipeline import Failure

    component = ex.nlp.get_pipe("extractor_pledges")
    original = type(component).__call__

    def explode(self, doc):
        if "BOOM" in doc.text:
            raise RuntimeError("synthetic failure")
        return original(self, doc)

    monkeypatch.setattr(type(component), "__call__", explode)
    results = list(ex.pipe(["Secretary Blinken spoke.", "BOOM", "President Biden spoke."], failures="yield"))
    assert [type(r).__name__ for r in results] == ["DocumentExtraction", "Failure", "DocumentExtraction"]
    assert isinstance(results[1], Failure) and "E015" in results[1].cause and "extractor_pledges" in results[1].cause
    with pytest.warns(UserWarning, match="W005"):
        assert len(list(ex.pipe(["BOOM", "Secretary Blinken spoke."]))) == 1


def test_csv_tables_keyed_by_document_id(tmp_path):
    source = _corpus(tmp_path, 3)
    folder = tmp_path / "tables"
    result = runner.invoke(app, ["extract", str(source), "-o", str(folder), "--format", "csv", "-q"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["documents.csv", "officials.csv", "organisations.csv", "dates.csv", "pledges.csv", "themes.csv"]
    )
    with (folder / "officials.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["document_id"], r["name"]) for r in rows} >= {("d000", "Antony J. Blinken"), ("d002", "Park Jin")}
    with (folder / "pledges.csv").open(newline="", encoding="utf-8") as handle:
        pledges = list(csv.DictReader(handle))
    assert ("d001", "2000000.0", "USD") in {(r["document_id"], r["amount"], r["currency"]) for r in pledges}


@pytest.mark.slow
def test_parallel_output_equals_serial(tmp_path):
    source = _corpus(tmp_path, 24)
    serial, parallel = tmp_path / "serial.jsonl", tmp_path / "parallel.jsonl"
    assert runner.invoke(app, ["extract", str(source), "-o", str(serial), "-q"]).exit_code == 0
    result = runner.invoke(app, ["extract", str(source), "-o", str(parallel), "-q", "--n-process", "2", "--batch-size", "4"])
    assert result.exit_code == 0, result.output
    assert parallel.read_bytes() == serial.read_bytes()
