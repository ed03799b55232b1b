"""The organisations component: extractor.components.organisations."""
import pytest
import spacy

from extractor.components.organisations import (
    OrganisationRecognizer,
    literal_phrases,
    normalise,
    record_fields,
)
from extractor.extensions import register_extensions
from extractor.gazetteers import fold


@pytest.fixture(scope="module")
def org_nlp():
    """A blank pipeline with the layout sentencizer and this component only."""
    register_extensions()
    nlp = spacy.blank("en")
    nlp.add_pipe("extractor_layout")
    nlp.add_pipe("extractor_organisations")
    return nlp


@pytest.fixture(scope="module")
def orgs(org_nlp):
    def run(text: str) -> list[dict]:
        doc = org_nlp(text)
        return list((doc._.records or {}).get("organisations", {}).values())

    return run


def names(records: list[dict]) -> list[str]:
    return [r["name"] for r in records]


def find(records: list[dict], form: str):
    """The record one of whose name, acronym or aliases is ``form`` (folded)."""
    key = fold(form)
    for record in records:
        forms = [record["name"], record["acronym"] or "", *record["aliases"]]
        if key in {fold(f) for f in forms}:
            return record
    return None


# -- the seed release -------------------------------------------------------

SEED_ORGANISATIONS = [
    # (a form the record must carry, expected acronym)
    ("UN", "UN"),
    ("United Nations Human Rights Council", None),
    ("UN General Assembly", None),
    ("Office of the High Commissioner for Human Rights", "OHCHR"),
    ("UN Refugee Agency", "UNHCR"),
    ("COI", "COI"),
]


def test_seed_organisations_exactly(ex, seed_text):
    records = ex.extract(seed_text).organisations
    assert len(records) == len(SEED_ORGANISATIONS), [r.name for r in records]
    dicts = [r.model_dump() for r in records]
    for form, acronym in SEED_ORGANISATIONS:
        record = find(dicts, form)
        assert record is not None, form
        assert record["acronym"] == acronym


def test_seed_record_fields(ex, seed_text):
    records = {r.name: r for r in ex.extract(seed_text).organisations}
    assert records["United Nations Human Rights Council"].aliases == ["Human Rights Council"]
    assert records["UN"].acronym == "UN"
    assert records["UN Commission of Inquiry"].acronym == "COI"
    assert records["UN Refugee Agency"].acronym == "UNHCR"


@pytest.mark.parametrize(
    "not_org",
    ["WPS", "Women, Peace, and Security", "ODA", "Official Development Assistance",
     "Action with Women and Peace Fund", "Global Pivotal State", "Republic of Korea",
     "Korean government", "Korea", "55th session", "Human Rights"],
)
def test_seed_non_organisations(ex, seed_text, not_org):
    dicts = [r.model_dump() for r in ex.extract(seed_text).organisations]
    assert find(dicts, not_org) is None


def test_seed_mentions_carry_rules_and_keys(ex, seed_text):
    doc = ex.process(seed_text)
    table = doc._.records["organisations"]
    spans = doc.spans["organisations"]
    assert spans
    for span in spans:
        assert span.kb_id_ in table
        assert span.id_.split(":", 1)[0] in {"gazetteer", "pattern", "acronym", "short_reference"}
    unhcr = [s.text for s in spans if s.kb_id_ == "unhcr"]
    assert unhcr == ["UN Refugee Agency", "UNHCR", "UNHCR"]


# -- merging --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The United Nations met. Later the UN said that the U.N. would act.",
         {"name": "United Nations", "acronym": "UN"}),
        ("The UN Refugee Agency (UNHCR) helps. UNHCR staff and the Office of the UN High "
         "Commissioner for Refugees agreed.",
         {"name": "Office of the UN High Commissioner for Refugees", "acronym": "UNHCR"}),
        ("The Group of Seven (G7) met. G7 leaders agreed.", {"name": "Group of Seven", "acronym": "G7"}),
        ("NATO Allies met.", {"name": "NATO", "acronym": "NATO"}),
        ("Talks with the Quad continued.", {"name": "Quad", "acronym": None}),
    ],
)
def test_one_record_per_organisation(orgs, text, expected):
    records = orgs(text)
    assert len(records) == 1, records
    assert {k: records[0][k] for k in expected} == expected


def test_acronym_defined_for_a_pattern_organisation(orgs):
    records = orgs("The Counter ISIS Finance Group (CIFG) met in Riyadh. CIFG members agreed.")
    assert records == [{"name": "Counter ISIS Finance Group", "acronym": "CIFG", "aliases": []}]


def test_us_prefix_is_part_of_the_name(orgs):
    (record,) = orgs("up to $175 million from U.S. Department of Defense (DoD) inventories. DoD said.")
    assert record["name"] == "U.S. Department of Defense"
    assert record["acronym"] == "DoD"


def test_aliases_are_the_other_forms_written(orgs):
    (record,) = orgs("The State Department said. The Department of State added.")
    assert record["name"] == "Department of State"
    assert record["aliases"] == ["State Department"]


@pytest.mark.parametrize(
    "text, head, target",
    [
        ("Korea joined the Human Rights Council in 2013. The Council adopted a resolution.",
         "Council", "Human Rights Council"),
        ("The International Monetary Fund warned. The Fund expects growth.", "Fund", "International Monetary Fund"),
        ("The Environmental Protection Agency acted. The Agency will publish rules.",
         "Agency", "Environmental Protection Agency"),
        ("The Asian Development Bank lends. The Bank approved a loan.", "Bank", "Asian Development Bank"),
    ],
)
def test_short_reference_joins_the_latest_matching_organisation(org_nlp, text, head, target):
    doc = org_nlp(text)
    table = doc._.records["organisations"]
    assert len(table) == 1
    (key,) = table
    assert table[key]["name"] == target
    short = [s for s in doc.spans["organisations"] if s.text == head]
    assert len(short) == 1 and short[0].kb_id_ == key
    assert short[0].id_ == f"short_reference:{head}"
    assert head not in table[key]["aliases"]


def test_short_reference_without_antecedent_is_ignored(orgs):
    assert orgs("The Council adopted a resolution.") == []


def test_records_in_order_of_first_mention(orgs):
    records = orgs("ASEAN and the World Bank met the IMF. ASEAN agreed.")
    assert names(records) == ["ASEAN", "World Bank", "IMF"]


# -- what is not an organisation -------------------------------------------------


@pytest.mark.parametrize(
    "text, absent",
    [
        ("Korea launched the Women, Peace, and Security (WPS) agenda.", "WPS"),
        ("by expanding its Official Development Assistance (ODA).", "ODA"),
        ('the launch of the "Action with Women and Peace Fund (worth $2 million)".',
         "Action with Women and Peace Fund"),
        ("the 2019 Korea-LAC Future Cooperation Forum was held.", "Korea-LAC Future Cooperation Forum"),
        ("India signed the Artemis Accords.", "Artemis Accords"),
        ("to join the Indo-Pacific Economic Framework.", "Indo-Pacific Economic Framework"),
        ("The Korean government announced aid.", "Korean government"),
        ("The Republic of Korea announced aid.", "Republic of Korea"),
        ("The U.S. Government announced aid.", "U.S. Government"),
        ("the strength of the U.S.-Japan Alliance.", "U.S.-Japan Alliance"),
        ("Follow us on Twitter at https://twitter.com/StateDept.", "Twitter"),
        ("He met the leaders at the White House on Tuesday.", "White House"),
        ("who said that the un-named official left", "WHO"),
        ("the Biden-Harris Administration announced", "Biden-Harris Administration"),
        ("the Oval Office address", "Oval Office"),
        ("Palestinians in the West Bank and Gaza", "West Bank"),
        ("a global coalition of partners", "Global Coalition"),
        ("The office of the mayor said", "office of the mayor"),
        ("Office in Arlington, VA 22209", "VA"),
        ("support for UN peacekeeping operations", "UN peacekeeping"),
    ],
)
def test_not_an_organisation(orgs, text, absent):
    assert find(orgs(text), absent) is None


def test_body_inside_an_event_name_counts(orgs):
    records = orgs("He attended the APEC Leaders’ Meeting and the NATO Summit in Vilnius.")
    assert names(records) == ["APEC", "NATO"]


# -- rules on sentences from the dev corpus ---------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Director of the Office of Management and Budget Shalanda Young said",
         ["Office of Management and Budget"]),
        ("Thailand’s Permanent Secretary of the Ministry of Foreign Affairs Thani Thongphakdi met",
         ["Ministry of Foreign Affairs"]),
        ("The Department of Energy and FEMA are working together.",
         ["Department of Energy", "FEMA"]),
        ("Deputy Secretary Sherman spoke with French MFA Secretary General Francois Delattre.",
         ["MFA"]),
        ("the Japanese Ministry of Economy, Trade and Industry announced",
         ["Ministry of Economy, Trade and Industry"]),
        ("the Government Accountability Office reported", ["Government Accountability Office"]),
        ("The State Border Guard Service of Ukraine and the National Police of Ukraine",
         ["State Border Guard Service of Ukraine", "National Police of Ukraine"]),
        ("Russia’s Ministry of Defense claimed", ["Ministry of Defense"]),
        ("the U.S. Embassy in Kyiv, Ukraine, reopened", ["U.S. Embassy in Kyiv"]),
        ("The Diplomatic Security Service administers the program.", ["Diplomatic Security Service"]),
        ("a disbursement from the U.S. International Development\n    Finance Corporation to support",
         ["U.S. International Development Finance Corporation"]),
        ("the Department of\n    Energy announced", ["Department of Energy"]),
        ("deployments of United\xa0States Armed Forces equipped for combat",
         ["United States Armed Forces"]),
        ("the Bureau of Population, Refugees, and Migration and USAID",
         ["Bureau of Population, Refugees, and Migration", "USAID"]),
        ("Hamas and Hizballah and the Houthis attacked.", ["Hamas", "Hizballah", "Houthis"]),
        ("Negotiations with the Government of National Unity continued.", ["Government of National Unity"]),
        ("the removal of Digital Service Taxes", []),
        ("the Counter ISIS Finance Group and the Global Coalition to Defeat ISIS",
         ["Counter ISIS Finance Group", "Global Coalition to Defeat ISIS"]),
        ("sanctions by the Treasury’s Office of Foreign Assets Control (OFAC)",
         ["Treasury", "Office of Foreign Assets Control"]),
        ("the UN General Assembly on Ukraine", ["UN General Assembly"]),
        ("the Office of the U.S. Trade Representative Katherine Tai said",
         ["Office of the U.S. Trade Representative"]),
        ("the Office of the Special Envoy for Climate said", ["Office of the Special Envoy for Climate"]),
    ],
)
def test_dev_corpus_sentences(orgs, text, expected):
    assert names(orgs(text)) == expected


def test_gazetteer_case_rules(orgs):
    # Acronyms and single words only as written; longer names in any case.
    assert orgs("who knows what the un will do") == []
    assert names(orgs("the WORLD HEALTH ORGANIZATION said")) == ["WORLD HEALTH ORGANIZATION"]
    assert names(orgs("the WHO said")) == ["WHO"]


# -- pure helpers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [("the UN Refugee Agency", "UN Refugee Agency"), ("UN’s", "UN"),
     ("Department of\n    Energy", "Department of Energy"), ("NATO's", "NATO")],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "forms, acronym, expected",
    [
        (["UN", "UN"], None, {"name": "UN", "acronym": "UN", "aliases": []}),
        (["Human Rights Council", "United Nations Human Rights Council"], None,
         {"name": "United Nations Human Rights Council", "acronym": None,
          "aliases": ["Human Rights Council"]}),
        (["UN Refugee Agency", "UNHCR"], "UNHCR",
         {"name": "UN Refugee Agency", "acronym": "UNHCR", "aliases": []}),
        (["Quad"], None, {"name": "Quad", "acronym": None, "aliases": []}),
        (["State Department", "state department"], None,
         {"name": "State Department", "acronym": None, "aliases": []}),
    ],
)
def test_record_fields(forms, acronym, expected):
    assert record_fields(forms, acronym) == expected


def test_literal_phrases():
    pattern = [{"LOWER": "the"}, {"ORTH": {"IN": ["Council", "Fund"]}}]
    phrases = literal_phrases(pattern)
    assert ["the", "Council"] in phrases and ["The", "Fund"] in phrases
    assert literal_phrases([{"IS_TITLE": True}]) is None


def test_component_added_by_factory_name():
    nlp = spacy.blank("en")
    component = nlp.add_pipe("extractor_organisations", config={"spans_key": "orgs"})
    assert isinstance(component, OrganisationRecognizer)
    doc = nlp("The World Bank lends.")
    assert [s.text for s in doc.spans["orgs"]] == ["World Bank"]


def test_empty_document(orgs):
    assert orgs("") == []


def test_acronym_defined_for_something_else_is_not_the_gazetteer_body(orgs):
    # "AU" is the African Union's acronym, but this document defines it otherwise.
    text = "The grid's Administrative Unit (AU) reported. The AU said power is back."
    assert find(orgs(text), "AU") is None


def test_spans_point_to_written_records(org_nlp):
    doc = org_nlp("The Council met. The Human Rights Council and the UN agreed.")
    table = doc._.records["organisations"]
    assert {s.kb_id_ for s in doc.spans["organisations"]} == set(table)
    assert "Council" not in [s.text for s in doc.spans["organisations"]]
