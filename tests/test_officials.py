"""Officials: title grammar, name position, merging, organisation and country."""
import pytest

from extractor.titles import (
    TitleLexicon,
    clean_title,
    fullest,
    organisation_for_title,
    read_title_organisations,
    same_person,
)


@pytest.fixture(scope="module")
def table():
    return read_title_organisations()


@pytest.mark.parametrize(
    "title, organisation",
    [
        ("Vice Minister of Foreign Affairs", "Ministry of Foreign Affairs"),
        ("First Vice Minister of Foreign Affairs", "Ministry of Foreign Affairs"),
        ("Foreign Minister", "Ministry of Foreign Affairs"),
        ("Secretary of State", "Department of State"),
        ("Deputy Secretary of State", "Department of State"),
        ("Department Spokesperson", "Department of State"),
        ("UN High Commissioner for Refugees", "UNHCR"),
        ("UN High Commissioner for Human Rights", "OHCHR"),
        ("Minister of National Defense", "Ministry of National Defense"),
        ("Deputy Minister for Multilateral and Global Affairs", None),
        ("President", None),
        ("Prime Minister", None),
    ],
)
def test_organisation_for_title(table, title, organisation):
    assert organisation_for_title(title, table) == organisation


@pytest.mark.parametrize(
    "short, full, expected",
    [
        ("Kang", "Kang Insun", True),
        ("Blinken", "Antony J. Blinken", True),
        ("BLINKEN", "Antony J. Blinken", True),
        ("Insun Kang", "Kang Insun", True),
        ("Volker Turk", "Volker Türk", True),
        ("Ham Sang-wook", "Ham Sangwook", True),
        ("Mary Martin", "Micheál Martin", False),
        ("Kim", "Park Jin", False),
        ("J.", "Antony J. Blinken", False),
    ],
)
def test_same_person(short, full, expected):
    assert same_person(short, full) is expected


@pytest.mark.parametrize(
    "raw, clean",
    [("the Secretary of\nState", "Secretary of State"), ("Foreign Minister,", "Foreign Minister")],
)
def test_clean_title(raw, clean):
    assert clean_title(raw) == clean


def test_fullest_prefers_most_tokens_then_first():
    assert fullest(["Kang", "Kang Insun", "Insun"]) == "Kang Insun"


@pytest.mark.parametrize(
    "issuer, title, expected",
    [("US", "Prime Minister", False), ("US", "Secretary of State", True), ("KR", "Prime Minister", True)],
)
def test_issuer_may_hold(issuer, title, expected):
    assert TitleLexicon.from_json().issuer_may_hold(issuer, title) is expected


def _officials(ex, text, **kwargs):
    record = ex.extract(text, **kwargs)
    return {o.name: (o.title, o.organisation, o.country) for o in record.officials}


@pytest.mark.parametrize(
    "text, issuer, expected",
    [
        (
            "Vice Minister of Foreign Affairs Kang Insun visited Geneva. Vice Minister Kang met the press.",
            "KR",
            {"Kang Insun": ("Vice Minister of Foreign Affairs", "Ministry of Foreign Affairs", "KR")},
        ),
        (
            "She met Filippo Grandi, UN High Commissioner for Refugees, in Geneva.",
            "KR",
            {"Filippo Grandi": ("UN High Commissioner for Refugees", "UNHCR", None)},
        ),
        (
            "Japanese Foreign Minister Hayashi welcomed the agreement.",
            "KR",
            {"Hayashi": ("Foreign Minister", "Ministry of Foreign Affairs", "JP")},
        ),
        (
            "Prime Minister Netanyahu of Israel spoke with the President.",
            "US",
            {"Netanyahu": ("Prime Minister", None, "IL")},
        ),
        (
            "Deputy Minister for Multilateral and Global Affairs Ham Sang-wook attended the meeting.",
            "KR",
            {"Ham Sang-wook": ("Deputy Minister for Multilateral and Global Affairs", None, "KR")},
        ),
        (
            "President Joseph R. Biden, Jr. met today with Prime Minister Mark Rutte\nof the Netherlands.",
            "US",
            {
                "Joseph R. Biden, Jr.": ("President", None, "US"),
                "Mark Rutte": ("Prime Minister", None, "NL"),
            },
        ),
        (
            "Antony J. Blinken, Secretary of State\n\nBrussels, Belgium\n\nSECRETARY BLINKEN: Thank you.",
            "US",
            {"Antony J. Blinken": ("Secretary of State", "Department of State", "US")},
        ),
        (
            "Joseph R. Biden, Jr. met leaders\nhosted by Presidents Klaus Iohannis of Romania and Andrzej Duda of Poland.",
            "US",
            {"Klaus Iohannis": ("President", None, "RO"), "Andrzej Duda": ("President", None, "PL")},
        ),
        (
            "2nd Vice Minister of Foreign Affairs Oh Young-ju met with Filippo Grandi,\nUN High Commissioner for Refugees, in Seoul.",
            "KR",
            {
                "Oh Young-ju": ("2nd Vice Minister of Foreign Affairs", "Ministry of Foreign Affairs", "KR"),
                "Filippo Grandi": ("UN High Commissioner for Refugees", "UNHCR", None),
            },
        ),
        (
            "He met French MFA Secretary General Francois Delattre in Paris.",
            "US",
            {"Francois Delattre": ("Secretary General", "MFA", "FR")},
        ),
        (
            "Kremlin press secretary Dmitry Peskov said nothing. The minister Lavrov was absent.",
            None,
            {"Dmitry Peskov": ("press secretary", None, None)},
        ),
        (
            "She met Under-Secretary-General and Executive Director of UN Women Sima Bahous.",
            "KR",
            {"Sima Bahous": ("Under-Secretary-General and Executive Director of UN Women", "UN Women", None)},
        ),
        (
            "Foreign Minister Alexandra Hill Tinoco of El Salvador spoke. Foreign Minister Hill agreed.",
            "US",
            {"Alexandra Hill Tinoco": ("Foreign Minister", "Ministry of Foreign Affairs", "SV")},
        ),
        (
            "President Biden met President Putin. President Biden spoke again.",
            "US",
            {"Biden": ("President", None, "US"), "Putin": ("President", None, None)},
        ),
        (
            "Prime Minister Kishida met the President.",
            "US",
            {"Kishida": ("Prime Minister", None, None)},
        ),
    ],
)
def test_officials_in_context(ex, text, issuer, expected):
    assert _officials(ex, text, issuer=issuer) == expected


def test_later_mentions_join_the_full_record(ex):
    text = (
        "Special Envoy Brett McGurk travelled to Baghdad. Mr. McGurk met officials. "
        "Envoy McGurk will return on Friday."
    )
    record = ex.extract(text, issuer="US")
    assert [o.name for o in record.officials] == ["Brett McGurk"]
    assert [m.text for m in record.officials[0].mentions] == ["Brett McGurk", "McGurk", "McGurk"]


def test_honorific_alone_is_not_an_official(ex):
    assert ex.extract("Mr. Smith, a local farmer, said the harvest was good.").officials == []


def test_title_is_not_also_an_organisation(ex):
    text = "UN High Commissioner for Refugees Filippo Grandi thanked the UN Refugee Agency (UNHCR) staff."
    record = ex.extract(text)
    names = {o.name for o in record.organisations}
    assert "UN High Commissioner for Refugees" not in names
    assert any(o.acronym == "UNHCR" for o in record.organisations)


def test_mentions_point_into_the_text(ex):
    text = "Secretary of State Antony J. Blinken met Foreign Minister Park Jin in Seoul."
    record = ex.extract(text, issuer="US")
    for official in record.officials:
        for mention in official.mentions:
            assert text[mention.start : mention.end] == mention.text
