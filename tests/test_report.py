"""The HTML evaluation report: highlights by status, escaping, no network, and a real browser."""
import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from extractor.evaluate import evaluate, read_documents
from extractor.report import render_html
from extractor.schema import DocumentExtraction

DATA = Path(__file__).parent / "data" / "report"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="headless browser tests need /usr/bin/chromium (Debian: apt-get install -y chromium)",
)


@pytest.fixture(scope="module")
def scored():
    predictions, problems_p = read_documents(DATA / "pred.jsonl")
    gold, problems_g = read_documents(DATA / "gold.jsonl")
    assert not problems_p and not problems_g
    return evaluate(predictions, gold), predictions, gold


@pytest.fixture(scope="module")
def page(scored) -> str:
    report, predictions, gold = scored
    return render_html(report, predictions=predictions, gold=gold)


@pytest.fixture(scope="module")
def soup(page) -> BeautifulSoup:
    return BeautifulSoup(page, "html.parser")


def column(soup: BeautifulSoup, doc_id: str, side: str):
    doc = soup.find("details", attrs={"data-id": doc_id})
    assert doc is not None, doc_id
    return doc.find("div", class_=f"col-{side}")


def marks(col, text: str) -> list:
    return [m for m in col.find_all("mark") if m.get_text() == text]


def test_fixture_mentions_point_at_their_text():
    predictions, _ = read_documents(DATA / "pred.jsonl")
    for doc in predictions:
        for name in ("officials", "organisations", "dates", "pledges"):
            for record in getattr(doc, name) or ():
                for mention in record.mentions:
                    assert doc.text[mention.start : mention.end] == mention.text


def test_missed_official_is_highlighted_as_missed_in_gold(soup):
    gold = column(soup, "r1-errors", "gold")
    (mark,) = marks(gold, "Kang Insun")
    assert "st-missed" in mark["class"]
    assert mark["data-list"] == "officials"
    assert "missed" in mark["title"] and "title: Vice Minister of Foreign Affairs" in mark["title"]
    # Not predicted: the same words are plain text in the predicted column.
    assert not marks(column(soup, "r1-errors", "pred"), "Kang Insun")
    assert "Kang Insun" in column(soup, "r1-errors", "pred").find(class_="text").get_text()


def test_spurious_official_is_highlighted_as_spurious_in_predictions(soup):
    (mark,) = marks(column(soup, "r1-errors", "pred"), "Jane Roe")
    assert "st-spurious" in mark["class"] and mark["data-side"] == "pred"
    assert "rule: title_name:generic" in mark["title"]
    assert not marks(column(soup, "r1-errors", "gold"), "Jane Roe")


def test_wrong_attribute_is_shown_on_both_sides(soup):
    for side in ("gold", "pred"):
        (mark,) = marks(column(soup, "r1-errors", side), "Antonio Guterres")
        assert "st-wrong" in mark["class"]
        assert "title: gold Secretary-General ≠ predicted UN Secretary-General" in mark["title"]
    gold_mark = marks(column(soup, "r1-errors", "gold"), "Antonio Guterres")[0]
    assert "predicted by rule: title_name:un_head" in gold_mark["title"]
    (pledge,) = marks(column(soup, "r1-errors", "gold"), "$5 million")
    assert "st-wrong" in pledge["class"] and "recipient: gold World Food Programme" in pledge["title"]


def test_correct_records_and_every_mention_with_its_rule(soup):
    pred = column(soup, "r1-errors", "pred")
    park = [m for m in pred.find_all("mark") if m.get("data-list") == "officials" and "Park" in m.get_text()]
    assert {m.get_text() for m in park} == {"Park Jin", "Park", "Minister Park"}
    assert all("st-correct" in m["class"] for m in park)
    assert any("rule: coref:family_name" in m["title"] for m in park)
    (gold_park,) = marks(column(soup, "r1-errors", "gold"), "Park Jin")  # first occurrence only
    assert "st-correct" in gold_park["class"]


def test_gold_without_a_place_in_the_text_is_listed_as_not_located(soup):
    gold = column(soup, "r1-errors", "gold")
    unplaced = gold.find(class_="unplaced")
    assert "Not located" in unplaced.get_text()
    (chip,) = marks(unplaced, "Korea International Cooperation Agency")
    assert "st-missed" in chip["class"]


def test_themes_are_chips_with_their_status(soup):
    gold = column(soup, "r1-errors", "gold").find(class_="themes")
    pred = column(soup, "r1-errors", "pred").find(class_="themes")
    assert "st-missed" in marks(gold, "multilateral_institutions")[0]["class"]
    assert "st-spurious" in marks(pred, "trade_economy")[0]["class"]
    assert "st-correct" in marks(gold, "humanitarian_aid")[0]["class"]


def test_columns_keep_the_whole_text(soup, scored):
    _, predictions, _ = scored
    texts = {doc.id: doc.text for doc in predictions}
    for doc in soup.find_all("details", class_="doc"):
        for side in ("gold", "pred"):
            # Gold r2 has no text: the prediction's is shown.
            assert doc.find("div", class_=f"col-{side}").find(class_="text").get_text() == texts[doc["data-id"]]


def test_crossing_mentions_stay_well_formed():
    text = "Foreign Minister Park Jin met them."
    record = {
        "name": "Park Jin",
        "title": "Foreign Minister",
        "mentions": [
            {"start": 8, "end": 21, "text": "Minister Park", "rule": "a"},
            {"start": 17, "end": 25, "text": "Park Jin", "rule": "b"},
        ],
    }
    pred = [DocumentExtraction.model_validate({"id": "x", "text": text, "officials": [record]})]
    gold = [DocumentExtraction.model_validate({"id": "x", "officials": [{"name": "Park Jin"}]})]
    page = render_html(evaluate(pred, gold), predictions=pred, gold=gold)
    body = page.split('<div id="docs">')[1]
    assert body.count("<mark") == body.count("</mark>")
    col = BeautifulSoup(page, "html.parser").find("div", class_="col-pred")
    assert col.find(class_="text").get_text() == text


def test_sorted_by_errors_without_script(soup):
    assert [d["data-id"] for d in soup.find_all("details", class_="doc")] == ["r1-errors", "r2<&>", "r3-clean"]
    assert soup.find("details", attrs={"data-id": "r1-errors"})["data-errors-officials"] == "3"
    assert {o["value"] for o in soup.find(id="list-filter").find_all("option")} >= {"all", "officials", "themes"}


def test_no_network_resources(page, soup):
    assert "https://www.state.gov/briefings/" in page  # in the text it is fine...
    for tag in soup.find_all(True):
        for attribute, value in tag.attrs.items():
            if attribute.split(":")[-1] in ("src", "href", "action", "srcset", "poster", "data", "background"):
                assert not re.match(r"\s*(https?:)?//", str(value)), (tag.name, attribute, value)
    # ...but never as a resource: no src/href attribute, CSS url() or @import.
    assert not re.search(r"""\b(src|href)\s*=\s*["']?\s*(https?:)?//""", page, flags=re.IGNORECASE)
    assert not re.search(r"url\(|@import", page)
    assert not soup.find_all(["link", "img", "iframe", "object", "embed"])
    assert [s.get("src") for s in soup.find_all("script")] == [None]


def test_document_text_and_record_fields_are_escaped(page, soup):
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(&#x27;owned&#x27;)&lt;/script&gt;" in page or "&lt;script&gt;alert('owned')&lt;/script&gt;" in page
    assert len(soup.find_all("script")) == 1 and not soup.find_all("img")
    assert not soup.find(id="docs").find_all(["b", "script"])
    pred = column(soup, "r2<&>", "pred")
    assert "<script>alert('owned')</script> Tom & Jerry <b>bold</b>" in pred.get_text()
    (pledge,) = marks(pred, "<img src=x onerror=alert(1)>")
    assert "donor: <script>alert('donor')</script>" in pledge["title"]
    assert "rule: money:<b>rule</b>" in pledge["title"]
    assert soup.find("details", attrs={"data-id": "r2<&>"}).find(class_="docid").get_text() == "r2<&>"
    titled = render_html(evaluate([], []), predictions=[], gold=[], title="<script>x</script> & co")
    assert "<script>x" not in titled and "&lt;script&gt;x&lt;/script&gt; &amp; co" in titled


def test_report_as_dict_renders_the_same(scored, page):
    report, predictions, gold = scored
    assert render_html(report.to_dict(), predictions=predictions, gold=gold) == page


def without_intervals(data: dict) -> dict:
    for entry in data["lists"].values():
        entry.pop("ci", None)
    data.pop("bootstrap", None)
    return data


def test_confidence_intervals_when_the_report_has_them(scored):
    report, predictions, gold = scored
    data = without_intervals(report.to_dict())
    plain = BeautifulSoup(render_html(data, predictions=predictions, gold=gold), "html.parser")
    assert not plain.find(class_="ci") and not plain.find("path", class_="whisker")
    assert "confidence" not in plain.find("table", class_="scores").caption.get_text()

    data["lists"]["officials"]["ci"] = {"precision": [0.5, 0.95], "recall": [0.4, 0.9], "f1": [0.45, 0.92]}
    data["bootstrap"] = {"samples": 1000, "seed": 0, "level": 0.95}
    with_ci = BeautifulSoup(render_html(data, predictions=predictions, gold=gold), "html.parser")
    table = with_ci.find("table", class_="scores")
    assert "95% confidence interval (bootstrap over documents, 1000 resamples)" in table.caption.get_text()
    row = table.find("th", string="officials").parent
    assert [c.get_text() for c in row.find_all(class_="ci")] == ["[0.500–0.950]", "[0.400–0.900]", "[0.450–0.920]"]
    assert len(with_ci.find_all("path", class_="whisker")) == 3
    # Other spellings are read; unreadable intervals are left out, not an error.
    data["lists"]["officials"]["ci"] = None
    data["lists"]["dates"]["precision_ci"] = {"low": 0.25, "high": 0.75}
    data["lists"]["dates"]["recall_ci"] = "wide"
    odd = BeautifulSoup(render_html(data, predictions=predictions, gold=gold), "html.parser")
    assert [c.get_text() for c in odd.find_all(class_="ci")] == ["[0.250–0.750]"]


def test_documents_without_prediction_and_unannotated_lists():
    gold = [DocumentExtraction.model_validate({"id": "g", "text": "Minister Kim Jae spoke.", "officials": [{"name": "Kim Jae"}]})]
    pred = [
        DocumentExtraction.model_validate(
            {"id": "other", "text": "x", "dates": [{"text": "x", "value": "2024"}]}
        )
    ]
    soup = BeautifulSoup(render_html(evaluate(pred, gold), predictions=pred, gold=gold), "html.parser")
    (mark,) = marks(column(soup, "g", "gold"), "Kim Jae")
    assert "st-missed" in mark["class"]
    assert "no prediction" in soup.find("details", attrs={"data-id": "g"}).get_text()
    # A list that gold leaves out is shown as not scored.
    pred = [DocumentExtraction.model_validate({"id": "g", "text": "In 2024.", "dates": [{"text": "2024", "value": "2024", "mentions": [{"start": 3, "end": 7, "text": "2024"}]}]})]
    gold = [DocumentExtraction.model_validate({"id": "g", "text": "In 2024.", "officials": []})]
    soup = BeautifulSoup(render_html(evaluate(pred, gold), predictions=pred, gold=gold), "html.parser")
    (mark,) = marks(column(soup, "g", "pred"), "2024")
    assert "st-unscored" in mark["class"]


# --- a real browser ---------------------------------------------------------


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def png_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and the raw (filtered) scanlines of a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, width, height, idat = 8, 0, 0, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", chunk[:8])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    return width, height, zlib.decompress(idat)


@pytest.fixture()
def page_file(page, tmp_path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


@needs_chromium
def test_headless_screenshot(page_file, tmp_path):
    png = tmp_path / "report.png"
    result = chromium(tmp_path, f"--screenshot={png}", "--window-size=1280,2000", page_file.as_uri())
    assert png.exists(), result.stderr[-2000:]
    width, height, pixels = png_pixels(png)
    assert (width, height) == (1280, 2000)
    assert png.stat().st_size > 20_000
    assert len(set(pixels)) > 64  # not a blank page


@needs_chromium
@pytest.mark.parametrize(
    "view, order",
    [
        ("", ["r1-errors", "r2<&>", "r3-clean"]),
        ("#sort=errors-asc", ["r3-clean", "r2<&>", "r1-errors"]),
        ("#sort=input", ["r3-clean", "r2<&>", "r1-errors"]),
        ("#sort=id", ["r1-errors", "r2<&>", "r3-clean"]),
    ],
)
def test_scripts_sort_documents(page_file, tmp_path, view, order):
    result = chromium(tmp_path, "--dump-dom", page_file.as_uri() + view)
    dom = BeautifulSoup(result.stdout, "html.parser")
    assert dom.body is not None and dom.body.get("data-ready") == "1", result.stderr[-2000:]
    assert [d["data-id"] for d in dom.find_all("details", class_="doc")] == order
    (mark,) = marks(column(dom, "r1-errors", "gold"), "Kang Insun")
    assert "st-missed" in mark["class"] and "off" not in mark["class"]
    assert "3 of 3" in dom.find(id="shown").get_text()


@needs_chromium
def test_scripts_filter_by_list(page_file, tmp_path):
    result = chromium(tmp_path, "--dump-dom", page_file.as_uri() + "#list=officials&only=1")
    dom = BeautifulSoup(result.stdout, "html.parser")
    assert dom.body.get("data-list") == "officials", result.stderr[-2000:]
    hidden = {d["data-id"] for d in dom.find_all("details", class_="doc") if d.has_attr("hidden")}
    assert hidden == {"r2<&>", "r3-clean"}  # no official errors there
    gold = column(dom, "r1-errors", "gold")
    assert "off" not in marks(gold, "Kang Insun")[0]["class"]
    assert "off" in marks(gold, "March 3, 2024")[0]["class"]
    doc = dom.find("details", attrs={"data-id": "r1-errors"})
    assert doc.find(class_="badge").get_text() == "3 errors in officials"
    assert [c["data-list"] for c in doc.find_all(class_="cnt") if not c.has_attr("hidden")] == ["officials"]
    # Rows of chips with nothing left to show are hidden too.
    assert doc.find(class_="col-gold").find(class_="themes").has_attr("hidden")
    assert doc.find(class_="col-gold").find(class_="unplaced").has_attr("hidden")
