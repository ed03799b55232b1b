"""Pure helpers for officials: the title lexicon, title → organisation, name matching.

No spaCy here; the officials component does the token work and calls these.
"""
import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from .assets import PathLike, read_json, read_jsonl
from .gazetteers import fold


@dataclass(frozen=True)
class TitleLexicon:
    """The title grammar of ``models/titles.json`` (all words lower-case)."""

    heads: frozenset
    modifiers: frozenset
    connectors: frozenset
    glue: frozenset
    complement_words: frozenset
    not_names: frozenset
    honorifics: frozenset
    particles: frozenset
    international_titles: frozenset
    international_prefixes: frozenset
    not_issuer_titles: dict
    prefixes_kept: frozenset
    plural_last: frozenset

    @classmethod
    def from_json(cls, path: PathLike = "titles.json") -> "TitleLexicon":
        data = read_json(path)
        get = lambda key: frozenset(w.lower() for w in data.get(key, ()))  # noqa: E731
        return cls(
            heads=get("heads"),
            modifiers=get("modifiers"),
            connectors=get("complement_connectors"),
            glue=get("complement_glue"),
            complement_words=get("complement_words"),
            not_names=get("not_names"),
            honorifics=get("honorifics"),
            particles=get("name_particles"),
            international_titles=get("international_titles"),
            international_prefixes=get("international_prefixes"),
            prefixes_kept=get("international_prefixes_kept"),
            plural_last=frozenset(h.split()[-1] for h in get("plural_heads")),
            not_issuer_titles={
                code: frozenset(t.lower() for t in titles)
                for code, titles in data.get("not_issuer_titles", {}).items()
                if not code.startswith("_")
            },
        )

    def issuer_may_hold(self, issuer: str, title: str) -> bool:
        """Whether the issuing government uses this title for its own officials."""
        low = " ".join(title.lower().split())
        excluded = self.not_issuer_titles.get(issuer, frozenset())
        return not any(low == t or low.endswith(" " + t) or low.startswith(t + " ") for t in excluded)

    def is_international(self, title: str) -> bool:
        """Whether a title belongs to an international body (no issuer country)."""
        low = title.lower()
        if any(low.startswith(prefix + " ") for prefix in self.international_prefixes):
            return True
        return any(t in low for t in self.international_titles) and not low.startswith(
            ("director general of", "director-general of")
        ) and " of the ministry" not in low


@dataclass(frozen=True)
class TitleOrganisation:
    contains: str
    organisation: str
    pattern: re.Pattern


def read_title_organisations(path: PathLike = "title_organisations.jsonl") -> list[TitleOrganisation]:
    rows = []
    for row in read_jsonl(path):
        contains = row["contains"].lower()
        pattern = re.compile(r"(?<![\w-])" + re.escape(contains) + r"(?![\w-])")
        rows.append(TitleOrganisation(contains, row["organisation"], pattern))
    return rows


def organisation_for_title(title: str, table: Sequence[TitleOrganisation]) -> Optional[str]:
    """The body a title names, from the table ("Vice Minister of Foreign Affairs" → MOFA)."""
    low = " ".join(title.lower().split())
    for entry in table:
        if entry.pattern.search(low):
            return entry.organisation
    match = re.search(r"\bminister of ((?:[a-z]+ (?:and )?){0,4}?[a-z]+)$", low)
    if match and not low.startswith(("deputy minister", "prime minister")):
        # "Minister of National Defense" → "Ministry of National Defense".
        return "Ministry of " + title[len(title) - len(match.group(1)) :]
    return None


def clean_title(title: str) -> str:
    """Collapse whitespace and drop a leading article and trailing punctuation."""
    title = " ".join(title.split())
    title = re.sub(r"^(?:the|The|THE)\s+", "", title)
    return title.strip(" ,;:")


NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def name_tokens(name: str) -> list[str]:
    """Folded tokens of a name ("Ham Sang-wook" → ["ham", "sangwook"])."""
    return [fold(part) for part in re.split(r"\s+", name.strip()) if fold(part)]


def same_person(short: str, full: str) -> bool:
    """Whether ``short`` can be a later mention of ``full``.

    True when the folded names are equal, or every token of ``short`` is a
    token of ``full`` and ``short`` includes ``full``'s first or last token
    (a family name comes first in Korean names, last in Western ones).
    """
    a, b = name_tokens(short), name_tokens(full)
    a = [t for t in a if t not in NAME_SUFFIXES] or a
    b = [t for t in b if t not in NAME_SUFFIXES] or b
    if not a or not b:
        return False
    if "".join(a) == "".join(b):
        return True
    if not set(a) <= set(b):
        return False
    if a[0] in (b[0], b[-1]) or a[-1] == b[-1]:
        return True
    # "Foreign Minister Hill" for "Alexandra Hill Tinoco": a double surname.
    return len(a) == 1 and len(b) >= 3 and len(a[0]) > 1 and a[0] != b[0]


def fullest(names: Iterable[str]) -> str:
    """The fullest written form: most tokens, then longest, then first seen."""
    names = list(names)
    return max(enumerate(names), key=lambda p: (len(p[1].split()), len(p[1]), -p[0]))[1]
