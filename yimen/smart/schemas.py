"""Schemas of smart intake's API (README's API changelog, issue 23)."""

from typing import Annotated, Literal

from ninja import Field, Schema

from yimen.cases.models import Kind
from yimen.core.api import NO_NUL, Text, text_field
from yimen.core.schemas import Id


class SuggestPartyIn(Schema):
    phone: Annotated[str, Field(max_length=30, pattern=NO_NUL)] | None = None
    id_number: Annotated[str, Field(max_length=18, pattern=NO_NUL)] | None = None
    person_id: Id | None = None


class SuggestIn(Schema):
    title: Text = text_field(200)
    description: Text = text_field(5000)
    kind: Literal[("", *Kind.values)] = ""
    region: Annotated[str, Field(max_length=24, pattern=NO_NUL)] = ""
    parties: list[SuggestPartyIn] = Field(default_factory=list, max_length=20)


class ReasonOut(Schema):
    words: list[str]
    catalogue_row: str  # "group · name" when the catalogue's own words matched, else ""
    similar_cases: list[tuple[str, str]]  # [code, title] of visible closed cases of the row


class CategoryOut(Schema):
    row: str
    name: str
    score: float
    reason: ReasonOut


class SuggestedUnitOut(Schema):
    code: str
    name: str
    role: Literal["lead", "support"]


class DuplicateOut(Schema):
    code: str
    title: str
    state: str
    received_at: str
    reason: str


class SuggestOut(Schema):
    categories: list[CategoryOut]
    units: list[SuggestedUnitOut]
    units_note: str
    duplicates: list[DuplicateOut]


class LinkIn(Schema):
    other: Annotated[str, Field(min_length=1, max_length=32, pattern=NO_NUL)]
    reason: Text = text_field(200, required=True)


class LinkOut(Schema):
    case: str
    other: str
    reason: str


class DismissIn(Schema):
    reason: Text = text_field(500, required=True)


class WarningOut(Schema):
    id: int
    rule: str
    rule_name: str
    label: str
    region: str
    evidence: str
    count: int
    state: str
    cases: list[str]
    raised_at: str
