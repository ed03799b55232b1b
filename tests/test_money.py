"""extractor.money: amounts, currencies, scales, qualifiers and restatements."""
import pytest

from extractor.money import (
    find_money,
    is_conversion_gap,
    parse_money,
    qualifier_before,
    split_conversion,
)


@pytest.mark.parametrize(
    "text, expected_text, amount, currency, qualifier",
    [
        ("$2 million", "$2 million", 2_000_000, "USD", None),
        ("US$10 million", "US$10 million", 10_000_000, "USD", None),
        ("US $1 million", "US $1 million", 1_000_000, "USD", None),
        ("USD 5 million", "USD 5 million", 5_000_000, "USD", None),
        ("18.5 million U.S. dollars", "18.5 million U.S. dollars", 18_500_000, "USD", None),
        ("100,000 USD", "100,000 USD", 100_000, "USD", None),
        ("KRW 180.4 billion", "KRW 180.4 billion", 180_400_000_000, "KRW", None),
        ("36 billion won", "36 billion won", 36_000_000_000, "KRW", None),
        ("€300,000", "€300,000", 300_000, "EUR", None),
        ("£5m", "£5m", 5_000_000, "GBP", None),
        ("2.5 billion yen", "2.5 billion yen", 2_500_000_000, "JPY", None),
        ("some 500,000 US dollars", "500,000 US dollars", 500_000, "USD", "some"),
        ("$1.2 billion", "$1.2 billion", 1_200_000_000, "USD", None),
        ("$500,000", "$500,000", 500_000, "USD", None),
        ("$3bn", "$3bn", 3_000_000_000, "USD", None),
        ("EUR 10 million", "EUR 10 million", 10_000_000, "EUR", None),
        ("10 million euros", "10 million euros", 10_000_000, "EUR", None),
        ("CAD$5 million", "CAD$5 million", 5_000_000, "CAD", None),
        ("C$5 million", "C$5 million", 5_000_000, "CAD", None),
        ("A$2.5 million", "A$2.5 million", 2_500_000, "AUD", None),
        ("NZ$3 million", "NZ$3 million", 3_000_000, "NZD", None),
        ("$250k", "$250k", 250_000, "USD", None),
        ("$1.5B", "$1.5B", 1_500_000_000, "USD", None),
        ("$4 trillion", "$4 trillion", 4_000_000_000_000, "USD", None),
        ("$100 thousand", "$100 thousand", 100_000, "USD", None),
        ("$10-million", "$10-million", 10_000_000, "USD", None),
        ("USD5 million", "USD5 million", 5_000_000, "USD", None),
        ("5 million dollars", "5 million dollars", 5_000_000, "USD", None),
        ("approximately 180.4 billion Korean won", "180.4 billion Korean won", 180_400_000_000, "KRW", "approximately"),
        ("more than $3 billion", "$3 billion", 3_000_000_000, "USD", "more than"),
        ("nearly $269 million", "$269 million", 269_000_000, "USD", "nearly"),
        ("up to $10 million", "$10 million", 10_000_000, "USD", "up to"),
        ("in excess of $200 million", "$200 million", 200_000_000, "USD", "more than"),
        ("at least $1 billion", "$1 billion", 1_000_000_000, "USD", "at least"),
        # Hard-wrapped lines and Markdown links around the amount.
        ("$2\n    billion", "$2 billion", 2_000_000_000, "USD", None),
        ("[$5 million](https://example.org)", "$5 million", 5_000_000, "USD", None),
    ],
)
def test_parse_money(text, expected_text, amount, currency, qualifier):
    money = parse_money(text)
    assert money is not None
    assert (money.text, money.amount, money.currency, money.qualifier) == (
        expected_text,
        amount,
        currency,
        qualifier,
    )


@pytest.mark.parametrize(
    "text",
    ["in 1998 won the vote", "2,000 people", "5 percent", "the 55th session", "Moreover", ""],
)
def test_parse_money_rejects(text):
    assert parse_money(text) is None


def test_parse_money_offsets_locate_the_amount():
    text = "Korea will provide nearly $2 million to WFP."
    money = parse_money(text)
    assert text[money.start : money.end] == "$2 million"
    assert money.qualifier == "nearly"


def test_an_additional_is_not_a_qualifier():
    assert parse_money("an additional $100 million").qualifier is None


def test_find_money_finds_each_amount():
    found = [m.text for m in find_money("$300,000 to Mozambique and $100,000 each to Zimbabwe")]
    assert found == ["$300,000", "$100,000"]


@pytest.mark.parametrize(
    "text, first, conversion",
    [
        ("KRW 180.4 billion (USD 151 million)", ("KRW 180.4 billion", 180_400_000_000, "KRW"),
         ("USD 151 million", 151_000_000, "USD")),
        ("36 billion won (US$29.9 million)", ("36 billion won", 36_000_000_000, "KRW"),
         ("US$29.9 million", 29_900_000, "USD")),
        ("36 billion won (approximately US$29.9 million)", ("36 billion won", 36_000_000_000, "KRW"),
         ("US$29.9 million", 29_900_000, "USD")),
    ],
)
def test_split_conversion(text, first, conversion):
    money = split_conversion(text)
    assert (money.text, money.amount, money.currency) == first
    assert [(c.text, c.amount, c.currency) for c in money.conversions] == [conversion]
    assert money.conversions[0].as_amount() == dict(zip(("text", "amount", "currency"), conversion))


def test_split_conversion_without_restatement():
    money = split_conversion("$5 million to UNICEF and $3 million to WFP")
    assert money.text == "$5 million" and money.conversions == ()
    assert split_conversion("no money here") is None


@pytest.mark.parametrize(
    "between, after, expected",
    [(" (", ")", True), (" (approximately ", ") was", True), (" and ", ")", False), (" (", " and", False)],
)
def test_is_conversion_gap(between, after, expected):
    assert is_conversion_gap(between, after) is expected


@pytest.mark.parametrize(
    "text, expected",
    [("a reward of up to ", "up to"), ("in excess of\n", "more than"), ("Moreover ", None), ("an additional ", None)],
)
def test_qualifier_before(text, expected):
    assert qualifier_before(text) == expected
