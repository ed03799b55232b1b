"""Officials: named persons with a role, their title, organisation and country.

A PhraseMatcher finds title heads ("Minister", "Secretary of State",
"High Commissioner"); around each head the title grammar of
``models/titles.json`` extends the title left over modifiers ("First Vice")
and right over its complement ("of Foreign Affairs", "for Refugees"), then a
name is read after the title ("Vice Minister Kang Insun") or before it
("Filippo Grandi, UN High Commissioner for Refugees"). Short later mentions
("Vice Minister Kang", "Mr. McGurk") join the record of the fuller name.
"""
from dataclasses import dataclass, field
from typing import Optional

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..extensions import records
from ..gazetteers import Countries, fold, load_countries
from ..titles import (
    TitleLexicon,
    clean_title,
    fullest,
    organisation_for_title,
    read_title_organisations,
    name_tokens,
    same_person,
)
from .common import country_index, country_matcher

MAX_NAME_TOKENS = 6
UNIQUE_OFFICES = frozenset(
    {"president", "vice president", "prime minister", "secretary of state", "foreign minister",
     "minister of foreign affairs", "king", "queen", "chancellor", "premier", "crown prince",
     "national security advisor", "national security adviser", "first lady", "defense minister",
     "secretary of defense", "secretary of the treasury", "press secretary", "spokesperson"}
)
NAME_SUFFIXES = frozenset({"jr.", "sr.", "jr", "sr", "ii", "iii"})


def _singular(title: str) -> str:
    """ "Foreign Ministers" → "Foreign Minister", "Presidents" → "President"."""
    words = title.split()
    last = words[-1]
    if last.lower().endswith("ies"):
        last = last[:-3] + "y"
    elif last.lower().endswith("s"):
        last = last[:-1]
    return " ".join(words[:-1] + [last])


def _skip_space(doc: Doc, i: int) -> int:
    """Skip spaces and a single line break, never a paragraph break."""
    while i < len(doc) and doc[i].is_space and doc[i].text.count("\n") <= 1:
        i += 1
    return i


class _CountryIndex(dict):
    """start token → (end, kind, code), plus lookups by end token and by covered token.

    Built once per document so that no title has to scan every country match
    (which made long documents quadratic).
    """

    def __init__(self, index: dict) -> None:
        super().__init__(index)
        self.ends = {end: code for end, _, code in index.values()}
        self.cover = {k: code for start, (end, _, code) in index.items() for k in range(start, end)}


@dataclass
class _Mention:
    start: int  # token offsets of the name
    end: int
    name: str
    rule: str
    title: Optional[str] = None
    organisation: Optional[str] = None
    country: Optional[str] = None
    honorific_only: bool = False


@dataclass
class _Person:
    mentions: list = field(default_factory=list)
    name: str = ""

    def add(self, mention: "_Mention") -> None:
        self.mentions.append(mention)
        if not mention.honorific_only and (not self.name or fullest([self.name, mention.name]) != self.name):
            self.name = mention.name


class OfficialsExtractor:
    def __init__(
        self, nlp: Language, name: str, *, titles: str, title_organisations: str, countries: str
    ) -> None:
        self.name = name
        self.lex = TitleLexicon.from_json(titles)
        self.title_orgs = read_title_organisations(title_organisations)
        self.countries: Countries = load_countries(countries)
        # Hard-wrapped text breaks titles over lines ("NATO Secretary\nGeneral"):
        # each multi-word head is also added with a line break in each gap.
        # (A Matcher with optional space tokens did the same at ~8 µs a token.)
        self.heads = PhraseMatcher(nlp.vocab, attr="LOWER")
        for head in self.lex.heads:
            words = head.split()
            variants = [head] + [
                " ".join(words[:k]) + "\n" + " ".join(words[k:]) for k in range(1, len(words))
            ]
            self.heads.add("HEAD", [nlp.make_doc(v) for v in variants])
        self.honorifics = PhraseMatcher(nlp.vocab, attr="LOWER")
        for word in self.lex.honorifics:
            # Tokenizer exceptions are case-sensitive ("Mr." is one token, "mr." two),
            # so the pattern is tokenised in each case it is written in.
            forms = {word, word.title(), word.upper(), word.capitalize()}
            self.honorifics.add("HON", [nlp.make_doc(form) for form in forms])
        self.country_matcher = country_matcher(nlp, self.countries)

    # ------------------------------------------------------------------ tokens
    def _capitalised(self, token) -> bool:
        text = token.text
        return bool(text) and text[0].isupper() and any(c.isalpha() for c in text)

    def _name_token(self, token) -> bool:
        if not self._capitalised(token):
            return False
        low = token.lower_.rstrip(".")
        if token.lower_ in self.lex.not_names or low in self.lex.not_names:
            return False
        if low in self.lex.heads or low in self.lex.modifiers:
            return False
        return token.text[0].isalpha()

    def _read_name(self, doc: Doc, i: int, countries, orgs_at) -> tuple[int, int]:
        """Longest name starting at token ``i``: (start, end), empty when none."""
        j = i
        n = len(doc)
        while j < n and j - i < MAX_NAME_TOKENS:
            tok = doc[j]
            if j in countries or j in orgs_at:
                break
            if self._name_token(tok):
                j += 1
            elif j > i and tok.text in {"-", "‑"} and j + 1 < n and doc[j + 1].is_alpha and not doc[j - 1].whitespace_:
                j += 2  # "Sang-wook", "Thomas-Greenfield"
            elif (
                j > i
                and tok.lower_ in self.lex.particles
                and j + 1 < n
                and self._name_token(doc[j + 1])
            ):
                j += 1
            elif j > i and tok.is_space and tok.text.count("\n") <= 1 and j + 1 < n and self._name_token(doc[j + 1]) and j - i < 4:
                j += 1  # a name hard-wrapped over two lines, or joined by a no-break space
            else:
                break
        # Trailing particles or hyphens are not part of a name.
        while j > i and (
            (doc[j - 1].lower_ in self.lex.particles and not (j - 2 >= i and doc[j - 2].text == "-"))
            or doc[j - 1].is_space
            or doc[j - 1].text == "-"
        ):
            j -= 1
        # "Joseph R. Biden, Jr." keeps its suffix: it is part of the written name.
        if j > i and j + 2 <= n and doc[j].text == "," and doc[j + 1].lower_ in NAME_SUFFIXES:
            j += 2
        elif j > i and j < n and doc[j].lower_ in NAME_SUFFIXES:
            j += 1
        if j > i and not any(len(t.text.rstrip(".")) >= 2 for t in doc[i:j]):
            return i, i
        if j > i and all(t.lower_ in self.lex.complement_words or t.is_punct for t in doc[i:j]):
            return i, i  # "General Assembly", "Affairs": vocabulary, not a name
        return i, j

    def _read_name_backwards(self, doc: Doc, end: int, countries, orgs_at) -> tuple[int, int]:
        """Name ending just before token ``end`` ("Filippo Grandi, ...")."""
        i = end
        while i > 0 and end - i < MAX_NAME_TOKENS:
            tok = doc[i - 1]
            if self._name_token(tok) or (
                tok.text == "-" and i - 2 >= 0 and not doc[i - 2].whitespace_
            ) or (tok.is_alpha and i - 2 >= 0 and doc[i - 2].text == "-" and not doc[i - 2].whitespace_):
                i -= 1
            elif tok.lower_ in self.lex.particles and i - 2 >= 0 and self._name_token(doc[i - 2]):
                i -= 1
            else:
                break
        while i < end and (
            doc[i].text == "-" or doc[i].lower_ in self.lex.particles or doc[i].lower_ in self.lex.honorifics
        ):
            i += 1
        if i in countries or any(k in orgs_at for k in range(i, end)):
            return end, end
        # A lone capitalised word at a sentence start is not a name ("Finally,").
        if end - i == 1 and doc[i].is_sent_start:
            return end, end
        return i, end

    # ------------------------------------------------------------------ titles
    def _extend_title(self, doc: Doc, start: int, end: int, countries, orgs_at, org_end_at):
        """Grow a head match into a full title; return fields found on the way."""
        country = organisation = None
        # Left: modifiers ("First Vice", "Deputy"), a body ("NASA"), a country adjective.
        while start > 0:
            prev = doc[start - 1]
            if prev.lower_ in self.lex.modifiers and (self._capitalised(prev) or prev.text[:1].isdigit()) and (start - 1) not in countries:
                start -= 1
            elif prev.is_space and prev.text.count("\n") <= 1 and start > 1 and doc[start - 2].lower_ in self.lex.modifiers and self._capitalised(doc[start - 2]) and (start - 2) not in countries:
                start -= 2
            elif prev.text in {"-", "‑"} and start > 1 and doc[start - 2].lower_ in self.lex.modifiers and not doc[start - 2].whitespace_:
                start -= 2
            else:
                break
        head_low = doc[start:end].text.lower()
        if (
            start > 0
            and doc[start - 1].lower_ in self.lex.prefixes_kept
            and start not in org_end_at
            and any(t in head_low for t in self.lex.international_titles)
        ):
            start -= 1  # "UN High Commissioner ..." when no organisation span covers "UN"
        if start in org_end_at:
            org_start, org_name = org_end_at[start]
            for k in range(max(0, org_start - 3), org_start):
                if k in countries and countries[k][0] == org_start:
                    country = countries[k][2]
            prefix = doc[org_start:start].text.lower()
            head_text = doc[start:end].text.lower()
            if prefix in self.lex.prefixes_kept and any(
                t in head_text for t in self.lex.international_titles
            ):
                # "UN High Commissioner for Refugees" is a formal title: the
                # title table says its body is UNHCR, not the prefix "UN".
                start = org_start
            else:
                organisation = org_name
        else:
            for k in range(max(0, start - 4), start):
                if k in countries and countries[k][0] == start:
                    country = countries[k][2]
                    break
            country = country or self._counterpart_country(doc, start, countries)
            if start >= 2 and doc[start - 1].text in {"'s", "’s"} and (start - 1) in countries.ends:
                country = countries.ends[start - 1]
        # Right: "of Foreign Affairs", "for Refugees", "to the United Nations".
        n = len(doc)
        nxt = _skip_space(doc, end)
        if nxt < n and doc[nxt].lower_ in self.lex.connectors:
            connector = doc[nxt].lower_
            j = nxt + 1
            last_good = None
            complement_org = complement_country = None
            while j < n:
                tok = doc[j]
                if j in orgs_at:
                    o_end, o_name = orgs_at[j]
                    complement_org = complement_org or o_name
                    j = o_end
                    last_good = j
                elif j in countries:
                    c_end, _, code = countries[j]
                    complement_country = complement_country or code
                    j = c_end
                    last_good = j
                elif tok.lower_ in self.lex.complement_words and self._capitalised(tok):
                    j += 1
                    last_good = j
                elif tok.lower_ in self.lex.glue or tok.is_space or (tok.lower_ == "the" and j == nxt + 1):
                    j += 1
                else:
                    break
            if last_good is not None and complement_country is not None:
                # "... for Economic Cooperation and Development of Germany": the
                # trailing "of <Country>" says whose official it is.
                for k in range(last_good - 1, nxt, -1):
                    if doc[k].lower_ != "of":
                        continue
                    c = _skip_space(doc, k + 1)
                    if c < n and doc[c].lower_ == "the":
                        c = _skip_space(doc, c + 1)
                    possessive = c in countries and _skip_space(doc, countries[c][0]) < n and doc[
                        _skip_space(doc, countries[c][0])
                    ].text in {"'s", "’s"}
                    if c in countries and (countries[c][0] == last_good or possessive) and k > nxt + 1:
                        country = countries[c][2]
                        last_good = k
                        while last_good > nxt and (doc[last_good - 1].is_space or doc[last_good - 1].lower_ in self.lex.glue):
                            last_good -= 1
                        complement_country = None
                    break
            if last_good is not None:
                only_country = complement_country is not None and all(
                    k in countries.cover or doc[k].lower_ == "the"
                    for k in range(nxt + 1, last_good)
                    if not doc[k].is_space
                )
                if only_country and connector == "of":
                    country = complement_country
                else:
                    end = last_good
                    if complement_org and organisation is None:
                        organisation = complement_org
        return start, end, organisation, country

    @staticmethod
    def _office(title: str) -> str:
        low = " ".join(title.lower().split())
        return low.removeprefix("the ")

    @staticmethod
    def _counterpart_country(doc: Doc, start: int, countries) -> Optional[str]:
        """Country of "his U.S. counterpart, <title> <name>"."""
        if start >= 3 and doc[start - 1].text == "," and doc[start - 2].lower_ in {"counterpart", "counterparts"}:
            for k in range(max(0, start - 5), start - 2):
                if k in countries and countries[k][0] == start - 2:
                    return countries[k][2]
        return None

    def _names_for_title(self, doc: Doc, start: int, end: int, countries, orgs_at, *, plural: bool):
        """The names a title introduces: [(start, end, rule, country_of)].

        After the title ("Vice Minister Kang Insun"), before it ("Filippo
        Grandi, UN High Commissioner"), or a list after a plural title
        ("Presidents Klaus Iohannis of Romania and Andrzej Duda of Poland").
        """
        found = []
        k = _skip_space(doc, end)
        while k < len(doc) and (doc[k].lower_ in self.lex.honorifics or doc[k].lower_ == "sheikh"):
            k = _skip_space(doc, k + 1)
        while True:
            n_start, n_end = self._read_name(doc, k, countries, orgs_at)
            if n_end == n_start:
                break
            country = None
            after = _skip_space(doc, n_end)
            if after < len(doc) and doc[after].lower_ == "of":
                c = _skip_space(doc, after + 1)
                if c < len(doc) and doc[c].lower_ == "the":
                    c = _skip_space(doc, c + 1)
                if c in countries:
                    country = countries[c][2]
                    after = _skip_space(doc, countries[c][0])
            found.append((n_start, n_end, "title-name", country))
            if not plural or after >= len(doc) or doc[after].lower_ not in {"and", ","}:
                break
            k = _skip_space(doc, after + 1)
            if k < len(doc) and doc[k].lower_ == "and":
                k = _skip_space(doc, k + 1)
        if found or plural:
            return found
        # Name before: "NAME, [the] TITLE" or "NAME (TITLE".
        b = start
        while b > 0 and doc[b - 1].is_space and doc[b - 1].text.count("\n") <= 1:
            b -= 1
        if b > 0 and doc[b - 1].lower_ == "the":
            b -= 1
        if b > 0 and doc[b - 1].text in {",", "("}:
            n_start, n_end = self._read_name_backwards(doc, b - 1, countries, orgs_at)
            if n_end > n_start:
                found.append((n_start, n_end, "name-comma-title", None))
        return found

    # ------------------------------------------------------------------ main
    def __call__(self, doc: Doc) -> Doc:
        countries = _CountryIndex(country_index(doc, self.country_matcher))
        org_spans = list(doc.spans.get("organisations", []))
        org_table = records(doc, "organisations")
        orgs_at: dict[int, tuple[int, str]] = {}
        org_end_at: dict[int, tuple[int, str]] = {}
        inside_org: set[int] = set()
        for span in org_spans:
            inside_org.update(range(span.start + 1, span.end))
            fields = org_table.get(span.kb_id_, {})
            # The short form an analyst reads: "UNHCR", "WFP" (ANNOTATION.md's examples).
            label = fields.get("acronym") or fields.get("name")
            label = label or span.text
            orgs_at[span.start] = (span.end, label)
            org_end_at[span.end] = (span.start, label)

        mentions: list[_Mention] = []
        title_spans: list[tuple[int, int, int]] = []  # (start, end, head_start)
        heads = sorted(self.heads(doc), key=lambda m: (m[1], -m[2]))
        head_at: dict[int, int] = {}
        for _, h_start, h_end in heads:
            head_at.setdefault(h_start, h_end)
        last_end = -1
        for _, h_start, h_end in heads:
            if h_start < last_end:
                continue
            if h_start in inside_org or h_start in orgs_at:
                continue
            lowercase = not self._capitalised(doc[h_start])
            last_end = h_end
            start, end, organisation, country = self._extend_title(
                doc, h_start, h_end, countries, orgs_at, org_end_at
            )
            # A compound title written as one phrase: "Under-Secretary-General and
            # Executive Director of UN Women", "Spokesperson and Deputy Minister ...".
            k = _skip_space(doc, end)
            if k < len(doc) and doc[k].lower_ == "and":
                m = _skip_space(doc, k + 1)
                while m < len(doc) and doc[m].lower_ in self.lex.modifiers and self._capitalised(doc[m]):
                    m += 1
                if m in head_at and self._capitalised(doc[m]):
                    _, end2, org2, country2 = self._extend_title(
                        doc, m, head_at[m], countries, orgs_at, org_end_at
                    )
                    end = end2
                    organisation = organisation or org2
                    country = country or country2
            last_end = max(last_end, end)
            title_text = clean_title(doc[start:end].text)
            plural = doc[start:end].text.lower().split()[-1] in self.lex.plural_last
            if plural:
                title_text = _singular(title_text)
            title_spans.append((start, end, h_start))
            found = self._names_for_title(doc, start, end, countries, orgs_at, plural=plural)
            if lowercase:
                # "Kremlin press secretary Dmitry Peskov": a lower-case role counts
                # only before a full name, never as "the minister Kang".
                found = [f for f in found if f[1] - f[0] >= 2 and f[2] == "title-name"]
            for n_start, n_end, rule, name_country in found:
                last_end = max(last_end, n_end)
                mentions.append(
                    _Mention(
                        n_start, n_end, " ".join(doc[n_start:n_end].text.split()), rule,
                        title=title_text or None,
                        organisation=organisation, country=name_country or country,
                    )
                )
        # Honorific mentions ("Mr. McGurk") join existing records only.
        for _, s, e in self.honorifics(doc):
            n_start, n_end = self._read_name(doc, e, countries, orgs_at)
            if n_end > n_start:
                mentions.append(
                    _Mention(n_start, n_end, " ".join(doc[n_start:n_end].text.split()), "honorific-name", honorific_only=True)
                )

        people = self._group(mentions)
        self._write(doc, people)
        self._drop_title_orgs(doc, title_spans)
        return doc

    def _group(self, mentions: list[_Mention]) -> list[_Person]:
        people: list[_Person] = []
        # Candidates are the people sharing a name token, so a long document
        # does not compare every mention with every person.
        by_token: dict[str, list[int]] = {}
        # Fullest names first, so short mentions find the record they belong to.
        ordered = sorted(mentions, key=lambda m: (-len(m.name.split()), m.start))
        for mention in ordered:
            tokens = name_tokens(mention.name)
            candidates = sorted({i for t in tokens for i in by_token.get(t, ())})
            for i in candidates:
                person = people[i]
                if same_person(mention.name, person.name) or same_person(person.name, mention.name):
                    person.add(mention)
                    break
            else:
                if mention.honorific_only:
                    continue
                person = _Person()
                person.add(mention)
                people.append(person)
                for t in tokens:
                    by_token.setdefault(t, []).append(len(people) - 1)
        people.sort(key=lambda p: min(m.start for m in p.mentions))
        return people

    def _write(self, doc: Doc, people: list[_Person]) -> None:
        table = records(doc, "officials")
        spans = []
        seen_keys = set()
        # One person holds a unique office per country: when the release's own
        # "President Biden" is known, "President Putin" is not the issuer's.
        taken: set[str] = set()
        defaults: dict[int, bool] = {}
        for rank, person in sorted(
            enumerate(people), key=lambda p: (-len(p[1].mentions), min(m.start for m in p[1].mentions))
        ):
            titled = [m for m in person.mentions if m.title]
            if any(m.country for m in person.mentions):
                if doc._.issuer in {m.country for m in person.mentions}:
                    taken.update(self._office(m.title) for m in titled)
                continue
            office = self._office(max(titled, key=lambda m: len(m.title.split())).title)
            if office in UNIQUE_OFFICES and office in taken:
                defaults[rank] = False
            else:
                defaults[rank] = True
                taken.add(office)
        for rank, person in enumerate(people):
            name = person.name
            key = fold(name)
            if key in seen_keys:
                continue
            seen_keys.add(key)
            titled = [m for m in person.mentions if m.title]
            best = max(titled, key=lambda m: (len(m.title.split()), m.organisation is not None, -m.start))
            title = best.title
            organisation = best.organisation or organisation_for_title(title, self.title_orgs)
            if organisation is None:
                for m in titled:
                    organisation = m.organisation or organisation_for_title(m.title, self.title_orgs)
                    if organisation:
                        break
            country = best.country or next((m.country for m in person.mentions if m.country), None)
            if country is None and doc._.issuer and defaults.get(rank, True) and not self.lex.is_international(title) and self.lex.issuer_may_hold(doc._.issuer, title) and not (
                organisation and organisation.isupper() and organisation not in {"MFA", "MOFA"}
            ):
                country = doc._.issuer
            table[key] = {"name": name, "title": title, "organisation": organisation, "country": country}
            for m in sorted(person.mentions, key=lambda m: m.start):
                spans.append(Span(doc, m.start, m.end, label="OFFICIAL", kb_id=key, span_id=m.rule))
        doc.spans["officials"] = spans

    def _drop_title_orgs(self, doc: Doc, title_spans: list[tuple[int, int, int]]) -> None:
        """A title is never also an organisation: drop org mentions on a title's head."""
        if "organisations" not in doc.spans or not title_spans:
            return
        heads = {h_start: (start, end) for start, end, h_start in title_spans}
        kept = []
        for span in doc.spans["organisations"]:
            inside = any(
                k in heads and heads[k][0] <= span.start and span.end <= heads[k][1]
                for k in range(span.start, span.end)
            )
            if not inside:
                kept.append(span)
        if len(kept) != len(doc.spans["organisations"]):
            doc.spans["organisations"] = kept
            alive = {s.kb_id_ for s in kept}
            table = records(doc, "organisations")
            for key in [k for k in table if k not in alive]:
                del table[key]


@Language.factory(
    "extractor_officials",
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
    default_config={
        "titles": "titles.json",
        "title_organisations": "title_organisations.jsonl",
        "countries": "countries.jsonl",
    },
)
def make_officials(
    nlp: Language, name: str, titles: str, title_organisations: str, countries: str
) -> OfficialsExtractor:
    return OfficialsExtractor(
        nlp, name, titles=titles, title_organisations=title_organisations, countries=countries
    )
