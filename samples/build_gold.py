"""Build samples/gold/samples.jsonl from samples/releases/*.txt and the gold annotations below.

Data script for the hand-written MOFA-style sample releases; `text` is always read
from the .txt file so the two never drift.  Run: python samples/build_gold.py
"""
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
MOFA = "Ministry of Foreign Affairs"
ROK = "Republic of Korea"


def O(name, title, organisation, country):
    return {"name": name, "title": title, "organisation": organisation, "country": country}


def G(name, acronym=None, aliases=None):
    rec = {"name": name, "acronym": acronym}
    if aliases:
        rec["aliases"] = aliases
    return rec


def D(text, value):
    return {"text": text, "value": value}


def P(text, amount, currency, donor, recipient):
    return {"text": text, "amount": amount, "currency": currency, "donor": donor, "recipient": recipient}


def T(*ids):
    return [{"id": i} for i in ids]


GOLD = {
    "mofa-001-unsc-election": dict(
        release_date="2023-06-07",
        officials=[
            O("Park Jin", "Minister of Foreign Affairs", MOFA, "KR"),
            O("Hwang Joon-kook", "Permanent Representative to the United Nations", None, "KR"),
        ],
        organisations=[
            G("United Nations Security Council", None, ["UN Security Council", "Security Council", "Council"]),
            G("United Nations", "UN"),
            G("UN General Assembly"),
        ],
        dates=[
            D("2024-2025", "2024/2025"),
            D("June 6", "2023-06-06"),
            D("1996-1997", "1996/1997"),
            D("2013-2014", "2013/2014"),
            D("January next year", "2024-01"),
            D("June 2024", "2024-06"),
        ],
        pledges=[],
        themes=T("multilateral_institutions", "peace_security", "north_korea", "nonproliferation",
                 "gender_wps", "digital_technology", "climate_environment"),
    ),
    "mofa-002-ukraine-recovery-berlin": dict(
        release_date="2024-06-13",
        officials=[
            O("Kang Insun", "2nd Vice Minister of Foreign Affairs", MOFA, "KR"),
            O("Denys Shmyhal", "Prime Minister", None, "UA"),
            O("Svenja Schulze", "Federal Minister for Economic Cooperation and Development",
              "Federal Ministry for Economic Cooperation and Development", "DE"),
        ],
        organisations=[
            G("World Bank"),
            G("International Committee of the Red Cross", "ICRC"),
        ],
        dates=[
            D("June 11 and 12", "2024-06-11/2024-06-12"),
            D("this year", "2024"),
            D("last year", "2023"),
        ],
        pledges=[
            P("USD 5 million", 5000000, "USD", ROK, "International Committee of the Red Cross"),
            P("$20 million", 20000000, "USD", ROK, "World Bank"),
        ],
        themes=T("peace_security", "humanitarian_aid", "development_cooperation", "energy_resources"),
    ),
    "mofa-003-briefing-g20-dprk-consular": dict(
        release_date="2022-06-30",
        officials=[
            O("Choi Young-sam", "Spokesperson and Deputy Minister for Public Relations", None, "KR"),
            O("Park Jin", "Minister of Foreign Affairs", MOFA, "KR"),
            O("Kim Gunn", "Special Representative for Korean Peninsula Peace and Security Affairs", None, "KR"),
            O("Sung Kim", "Special Representative for the DPRK", None, "US"),
        ],
        organisations=[
            G("G20", "G20"),
            G("Security Council"),
        ],
        dates=[
            D("July 7 to 8", "2022-07-07/2022-07-08"),
            D("yesterday", "2022-06-29"),
            D("this week", "2022-W26"),
            D("Tuesday", "2022-06-28"),
        ],
        pledges=[],
        themes=T("north_korea", "nonproliferation", "consular_diaspora", "humanitarian_aid", "energy_resources"),
    ),
    "mofa-004-sudan-humanitarian": dict(
        release_date="2023-05-12",
        officials=[],
        organisations=[
            G("World Food Programme", "WFP"),
            G("United Nations Children's Fund", "UNICEF"),
        ],
        dates=[
            D("April 15", "2023-04-15"),
            D("Last month", "2023-04"),
            D("last year", "2022"),
        ],
        pledges=[
            P("US $1 million", 1000000, "USD", ROK, "World Food Programme"),
            P("500,000 US dollars", 500000, "USD", ROK, "United Nations Children's Fund"),
        ],
        themes=T("humanitarian_aid", "peace_security", "refugees_migration", "consular_diaspora"),
    ),
    "mofa-005-cyclone-idai": dict(
        release_date=None,
        officials=[],
        organisations=[],
        dates=[
            D("March 14", "XXXX-03-14"),
        ],
        pledges=[
            P("$600,000", 600000, "USD", ROK, "Mozambique, Zimbabwe and Malawi"),
            P("$400,000", 400000, "USD", ROK, "Mozambique"),
            P("$100,000", 100000, "USD", ROK, "Zimbabwe"),
            P("$100,000", 100000, "USD", ROK, "Malawi"),
        ],
        themes=T("humanitarian_aid", "health", "consular_diaspora"),
    ),
    "mofa-006-gcf-replenishment": dict(
        release_date="2023-10-06",
        officials=[
            O("Chung Byung-won", "Deputy Minister for Multilateral and Global Affairs", None, "KR"),
            O("Mafalda Duarte", "Executive Director", "GCF", None),
        ],
        organisations=[
            G("Green Climate Fund", "GCF", ["Fund"]),
        ],
        dates=[
            D("October 5", "2023-10-05"),
            D("2024-2027", "2024/2027"),
            D("2013", "2013"),
            D("This year", "2023"),
            D("this week", "2023-W40"),
        ],
        pledges=[
            P("$300 million", 300000000, "USD", ROK, "Green Climate Fund"),
            P("$200 million", 200000000, "USD", ROK, "Green Climate Fund"),
            P("36 billion won", 36000000000, "KRW", ROK, "Green Climate Fund"),
        ],
        themes=T("climate_environment", "development_cooperation", "multilateral_institutions"),
    ),
    "mofa-007-oda-plan-fy2024": dict(
        release_date="2024-01-25",
        officials=[
            O("Han Duck-soo", "Prime Minister", None, "KR"),
            O("Chang Ho-jin", "First Vice Minister of Foreign Affairs", MOFA, "KR"),
        ],
        organisations=[
            G("Committee for International Development Cooperation", "CIDC", ["Committee"]),
            G("Ministry of Foreign Affairs"),
            G("Korea International Cooperation Agency", "KOICA"),
            G("ASEAN", "ASEAN"),
        ],
        dates=[
            D("FY 2024", "2024"),
            D("today", "2024-01-25"),
            D("this year", "2024"),
            D("the previous year", "2023"),
            D("March 2025", "2025-03"),
        ],
        pledges=[
            P("KRW 6.26 trillion", 6260000000000, "KRW", ROK, "Official Development Assistance"),
            P("KRW 180.4 billion", 180400000000, "KRW", ROK, "African countries"),
        ],
        themes=T("development_cooperation", "humanitarian_aid", "digital_technology"),
    ),
    "mofa-008-hrc58-geneva": dict(
        release_date="2025-02-28",
        officials=[
            O("Kim Hong-kyun", "First Vice Minister of Foreign Affairs", MOFA, "KR"),
            O("Volker Türk", "High Commissioner for Human Rights", "OHCHR", None),
            O("Amy Pope", "Director General of the International Organization for Migration", "IOM", None),
        ],
        organisations=[
            G("United Nations Human Rights Council", None, ["Council"]),
            G("UN", "UN"),
            G("Office of the High Commissioner for Human Rights", "OHCHR"),
            G("International Organization for Migration", "IOM"),
        ],
        dates=[
            D("February 26 to 28", "2025-02-26/2025-02-28"),
            D("February 26", "2025-02-26"),
            D("January", "2025-01"),
            D("February 27", "2025-02-27"),
            D("this year", "2025"),
            D("2025-2026", "2025/2026"),
        ],
        pledges=[
            P("US$1.2 million", 1200000, "USD", ROK, "Office of the High Commissioner for Human Rights"),
        ],
        themes=T("human_rights", "north_korea", "multilateral_institutions", "consular_diaspora",
                 "refugees_migration"),
    ),
    "mofa-009-japan-fm-phone-call": dict(
        release_date="2024-01-17",
        officials=[
            O("Cho Tae-yul", "Minister of Foreign Affairs", MOFA, "KR"),
            O("Yoko Kamikawa", "Foreign Minister", MOFA, "JP"),
        ],
        organisations=[
            G("Japanese Red Cross Society"),
            G("Security Council"),
        ],
        dates=[
            D("January 16", "2024-01-16"),
            D("January 12", "2024-01-12"),
            D("January 1", "2024-01-01"),
            D("January 14", "2024-01-14"),
            D("next year", "2025"),
        ],
        pledges=[
            P("US$200,000", 200000, "USD", ROK, "Japanese Red Cross Society"),
        ],
        themes=T("north_korea", "nonproliferation", "humanitarian_aid", "trade_economy", "culture_exchange"),
    ),
    "mofa-010-dprk-icbm-trilateral-call": dict(
        release_date="2023-12-18",
        officials=[
            O("Lee Jun-il", "Director-General for North Korean Nuclear Affairs", None, "KR"),
            O("Jung Pak", "Senior Official for the DPRK", None, "US"),
            O("Namazu Hiroyuki", "Director-General for Asian and Oceanian Affairs", None, "JP"),
        ],
        organisations=[
            G("UN Security Council", None, ["Security Council"]),
        ],
        dates=[
            D("today", "2023-12-18"),
            D("this year", "2023"),
            D("yesterday", "2023-12-17"),
            D("last year", "2022"),
            D("this month", "2023-12"),
            D("August", "2023-08"),
        ],
        pledges=[],
        themes=T("north_korea", "nonproliferation", "law_enforcement", "digital_technology", "peace_security"),
    ),
    "mofa-011-wfp-mccain": dict(
        release_date="2024-03-20",
        officials=[
            O("Cho Tae-yul", "Minister of Foreign Affairs", MOFA, "KR"),
            O("Cindy McCain", "Executive Director", "WFP", None),
        ],
        organisations=[
            G("World Food Programme", "WFP"),
            G("Ministry of Foreign Affairs"),
            G("KOICA", "KOICA"),
            G("National Assembly"),
        ],
        dates=[
            D("March 18 to 21", "2024-03-18/2024-03-21"),
            D("the 19th", "2024-03-19"),
            D("this year", "2024"),
            D("next month", "2024-04"),
        ],
        pledges=[
            P("18.5 million U.S. dollars", 18500000, "USD", ROK, "World Food Programme"),
        ],
        themes=T("humanitarian_aid", "development_cooperation"),
    ),
    "mofa-012-unhcr-grandi": dict(
        release_date="2023-06-14",
        officials=[
            O("Oh Young-ju", "2nd Vice Minister of Foreign Affairs", MOFA, "KR"),
            O("Filippo Grandi", "UN High Commissioner for Refugees", "UNHCR", None),
        ],
        organisations=[
            G("UN Refugee Agency", "UNHCR"),
        ],
        dates=[
            D("Tuesday", "2023-06-13"),
            D("2017", "2017"),
            D("2015", "2015"),
            D("this year", "2023"),
            D("next month", "2023-07"),
        ],
        pledges=[
            P("$3 million", 3000000, "USD", ROK, "UNHCR"),
        ],
        themes=T("refugees_migration", "humanitarian_aid", "north_korea", "human_rights"),
    ),
    "mofa-013-koica-ethiopia-health": dict(
        release_date="2024-06-05",
        officials=[
            O("Kang Seok-hee", "Ambassador to Ethiopia", None, "KR"),
            O("Semereta Sewasew", "State Minister of Finance", "Ministry of Finance", "ET"),
        ],
        organisations=[
            G("Korea International Cooperation Agency", "KOICA"),
        ],
        dates=[
            D("June 4", "2024-06-04"),
            D("2024-2028", "2024/2028"),
            D("June 4 and 5", "2024-06-04/2024-06-05"),
            D("last year", "2023"),
        ],
        pledges=[
            P("US$10 million", 10000000, "USD", "Korea International Cooperation Agency", "Ethiopia"),
        ],
        themes=T("development_cooperation", "health", "digital_technology", "trade_economy"),
    ),
    "mofa-014-wps-symposium": dict(
        release_date="2024-10-11",
        officials=[
            O("Kang Insun", "2nd Vice Minister", None, "KR"),
            O("Sima Bahous", "Under-Secretary-General and Executive Director of UN Women", "UN Women", None),
        ],
        organisations=[
            G("Ministry of Foreign Affairs"),
            G("UN Women"),
            G("UN Security Council", None, ["Security Council"]),
            G("UN", "UN"),
        ],
        dates=[
            D("October 8-11", "2024-10-08/2024-10-11"),
            D("this year", "2024"),
            D("next year", "2025"),
        ],
        pledges=[
            P("100,000 USD", 100000, "USD", ROK, "UN Women"),
        ],
        themes=T("gender_wps", "peace_security"),
    ),
    "mofa-015-osce-cyber": dict(
        release_date="2025-03-28",
        officials=[
            O("Chung Byung-won", "Deputy Minister for Multilateral and Global Affairs", None, "KR"),
            O("Feridun Sinirlioğlu", "Secretary General", "OSCE", None),
        ],
        organisations=[
            G("Organization for Security and Co-operation in Europe", "OSCE"),
            G("UN Security Council"),
        ],
        dates=[
            D("the 27th", "2025-03-27"),
            D("1994", "1994"),
            D("next year", "2026"),
        ],
        pledges=[
            P("€300,000", 300000, "EUR", ROK, "Organization for Security and Co-operation in Europe"),
        ],
        themes=T("digital_technology", "peace_security", "north_korea", "multilateral_institutions"),
    ),
    "mofa-016-ai-seoul-summit": dict(
        release_date="2024-05-23",
        officials=[
            O("Lee Jong-ho", "Minister of Science and ICT", "Ministry of Science and ICT", "KR"),
            O("Michelle Donelan", "Secretary of State for Science, Innovation and Technology", None, "GB"),
            O("Cho Tae-yul", "Minister of Foreign Affairs", MOFA, "KR"),
        ],
        organisations=[
            G("European Union"),
            G("United Nations"),
            G("International Telecommunication Union", "ITU"),
        ],
        dates=[
            D("yesterday", "2024-05-22"),
            D("May 21", "2024-05-21"),
        ],
        pledges=[
            P("£5m", 5000000, "GBP", "United Kingdom", "research on systemic AI safety"),
            P("$2 million", 2000000, "USD", ROK, "International Telecommunication Union"),
        ],
        themes=T("digital_technology", "development_cooperation", "energy_resources"),
    ),
    "mofa-017-pacific-trilateral-development": dict(
        release_date="2024-07-08",
        officials=[
            O("Kim Ji-hee", "Director-General for Development Cooperation", None, "KR"),
            O("Isobel Coleman", "Deputy Administrator of the U.S. Agency for International Development", "USAID", "US"),
            O("Endo Kazuya", "Director-General of the International Cooperation Bureau",
              "International Cooperation Bureau", "JP"),
        ],
        organisations=[
            G("U.S. Agency for International Development", "USAID"),
            G("International Cooperation Bureau"),
            G("Ministry of Foreign Affairs"),
            G("Pacific Islands Forum", "PIF"),
            G("KOICA", "KOICA"),
        ],
        dates=[
            D("July 3 to 6", "2024-07-03/2024-07-06"),
        ],
        pledges=[
            P("KRW 6.5 billion", 6500000000, "KRW", ROK, "Kiribati"),
            P("2.5 billion yen", 2500000000, "JPY", "Japan", "Tuvalu"),
        ],
        themes=T("development_cooperation", "climate_environment", "energy_resources"),
    ),
    "mofa-018-covax-amc": dict(
        release_date="2021-06-03",
        officials=[
            O("Chung Eui-yong", "Minister of Foreign Affairs", MOFA, "KR"),
            O("Seth Berkley", "CEO", "Gavi", None),
        ],
        organisations=[
            G("COVAX Advance Market Commitment", "COVAX AMC"),
            G("Gavi, the Vaccine Alliance", None, ["Gavi"]),
            G("World Health Organization", "WHO"),
        ],
        dates=[
            D("June 2", "2021-06-02"),
            D("2021-2022", "2021/2022"),
            D("22:00, June 2 - 02:00, June 3", "2021-06-02/2021-06-03"),
            D("September", "2021-09"),
        ],
        pledges=[
            P("US$100 million", 100000000, "USD", ROK, "COVAX Advance Market Commitment"),
            P("US$110 million", 110000000, "USD", ROK, "COVAX Advance Market Commitment"),
            P("$2.4 billion", 2400000000, "USD", "governments and the private sector",
              "COVAX Advance Market Commitment"),
            P("$9.6 billion", 9600000000, "USD", None, "COVAX Advance Market Commitment"),
        ],
        themes=T("health"),
    ),
    "mofa-019-israel-evacuation": dict(
        release_date="2023-10-14",
        officials=[
            O("Chang Ho-jin", "First Vice Minister", None, "KR"),
            O("Park Seung-kyu", "Ambassador to Israel", None, "KR"),
        ],
        organisations=[
            G("Hamas"),
            G("Ministry of Foreign Affairs", None, ["Ministry"]),
            G("Consular Call Center"),
        ],
        dates=[
            D("yesterday", "2023-10-13"),
            D("October 7", "2023-10-07"),
            D("October 8", "2023-10-08"),
            D("October 9", "2023-10-09"),
        ],
        pledges=[],
        themes=T("consular_diaspora", "peace_security"),
    ),
    "mofa-020-korea-us-civil-space-dialogue": dict(
        release_date="2025-01-31",
        officials=[
            O("Kim Hee-sang", "Director-General for Climate Change, Energy, Environment and Scientific Affairs",
              MOFA, "KR"),
            O("Valda Vikmanis-Keller", "Director of the Office of Space Affairs", "Office of Space Affairs", "US"),
            O("Yoon Young-bin", "Administrator", "KASA", "KR"),
        ],
        organisations=[
            G("Ministry of Foreign Affairs"),
            G("Office of Space Affairs"),
            G("U.S. Department of State"),
            G("Korea AeroSpace Administration", "KASA"),
            G("NASA", "NASA"),
            G("National Oceanic and Atmospheric Administration", "NOAA"),
        ],
        dates=[
            D("January 29 and 30", "2025-01-29/2025-01-30"),
            D("August 2022", "2022-08"),
            D("2035", "2035"),
        ],
        pledges=[],
        themes=T("science_space"),
    ),
    "mofa-021-uzbekistan-culture-festival": dict(
        release_date="2022-09-23",
        officials=[
            O("Lee Do-hoon", "2nd Vice Minister of Foreign Affairs", MOFA, "KR"),
            O("Ozodbek Nazarbekov", "Minister of Culture", "Ministry of Culture", "UZ"),
        ],
        organisations=[
            G("Korea Foundation"),
            G("King Sejong Institute"),
            G("UNESCO", "UNESCO"),
        ],
        dates=[
            D("September 22", "2022-09-22"),
            D("September 25", "2022-09-25"),
            D("this year", "2022"),
            D("next year", "2023"),
            D("2023", "2023"),
            D("last year", "2021"),
        ],
        pledges=[
            P("$250,000", 250000, "USD", ROK, "UNESCO"),
        ],
        themes=T("culture_exchange", "consular_diaspora", "trade_economy"),
    ),
    "mofa-022-icao-council-candidacy": dict(
        release_date="2025-05-20",
        officials=[
            O("Cho Tae-yul", "Minister of Foreign Affairs", MOFA, "KR"),
            O("Park Sang-woo", "Minister of Land, Infrastructure and Transport",
              "Ministry of Land, Infrastructure and Transport", "KR"),
            O("Kim Jina", "Vice Minister of Foreign Affairs", MOFA, "KR"),
        ],
        organisations=[
            G("Council of the International Civil Aviation Organization", None, ["ICAO Council", "Council"]),
            G("International Civil Aviation Organization", "ICAO"),
            G("ICAO Assembly", None, ["Assembly"]),
        ],
        dates=[
            D("September 23 to October 3", "2025-09-23/2025-10-03"),
            D("2001", "2001"),
            D("2025-2028", "2025/2028"),
            D("2007", "2007"),
            D("2019", "2019"),
        ],
        pledges=[
            P("KRW 2.8 billion", 2800000000, "KRW", ROK, "International Civil Aviation Organization"),
        ],
        themes=T("multilateral_institutions", "development_cooperation", "climate_environment"),
    ),
    "mofa-023-p4g-seoul-summit": dict(
        release_date="2021-05-25",
        officials=[
            O("Ham Sang-wook", "Deputy Minister for Multilateral and Global Affairs", None, "KR"),
            O("Moon Jae-in", "President", None, "KR"),
            O("Mette Frederiksen", "Prime Minister", None, "DK"),
        ],
        organisations=[
            G("Partnering for Green Growth and the Global Goals 2030", "P4G"),
            G("Green Climate Fund"),
        ],
        dates=[
            D("May 24", "2021-05-24"),
            D("May 30 and 31", "2021-05-30/2021-05-31"),
            D("2018", "2018"),
            D("2050", "2050"),
            D("November", "2021-11"),
        ],
        pledges=[
            P("$5 million", 5000000, "USD", ROK, "P4G"),
        ],
        themes=T("climate_environment", "development_cooperation"),
    ),
    "mofa-024-reaim-summit": dict(
        release_date="2024-09-10",
        officials=[
            O("Cho Tae-yul", "Minister of Foreign Affairs", MOFA, "KR"),
            O("Kim Yong-hyun", "Minister of National Defense", "Ministry of National Defense", "KR"),
            O("Caspar Veldkamp", "Minister of Foreign Affairs", MOFA, "NL"),
        ],
        organisations=[
            G("United Nations Office for Disarmament Affairs", "UNODA"),
        ],
        dates=[
            D("today", "2024-09-10"),
            D("yesterday", "2024-09-09"),
            D("February last year", "2023-02"),
            D("2025-27", "2025/2027"),
            D("next year", "2025"),
        ],
        pledges=[
            P("$1 million", 1000000, "USD", ROK, "United Nations Office for Disarmament Affairs"),
        ],
        themes=T("digital_technology", "peace_security", "nonproliferation", "development_cooperation"),
    ),
    "mofa-025-viet-nam-pm-courtesy-call": dict(
        release_date="2024-11-21",
        officials=[
            O("Cho Tae-yul", "Minister of Foreign Affairs", MOFA, "KR"),
            O("Pham Minh Chinh", "Prime Minister", None, "VN"),
        ],
        organisations=[
            G("ASEAN", "ASEAN"),
        ],
        dates=[
            D("this week", "2024-W47"),
            D("Wednesday", "2024-11-20"),
            D("last year", "2023"),
            D("2030", "2030"),
            D("2024-2030", "2024/2030"),
        ],
        pledges=[
            P("USD 2 billion", 2000000000, "USD", ROK, "Viet Nam"),
        ],
        themes=T("trade_economy", "development_cooperation", "energy_resources", "climate_environment",
                 "digital_technology", "consular_diaspora", "multilateral_institutions", "north_korea",
                 "nonproliferation"),
    ),
    "mofa-026-briefing-turkiye-dprk": dict(
        release_date="2023-03-14",
        officials=[
            O("Lim Soo-suk", "Spokesperson and Deputy Minister for Public Relations", None, "KR"),
            O("Park Jin", "Minister of Foreign Affairs", MOFA, "KR"),
            O("Yoon Suk Yeol", "President", None, "KR"),
        ],
        organisations=[
            G("Korea Disaster Relief Team", "KDRT"),
        ],
        dates=[
            D("last month", "2023-02"),
            D("February 6", "2023-02-06"),
            D("Sunday", "2023-03-12"),
            D("March 16 and 17", "2023-03-16/2023-03-17"),
        ],
        pledges=[
            P("$5 million", 5000000, "USD", ROK, "Türkiye and Syria"),
            P("$3 million", 3000000, "USD", ROK, "Türkiye"),
            P("$8 million", 8000000, "USD", ROK, "Türkiye and Syria"),
        ],
        themes=T("humanitarian_aid", "north_korea", "nonproliferation", "trade_economy"),
    ),
    "mofa-027-dprk-it-workers-sanctions": dict(
        release_date=None,
        officials=[
            O("Lee Jun-il", "Special Representative for Korean Peninsula Peace and Security Affairs", None, "KR"),
        ],
        organisations=[
            G("Chinyong Information Technology Cooperation Company"),
            G("Korea Sobaeksu Trading Company"),
            G("Multilateral Sanctions Monitoring Team", "MSMT"),
        ],
        dates=[
            D("October last year", "XXXX-10"),
            D("2016", "2016"),
        ],
        pledges=[],
        themes=T("north_korea", "nonproliferation", "law_enforcement", "digital_technology"),
    ),
    "mofa-028-global-fund-replenishment": dict(
        release_date="2022-09-22",
        officials=[
            O("Cho Hyun-dong", "First Vice Minister of Foreign Affairs", MOFA, "KR"),
            O("Joe Biden", "President", None, "US"),
            O("Peter Sands", "Executive Director of the Global Fund to Fight AIDS, Tuberculosis and Malaria",
              "Global Fund to Fight AIDS, Tuberculosis and Malaria", None),
        ],
        organisations=[
            G("Global Fund to Fight AIDS, Tuberculosis and Malaria", None, ["Global Fund"]),
        ],
        dates=[
            D("September 21", "2022-09-21"),
            D("2023-2025", "2023/2025"),
        ],
        pledges=[
            P("USD 100 million", 100000000, "USD", ROK, "Global Fund to Fight AIDS, Tuberculosis and Malaria"),
            P("USD 25 million", 25000000, "USD", ROK, "Global Fund to Fight AIDS, Tuberculosis and Malaria"),
            P("USD 14.25 billion", 14250000000, "USD", "donors",
              "Global Fund to Fight AIDS, Tuberculosis and Malaria"),
        ],
        themes=T("health"),
    ),
    "mofa-029-summit-for-democracy": dict(
        release_date="2024-03-21",
        officials=[
            O("Cho Tae-yul", "Minister of Foreign Affairs", MOFA, "KR"),
            O("Antony J. Blinken", "Secretary of State", "Department of State", "US"),
            O("Yoon Suk Yeol", "President", None, "KR"),
        ],
        organisations=[
            G("United Nations Development Programme", "UNDP"),
        ],
        dates=[
            D("yesterday", "2024-03-20"),
            D("March 18", "2024-03-18"),
            D("this year", "2024"),
            D("March 20", "2024-03-20"),
            D("2024-2026", "2024/2026"),
        ],
        pledges=[
            P("US$3 million", 3000000, "USD", ROK, "United Nations Development Programme"),
        ],
        themes=T("democracy_governance", "digital_technology", "development_cooperation"),
    ),
}


def main():
    releases = HERE / "releases"
    out = HERE / "gold" / "samples.jsonl"
    ids = sorted(p.stem for p in releases.glob("*.txt"))
    missing = set(ids) ^ set(GOLD)
    if missing:
        raise SystemExit(f"releases and gold annotations differ: {sorted(missing)}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for doc_id in ids:
            g = GOLD[doc_id]
            rec = {
                "id": doc_id,
                "text": (releases / f"{doc_id}.txt").read_text(encoding="utf-8"),
                "release_date": g["release_date"],
                "officials": g["officials"],
                "organisations": g["organisations"],
                "dates": g["dates"],
                "pledges": g["pledges"],
                "themes": g["themes"],
            }
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(ids)} documents to {out}")


if __name__ == "__main__":
    main()
