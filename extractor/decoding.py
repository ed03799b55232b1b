"""Turn the bytes of an input file into text, or say why they are not text.

What decides the encoding, in order:

1. a byte-order mark: UTF-8, UTF-16 (LE/BE) or UTF-32 (LE/BE);
2. strict UTF-8, line by line;
3. for a line that is not UTF-8, a legacy encoding chosen once per file: the
   charset an HTML page declares, else charset-normalizer's best guess on the
   lines that are not UTF-8, else cp1252. The numbers of those lines are kept,
   so the reader can warn (W006) and name them.

Binary data is refused before any decoding (:class:`NotText`): a known magic
number (PDF, ZIP, Office, images, archives, executables ...) or NUL bytes in
the first 8 KB without a UTF-16/32 byte-order mark.

Lines are split on ``b"\\n"``, which is safe for every ASCII-compatible
encoding: no multi-byte sequence of UTF-8, the cp125x family, Shift-JIS,
GB18030, Big5 or EUC-KR contains the byte 0x0A. UTF-16 and UTF-32 are decoded
as a stream. Nothing here touches files or global state: bytes (or a binary
stream the caller opened) in, text or an exception out.
"""
import codecs
import io
import re
from collections import deque
from dataclasses import dataclass
from typing import IO, Iterable, Iterator, Optional

from .errors import Warnings

SNIFF_BYTES = 8192
# How far the reader looks ahead, at the first line that is not UTF-8, for
# more such lines to guess the encoding from: a bounded buffer keeps the
# stream a stream.
LOOKAHEAD_BYTES = 1 << 20
GUESS_SAMPLE_BYTES = 1 << 16
DEFAULT_LEGACY = "cp1252"
# Fewer non-ASCII bytes than this are too little for a guess to beat cp1252.
MIN_GUESS_BYTES = 32
# Multi-byte legacy encodings, as charset-normalizer names them.
MULTI_BYTE = frozenset(
    {
        "big5", "big5hkscs", "cp932", "cp949", "cp950", "euc_jis_2004", "euc_jisx0213", "euc_jp",
        "euc_kr", "gb18030", "gb2312", "gbk", "hz", "johab", "shift_jis", "shift_jis_2004",
        "shift_jisx0213",
    }
)

HOW_GUESSED = "charset-normalizer's best guess"
HOW_DEFAULT = "the default when there is too little to guess from"
HOW_DECLARED = "the charset the page declares"

_BOMS = (
    # UTF-32 first: its little-endian mark starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_CONVERT = "Convert it to text (.txt, .html, .csv, .jsonl) or leave it out of the input."
_UNPACK = "Unpack it and pass the files inside (a .gz file is read as it is if its name ends in .gz)."
# (magic bytes at offset 0, what it is, the fix). Only signatures of four
# bytes or more, or ones that cannot begin prose, so that no text is refused.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx/.pptx/.odt/.epub file, which are ZIP archives)", _CONVERT),
    (b"PK\x05\x06", "an empty ZIP archive", _CONVERT),
    (b"PK\x07\x08", "a ZIP archive", _CONVERT),
    (b"\x1f\x8b", "gzip-compressed data", "Give the file a name ending in .gz (a.txt.gz), or unpack it."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Microsoft Office 97-2003 file (.doc/.xls/.ppt/.msg)", _CONVERT),
    (b"{\\rtf", "an RTF document", _CONVERT),
    (b"%!PS", "a PostScript document", _CONVERT),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", _CONVERT),
    (b"\xff\xd8\xff", "a JPEG image", _CONVERT),
    (b"GIF87a", "a GIF image", _CONVERT),
    (b"GIF89a", "a GIF image", _CONVERT),
    (b"II*\x00", "a TIFF image", _CONVERT),
    (b"MM\x00*", "a TIFF image", _CONVERT),
    (b"\xfd7zXZ\x00", "xz-compressed data", _UNPACK),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", _UNPACK),
    (b"Rar!\x1a\x07", "a RAR archive", _UNPACK),
    (b"\x28\xb5\x2f\xfd", "Zstandard-compressed data", _UNPACK),
    (b"\x7fELF", "an executable (ELF)", _CONVERT),
    (b"SQLite format 3\x00", "an SQLite database", _CONVERT),
    (b"OggS\x00", "an Ogg audio/video file", _CONVERT),
)
_PDF = b"%PDF-"
# Readers accept a PDF header anywhere in the first 1024 bytes; text may quote
# "%PDF-1.4" too, so away from the start it counts only beside NUL bytes.
_PDF_WINDOW = 1024
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ASCII = bytes(range(128))


class NotText(ValueError):
    """The bytes are a binary format, not text; ``kind`` says which, ``fix`` what to do."""

    def __init__(self, kind: str, fix: str) -> None:
        super().__init__(kind)
        self.kind = kind
        self.fix = fix


class UndecodableLine(ValueError):
    """A line that no chosen encoding decodes.

    ``encoding`` is the encoding that failed; ``bom`` says whether a
    byte-order mark declared it (the file is then not UTF-8 at all) and
    ``fallback`` names the legacy encoding that failed too, if one was tried.
    """

    def __init__(
        self, reason: str, line: int, *, encoding: str, bom: bool = False, fallback: Optional[str] = None
    ) -> None:
        also = f", also not {fallback}," if fallback else ""
        super().__init__(f"{reason}{also} on line {line}")
        self.reason = reason
        self.line = line
        self.encoding = encoding
        self.bom = bom
        self.fallback = fallback


@dataclass(frozen=True)
class Decoded:
    """The text of a whole document and how it was decoded.

    ``encoding`` is what the file is in ("utf-8", "utf-16", "utf-32");
    ``fallback`` the legacy encoding used for ``fallback_lines`` (1-based),
    chosen as ``how`` says; both empty for a clean Unicode file.
    """

    text: str
    encoding: str = "utf-8"
    fallback: Optional[str] = None
    fallback_lines: tuple[int, ...] = ()
    how: Optional[str] = None

    def warning(self, location: str) -> Optional[str]:
        """The W006 message for this document, or None if nothing was guessed."""
        if not self.fallback_lines or self.fallback is None or self.how is None:
            return None
        return fallback_warning(location, self.fallback_lines, encoding=self.fallback, how=self.how)


def detect_bom(head: bytes) -> tuple[Optional[str], int]:
    """The encoding a byte-order mark at the start of ``head`` declares, and the mark's length."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom)
    return None, 0


def binary_kind(head: bytes) -> Optional[tuple[str, str]]:
    """What binary format ``head`` (the first bytes of a file) is, with the fix; None for text.

    A UTF-16/32 byte-order mark makes NUL bytes legitimate; without one, a
    NUL in the first :data:`SNIFF_BYTES` bytes means binary data (or UTF-16
    without a mark, which is named as such).
    """
    for magic, kind, fix in _MAGIC:
        if head.startswith(magic):
            return kind, fix
    if head.lstrip(b" \t\r\n\x0c").startswith(_PDF) or (_PDF in head[:_PDF_WINDOW] and b"\x00" in head):
        return "a PDF document", "Extract its text first (for example with pdftotext) and pass the .txt file."
    if _BZIP2.match(head):
        return "bzip2-compressed data", _UNPACK
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[head[8:12]], _CONVERT
    if head[4:8] == b"ftyp":
        return "an MP4/QuickTime/HEIC media file", _CONVERT
    bom, _ = detect_bom(head)
    window = head[:SNIFF_BYTES]
    if bom in ("utf-16", "utf-32") or b"\x00" not in window:
        return None
    if _looks_like_utf16(window):
        return (
            "UTF-16 without a byte-order mark",
            "Re-save it as UTF-8 (or as UTF-16 with a byte-order mark).",
        )
    return "binary data: NUL bytes", _CONVERT


def _looks_like_utf16(window: bytes) -> bool:
    # ASCII-range text in UTF-16 has a NUL in every other byte, on one side.
    even, odd = window[0::2], window[1::2]
    if len(window) < 4:
        return False
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.4 and min(
        even.count(0) / len(even), odd.count(0) / len(odd)
    ) < 0.05


def check_text(head: bytes) -> None:
    """Raise :class:`NotText` if ``head`` (the first bytes of a file) is a binary format."""
    found = binary_kind(head)
    if found is not None:
        raise NotText(*found)


def declared_charset(markup: bytes) -> Optional[str]:
    """The legacy charset an HTML page's ``<meta>`` declares in its first 4 KB, if usable.

    UTF-8 declarations are ignored (strict UTF-8 is tried first anyway), and so
    are encodings that are not ASCII-compatible. As browsers do (WHATWG),
    "iso-8859-1" and "us-ascii" mean windows-1252.
    """
    match = _META_CHARSET.search(markup[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if name in ("latin-1", "iso8859-1", "ascii"):
        return DEFAULT_LEGACY
    if name == "utf-8" or not _ascii_compatible(name):
        return None
    return name


def _ascii_compatible(encoding: str) -> bool:
    try:
        return _ASCII.decode(encoding) == _ASCII.decode("ascii") and codecs.lookup(encoding).name != "utf-8"
    except (LookupError, UnicodeDecodeError, ValueError):
        return False


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def guess_encoding(sample: bytes) -> tuple[str, str]:
    """The legacy encoding of ``sample`` (bytes that are not UTF-8) and how it was chosen.

    charset-normalizer ranks candidates; only ASCII-compatible ones that
    decode the whole sample count. On little text it is unreliable (for
    ``b"caf\\xe9"`` it ranks UTF-16 first, then an Urdu code page), so cp1252,
    what legacy Western releases are in, is kept when it is among the
    best-ranked or when the sample has fewer than :data:`MIN_GUESS_BYTES`
    non-ASCII bytes, unless a multi-byte encoding (Shift-JIS, GB18030, Big5,
    EUC-KR ...) decodes it: that is strong evidence even on a short sample.
    Without a usable candidate, cp1252.
    """
    sample = sample[:GUESS_SAMPLE_BYTES]
    try:
        from charset_normalizer import from_bytes

        matches = list(from_bytes(sample))
    except Exception:  # noqa: BLE001 - a detector fault must not lose the document
        matches = []
    usable = [m for m in matches if _ascii_compatible(m.encoding) and _decodes(sample, m.encoding)]
    cp1252_fits = _decodes(sample, DEFAULT_LEGACY)
    if not usable:
        return DEFAULT_LEGACY, HOW_DEFAULT
    best = usable[0]
    if best.encoding in MULTI_BYTE:
        return best.encoding, HOW_GUESSED
    # A match stands for every code page that gives the same text.
    tied = [m for m in usable if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    alike = {name for m in tied for name in (m.encoding, *m.could_be_from_charset)}
    if cp1252_fits and DEFAULT_LEGACY in alike:
        return DEFAULT_LEGACY, HOW_GUESSED
    if cp1252_fits and sum(byte >= 0x80 for byte in sample) < MIN_GUESS_BYTES:
        return DEFAULT_LEGACY, HOW_DEFAULT
    return best.encoding, HOW_GUESSED


def describe_lines(lines: Iterable[int], *, limit: int = 5) -> str:
    """``"line 3"``, ``"lines 3, 5 and 9"``, ``"lines 1, 2, 3, 4, 5 and 12 more"``."""
    lines = list(lines)
    if len(lines) == 1:
        return f"line {lines[0]}"
    shown = ", ".join(map(str, lines[:limit]))
    if len(lines) > limit:
        return f"lines {shown} and {len(lines) - limit} more"
    return f"lines {', '.join(map(str, lines[:-1]))} and {lines[-1]}"


def fallback_warning(location: str, lines: Iterable[int], *, encoding: str, how: str) -> str:
    """The W006 message: which lines of ``location`` were decoded with ``encoding``, and why."""
    return Warnings.W006.format(path=location, where=describe_lines(lines), encoding=encoding, how=how)


def replace_lone_surrogates(text: str) -> str:
    """``text`` with each lone surrogate (from a JSON ``"\\ud800"`` escape) as U+FFFD.

    Such text cannot be encoded as UTF-8, so spaCy and the JSON writer would
    fail on it; the replacement keeps every offset.
    """
    return _LONE_SURROGATE.sub("\ufffd", text)


def has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds a surrogate code point (never valid on its own)."""
    return _LONE_SURROGATE.search(text) is not None


def split_byte_lines(head: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    """The lines (ends kept) of ``head`` followed by ``rest``, a binary file read by lines."""
    parts = head.split(b"\n")
    for part in parts[:-1]:
        yield part + b"\n"
    tail = parts[-1]
    for line in rest:
        if tail:
            line, tail = tail + line, b""
        yield line
    if tail:
        yield tail


class LineDecoder:
    """The lines of a binary stream as text, decoded as the module docstring says.

    Reading the first :data:`SNIFF_BYTES` bytes happens at construction, so a
    binary file raises :class:`NotText` before anything is yielded. Iterating
    may raise :class:`UndecodableLine`; the lines before it have been yielded.
    ``fallback_lines`` lists every line decoded with the legacy encoding;
    :meth:`pop_pending` hands out the ones since its last call, so a reader
    can attach a warning to the record those lines belong to.
    """

    def __init__(
        self,
        raw: IO[bytes],
        *,
        declared: Optional[str] = None,
        strip_line_boms: bool = False,
    ) -> None:
        head = raw.read(SNIFF_BYTES)
        check_text(head)
        bom, skip = detect_bom(head)
        self.encoding = bom or "utf-8"
        self.bom = bom is not None
        self.declared = declared
        self.fallback: Optional[str] = None
        self.how: Optional[str] = None
        self.fallback_lines: list[int] = []
        self._pending: list[int] = []
        self._strip_line_boms = strip_line_boms
        if self.encoding in ("utf-16", "utf-32"):
            # The incremental decoder reads the mark itself, to learn the byte order.
            self._lines = self._wide(head, raw)
        else:
            self._lines = self._narrow(split_byte_lines(head[skip:], raw))

    def __iter__(self) -> Iterator[str]:
        return self._lines

    def __next__(self) -> str:
        return next(self._lines)

    def pop_pending(self) -> list[int]:
        """The fallback-decoded line numbers since the last call."""
        pending, self._pending = self._pending, []
        return pending

    def warning(self, location: str, lines: Iterable[int]) -> Optional[str]:
        """The W006 message for ``lines`` of this stream (None if there are none)."""
        lines = list(lines)
        if not lines or self.fallback is None or self.how is None:
            return None
        return fallback_warning(location, lines, encoding=self.fallback, how=self.how)

    def _narrow(self, byte_lines: Iterator[bytes]) -> Iterator[str]:
        ahead: deque = deque()
        number = 0
        while True:
            if ahead:
                line = ahead.popleft()
            else:
                line = next(byte_lines, None)
                if line is None:
                    return
            number += 1
            if self._strip_line_boms and line.startswith(codecs.BOM_UTF8):
                # Concatenated files each keep their own mark.
                line = line[len(codecs.BOM_UTF8):]
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                if self.fallback is None:
                    ahead.extend(_take(byte_lines, LOOKAHEAD_BYTES))
                    self._choose_fallback(line, ahead)
                text = self._legacy(line, number, exc)
            yield text

    def _choose_fallback(self, line: bytes, ahead: Iterable[bytes]) -> None:
        if self.declared and _decodes(line, self.declared):
            self.fallback, self.how = self.declared, HOW_DECLARED
            return
        sample = [line]
        size = len(line)
        for other in ahead:
            if size >= GUESS_SAMPLE_BYTES:
                break
            if not _decodes(other, "utf-8"):
                sample.append(other)
                size += len(other)
        self.fallback, self.how = guess_encoding(b"".join(sample))

    def _legacy(self, line: bytes, number: int, exc: UnicodeDecodeError) -> str:
        assert self.fallback is not None
        for encoding in dict.fromkeys((self.fallback, DEFAULT_LEGACY)):
            try:
                text = line.decode(encoding)
            except UnicodeDecodeError:
                continue
            if encoding != self.fallback:
                # A line beyond the sample that the guess cannot decode.
                self.fallback, self.how = encoding, HOW_DEFAULT
            self.fallback_lines.append(number)
            self._pending.append(number)
            return text
        raise UndecodableLine(exc.reason, number, encoding="utf-8", fallback=self.fallback)

    def _wide(self, head: bytes, raw: IO[bytes]) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(self.encoding)("strict")
        chunks = _chunks(head, raw)
        parts: list[str] = []
        number = 1
        final = False
        while not final:
            chunk = next(chunks, None)
            final = chunk is None
            try:
                text = decoder.decode(chunk or b"", final=final)
            except UnicodeDecodeError as exc:
                raise UndecodableLine(exc.reason, number, encoding=self.encoding, bom=True) from None
            start = 0
            while True:
                end = text.find("\n", start)
                if end < 0:
                    break
                parts.append(text[start : end + 1])
                yield "".join(parts)
                parts = []
                number += 1
                start = end + 1
            if start < len(text):
                parts.append(text[start:])
        if parts:
            yield "".join(parts)


def _take(lines: Iterator[bytes], limit: int) -> list[bytes]:
    taken, size = [], 0
    for line in lines:
        taken.append(line)
        size += len(line)
        if size >= limit:
            break
    return taken


def _chunks(head: bytes, raw: IO[bytes], size: int = 1 << 16) -> Iterator[bytes]:
    if head:
        yield head
    while True:
        chunk = raw.read(size)
        if not chunk:
            return
        yield chunk


def decode_bytes(data: bytes, *, declared: Optional[str] = None) -> Decoded:
    """Decode a whole document (see the module docstring); raises :class:`NotText` or :class:`UndecodableLine`.

    ``declared`` is a legacy charset the document declares (an HTML page's
    ``<meta charset>``, see :func:`declared_charset`), tried before guessing.
    """
    check_text(data[:SNIFF_BYTES])
    bom, skip = detect_bom(data)
    if bom in (None, "utf-8"):
        try:
            return Decoded(data[skip:].decode("utf-8"))
        except UnicodeDecodeError:
            pass
    lines = LineDecoder(io.BytesIO(data), declared=declared)
    text = "".join(lines)
    return Decoded(
        text,
        encoding=lines.encoding,
        fallback=lines.fallback,
        fallback_lines=tuple(lines.fallback_lines),
        how=lines.how,
    )
