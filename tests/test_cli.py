"""The command line, through typer's CliRunner."""
import json

import pytest
from typer.testing import CliRunner

from extractor.cli import app

runner = CliRunner()

RELEASE = (
    "Minister of Foreign Affairs Park Jin met Japanese Foreign Minister Yoshimasa Hayashi "
    "on March 3. The Korean government will provide $1 million to UNICEF."
)


@pytest.fixture()
def folder(tmp_path):
    (tmp_path / "a.txt").write_text(RELEASE, encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.md").write_text("Secretary of State Antony J. Blinken spoke today.", encoding="utf-8")
    (tmp_path / "ignored.pdf").write_bytes(b"%PDF-1.4")
    return tmp_path


def _lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_one_text_prints_one_pretty_document(folder):
    result = runner.invoke(app, ["extract", str(folder / "a.txt"), "--release-date", "2024-03-10"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == "a"
    assert {o["name"] for o in record["officials"]} == {"Park Jin", "Yoshimasa Hayashi"}
    assert [d["value"] for d in record["dates"]] == ["2024-03-03"]
    assert record["pledges"][0]["amount"] == 1_000_000
    assert result.stdout.startswith("{\n")


def test_folder_gives_jsonl_with_relative_ids(folder, tmp_path):
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["extract", str(folder), "-o", str(out), "--no-text"])
    assert result.exit_code == 0, result.output
    records = _lines(out.read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == ["a", "sub/b"]
    assert records[1]["officials"][0]["name"] == "Antony J. Blinken"
    assert all(r["text"] is None for r in records)


def test_jsonl_with_custom_keys_and_a_broken_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"doc": "r1", "body": RELEASE, "date": "2024-03-10"}) + "\n"
        + "{not json\n"
        + json.dumps({"doc": "r3", "body": "Vice Minister Kang Insun spoke."}) + "\n"
        + json.dumps({"doc": "r4", "other": "no text"}) + "\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["extract", str(path), "--text-key", "body", "--id-key", "doc", "--date-key", "date"]
    )
    assert result.exit_code == 0, result.output
    records = _lines(result.stdout)
    assert [r["id"] for r in records] == ["r1", "r3"]
    assert records[0]["release_date"] == "2024-03-10"
    assert "line 2" in result.stderr and "E010" in result.stderr
    assert "E006" in result.stderr and "line 4" in result.stderr


def test_stdin(tmp_path):
    result = runner.invoke(app, ["extract", "-", "--issuer", "KR"], input=RELEASE)
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["id"] == "stdin"
    assert record["issuer"] == "KR"


def test_glob(folder):
    result = runner.invoke(app, ["extract", str(folder / "*.txt")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "a"


@pytest.mark.parametrize(
    "args, message",
    [
        (["extract", "missing.txt"], "E005"),
        (["extract", "-", "--release-date", "tomorrow"], "E003"),
        (["extract", "-", "--issuer", "Korea"], "E004"),
    ],
)
def test_clear_errors_and_non_zero_exit(args, message):
    result = runner.invoke(app, args, input="text")
    assert result.exit_code == 1
    assert message in result.stderr


def test_evaluate_prints_the_table_and_writes_json(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"id": "d1", "text": RELEASE, "release_date": "2024-03-10",
                    "officials": [{"name": "Park Jin", "title": "Minister of Foreign Affairs",
                                   "organisation": "Ministry of Foreign Affairs", "country": "KR"},
                                  {"name": "Yoshimasa Hayashi", "title": "Foreign Minister",
                                   "organisation": "Ministry of Foreign Affairs", "country": "JP"}],
                    "pledges": [{"text": "$1 million", "amount": 1000000, "currency": "USD",
                                 "donor": "Republic of Korea", "recipient": "UNICEF"}]}) + "\n",
        encoding="utf-8",
    )
    pred = tmp_path / "pred.jsonl"
    assert runner.invoke(app, ["extract", str(gold), "-o", str(pred)]).exit_code == 0
    scores = tmp_path / "scores.json"
    result = runner.invoke(app, ["evaluate", str(pred), str(gold), "--json", str(scores)])
    assert result.exit_code == 0, result.output
    assert "| officials" in result.stdout
    data = json.loads(scores.read_text())
    assert data["scores"]["officials_f"] == 1.0
    assert data["scores"]["pledges_f"] == 1.0


def test_schema_command():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert {"id", "text", "release_date", "officials", "organisations", "dates", "pledges", "themes"} <= set(
        schema["properties"]
    )
    assert {"start", "end", "text", "sentence", "rule"} <= set(schema["$defs"]["Mention"]["properties"])


@pytest.mark.parametrize("suffix, fmt", [("prodigy.jsonl", "prodigy"), ("labelstudio.json", "labelstudio"), ("gold.spacy", "docbin")])
def test_convert_round_trip_through_the_cli(tmp_path, suffix, fmt):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"id": "d1", "text": RELEASE, "release_date": "2024-03-10",
                    "officials": [{"name": "Park Jin", "title": "Minister of Foreign Affairs",
                                   "organisation": "Ministry of Foreign Affairs", "country": "KR"}],
                    "organisations": [{"name": "UNICEF", "acronym": "UNICEF"}],
                    "dates": [{"text": "March 3", "value": "2024-03-03"}],
                    "pledges": [{"text": "$1 million", "amount": 1000000, "currency": "USD",
                                 "donor": "Republic of Korea", "recipient": "UNICEF"}],
                    "themes": [{"id": "humanitarian_aid"}]}) + "\n",
        encoding="utf-8",
    )
    there, back = tmp_path / suffix, tmp_path / "back.jsonl"
    result = runner.invoke(app, ["convert", str(gold), str(there), "--to", fmt])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["convert", str(there), str(back), "--to", "project"])
    assert result.exit_code == 0, result.output
    record = json.loads(back.read_text(encoding="utf-8").splitlines()[0])
    assert [(o["name"], o["title"], o["country"]) for o in record["officials"]] == [
        ("Park Jin", "Minister of Foreign Affairs", "KR")
    ]
    assert [(d["text"], d["value"]) for d in record["dates"]] == [("March 3", "2024-03-03")]
    assert [(p["amount"], p["currency"], p["recipient"]) for p in record["pledges"]] == [(1000000, "USD", "UNICEF")]
    assert [t["id"] for t in record["themes"]] == ["humanitarian_aid"]


def _gold_and_pred(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"id": "d1", "text": RELEASE, "release_date": "2024-03-10",
                    "officials": [{"name": "Park Jin", "title": "Minister of Foreign Affairs",
                                   "organisation": "Ministry of Foreign Affairs", "country": "KR"},
                                  {"name": "Kim Gunn", "title": "Special Representative",
                                   "organisation": None, "country": "KR"}]}) + "\n",
        encoding="utf-8",
    )
    pred = tmp_path / "pred.jsonl"
    assert runner.invoke(app, ["extract", str(gold), "-o", str(pred), "-q"]).exit_code == 0
    return gold, pred


def test_evaluate_fail_under_is_a_regression_gate(tmp_path):
    gold, pred = _gold_and_pred(tmp_path)
    ok = runner.invoke(app, ["evaluate", str(pred), str(gold), "--fail-under", "officials=0.5", "--bootstrap", "0"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["evaluate", str(pred), str(gold), "--fail-under", "officials=0.9", "--bootstrap", "0"])
    assert bad.exit_code == 1
    assert "officials_f" in bad.stderr and "0.900" in bad.stderr
    typo = runner.invoke(app, ["evaluate", str(pred), str(gold), "--fail-under", "oficials=0.9"])
    assert typo.exit_code == 1 and "E032" in typo.stderr


def test_evaluate_report_errors_and_baseline(tmp_path):
    gold, pred = _gold_and_pred(tmp_path)
    empty = tmp_path / "empty.jsonl"
    empty.write_text(json.dumps({"id": "d1", "officials": []}) + "\n", encoding="utf-8")
    html, errors = tmp_path / "r.html", tmp_path / "errors.jsonl"
    result = runner.invoke(
        app, ["evaluate", str(pred), str(gold), "--report", str(html), "--errors", str(errors), "--baseline", str(empty)]
    )
    assert result.exit_code == 0, result.output
    assert "Kim Gunn" in html.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    assert any(line["list"] == "officials" and line["error"] in {"missed", "false_negative", "fn"} for line in lines)
    assert "Baseline" in result.stdout
