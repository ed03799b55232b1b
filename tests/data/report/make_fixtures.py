"""Writes gold.jsonl and pred.jsonl of this folder (the fixtures of tests/test_report.py).

Run it after changing a text: mention offsets are computed here, not typed.
    python tests/data/report/make_fixtures.py
"""
import json
from pathlib import Path

OUT = Path(__file__).parent

def m(text, needle, rule, nth=0):
    """The mention of the nth occurrence of needle in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return {"start": start, "end": start + len(needle), "text": needle, "rule": rule}

t1 = ("Foreign Minister Park Jin met UN Secretary-General Antonio Guterres in New York on March 3, 2024, "
      "together with Vice Minister of Foreign Affairs Kang Insun.\n\n"
      "Park said the Republic of Korea would contribute $5 million to the World Food Programme (WFP) "
      "for people facing famine. Asked by journalist Jane Roe about the UN Security Council, "
      "Minister Park declined to comment.")
t2 = ("Department Spokesperson Ned Price condemned the attack on June 23.\n"
      "<script>alert('owned')</script> Tom & Jerry <b>bold</b> \"quoted\" it's <img src=x onerror=alert(1)>")
t3 = "Secretary of State Antony J. Blinken spoke with partners today. Full text: https://www.state.gov/briefings/"


# r1: every kind of error; r2: markup in text, record fields and rule, and gold without
# text; r3: a clean document with a URL in its text.
gold = [
    {"id": "r3-clean", "text": t3, "release_date": "2021-07-06",
     "officials": [{"name": "Antony J. Blinken", "title": "Secretary of State", "organisation": None, "country": "US"}],
     "organisations": [], "dates": [{"text": "today", "value": "2021-07-06"}], "pledges": [], "themes": []},
    # No text in gold: the page takes it from the prediction.
    {"id": "r2<&>", "release_date": "2021-06-23",
     "officials": [{"name": "Ned Price", "title": "Department Spokesperson", "organisation": None, "country": "US"}],
     "organisations": [], "dates": [{"text": "June 23", "value": "2021-06-23"}], "pledges": [],
     "themes": [{"id": "peace_security"}]},
    {"id": "r1-errors", "text": t1, "release_date": "2024-03-04",
     "officials": [
         {"name": "Park Jin", "title": "Foreign Minister", "organisation": "Ministry of Foreign Affairs", "country": "KR"},
         {"name": "Antonio Guterres", "title": "Secretary-General", "organisation": "UN", "country": None},
         {"name": "Kang Insun", "title": "Vice Minister of Foreign Affairs", "organisation": "Ministry of Foreign Affairs", "country": "KR"},
     ],
     "organisations": [
         {"name": "UN", "acronym": "UN"},
         {"name": "World Food Programme", "acronym": "WFP"},
         {"name": "UN Security Council", "acronym": None},
         {"name": "Korea International Cooperation Agency", "acronym": "KOICA"},
     ],
     "dates": [{"text": "March 3, 2024", "value": "2024-03-03"}],
     "pledges": [{"text": "$5 million", "amount": 5000000, "currency": "USD", "donor": "Republic of Korea",
                  "recipient": "World Food Programme"}],
     "themes": [{"id": "humanitarian_aid"}, {"id": "multilateral_institutions"}]},
]

pred = [
    {"id": "r1-errors", "text": t1, "release_date": "2024-03-04",
     "officials": [
         {"name": "Park Jin", "title": "Foreign Minister", "organisation": "Ministry of Foreign Affairs", "country": "KR",
          "mentions": [m(t1, "Park Jin", "title_name:minister"), m(t1, "Park", "coref:family_name", 1),
                       m(t1, "Minister Park", "title_name:minister", 1)]},
         {"name": "Antonio Guterres", "title": "UN Secretary-General", "organisation": "UN", "country": None,
          "mentions": [m(t1, "Antonio Guterres", "title_name:un_head")]},
         {"name": "Jane Roe", "title": "journalist", "organisation": None, "country": None,
          "mentions": [m(t1, "Jane Roe", "title_name:generic")]},
     ],
     "organisations": [
         {"name": "UN", "acronym": "UN", "mentions": [m(t1, "UN", "gazetteer:un"), m(t1, "UN", "gazetteer:un", 1)]},
         {"name": "World Food Programme", "acronym": "WFP",
          "mentions": [m(t1, "World Food Programme", "gazetteer:wfp"), m(t1, "WFP", "acronym:definition")]},
         {"name": "UN Security Council", "acronym": None, "mentions": [m(t1, "UN Security Council", "gazetteer:unsc")]},
         {"name": "New York", "acronym": None, "mentions": [m(t1, "New York", "pattern:proper_noun_body")]},
     ],
     "dates": [{"text": "March 3, 2024", "value": "2024-03-03", "mentions": [m(t1, "March 3, 2024", "date:month_day_year")]}],
     "pledges": [{"text": "$5 million", "amount": 5000000.0, "currency": "USD", "donor": "Republic of Korea",
                  "recipient": None, "mentions": [m(t1, "$5 million", "money:symbol_scale")]}],
     "themes": [{"id": "humanitarian_aid", "score": 0.91}, {"id": "trade_economy", "score": 0.42}]},
    {"id": "r2<&>", "text": t2, "release_date": "2021-06-23",
     "officials": [{"name": "Ned Price", "title": "Department Spokesperson", "organisation": None, "country": "US",
                    "mentions": [m(t2, "Ned Price", "title_name:spokesperson")]}],
     "organisations": [],
     "dates": [{"text": "June 23", "value": "2021-06-23", "mentions": [m(t2, "June 23", "date:month_day")]}],
     "pledges": [{"text": "<img src=x onerror=alert(1)>", "amount": 1.0, "currency": "USD",
                  "donor": "<script>alert('donor')</script>", "recipient": None,
                  "mentions": [m(t2, "<img src=x onerror=alert(1)>", "money:<b>rule</b>")]}],
     "themes": [{"id": "peace_security"}]},
    {"id": "r3-clean", "text": t3, "release_date": "2021-07-06",
     "officials": [{"name": "Antony J. Blinken", "title": "Secretary of State", "organisation": None, "country": "US",
                    "mentions": [m(t3, "Antony J. Blinken", "title_name:secretary")]}],
     "organisations": [], "dates": [{"text": "today", "value": "2021-07-06", "mentions": [m(t3, "today", "date:relative")]}],
     "pledges": [], "themes": []},
]
for name, rows in (("gold.jsonl", gold), ("pred.jsonl", pred)):
    (OUT / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
