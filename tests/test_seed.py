"""The user's original release: every record of ANNOTATION.md's seed section, and nothing else."""
import pytest

OFFICIALS = {
    ("Kang Insun", "Vice Minister of Foreign Affairs", "Ministry of Foreign Affairs", "KR"),
    ("Yoon Suk Yeol", "President", None, "KR"),
    ("Volker Türk", "UN High Commissioner for Human Rights", "OHCHR", None),
    ("Filippo Grandi", "UN High Commissioner for Refugees", "UNHCR", None),
}
# (name or acronym that must identify the record, acronym)
ORGANISATIONS = [
    ({"UN", "United Nations"}, "UN"),
    ({"United Nations Human Rights Council"}, None),
    ({"UN General Assembly"}, None),
    ({"Office of the High Commissioner for Human Rights"}, "OHCHR"),
    ({"UN Refugee Agency"}, "UNHCR"),
    ({"UN Commission of Inquiry", "UN Commission of Inquiry on human rights in North Korea"}, "COI"),
]
NOT_ORGANISATIONS = {"WPS", "ODA", "Action with Women and Peace Fund", "Global Pivotal State"}
DATES = {
    None: {
        ("February 26 to 28", "XXXX-02-26/XXXX-02-28"),
        ("February 27", "XXXX-02-27"),
        ("last year", "XXXX"),
        ("this year", "XXXX"),
        ("2025-27", "2025/2027"),
    },
    "2024-02-29": {
        ("February 26 to 28", "2024-02-26/2024-02-28"),
        ("February 27", "2024-02-27"),
        ("last year", "2023"),
        ("this year", "2024"),
        ("2025-27", "2025/2027"),
    },
}
THEMES = {
    "human_rights", "north_korea", "refugees_migration", "development_cooperation",
    "digital_technology", "gender_wps", "multilateral_institutions",
}


@pytest.fixture(scope="module", params=[None, "2024-02-29"])
def seed_record(request, ex, seed_path):
    record = ex.extract(seed_path.read_text(encoding="utf-8"), release_date=request.param)
    return request.param, record


def test_seed_officials(seed_record):
    _, record = seed_record
    got = {(o.name, o.title, o.organisation, o.country) for o in record.officials}
    assert got == OFFICIALS
    assert len(record.officials) == 4


def test_seed_organisations(seed_record):
    _, record = seed_record
    assert len(record.organisations) == len(ORGANISATIONS)
    for names, acronym in ORGANISATIONS:
        matches = [o for o in record.organisations if o.name in names or (acronym and o.acronym == acronym and o.name in names | {acronym})]
        assert len(matches) == 1, (names, [o.name for o in record.organisations])
        assert matches[0].acronym == acronym
    forms = {o.name for o in record.organisations} | {o.acronym for o in record.organisations}
    assert not forms & NOT_ORGANISATIONS


def test_seed_dates(seed_record):
    release_date, record = seed_record
    assert {(d.text, d.value) for d in record.dates} == DATES[release_date]
    assert len(record.dates) == 5
    february_27 = next(d for d in record.dates if d.text == "February 27")
    assert len(february_27.mentions) == 2  # twice in the text, one record
    if release_date is None:
        assert any("XXXX" in w for w in record.warnings)


def test_seed_pledges(seed_record):
    _, record = seed_record
    assert [(p.text, p.amount, p.currency, p.donor, p.recipient) for p in record.pledges] == [
        ("$2 million", 2_000_000, "USD", "Republic of Korea", "Action with Women and Peace Fund")
    ]


def test_seed_themes(seed_record):
    _, record = seed_record
    assert {t.id for t in record.themes} == THEMES


def test_seed_release_date_is_reported(seed_record):
    release_date, record = seed_record
    assert (record.release_date.isoformat() if record.release_date else None) == release_date
    assert record.release_date_source == ("caller" if release_date else None)


def test_every_mention_points_into_the_text(seed_record):
    _, record = seed_record
    for name in ("officials", "organisations", "dates", "pledges", "themes"):
        for item in getattr(record, name):
            for mention in item.mentions:
                assert record.text[mention.start : mention.end] == mention.text
                assert mention.rule
