"""The pledge component: which amounts are pledges, who gives, who receives."""
import pytest
import spacy

from extractor.components.pledges import Cue, cue_score, join_names


def pledges(ex, text, issuer="KR"):
    return ex.extract(text, issuer=issuer).pledges


def summary(records):
    return [(p.amount, p.currency, p.donor, p.recipient) for p in records]


# --------------------------------------------------------------------- seed


def test_seed_has_exactly_one_pledge(ex, seed_text):
    found = pledges(ex, seed_text, issuer="KR")
    assert len(found) == 1
    pledge = found[0]
    assert pledge.text == "$2 million"
    assert pledge.amount == 2_000_000
    assert pledge.currency == "USD"
    assert pledge.donor == "Republic of Korea"
    assert pledge.recipient == "Action with Women and Peace Fund"
    assert pledge.mentions[0].rule == "symbol-number"
    assert seed_text[pledge.mentions[0].start : pledge.mentions[0].end] == "$2 million"


def test_seed_without_issuer_still_finds_korea(ex, seed_text):
    (pledge,) = ex.extract(seed_text).pledges
    assert pledge.donor == "Republic of Korea"


# ------------------------------------------------------- pledge or not


@pytest.mark.parametrize(
    "text",
    [
        "The Government of the Republic of Korea will provide $1 million in humanitarian assistance to Sudan.",
        "Japan pledged 2.5 billion yen in grant aid to Tuvalu.",
        "The United States has provided more than $3 billion in assistance since 1991.",
        "The Rewards for Justice program is offering a reward of up to $10 million for information.",
        "The President's Budget requests $2.6 billion for gender programs.",
        "Korea will contribute US$100 million to the COVAX Advance Market Commitment.",
        "KOICA signed a grant agreement for a US$10 million project to strengthen primary health care.",
        "The Korean government decided to lend USD 2 billion to Viet Nam for infrastructure.",
    ],
)
def test_pledges_are_found(ex, text):
    assert len(pledges(ex, text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Korea's GDP reached $1.7 trillion last year.",
        "Bilateral trade between Korea and Ethiopia amounted to about $100 million last year.",
        "Two-way trade volume exceeded $190 billion.",
        "The earthquake caused damage estimated at more than $100 billion.",
        "The company agreed to pay a fine of $50 million.",
        "The bank paid a $1.3 billion settlement to resolve the charges.",
        "North Korean hackers stole $620 million in cryptocurrency.",
        "The network laundered more than $5 million for the regime.",
        "The cyber attacks cost these entities nearly $1 billion in losses.",
        "Exports of semiconductors were worth $120 billion.",
        "Gasoline prices rose to $5 per gallon.",
    ],
)
def test_amounts_that_describe_the_world_are_not_pledges(ex, text):
    assert pledges(ex, text) == []


def test_near_cue_beats_far_cue(ex):
    text = (
        "Korea will provide $5 million in humanitarian assistance to Türkiye, "
        "where the earthquakes caused damage of more than $100 billion."
    )
    assert summary(pledges(ex, text)) == [(5_000_000, "USD", "Republic of Korea", "Türkiye")]


# ------------------------------------------------------------ donor


@pytest.mark.parametrize(
    "text, issuer, donor",
    [
        ("Japan will provide $3 million to UNICEF.", "KR", "Japan"),
        ("The Korean government decided to provide $1 million to the WFP.", "US", "Republic of Korea"),
        ("The United States and Japan will jointly provide $5 million to the Pacific Islands Forum.", "KR",
         "United States and Japan"),
        (
            (
                "The President announced a $13.5 million disbursement from the U.S. International "
                "Development Finance Corporation to Ecuador."
            ),
            "US",
            "U.S. International Development Finance Corporation",
        ),
        ("Secretary Blinken announced $100 million in humanitarian assistance for Ukraine.", "US", "United States"),
        ("We will provide $20 million to the World Bank.", "KR", "Republic of Korea"),
        ("Donors pledged a combined USD 14.25 billion.", "KR", "Donors"),
    ],
)
def test_donor(ex, text, issuer, donor):
    (pledge,) = pledges(ex, text, issuer=issuer)
    assert pledge.donor == donor


def test_donor_unknown_without_issuer(ex):
    (pledge,) = ex.extract("An additional $100 million in assistance will be provided to Moldova.").pledges
    assert pledge.donor is None
    assert pledge.recipient == "Moldova"


# -------------------------------------------------------- recipient


@pytest.mark.parametrize(
    "text, recipient",
    [
        ("Korea will contribute $300 million to the Green Climate Fund.", "Green Climate Fund"),
        ("Korea will provide $1 million in humanitarian assistance to Sudan.", "Sudan"),
        ("Korea will provide USD 5 million through the International Committee of the Red Cross.",
         "International Committee of the Red Cross"),
        ("Korea will provide $2 million for violence reduction projects.", "violence reduction projects"),
        ("The United States is providing $144 million to the people affected by the crisis in Afghanistan.",
         "people affected by the crisis in Afghanistan"),
        ("Korea will provide KRW 6.5 billion through KOICA for a solar power project in Kiribati.", "Kiribati"),
        ("The Government has committed $3 million to support Ecuador in reducing carbon emissions.", "Ecuador"),
    ],
)
def test_recipient(ex, text, recipient):
    (pledge,) = pledges(ex, text)
    assert pledge.recipient == recipient


def test_launch_of_a_named_fund(ex):
    text = 'Korea launched the "Action with Women and Peace Fund (worth $2 million)" this year.'
    assert summary(pledges(ex, text)) == [
        (2_000_000, "USD", "Republic of Korea", "Action with Women and Peace Fund")
    ]


def test_reward_has_no_recipient(ex):
    text = "The Rewards for Justice program is offering a reward of up to $10 million for information."
    (pledge,) = pledges(ex, text, issuer="US")
    assert pledge.recipient is None
    assert pledge.donor == "Rewards for Justice"
    assert pledge.qualifier == "up to"


def test_delivery_channel_in_the_next_sentence(ex):
    text = (
        "1. The Government of the Republic of Korea has decided to provide humanitarian assistance worth "
        "US $1 million to Sudan.\n"
        "2. The assistance will be delivered through the World Food Programme (WFP) to displaced families."
    )
    (pledge,) = pledges(ex, text)
    assert pledge.recipient == "World Food Programme"
    assert pledge.text == "US $1 million"


# ----------------------------------------------------- distributive


def test_each_and_total(ex):
    text = (
        "The Government of the Republic of Korea has decided to provide a total of $500,000 in emergency "
        "humanitarian assistance. Of this amount, $300,000 will go to Mozambique, as well as $100,000 each "
        "to Zimbabwe and Malawi."
    )
    assert sorted(summary(pledges(ex, text)), key=lambda r: (-r[0], r[3])) == [
        (500_000, "USD", "Republic of Korea", "Mozambique, Zimbabwe and Malawi"),
        (300_000, "USD", "Republic of Korea", "Mozambique"),
        (100_000, "USD", "Republic of Korea", "Malawi"),
        (100_000, "USD", "Republic of Korea", "Zimbabwe"),
    ]


def test_each_shares_one_mention_span(ex):
    doc = ex.process("Korea will provide $100,000 each to Zimbabwe and Malawi.", issuer="KR")
    spans = list(doc.spans["pledges"])
    assert [s.text for s in spans] == ["$100,000", "$100,000"]
    assert len({s.kb_id_ for s in spans}) == 2
    assert {r["recipient"] for r in doc._.records["pledges"].values()} == {"Zimbabwe", "Malawi"}


# ------------------------------------------------------- conversion


@pytest.mark.parametrize(
    "text, first, conversion",
    [
        (
            (
                "Of this, KRW 180.4 billion (USD 151 million) has been earmarked for food security "
                "assistance to African countries."
            ),
            ("KRW 180.4 billion", 180_400_000_000, "KRW"),
            ("USD 151 million", 151_000_000, "USD"),
        ),
        ("The Korean government has provided 36 billion won (US$29.9 million) since 2013 to support the Fund.",
         ("36 billion won", 36_000_000_000, "KRW"), ("US$29.9 million", 29_900_000, "USD")),
    ],
)
def test_conversion_is_kept_with_the_pledge(ex, text, first, conversion):
    (pledge,) = pledges(ex, text)
    assert (pledge.text, pledge.amount, pledge.currency) == first
    assert [(c.text, c.amount, c.currency) for c in pledge.conversions] == [conversion]


# ------------------------------------------------------- document-level


def test_headline_and_body_are_one_pledge(ex):
    text = (
        "Korea Pledges USD 100 Million to the Global Fund\n\n"
        "Korea will contribute USD 100 million to the Global Fund to Fight AIDS, Tuberculosis and Malaria."
    )
    (pledge,) = pledges(ex, text)
    assert len(pledge.mentions) == 2


def test_wrapped_lines_are_read_as_one_sentence(ex):
    text = (
        "As a part of the visit, the President announced a\n"
        "$13.5 million disbursement from the U.S. International Development\n"
        "Finance Corporation to support microfinance loans through Ecuador,\n"
        "including women-led businesses."
    )
    (pledge,) = pledges(ex, text, issuer="US")
    assert pledge.donor == "U.S. International Development Finance Corporation"
    assert pledge.recipient == "Ecuador"


def test_no_money_no_pledges(ex):
    doc = ex.process("The two ministers discussed regional security.")
    assert list(doc.spans["pledges"]) == []
    assert doc._.records["pledges"] == {}


def test_record_contract(ex):
    doc = ex.process("Japan will provide $3 million to UNICEF and $2 million to WFP.", issuer="KR")
    table = doc._.records["pledges"]
    assert list(table) == ["p0", "p1"]
    assert set(table["p0"]) == {"text", "amount", "currency", "donor", "recipient", "qualifier", "conversions"}
    assert [(s.kb_id_, s.label_, s.id_) for s in doc.spans["pledges"]] == [
        ("p0", "PLEDGE", "symbol-number"),
        ("p1", "PLEDGE", "symbol-number"),
    ]


# ------------------------------------------------------------ plumbing


def test_component_on_a_blank_pipeline():
    nlp = spacy.blank("en")
    nlp.add_pipe("extractor_pledges")
    doc = nlp("Korea will contribute $300 million to the Green Climate Fund.")
    (record,) = doc._.records["pledges"].values()
    assert (record["amount"], record["recipient"]) == (300_000_000, "Green Climate Fund")
    assert record["donor"] == "Republic of Korea"


def test_config_reaches_the_component():
    nlp = spacy.blank("en")
    nlp.add_pipe("extractor_pledges", config={"min_amount": 1_000_000_000})
    doc = nlp("Korea will contribute $300 million to the Green Climate Fund.")
    assert doc._.records["pledges"] == {}


def test_cue_score_prefers_near_cues():
    def gap(a, b):
        return (b - a, 0, 0)

    near_not = [Cue(5, 6, -1, 3.0), Cue(0, 1, +1, 3.0)]
    assert cue_score(near_not, 3, 5, gap=gap) < 0
    near_pledge = [Cue(2, 3, +1, 3.0), Cue(12, 13, -1, 3.0)]
    assert cue_score(near_pledge, 3, 5, gap=gap) > 0


@pytest.mark.parametrize(
    "names, joined",
    [([], ""), (["A"], "A"), (["A", "B"], "A and B"), (["A", "B", "C"], "A, B and C"), (["A", "A"], "A")],
)
def test_join_names(names, joined):
    assert join_names(names) == joined
