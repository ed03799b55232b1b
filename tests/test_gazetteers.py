"""The country and organisation gazetteers in ``models/``."""
import pytest

from extractor.assets import read_jsonl
from extractor.gazetteers import Countries, fold, load_countries, read_organisations

ORG_TYPES = {
    "un", "un_agency", "regional", "grouping", "ministry", "agency", "bank", "fund",
    "ngo", "company", "party", "armed_group", "other",
}


@pytest.fixture(scope="module")
def countries() -> Countries:
    return load_countries("countries.jsonl")


@pytest.fixture(scope="module")
def orgs():
    return read_organisations("organisations.jsonl")


def test_countries_cover_un_members_and_extras(countries):
    codes = [c.code for c in countries.entries]
    assert len(codes) == len(set(codes)), "duplicate country code"
    # 193 UN member states plus Taiwan, Kosovo, Palestine, Holy See, Hong Kong, Macau.
    assert len(codes) >= 199
    for code in ("TW", "XK", "PS", "VA", "HK", "MO"):
        assert code in codes


def test_country_rows_are_well_formed():
    for row in read_jsonl("countries.jsonl"):
        assert set(row) <= {"code", "name", "aliases", "adjectives"}
        assert len(row["code"]) == 2 and row["code"].isupper()
        assert row["name"] and row["name"] not in row["aliases"]


@pytest.mark.parametrize(
    "form, code",
    [
        ("Republic of Korea", "KR"),
        ("the Republic of Korea", "KR"),
        ("South Korea", "KR"),
        ("ROK", "KR"),
        ("North Korea", "KP"),
        ("DPRK", "KP"),
        ("U.S.", "US"),
        ("United States of America", "US"),
        ("the PRC", "CN"),
        ("People’s Republic of China", "CN"),
        ("UK", "GB"),
        ("Britain", "GB"),
        ("Burma", "MM"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Czechia", "CZ"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("Russian Federation", "RU"),
        ("Holy See", "VA"),
        ("Democratic Republic of the Congo", "CD"),
    ],
)
def test_code_for_name(countries, form, code):
    assert countries.code_for_name(form) == code


@pytest.mark.parametrize(
    "adjective, code",
    [
        ("Korean", "KR"),
        ("South Korean", "KR"),
        ("North Korean", "KP"),
        ("Japanese", "JP"),
        ("Chinese", "CN"),
        ("PRC", "CN"),
        ("Russian", "RU"),
        ("British", "GB"),
        ("Emirati", "AE"),
        ("Saudi", "SA"),
        ("Filipino", "PH"),
        ("Philippine", "PH"),
        ("Dutch", "NL"),
        ("Burmese", "MM"),
        ("American", "US"),
        ("U.S.", "US"),
        ("Dominican", "DO"),
    ],
)
def test_code_for_adjective(countries, adjective, code):
    assert countries.code_for_adjective(adjective) == code


@pytest.mark.parametrize(
    "code, name",
    [("KR", "Republic of Korea"), ("KP", "Democratic People's Republic of Korea"),
     ("US", "United States"), ("JP", "Japan"), ("RU", "Russia"), ("CN", "China"),
     ("GB", "United Kingdom")],
)
def test_canonical_names(countries, code, name):
    assert countries.name_for(code) == name


def test_possessive_is_ignored(countries):
    assert countries.code_for("Korea's") == "KR"
    assert countries.code_for("Japan’s") == "JP"


def test_no_form_points_to_two_countries():
    seen: dict[str, str] = {}
    clashes = []
    for row in read_jsonl("countries.jsonl"):
        for form in (row["name"], *row["aliases"]):
            if seen.setdefault(form, row["code"]) != row["code"]:
                clashes.append(form)
    assert not clashes


def test_organisations_are_well_formed(orgs):
    ids = [o.id for o in orgs]
    assert len(ids) == len(set(ids)), "duplicate organisation id"
    assert len(orgs) >= 400
    for org in orgs:
        assert org.type in ORG_TYPES, org
        assert org.name and org.name not in org.aliases, org
        assert org.acronym is None or org.acronym not in org.aliases, org


def test_no_organisation_form_is_a_title(orgs):
    titles = {"un high commissioner for refugees", "secretary-general", "secretary general"}
    for org in orgs:
        for form in (org.name, *org.aliases):
            assert form.lower() not in titles, org


def test_no_organisation_form_is_shared(orgs):
    owner: dict[str, str] = {}
    clashes = []
    for org in orgs:
        forms = {org.name, *org.aliases} | ({org.acronym} if org.acronym else set())
        for form in forms:
            key = fold(form) if len(form.split()) > 1 else form
            if owner.setdefault(key, org.id) != org.id:
                clashes.append((form, owner[key], org.id))
    assert not clashes


@pytest.mark.parametrize(
    "form, org_id",
    [("UNHCR", "unhcr"), ("UN Refugee Agency", "unhcr"), ("OHCHR", "ohchr"),
     ("World Food Programme", "wfp"), ("NATO", "nato"), ("KOICA", "kr_koica")],
)
def test_organisation_lookup(orgs, form, org_id):
    matches = [o.id for o in orgs if form in (o.name, o.acronym, *o.aliases)]
    assert matches == [org_id]
