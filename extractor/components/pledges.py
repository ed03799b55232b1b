"""Pledges: money committed, given, lent, invested or requested (ANNOTATION.md).

1. A ``Matcher`` (``models/money_patterns.jsonl``) finds money expressions and
   :func:`extractor.money.parse_money` reads them; a bracketed restatement
   ("KRW 180.4 billion (USD 151 million)") becomes a conversion of the amount
   before it, not an amount of its own.
2. Only sentences that hold money are read further. Cue phrases
   (``models/pledge_cues.json``) are matched there, and each amount is scored
   by the cues around it (:func:`cue_score`): near cues in the same clause
   count most, so "$1 billion in losses" is not a pledge although the sentence
   also says "reward".
3. Donor: an organisation or country after "from"/"by", else the subject of
   the giving verb before the amount ("Japan will provide", "the Korean
   government decided to provide"), else the issuing government.
   Recipient: the organisation, fund, country or purpose after
   "to"/"for"/"through"/"via" (or "in <country>"), else one named before the
   amount, else the recipient of the sentence's other amounts.
4. "$100,000 each to Zimbabwe and Malawi" gives one record per recipient (the
   mention span repeats with a different ``kb_id_``); "a total of $500,000"
   beside its parts is one more record, to the group.

Organisation mentions come from ``doc.spans["organisations"]`` when an
earlier component set them; capitalised phrases with an organisation head
word ("... Fund", "... Corporation") and acronyms are a fallback, so the
component works without them.
"""
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional, Sequence

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from ..assets import read_json, read_jsonl
from ..extensions import records
from ..gazetteers import Countries, load_countries
from ..money import (
    CurrencyTable,
    Money,
    is_conversion_gap,
    load_currencies,
    parse_money,
    qualifier_before,
)

SPAN_KEY = "pledges"
MONEY_KEY = "money"
ORG_KEY = "organisations"

# Punctuation that closes a clause: a cue across it counts for less.
HARD_BOUNDARIES = frozenset({";", ":", "(", ")", "—", "–", "•", "[", "]"})
SOFT_BOUNDARIES = frozenset({","})
# Tokens that end a recipient or purpose phrase.
PHRASE_PUNCT = frozenset({",", ";", ":", ".", "(", ")", "—", "–", "•", "[", "]", '"', "“", "”", "!", "?"})
ARTICLES = frozenset({"the", "a", "an", "its", "their", "our", "his", "her", "this", "these", "those"})
CONNECTORS = frozenset({"of", "for", "and", "the", "on", "with", "de", "du", "des", "la", "&", "in"})
PREPOSITIONS = frozenset(
    """with to in for from by at on against into toward towards under between across than
    like of about over after during since among within without including via through
    despite amid upon beyond""".split()
)
PLEDGE_NOUNS = frozenset(
    """assistance aid funding contribution contributions support total grant grants loan loans
    financing donation donations commitment commitments""".split()
)
FIRST_PERSON = frozenset({"we", "our", "i", "us"})
# Leftward search for a subject stops at these words: they start a new clause
# whose subject is not the giver ("..., which received $5 million").
MAX_RIGHT = 30
MAX_PHRASE = 14


@dataclass(frozen=True)
class Cue:
    """A cue phrase at token offsets ``start``-``end`` of the document."""

    start: int
    end: int
    polarity: int  # +1 pledge, -1 not a pledge
    weight: float


def cue_score(
    cues: Iterable[Cue],
    start: int,
    end: int,
    *,
    gap: Callable[[int, int], tuple[int, int, int]],
    hard_cost: float = 6.0,
    soft_cost: float = 1.5,
) -> float:
    """Evidence that the amount at tokens ``start``-``end`` is a pledge.

    Each cue adds ``polarity * weight / (1 + distance)``, where distance is
    the number of words between cue and amount plus a cost for each clause
    boundary crossed. ``gap(a, b)`` returns ``(words, hard, soft)`` for the
    tokens between offsets ``a`` and ``b``.
    """
    score = 0.0
    for cue in cues:
        if cue.end <= start:
            words, hard, soft = gap(cue.end, start)
        elif cue.start >= end:
            words, hard, soft = gap(end, cue.start)
        else:
            continue
        distance = words + hard_cost * hard + soft_cost * soft
        score += cue.polarity * cue.weight / (1.0 + distance)
    return score


def join_names(names: Sequence[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) <= 1:
        return names[0] if names else ""
    return ", ".join(names[:-1]) + " and " + names[-1]


def _collapse(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Entity:
    """A country, organisation or named programme mentioned in a sentence."""

    start: int
    end: int
    kind: str  # "country" | "org"
    name: str  # canonical (countries) or fullest name (organisations)
    code: Optional[str] = None


@dataclass
class Amount:
    span: Span
    money: Money
    rule: str
    qualifier: Optional[str]
    conversions: list[Money] = field(default_factory=list)
    # End of the last restatement folded into this amount.
    conv_end: Optional[int] = None


@dataclass
class Pledge:
    amount: Amount
    donor: Optional[str]
    recipient: Optional[str]


class PledgeExtractor:
    """Finds money, keeps the pledges, and fills donor and recipient."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        patterns: str,
        currencies: str,
        cues: str,
        countries: str,
        threshold: float,
        min_amount: float,
    ) -> None:
        self.name = name
        self.threshold = threshold
        self.min_amount = min_amount
        self.table: CurrencyTable = load_currencies(currencies)
        self.countries: Countries = load_countries(countries)

        self.matcher = Matcher(nlp.vocab, validate=True)
        by_id: dict[str, list] = {}
        for row in read_jsonl(patterns):
            by_id.setdefault(row["id"], []).append(row["pattern"])
        for rule, pats in by_id.items():
            self.matcher.add(rule, pats, greedy="LONGEST")
        # Documents without a currency sign, code or word skip the matcher.
        words = "|".join(re.escape(w) for w in self.table.words)
        codes = "|".join(re.escape(c) for c in self.table.codes)
        self.prefilter = re.compile(
            rf"[$€£¥₩₹₽₴]|(?<![A-Za-z])(?:{codes})(?![a-z])|(?i:\b(?:{words})\b)"
        )

        data = read_json(cues)
        self.cue_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.cue_weight: dict[int, tuple[int, float]] = {}
        for polarity, table in ((1, data["pledge"]), (-1, data["not_pledge"])):
            for weight, phrases in table.items():
                if weight.startswith("//"):
                    continue
                key = f"{'pledge' if polarity > 0 else 'not'}:{weight}"
                self.cue_matcher.add(key, [nlp.make_doc(p) for p in phrases])
                self.cue_weight[nlp.vocab.strings[key]] = (polarity, float(weight))
        self.give_verbs = frozenset(data["give_verbs"])
        self.receive_verbs = frozenset(data["receive_verbs"])
        self.purpose_verbs = frozenset(data["purpose_verbs"])
        self.recipient_preps = frozenset(data["recipient_prepositions"])
        self.donor_preps = frozenset(data["donor_prepositions"])
        self.source_stops = frozenset(data["donor_source_stops"])
        self.reward_cues = frozenset(data["reward_cues"])
        self.total_cues = frozenset(data["total_cues"])
        self.each_cues = frozenset(data["each_cues"])
        stops = data["phrase_stops"]
        self.stop_words = frozenset(s for s in stops if " " not in s)
        self.stop_bigrams = frozenset(tuple(s.split()) for s in stops if " " in s)
        self.org_heads = frozenset(data["org_heads"])
        self.program_heads = frozenset(data["program_heads"])
        self.fund_heads = frozenset(data["fund_heads"])
        self.group_heads = frozenset(data["group_heads"])

        self.country_matcher = PhraseMatcher(nlp.vocab)
        for form, code, kind in self.countries.forms():
            self.country_matcher.add(f"{kind}:{code}", [nlp.make_doc(form)])
        self.non_acronyms = frozenset(
            [form for form, _code, _kind in self.countries.forms()]
            + list(self.table.codes)
            + ["I", "II", "III", "IV", "COVID", "COVID-19", "AI", "OK", "TV", "PM", "AM"]
        )

    # ------------------------------------------------------------------ money

    def find_amounts(self, doc: Doc, text: Optional[str] = None) -> list[Amount]:
        """Every money expression, with bracketed restatements folded in."""
        # Doc.text is rebuilt from the tokens on every access.
        text = doc.text if text is None else text
        spans = []
        for match_id, start, end in self.matcher(doc):
            while end > start and doc[end - 1].is_space:
                end -= 1
            span = Span(doc, start, end, label="MONEY")
            span.id_ = doc.vocab.strings[match_id]
            spans.append(span)
        amounts: list[Amount] = []
        for span in filter_spans(spans):
            money = parse_money(span.text, table=self.table)
            if money is None:
                continue
            start_char = span.start_char + money.start
            end_char = span.start_char + money.end
            trimmed = doc.char_span(start_char, end_char, alignment_mode="expand") or span
            trimmed.id_ = span.id_
            qualifier = money.qualifier or qualifier_before(text[max(0, start_char - 40) : start_char])
            amounts.append(Amount(trimmed, money, span.id_, qualifier))
        kept: list[Amount] = []
        for amount in amounts:
            if kept:
                head = kept[-1]
                prev_end = head.conv_end or head.span.end_char
                between = text[prev_end : amount.span.start_char]
                after = text[amount.span.end_char : amount.span.end_char + 3]
                if is_conversion_gap(between, after):
                    head.conversions.append(amount.money)
                    head.conv_end = amount.span.end_char
                    continue
            kept.append(amount)
        return kept

    # ------------------------------------------------------------ component

    def __call__(self, doc: Doc) -> Doc:
        table = records(doc, SPAN_KEY)
        out_spans: list[Span] = []
        money_spans: list[Span] = []
        text = doc.text
        if self.prefilter.search(text):
            amounts = self.find_amounts(doc, text)
            if amounts:
                issuer = doc._.issuer
                issuer_name = self.countries.name_for(issuer) if issuer else None
                orgs = self._org_mentions(doc)
                units = _context_units(doc)
                unit_starts = [u.start for u in units]
                groups: dict[int, tuple[Span, list[Amount]]] = {}
                for amount in amounts:
                    unit = units[bisect_right(unit_starts, amount.span.start) - 1]
                    groups.setdefault(unit.start, (unit, []))[1].append(amount)
                pledges: list[Pledge] = []
                sentence_list = list(groups.values())
                results = []
                for sent, items in sentence_list:
                    results.append(self._sentence(doc, sent, items, orgs, issuer_name, text))
                for index, found in enumerate(results):
                    for pledge, is_total in found:
                        if is_total and pledge.recipient is None:
                            parts = [p.recipient for p, t in found if not t and p.recipient]
                            if not parts and index + 1 < len(results):
                                parts = [p.recipient for p, t in results[index + 1] if not t and p.recipient]
                            if parts:
                                pledge.recipient = join_names(parts)
                        pledges.append(pledge)
                for amount in amounts:
                    span = Span(doc, amount.span.start, amount.span.end, label="MONEY")
                    span.id_ = amount.rule
                    money_spans.append(span)
                for number, pledge in enumerate(pledges):
                    key = f"p{number}"
                    amount = pledge.amount
                    span = Span(doc, amount.span.start, amount.span.end, label="PLEDGE", kb_id=key)
                    span.id_ = amount.rule
                    out_spans.append(span)
                    table[key] = {
                        "text": amount.money.text,
                        "amount": amount.money.amount,
                        "currency": amount.money.currency,
                        "donor": pledge.donor,
                        "recipient": pledge.recipient,
                        "qualifier": amount.qualifier,
                        "conversions": [m.as_amount() for m in amount.conversions],
                    }
        doc.spans[SPAN_KEY] = out_spans
        doc.spans[MONEY_KEY] = money_spans
        return doc

    # ------------------------------------------------------------- sentence

    def _sentence(
        self,
        doc: Doc,
        sent: Span,
        items: list[Amount],
        orgs: list[Entity],
        issuer_name: Optional[str],
        text: str,
    ) -> list[tuple[Pledge, bool]]:
        ctx = _Sentence(self, doc, sent, orgs, text)
        cues = ctx.cues()
        money_tokens = [(a.span.start, a.span.end) for a in items]
        found: list[tuple[Pledge, bool]] = []
        previous_recipient: Optional[str] = None
        for amount in items:
            start, end = amount.span.start, amount.span.end
            score = cue_score(cues, start, end, gap=ctx.gap)
            if amount.money.amount < self.min_amount and not _has_scale(amount.money.text):
                score -= 1.0
            if ctx.directly_per(end):
                score -= 1.0
            if ctx.worth_fund(start) is not None:
                score += 1.0
            if score <= self.threshold:
                continue
            donor = ctx.donor(start, end, money_tokens) or issuer_name
            recipients, is_each = ctx.recipients(start, end, money_tokens)
            if not recipients and previous_recipient and not ctx.is_reward(start):
                recipients = [previous_recipient]
            if not recipients and not ctx.is_reward(start):
                fallback = ctx.sentence_recipient(money_tokens)
                if fallback:
                    recipients = [fallback]
            is_total = ctx.is_total(start, end)
            if is_each and len(recipients) > 1:
                for recipient in recipients:
                    found.append((Pledge(amount, donor, recipient), False))
                continue
            recipient = join_names(recipients) if recipients else None
            if recipient and not is_total:
                previous_recipient = recipient
            found.append((Pledge(amount, donor, recipient), is_total))
        return found

    def _org_mentions(self, doc: Doc) -> list[Entity]:
        if ORG_KEY not in doc.spans:
            return []
        table = (doc._.records or {}).get(ORG_KEY, {})
        out = []
        for span in doc.spans[ORG_KEY]:
            name = (table.get(span.kb_id_) or {}).get("name") or span.text
            out.append(Entity(span.start, span.end, "org", _collapse(name)))
        out.sort(key=lambda e: e.start)
        return out


_CLOSED = re.compile(r"[.!?:;]['\"’”)\]*]*$")
_LIST_MARKER = re.compile(r"^(?:[*•·°※‒–-]|\d{1,2}[.)])$")
_PARAGRAPH = re.compile(r"\n\s*\n")
MAX_UNIT = 6


def _context_units(doc: Doc) -> list[Span]:
    """Sentences, with those that do not end a sentence joined to the next.

    Hard-wrapped releases can reach the pipeline split at line ends ("the
    President announced a" / "$13.5 million disbursement from ..."); reading
    the amount needs the whole sentence. A blank line or a list marker always
    separates.
    """
    if not doc.has_annotation("SENT_START"):
        return [doc[:]]
    units: list[Span] = []
    start = None
    count = 0
    sents = list(doc.sents)
    for index, sent in enumerate(sents):
        if start is None:
            start, count = sent.start, 0
        count += 1
        last = sent.end - 1
        while last > sent.start and doc[last].is_space:
            last -= 1
        trailing = doc[last + 1 : sent.end].text
        nxt = sents[index + 1] if index + 1 < len(sents) else None
        first_next = ""
        if nxt is not None:
            k = nxt.start
            while k < nxt.end - 1 and doc[k].is_space:
                k += 1
            first_next = doc[k].text
        closed = (
            nxt is None
            or _CLOSED.search(doc[last].text) is not None
            or _PARAGRAPH.search(trailing) is not None
            or _PARAGRAPH.search(doc[nxt.start].text) is not None
            or _LIST_MARKER.match(first_next) is not None
            or count >= MAX_UNIT
        )
        if closed:
            units.append(doc[start : sent.end])
            start = None
    return units


def _has_scale(text: str) -> bool:
    return bool(re.search(r"(?i)\d\s*-?\s*(?:k|m|b|bn|mn|tn|thousand|million|billion|trillion|lakh|crore)\b", text))


class _Sentence:
    """Token-level reading of one sentence that holds money."""

    def __init__(
        self, ex: PledgeExtractor, doc: Doc, sent: Span, orgs: list[Entity], text: str
    ) -> None:
        self.ex = ex
        self.doc = doc
        self.text = text
        self.sent = sent
        self.start = sent.start
        self.end = sent.end
        # Prefix counts over the sentence: words, hard and soft boundaries.
        words = [0]
        hard = [0]
        soft = [0]
        for token in sent:
            text = token.text
            words.append(words[-1] + (0 if token.is_space else 1))
            hard.append(hard[-1] + (1 if text in HARD_BOUNDARIES or _PARAGRAPH.search(text) else 0))
            soft.append(soft[-1] + (1 if text in SOFT_BOUNDARIES else 0))
        self._words, self._hard, self._soft = words, hard, soft
        self.entities = self._entities(orgs)
        self._starts = [e.start for e in self.entities]

    # --------------------------------------------------------------- geometry

    def gap(self, a: int, b: int) -> tuple[int, int, int]:
        i, j = a - self.start, b - self.start
        return (
            self._words[j] - self._words[i],
            self._hard[j] - self._hard[i],
            self._soft[j] - self._soft[i],
        )

    def lower(self, i: int) -> str:
        return self.doc[i].lower_ if self.start <= i < self.end else ""

    def next_word(self, i: int) -> int:
        """The first non-space token at or after ``i`` (or the sentence end)."""
        while i < self.end and self.doc[i].is_space:
            i += 1
        return i

    def prev_word(self, i: int) -> int:
        """The last non-space token before ``i`` (or ``start - 1``)."""
        i -= 1
        while i >= self.start and self.doc[i].is_space:
            i -= 1
        return i

    # ------------------------------------------------------------------ cues

    def cues(self) -> list[Cue]:
        out = []
        for match_id, start, end in self.ex.cue_matcher(self.sent):
            polarity, weight = self.ex.cue_weight[match_id]
            out.append(Cue(start, end, polarity, weight))
        return out

    def directly_per(self, end: int) -> bool:
        """ "$3 per gallon", "$35 a month": a price, not a sum given."""
        i = self.next_word(end)
        word = self.lower(i)
        if word == "per":
            return True
        if word in {"a", "an"}:
            return self.lower(self.next_word(i + 1)) in {"month", "year", "day", "week", "gallon", "barrel", "hour", "person", "ton", "dose"}
        return False

    def is_reward(self, start: int) -> bool:
        lo = max(self.start, start - 8)
        return any(self.doc[i].lower_ in self.ex.reward_cues for i in range(lo, start))

    def is_total(self, start: int, end: int) -> bool:
        lo = max(self.start, start - 4)
        before = [self.doc[i].lower_ for i in range(lo, start) if not self.doc[i].is_space]
        if "total" in before or "totaling" in before or "totalling" in before:
            return True
        i = self.next_word(end)
        return self.lower(i) == "in" and self.lower(self.next_word(i + 1)) == "total"

    # -------------------------------------------------------------- entities

    def _entities(self, orgs: list[Entity]) -> list[Entity]:
        found: list[Entity] = []
        lo = bisect_left([o.start for o in orgs], self.start)
        for org in orgs[lo:]:
            if org.start >= self.end:
                break
            found.append(org)
        spans = []
        for match_id, start, end in self.ex.country_matcher(self.sent):
            kind, code = self.doc.vocab.strings[match_id].split(":", 1)
            spans.append(Span(self.doc, start, end, label=kind, kb_id=code))
        for span in filter_spans(spans):
            if span.label_ == "adjective":
                # "the Korean government": the adjective names the state.
                nxt = self.lower(self.next_word(span.end))
                kind = "country" if nxt in self.ex.group_heads else "adjective"
            else:
                kind = "country"
            name = self.ex.countries.name_for(span.kb_id_) or span.text
            found.append(Entity(span.start, span.end, kind, name, span.kb_id_))
        found.extend(self._proper_phrases())
        # Longest first, then earliest; drop mentions inside a longer one.
        found.sort(key=lambda e: (e.start, -(e.end - e.start)))
        kept: list[Entity] = []
        for ent in found:
            if kept and ent.start < kept[-1].end:
                continue
            kept.append(ent)
        return kept

    def _proper_phrases(self) -> list[Entity]:
        """Capitalised runs that name a body: "... Fund", "... Corporation",
        an acronym, or a name followed by "program" ("Rewards for Justice")."""
        doc = self.doc
        out: list[Entity] = []
        i = self.start
        heads = self.ex.org_heads
        while i < self.end:
            token = doc[i]
            if not (
                token.text[:1].isupper() and (token.is_alpha or "." in token.text)
                or _is_acronym(token.text)
            ):
                i += 1
                continue
            j = i
            last_cap = i
            while j < self.end:
                t = doc[j]
                if t.is_space or t.text in {".", "-"} and j > i:
                    j += 1
                    continue
                if (t.text[:1].isupper() and (t.is_alpha or "." in t.text or "-" in t.text)) or _is_acronym(t.text):
                    last_cap = j
                    j += 1
                    continue
                if t.lower_ in CONNECTORS and t.text.islower():
                    j += 1
                    continue
                break
            start, end = i, last_cap + 1
            if doc[start].lower_ == "the":
                start += 1
            i = max(end, i + 1)
            if start >= end:
                continue
            words = [doc[k] for k in range(start, end) if not doc[k].is_space]
            text = _collapse(doc[start:end].text)
            if text in self.ex.non_acronyms:
                continue
            # A parenthesised acronym after a name belongs to the name.
            if (
                len(words) == 1
                and start > self.start
                and doc[self.prev_word(start)].text == "("
            ):
                continue
            head = words[-1].text
            follows = self.lower(self._skip_parenthetical(end))
            if (
                head in heads
                or (len(words) == 1 and _is_acronym(head))
                or (follows in self.ex.program_heads and len(words) > 1)
                or any(
                    w.text in heads and n.lower_ in {"of", "for"} for w, n in zip(words, words[1:])
                )
            ):
                out.append(Entity(start, end, "org", text))
        return out

    def _skip_parenthetical(self, i: int) -> int:
        """The first word after ``i``, past an "(ACRONYM)"."""
        i = self.next_word(i)
        if self.lower(i) == "(":
            k = i + 1
            while k < self.end and k < i + 6 and self.doc[k].text != ")":
                k += 1
            if k < self.end and self.doc[k].text == ")":
                return self.next_word(k + 1)
        return i

    def entity_at(self, i: int) -> Optional[Entity]:
        """The entity starting at word ``i`` (past an article)."""
        i = self.next_word(i)
        if self.lower(i) in ARTICLES:
            i = self.next_word(i + 1)
        k = bisect_left(self._starts, i)
        if k < len(self.entities) and self.entities[k].start == i:
            return self.entities[k]
        return None

    def entities_between(self, a: int, b: int) -> list[Entity]:
        k = bisect_left(self._starts, a)
        out = []
        while k < len(self.entities) and self.entities[k].start < b:
            out.append(self.entities[k])
            k += 1
        return out

    # ----------------------------------------------------------------- donor

    def donor(self, start: int, end: int, money: list[tuple[int, int]]) -> Optional[str]:
        """Who gives the amount at ``start``-``end`` (None: not stated)."""
        doc = self.doc
        # "from the U.S. International Development Finance Corporation"
        i = end
        limit = min(self.end, end + 16)
        words = 0
        while i < limit:
            t = doc[i]
            if t.text in HARD_BOUNDARIES or t.text == "." or _starts_money(i, money, end):
                break
            if t.is_space:
                i += 1
                continue
            words += 1
            if t.lower_ in self.ex.recipient_preps and t.lower_ != "for" or words > 6:
                break
            if t.lower_ in self.ex.donor_preps:
                if t.lower_ == "by" and not _is_participle(doc[self.prev_word(i)].lower_):
                    i += 1
                    continue
                ent = self.entity_at(i + 1)
                if ent is not None and ent.kind in {"country", "org"}:
                    after = self.lower(self._skip_parenthetical(ent.end))
                    if after not in self.ex.source_stops:
                        return self._joint(ent)
            i += 1
        # The subject of the giving verb before the amount.
        verb = None
        for k in range(start - 1, self.start - 1, -1):
            word = doc[k].lower_
            if word in self.ex.give_verbs or word in self.ex.receive_verbs:
                verb = k
                break
        # "bring total U.S. military assistance to ... $8.2 billion"
        for ent in self.entities_between(verb + 1 if verb is not None else self.start, start):
            if ent.code and self._modifies_pledge_noun(ent) and not self.in_prepositional_phrase(ent):
                return ent.name
        if verb is not None:
            receiving = doc[verb].lower_ in self.ex.receive_verbs
            for k in range(verb - 1, self.start - 1, -1):
                token = doc[k]
                if token.lower_ in FIRST_PERSON and token.text != "US":
                    return None
                if (
                    token.lower_ in self.ex.program_heads
                    and self.lower(self.prev_word(k)) in {"the", "this"}
                    and self._entity_ending_at(k) is None
                ):
                    # "the program has paid ...": the programme named earlier.
                    named = _last_programme(self.text[: token.idx], token.lower_)
                    if named:
                        return named
                ent = self._entity_ending_at(k)
                if ent is None or ent.kind == "adjective" and not self._adjective_subject(ent):
                    continue
                if self.in_prepositional_phrase(ent):
                    continue
                if receiving:
                    break
                return self._joint(ent)
        # "Korea's contribution", "U.S. assistance": a country just before the amount.
        for ent in reversed(self.entities_between(self.start, start)):
            if ent.code and not self.in_prepositional_phrase(ent):
                return ent.name
        return None

    def in_prepositional_phrase(self, ent: Entity) -> bool:
        """Whether a preposition governs the mention ("with Congress", "under
        DoD's Initiative"), so it cannot be the subject; "Government of Japan"
        is not such a case."""
        k = self.prev_word(ent.start)
        for _ in range(4):
            word = self.lower(k)
            if word in ARTICLES:
                k = self.prev_word(k)
                continue
            if word in {"'s", "’s"}:
                owner = self._entity_ending_at(self.prev_word(k))
                k = self.prev_word(owner.start if owner is not None else self.prev_word(k))
                continue
            if word == "of" and self.lower(self.prev_word(k)) in self.ex.group_heads:
                return False
            return word in PREPOSITIONS
        return False

    def _modifies_pledge_noun(self, ent: Entity) -> bool:
        k = ent.end
        for _ in range(3):
            k = self.next_word(k)
            if self.lower(k) in PLEDGE_NOUNS:
                return True
            k += 1
        return False

    def _adjective_subject(self, ent: Entity) -> bool:
        """ "Japanese Prime Minister Kishida announced": an adjective that
        opens the subject names the giver."""
        before = self.lower(self.prev_word(ent.start))
        return before in {"", "the", ","} or self.prev_word(ent.start) < self.start

    def _entity_ending_at(self, k: int) -> Optional[Entity]:
        for ent in self.entities:
            if ent.end - 1 == k or (ent.end - 1 < k and self.doc[k].text in {"'s", "’s"} and ent.end == k):
                return ent
        return None

    def _joint(self, ent: Entity) -> str:
        """ "the United States and Japan": a subject of two countries."""
        names = [ent.name]
        if ent.code:
            k = ent.start
            while True:
                p = self.prev_word(k)
                if self.lower(p) not in {"and", ","}:
                    break
                q = self.prev_word(p)
                if self.lower(q) == ",":
                    q = self.prev_word(q)
                other = self._entity_ending_at(q) if q >= self.start else None
                if other is None or not other.code or other.kind == "adjective":
                    break
                names.insert(0, other.name)
                k = other.start
            k = ent.end
            while True:
                p = self.next_word(k)
                if self.lower(p) not in {"and", ","}:
                    break
                other = self.entity_at(p + 1)
                if other is None or not other.code or other.kind == "adjective":
                    break
                names.append(other.name)
                k = other.end
        return join_names(names)

    # ------------------------------------------------------------- recipient

    def worth_fund(self, start: int) -> Optional[str]:
        """ "Action with Women and Peace Fund (worth $2 million)": the fund."""
        i = self.prev_word(start)
        if self.lower(i) != "worth":
            return None
        i = self.prev_word(i)
        if self.lower(i) in {"(", ","}:
            i = self.prev_word(i)
        ent = self._entity_ending_at(i)
        if ent is not None and ent.kind == "org":
            return ent.name
        if i >= self.start and self.doc[i].text in self.ex.fund_heads:
            k = i
            while k - 1 >= self.start and (
                self.doc[k - 1].text[:1].isupper() or self.doc[k - 1].lower_ in CONNECTORS
            ):
                k -= 1
            while self.doc[k].lower_ in CONNECTORS and k < i:
                k += 1
            return _collapse(self.doc[k : i + 1].text)
        return None

    def recipients(
        self, start: int, end: int, money: list[tuple[int, int]]
    ) -> tuple[list[str], bool]:
        """Recipients of the amount and whether it is given to each of them."""
        fund = self.worth_fund(start)
        if fund:
            return [fund], False
        doc = self.doc
        i = self.next_word(end)
        each = self.lower(i) in self.ex.each_cues
        reward = self.is_reward(start)
        best: Optional[tuple[int, list[str]]] = None  # (rank, names)
        limit = min(self.end, end + MAX_RIGHT)
        while i < limit:
            t = doc[i]
            word = t.lower_
            if word == "(":
                closing = self._skip_parenthetical(i)
                if closing != i:
                    i = closing
                    continue
            if t.text in HARD_BOUNDARIES or t.text == "." or _starts_money(i, money, end):
                break
            if word in self.ex.each_cues:
                each = True
            if word in self.ex.recipient_preps or word == "in":
                found, phrase_end = self._after_preposition(i, word, reward, money)
                if found is not None and (best is None or found[0] < best[0]):
                    best = found
                    if best[0] == 0:
                        break
                # Prepositions inside the phrase just read belong to it.
                i = max(i + 1, phrase_end if found is not None else i + 1)
                continue
            i += 1
        if best is not None:
            return best[1], each
        # Before the amount: "assistance to Ukraine to $8.2 billion", "UNHCR's
        # appeal", "to boost domestic production of fertilizer through a $500
        # million program".
        purpose: Optional[str] = None
        for k in range(start - 1, max(self.start, start - 20) - 1, -1):
            t = doc[k]
            if t.text in HARD_BOUNDARIES:
                break
            word = t.lower_
            if word in {"to", "for", "in"}:
                ent = self.entity_at(k + 1)
                if ent is not None and ent.kind in {"country", "org"}:
                    return [ent.name], each
                if purpose is None and not reward and word in {"to", "for"}:
                    found, _ = self._after_preposition(k, word, reward, money)
                    purposeful = word == "for" or self.lower(self.next_word(k + 1)) in self.ex.purpose_verbs
                    if found is not None and found[0] == 2 and purposeful:
                        purpose = found[1][0]
            if word in {"'s", "’s"}:
                ent = self._entity_ending_at(k)
                if ent is not None and ent.kind == "org":
                    return [ent.name], each
        return ([purpose] if purpose else []), each

    def _after_preposition(
        self, i: int, prep: str, reward: bool, money: list[tuple[int, int]]
    ) -> tuple[Optional[tuple[int, list[str]]], int]:
        """What a preposition after the amount names, ranked (0 best)."""
        doc = self.doc
        j = self.next_word(i + 1)
        purpose = prep == "for"
        if prep == "to" and self.lower(j) in self.ex.purpose_verbs:
            purpose = True
            j = self.next_word(j + 1)
            # "to support the efforts of X", "to help build"
            if self.lower(j) in self.ex.purpose_verbs:
                j = self.next_word(j + 1)
        phrase_end = self._phrase_end(j, money)
        if phrase_end <= j:
            return None, j
        ents = [e for e in self.entities_between(j, phrase_end) if e.kind in {"org", "country"}]
        orgs = [e for e in ents if e.kind == "org"]
        if orgs:
            return (0, [orgs[0].name]), phrase_end
        first = j
        if self.lower(first) in ARTICLES:
            first = self.next_word(first + 1)
        countries = [e for e in ents if e.code]
        if countries and countries[0].start == first:
            group = [countries[0]]
            k = countries[0].end
            while True:
                p = self.next_word(k)
                word = self.lower(p)
                if word == "'s" or word == "’s":
                    break
                if word not in {"and", ",", "or"}:
                    break
                q = self.next_word(p + 1)
                if self.lower(q) == "and":
                    q = self.next_word(q + 1)
                other = self.entity_at(q)
                if other is None or not other.code:
                    # "Ukraine and its neighbors": the group as written.
                    if word == "and" and self.lower(q) not in ARTICLES - {"its", "their"}:
                        text = _collapse(doc[first:phrase_end].text)
                        return (1, [text]), phrase_end
                    break
                group.append(other)
                k = other.end
            if len(group) > 1:
                return (1, [g.name for g in group]), phrase_end
            return (1, [group[0].name]), phrase_end
        if countries and purpose:
            # "to address child malnutrition in Ecuador": the country receives.
            return (1, [countries[0].name]), phrase_end
        if prep == "in" or prep in {"through", "via"} or reward:
            return None, phrase_end
        words = [doc[k] for k in range(first, phrase_end) if not doc[k].is_space]
        if not words or words[0].like_num or words[0].lower_ in {"date", "years", "months", "decades"}:
            return None, phrase_end
        if words[0].text[:1] in "$€£¥₩" or (len(words) <= 2 and words[-1].lower_ in {"time", "year", "years"}):
            return None, phrase_end
        return (2, [_collapse(doc[first:phrase_end].text)]), phrase_end

    def _phrase_end(self, j: int, money: list[tuple[int, int]]) -> int:
        """Where a recipient or purpose phrase starting at ``j`` ends."""
        doc = self.doc
        k = j
        count = 0
        while k < self.end and count < MAX_PHRASE:
            t = doc[k]
            if t.is_space:
                k += 1
                continue
            word = t.lower_
            if t.text in PHRASE_PUNCT or _starts_money(k, money, -1):
                break
            if k > j:
                if word in self.ex.stop_words and not (
                    word == "by" and _is_participle(doc[self.prev_word(k)].lower_)
                ):
                    break
                nxt = self.lower(self.next_word(k + 1))
                if (word, nxt) in self.ex.stop_bigrams:
                    break
            count += 1
            k += 1
        while k > j and (doc[k - 1].is_space or doc[k - 1].lower_ in CONNECTORS | {"'s", "’s"}):
            k -= 1
        return k

    def sentence_recipient(self, money: list[tuple[int, int]]) -> Optional[str]:
        """A country or organisation the sentence gives to ("to Ukraine")."""
        for ent in self.entities:
            if ent.kind not in {"country", "org"}:
                continue
            before = self.lower(self.prev_word(ent.start))
            if before in {"the"}:
                before = self.lower(self.prev_word(self.prev_word(ent.start)))
            if before in {"to", "for"}:
                return ent.name
        return None


def _last_programme(text: str, head: str) -> Optional[str]:
    """The last "<Capitalised Name> (ACR) program" written in ``text``."""
    found = None
    pattern = re.compile(
        r"([A-Z][\w.-]*(?:[ \t]+(?:for|of|and|the|on|[A-Z][\w.-]*))*)\s*(?:\([A-Z]{2,8}\)\s*)?"
        + re.escape(head)
        + r"\b"
    )
    for match in pattern.finditer(text):
        found = match.group(1)
    if found and found.startswith(("The ", "the ")):
        found = found[4:]
    return _collapse(found) if found else None


def _starts_money(i: int, money: list[tuple[int, int]], own_end: int) -> bool:
    return any(s == i for s, e in money if e != own_end)


def _is_acronym(text: str) -> bool:
    letters = text.replace("-", "").replace("&", "")
    return 2 <= len(letters) <= 8 and letters.isupper() and letters.isalpha()


def _is_participle(word: str) -> bool:
    return word.endswith("ed") or word in {"given", "lent", "paid", "made", "offered", "granted"}


@Language.factory(
    "extractor_pledges",
    assigns=["doc.spans"],
    default_config={
        "patterns": "money_patterns.jsonl",
        "currencies": "currencies.json",
        "cues": "pledge_cues.json",
        "countries": "countries.jsonl",
        "threshold": 0.1,
        "min_amount": 1000.0,
    },
)
def make_pledges(
    nlp: Language,
    name: str,
    patterns: str,
    currencies: str,
    cues: str,
    countries: str,
    threshold: float,
    min_amount: float,
) -> PledgeExtractor:
    return PledgeExtractor(
        nlp,
        name,
        patterns=patterns,
        currencies=currencies,
        cues=cues,
        countries=countries,
        threshold=threshold,
        min_amount=min_amount,
    )
