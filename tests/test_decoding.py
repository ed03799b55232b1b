"""Decoding input bytes (extractor.decoding) and reading hostile files end to end.

The files in ``tests/data/hostile/`` are of our own making (see HOSTILE below
for what each one is and how it must come out). Big inputs (a 5 MB
transcript, 100,000 numbers) are generated in fixtures, not committed.
"""
import codecs
import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from extractor import decoding
from extractor.cli import app
from extractor.decoding import (
    LineDecoder,
    NotText,
    UndecodableLine,
    binary_kind,
    decode_bytes,
    declared_charset,
    describe_lines,
    detect_bom,
    guess_encoding,
    split_byte_lines,
)
from extractor.io import InputError, read_file, read_inputs
from extractor.pipeline import Failure, InputDocument
from extractor.schema import DocumentExtraction

HOSTILE = Path(__file__).parent / "data" / "hostile"
RELEASE = (
    "Foreign Minister Park Jin met Secretary of State Antony J. Blinken in Washington on May 3, 2023.\n"
    "The two ministers pledged $10 million to the World Food Programme.\n"
)
PROSE = {
    "english": "Secretary Blinken met Foreign Minister Park Jin on May 3, 2023.\n",
    "korean": "박진 외교부 장관은 3일 워싱턴에서 블링컨 국무장관과 회담했다.\n",
    "arabic": "وزير الخارجية أيمن الصفدي التقى بالوزير بلينكن.\n",
    "astral": "Emoji \U0001f1f0\U0001f1f7 and \U0001d40c\U0001d422\U0001d427 bold.\n",
    "empty": "",
}
DECODE = settings(derandomize=True, database=None, max_examples=60, deadline=None)


def _summary(items):
    """``doc:<id>`` for each document, the code (``E010``) for each error."""
    return [f"doc:{i.id}" if isinstance(i, InputDocument) else i.message[1:5] for i in items]


# --- byte-order marks and round trips -------------------------------------------------

@pytest.mark.parametrize(
    "head, expected",
    [
        (codecs.BOM_UTF8 + b"x", ("utf-8", 3)),
        (codecs.BOM_UTF16_LE + b"x\x00", ("utf-16", 2)),
        (codecs.BOM_UTF16_BE + b"\x00x", ("utf-16", 2)),
        (codecs.BOM_UTF32_LE + b"x\x00\x00\x00", ("utf-32", 4)),
        (codecs.BOM_UTF32_BE + b"\x00\x00\x00x", ("utf-32", 4)),
        (b"plain", (None, 0)),
        (b"", (None, 0)),
    ],
)
def test_detect_bom(head, expected):
    assert detect_bom(head) == expected


def _encode(text, how):
    if how == "utf-8":
        return text.encode("utf-8")
    if how == "utf-8-bom":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if how == "utf-16-le-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if how == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode("utf-32")  # with the platform's byte-order mark


ENCODINGS = ["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "utf-32"]


@pytest.mark.parametrize("how", ENCODINGS)
@pytest.mark.parametrize("text", PROSE.values(), ids=PROSE.keys())
def test_unicode_files_decode_to_their_text_without_warning(text, how):
    decoded = decode_bytes(_encode(text, how))
    assert decoded.text == text
    assert decoded.warning("f.txt") is None


@DECODE
@given(
    text=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    how=st.sampled_from(ENCODINGS),
)
def test_any_unicode_text_round_trips(text, how):
    # A leading U+FEFF in UTF-8 *is* a byte-order mark; text that starts like
    # a binary format ("%PDF-", "PK\x03\x04") is refused on purpose.
    assume(not text.startswith("\ufeff"))
    data = _encode(text, how)
    assume(binary_kind(data) is None)
    assert decode_bytes(data).text == text


@DECODE
@given(text=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1))
def test_utf16_streams_split_into_the_same_lines(text):
    # Lines end at "\n" only, as in UTF-8 files: U+2028 or CR inside a JSON
    # string must not cut a record in two.
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    expected = [line + "\n" for line in text.split("\n")[:-1]] + ([text.split("\n")[-1]] if not text.endswith("\n") else [])
    assert list(LineDecoder(io.BytesIO(data))) == expected


def test_utf16_lines_across_chunk_boundaries():
    # 64 KB chunks cut surrogate pairs and lines in two: both must survive.
    lines = [f"line {i} \U0001f600 외교부 {'x' * (i % 97)}\n" for i in range(4000)]
    data = codecs.BOM_UTF16_BE + "".join(lines).encode("utf-16-be")
    assert list(LineDecoder(io.BytesIO(data))) == lines


# --- binary input ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "head, kind",
    [
        (b"%PDF-1.7\n%\xb5\xb5\n1 0 obj", "a PDF document"),
        (b"\r\n%PDF-1.4\n", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x00\x00", "a ZIP archive"),
        (b"PK\x05\x06" + b"\x00" * 18, "an empty ZIP archive"),
        (gzip.compress(b"text"), "gzip-compressed data"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "a Microsoft Office 97-2003 file"),
        (b"{\\rtf1\\ansi\\deff0 Minister", "an RTF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"GIF89a\x01\x00", "a GIF image"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "a WebP image"),
        (b"\x00\x00\x00\x18ftypmp42", "an MP4/QuickTime/HEIC media file"),
        (b"\x7fELF\x02\x01\x01", "an executable (ELF)"),
        (b"BZh91AY&SY\x00", "bzip2-compressed data"),
        (b"\xfd7zXZ\x00\x00", "xz-compressed data"),
        (b"SQLite format 3\x00", "an SQLite database"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "binary data: NUL bytes"),
        (b"abc" * 100 + b"\x00", "binary data: NUL bytes"),
        ("Minister Park Jin met Secretary Blinken.".encode("utf-16-le"), "UTF-16 without a byte-order mark"),
        ("Minister Park Jin met Secretary Blinken.".encode("utf-16-be"), "UTF-16 without a byte-order mark"),
    ],
)
def test_binary_formats_are_named(head, kind):
    found = binary_kind(head)
    assert found is not None and found[0].startswith(kind)
    with pytest.raises(NotText):
        decode_bytes(head)


@pytest.mark.parametrize(
    "text",
    [
        "PK Minister said",
        "GIF of the day",
        "BZh the letters",
        "Rar! said the Minister",
        "MZ Minister",
        "SQLite is a database",
        "The attachment header reads %PDF-1.4 in the report.",
        "RIFF between the ministers",
        "",
    ],
)
def test_text_that_looks_like_a_signature_is_text(text):
    assert binary_kind(text.encode("utf-8")) is None
    assert decode_bytes(text.encode("utf-8")).text == text


def test_nul_bytes_after_the_first_8_kb_are_text():
    data = b"a" * decoding.SNIFF_BYTES + b"\x00tail"
    assert decode_bytes(data).text.endswith("\x00tail")


# --- legacy encodings -----------------------------------------------------------------

@pytest.mark.parametrize(
    "text, encoding",
    [
        ("The \u201cT\u00fcrk\u201d delegation met the Minister\u2019s staff. Stra\u00dfe, na\u00efve, \u00e9t\u00e9.", "cp1252"),
        ("Le ministre des Affaires \u00e9trang\u00e8res a annonc\u00e9 une aide de 5 millions d'euros \u00e0 la Gr\u00e8ce.", "latin-1"),
        ("Министр иностранных дел России заявил сегодня о новой помощи", "cp1251"),
        ("外務省は本日、日本と韓国の外相会談について発表しました。", "shift_jis"),
        ("외교부는 오늘 발표했다. 한국과 일본의 외교장관 회담이 열렸다.", "euc-kr"),
        ("外交部发言人今天宣布，中国将提供援助。", "gb18030"),
    ],
)
def test_legacy_text_is_decoded_with_a_warning(text, encoding):
    decoded = decode_bytes(f"Header line\n{text}\n".encode(encoding))
    assert decoded.text == f"Header line\n{text}\n"
    assert decoded.fallback_lines == (2,)
    warning = decoded.warning("a.txt")
    assert warning.startswith("[W006] a.txt: not valid UTF-8 (line 2); decoded as ")
    assert decoded.fallback in warning


@pytest.mark.parametrize("sample", [b"caf\xe9", "\u201cT\u00fcrk\u201d".encode("cp1252"), b'{"text": "\xff"}'])
def test_short_samples_fall_back_to_cp1252(sample):
    # charset-normalizer ranks UTF-16 or an Urdu code page first on these.
    assert guess_encoding(sample)[0] == "cp1252"


def test_a_detector_fault_falls_back_to_cp1252(monkeypatch):
    import charset_normalizer

    def boom(data):
        raise RuntimeError("detector bug")

    monkeypatch.setattr(charset_normalizer, "from_bytes", boom)
    assert guess_encoding(b"caf\xe9 \x93x\x94") == ("cp1252", decoding.HOW_DEFAULT)


def test_mixed_encodings_warn_only_for_the_lines_that_need_it():
    data = "é ok\n".encode() + "\u201cT\u00fcrk\u201d\n".encode("cp1252") + "한국\n".encode() + b"caf\xe9\n"
    lines = LineDecoder(io.BytesIO(data))
    assert list(lines) == ["é ok\n", "\u201cT\u00fcrk\u201d\n", "한국\n", "caf\u00e9\n"]
    assert lines.fallback_lines == [2, 4]
    assert lines.fallback == "cp1252"


def test_lines_before_an_undecodable_line_are_yielded(monkeypatch):
    # The guess is made from a bounded look-ahead; a later line that neither
    # the guess nor cp1252 decodes ends the stream with its line number.
    monkeypatch.setattr(decoding, "LOOKAHEAD_BYTES", 8)
    data = b"one\ncaf\xe9\n" + b"ok\n" * 10 + b"bad \x81\x8d\n" + b"never\n"
    lines = LineDecoder(io.BytesIO(data))
    seen = []
    with pytest.raises(UndecodableLine) as info:
        for line in lines:
            seen.append(line)
    assert seen == ["one\n", "caf\u00e9\n"] + ["ok\n"] * 10
    assert info.value.line == 13
    assert str(info.value) == "invalid start byte, also not cp1252, on line 13"


def test_line_decoding_streams():
    class Raw:
        """A file that breaks after three lines: the lines before are read."""

        def __init__(self):
            self.lines = iter([b"a\n", b"b\n", b"c\n"])

        def read(self, size):
            return b""

        def __iter__(self):
            yield from self.lines
            raise OSError("disk gone")

    seen = []
    with pytest.raises(OSError):
        for line in LineDecoder(Raw()):
            seen.append(line)
    assert seen == ["a\n", "b\n", "c\n"]


@pytest.mark.parametrize(
    "markup, expected",
    [
        (b'<meta charset="windows-1252">', "cp1252"),
        (b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=ISO-8859-1'>", "cp1252"),
        (b'<meta charset="euc-kr">', "euc_kr"),
        (b'<meta charset="utf-8">', None),
        (b'<meta charset="utf-16">', None),
        (b'<meta charset="no-such-thing">', None),
        (b"<p>charset=cp1251 in text</p>", None),
    ],
)
def test_declared_charset(markup, expected):
    assert declared_charset(markup) == expected


@pytest.mark.parametrize(
    "lines, expected",
    [([3], "line 3"), ([3, 5, 9], "lines 3, 5 and 9"), (list(range(1, 13)), "lines 1, 2, 3, 4, 5 and 7 more")],
)
def test_describe_lines(lines, expected):
    assert describe_lines(lines) == expected


@pytest.mark.parametrize(
    "head, rest, expected",
    [
        (b"a\nb", [b"c\n", b"d"], [b"a\n", b"bc\n", b"d"]),
        (b"a\n", [b"b\n"], [b"a\n", b"b\n"]),
        (b"", [], []),
        (b"abc", [], [b"abc"]),
    ],
)
def test_split_byte_lines(head, rest, expected):
    assert list(split_byte_lines(head, iter(rest))) == expected


# --- the hostile files, one by one ----------------------------------------------------

# file -> what reading it gives: "doc:<id>" per document, the code per error.
HOSTILE_EXPECTED = {
    "bare_string.json": ["E010"],  # a JSON file that is a bare string
    "cjk_mixed.txt": ["doc:cjk_mixed"],  # Korean, Chinese and Japanese paragraphs mixed with English
    "control_chars.txt": ["doc:control_chars"],  # VT, FF, ANSI colour codes, BEL, DEL, NEL, U+2028/2029
    "cp1252_quotes.txt": ["doc:cp1252_quotes"],  # cp1252: curly quotes, "Türk", em dash, euro sign
    "cp1252_rows.csv": ["doc:c1", "doc:c2", "doc:c3"],  # a cp1252 CSV; row c2 is plain ASCII
    "cr_only.txt": ["doc:cr_only"],  # old Mac line ends (CR only)
    "deep_nesting.json.gz": ["E010"],  # [[[[...]]]] 100,000 deep: RecursionError in json
    "digits_commas.txt.gz": ["doc:digits_commas"],  # "1,2,3,...,3000" (100,000 in a fixture)
    "dollars.txt.gz": ["doc:dollars"],  # 200,000 "$"
    "empty.txt": ["doc:empty"],  # zero bytes
    "gzip_renamed.txt": ["E022"],  # gzip data named .txt
    "invisible_spaces.txt": ["doc:invisible_spaces"],  # no-break, zero-width, word-joiner, soft hyphens in names
    "latin1_declared.html": ["doc:latin1_declared"],  # ISO-8859-1 page that says so in <meta>
    "long_line.txt.gz": ["doc:long_line"],  # 1 MB on one line
    "malformed.jsonl": [
        "doc:ok1", "E010", "E010", "E010", "E010", "E010", "E010", "E006", "E007",
        "doc:surrogate", "doc:bom_line", "doc:crlf", "E010", "doc:ok2",
    ],
    "minister_100k.txt.gz": ["doc:minister_100k"],  # "Minister " x 100,000
    "mixed_encoding.jsonl": ["doc:m1", "doc:m2", "doc:m3"],  # one cp1252 line among UTF-8 lines
    "nul_bytes.jsonl": ["E022"],  # NUL bytes in the first 8 KB
    "parens.txt.gz": ["doc:parens"],  # 100,000 "("
    "pdf_inside.txt.gz": ["E022"],  # a PDF, gzipped, named .txt.gz
    "pdf_renamed.txt": ["E022"],  # a PDF named .txt
    "png_renamed.html": ["E022"],  # a PNG named .html
    "rtl.txt": ["doc:rtl"],  # Arabic and Hebrew lines, RLM/LRM/RLO marks, Arabic-Indic digits
    "truncated.txt.gz": ["E020"],  # a gzip stream cut short
    "unicode_oddities.txt": ["doc:unicode_oddities"],  # İ (lower() grows), ligatures, full-width, math bold, ZWJ emoji, Zalgo
    "utf16_no_bom.txt": ["E022"],  # UTF-16 without a byte-order mark
    "utf16_truncated.txt": ["E023"],  # UTF-16 with a mark and an odd byte at the end
    "utf16be_bom.jsonl": ["doc:u1", "doc:u2"],
    "utf16le_bom.txt": ["doc:utf16le_bom"],
    "utf32_bom.txt": ["doc:utf32_bom"],
    "utf8_bom.csv": ["doc:b1"],  # the mark must not stick to the first column name
    "utf8_bom.txt": ["doc:utf8_bom"],
    "zip_renamed.txt": ["E022"],  # a ZIP archive named .txt
}


def test_every_hostile_file_has_an_expectation():
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(HOSTILE_EXPECTED)


def _read_hostile(name):
    return list(read_file(HOSTILE / name, root=HOSTILE))


@pytest.mark.parametrize("name", sorted(HOSTILE_EXPECTED))
def test_hostile_file_is_read_or_rejected_with_its_code(name):
    assert _summary(_read_hostile(name)) == HOSTILE_EXPECTED[name]


@pytest.mark.parametrize("name", ["utf8_bom.txt", "utf16le_bom.txt", "utf32_bom.txt"])
def test_unicode_files_with_a_mark_give_the_plain_text(name):
    (doc,) = _read_hostile(name)
    assert doc.text == RELEASE
    assert "decoding_warning" not in doc.meta


def test_utf16_jsonl_streams_its_records():
    u1, u2 = _read_hostile("utf16be_bom.jsonl")
    assert u1.text == RELEASE and u2.text.startswith("한국 외교부")


def test_a_bom_does_not_stick_to_the_first_csv_column():
    (doc,) = _read_hostile("utf8_bom.csv")
    assert doc.id == "b1" and doc.release_date == "2023-05-03" and doc.text == RELEASE


def test_cp1252_text_is_decoded_and_flagged():
    (doc,) = _read_hostile("cp1252_quotes.txt")
    assert "\u201cT\u00fcrk\u201d" in doc.text and "\u20ac5 million" in doc.text
    assert doc.meta["decoding_warning"] == (
        f"[W006] {HOSTILE / 'cp1252_quotes.txt'}: not valid UTF-8 (lines 1 and 2); decoded as cp1252 "
        "(charset-normalizer's best guess). Check accented letters and quotes in the output, "
        "or re-encode the file as UTF-8."
    )


def test_only_the_records_with_legacy_bytes_carry_the_warning():
    rows = {d.id: d for d in _read_hostile("cp1252_rows.csv")}
    assert "(line 2)" in rows["c1"].meta["decoding_warning"]
    assert "decoding_warning" not in rows["c2"].meta
    assert "(line 4)" in rows["c3"].meta["decoding_warning"] and rows["c3"].text.startswith("Caf\u00e9")
    m1, m2, m3 = _read_hostile("mixed_encoding.jsonl")
    assert "decoding_warning" not in m1.meta and "decoding_warning" not in m3.meta
    assert "(line 2); decoded as cp1252" in m2.meta["decoding_warning"]
    assert m1.text.startswith("UTF-8 line: Se\u00f1or") and m3.text.endswith("외교부 Minister Park.")


def test_a_page_that_declares_its_charset_is_decoded_with_it():
    (doc,) = _read_hostile("latin1_declared.html")
    assert "Le ministre fran\u00e7ais a rencontr\u00e9" in doc.text
    assert "decoded as cp1252 (the charset the page declares)" in doc.meta["decoding_warning"]


@pytest.mark.parametrize(
    "name, fragment",
    [
        ("pdf_renamed.txt", "not read as text (a PDF document). Extract its text first"),
        ("pdf_inside.txt.gz", "not read as text (a PDF document)"),
        ("zip_renamed.txt", "not read as text (a ZIP archive"),
        ("gzip_renamed.txt", "not read as text (gzip-compressed data). Give the file a name ending in .gz"),
        ("png_renamed.html", "not read as text (a PNG image)"),
        ("nul_bytes.jsonl", "not read as text (binary data: NUL bytes)"),
        ("utf16_no_bom.txt", "not read as text (UTF-16 without a byte-order mark). Re-save it as UTF-8"),
    ],
)
def test_binary_files_are_one_error_each_naming_the_format(name, fragment):
    (error,) = _read_hostile(name)
    assert isinstance(error, InputError) and error.location == str(HOSTILE / name)
    assert error.message == f"[E022] {HOSTILE / name}: {error.message.split(': ', 1)[1]}"
    assert fragment in error.message


def test_a_broken_utf16_file_names_its_encoding():
    (error,) = _read_hostile("utf16_truncated.txt")
    assert error.message.startswith(f"[E023] {HOSTILE / 'utf16_truncated.txt'}: cannot decode as UTF-16")
    assert error.id == "utf16_truncated"


def test_lone_surrogate_escapes_become_replacement_characters():
    docs = {d.id: d for d in _read_hostile("malformed.jsonl") if isinstance(d, InputDocument)}
    assert docs["surrogate"].text == "Lone \ufffd surrogate, Minister Park."
    assert docs["bom_line"].text == "A concatenated file kept its BOM."


def test_text_files_get_plain_line_ends():
    (doc,) = _read_hostile("cr_only.txt")
    assert "\r" not in doc.text and doc.text.count("\n") == 5


def test_truncated_gzip_jsonl_keeps_the_records_before_the_cut(tmp_path):
    lines = "".join(json.dumps({"id": f"r{i}", "text": f"Minister {i} spoke."}) + "\n" for i in range(2000))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(gzip.compress(lines.encode())[:-30])
    items = list(read_inputs([str(path)]))
    assert isinstance(items[-1], InputError) and items[-1].message.startswith("[E020]")
    assert [i.id for i in items[:-1]] == [f"r{i}" for i in range(len(items) - 1)]
    assert len(items) > 1000


# --- stdin ----------------------------------------------------------------------------

def _stdin(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def test_stdin_is_decoded_from_its_bytes():
    (doc,) = read_inputs(["-"], stdin=_stdin("The \u201cT\u00fcrk\u201d delegation.".encode("cp1252")))
    assert doc.text == "The \u201cT\u00fcrk\u201d delegation."
    assert doc.meta["decoding_warning"].startswith("[W006] <stdin>: not valid UTF-8 (line 1)")


def test_binary_stdin_is_an_error_not_a_crash():
    (error,) = read_inputs(["-"], stdin=_stdin(b"%PDF-1.4\n\x00\x01"))
    assert isinstance(error, InputError) and error.message.startswith("[E022] <stdin>: not read as text (a PDF")


def test_cli_reads_cp1252_from_stdin():
    result = CliRunner().invoke(app, ["extract", "-"], input="Minister Kim said \u201cT\u00fcrk\u201d.".encode("cp1252"))
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["text"] == "Minister Kim said \u201cT\u00fcrk\u201d."
    assert record["meta"]["decoding_warning"].startswith("[W006] <stdin>")


# --- big inputs, generated ------------------------------------------------------------

@pytest.fixture(scope="module")
def transcript(tmp_path_factory) -> Path:
    """A 5 MB press-conference transcript: speaker turns, questions, numbers."""
    turns = [
        "MODERATOR: Good afternoon. The Minister will take questions on the visit to Seoul.\n",
        "SECRETARY BLINKEN: Thank you. Today Foreign Minister Park Jin and I discussed the $10 million "
        "contribution to the World Food Programme, the meeting on March 3, 2023, and our work at the United Nations.\n",
        "QUESTION: Minister, can you say more about the timeline (and the 1,2,3 steps) you mentioned?\n",
        "FOREIGN MINISTER PARK: Yes. As I said on 5 May, Korea will provide KRW 2.5 billion; "
        "Vice Minister Cho Tae-yul will lead the talks in Geneva next week.\n",
        "MODERATOR: Last question, please.\n\n",
    ]
    path = tmp_path_factory.mktemp("big") / "transcript.txt"
    parts, size, n = [], 0, 0
    while size < 5_000_000:
        turn = turns[n % len(turns)].replace("Minister,", f"Minister ({n}),")
        parts.append(turn)
        size += len(turn)
        n += 1
    path.write_text("".join(parts), encoding="utf-8")
    return path


def test_a_5_mb_transcript_is_read_whole(transcript):
    (doc,) = read_inputs([str(transcript)])
    assert len(doc.text) >= 5_000_000 and doc.text == transcript.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_5_mb_transcript_is_extracted(transcript, ex):
    (doc,) = read_inputs([str(transcript)])
    (record,) = ex.pipe([doc], failures="yield")
    assert isinstance(record, DocumentExtraction), getattr(record, "cause", record)
    assert DocumentExtraction.model_validate_json(record.model_dump_json()) == record
    assert record.officials and record.pledges and record.dates
    for name in ("officials", "organisations", "dates", "pledges", "themes"):
        for item in getattr(record, name) or []:
            for mention in item.mentions:
                assert doc.text[mention.start : mention.end] == mention.text


def test_100000_numbers_with_commas_are_one_document(tmp_path):
    path = tmp_path / "numbers.txt"
    path.write_text(",".join(str(i) for i in range(1, 100_001)), encoding="utf-8")
    (doc,) = read_inputs([str(path)])
    assert doc.text.startswith("1,2,3,") and doc.text.endswith(",100000")


# --- a batch over the whole folder ----------------------------------------------------

@pytest.mark.slow
def test_a_batch_over_the_hostile_folder_accounts_for_every_document(tmp_path):
    # Some hostile files take spaCy's tokenizer or a component a very long
    # time (see test_properties.py); the time limit turns them into E021
    # errors, and the accounting must hold all the same.
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    result = CliRunner().invoke(
        app,
        ["extract", str(HOSTILE), "-o", str(out), "--errors", str(errors), "--timeout-per-doc", "5", "-q"],
    )
    assert result.exit_code == 0, result.output
    documents_in = sum(len(expected) for expected in HOSTILE_EXPECTED.values())
    # Not splitlines(): records may hold U+2028 or U+0085, which JSON leaves raw.
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").split("\n") if line]
    failed = [json.loads(line) for line in errors.read_text(encoding="utf-8").split("\n") if line]
    assert len(records) + len(failed) == documents_in
    read_errors = sum(e.startswith("E") for expected in HOSTILE_EXPECTED.values() for e in expected)
    assert len([f for f in failed if not f["cause"].startswith("[E021]")]) == read_errors
    for record in records:
        DocumentExtraction.model_validate(record)
    assert {f["cause"][:6] for f in failed} <= {"[E006]", "[E007]", "[E010]", "[E020]", "[E021]", "[E022]", "[E023]"}


def test_the_library_accounts_for_every_readable_hostile_document(ex):
    # The fast part of the batch, through the library: every file whose
    # documents take the pipeline no time.
    slow = {"dollars.txt.gz", "parens.txt.gz", "long_line.txt.gz", "minister_100k.txt.gz"}
    items = [i for name in sorted(HOSTILE_EXPECTED) if name not in slow for i in _read_hostile(name)]
    documents = [i for i in items if isinstance(i, InputDocument)]
    results = list(ex.pipe(documents, failures="yield"))
    assert not [r for r in results if isinstance(r, Failure)]
    assert len(results) + sum(isinstance(i, InputError) for i in items) == len(items)
