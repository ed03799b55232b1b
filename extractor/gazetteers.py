"""Country and organisation gazetteers, read from the assets in ``models/``.

Pure data access: no spaCy objects here, so every component (officials,
pledges, metadata) and the scorer share one lookup.

``models/countries.jsonl``, one country a line::

    {"code": "KR", "name": "Republic of Korea",
     "aliases": ["South Korea", "Korea", "ROK"],
     "adjectives": ["Korean", "South Korean"]}

``models/organisations.jsonl``, one organisation a line::

    {"id": "unhcr", "name": "Office of the United Nations High Commissioner for Refugees",
     "acronym": "UNHCR", "aliases": ["UN Refugee Agency", "UNHCR"], "type": "un"}
"""
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Optional

from .assets import PathLike, read_jsonl


def fold(text: str) -> str:
    """Lower-case, strip accents, and drop hyphens, dots, apostrophes and spaces."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    kept = [c for c in decomposed if not unicodedata.combining(c)]
    return "".join(c for c in "".join(kept).casefold() if c.isalnum())


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    adjectives: tuple[str, ...] = ()


@dataclass
class Countries:
    """Lookup of countries by name, alias or adjective (case-sensitive forms)."""

    entries: list[Country]
    _by_form: dict[str, str] = field(default_factory=dict, repr=False)
    _by_adjective: dict[str, str] = field(default_factory=dict, repr=False)
    _by_code: dict[str, Country] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for country in self.entries:
            self._by_code[country.code] = country
            for form in (country.name, *country.aliases):
                self._by_form.setdefault(form, country.code)
                self._by_form.setdefault(form.lower(), country.code)
            for adjective in country.adjectives:
                self._by_adjective.setdefault(adjective, country.code)
                self._by_adjective.setdefault(adjective.lower(), country.code)

    @classmethod
    def from_jsonl(cls, path: PathLike = "countries.jsonl") -> "Countries":
        rows = read_jsonl(path)
        return cls(
            [
                Country(
                    code=row["code"],
                    name=row["name"],
                    aliases=tuple(row.get("aliases", ())),
                    adjectives=tuple(row.get("adjectives", ())),
                )
                for row in rows
            ]
        )

    def code_for_name(self, text: str) -> Optional[str]:
        """ISO code of a country name or alias ("the Republic of Korea" → KR)."""
        text = text.strip()
        if text.lower().startswith("the "):
            text = text[4:]
        return self._by_form.get(text) or self._by_form.get(text.lower())

    def code_for_adjective(self, text: str) -> Optional[str]:
        """ISO code of a country adjective ("Japanese" → JP)."""
        text = text.strip()
        return self._by_adjective.get(text) or self._by_adjective.get(text.lower())

    def code_for(self, text: str) -> Optional[str]:
        """Name, alias or adjective; possessive "'s" is ignored."""
        text = text.strip().removesuffix("'s").removesuffix("’s")
        return self.code_for_name(text) or self.code_for_adjective(text)

    def name_for(self, code: str) -> Optional[str]:
        """The canonical name of a code ("KR" → "Republic of Korea")."""
        country = self._by_code.get(code)
        return country.name if country else None

    def forms(self) -> Iterable[tuple[str, str, str]]:
        """Every (form, code, kind) with kind "name" or "adjective"."""
        for country in self.entries:
            for form in (country.name, *country.aliases):
                yield form, country.code, "name"
            for adjective in country.adjectives:
                yield adjective, country.code, "adjective"


@dataclass(frozen=True)
class OrgEntry:
    id: str
    name: str
    acronym: Optional[str] = None
    aliases: tuple[str, ...] = ()
    type: Optional[str] = None


def read_organisations(path: PathLike = "organisations.jsonl") -> list[OrgEntry]:
    """The organisation gazetteer."""
    return [
        OrgEntry(
            id=row["id"],
            name=row["name"],
            acronym=row.get("acronym"),
            aliases=tuple(row.get("aliases", ())),
            type=row.get("type"),
        )
        for row in read_jsonl(path)
    ]


@lru_cache(maxsize=4)
def load_countries(path: str = "countries.jsonl") -> Countries:
    """Cached :class:`Countries` for a path (assets are read once per process)."""
    return Countries.from_jsonl(path)
