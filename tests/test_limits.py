"""Long documents are chunked, not refused; a per-document time limit stops runaways."""
import pytest

import extractor
from extractor.pipeline import InputDocument, split_chunks

PARAGRAPH = (
    "Vice Minister of Foreign Affairs Kang Insun met UN High Commissioner for Refugees "
    "Filippo Grandi on February 27. The Korean government will provide $2 million to the "
    "UN Refugee Agency (UNHCR) for refugees in Bangladesh.\n\n"
)


@pytest.mark.parametrize(
    "text, size, pieces",
    [
        ("aaa\n\nbbb\n\nccc", 6, ["aaa\n\n", "bbb\n\n", "ccc"]),
        ("one. two. three.", 11, ["one. two. ", "three."]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        ("short", 100, ["short"]),
        ("", 10, [""]),
    ],
)
def test_split_chunks(text, size, pieces):
    chunks = list(split_chunks(text, size))
    assert [c for _, c in chunks] == pieces
    assert all(text[o : o + len(c)] == c for o, c in chunks)


def test_a_long_document_is_chunked_and_merged():
    text = PARAGRAPH * 40
    whole = extractor.load().extract(text, release_date="2024-02-29", issuer="KR")
    small = extractor.load(chunk_chars=2_000)
    chunked = next(small.pipe([InputDocument(text=text, id="long", release_date="2024-02-29", issuer="KR")]))
    key = lambda r: (  # noqa: E731
        sorted((o.name, o.title, o.country) for o in r.officials),
        sorted((o.name, o.acronym) for o in r.organisations),
        sorted((d.value, len(d.mentions)) for d in r.dates),
        sorted((p.amount, p.recipient, len(p.mentions)) for p in r.pledges),
        sorted(t.id for t in r.themes),
    )
    assert key(chunked) == key(whole)
    for official in chunked.officials:
        for m in official.mentions:
            assert text[m.start : m.end] == m.text
    assert len(chunked.officials[0].mentions) == len(whole.officials[0].mentions) == 40


def test_a_document_over_spacy_max_length_is_not_refused():
    text = PARAGRAPH * 6_000  # about 1.3 million characters
    record = next(extractor.load().pipe([InputDocument(text=text, id="huge", issuer="KR")], failures="yield"))
    assert record.id == "huge" and record.officials[0].name == "Kang Insun"
    assert [(p.amount, len(p.mentions)) for p in record.pledges] == [(2_000_000, 6_000)]


def test_time_limit_turns_a_runaway_document_into_a_failure(monkeypatch):
    import time

    ex = extractor.load(timeout_per_doc=0.2)
    component = ex.nlp.get_pipe("extractor_themes")
    original = type(component).__call__

    def slow(self, doc):
        if "SLOW" in doc.text:
            time.sleep(5)
        return original(self, doc)

    monkeypatch.setattr(type(component), "__call__", slow)
    results = list(ex.pipe(["SLOW document", "Secretary Blinken spoke."], failures="yield"))
    assert type(results[0]).__name__ == "Failure" and "E021" in results[0].cause
    assert results[1].officials[0].name == "Blinken"
