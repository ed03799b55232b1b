"""Reading inputs: every file type (plain and gzipped), folders, globs, ids, errors; HTML to text."""
import gzip
import io
import json

import pytest

from extractor import decoding

from extractor.html import html_to_text, iso_date
from extractor.io import (
    InputError,
    Keys,
    file_id,
    file_type,
    glob_matcher,
    read_inputs,
    read_records,
)
from extractor.pipeline import InputDocument


def _write(path, content, *, compressed=False):
    """Write ``content`` (str as UTF-8, or bytes) to ``path``, gzipped if asked."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data) if compressed else data)
    return path


def _read(*inputs, **kwargs):
    return list(read_inputs([str(i) for i in inputs], **kwargs))


def _summary(items):
    return [
        (i.id, i.text, i.release_date) if isinstance(i, InputDocument) else ("ERROR", i.message, i.id)
        for i in items
    ]


# --- every format, plain and gzipped --------------------------------------------------

FORMATS = [
    ("a.txt", "Minister Park Jin spoke.\n", [("a", "Minister Park Jin spoke.\n", None)]),
    ("a.md", "# Title\n\nBody.", [("a", "# Title\n\nBody.", None)]),
    ("a.text", "Plain.", [("a", "Plain.", None)]),
    (
        "a.html",
        (
            "<html><head><title>T</title><meta name='date' content='2024-03-01'></head>"
            "<body><nav>Home</nav><p>First.</p><p>Second.</p></body></html>"
        ),
        [("a", "First.\n\nSecond.", "2024-03-01")],
    ),
    ("a.htm", "<p>Only <b>this</b>.</p>", [("a", "Only this.", None)]),
    (
        "a.csv",
        "id,text,release_date\nr1,Hello there.,2024-01-02\n,No id.,\n",
        [("r1", "Hello there.", "2024-01-02"), ("a:2", "No id.", None)],
    ),
    (
        "a.jsonl",
        '{"id": "r1", "text": "Hello.", "release_date": "2024-01-02"}\n\n{"text": "Bye."}\n',
        [("r1", "Hello.", "2024-01-02"), ("a:3", "Bye.", None)],
    ),
    ("a.ndjson", '{"id": "r1", "text": "Hello."}\n', [("r1", "Hello.", None)]),
    (
        "a.json",
        '[{"id": "r1", "text": "Hello."}, {"text": "Bye."}]',
        [("r1", "Hello.", None), ("a:2", "Bye.", None)],
    ),
    ("a.json", '{"id": "one", "text": "Single."}', [("one", "Single.", None)]),
]


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gz"])
@pytest.mark.parametrize("name, content, expected", FORMATS, ids=[f[0] + str(i) for i, f in enumerate(FORMATS)])
def test_every_format_plain_and_gzipped(tmp_path, name, content, expected, compressed):
    path = _write(tmp_path / (name + (".gz" if compressed else "")), content, compressed=compressed)
    assert _summary(_read(path)) == expected


def test_text_and_html_keep_their_path_and_title_in_meta(tmp_path):
    _write(tmp_path / "r.html.gz", "<title>Press release</title><p>Text.</p>", compressed=True)
    _write(tmp_path / "n.txt", "Note.")
    html, text = _read(tmp_path / "r.html.gz", tmp_path / "n.txt")
    assert html.meta == {"path": str(tmp_path / "r.html.gz"), "title": "Press release"}
    assert text.meta == {"path": str(tmp_path / "n.txt")}


def test_a_byte_order_mark_is_not_text(tmp_path):
    _write(tmp_path / "b.csv", "\ufeffid,text\nr1,Hello.\n")
    _write(tmp_path / "b.txt", "\ufeffHello.")
    _write(tmp_path / "b.jsonl", '\ufeff{"id": "j", "text": "Hello."}\n')
    assert [(i.id, i.text) for i in _read(tmp_path)] == [("r1", "Hello."), ("j", "Hello."), ("b", "Hello.")]


def test_jsonl_is_read_one_line_at_a_time():
    def lines():
        yield '{"id": "first", "text": "One."}\n'
        raise AssertionError("read past the first record")

    records = read_records(lines(), location="x.jsonl", keys=Keys(), id_prefix="x")
    assert next(records).id == "first"


# --- CSV ------------------------------------------------------------------------------

def test_csv_quoted_newlines_and_other_columns_to_meta(tmp_path):
    path = _write(
        tmp_path / "releases.csv",
        'id,title,text,release_date,issuer_name\r\n'
        'kr-1,"Talks","SEOUL, March 3 -\r\nMinister Park Jin met ""allies"".\r\n\r\nEnd.",2024-03-03,MOFA\r\n'
        'kr-2,Call,Short one.,,\r\n',
    )
    first, second = _read(path)
    assert first.id == "kr-1"
    assert first.text == 'SEOUL, March 3 -\r\nMinister Park Jin met "allies".\r\n\r\nEnd.'
    assert first.release_date == "2024-03-03"
    assert first.meta == {"title": "Talks", "issuer_name": "MOFA"}
    assert (second.id, second.text, second.release_date) == ("kr-2", "Short one.", None)


def test_csv_with_custom_keys(tmp_path):
    path = _write(tmp_path / "c.csv", "doc,body,date,lang\nd1,Hello.,2024-05-06,en\n")
    (doc,) = _read(path, keys=Keys(text="body", id="doc", date="date"))
    assert (doc.id, doc.text, doc.release_date, doc.meta) == ("d1", "Hello.", "2024-05-06", {"lang": "en"})


@pytest.mark.parametrize(
    "bad_row, code, error_id, words",
    [
        ("r2\n", "E018", "r2", ["'text'", "1 fields", "header has 3"]),
        ("r2,Hello,2024-01-01,surplus\n", "E019", "r2", ["4 fields but the header has 3"]),
        ('r2,"Hello" there,x\n', "E019", None, ["expected after"]),
    ],
    ids=["missing-text", "extra-field", "bad-quote"],
)
def test_a_broken_csv_row_is_reported_and_the_rest_read(tmp_path, bad_row, code, error_id, words):
    path = _write(
        tmp_path / "broken.csv",
        "id,text,release_date\n" + "r1,Fine.,\n" + bad_row + "r3,Also fine.,\n",
    )
    items = _read(path)
    assert [i.id for i in items] == ["r1", error_id, "r3"]
    error = items[1]
    assert isinstance(error, InputError)
    assert error.location == f"{path}:3"
    assert error.message.startswith(f"[{code}] {path}, row 2 (line 3):")
    for word in words:
        assert word in error.message
    assert items[2].text == "Also fine."


def test_csv_rows_are_numbered_after_the_header_blank_rows_included(tmp_path):
    path = _write(tmp_path / "n.csv", 'text\n"multi\nline"\n\nthird\n,\n')
    assert [(i.id, i.text) for i in _read(path)] == [("n:1", "multi\nline"), ("n:3", "third")]


def test_an_unterminated_quote_does_not_swallow_the_file_silently(tmp_path):
    path = _write(tmp_path / "u.csv", 'id,text\nr1,Fine.\nr2,"never closed\nr3,lost\n')
    items = _read(path)
    assert items[0].id == "r1"
    assert isinstance(items[1], InputError) and "row 2 (line 3)" in items[1].message
    assert len(items) == 2


@pytest.mark.parametrize(
    "content, shown",
    [("id,body\nr1,Hello.\n", "'id', 'body'"), ("Hello.\nBye.\n", "'Hello.'"), ("", "empty file")],
    ids=["other-columns", "no-header", "empty"],
)
def test_a_csv_without_a_text_column_is_one_error(tmp_path, content, shown):
    path = _write(tmp_path / "h.csv", content)
    (error,) = _read(path)
    assert isinstance(error, InputError)
    assert error.message.startswith(f"[E017] {path}: the CSV has no 'text' column")
    assert shown in error.message


# --- HTML -----------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html><head>
  <title>  Foreign Minister
     meets UN chief | MOFA </title>
  <meta charset="utf-8">
  <style>p { color: red }</style>
  <script>var tracking = "Secretary Nobody";</script>
</head>
<body class="menu-open">
  <a class="skip-link" href="#main">Skip to content</a>
  <header><div class="logo">Ministry</div><nav><ul><li>Home</li><li>Press</li></ul></nav></header>
  <div class="breadcrumb">Home &gt; Press</div>
  <div id="cookieBanner">We use cookies. <button>Accept</button></div>
  <div role="navigation">Prev | Next</div>
  <main id="main"><article>
    <header><h1>Minister meets   Secretary-General</h1></header>
    <p>SEOUL &ndash; Minister Park Jin met
       Secretary-General Guterres&nbsp;on March 3.</p>
    <p>Line one<br>line two<br><br>after a blank line</p>
    <ul><li>First item</li><li>Second <b>item</b><ul><li>nested item</li></ul></li></ul>
    <!-- a comment -->
    <noscript>Enable JavaScript</noscript>
    <template><p>Template text</p></template>
    <svg><title>icon</title><text>svg text</text></svg>
    <iframe src="x">frame</iframe>
    <table><tr><th>Recipient</th><th>Amount</th></tr><tr><td>UNICEF</td><td>$1 million</td></tr></table>
    <footer>Tags: diplomacy</footer>
  </article></main>
  <aside>Related releases</aside>
  <form><input name="q">Search the site</form>
  <footer>Copyright 2024</footer>
</body></html>
"""

PAGE_TEXT = (
    "Minister meets Secretary-General\n\n"
    "SEOUL – Minister Park Jin met Secretary-General Guterres on March 3.\n\n"
    "Line one\nline two\n\nafter a blank line\n\n"
    "First item\nSecond item\nnested item\n\n"
    "Recipient\tAmount\nUNICEF\t$1 million"
)


def test_html_page_furniture_goes_and_the_layout_stays():
    text, meta = html_to_text(PAGE)
    assert text == PAGE_TEXT
    assert meta == {"title": "Foreign Minister meets UN chief | MOFA"}


@pytest.mark.parametrize(
    "markup, text",
    [
        ("<p>a</p>\n\n\n<div>b</div><h2>c</h2>", "a\n\nb\n\nc"),
        ("<p>  many    spaces\tand\nnewlines  </p>", "many spaces and newlines"),
        ("a<br/>b<br><br><br><br>c", "a\nb\n\nc"),
        ("<p>a<br></p><p>b</p>", "a\n\nb"),
        ("<ol><li>one</li>\n<li>two</li></ol>after", "one\ntwo\n\nafter"),
        ("<div><span>Park</span> <span>Jin</span></div>", "Park Jin"),
        ("<pre>line  1\nline 2</pre>", "line 1\nline 2"),
        ("<div class='navbar'>x</div><div class='main-menu'>x</div><p>kept</p>", "kept"),
        ("<div class='navy-blue canvas'>kept</div>", "kept"),
        ("<div id='skipNav'>x</div><div class='cookie-consent'>x</div><p>kept</p>", "kept"),
        ("<div class='menu-open'><main><p>kept</p></main></div>", "kept"),
        ("<div role='banner'>x</div><div role='contentinfo'>y</div><p>kept</p>", "kept"),
        ("<header>Site name</header><p>kept</p>", "kept"),
        ("<article><header><h1>Headline</h1></header><p>Body</p></article>", "Headline\n\nBody"),
        ("<p>Fish &amp; chips &lt;3</p>", "Fish & chips <3"),
        ("index.html", "index.html"),
        ("", ""),
    ],
)
def test_html_to_text(markup, text):
    assert html_to_text(markup)[0] == text


@pytest.mark.parametrize(
    "head, body, date",
    [
        ("<meta name='date' content='2024-02-29'>", "", "2024-02-29"),
        ("<meta name='DC.date' content='2024-02-29T10:00:00+09:00'>", "", "2024-02-29"),
        ("<meta property='article:published_time' content='2023-12-31T23:59:00Z'>", "", "2023-12-31"),
        ("<meta name='pubdate' content='2022-05-01'>", "", "2022-05-01"),
        ("", "<p>On <time datetime='2024-03-05'>5 March</time> and <time datetime='2024-04-01'>x</time></p>",
         "2024-03-05"),
        ("<meta name='date' content='yesterday'>", "<time datetime='2024-03-05'>x</time>", "2024-03-05"),
        ("<meta name='date' content='2023-02-30'>", "", None),
        ("<meta name='date' content='2024-01-09'>", "<time datetime='2024-03-05'>x</time>", "2024-01-09"),
        ("", "<time>5 March</time>", None),
        ("", "<nav><time datetime='2020-01-01'>x</time></nav><p>text</p>", None),
        ("<meta name='description' content='2024-01-01'>", "", None),
    ],
)
def test_html_release_date(head, body, date):
    _, meta = html_to_text(f"<html><head>{head}</head><body>{body}</body></html>")
    assert meta.get("release_date") == date


def test_html_title_is_not_an_svg_title():
    assert html_to_text("<body><svg><title>icon</title></svg><p>x</p></body>")[1] == {}


@pytest.mark.parametrize(
    "value, date",
    [
        ("2024-02-29", "2024-02-29"),
        (" 2024-02-29T09:00:00+09:00", "2024-02-29"),
        ("2023-02-29", None),
        ("20240229", None),
        ("2024-02-291", None),
        ("March 3, 2024", None),
        ("", None),
        (None, None),
    ],
)
def test_iso_date(value, date):
    assert iso_date(value) == date


def test_html_file_gives_release_date_and_title(tmp_path):
    path = _write(tmp_path / "2024" / "mofa-001.html", PAGE.replace(
        "<meta charset", "<meta name='dc.date' content='2024-03-03'><meta charset"))
    (doc,) = _read(path)
    assert (doc.id, doc.text, doc.release_date) == ("mofa-001", PAGE_TEXT, "2024-03-03")
    assert doc.meta["title"] == "Foreign Minister meets UN chief | MOFA"


# --- folders, globs, ids --------------------------------------------------------------

@pytest.fixture()
def mixed(tmp_path):
    root = tmp_path / "in"
    _write(root / "b.html", "<p>B html</p>")
    _write(root / "a.txt", "A text")
    _write(root / "c.jsonl.gz", '{"text": "C1"}\n{"id": "c-two", "text": "C2"}\n', compressed=True)
    _write(root / "d.csv", "text\nD row\n")
    _write(root / "2024" / "e.txt.gz", "E text", compressed=True)
    _write(root / "2024" / "sub" / "f.htm", "<p>F</p>")
    _write(root / "2024" / "notes.pdf", b"%PDF-1.4")
    _write(root / "2024" / "archive.tar.gz", b"not read", compressed=True)
    _write(root / ".hidden" / "g.txt", "hidden")
    _write(root / "._a.txt", b"\x00\x05\x16\x07 AppleDouble \xff")
    _write(root / "press.2024-03-03.md", "Dotted name")
    return root


def test_a_mixed_folder_in_sorted_order_with_relative_ids(mixed):
    assert [(i.id, i.text) for i in _read(mixed)] == [
        ("2024/e", "E text"),
        ("2024/sub/f", "F"),
        ("a", "A text"),
        ("b", "B html"),
        ("c:1", "C1"),
        ("c-two", "C2"),
        ("d:1", "D row"),
        ("press.2024-03-03", "Dotted name"),
    ]


@pytest.mark.parametrize(
    "pattern, ids",
    [
        ("*.html", ["b"]),
        ("*.htm*", ["2024/sub/f", "b"]),
        ("**/*.txt", ["a"]),
        ("**/*.txt*", ["2024/e", "a"]),
        ("2024/**", ["ERROR", "2024/e", "ERROR", "2024/sub/f"]),
        ("2024/*", ["ERROR", "2024/e", "ERROR"]),
        ("*.gz", ["ERROR", "2024/e", "c:1", "c-two"]),
        ("[ab].*", ["a", "b"]),
        ("?.csv", ["d:1"]),
        ("*.xml", []),
    ],
)
def test_glob_filters_folder_files(mixed, pattern, ids):
    items = _read(mixed, glob=pattern)
    assert [i.id if isinstance(i, InputDocument) else "ERROR" for i in items] == ids
    assert all("[E016]" in i.message for i in items if isinstance(i, InputError))


def test_glob_does_not_filter_files_named_explicitly(mixed):
    assert [i.id for i in _read(mixed / "a.txt", mixed / "b.html", glob="*.csv")] == ["a", "b"]


@pytest.mark.parametrize(
    "pattern, ids",
    [
        ("*.txt", ["a"]),
        ("**/*.md", ["sub/b"]),
        ("sub/*.md", ["b"]),
        ("*", ["a", "sub/b"]),
    ],
)
def test_glob_inputs_give_ids_relative_to_the_pattern_start(tmp_path, pattern, ids):
    _write(tmp_path / "a.txt", "A")
    _write(tmp_path / "sub" / "b.md", "B")
    _write(tmp_path / "sub" / "c.pdf", b"%PDF")
    assert [i.id for i in _read(f"{tmp_path}/{pattern}")] == ids


@pytest.mark.parametrize(
    "name, expected",
    [
        ("a.txt", (".txt", False)),
        ("A.JSONL.GZ", (".jsonl", True)),
        ("c.html.gz", (".html", True)),
        ("d.csv", (".csv", False)),
        ("notes.gz", ("", True)),
        ("archive.tar.gz", (".tar", True)),
    ],
)
def test_file_type(name, expected):
    assert file_type(name) == expected


@pytest.mark.parametrize(
    "path, root, expected",
    [
        ("in/2024/brief.txt", "in", "2024/brief"),
        ("in/2024/brief.v2.txt.gz", "in", "2024/brief.v2"),
        ("in/a.jsonl.gz", "in", "a"),
        ("in/a.JSON", "in", "a"),
        ("elsewhere/x.csv.gz", "in", "x"),
        ("in/archive.tar.gz", "in", "archive.tar"),
    ],
)
def test_file_id(tmp_path, path, root, expected):
    assert file_id(tmp_path / path, tmp_path / root) == expected


@pytest.mark.parametrize(
    "pattern, path, matches",
    [
        ("*.html", "a.html", True),
        ("*.html", "x/y/a.html", True),
        ("*.html", "a.html.gz", False),
        ("**/*.txt", "a.txt", True),
        ("**/*.txt", "x/y/a.txt", True),
        ("x/*.txt", "x/a.txt", True),
        ("x/*.txt", "x/y/a.txt", False),
        ("./x/**", "x/y/a.txt", True),
        ("[!a]*.txt", "a.txt", False),
        ("[!a]*.txt", "b.txt", True),
        ("a?.txt", "ab.txt", True),
        ("a[.txt", "a[.txt", True),
    ],
)
def test_glob_matcher(pattern, path, matches):
    assert glob_matcher(pattern)(path) is matches


def test_single_file_ids_are_the_stem_without_suffixes(tmp_path):
    _write(tmp_path / "deep" / "r.2024.txt.gz", "x", compressed=True)
    _write(tmp_path / "deep" / "s.jsonl", '{"text": "x"}\n{"id": 7, "text": "y"}\n')
    items = _read(tmp_path / "deep" / "r.2024.txt.gz", tmp_path / "deep" / "s.jsonl")
    assert [i.id for i in items] == ["r.2024", "s:1", "7"]


# --- faults ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name, content, ids, text",
    [
        ("old.txt", b"line one\ncaf\xe9", ["old"], "line one\ncaf\u00e9"),
        ("old.html", b"<p>caf\xe9</p>", ["old"], "caf\u00e9"),
        ("old.csv", b"id,text\nr1,fine\nr2,caf\xe9\n", ["r1", "r2"], "caf\u00e9"),
        ("old.jsonl", b'{"id": "j1", "text": "fine"}\n{"id": "j2", "text": "caf\xe9"}\n', ["j1", "j2"], "caf\u00e9"),
        ("old.jsonl.gz", gzip.compress(b'{"id": "j1", "text": "fine"}\n{"id": "j2", "text": "\xff"}\n'), ["j1", "j2"], "\u00ff"),
        ("old.json", b'[{"id": "j1", "text": "caf\xe9"}]', ["j1"], "caf\u00e9"),
    ],
)
def test_legacy_bytes_are_decoded_with_a_warning(tmp_path, name, content, ids, text):
    path = _write(tmp_path / name, content)
    items = _read(path, _write(tmp_path / "z.txt", "After."))
    assert [i.id for i in items] == ids + ["z"]
    last = items[-2]
    assert last.text == text
    assert last.meta["decoding_warning"].startswith(f"[W006] {path}: not valid UTF-8 (line ")
    assert "decoding_warning" not in items[-1].meta


@pytest.mark.parametrize("name", ["bad.jsonl", "bad.csv"])
def test_undecodable_bytes_are_an_error_for_that_file_only(tmp_path, monkeypatch, name):
    # E009 is left for a line that neither the guessed encoding nor cp1252
    # decodes; the guess is made from a bounded look-ahead, shrunk here.
    monkeypatch.setattr(decoding, "LOOKAHEAD_BYTES", 8)
    if name.endswith(".csv"):
        content = b"id,text\nr1,caf\xe9\n" + b"r2,fine\n" + b"r3,\x81\x8d\nr4,never read\n"
    else:
        content = (b'{"id": "r1", "text": "caf\xe9"}\n{"id": "r2", "text": "fine"}\n'
                   b'{"id": "r3", "text": "\x81\x8d"}\n{"id": "r4", "text": "never read"}\n')
    bad = _write(tmp_path / name, content)
    items = _read(bad, _write(tmp_path / "z.txt", "After."))
    assert [i.id for i in items if isinstance(i, InputDocument)] == ["r1", "r2", "z"]
    (error,) = [i for i in items if isinstance(i, InputError)]
    assert error.location == str(bad)
    assert error.message.startswith(f"[E009] {bad}: cannot decode as UTF-8")
    assert "also not cp1252, on line " in error.message


@pytest.mark.parametrize(
    "content",
    [b"not gzip at all", gzip.compress(b"Some text that is cut short" * 20)[:30]],
    ids=["not-gzip", "truncated"],
)
def test_a_broken_gzip_is_an_error_for_that_file_only(tmp_path, content):
    bad = _write(tmp_path / "bad.txt.gz", content)
    items = _read(bad, _write(tmp_path / "ok.txt", "OK"))
    assert isinstance(items[0], InputError) and items[0].message.startswith(f"[E020] {bad}: cannot read")
    assert items[0].id == "bad"
    assert items[1].text == "OK"


@pytest.mark.parametrize("name", ["slides.pdf", "notes.gz", "data.xml.gz"])
def test_an_unsupported_file_named_explicitly_is_reported(tmp_path, name):
    path = _write(tmp_path / name, b"x")
    (error,) = _read(path)
    assert isinstance(error, InputError) and error.message.startswith(f"[E016] Input '{path}'")


@pytest.mark.parametrize("name", ["missing.txt", "missing/*.txt"])
def test_a_missing_input_raises_before_any_document(tmp_path, name):
    stream = read_inputs([str(_write(tmp_path / "ok.txt", "OK")), str(tmp_path / name)])
    with pytest.raises(FileNotFoundError, match="E005"):
        next(stream)


# --- stdin ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "content, expected",
    [
        ("Plain text.", [("stdin", "Plain text.")]),
        ('{"id": "s1", "text": "One."}\n{"text": "Two."}\n', [("s1", "One."), ("stdin:2", "Two.")]),
    ],
)
def test_stdin(content, expected):
    items = list(read_inputs(["-"], stdin=io.StringIO(content)))
    assert [(i.id, i.text) for i in items] == expected


def test_jsonl_records_keep_other_fields_as_meta(tmp_path):
    path = _write(tmp_path / "m.jsonl", json.dumps({"id": "x", "text": "T", "source": "MOFA"}) + "\n")
    (doc,) = _read(path)
    assert doc.meta == {"source": "MOFA"}
