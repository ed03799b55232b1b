"""Organisations: named bodies, one record per organisation per document.

Mentions come from three sources, all compiled once in ``__init__``:

* the gazetteer ``models/organisations.jsonl`` through two ``PhraseMatcher``s:
  forms of two words or more match case-insensitively (``LOWER``), single
  words and acronyms only as written (``ORTH``), so "who" and "un" do not;
* rules in ``models/organisation_patterns.jsonl``: a ``Matcher`` finds an
  anchor ("Ministry of", "Office of", a head noun such as "Council" or
  "Agency", "the Council") and the rule's ``left``/``right`` mode grows it over
  capitalised words ("Government Accountability Office", "Ministry of
  Economy, Trade and Industry", "U.S. Embassy in Kyiv");
* acronym definitions found by :mod:`extractor.acronyms`, which tie "(OHCHR)"
  and later "OHCHR" to the long form before it.

Then: longest non-overlapping spans win (the gazetteer on ties); countries,
programmes and other non-bodies are dropped; mentions are merged into records
(gazetteer id, acronym definitions, short references such as "the Council" to
the latest organisation whose name ends in "Council").

Output follows :mod:`extractor.extensions`: ``doc.spans["organisations"]``
holds every mention (``kb_id_`` the record key, ``id_`` the rule, e.g.
``gazetteer:unhcr`` or ``pattern:ministry_of``) and
``doc._.records["organisations"]`` one ``{"name", "acronym", "aliases"}`` dict
per record, in order of first mention.

Hard-wrapped text ("Department of\\nEnergy") is matched on a view of the Doc
without the single-newline tokens inside a sentence.
"""
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Optional

import numpy

from spacy.attrs import IS_SPACE, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from ..acronyms import FUNCTION_WORDS, Definition, is_acronym, iter_definitions
from ..assets import read_jsonl
from ..extensions import records as record_table
from ..gazetteers import Countries, OrgEntry, load_countries, read_organisations
from ..gazetteers import fold as _fold_text

LIST_NAME = "organisations"
GAZETTEER = "gazetteer"
PATTERN = "pattern"
ACRONYM = "acronym"
SHORT_REFERENCE = "short_reference"
US_FORMS = ("U.S.", "US", "United States", "U.S", "USA")
# Gazetteer types whose names take a leading "U.S." ("U.S. Department of Defense").
US_PREFIXABLE = frozenset({"ministry", "agency", "bank"})
# Words after which a name must follow ("Ministry of ...", "Office for ...").
COMPLEMENT_STARTS = frozenset({"of", "for", "on", "to", "against"})
# Words that may join a complement to a head ("Council on Foreign Relations");
# not "to", which mostly starts a verb in a title ("Group to Conduct").
HEAD_COMPLEMENTS = frozenset({"of", "for", "on", "against"})
POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
# A place after "Embassy in" is at most this many capitalised words.
MAX_PLACE_WORDS = 3
SENTENCE_END = re.compile(r"[.!?:;]['\"’”)]*$")
# Word pieces that a hyphen joins to a lower-case word inside a name ("Co-operation").
HYPHEN_PREFIXES = frozenset({"Co", "Non", "Sub", "Anti", "Inter", "Multi", "Pan", "Trans", "Counter", "Self", "Intra"})
_MARKUP = re.compile(r"[\[\]<>()|*_#=@/\\]|https?:")


def _nameish(text: str) -> bool:
    """Whether a token can be part of a name (no markup, link or bracket)."""
    return not _MARKUP.search(text) or text in {"&", "/"}


# Heads that do not take a country adjective into the name.
NO_ADJECTIVE = frozenset({"Ministry", "Ministries", "Department"})
# Tokens read on each side of a "(" when looking for an acronym definition.
PAREN_WINDOW = 24
# "Office of the ..." may name a title in its first words ("... U.S. Trade Representative").
TITLED_WORDS = 3
# A grown span is at most this many tokens.
MAX_TOKENS = 16


@dataclass
class Rule:
    id: str
    left: str = "none"
    right: str = "none"
    min_left: int = 0


@dataclass
class Candidate:
    start: int  # token offsets in the matching view
    end: int
    source: str  # gazetteer | pattern | acronym | short_reference
    rule: str
    org_id: Optional[str] = None  # gazetteer id
    priority: int = 0


@dataclass
class _Record:
    key: str
    entry: Optional[OrgEntry]
    forms: list = field(default_factory=list)  # texts in mention order
    acronym: Optional[str] = None


def normalise(text: str) -> str:
    """A mention's text as a name: one space between words, no leading "the", no possessive."""
    text = " ".join(text.split())
    if text[:4].lower() == "the ":
        text = text[4:]
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.strip(" ,;:")


def record_fields(forms: Iterable[str], acronym: Optional[str]) -> dict:
    """``name``, ``acronym`` and ``aliases`` of a record from the forms written in the document.

    The name is the longest form that is not the acronym; when only the
    acronym is written, the name is the acronym.
    """
    seen: dict[str, str] = {}
    for form in forms:
        seen.setdefault(fold(form), form)
    unique = list(seen.values())
    if acronym is None:
        acronyms = [f for f in unique if " " not in f and is_acronym(f)]
        acronym = acronyms[0] if acronyms else None
    names = [f for f in unique if f != acronym]
    name = max(names, key=len) if names else acronym
    aliases = [f for f in unique if f != name and f != acronym]
    return {"name": name, "acronym": acronym, "aliases": aliases}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """:func:`extractor.gazetteers.fold`, cached: the same names recur across documents."""
    return _fold_text(text)


def literal_phrases(pattern: list[dict]) -> Optional[list[list[str]]]:
    """The word sequences a Matcher pattern of literal ORTH/LOWER tokens matches, or None.

    ``{"LOWER": "the"}`` stands for "the", "The" and "THE".
    """
    phrases: list[list[str]] = [[]]
    for spec in pattern:
        if len(spec) != 1:
            return None
        (attr, value), = spec.items()
        if attr not in ("ORTH", "LOWER"):
            return None
        if isinstance(value, dict):
            if set(value) != {"IN"}:
                return None
            values = list(value["IN"])
        else:
            values = [value]
        if attr == "LOWER":
            values = list(dict.fromkeys(v for w in values for v in (w, w.capitalize(), w.upper())))
        phrases = [p + [v] for p in phrases for v in values]
    return phrases


class OrganisationRecognizer:
    """Finds organisation mentions and merges them into records."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        organisations: str,
        patterns: str,
        countries: str,
        spans_key: str = LIST_NAME,
    ) -> None:
        self.name = name
        self.spans_key = spans_key
        self.open_paren = nlp.vocab.strings.add("(")
        self.close_paren = nlp.vocab.strings.add(")")
        self.entries: dict[str, OrgEntry] = {}
        self.countries: Countries = load_countries(countries)
        self._build_gazetteer(nlp, read_organisations(organisations))
        self._build_rules(nlp, list(read_jsonl(patterns)))
        self.country_forms = frozenset(
            fold(form) for form, _code, _kind in self.countries.forms()
        )

    # -- set-up -----------------------------------------------------------

    def _build_gazetteer(self, nlp: Language, entries: list[OrgEntry]) -> None:
        self.phrase_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phrase_orth = PhraseMatcher(nlp.vocab, attr="ORTH")
        vocab_words: set[str] = set()
        self.exact_forms: set[str] = set()
        for entry in entries:
            self.entries[entry.id] = entry
            forms = [entry.name, *entry.aliases] + ([entry.acronym] if entry.acronym else [])
            lower, orth = [], []
            for form in dict.fromkeys(forms):
                self.exact_forms.add(form)
                doc = nlp.make_doc(form)
                (lower if len(doc) >= 2 else orth).append(doc)
                vocab_words.update(t.lower_ for t in doc)
            key = f"{GAZETTEER}:{entry.id}"
            if lower:
                self.phrase_lower.add(key, lower)
            if orth:
                self.phrase_orth.add(key, orth)
        self.gazetteer_vocab = vocab_words

    def _build_rules(self, nlp: Language, rows: list[dict]) -> None:
        # Anchors made only of literal words go to a PhraseMatcher: the
        # Matcher's set predicates ("ORTH": {"IN": [...]}) cost a Python call
        # per token, which was most of the component's time.
        self.matcher = Matcher(nlp.vocab)
        self.anchor_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.rules: dict[str, Rule] = {}
        lists: dict[str, frozenset] = {}
        heads: set[str] = set()
        for row in rows:
            if "words" in row:
                lists[row["id"].removeprefix("list:")] = frozenset(row["words"])
                continue
            rule = Rule(
                id=row["id"],
                left=row.get("left", "none"),
                right=row.get("right", "none"),
                min_left=int(row.get("min_left", 0)),
            )
            self.rules[rule.id] = rule
            key = f"{PATTERN}:{rule.id}"
            phrases = literal_phrases(row["pattern"])
            if phrases is None:
                self.matcher.add(key, [row["pattern"]])
            else:
                self.anchor_matcher.add(key, [Doc(nlp.vocab, words=words) for words in phrases])
            if rule.id == SHORT_REFERENCE:
                self.short_heads = frozenset(row["pattern"][-1]["ORTH"]["IN"])
            elif rule.id in ("head_final", "head_first"):
                heads.update(row["pattern"][0]["ORTH"]["IN"])
        if not hasattr(self, "short_heads"):
            self.short_heads = frozenset()
        self.heads = frozenset(heads) | lists.get("name_ends", frozenset())
        self.connectors = lists.get("connectors", frozenset())
        self.title_words = lists.get("title_words", frozenset())
        self.left_stop = lists.get("left_stop", frozenset())
        self.generic = lists.get("generic_modifiers", frozenset())
        self.not_orgs = frozenset(fold(w) for w in lists.get("not_organisations", ()))
        self.vocab = (
            lists.get("vocab", frozenset())
            | frozenset(self.gazetteer_vocab)
            | frozenset(
                w.lower()
                for form, _c, _k in self.countries.forms()
                for w in form.split()
            )
        )

    # -- matching ---------------------------------------------------------

    def _view(self, doc: Doc) -> tuple[Doc, Optional[numpy.ndarray]]:
        """The Doc without line-wrap tokens, and the map from its tokens back to ``doc``'s.

        Whitespace tokens other than blank lines are dropped (a line wrap in
        "Department of\\n    Energy", the no-break space of "United\\xa0States");
        a sentence start after a dropped newline stays one only when the line
        before ends a sentence.
        """
        n = len(doc)
        if n < 3:
            return doc, None
        space_ids = numpy.nonzero(doc.to_array(IS_SPACE))[0]
        drop = [
            int(i) for i in space_ids
            if 0 < i < n - 1 and doc[int(i)].text.count("\n") <= 1
        ]
        if not drop:
            return doc, None
        dropped = numpy.zeros(n, dtype=bool)
        dropped[drop] = True
        keep = numpy.nonzero(~dropped)[0]
        words = [doc[int(i)].text for i in keep]
        trailing = doc.to_array(SPACY).astype(bool)
        after_drop = numpy.zeros(n, dtype=bool)
        after_drop[numpy.array(drop) + 1] = True
        spaces = (trailing[keep] | dropped[numpy.minimum(keep + 1, n - 1)]).tolist()
        view = Doc(doc.vocab, words=words, spaces=spaces)
        if doc.has_annotation("SENT_START"):
            starts = doc.to_array(SENT_START)[keep].astype(numpy.int32)
            for j in numpy.nonzero(after_drop[keep] & (starts == 1))[0]:
                if j and not SENTENCE_END.search(words[int(j) - 1]):
                    starts[j] = -1
            starts[0] = 1
            view.from_array([SENT_START], starts.reshape(-1, 1).astype(numpy.uint64))
        return view, keep

    def candidates(self, view: Doc) -> list[Candidate]:
        found: list[Candidate] = []
        strings = view.vocab.strings
        for match_id, start, end in self.phrase_lower(view):
            if not self._cased_like_a_name(view[start:end]):
                continue  # "a global coalition", "UN peacekeeping" (the activity)
            org_id = strings[match_id].split(":", 1)[1]
            found.append(Candidate(start, end, GAZETTEER, strings[match_id], org_id, 2))
        for match_id, start, end in self.phrase_orth(view):
            if self._acronym_noise(view, start, end):
                continue
            org_id = strings[match_id].split(":", 1)[1]
            found.append(Candidate(start, end, GAZETTEER, strings[match_id], org_id, 2))
        for cand in found:
            entry = self.entries[cand.org_id]
            if entry.type in US_PREFIXABLE:
                cand.start = self._us_prefix(view, cand.start)
        starts = frozenset(c.start for c in found)
        gaz_by_start: dict[int, int] = {}
        for c in found:
            gaz_by_start[c.start] = max(c.end, gaz_by_start.get(c.start, 0))
        # The last token of a gazetteer name of three tokens or more: a left
        # run stops there ("Department of State" + "Office of ...").
        ends = frozenset(c.end - 1 for c in found if c.end - c.start >= 3)
        anchors = list(self.anchor_matcher(view))
        if len(self.matcher):
            anchors += self.matcher(view)
        for match_id, start, end in anchors:
            key = strings[match_id]
            rule = self.rules[key.split(":", 1)[1]]
            if rule.id == SHORT_REFERENCE:
                found.append(Candidate(start + 1, end, SHORT_REFERENCE, key, None, 0))
                continue
            if rule.id == "head_final" and end < len(view) and view[end].text[:1].isupper():
                continue  # "Digital Service Taxes": the head is not the last word
            grown = self._grow(view, rule, start, end, starts, ends)
            if grown is None:
                continue
            gaz_end = gaz_by_start.get(grown[0])
            if gaz_end is not None and gaz_end - grown[0] >= 3 and grown[1] > gaz_end:
                continue  # "UN General Assembly" + "on Ukraine": the gazetteer name ends first
            found.append(Candidate(grown[0], grown[1], PATTERN, key, None, 1))
        return found

    def _cased_like_a_name(self, span: Span) -> bool:
        """A case-insensitive match counts when written as listed, in capitals, or with capitalised words."""
        text = " ".join(span.text.split())
        if text in self.exact_forms or text.isupper():
            return True
        return all(
            t.text[:1].isupper() or t.lower_ in FUNCTION_WORDS or not t.text[:1].isalpha()
            for t in span
        )

    def _acronym_noise(self, view: Doc, start: int, end: int) -> bool:
        """A state code after a comma ("Arlington, VA") or a word in an all-capitals heading."""
        token = view[start]
        if end - start != 1 or not token.is_upper:
            return False
        if len(token) <= 2 and start > 0 and view[start - 1].text == ",":
            after = view[end].text if end < len(view) else ""
            if after not in {"-", "–", "’s", "'s"}:
                return True
        neighbours = [view[k] for k in (start - 1, start + 1) if 0 <= k < len(view)]
        shouting = [t for t in neighbours if t.is_upper and t.is_alpha and len(t) > 3]
        return len(shouting) == len(neighbours) and bool(neighbours)

    def _us_prefix(self, view: Doc, start: int) -> int:
        if start >= 1 and view[start - 1].text in US_FORMS:
            return start - 1
        if start >= 2 and view[start - 2].text == "United" and view[start - 1].text == "States":
            return start - 2
        return start

    @staticmethod
    def _is_cap(token) -> bool:
        """Capitalised, and not a hyphenated adjective ("U.S.-supported")."""
        text = token.text
        return text[:1].isupper() and not ("-" in text and text.rsplit("-", 1)[1][:1].islower())

    def _grow(
        self, view: Doc, rule: Rule, start: int, end: int, starts: frozenset, ends: frozenset
    ) -> Optional[tuple[int, int]]:
        """Grow an anchor by the rule's left and right modes; None when nothing is left."""
        n = len(view)
        new_end = end
        if rule.right in ("name", "place"):
            place = rule.right == "place"
            needs_name = view[end - 1].lower_ in COMPLEMENT_STARTS or view[end - 1].lower_ == "in"
            begin = end
            if not needs_name and end < n and view[end].lower_ in {"in", "of", "to"}:
                begin = end + 1  # "U.S. Embassy" + "in Kyiv"
            if needs_name or begin > end:
                titled = view[start].text == "Office" and begin < n and view[begin].lower_ == "the"
                extra = self._right_run(view, begin, place=place, starts=starts, titled=titled)
                if extra is not None:
                    new_end = extra
                elif needs_name:
                    return None
        elif rule.right == "complement":
            if end < n and view[end].lower_ in HEAD_COMPLEMENTS:
                extra = self._right_run(view, end + 1, place=False, starts=starts)
                if extra is not None and not (
                    view[end].lower_ != "of" and fold(view[end + 1 : extra].text) in self.country_forms
                ):
                    new_end = extra  # "Council on Foreign Relations", not "Assembly on Ukraine"
        new_start = start
        if rule.left == "us":
            new_start = self._us_prefix(view, start)
        elif rule.left == "cap":
            new_start, left_content, generic_only = self._left_run(
                view,
                start,
                possessive=rule.right == "complement" and new_end == end,
                starts=starts,
                ends=ends,
            )
            if new_end == end and (left_content < rule.min_left or (rule.min_left and generic_only)):
                return None
            if view[start].text in NO_ADJECTIVE and new_start < start:
                # "Japanese Ministry of Foreign Affairs" is written as the "Ministry of Foreign Affairs".
                left = view[new_start:start].text
                if fold(left) in self.country_forms and left not in US_FORMS:
                    new_start = start
        if new_end - new_start > MAX_TOKENS or new_end - new_start < 1:
            return None
        return new_start, new_end

    def _right_run(
        self,
        view: Doc,
        i: int,
        *,
        place: bool,
        starts: frozenset = frozenset(),
        titled: bool = False,
    ) -> Optional[int]:
        """End of the name that starts at ``i`` (after "of"/"in"), trimmed to known words.

        Capitalised words run on, joined by "and", "of", "for" ("Office of
        Science and Technology Policy"); "the" only after "of"/"for"; no
        commas. A title word, a possessive, a sentence start, or an "and"
        before another organisation ("Department of Energy and FEMA", "...
        and National Security Office") ends the run; with ``titled``, a title
        among the first words does not ("Office of the High Commissioner"). A name (not a place) then
        loses two or more trailing words that no organisation name uses:
        "Office of Management and Budget Shalanda Young" ends at "Budget".
        """
        n = len(view)
        if i < n and view[i].lower_ == "the":
            i += 1
        j = i
        words = 0
        while j < n and j - i < MAX_TOKENS:
            token = view[j]
            text = token.text
            if j > i and (token.is_sent_start or j in starts):
                break
            if text in POSSESSIVE or text in self.left_stop:
                break
            if text in self.title_words and not (titled and j - i < TITLED_WORDS):
                break
            if not _nameish(text):
                break
            if text[:1].isupper():
                words += 1
                if place and words > MAX_PLACE_WORDS:
                    break
                j += 1
                continue
            if j == i or j + 1 >= n:
                break
            prev = view[j - 1]
            if text in {"-", "–"} and not prev.whitespace_ and not token.whitespace_:
                j += 1
                continue
            if (
                prev.text in {"-", "–"} and not prev.whitespace_ and text.isalpha()
                and j >= 2 and view[j - 2].text in HYPHEN_PREFIXES
            ):
                j += 1  # "Co-operation"
                continue
            low = text.lower()
            if low == "the":
                if prev.lower_ in {"of", "for"}:
                    j += 1
                    continue
                break
            if low in {"and", "&"}:
                if place or self._another_body(view, j + 1, starts):
                    break
                j += 1
                continue
            if low in {"of", "for"} or (place and low in {"in", "of"}):
                j += 1
                continue
            if low in {"de", "del", "des", "du", "la"}:
                j += 1
                continue
            break
        while j > i and (view[j - 1].lower_ in self.connectors or view[j - 1].is_punct):
            j -= 1
        if not place:
            k = j
            while (
                k > i
                and view[k - 1].text[:1].isupper()
                and view[k - 1].lower_ not in self.vocab
                and not is_acronym(view[k - 1].text)
            ):
                k -= 1
            if j - k >= 2:
                j = k
                while j > i and (view[j - 1].lower_ in self.connectors or view[j - 1].is_punct):
                    j -= 1
        return j if j > i else None

    def _another_body(self, view: Doc, k: int, starts: frozenset) -> bool:
        """Whether the words after an "and" at ``k - 1`` begin another body or a person's title."""
        if k >= len(view) or not view[k].text[:1].isupper() or k in starts:
            return True
        while k < len(view) and (view[k].text[:1].isupper() or view[k].lower_ in {"of", "for"}):
            text = view[k].text
            if text in self.heads or text in self.title_words or k in starts:
                return True
            k += 1
        return False

    def _left_run(
        self,
        view: Doc,
        start: int,
        *,
        possessive: bool = False,
        starts: frozenset = frozenset(),
        ends: frozenset = frozenset(),
    ) -> tuple[int, int, bool]:
        """Start of the capitalised words before ``start``; their count; whether all are generic.

        "and" is crossed only between two organisation words with a word
        already taken ("Food and Drug", not "Sherwood-Randall and Federal" or
        "Prevention and Office"); with ``possessive`` a possessive of a plain
        organisation word is too ("Women's Health Organization", not
        "Russia's Ministry").
        """
        k = start
        content = 0
        generic_only = True
        while k > 0 and start - k < MAX_TOKENS:
            if view[k].is_sent_start:
                break
            token = view[k - 1]
            text = token.text
            if token.is_space or text in self.title_words or text in self.left_stop:
                break
            if text in POSSESSIVE:
                if not (
                    possessive and k >= 2 and k < start
                    and self._plain_word(view[k - 2], starts)
                    and k - 2 not in ends
                ):
                    break
                k -= 1
                continue
            if not _nameish(text):
                break
            if k - 1 in ends:
                break
            if self._is_cap(token):
                if text not in US_FORMS:
                    content += 1
                    generic_only = generic_only and text in self.generic
                k -= 1
                continue
            if text in {"-", "–"} and not token.whitespace_ and k >= 2 and not view[k - 2].whitespace_:
                k -= 1
                continue
            if (
                text.lower() in {"and", "&"}
                and k < start
                and k >= 2
                and self._plain_word(view[k - 2], starts)
                and view[k].text not in self.heads
            ):
                k -= 1
                continue
            break
        while k < start and (
            view[k].lower_ in self.connectors or view[k].is_punct or view[k].text in POSSESSIVE
        ):
            k += 1
        return k, content, generic_only

    def _plain_word(self, token, starts: frozenset) -> bool:
        """A capitalised organisation word that is not a country, an acronym, a head or a name's start."""
        return (
            token.text[:1].isupper()
            and token.lower_ in self.vocab
            and not token.is_upper
            and token.text not in self.heads
            and token.i not in starts
            and fold(token.text) not in self.country_forms
            and token.text not in {"Government", "Administration", "Authorities"}
        )

    # -- filtering --------------------------------------------------------

    def _keep(self, view: Doc, cand: Candidate) -> bool:
        text = normalise(view[cand.start : cand.end].text)
        if not text:
            return False
        folded = fold(text)
        if cand.source == GAZETTEER:
            if cand.org_id == "us_white_house" and self._is_venue(view, cand.start):
                return False
            return True
        if folded in self.not_orgs or folded in self.country_forms:
            return False
        if cand.source == PATTERN:
            words = text.split()
            if len(words) < 2 and not is_acronym(text):
                return False
            # "Korean Government", "Republic of Korea": a country, not a body.
            if fold(" ".join(words[:-1])) in self.country_forms and words[-1] in {
                "Government", "Administration", "Authorities"
            }:
                return False
        return True

    def _is_venue(self, view: Doc, start: int) -> bool:
        """ "at the White House": the building, not the body."""
        if start >= 2 and view[start - 1].lower_ == "the":
            return view[start - 2].lower_ in {"at", "to", "in", "on", "outside", "inside", "into"}
        return False

    def _select(self, cands: list[Candidate]) -> list[Candidate]:
        """Longest spans first, the gazetteer on ties; no two share a token."""
        taken: set[int] = set()
        chosen = []
        for cand in sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, c.start)):
            if any(i in taken for i in range(cand.start, cand.end)):
                continue
            chosen.append(cand)
            taken.update(range(cand.start, cand.end))
        chosen.sort(key=lambda c: c.start)
        return chosen

    # -- records ----------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        view, index = self._view(doc)
        cands = [c for c in self.candidates(view) if self._keep(view, c)]
        chosen = self._select([c for c in cands if c.source != SHORT_REFERENCE])
        mentions, records = self._link(view, chosen, cands)
        self._write(doc, index, mentions, records)
        return doc

    def _to_doc(self, index: Optional[numpy.ndarray], start: int, end: int) -> tuple[int, int]:
        if index is None:
            return start, end
        return int(index[start]), int(index[end - 1]) + 1

    def _link(self, view: Doc, chosen: list[Candidate], cands: list[Candidate]):
        """Give each chosen mention its record key; add acronym and short-reference mentions."""
        records: dict[str, _Record] = {}
        mentions: list[tuple[int, int, str, str, str]] = []  # view start, end, key, rule, text

        def key_for(cand: Candidate, text: str) -> str:
            if cand.org_id:
                return cand.org_id
            return "org:" + fold(text)

        for cand in chosen:
            text = normalise(view[cand.start : cand.end].text)
            key = key_for(cand, text)
            record = records.get(key)
            if record is None:
                record = records[key] = _Record(
                    key, self.entries.get(cand.org_id) if cand.org_id else None
                )
            record.forms.append(text)
            if record.entry and record.entry.acronym == text:
                record.acronym = text
            mentions.append((cand.start, cand.end, key, self._rule_id(cand), text))

        # Acronym definitions: "Long Form (ACR)" and "ACR (Long Form)".
        defined: dict[str, str] = {}
        blocked: set[str] = set()
        spans_by_start = {m[0]: m for m in mentions}
        for d in self._definitions(view):
            long_span = view.char_span(d.long_start, d.long_end, alignment_mode="expand")
            short_span = view.char_span(d.short_start, d.short_end)
            if long_span is None or short_span is None:
                continue
            short = short_span.text
            owner = self._owner(mentions, long_span.start, long_span.end)
            if owner is None:
                # "Inflation Reduction Act (IRA)": in this document the acronym is not a body.
                blocked.update({short, short.rstrip("s")})
                continue
            key = owner[2]
            defined.setdefault(short, key)
            records[key].acronym = records[key].acronym or short
            old = spans_by_start.get(short_span.start)
            if old is None:
                mentions = [m for m in mentions if m[1] <= short_span.start or m[0] >= short_span.end]
            elif old[2] != key:
                mentions = [m for m in mentions if m is not old]
            else:
                continue
            mentions.append((short_span.start, short_span.end, key, f"{ACRONYM}:{short}", short))
            spans_by_start[short_span.start] = mentions[-1]
        blocked.difference_update(defined)
        if blocked:
            mentions = [
                m for m in mentions
                if not (m[3].startswith(GAZETTEER) and m[4] in blocked and " " not in m[4])
            ]
        if defined:
            mentions = self._bare_acronyms(view, defined, mentions)

        # Short references: "the Council" after "the Human Rights Council".
        shorts = [c for c in cands if c.source == SHORT_REFERENCE]
        if shorts:
            mentions = self._short_references(view, shorts, mentions, records)

        mentions.sort()
        return mentions, records

    def _definitions(self, view: Doc) -> list:
        """Acronym definitions around each "(" (read from a window, not the whole text)."""
        orths = view.to_array(ORTH)
        opens = numpy.nonzero(orths == self.open_paren)[0]
        found = {}
        n = len(view)
        for p in opens:
            p = int(p)
            close = p + 1
            while close < n and close - p <= PAREN_WINDOW and orths[close] != self.close_paren:
                close += 1
            if close >= n or orths[close] != self.close_paren:
                continue
            window = view[max(0, p - PAREN_WINDOW) : close + 1]
            base = window.start_char
            for d in iter_definitions(window.text):
                shifted = Definition(*(offset + base for offset in d))
                found[shifted] = True
        return list(found)

    def _owner(self, mentions, long_start: int, long_end: int):
        """The mention that the long form of a definition ends with."""
        best = None
        for m in mentions:
            if m[1] == long_end and m[0] <= long_end - 1 and m[1] > long_start:
                if not m[3].startswith(ACRONYM):
                    best = m
        return best

    def _bare_acronyms(self, view: Doc, defined: dict[str, str], mentions):
        orths = view.to_array([ORTH])
        wanted = {view.vocab.strings[a]: a for a in defined}
        hits = numpy.nonzero(numpy.isin(orths, numpy.array(list(wanted), dtype=orths.dtype)))[0]
        if not len(hits):
            return mentions
        occupied = {i for m in mentions for i in range(m[0], m[1])}
        for i in hits:
            i = int(i)
            if i in occupied:
                continue
            short = view[i].text
            mentions.append((i, i + 1, defined[short], f"{ACRONYM}:{short}", short))
        return mentions

    def _short_references(self, view: Doc, shorts, mentions, records):
        occupied = {i for m in mentions for i in range(m[0], m[1])}
        ordered = sorted(mentions)
        for cand in shorts:
            i = cand.start
            if i in occupied:
                continue
            nxt = view[i + 1] if i + 1 < len(view) else None
            if nxt is not None and (nxt.lower_ in COMPLEMENT_STARTS or self._is_cap(nxt)):
                continue  # part of a longer name we did not recognise
            head = view[i].text
            target = None
            for m in ordered:
                if m[0] >= i:
                    break
                record = records.get(m[2])
                if record is not None and self._ends_with(record, head):
                    target = m[2]
            if target is not None:
                mentions.append((i, i + 1, target, f"{SHORT_REFERENCE}:{head}", head))
        return mentions

    def _ends_with(self, record: _Record, head: str) -> bool:
        forms = list(record.forms)
        if record.entry is not None and head != "Alliance":
            forms.append(record.entry.name)
        return any(f.split()[-1] == head for f in forms if f)

    def _rule_id(self, cand: Candidate) -> str:
        if cand.source == GAZETTEER:
            return f"{GAZETTEER}:{cand.org_id}"
        return cand.rule

    def _write(self, doc: Doc, index, mentions, records) -> None:
        """Set ``doc.spans`` and the record table (records in order of first mention)."""
        first: dict[str, int] = {}
        forms: dict[str, list[str]] = {}
        for start, _end, key, rule, form in mentions:
            if key not in records:
                continue
            first.setdefault(key, start)
            if not rule.startswith(SHORT_REFERENCE):
                forms.setdefault(key, []).append(form)
        table = record_table(doc, LIST_NAME)
        for key in sorted(first, key=first.get):
            if key not in forms:
                continue  # only short references: nothing names it
            acronym = records[key].acronym
            table[key] = record_fields(forms[key], acronym if acronym in forms[key] else None)
        spans = []
        for start, end, key, rule, _form in mentions:
            if key in table:
                s, e = self._to_doc(index, start, end)
                spans.append(Span(doc, s, e, label="ORG", kb_id=key, span_id=rule))
        doc.spans[self.spans_key] = spans


@Language.factory(
    "extractor_organisations",
    assigns=["doc.spans"],
    default_config={
        "organisations": "organisations.jsonl",
        "patterns": "organisation_patterns.jsonl",
        "countries": "countries.jsonl",
        "spans_key": LIST_NAME,
    },
)
def make_organisations(
    nlp: Language,
    name: str,
    organisations: str,
    patterns: str,
    countries: str,
    spans_key: str,
) -> OrganisationRecognizer:
    return OrganisationRecognizer(
        nlp,
        name,
        organisations=organisations,
        patterns=patterns,
        countries=countries,
        spans_key=spans_key,
    )
