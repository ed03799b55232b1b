"""The output contract: pydantic models for one document's extraction.

The shape follows ``ANNOTATION.md``: a prediction and a gold record are the
same model, so anything the extractor writes can be scored. Fields beyond the
annotation guide (mentions, rule ids, scores, warnings) are optional, so gold
files that carry only the annotated fields validate too.

JSON Schema is generated from these models (``extractor schema``), never
written by hand.
"""
import datetime as _dt
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field

LIST_NAMES = ("officials", "organisations", "dates", "pledges", "themes")

THEME_IDS = (
    "human_rights",
    "democracy_governance",
    "north_korea",
    "nonproliferation",
    "peace_security",
    "law_enforcement",
    "development_cooperation",
    "humanitarian_aid",
    "refugees_migration",
    "gender_wps",
    "digital_technology",
    "science_space",
    "climate_environment",
    "trade_economy",
    "energy_resources",
    "health",
    "culture_exchange",
    "consular_diaspora",
    "multilateral_institutions",
)


class _Model(BaseModel):
    # Scorer and readers ignore fields they do not know (ANNOTATION.md).
    model_config = ConfigDict(extra="ignore")


class Mention(_Model):
    """One place in the text where a record is mentioned."""

    start: int = Field(ge=0, description="Character offset of the first character.")
    end: int = Field(ge=0, description="Character offset after the last character.")
    text: str
    sentence: Optional[int] = Field(None, description="Index of the sentence in the document.")
    rule: Optional[str] = Field(None, description="Pattern or gazetteer entry that produced it.")


class _Record(_Model):
    mentions: list[Mention] = Field(default_factory=list)


class Official(_Record):
    name: str
    title: Optional[str] = None
    organisation: Optional[str] = None
    country: Optional[str] = Field(None, description="ISO 3166-1 alpha-2 code.")


class Organisation(_Record):
    name: str
    acronym: Optional[str] = None
    aliases: list[str] = Field(default_factory=list)


class DateRecord(_Record):
    text: str
    value: str = Field(description="ISO 8601 value; XXXX for an unresolvable year.")


class Amount(_Model):
    text: str
    amount: float
    currency: Optional[str] = None


class Pledge(_Record):
    text: str
    amount: float
    currency: Optional[str] = Field(None, description="ISO 4217 code.")
    donor: Optional[str] = None
    recipient: Optional[str] = None
    qualifier: Optional[str] = Field(None, description='"more than", "nearly", "up to" ...')
    conversions: list[Amount] = Field(
        default_factory=list, description="The same sum restated in another currency."
    )


class Theme(_Record):
    id: str
    score: Optional[float] = None


class DocumentExtraction(_Model):
    """Everything extracted from one release (or one gold annotation)."""

    id: str
    text: Optional[str] = None
    release_date: Optional[_dt.date] = None
    release_date_source: Optional[Literal["caller", "header"]] = None
    issuer: Optional[str] = Field(None, description="ISO code of the issuing government.")
    # None means "not annotated" in gold files: the scorer skips the list.
    officials: Optional[list[Official]] = None
    organisations: Optional[list[Organisation]] = None
    dates: Optional[list[DateRecord]] = None
    pledges: Optional[list[Pledge]] = None
    themes: Optional[list[Theme]] = None
    warnings: list[str] = Field(default_factory=list)
    meta: dict = Field(default_factory=dict, description="Metadata carried from the input.")


def json_schema() -> dict:
    """The JSON Schema of one output line."""
    return DocumentExtraction.model_json_schema()
