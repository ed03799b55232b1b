"""The theme taxonomy: load and validate it, and score documents against it.

A taxonomy is a JSON file (the shipped one is ``models/themes.json``)::

    {"version": 1,
     "threshold": 1.0,
     "negative": ["our shared values"],
     "themes": [
       {"id": "human_rights", "label": "Human rights",
        "description": "...",
        "cues": [{"phrase": "human rights", "weight": 1.0}, ...],
        "negative": ["Human Rights Council"],
        "threshold": 1.5}]}

Optional top-level fields: ``background``, phrases after which the rest of
the clause is background ("a partnership rooted in ..."); ``name_openers``,
capitalised openers of a title or an office ("Director-General for"), whose
capitalised continuation is a name in which cues do not count; and
``weak_below`` and ``weak_cap`` (see :func:`theme_scores`). A top-level negative phrase
ending in "values" also voids the list it opens ("shared values of ...").

A cue is a phrase matched case-insensitively as a token sequence; its weight
says how decisive one mention is. A ``negative`` phrase (per theme, or at the
top level for every theme) is a context in which the cues it contains do not
count: a body's name used as a venue, a shared-values formula.

Scoring is pure and works on :class:`CueHit` tuples, so it is tested without
a pipeline: a theme's document score is the sum, over sentences, of the
strongest cue of that theme in the sentence (one weak word repeated in one
sentence counts once; sentences with only weak cues add at most
``weak_cap``), and a theme is selected when its score reaches its
threshold (its own, else the taxonomy's).
"""
import json
import re
from pathlib import Path
from typing import Iterable, NamedTuple, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .assets import PathLike, asset_path
from .errors import Errors, ExtractorError
from .schema import THEME_IDS

SHIPPED = "themes.json"

# Boilerplate that names values rather than addressing a policy
# (ANNOTATION.md: "our shared democratic values" makes no theme). Applies to
# every theme when a taxonomy does not give its own top-level "negative" list.
DEFAULT_NEGATIVE = (
    "shared values",
    "our shared values",
    "shared democratic values",
    "our shared democratic values",
    "common values",
    "common democratic values",
    "democratic values",
    "universal values",
    "values of freedom",
    "shared commitment to democracy",
)

# Phrases that introduce what a relationship rests on: the rest of their
# clause is background, not a topic addressed ("a partnership rooted in shared
# interests in regional peace, security, and prosperity").
DEFAULT_BACKGROUND = (
    "grounded in",
    "rooted in",
    "founded on",
    "founded upon",
    "anchored in",
    "underpinned by",
    "bound by",
    "based on shared",
    "based on our shared",
    "based on common",
    "built on shared",
    "built on our shared",
)

# Capitalised openers of a title or an office's name: the capitalised run that
# follows is a name, and a cue inside it makes no theme ("Director-General for
# Climate Change, Energy, Environment and Scientific Affairs", "Special
# Representative for Korean Peninsula Peace and Security Affairs").
DEFAULT_NAME_OPENERS = (
    "Minister of", "Minister for", "Ministry of", "Ministry for", "Secretary of", "Secretary for",
    "Director-General of", "Director-General for", "Director General of", "Director General for",
    "Director of", "Director for", "Envoy for", "Envoy to", "Representative for",
    "Coordinator for", "Commissioner for", "Advisor for", "Adviser for", "Ambassador for",
    "Bureau of", "Bureau for", "Office of", "Office for", "Department of", "Agency for",
    "Council on", "Council for", "Commission on", "Committee on", "Institute of", "Institute for",
    "Center for", "Centre for", "Division of", "Task Force on",
)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    # A taxonomy is user input: a misspelt key must fail, not be ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Cue(_Strict):
    phrase: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0, le=10)

    @field_validator("phrase")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the phrase is blank")
        return value.strip()


class ThemeSpec(_Strict):
    id: str
    label: str = ""
    description: str = ""
    cues: list[Cue] = Field(min_length=1)
    negative: list[str] = Field(default_factory=list)
    threshold: Optional[float] = Field(default=None, gt=0)

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _ID.match(value):
            raise ValueError("use lower-case letters, digits and underscores, starting with a letter")
        return value


class Taxonomy(_Strict):
    version: int = 1
    threshold: float = Field(default=1.0, gt=0)
    weak_below: float = Field(default=1.0, gt=0)
    weak_cap: Optional[float] = Field(default=None, ge=0)
    negative: list[str] = Field(default_factory=lambda: list(DEFAULT_NEGATIVE))
    background: list[str] = Field(default_factory=lambda: list(DEFAULT_BACKGROUND))
    name_openers: list[str] = Field(default_factory=lambda: list(DEFAULT_NAME_OPENERS))
    themes: list[ThemeSpec] = Field(min_length=1)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(theme.id for theme in self.themes)

    def threshold_of(self, theme_id: str) -> float:
        """The score a theme needs: its own threshold, else the taxonomy's."""
        for theme in self.themes:
            if theme.id == theme_id:
                return theme.threshold if theme.threshold is not None else self.threshold
        raise KeyError(theme_id)

    def thresholds(self) -> dict[str, float]:
        return {t.id: t.threshold if t.threshold is not None else self.threshold for t in self.themes}


def _where(data: object, loc: tuple) -> str:
    """Name the theme and field of a pydantic error location."""
    parts = []
    if len(loc) >= 2 and loc[0] == "themes" and isinstance(loc[1], int):
        theme_id = None
        if isinstance(data, dict) and isinstance(data.get("themes"), list):
            themes = data["themes"]
            if loc[1] < len(themes) and isinstance(themes[loc[1]], dict):
                theme_id = themes[loc[1]].get("id")
        parts.append(f"theme '{theme_id}' (themes[{loc[1]}])" if theme_id else f"themes[{loc[1]}]")
        rest = loc[2:]
    else:
        rest = loc
    if rest:
        field = str(rest[0]) + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest[1:])
        parts.append(f"field '{field}'")
    return ", ".join(parts) or "top level"


def validate_taxonomy(
    data: object, *, path: PathLike = "<taxonomy>", shipped: bool = False
) -> Taxonomy:
    """Validate parsed taxonomy JSON; raise E011/E012 naming file, theme and field.

    ``shipped``: the taxonomy must define exactly the ids of ANNOTATION.md
    (a user taxonomy may define its own).
    """
    try:
        taxonomy = Taxonomy.model_validate(data)
    except ValidationError as exc:
        messages = [f"{_where(data, err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise ExtractorError(Errors.E011.format(path=path, msg="; ".join(messages))) from None
    seen: set[str] = set()
    for number, theme in enumerate(taxonomy.themes):
        if theme.id in seen:
            raise ExtractorError(
                Errors.E011.format(
                    path=path,
                    msg=f"theme '{theme.id}' (themes[{number}]), field 'id': defined twice; merge the entries",
                )
            )
        seen.add(theme.id)
        phrases = [cue.phrase.lower() for cue in theme.cues]
        doubled = sorted({p for p in phrases if phrases.count(p) > 1})
        if doubled:
            raise ExtractorError(
                Errors.E011.format(
                    path=path,
                    msg=f"theme '{theme.id}' (themes[{number}]), field 'cues': "
                    f"phrase(s) {doubled} listed twice; keep one with the intended weight",
                )
            )
    if shipped:
        for theme_id in taxonomy.ids:
            if theme_id not in THEME_IDS:
                raise ExtractorError(Errors.E012.format(theme=theme_id, path=path))
        missing = [t for t in THEME_IDS if t not in seen]
        if missing:
            raise ExtractorError(
                Errors.E011.format(
                    path=path, msg=f"field 'themes': the id(s) {missing} of ANNOTATION.md are missing"
                )
            )
    return taxonomy


def load_taxonomy(path: Optional[PathLike] = None) -> Taxonomy:
    """Read and validate a taxonomy file (``None``: the shipped one, held to the 19 ids)."""
    shipped = path is None
    resolved: Path = asset_path(SHIPPED if shipped else path)
    try:
        data = json.loads(resolved.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ExtractorError(
            Errors.E002.format(path=resolved, line=exc.lineno, msg=exc.msg)
        ) from None
    except UnicodeDecodeError as exc:
        raise ExtractorError(Errors.E009.format(path=resolved, msg=exc.reason)) from None
    return validate_taxonomy(data, path=resolved, shipped=shipped)


class CueHit(NamedTuple):
    """One counted cue match: token offsets, the sentence it falls in."""

    theme: str
    phrase: str
    weight: float
    sentence: int
    start: int
    end: int


def sentence_evidence(hits: Iterable[CueHit]) -> dict[str, dict[int, list[CueHit]]]:
    """Group hits by theme, then by sentence index."""
    out: dict[str, dict[int, list[CueHit]]] = {}
    for hit in hits:
        out.setdefault(hit.theme, {}).setdefault(hit.sentence, []).append(hit)
    return out


def outermost_hits(hits: Iterable[CueHit]) -> list[CueHit]:
    """Drop every hit inside a longer hit, of any theme: the longer phrase is the
    reading ("security" in "food security", "water" in "drinking water"). Hits
    on the same tokens (a phrase listed under several themes) all stay."""
    kept = []
    cover = (-1, -1)
    for hit in sorted(hits, key=lambda h: (h.start, -h.end)):
        if hit.end <= cover[1] and (hit.start, hit.end) != cover:
            continue
        if hit.end > cover[1]:
            cover = (hit.start, hit.end)
        kept.append(hit)
    return kept


def theme_scores(
    hits: Iterable[CueHit], *, weak_below: float = 1.0, weak_cap: Optional[float] = None
) -> dict[str, float]:
    """Per theme, the sum over sentences of the strongest cue in each sentence.

    A sentence whose strongest cue weighs less than ``weak_below`` is weak
    evidence; with ``weak_cap`` set, weak sentences add at most that much to a
    theme, so generic words scattered over a long text cannot select it alone.
    """
    best: dict[tuple[str, int], float] = {}
    for hit in hits:
        key = (hit.theme, hit.sentence)
        if hit.weight > best.get(key, 0.0):
            best[key] = hit.weight
    strong: dict[str, float] = {}
    weak: dict[str, float] = {}
    for (theme, _), weight in best.items():
        table = strong if weight >= weak_below else weak
        table[theme] = table.get(theme, 0.0) + weight
    scores = dict(strong)
    for theme, total in weak.items():
        if weak_cap is not None:
            total = min(total, weak_cap)
        scores[theme] = scores.get(theme, 0.0) + total
    return scores


def select_themes(
    scores: dict[str, float],
    *,
    threshold: float,
    overrides: Optional[dict[str, float]] = None,
    order: Iterable[str] = (),
) -> list[tuple[str, float]]:
    """The themes whose score reaches their threshold, by descending score.

    ``overrides`` gives per-theme thresholds; ties keep ``order`` (the
    taxonomy's), then the id.
    """
    overrides = overrides or {}
    rank = {theme: i for i, theme in enumerate(order)}
    # A float sum of weights like 0.1 + 0.2 must still reach 0.3.
    chosen = [
        (theme, score)
        for theme, score in scores.items()
        if score + 1e-9 >= overrides.get(theme, threshold)
    ]
    chosen.sort(key=lambda item: (-item[1], rank.get(item[0], len(rank)), item[0]))
    return chosen


TaxonomyLike = Union[Taxonomy, PathLike, None]


def as_taxonomy(value: TaxonomyLike) -> Taxonomy:
    """A :class:`Taxonomy` from itself, a path, or ``None`` (the shipped one)."""
    if isinstance(value, Taxonomy):
        return value
    return load_taxonomy(value)
