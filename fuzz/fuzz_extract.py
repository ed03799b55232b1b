"""An atheris (libFuzzer) target for the extractor: text or raw file bytes in, properties checked.

    python fuzz/fuzz_extract.py -max_total_time=3600 -timeout=30 /tmp/fuzz-corpus tests/data/hostile

Each input is split by atheris' FuzzedDataProvider into a mode, an optional
release date, and the rest:

- text mode: the rest as Unicode text (no lone surrogates, a known library
  limit; ``--surrogates`` lets them in), extracted with ``Extractor.extract``;
- bytes mode: the rest as the bytes of a file, decoded with
  ``extractor.decoding.decode_bytes`` (binary and undecodable input must end
  in NotText or UndecodableLine, nothing else), then extracted.

Checked for every input, as in tests/test_properties.py: no exception, the
record survives a JSON round trip through the schema, and each mention's
offsets give its text. A slow input is reported by libFuzzer's ``-timeout``.
"""
import datetime as _dt
import sys

import atheris

with atheris.instrument_imports(include=["extractor"]):
    import extractor
    from extractor.decoding import NotText, UndecodableLine, decode_bytes
    from extractor.schema import LIST_NAMES, DocumentExtraction

ALLOW_SURROGATES = "--surrogates" in sys.argv
_EPOCH = _dt.date(1900, 1, 1)
_EX = None


def _extractor():
    global _EX
    if _EX is None:
        _EX = extractor.load()
    return _EX


def check(text: str, release_date) -> None:
    """Extract ``text`` and assert the properties of the module docstring."""
    record = _extractor().extract(text, release_date=release_date)
    again = DocumentExtraction.model_validate_json(record.model_dump_json())
    assert again == record, "the JSON round trip changes the record"
    for name in LIST_NAMES:
        for item in getattr(record, name) or []:
            for mention in item.mentions:
                assert 0 <= mention.start <= mention.end <= len(text), (name, mention)
                assert text[mention.start : mention.end] == mention.text, (name, mention, text[mention.start : mention.end])


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    bytes_mode = fdp.ConsumeIntInRange(0, 3) == 0
    release_date = None
    if fdp.ConsumeBool():
        release_date = _EPOCH + _dt.timedelta(days=fdp.ConsumeIntInRange(0, 110_000))
    if bytes_mode:
        try:
            text = decode_bytes(fdp.ConsumeBytes(fdp.remaining_bytes())).text
        except (NotText, UndecodableLine):
            return
    elif ALLOW_SURROGATES:
        text = fdp.ConsumeUnicode(fdp.remaining_bytes())
    else:
        text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    check(text, release_date)


def main() -> None:
    argv = [arg for arg in sys.argv if arg != "--surrogates"]
    _extractor()  # load before fuzzing, so the first input is not charged for it
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
