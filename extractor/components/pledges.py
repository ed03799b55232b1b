"""Pledges: money committed, given, lent, invested or requested (ANNOTATION.md).

1. A ``Matcher`` (``models/money_patterns.jsonl``) finds money expressions,
   run only on small windows around currency-like tokens, and
   :func:`extractor.money.parse_money` reads them. A bracketed restatement
   ("KRW 180.4 billion (USD 151 million)") becomes a conversion of the amount
   before it, not an amount of its own.
2. Only sentences that hold money are read further. Sentences that the layout
   split inside a hard-wrapped line are joined again first. Cue phrases
   (``models/pledge_cues.json``) are matched there and each amount is scored
   by the cues around it (:func:`cue_score`): near cues in the same clause
   count most, so "$1 billion in losses" is not a pledge although the sentence
   also says "reward".
3. Donor: an organisation or country after "from"/"by" ("$5 million from
   USAID"), else the subject of the giving verb before the amount ("Japan will
   provide", "the Korean government decided to provide"), else the issuing
   government. Recipient: the organisation, fund, country, group or purpose
   after "to"/"for"/"through"/"via"/"in", else one named before the amount,
   else the recipient of the sentence's other amounts.
4. Across the document: "a total of $500,000" beside its parts goes to the
   parts' recipients; "The assistance will be delivered through the WFP" in a
   following sentence names the recipient; an amount stated twice (headline
   and body) is one record with two mentions; "$100,000 each to Zimbabwe and
   Malawi" is one record per recipient (the mention span repeats with a
   different ``kb_id_``).

Organisation mentions come from ``doc.spans["organisations"]`` when the
organisations component ran; capitalised phrases with an organisation head
word ("... Fund", "... Corporation") and acronyms are a fallback, so the
component also works alone.
"""
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Optional

import numpy
from spacy.attrs import ORTH, SENT_START
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
PHRASE_PUNCT = frozenset(
    {",", ";", ":", ".", "(", ")", "—", "–", "•", "[", "]", '"', "“", "”", "!", "?", "|"}
)
ARTICLES = frozenset({"the", "a", "an", "its", "their", "our", "his", "her", "this", "these", "those"})
CONNECTORS = frozenset({"of", "for", "and", "the", "on", "with", "de", "du", "des", "la", "&", "in"})
FIRST_PERSON = frozenset({"we", "our", "i", "my"})
PREPOSITIONS = frozenset(
    """with to in for from by at on against into toward towards under between across than
    like of about over after during since among within without including via through
    despite amid upon beyond""".split()
)
# Nouns that a donor country may modify: "U.S. humanitarian assistance".
PLEDGE_NOUNS = frozenset(
    """assistance aid funding contribution contributions support total grant grants loan loans
    financing donation donations commitment commitments""".split()
)
POSSESSIVE = frozenset({"'s", "’s"})
MARKUP = frozenset({"*", "**", "_", "__"})
# Ranks of what names a recipient (lower wins).
RANK_ORG, RANK_COUNTRY, RANK_GROUP, RANK_PURPOSE = 0, 1, 2, 3
MAX_RIGHT = 30  # words after an amount searched for its recipient
MAX_PHRASE = 14  # words in a recipient or purpose phrase
MAX_SUBJECT = 40  # tokens before a verb searched for its subject
WINDOW = 10  # tokens either side of a currency token that the money matcher sees
MAX_UNIT = 6  # sentences joined into one reading unit at most
CHANNEL_LOOKAHEAD = 2  # units after a pledge searched for "delivered through X"
INHERIT_UNITS = 2  # how far an amount with no recipient takes the one before it

# Words before "to" that make it something other than the receiving end.
NOT_RECIPIENT_TO = frozenset(
    """open available accessible eligible compared up close due according similar addition
    next prior thanks owing related respect response equivalent equal back return relative
    subject""".split()
)
# Words between a verb and its amount: "awarded nearly", "provided an additional".
AMOUNT_LEAD = frozenset(
    """nearly almost about approximately more than over up to some an a additional total of
    another further around roughly at least in excess new""".split()
)
AUXILIARIES = frozenset(
    """will would has have had is are was were also plans intends can could may might shall
    should must""".split()
)
DETERMINERS = frozenset(
    """the a an its their our his her this these those all more over nearly some about up
    approximately around at least most many several both each every other""".split()
)
# What is handed over "to" someone: "doses to Indonesia", "equipment to Ukraine".
GIVEN_THINGS = frozenset(
    """doses vaccines equipment supplies relief military humanitarian security economic
    development weapons ammunition food""".split()
)
FILLERS = frozenset({"another", "additional", "further", "new", "more", "over", "up", "to"})
MONTHS = frozenset(
    """january february march april may june july august september october november december""".split()
)
GROUP_WORDS = frozenset(
    """people peoples refugees communities community population populations families civilians
    children women girls victims survivors migrants farmers students persons individuals
    residents citizens households those displaced""".split()
)



# Amounts read together at most, and the tokens of context around a window
# (only for "sentences" that hold more amounts than any real sentence does).
MAX_AMOUNTS_PER_WINDOW = 40
WINDOW_CONTEXT = 40
# Equal sums compared when looking for a restated pledge (see _resolve_document).
TWIN_LOOKBACK = 50

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
    """ "A", "A and B", "A, B and C" (duplicates dropped)."""
    names = list(dict.fromkeys(n for n in names if n))
    if len(names) <= 1:
        return names[0] if names else ""
    return ", ".join(names[:-1]) + " and " + names[-1]


def _collapse(text: str) -> str:
    """Whitespace runs to one space, Markdown emphasis dropped ("**Fund**")."""
    return " ".join(_EMPHASIS.sub("", text).split())


_EMPHASIS = re.compile(r"\*+|(?<!\w)__|__(?!\w)")


@dataclass
class Entity:
    """A country, organisation or named programme mentioned in a sentence."""

    start: int
    end: int
    kind: str  # "country" | "adjective" | "org"
    name: str  # canonical (countries) or fullest name (organisations)
    code: Optional[str] = None  # the country, or the country an agency belongs to
    adjective: bool = False  # named by its adjective ("the Korean government")


@dataclass
class Amount:
    span: Span
    money: Money
    rule: str
    qualifier: Optional[str]
    conversions: list[Money] = field(default_factory=list)
    conv_end: Optional[int] = None  # token after the last restatement folded in


@dataclass
class Pledge:
    amount: Amount
    unit: int  # index of the reading unit
    donor: Optional[str]
    donor_code: Optional[str]
    recipients: list[str]
    rank: Optional[int]  # how the recipient was named (RANK_*), None if not
    donor_explicit: bool = False  # named in the text, not the issuer by default
    is_total: bool = False
    is_reward: bool = False
    spans: list[Span] = field(default_factory=list)

    @property
    def recipient(self) -> Optional[str]:
        return join_names(self.recipients) or None


class _WrapMatcher:
    """Phrase matching that lets a line break sit between a phrase's words.

    Hard-wrapped releases put "United\nStates" and "economic\n    activity"
    across a whitespace token, which a ``PhraseMatcher`` cannot skip. A span
    with such tokens is matched on a copy without them, and the offsets are
    mapped back. Results are document offsets.
    """

    def __init__(self, nlp: Language, *, attr: str) -> None:
        self.nlp = nlp
        self.vocab = nlp.vocab
        self.matcher = PhraseMatcher(nlp.vocab, attr=attr)

    def add(self, key: str, phrases: Iterable[str]) -> None:
        docs = []
        for phrase in phrases:
            words = [t.text for t in self.nlp.make_doc(phrase) if not t.is_space]
            docs.append(Doc(self.vocab, words=words))
        self.matcher.add(key, docs)

    def __call__(self, span: Span, *, wrapped: bool = True) -> list[tuple[int, int, int]]:
        """Matches in ``span``; ``wrapped``: whether space tokens sit between its words."""
        if not wrapped:
            # PhraseMatcher offsets on a Span are document offsets.
            return list(self.matcher(span))
        kept = [t for t in span if not t.is_space]
        if not kept:
            return []
        index = [t.i for t in kept]
        compact = Doc(self.vocab, words=[t.text for t in kept])
        return [(m, index[s], index[e - 1] + 1) for m, s, e in self.matcher(compact)]


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
        # A token can belong to a money expression if it holds a currency sign
        # or code ("$", "USD", "CAD$5", "USD5") or is a currency word ("won").
        codes = "|".join(re.escape(c) for c in self.table.codes)
        self.token_filter = re.compile(rf"[$€£¥₩₹₽₴]|^(?:{codes})(?:\d|$)")
        self.currency_words = frozenset(form.split()[-1].lower() for form in self.table.words)
        self._orth_cache: dict[int, bool] = {}

        data = read_json(cues)
        self.cue_matcher = _WrapMatcher(nlp, attr="LOWER")
        self.cue_weight: dict[int, tuple[int, float]] = {}
        for polarity, table in ((1, data["pledge"]), (-1, data["not_pledge"])):
            for weight, phrases in table.items():
                if weight.startswith("//"):
                    continue
                key = f"{'pledge' if polarity > 0 else 'not'}:{weight}"
                self.cue_matcher.add(key, phrases)
                self.cue_weight[nlp.vocab.strings[key]] = (polarity, float(weight))

        def words(key: str) -> frozenset:
            return frozenset(data[key])

        self.give_verbs = _inflect(data["give_verbs"])
        self.receive_verbs = _inflect(data["receive_verbs"])
        self.purpose_verbs = words("purpose_verbs")
        self.object_verbs = words("object_verbs") | self.give_verbs | self.purpose_verbs
        self.recipient_preps = words("recipient_prepositions")
        self.donor_preps = words("donor_prepositions")
        self.source_stops = words("donor_source_stops")
        self.not_donors = words("not_donors")
        self.donor_groups = words("donor_groups")
        self.reward_cues = words("reward_cues")
        self.each_cues = words("each_cues")
        self.org_heads = words("org_heads")
        self.program_heads = words("program_heads")
        self.fund_heads = words("fund_heads")
        self.group_heads = words("group_heads")
        self.title_words = words("title_words")
        self.channel_subjects = words("channel_subjects")
        self.agreement_words = words("agreement_words")
        self.time_words = words("time_words")
        self.leader_names = words("leader_names")
        stops = data["phrase_stops"]
        self.stop_words = frozenset(s for s in stops if " " not in s)
        self.stop_bigrams = frozenset(tuple(s.split()) for s in stops if " " in s)

        self.country_matcher = _WrapMatcher(nlp, attr="ORTH")
        forms: dict[str, list[str]] = {}
        for form, code, kind in self.countries.forms():
            forms.setdefault(f"{kind}:{code}", []).append(form)
        for key, phrases in forms.items():
            self.country_matcher.add(key, phrases)
        self.non_acronyms = frozenset(
            [form for form, _code, _kind in self.countries.forms()]
            + list(self.table.codes)
            + data["not_organisations"]
        )
        self._name_codes: dict[str, Optional[str]] = {}

    # ------------------------------------------------------------------ money

    def _currency_like(self, orth: int, strings) -> bool:
        """Whether a token string can belong to a money expression (cached)."""
        known = self._orth_cache.get(orth)
        if known is None:
            word = strings[orth]
            known = bool(self.token_filter.search(word)) or word.lower() in self.currency_words
            self._orth_cache[orth] = known
        return known

    def _windows(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges around currency-like tokens, where the matcher runs.

        Running the matcher over a few windows instead of every token keeps
        the component's cost near zero on documents without money.
        """
        orths = doc.to_array(ORTH)
        if not len(orths):
            return []
        strings = doc.vocab.strings
        hits = [o for o in numpy.unique(orths).tolist() if self._currency_like(o, strings)]
        if not hits:
            return []
        windows: list[tuple[int, int]] = []
        for i in numpy.nonzero(numpy.isin(orths, hits))[0].tolist():
            a, b = max(0, i - WINDOW), min(len(doc), i + WINDOW + 1)
            if windows and a <= windows[-1][1]:
                windows[-1] = (windows[-1][0], b)
            else:
                windows.append((a, b))
        return windows

    def find_amounts(self, doc: Doc) -> list[Amount]:
        """Every money expression, with bracketed restatements folded in."""
        spans = []
        for a, b in self._windows(doc):
            # Matcher offsets on a Span are relative to the span.
            for match_id, start, end in self.matcher(doc[a:b]):
                start, end = start + a, end + a
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
            qualifier = money.qualifier
            if qualifier is None:
                qualifier = qualifier_before(doc[max(0, trimmed.start - 5) : trimmed.start].text_with_ws)
            amounts.append(Amount(trimmed, money, span.id_, qualifier))
        kept: list[Amount] = []
        for amount in amounts:
            if kept:
                head = kept[-1]
                prev_end = head.conv_end or head.span.end
                # A restatement follows within a few tokens: "(", "(approximately ".
                if prev_end <= amount.span.start <= prev_end + 6 and is_conversion_gap(
                    doc[prev_end : amount.span.start].text_with_ws,
                    doc[amount.span.end : amount.span.end + 2].text,
                ):
                    head.conversions.append(amount.money)
                    head.conv_end = amount.span.end
                    continue
            kept.append(amount)
        return kept

    # ------------------------------------------------------------ component

    def __call__(self, doc: Doc) -> Doc:
        table = records(doc, SPAN_KEY)
        out_spans: list[Span] = []
        money_spans: list[Span] = []
        amounts = self.find_amounts(doc)
        if amounts:
            issuer = doc._.issuer
            issuer_name = self.countries.name_for(issuer) if issuer else None
            orgs = self._org_mentions(doc)
            units = _Units(doc)
            groups: dict[int, list[Amount]] = {}
            for amount in amounts:
                groups.setdefault(units.index(amount.span.start), []).append(amount)
            pledges: list[Pledge] = []
            for index, items in groups.items():
                unit = units.span(index)
                # A sentence is read as a whole, but a "sentence" of hundreds of
                # amounts (a table, a list without full stops) is read in windows,
                # so work grows linearly, not with the square of its amounts.
                for w in range(0, len(items), MAX_AMOUNTS_PER_WINDOW):
                    window = items[w : w + MAX_AMOUNTS_PER_WINDOW]
                    span = unit
                    if len(items) > MAX_AMOUNTS_PER_WINDOW:
                        start = max(unit.start, window[0].span.start - WINDOW_CONTEXT)
                        end = min(unit.end, window[-1].span.end + WINDOW_CONTEXT)
                        span = doc[start:end]
                    ctx = _Sentence(self, doc, span, orgs)
                    pledges.extend(self._read_unit(ctx, index, window, issuer, issuer_name))
            pledges = self._resolve_document(doc, pledges, units, orgs)
            for amount in amounts:
                span = Span(doc, amount.span.start, amount.span.end, label="MONEY")
                span.id_ = amount.rule
                money_spans.append(span)
            for number, pledge in enumerate(pledges):
                key = f"p{number}"
                for mention in pledge.spans:
                    span = Span(doc, mention.start, mention.end, label="PLEDGE", kb_id=key)
                    span.id_ = mention.id_
                    out_spans.append(span)
                money = pledge.amount.money
                table[key] = {
                    "text": money.text,
                    "amount": money.amount,
                    "currency": money.currency,
                    "donor": pledge.donor,
                    "recipient": pledge.recipient,
                    "qualifier": pledge.amount.qualifier,
                    "conversions": [m.as_amount() for m in pledge.amount.conversions],
                }
        doc.spans[SPAN_KEY] = sorted(out_spans, key=lambda s: (s.start, s.kb_id_))
        doc.spans[MONEY_KEY] = money_spans
        return doc

    # ------------------------------------------------------------------ unit

    def _read_unit(
        self,
        ctx: "_Sentence",
        index: int,
        items: list[Amount],
        issuer: Optional[str],
        issuer_name: Optional[str],
    ) -> list[Pledge]:
        cues = ctx.cues()
        money_tokens = _MoneySpans((a.span.start, a.span.end) for a in items)
        found: list[Pledge] = []
        previous: Optional[Pledge] = None
        for amount in items:
            start, end = amount.span.start, amount.span.end
            if amount.money.amount < self.min_amount:
                continue  # per-person sums, prices, thresholds
            score = cue_score(cues, start, end, gap=ctx.gap)
            if ctx.directly_per(end):
                score -= 1.0
            if ctx.worth_fund(start) is not None or ctx.attached_recipient(end):
                score += 0.5
            elif ctx.attached_purpose(end):
                score += 0.3
            if score <= self.threshold:
                continue
            donor, donor_code = ctx.donor(start, end, money_tokens)
            explicit = donor is not None
            if donor is None:
                donor, donor_code = issuer_name, issuer
            reward = ctx.is_reward(start)
            recipients, rank, each = ctx.recipients(start, end, money_tokens, donor_code, reward)
            if donor_code and len(recipients) == 1 and self.countries.code_for_name(recipients[0]) == donor_code:
                # Nobody gives to itself: a named donor wins; a donor taken
                # from the issuer was a guess.
                if explicit:
                    recipients, rank = [], None
                else:
                    donor, donor_code = None, None
            is_total = ctx.is_total(start, end)
            if not recipients and not reward and not is_total:
                if previous is not None and previous.recipients and not previous.is_total:
                    recipients, rank = list(previous.recipients), previous.rank
                else:
                    fallback = ctx.sentence_recipient(start)
                    if fallback is not None and (fallback.code is None or fallback.code != donor_code):
                        recipients, rank = [fallback.name], _entity_rank(fallback)
            shared = {
                "amount": amount, "unit": index, "donor": donor, "donor_code": donor_code,
                "donor_explicit": explicit, "is_total": is_total, "is_reward": reward, "rank": rank,
            }
            if each and len(recipients) > 1:
                for recipient in recipients:
                    found.append(Pledge(recipients=[recipient], spans=[amount.span], **shared))
                continue
            pledge = Pledge(recipients=recipients, spans=[amount.span], **shared)
            found.append(pledge)
            if recipients and not is_total:
                previous = pledge
        return found

    def _resolve_document(
        self, doc: Doc, pledges: list[Pledge], units: "_Units", orgs: list[Entity]
    ) -> list[Pledge]:
        """Cross-sentence rules: totals, later channels, inheritance, repeats."""
        by_unit: dict[int, list[Pledge]] = {}
        for pledge in pledges:
            by_unit.setdefault(pledge.unit, []).append(pledge)
        unit_order = sorted(by_unit)
        # A total beside its parts goes to the parts' recipients.
        for position, unit in enumerate(unit_order):
            group = by_unit[unit]
            for pledge in group:
                if not pledge.is_total or pledge.rank is not None and pledge.rank <= RANK_GROUP:
                    continue
                parts = [p for p in group if not p.is_total and p.recipients]
                if not parts and position + 1 < len(unit_order):
                    parts = [p for p in by_unit[unit_order[position + 1]] if not p.is_total and p.recipients]
                atoms = [r for p in parts for r in p.recipients]
                if atoms:
                    pledge.recipients = list(dict.fromkeys(atoms))
                    pledge.rank = min(p.rank for p in parts if p.rank is not None)
        # "The assistance will be delivered through the WFP" after the amount.
        for unit in unit_order:
            weak = [p for p in by_unit[unit] if p.rank is None or p.rank > RANK_ORG]
            if not weak:
                continue
            channel = None
            ahead = units.following(unit)
            for _ in range(CHANNEL_LOOKAHEAD):
                if ahead is None or ahead in by_unit:
                    break
                channel = _Sentence(self, doc, units.span(ahead), orgs).channel()
                if channel is not None:
                    break
                ahead = units.following(ahead)
            if channel is not None:
                for pledge in weak:
                    if channel.code is None or channel.code != pledge.donor_code:
                        pledge.recipients, pledge.rank = [channel.name], RANK_ORG
        # An amount with no recipient continues the one before it.
        previous: Optional[Pledge] = None
        for pledge in pledges:
            if (
                not pledge.recipients
                and not pledge.is_reward
                and previous is not None
                and previous.rank is not None
                and previous.rank <= RANK_COUNTRY
                and previous.donor == pledge.donor
                and units.within(previous.unit, pledge.unit, INHERIT_UNITS)
            ):
                pledge.recipients, pledge.rank = list(previous.recipients), previous.rank
            if pledge.recipients:
                previous = pledge
        # The same amount stated twice (headline and body) is one record.
        headline = units.following(0) if len(units) else None
        merged: list[Pledge] = []
        # Only equal sums can be twins: index by (amount, currency) so a long
        # document is not compared pledge against pledge.
        by_sum: dict[tuple, list[Pledge]] = {}
        for pledge in pledges:
            key = (pledge.amount.money.amount, pledge.amount.money.currency)
            bucket = by_sum.get(key, [])
            # A restatement is the headline or a nearby sentence: the first and
            # the latest few equal sums are enough, and keep this linear.
            near = bucket if len(bucket) <= TWIN_LOOKBACK else bucket[:5] + bucket[-TWIN_LOOKBACK:]
            twin = next((m for m in near if _same_pledge(m, pledge, headline)), None)
            if twin is None:
                merged.append(pledge)
                by_sum.setdefault(key, []).append(pledge)
                continue
            starts = {t.start for t in twin.spans}
            twin.spans.extend(s for s in pledge.spans if s.start not in starts)
            if not twin.recipients:
                twin.recipients, twin.rank = pledge.recipients, pledge.rank
            if twin.donor is None:
                twin.donor, twin.donor_code = pledge.donor, pledge.donor_code
        return merged

    # ----------------------------------------------------------------- orgs

    def _org_mentions(self, doc: Doc) -> list[Entity]:
        if ORG_KEY not in doc.spans:
            return []
        table = (doc._.records or {}).get(ORG_KEY, {})
        out = []
        for span in doc.spans[ORG_KEY]:
            name = _collapse((table.get(span.kb_id_) or {}).get("name") or span.text)
            out.append(Entity(span.start, span.end, "org", name, self._org_country(span.kb_id_, name)))
        out.sort(key=lambda e: e.start)
        return out

    def _org_country(self, key: str, name: str) -> Optional[str]:
        """The country an agency belongs to: a gazetteer key "kr_koica", or a
        country named in the name ("Korea International Cooperation Agency")."""
        match = re.match(r"^([a-z]{2})_", key or "")
        if match and self.countries.name_for(match.group(1).upper()):
            return match.group(1).upper()
        return self.name_country(name)

    def name_country(self, name: str) -> Optional[str]:
        if name not in self._name_codes:
            code = None
            words = name.replace("’s", "").replace("'s", "").split()
            for size in (3, 2, 1):
                for i in range(len(words) - size + 1):
                    code = self.countries.code_for(" ".join(words[i : i + size]))
                    if code:
                        break
                if code:
                    break
            self._name_codes[name] = code
        return self._name_codes[name]


def _same_pledge(a: Pledge, b: Pledge, headline: Optional[int]) -> bool:
    """Whether two amounts are one pledge stated twice: in the headline and
    the body, or restated with the same named donor or recipient. Two equal
    sums for different purposes, or "$100,000 each to A and B", are not."""
    ma, mb = a.amount.money, b.amount.money
    if ma.amount != mb.amount or ma.currency != mb.currency or a.amount is b.amount:
        return False
    if a.donor is not None and b.donor is not None and a.donor != b.donor:
        return False
    if a.amount.qualifier != b.amount.qualifier and a.amount.qualifier and b.amount.qualifier:
        return False
    ra = a.rank if a.rank is not None else 9
    rb = b.rank if b.rank is not None else 9
    # A recipient given as a phrase may restate one given as a name.
    named_and_phrase = min(ra, rb) <= RANK_COUNTRY and max(ra, rb) >= RANK_GROUP
    if a.recipients and b.recipients and a.recipient != b.recipient and not named_and_phrase:
        return False
    if headline is not None and min(a.unit, b.unit) < headline:
        return True
    if a.recipients and a.recipient == b.recipient and min(ra, rb) <= RANK_COUNTRY:
        return True
    return a.donor_explicit and b.donor_explicit


def _entity_rank(ent: Entity) -> int:
    return RANK_ORG if ent.kind == "org" else RANK_COUNTRY


_CLOSED = re.compile(r"[.!?:;]['\"’”)\]*]*$")
_LIST_MARKER = re.compile(r"^(?:[*•·°※‒–-]|\d{1,2}[.)])$")
_PARAGRAPH = re.compile(r"\n\s*\n")


class _Units:
    """Sentences, with those that do not end a sentence joined to the next.

    Hard-wrapped releases can reach the pipeline split at line ends ("the
    President announced a" / "$13.5 million disbursement from ..."); reading
    the amount needs the whole sentence. A blank line or a list marker always
    separates. Units are built lazily: only sentences near amounts are read.
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        if doc.has_annotation("SENT_START"):
            flags = doc.to_array(SENT_START)
            starts = numpy.nonzero(flags == 1)[0].tolist()
            if not starts or starts[0] != 0:
                starts.insert(0, 0)
        else:
            starts = [0]
        self.starts = starts + [len(doc)]
        self._closed_cache: dict[int, bool] = {}

    def __len__(self) -> int:
        return len(self.starts) - 1

    def index(self, token: int) -> int:
        """The unit (its first sentence's number) holding a token."""
        k = bisect_right(self.starts, token) - 1
        first = k
        while first > 0 and k - first < MAX_UNIT and not self._closed(first - 1):
            first -= 1
        return first

    def _last(self, first: int) -> int:
        last = first
        while last < len(self.starts) - 2 and last - first < MAX_UNIT and not self._closed(last):
            last += 1
        return last

    def span(self, first: int) -> Span:
        return self.doc[self.starts[first] : self.starts[self._last(first) + 1]]

    def within(self, first: int, later: int, steps: int) -> bool:
        """Whether unit ``later`` is at most ``steps`` units after ``first``."""
        unit: Optional[int] = first
        for _ in range(steps + 1):
            if unit is None or unit > later:
                return False
            if unit == later:
                return True
            unit = self.following(unit)
        return False

    def following(self, first: int) -> Optional[int]:
        """The unit after the one that starts at sentence ``first``."""
        nxt = self._last(first) + 1
        return nxt if nxt < len(self) else None

    def _closed(self, k: int) -> bool:
        """Whether sentence ``k`` really ends where the next one starts."""
        if k in self._closed_cache:
            return self._closed_cache[k]
        doc = self.doc
        start, end = self.starts[k], self.starts[k + 1]
        closed = True
        if end < len(doc):
            last = end - 1
            while last > start and doc[last].is_space:
                last -= 1
            nxt = end
            while nxt < len(doc) - 1 and doc[nxt].is_space:
                nxt += 1
            closed = bool(
                _CLOSED.search(doc[last].text)
                or _PARAGRAPH.search(doc[last + 1 : end + 1].text_with_ws)
                or _LIST_MARKER.match(doc[nxt].text)
            )
        self._closed_cache[k] = closed
        return closed


class _TokenView:
    """``doc[i]`` for the tokens of one unit without re-creating Token objects
    on every access (a hot path); slices and other indices go to the Doc."""

    def __init__(self, doc: Doc, span: Span) -> None:
        self.doc = doc
        self.start = span.start
        self.tokens = list(span)

    def __getitem__(self, i):
        if isinstance(i, int) and 0 <= i - self.start < len(self.tokens):
            return self.tokens[i - self.start]
        return self.doc[i]


class _Sentence:
    """Token-level reading of one unit (a sentence) that holds money."""

    def __init__(self, ex: PledgeExtractor, doc: Doc, sent: Span, orgs: list[Entity]) -> None:
        self.ex = ex
        self.doc = doc
        self.tok = _TokenView(doc, sent)
        self.sent = sent
        self.start = sent.start
        self.end = sent.end
        self.doc_orgs = orgs
        # Prefix counts over the sentence: words, hard and soft boundaries.
        words, hard, soft = [0], [0], [0]
        first_space = last_word = -1
        for token in self.tok.tokens:
            text = token.text
            if token.is_space:
                if first_space < 0:
                    first_space = token.i
            else:
                last_word = token.i
            words.append(words[-1] + (0 if token.is_space else 1))
            hard.append(hard[-1] + (1 if text in HARD_BOUNDARIES or _PARAGRAPH.search(text) else 0))
            soft.append(soft[-1] + (1 if text in SOFT_BOUNDARIES else 0))
        self._words, self._hard, self._soft = words, hard, soft
        # A space token between words: a phrase may be broken across lines.
        self.wrapped = 0 <= first_space < last_word
        self.entities = self._entities(orgs)
        self._starts = [e.start for e in self.entities]
        self._by_end = {e.end: e for e in self.entities}
        # Tokens inside a multi-word name, mapped to the name's end.
        self._covering = {k: e.end for e in self.entities if e.end - e.start > 1 for k in range(e.start + 1, e.end)}

    # --------------------------------------------------------------- geometry

    def gap(self, a: int, b: int) -> tuple[int, int, int]:
        i, j = a - self.start, b - self.start
        return (
            self._words[j] - self._words[i],
            self._hard[j] - self._hard[i],
            self._soft[j] - self._soft[i],
        )

    def lower(self, i: int) -> str:
        return self.tok[i].lower_ if self.start <= i < self.end else ""

    def word(self, i: int) -> str:
        return self.tok[i].text if self.start <= i < self.end else ""

    def next_word(self, i: int) -> int:
        """The first word at or after ``i`` (or the unit end); space tokens
        and Markdown emphasis ("**") are skipped."""
        while i < self.end and (self.tok[i].is_space or self.tok[i].text in MARKUP):
            i += 1
        return i

    def prev_word(self, i: int) -> int:
        """The last word before ``i`` (or ``start - 1``)."""
        i -= 1
        while i >= self.start and (self.tok[i].is_space or self.tok[i].text in MARKUP):
            i -= 1
        return i

    # ------------------------------------------------------------------ cues

    def cues(self) -> list[Cue]:
        out = []
        for match_id, start, end in self.ex.cue_matcher(self.sent, wrapped=self.wrapped):
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
            unit = self.lower(self.next_word(i + 1))
            return unit in {"month", "year", "day", "week", "gallon", "barrel", "hour", "person", "ton", "dose"}
        return False

    def attached_recipient(self, end: int) -> bool:
        """ "$300,000 to Mozambique", "$100,000 each to Zimbabwe": given to someone."""
        i = self.next_word(end)
        if self.lower(i) in self.ex.each_cues:
            i = self.next_word(i + 1)
        if self.lower(i) not in {"to", "for"}:
            return False
        ent = self.entity_at(i + 1)
        return ent is not None and ent.kind != "adjective"

    def attached_purpose(self, end: int) -> bool:
        """ "$372 million to replace the bridge", "$45.7 million for weatherization"."""
        i = self.next_word(end)
        word = self.lower(i)
        if word == "for":
            return True
        return word == "to" and not self.word(self.next_word(i + 1))[:1].isdigit() and self.lower(
            self.next_word(i + 1)
        ) not in {"$", "the", "a", "an"}

    def is_reward(self, start: int) -> bool:
        lo = max(self.start, start - 8)
        return any(self.tok[i].lower_ in self.ex.reward_cues for i in range(lo, start))

    def is_total(self, start: int, end: int) -> bool:
        lo = max(self.start, start - 4)
        before = {self.tok[i].lower_ for i in range(lo, start)}
        if before & {"total", "totaling", "totalling", "combined"}:
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
        for match_id, start, end in self.ex.country_matcher(self.sent, wrapped=self.wrapped):
            kind, code = self.doc.vocab.strings[match_id].split(":", 1)
            spans.append(Span(self.doc, start, end, label=kind, kb_id=code))
        # Where a form is both a name and an adjective ("UK", "U.S."), the name wins.
        spans.sort(key=lambda sp: sp.label_ != "name")
        for span in filter_spans(spans):
            kind = "country"
            if span.label_ == "adjective":
                # "the Korean government", "Japanese Prime Minister": the
                # adjective names the state; "North Korean defectors" does not.
                nxt = self.tok[self.next_word(span.end)] if self.next_word(span.end) < self.end else None
                state = nxt is not None and (
                    nxt.lower_ in self.ex.group_heads or nxt.text in self.ex.title_words
                )
                kind = "country" if state else "adjective"
            name = self.ex.countries.name_for(span.kb_id_) or span.text
            adjective = span.label_ == "adjective"
            found.append(Entity(span.start, span.end, kind, name, span.kb_id_, adjective))
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
        """Capitalised runs that name a body: "... Fund", "Ministry of ...",
        an acronym, or a name followed by "program" ("Rewards for Justice")."""
        doc = self.tok
        out: list[Entity] = []
        i = self.start
        heads = self.ex.org_heads
        while i < self.end:
            token = doc[i]
            if not token.text[:1].isupper() or not (_capitalised(token.text) or _is_acronym(token.text)):
                i += 1
                continue
            j = last_cap = i
            while j < self.end:
                t = doc[j]
                if t.is_space:
                    j += 1
                    continue
                if t.text[:1].isupper() and (_capitalised(t.text) or _is_acronym(t.text)):
                    last_cap = j
                    j += 1
                    continue
                if t.lower_ in CONNECTORS and t.text.islower():
                    j += 1
                    continue
                break
            start, end = i, last_cap + 1
            i = max(end, i + 1)
            if doc[start].lower_ == "the":
                start += 1
            if start >= end:
                continue
            words = [doc[k] for k in range(start, end) if not doc[k].is_space]
            text = _collapse(doc[start:end].text)
            if text in self.ex.non_acronyms or words[0].text in self.ex.title_words and len(words) == 1:
                continue
            if len(words) == 1 and doc[self.prev_word(start)].text == "(":
                continue  # "(ICRC)" belongs to the name before it
            head = words[-1].text
            follows = self.lower(self._skip_parenthetical(end))
            inner_head = any(w.text in heads and n.lower_ in {"of", "for"} for w, n in pairwise(words))
            if head in heads and len(words) >= 2 and (
                self.ex.countries.code_for_name(f"{words[-2].text} {head}")
                or words[-2].text in {"West", "East", "North", "South", "Left"}
            ):
                continue  # "West Bank" is a place, not a bank
            if not (
                head in heads
                or inner_head
                or (len(text.split()) == 1 and _is_acronym(text))
                or (follows in self.ex.program_heads and len(words) > 1)
            ):
                continue
            if len(words) == 1 and head in heads and self.lower(self.prev_word(start)) == "the":
                # "the Fund": the fund named before.
                earlier = self._named_before(start, head)
                if earlier is None:
                    continue
                text = earlier.name
            code = self.ex.name_country(text)
            out.append(Entity(start, end, "org", text, code))
        return out

    def _named_before(self, start: int, head: str) -> Optional[Entity]:
        best = None
        for org in self.doc_orgs:
            if org.start >= start:
                break
            if org.name.split()[-1] == head:
                best = org
        return best

    def _skip_parenthetical(self, i: int) -> int:
        """The first word at or after ``i``, past an "(ACRONYM)"."""
        i = self.next_word(i)
        if self.lower(i) == "(":
            k = i + 1
            while k < self.end and k < i + 6 and self.tok[k].text != ")":
                k += 1
            if k < self.end and self.tok[k].text == ")":
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

    def entity_ending_at(self, k: int) -> Optional[Entity]:
        """The entity whose last word is ``k`` (or whose possessive "'s" is)."""
        if self.word(k) in POSSESSIVE:
            k = self.prev_word(k)
        ent = self._by_end.get(k + 1)
        if ent is None:
            # The entity may end before trailing space tokens.
            j = self.next_word(k + 1)
            ent = self._by_end.get(j) if j != k + 1 else None
        return ent

    # ----------------------------------------------------------------- donor

    def governed(self, ent: Entity, depth: int = 0) -> bool:
        """Whether a preposition or verb governs the mention ("with
        Congress", "under DoD's Initiative", "to support the Amazon Fund"),
        so that it cannot be the subject. "Government of Japan" is no case."""
        k = self.prev_word(ent.start)
        for _ in range(5):
            word = self.lower(k)
            if word in ARTICLES:
                k = self.prev_word(k)
                continue
            if word in POSSESSIVE:
                owner = self.entity_ending_at(self.prev_word(k))
                k = self.prev_word(owner.start if owner is not None else self.prev_word(k))
                continue
            if word in {"(", "and", ",", "or"} and depth < 3:
                # An apposition or a conjunct shares its neighbour's role.
                before = self.prev_word(k)
                if word in {"and", "or"} and self.lower(before) == ",":
                    before = self.prev_word(before)  # "Ghana, Tanzania, and Zambia"
                owner = self.entity_ending_at(before)
                return owner is not None and self.governed(owner, depth + 1)
            if word == "of" and self.lower(self.prev_word(k)) in self.ex.group_heads:
                k = self.prev_word(self.prev_word(k))
                continue
            return word in PREPOSITIONS or word in self.ex.object_verbs
        return False

    def donor(
        self, start: int, end: int, money: list[tuple[int, int]]
    ) -> tuple[Optional[str], Optional[str]]:
        """Who gives the amount at ``start``-``end``: (name, country code)."""
        doc = self.tok
        verb = self._verb_before(start)
        requesting = verb is not None and doc[verb].lower_.startswith("request")
        # "$5 million from USAID", "a $530 million loan from the GCFF"
        if not requesting:
            found = self._donor_after(end, money)
            if found is not None:
                return found
        # "bring total U.S. military assistance to Ukraine to $8.2 billion"
        for ent in self.entities_between(verb + 1 if verb is not None else self.start, start):
            if ent.code and ent.kind != "org" and self._modifies_pledge_noun(ent) and not self.governed(ent):
                return ent.name, ent.code
        if verb is not None:
            if self.tok[verb].lower_ in self.ex.receive_verbs:
                return None, None  # "Georgia received $4.2 billion": the giver is not named
            found = self._subject(verb)
            if found is not None:
                return found if found[0] else (None, None)
        # "Korea's contribution of $200 million", "U.S. humanitarian aid ... $474 million"
        for ent in reversed(self.entities_between(self.start, start)):
            if (
                ent.code
                and ent.kind != "org"
                and not self.governed(ent)
                and (self.word(self.next_word(ent.end)) in POSSESSIVE or self._modifies_pledge_noun(ent))
            ):
                return ent.name, ent.code
        return None, None

    def _verb_before(self, start: int) -> Optional[int]:
        for k in range(start - 1, self.start - 1, -1):
            token = self.tok[k]
            word = token.lower_
            # "Fund" in "Global Equality Fund" is a name, not a verb.
            if (word in self.ex.give_verbs or word in self.ex.receive_verbs) and (
                token.is_lower or k == self.next_word(self.start)
            ):
                # "announcing funding of", "decided to provide": the chain's first verb.
                while True:
                    p = self.prev_word(k)
                    if self.lower(p) == "to":
                        p = self.prev_word(p)
                    if p >= self.start and self.lower(p) in self.ex.give_verbs and self.tok[p].is_lower:
                        k = p
                        continue
                    return k
        return None

    def _donor_after(
        self, end: int, money: list[tuple[int, int]]
    ) -> Optional[tuple[str, Optional[str]]]:
        doc = self.tok
        i, words = end, 0
        limit = min(self.end, end + 16)
        while i < limit:
            t = doc[i]
            if t.text in HARD_BOUNDARIES or t.text == "." or _starts_money(i, money, end):
                break
            if t.is_space:
                i += 1
                continue
            words += 1
            word = t.lower_
            if word in self.ex.recipient_preps and word != "for" or words > 6:
                break
            if word in self.ex.donor_preps:
                if word == "by" and not _is_participle(doc[self.prev_word(i)].lower_):
                    i += 1
                    continue
                ent = self.entity_at(i + 1)
                if ent is not None and ent.kind in {"country", "org"}:
                    after = self.lower(self._skip_parenthetical(ent.end))
                    if after not in self.ex.source_stops and ent.name not in self.ex.not_donors:
                        return self._joint(ent)
                    return None
                # "from governments and the private sector"
                j = self.next_word(i + 1)
                stop = self._phrase_end(j, money)
                phrase = [doc[k].lower_ for k in range(j, stop)]
                if any(w in self.ex.donor_groups for w in phrase):
                    return _collapse(doc[j:stop].text), None
            i += 1
        return None

    def _subject(self, verb: int) -> Optional[tuple[Optional[str], Optional[str]]]:
        """The giver named before the verb; ``(None, None)`` for "we"/"I"
        (the issuer), None when nothing is found."""
        doc = self.tok
        receiving = doc[verb].lower_ in self.ex.receive_verbs
        # "donors pledged", "partners have committed"
        k = self.prev_word(verb)
        while self.lower(k) in {"have", "has", "had", "will", "would", "also", "jointly", "collectively", "together"}:
            k = self.prev_word(k)
        if (
            self.lower(k) in self.ex.donor_groups
            and (self.word(k).islower() or k == self.next_word(self.start))
            and not receiving
        ):
            return doc[k].text, None
        if self.lower(k) in {"which", "that"}:
            # "Korea's contribution, which brings ...": the antecedent's owner.
            j = self.prev_word(k)
            if self.lower(j) == ",":
                j = self.prev_word(j)
            for ent in reversed(self.entities_between(max(self.start, j - 5), j + 1)):
                if ent.kind != "adjective" and not receiving:
                    return self._joint(ent)
        for k in range(verb - 1, max(self.start, verb - MAX_SUBJECT) - 1, -1):
            token = doc[k]
            if token.text == ";":
                break
            if token.lower_ in FIRST_PERSON:
                return None if receiving else (None, None)
            if token.lower_ in {"which", "who"} and k < verb - 1:
                # A relative clause's subject is its antecedent.
                j = self.prev_word(k)
                if self.lower(j) == ",":
                    j = self.prev_word(j)
                for ent in reversed(self.entities_between(max(self.start, j - 8), j + 1)):
                    if ent.kind != "adjective" and not receiving:
                        return self._joint(ent)
                return None
            if (
                token.lower_ in {"government", "ministry"}
                and self.lower(self.prev_word(k)) == "the"
                and self.lower(self.next_word(k + 1)) != "of"
            ):
                # "the Government will provide": the issuing government.
                return None if receiving else (None, None)
            if (
                token.lower_ in self.ex.program_heads
                and self.lower(self.prev_word(k)) in {"the", "this"}
                and self.entity_ending_at(k) is None
                and not receiving
            ):
                # "the program has paid ...": the programme named earlier.
                named = _last_programme(doc[: token.i].text, token.lower_)
                if named:
                    return named, None
            ent = self._by_end.get(k + 1)
            if ent is None or ent.kind == "adjective":
                continue
            if self._agent(ent) and not receiving:
                # "the pledge by Saudi Arabia and the UAE to provide"
                return self._joint(ent)
            if ent.name in self.ex.not_donors:
                continue
            if self.governed(ent) and not self._right_before(ent.end, verb):
                continue
            if receiving:
                return None
            if self._administration(ent):
                return None, None
            return self._joint(ent)
        return None

    def _right_before(self, end: int, verb: int) -> bool:
        """ "... and Germany announcing": the mention is the verb's subject."""
        k = self.next_word(end)
        while k < verb and self.lower(k) in AUXILIARIES | {"has", "have", "had", "be", "been"}:
            k = self.next_word(k + 1)
        return k == verb

    def _agent(self, ent: Entity) -> bool:
        """Whether "by" after a pledge noun or participle introduces the mention."""
        k = self.prev_word(ent.start)
        while self.lower(k) in ARTICLES or self.lower(k) in {"and", ","}:
            if self.lower(k) in {"and", ","}:
                other = self.entity_ending_at(self.prev_word(k))
                if other is None:
                    return False
                k = self.prev_word(other.start)
            else:
                k = self.prev_word(k)
        if self.lower(k) != "by":
            return False
        before = self.lower(self.prev_word(k))
        return before in {"pledge", "pledges", "commitment", "commitments", "contribution", "contributions",
                          "announcement", "donation", "donations", "offer"} or (
            _is_participle(before) and before in self.ex.give_verbs
        )

    def _administration(self, ent: Entity) -> bool:
        """ "the Biden-Harris Administration": the issuing government."""
        words = ent.name.replace("⁠", "").split()
        return (
            ent.kind == "org"
            and words[-1] == "Administration"
            and (len(words) == 1 or all(w in self.ex.leader_names for w in words[:-1]))
        )

    def _modifies_pledge_noun(self, ent: Entity) -> bool:
        k = ent.end
        for _ in range(3):
            k = self.next_word(k)
            if self.lower(k) in PLEDGE_NOUNS:
                return True
            k += 1
        return False

    def _joint(self, ent: Entity) -> tuple[str, Optional[str]]:
        """ "the United States and Japan": a subject of several countries."""
        if not ent.code or ent.kind == "org":
            return ent.name, ent.code
        names = [ent.name]
        k = ent.start
        while True:
            p = self.prev_word(k)
            if self.lower(p) == "the":
                p = self.prev_word(p)
            if self.lower(p) not in {"and", ","}:
                break
            q = self.prev_word(p)
            if self.lower(q) == ",":
                q = self.prev_word(q)
            other = self._by_end.get(q + 1) if q >= self.start else None
            if other is None or not other.code or other.kind != "country":
                break
            names.insert(0, other.name)
            k = other.start
        k = ent.end
        while True:
            p = self.next_word(k)
            if self.lower(p) not in {"and", ","}:
                break
            q = self.next_word(p + 1)
            if self.lower(q) == "and":
                q = self.next_word(q + 1)
            other = self.entity_at(q)
            if other is None or not other.code or other.kind != "country":
                break
            names.append(other.name)
            k = other.end
        return join_names(names), (ent.code if len(names) == 1 else None)

    # ------------------------------------------------------------- recipient

    def worth_fund(self, start: int) -> Optional[str]:
        """ "Action with Women and Peace Fund (worth $2 million)": the fund."""
        i = self.prev_word(start)
        if self.lower(i) != "worth":
            return None
        i = self.prev_word(i)
        if self.lower(i) in {"(", ","}:
            i = self.prev_word(i)
        ent = self.entity_ending_at(i)
        if ent is not None and ent.kind == "org":
            return ent.name
        if i >= self.start and self.tok[i].text in self.ex.fund_heads:
            k = i
            while k - 1 >= self.start and (
                _capitalised(self.tok[k - 1].text) or self.tok[k - 1].lower_ in CONNECTORS
            ):
                k -= 1
            while self.tok[k].lower_ in CONNECTORS and k < i:
                k += 1
            return _collapse(self.tok[k : i + 1].text)
        return None

    def recipients(
        self,
        start: int,
        end: int,
        money: list[tuple[int, int]],
        donor_code: Optional[str],
        reward: bool,
    ) -> tuple[list[str], Optional[int], bool]:
        """Recipients of an amount, how they were named, and whether the
        amount goes to each of them."""
        fund = self.worth_fund(start)
        if fund:
            return [fund], RANK_ORG, False
        receiver = self.receiving_subject(start)
        if receiver is not None:
            return receiver[1], receiver[0], False
        doc = self.tok
        i = self.next_word(end)
        each = self.lower(i) in self.ex.each_cues
        best: Optional[tuple[int, list[str]]] = None
        best_end = -1
        limit = min(self.end, end + MAX_RIGHT)
        while i < limit:
            t = doc[i]
            word = t.lower_
            inside = self._covering.get(i)
            if inside is not None:
                i = inside  # "Agency for International Development": no preposition of ours
                continue
            if word == "(":
                closing = self._skip_parenthetical(i)
                if closing != i:
                    i = closing
                    continue
            if t.text in HARD_BOUNDARIES or t.text == "." or _starts_money(i, money, end):
                break
            if word == "," and self._new_clause(i):
                break
            if word in self.ex.each_cues:
                each = True
            if word in self.ex.recipient_preps or word == "in":
                found, phrase_end = self._after_preposition(i, word, reward, money, donor_code)
                if found is not None and (best is None or found[0] < best[0]) and not (
                    best is not None and found[0] == RANK_GROUP and i != best_end
                ):
                    # A later "to <phrase>" continues the purpose before it,
                    # unless it follows the purpose directly ("for food
                    # security assistance to African countries").
                    best, best_end = found, phrase_end
                    if best[0] == RANK_ORG:
                        break
                # Prepositions inside the phrase just read belong to it.
                i = max(i + 1, phrase_end if found is not None else i + 1)
                continue
            i += 1
        if best is not None and best[0] < RANK_PURPOSE:
            return best[1], best[0], each
        left = self._recipient_before(start, money, reward, best is None)
        if left is not None:
            return left[1], left[0], each
        if best is not None:
            return best[1], best[0], each
        return [], None, each

    def receiving_subject(self, start: int) -> Optional[tuple[int, list[str]]]:
        """ "44 colleges were awarded nearly $1.5 million", "Georgia received
        $4.2 billion": the subject receives."""
        v = self.prev_word(start)
        for _ in range(5):
            if self.lower(v) not in AMOUNT_LEAD:
                break
            v = self.prev_word(v)
        word = self.lower(v)
        if word in self.ex.receive_verbs and self.tok[v].is_lower:
            aux = v
            while self.lower(self.prev_word(aux)) in AUXILIARIES | {"be", "been", "being"}:
                aux = self.prev_word(aux)
        elif word in self.ex.give_verbs and _is_participle(word):
            aux = self.prev_word(v)
            if self.lower(aux) in {"also", "already", "jointly"}:
                aux = self.prev_word(aux)
            if self.lower(aux) not in {"was", "were", "been", "being", "is", "are"}:
                return None
        else:
            return None
        end = self.prev_word(aux) + 1
        while self.lower(end - 1) in {"also", "already", "recently", "previously"}:
            end = self.prev_word(end - 1) + 1
        while self.lower(end - 1) in {"have", "has", "had", "will", "be"}:
            end = self.prev_word(end - 1) + 1
        k = end - 1
        first = end
        while k >= self.start and end - k <= 12:
            t = self.tok[k]
            if t.text in PHRASE_PUNCT or t.lower_ in {"that", "which", "who", "where", "when"}:
                break
            if not t.is_space:
                first = k
            k -= 1
        if self.lower(first) in ARTICLES:
            first = self.next_word(first + 1)
        if first >= end:
            return None
        ent = self.entity_at(first)
        if ent is not None and ent.end >= end and ent.kind in {"country", "org"}:
            return _entity_rank(ent), [ent.name]
        return RANK_GROUP, [_collapse(self.tok[first:end].text)]

    def _new_clause(self, comma: int) -> bool:
        """ ", and will increase ...", ", which ...": the amount's phrase is over."""
        nxt = self.next_word(comma + 1)
        word = self.lower(nxt)
        if word in {"which", "while", "whereas", "but", "who", "where"}:
            return True
        if word.endswith("ing") and word not in {"including", "totaling", "totalling", "according"}:
            return True  # ", improving our ability to ...", ", bringing the total to ..."
        if word == "and":
            return self.lower(self.next_word(nxt + 1)) in AUXILIARIES
        return False

    def _recipient_before(
        self, start: int, money: list[tuple[int, int]], reward: bool, purpose_too: bool
    ) -> Optional[tuple[int, list[str]]]:
        """A recipient named before the amount: "assistance to Ukraine to $8.2
        billion", "a grant agreement with the Government of Ethiopia for a
        $10 million project", "UNHCR's appeal", or (``purpose_too``) a
        purpose ("to boost fertilizer production through a $500 million program")."""
        doc = self.tok
        purpose: Optional[list[str]] = None
        for k in range(start - 1, max(self.start, start - 20) - 1, -1):
            t = doc[k]
            word = t.lower_
            if t.text in HARD_BOUNDARIES or (
                (k + 1) in money.ends if isinstance(money, _MoneySpans) else any(e == k + 1 for _s, e in money)
            ):
                break
            if word in self.ex.give_verbs and k < start - 1 and self.lower(k - 1) != "to":
                break  # the amount's own verb: what comes before is another clause
            if word in {"to", "for", "in"}:
                ent = self.entity_at(k + 1)
                if ent is not None and ent.kind in {"country", "org"} and ent.name not in self.ex.not_donors:
                    return _entity_rank(ent), [ent.name]
                if purpose_too and purpose is None and not reward and word in {"to", "for"}:
                    purposeful = word == "for" or self.lower(self.next_word(k + 1)) in self.ex.purpose_verbs
                    found, _ = self._after_preposition(k, word, reward, money, None)
                    if found is not None and found[0] == RANK_PURPOSE and purposeful:
                        purpose = found[1]
            if word == "with" and any(
                self.lower(x) in self.ex.agreement_words for x in range(max(self.start, k - 3), k)
            ):
                # A grant agreement with a government names the receiving country.
                ent = self.entity_at(k + 1)
                if ent is not None and ent.kind == "country":
                    return RANK_COUNTRY, [ent.name]
                j = self.next_word(k + 1)
                if self.lower(j) == "the":
                    j = self.next_word(j + 1)
                if self.lower(j) in self.ex.group_heads and self.lower(self.next_word(j + 1)) == "of":
                    ent = self.entity_at(self.next_word(j + 1) + 1)
                    if ent is not None and ent.code:
                        return RANK_COUNTRY, [ent.name]
            if word in POSSESSIVE:
                ent = self.entity_ending_at(k)
                if ent is not None and ent.kind == "org":
                    return RANK_ORG, [ent.name]
        return (RANK_PURPOSE, purpose) if purpose else None

    def _after_preposition(
        self,
        i: int,
        prep: str,
        reward: bool,
        money: list[tuple[int, int]],
        donor_code: Optional[str],
    ) -> tuple[Optional[tuple[int, list[str]]], int]:
        """What a preposition names, ranked, and where its phrase ends."""
        doc = self.tok
        if prep == "to" and self.lower(self.prev_word(i)) in NOT_RECIPIENT_TO:
            return None, i + 1  # "open to researchers", "due to", "in response to"
        if (
            prep == "to"
            and _capitalised(self.word(self.prev_word(i)))
            and _capitalised(self.word(self.next_word(i + 1)))
            and self.entity_at(i + 1) is None
        ):
            return None, i + 1  # "Call to Action", a name
        j = self.next_word(i + 1)
        purpose = prep == "for"
        if prep == "to" and (self.lower(j).endswith("ly") or self.lower(j) in {"further", "also", "better"}):
            j = self.next_word(j + 1)  # "to directly help", "to urgently reach"
        if prep == "to" and self.lower(j) in self.ex.purpose_verbs:
            purpose = True
            j = self.next_word(j + 1)
            if self.lower(j) in {"in", "into", "on"}:
                j = self.next_word(j + 1)  # "to invest in X"
            # "to help build", "to support and strengthen"
            if self.lower(j) == "and" and self.lower(self.next_word(j + 1)) in self.ex.purpose_verbs:
                j = self.next_word(self.next_word(j + 1) + 1)
            elif self.lower(self.prev_word(j)) in {"help", "helps"} and self.lower(j) in self.ex.purpose_verbs:
                j = self.next_word(j + 1)
        phrase_end = self._phrase_end(j, money)
        if phrase_end <= j:
            return None, j
        ents = [e for e in self.entities_between(j, phrase_end) if e.kind in {"org", "country"}]
        for org in (e for e in ents if e.kind == "org"):
            if org.name in self.ex.not_donors:
                continue  # "a budget request to Congress"
            if prep in {"through", "via", "by"} and donor_code and org.code == donor_code:
                continue  # the donor's own agency ("through KOICA") delivers, not receives
            if self.gap(j, org.start)[0] > 4 and self.word(self.next_word(org.end)) not in POSSESSIVE:
                continue  # "to apply principles across Department efforts"
            return (RANK_ORG, [org.name]), phrase_end
        first = j
        if self.lower(first) in ARTICLES:
            first = self.next_word(first + 1)
        # The phrase as written keeps "those" ("those affected by ..."), not "the".
        shown = first if self.lower(j) in {"the", "a", "an"} or first == j else j
        countries = [e for e in ents if e.code and e.kind == "country"]
        if countries and countries[0].start == first and countries[0].adjective:
            head = self.lower(self.next_word(countries[0].end))
            if head not in {"government", "administration"}:
                # "the Palestinian people in Gaza": the group as written.
                return (RANK_GROUP, [_collapse(doc[first:phrase_end].text)]), phrase_end
        if countries and countries[0].start == first and self._qualifies(countries[0]):
            countries = []  # "for U.S. Government programs", "to U.S. embassies": a modifier
        if countries and countries[0].start == first:
            group = [countries[0]]
            k = countries[0].end
            while True:
                p = self.next_word(k)
                word = self.lower(p)
                if word not in {"and", ",", "or"}:
                    break
                q = self.next_word(p + 1)
                if self.lower(q) == "and":
                    q = self.next_word(q + 1)
                other = self.entity_at(q)
                if other is None or not other.code or other.kind != "country":
                    # "Ukraine and its neighbors": the group as written.
                    if word == "and" and self.lower(q) in {"its", "their", "neighboring", "neighbouring", "other"}:
                        return (RANK_COUNTRY, [_collapse(doc[first:phrase_end].text)]), phrase_end
                    break
                group.append(other)
                k = other.end
            return (RANK_COUNTRY, [g.name for g in group]), phrase_end
        if countries and purpose and not self._group_phrase(j, countries[0].start):
            # "to address child malnutrition in Ecuador": the country receives.
            return (RANK_COUNTRY, [countries[0].name]), phrase_end
        if prep in {"in", "through", "via"} or reward:
            return None, phrase_end
        words = [doc[k] for k in range(first, phrase_end) if not doc[k].is_space]
        if not words or words[0].text[:1] in "$€£¥₩":
            return None, phrase_end
        if words[0].like_num and (len(words) == 1 or re.fullmatch(r"(?:19|20)\d\d\S*", words[0].text)):
            return None, phrase_end  # "for 2024-2028", "to 2030"
        if any(w.lower_ in self.ex.time_words for w in words[-2:]) or words[0].lower_ in {"next", "last", "past", "first"}:
            return None, phrase_end
        if all(w.lower_ in DETERMINERS or w.lower_ in FILLERS for w in words):
            return None, phrase_end  # "to provide another $100 million"
        if prep == "to" and not purpose:
            opener = doc[j]
            if not (
                opener.lower_ in DETERMINERS
                or opener.like_num
                or _capitalised(opener.text)
                or any(
                    doc[x].lower_ in GROUP_WORDS or _plural_noun(doc[x].lower_)
                    for x in range(j, min(phrase_end, j + 3))
                )
            ):
                # "to focus on ...": an unlisted verb, its object is a purpose.
                j = self.next_word(j + 1)
                phrase_end = max(j, self._phrase_end(j, money))
                rest = [doc[k] for k in range(j, phrase_end) if not doc[k].is_space]
                if not rest or all(w.lower_ in DETERMINERS or w.lower_ in FILLERS for w in rest):
                    return None, phrase_end
                return (RANK_PURPOSE, [_collapse(doc[j:phrase_end].text)]), phrase_end
            return (RANK_GROUP, [_collapse(doc[shown:phrase_end].text)]), phrase_end
        return (RANK_PURPOSE, [_collapse(doc[shown:phrase_end].text)]), phrase_end

    def _qualifies(self, ent: Entity) -> bool:
        """Whether a country name modifies the noun after it: a capitalised
        name ("U.S. Government programs") or, for forms that are also
        adjectives ("U.S.", "UK"), any noun ("U.S. embassies")."""
        nxt = self.next_word(ent.end)
        word = self.word(nxt)
        if not word or word in POSSESSIVE or self.lower(nxt) in PREPOSITIONS | {"and", "or"}:
            return False
        if _capitalised(word):
            return True
        surface = _collapse(self.doc[ent.start : ent.end].text)
        return word.isalpha() and word.islower() and self.ex.countries.code_for_adjective(surface) is not None

    def _group_phrase(self, a: int, b: int) -> bool:
        """Whether words before a country name people ("the Palestinian
        people in Gaza"), so the phrase is the recipient as written."""
        return any(self.lower(k) in GROUP_WORDS for k in range(a, b))

    def _phrase_end(self, j: int, money: list[tuple[int, int]]) -> int:
        """Where a recipient or purpose phrase starting at ``j`` ends."""
        doc = self.tok
        k = j
        count = 0
        while k < self.end and count < MAX_PHRASE:
            t = doc[k]
            if t.is_space or t.text in MARKUP:
                k += 1
                continue
            word = t.lower_
            if t.text in PHRASE_PUNCT or _starts_money(k, money, -1):
                break
            if "/" in t.text or "](" in t.text or word.startswith(("http", "www.")):
                break  # a link's address is not part of the phrase
            if k > j:
                nxt_i = self.next_word(k + 1)
                nxt = self.lower(nxt_i)
                if word in self.ex.stop_words and not (
                    word == "by" and _is_participle(doc[self.prev_word(k)].lower_)
                    or word == "to" and self.lower(self.prev_word(k)) == "access"
                ):
                    break
                if (word, nxt) in self.ex.stop_bigrams:
                    break
                if word == "and" and (
                    nxt in self.ex.purpose_verbs and nxt not in {"aid", "support"}
                    or nxt in self.ex.give_verbs and nxt not in PLEDGE_NOUNS
                ):
                    break  # "... roads and bridges and support major projects", "... and plans to"
                if word in {"for", "in", "by", "from", "until", "through"} and nxt_i < self.end and (
                    doc[nxt_i].like_num or nxt in MONTHS or nxt in self.ex.time_words
                ):
                    break  # "... for 2024-2028", "... in March"
            count += 1
            k += 1
        while k > j and (doc[k - 1].is_space or doc[k - 1].lower_ in CONNECTORS | POSSESSIVE | MARKUP | ARTICLES):
            k -= 1
        return k

    def sentence_recipient(self, start: int) -> Optional[Entity]:
        """A country or organisation the unit gives to ("... to Ukraine")."""
        for ent in self.entities:
            if ent.kind not in {"country", "org"} or ent.name in self.ex.not_donors:
                continue
            before = self.prev_word(ent.start)
            if self.lower(before) == "the":
                before = self.prev_word(before)
            if self.lower(before) in {"to", "for"} and self._before_pledge_noun(before):
                return ent
        return None

    def _before_pledge_noun(self, prep: int) -> bool:
        """ "assistance to Ukraine", "support for UNHCR", "doses to Indonesia"."""
        word = self.lower(self.prev_word(prep))
        return word in PLEDGE_NOUNS or word in GIVEN_THINGS or word in self.ex.give_verbs

    def channel(self) -> Optional[Entity]:
        """ "The assistance will be delivered through the World Food Programme":
        the organisation that receives an amount named just before."""
        i = self.next_word(self.start)
        while i < self.end and (
            self.word(i) in {"°", "-", "*", "•", "※", ".", ")"} or re.match(r"^\d{1,2}[.)]?$", self.word(i))
        ):
            i = self.next_word(i + 1)
        if self.lower(i) not in {"the", "this", "these", "such"}:
            return None
        k = self.next_word(i + 1)
        for _ in range(3):
            if self.lower(k) in self.ex.channel_subjects:
                break
            k = self.next_word(k + 1)
        else:
            return None
        for j in range(k, min(self.end, k + 12)):
            if self.lower(j) in {"through", "via", "to"}:
                ent = self.entity_at(j + 1)
                if ent is not None and ent.kind == "org":
                    return ent
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


class _MoneySpans(list):
    """(start, end) token spans of amounts, with lookups by start and end, so
    boundary checks cost O(1) instead of a scan of every amount."""

    def __init__(self, spans) -> None:
        super().__init__(spans)
        self.starts: dict[int, set[int]] = {}
        for start, end in self:
            self.starts.setdefault(start, set()).add(end)
        self.ends = {end for _start, end in self}


def _starts_money(i: int, money: list[tuple[int, int]], own_end: int) -> bool:
    if isinstance(money, _MoneySpans):
        ends = money.starts.get(i)
        return bool(ends) and any(e != own_end for e in ends)
    return any(s == i for s, e in money if e != own_end)


def _capitalised(text: str) -> bool:
    """ "Fund", "U.S.", "Co-operation" (not "$5", not "the")."""
    return text[:1].isupper() and any(c.isalpha() for c in text) and all(
        c.isalpha() or c in ".-'’&" for c in text
    )


def _is_acronym(text: str) -> bool:
    """ "UNHCR", "P4G", "G7" (at least two capitals, no lower-case run)."""
    core = text.replace("-", "").replace("&", "")
    capitals = sum(c.isupper() for c in core)
    return 2 <= len(core) <= 8 and core.isalnum() and capitals >= 2 and core == core.upper() or (
        len(core) in (2, 3) and core[0].isupper() and core[1:].isdigit()
    )


def _inflect(words: Iterable[str]) -> frozenset:
    """The forms listed plus their regular inflections ("disburse" gives
    "disburses", "disbursed", "disbursing"); irregular forms are listed."""
    out = set()
    for word in words:
        out.add(word)
        if " " in word or not word.isalpha() or word.endswith(("ed", "ing")):
            continue
        stem = word[:-1] if word.endswith("e") and not word.endswith("ee") else word
        out.update({word + "s", stem + "ed" if not word.endswith("e") else word + "d", stem + "ing"})
    return frozenset(out)


def _plural_noun(word: str) -> bool:
    """ "partnerships", not "focus" or "address" (verbs after "to" are bare)."""
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _is_participle(word: str) -> bool:
    return word.endswith("ed") or word in {"given", "lent", "paid", "made", "offered", "granted", "hit"}


@Language.factory(
    "extractor_pledges",
    assigns=["doc.spans"],
    default_config={
        "patterns": "money_patterns.jsonl",
        "currencies": "currencies.json",
        "cues": "pledge_cues.json",
        "countries": "countries.jsonl",
        "threshold": 0.1,
        "min_amount": 10000.0,
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
    """The pledge component (see the module docstring)."""
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
