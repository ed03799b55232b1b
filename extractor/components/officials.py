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
    same_person,
)
from .common import country_index, country_matcher

MAX_NAME_TOKENS = 6


def _skip_space(doc: Doc, i: int) -> int:
    """Skip spaces and a single line break, never a paragraph break."""
    while i < len(doc) and doc[i].is_space and doc[i].text.count("\n") <= 1:
        i += 1
    return i


@dataclass
class _Mention:
    start: int  # token offsets of the name
    end: int
    name: str
    rule: str
    title: Optional[str] = None
    title_span: Optional[tuple[int, int]] = None
    organisation: Optional[str] = None
    country: Optional[str] = None
    honorific_only: bool = False


@dataclass
class _Person:
    mentions: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return fullest(m.name for m in self.mentions if not m.honorific_only) if any(
            not m.honorific_only for m in self.mentions
        ) else self.mentions[0].name


class OfficialsExtractor:
    def __init__(
        self, nlp: Language, name: str, *, titles: str, title_organisations: str, countries: str
    ) -> None:
        self.name = name
        self.lex = TitleLexicon.from_json(titles)
        self.title_orgs = read_title_organisations(title_organisations)
        self.countries: Countries = load_countries(countries)
        self.heads = PhraseMatcher(nlp.vocab, attr="LOWER")
        for head in self.lex.heads:
            self.heads.add("HEAD", [nlp.make_doc(head)])
        self.honorifics = PhraseMatcher(nlp.vocab, attr="LOWER")
        for word in self.lex.honorifics:
            self.honorifics.add("HON", [nlp.make_doc(word)])
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
            elif j > i and tok.is_space and tok.text.count("\n") == 1 and j + 1 < n and self._name_token(doc[j + 1]) and j - i < 4:
                j += 1  # a name hard-wrapped over two lines
            else:
                break
        # Trailing particles or hyphens are not part of a name.
        while j > i and (doc[j - 1].lower_ in self.lex.particles or doc[j - 1].is_space or doc[j - 1].text == "-"):
            j -= 1
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
        while i < end and (doc[i].text == "-" or doc[i].lower_ in self.lex.particles):
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
            if prev.lower_ in self.lex.modifiers and self._capitalised(prev) and (start - 1) not in countries:
                start -= 1
            elif prev.text in {"-", "‑"} and start > 1 and doc[start - 2].lower_ in self.lex.modifiers and not doc[start - 2].whitespace_:
                start -= 2
            else:
                break
        if start in org_end_at:
            org_start, org_name = org_end_at[start]
            prefix = doc[org_start:start].text.lower()
            head_text = doc[start:end].text.lower()
            if prefix in self.lex.international_prefixes and any(
                t in head_text for t in self.lex.international_titles
            ):
                start = org_start
            organisation = org_name
        else:
            for k in range(max(0, start - 4), start):
                if k in countries and countries[k][0] == start:
                    country = countries[k][2]
                    break
            country = country or self._counterpart_country(doc, start, countries)
            if start >= 2 and doc[start - 1].text in {"'s", "’s"} and (start - 2) in {
                c_end - 1 for c_end, _, _ in countries.values()
            }:
                for k, (c_end, _, code) in countries.items():
                    if c_end == start - 1:
                        country = code
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
                if j in countries:
                    c_end, _, code = countries[j]
                    complement_country = complement_country or code
                    j = c_end
                    last_good = j
                elif j in orgs_at:
                    o_end, o_name = orgs_at[j]
                    complement_org = complement_org or o_name
                    j = o_end
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
                    if c in countries and countries[c][0] == last_good and k > nxt + 1:
                        country = countries[c][2]
                        last_good = k
                        while last_good > nxt and (doc[last_good - 1].is_space or doc[last_good - 1].lower_ in self.lex.glue):
                            last_good -= 1
                        complement_country = None
                    break
            if last_good is not None:
                only_country = complement_country is not None and all(
                    (k in countries) or doc[k].lower_ in {"the"} or any(
                        c <= k < countries[c][0] for c in countries
                    )
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
    def _counterpart_country(doc: Doc, start: int, countries) -> Optional[str]:
        """Country of "his U.S. counterpart, <title> <name>"."""
        if start >= 3 and doc[start - 1].text == "," and doc[start - 2].lower_ in {"counterpart", "counterparts"}:
            for k in range(max(0, start - 5), start - 2):
                if k in countries and countries[k][0] == start - 2:
                    return countries[k][2]
        return None

    # ------------------------------------------------------------------ main
    def __call__(self, doc: Doc) -> Doc:
        countries = country_index(doc, self.country_matcher)
        org_spans = list(doc.spans.get("organisations", []))
        org_table = records(doc, "organisations")
        orgs_at: dict[int, tuple[int, str]] = {}
        org_end_at: dict[int, tuple[int, str]] = {}
        inside_org: set[int] = set()
        for span in org_spans:
            inside_org.update(range(span.start + 1, span.end))
            fields = org_table.get(span.kb_id_, {})
            label = fields.get("acronym") if span.text == fields.get("acronym") else fields.get("name")
            label = label or span.text
            orgs_at[span.start] = (span.end, label)
            org_end_at[span.end] = (span.start, label)

        mentions: list[_Mention] = []
        title_spans: list[tuple[int, int, int]] = []  # (start, end, head_start)
        heads = sorted(self.heads(doc), key=lambda m: (m[1], -m[2]))
        last_end = -1
        for _, h_start, h_end in heads:
            if h_start < last_end:
                continue
            if not self._capitalised(doc[h_start]) or h_start in inside_org or h_start in orgs_at:
                continue
            last_end = h_end
            start, end, organisation, country = self._extend_title(
                doc, h_start, h_end, countries, orgs_at, org_end_at
            )
            last_end = max(last_end, end)
            title_text = clean_title(doc[start:end].text)
            title_spans.append((start, end, h_start))
            # Name after the title, skipping an honorific ("Ambassador Dr. Kim").
            k = _skip_space(doc, end)
            while k < len(doc) and (doc[k].lower_ in self.lex.honorifics or doc[k].lower_ == "sheikh"):
                k = _skip_space(doc, k + 1)
            n_start, n_end = self._read_name(doc, k, countries, orgs_at)
            rule = "title-name"
            if n_end == n_start:
                # Name before: "NAME, [the] TITLE" or "NAME (TITLE".
                b = start
                if b > 0 and doc[b - 1].lower_ == "the":
                    b -= 1
                if b > 0 and doc[b - 1].text in {",", "("}:
                    n_start, n_end = self._read_name_backwards(doc, b - 1, countries, orgs_at)
                    rule = "name-comma-title"
            if n_end == n_start:
                continue
            # "Prime Minister Netanyahu of Israel".
            after = _skip_space(doc, n_end)
            if country is None and after < len(doc) and doc[after].lower_ == "of":
                after = _skip_space(doc, after + 1)
                if after < len(doc) and doc[after].lower_ == "the":
                    after = _skip_space(doc, after + 1)
                if after in countries:
                    country = countries[after][2]
            last_end = max(last_end, n_end)
            mentions.append(
                _Mention(
                    n_start, n_end, " ".join(doc[n_start:n_end].text.split()), rule,
                    title=title_text or None, title_span=(start, end),
                    organisation=organisation, country=country,
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
        # Fullest names first, so short mentions find the record they belong to.
        ordered = sorted(mentions, key=lambda m: (-len(m.name.split()), m.start))
        for mention in ordered:
            for person in people:
                if same_person(mention.name, person.name) or same_person(person.name, mention.name):
                    person.mentions.append(mention)
                    break
            else:
                if not mention.honorific_only:
                    people.append(_Person([mention]))
        people.sort(key=lambda p: min(m.start for m in p.mentions))
        return people

    def _write(self, doc: Doc, people: list[_Person]) -> None:
        table = records(doc, "officials")
        spans = []
        seen_keys = set()
        for person in people:
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
            if country is None and doc._.issuer and not self.lex.is_international(title) and self.lex.issuer_may_hold(doc._.issuer, title) and not (
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
        kept = []
        for span in doc.spans["organisations"]:
            if any(span.start < h_end and span.end > h_start and span.start <= h_start for _, h_end, h_start in title_spans if h_start < span.end):
                if any(s <= span.start and span.end <= e for s, e, _ in title_spans):
                    continue
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
