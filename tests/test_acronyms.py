"""Acronym definitions: extractor.acronyms."""
import pytest

from extractor.acronyms import acronym_letters, find_definitions, fits, is_acronym


def pairs(text: str) -> list[tuple[str, str]]:
    return [(text[d.long_start : d.long_end], text[d.short_start : d.short_end])
            for d in find_definitions(text)]


@pytest.mark.parametrize(
    "text, long_form, short",
    [
        ("cooperation with the Office of the High Commissioner for Human Rights (OHCHR).",
         "Office of the High Commissioner for Human Rights", "OHCHR"),
        ("the Korea International Cooperation Agency (KOICA) will", "Korea International Cooperation Agency", "KOICA"),
        ("from U.S. Department of Defense (DoD) inventories", "Department of Defense", "DoD"),
        ("the African Development Bank (AfDB) and", "African Development Bank", "AfDB"),
        ("Centers for Disease Control and Prevention (CDC)", "Centers for Disease Control and Prevention", "CDC"),
        ("the Financial Crimes Enforcement Network (FinCEN)", "Financial Crimes Enforcement Network", "FinCEN"),
        ("the UN Commission of Inquiry (COI) on human rights", "Commission of Inquiry", "COI"),
        ("Organization for Security and Co-operation in Europe (OSCE)",
         "Organization for Security and Co-operation in Europe", "OSCE"),
        ("Asia-Pacific Economic Cooperation (APEC) forum", "Asia-Pacific Economic Cooperation", "APEC"),
        ("the Counter ISIS Finance Group (CIFG) met", "Counter ISIS Finance Group", "CIFG"),
        ("the Bucharest Nine (B9) leaders", "Bucharest Nine", "B9"),
        ("the Group of Seven (G7)", "Group of Seven", "G7"),
        ("United States Agency for International Development (USAID)",
         "United States Agency for International Development", "USAID"),
        ("Women, Peace, and Security (WPS) agenda", "Women, Peace, and Security", "WPS"),
        ("the Islamic Development Bank (IsDB)", "Islamic Development Bank", "IsDB"),
        ("his remarks.\nThe World Health Organization (WHO) said", "World Health Organization", "WHO"),
    ],
)
def test_long_form_then_acronym(text, long_form, short):
    assert (long_form, short) in pairs(text)


@pytest.mark.parametrize(
    "text, long_form, short",
    [
        ("UNHCR (the UN High Commissioner for Refugees) said", "UN High Commissioner for Refugees", "UNHCR"),
        ("the WFP (World Food Programme) warned", "World Food Programme", "WFP"),
    ],
)
def test_acronym_then_long_form(text, long_form, short):
    assert (long_form, short) in pairs(text)


@pytest.mark.parametrize(
    "text",
    [
        "the UN Refugee Agency (UNHCR) in",  # the letters do not fit "UN Refugee Agency"
        "the launch of the Fund (worth $2 million) this year",
        "He said (NATO) nothing",
        "Main Intelligence Directorate of the General Staff (GRU)",
        "in Geneva (Switzerland) today",
        "a resolution (2397) on sanctions",
        "the (new) ministry",
        "",
    ],
)
def test_no_definition(text):
    assert pairs(text) == []


def test_offsets_point_into_the_text():
    text = "Officials of the Green Climate Fund (GCF) met. The GCF board approved it."
    (d,) = find_definitions(text)
    assert text[d.long_start : d.long_end] == "Green Climate Fund"
    assert text[d.short_start : d.short_end] == "GCF"
    assert d.long_end < d.short_start


def test_several_definitions_in_order():
    text = ("the International Monetary Fund (IMF) and the World Bank Group (WBG) and "
            "the Asian Development Bank (ADB)")
    assert [s for _l, s in pairs(text)] == ["IMF", "WBG", "ADB"]


@pytest.mark.parametrize(
    "text, expected",
    [("UNHCR", True), ("DoD", True), ("G7", True), ("AfDB", True), ("FinCEN", True),
     ("C-34", True), ("U.S.", True), ("Gavi", False), ("Korea", False), ("A", False),
     ("worth $2 million", False), ("2021", False), ("the", False)],
)
def test_is_acronym(text, expected):
    assert is_acronym(text) is expected


@pytest.mark.parametrize(
    "acronym, words, expected",
    [
        ("MOFA", "Ministry of Foreign Affairs", True),
        ("KOICA", "Korea International Cooperation Agency", True),
        ("UNHCR", "United Nations High Commissioner for Refugees", True),
        ("DFC", "Development Finance Corporation", True),
        ("DFC", "International Development Finance Corporation", False),
        ("ODA", "the Official Development Assistance", False),  # may not start with a function word
        ("EXIM", "Export-Import Bank", False),
        ("AB", "Alpha Beta Gamma", False),  # two-letter acronyms skip no content word
    ],
)
def test_fits(acronym, words, expected):
    assert fits(acronym, words.split()) is expected


def test_acronym_letters():
    assert acronym_letters("U.S.") == "US"
    assert acronym_letters("C-34") == "C34"
