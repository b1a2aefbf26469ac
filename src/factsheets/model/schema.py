"""The pydantic models of a fact sheet, and the JSON Schema editors use to check them."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from .markup import Block, check_inline, split_blocks

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SLUG_CHARS = 60
RESERVED_SLUG = re.compile(r"index|404|search|whats-new|feed|fact-sheets-[a-z]{2,3}"
                           r"|for-(parents|educators|youth|law-enforcement)")
"""Names of the site's own files in each language folder (index.html, the bundle's PDF,
the search, What's new, 404 and audience pages)."""


def _inline(text: str) -> str:
    check_inline(text)
    return text


def _body(text: str) -> str:
    split_blocks(text)
    return text


Slug = Annotated[str, Field(
    pattern=SLUG, min_length=1, max_length=SLUG_CHARS,
    description="Lower-case letters, digits and hyphens, e.g. camera-phones")]
PlainText = Annotated[str, Field(min_length=1, description="Plain text")]
Inline = Annotated[str, AfterValidator(_inline), Field(
    min_length=1, description="Text with inline Markdown: *emphasis*, **strong**, "
    "[link](https://...), [mot]{lang=fr}")]
Body = Annotated[str, AfterValidator(_body), Field(
    min_length=1, description="Markdown: paragraphs, '- ' or '1. ' lists, '### ' sub-headings, "
    "inline emphasis and https/mailto/tel links; no HTML")]
HttpsUrl = Annotated[str, Field(pattern=r"^https://[^\s/$.?#][^\s]*$",
                                description="An https:// address")]


class Audience(StrEnum):
    """Who a sheet speaks to; tips are grouped by the same names."""

    parents = "parents"
    educators = "educators"
    youth = "youth"
    law_enforcement = "law_enforcement"


class Model(BaseModel):
    """Base of every sheet model: frozen, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Section(Model):
    """A titled part of the sheet, with a stable id used in links and catalogs."""

    id: Slug
    heading: PlainText
    body: Body

    @property
    def blocks(self) -> tuple[Block, ...]:
        return split_blocks(self.body)


class Tips(Model):
    """Practical advice, one list per audience."""

    parents: list[Inline] = []
    educators: list[Inline] = []
    youth: list[Inline] = []
    law_enforcement: list[Inline] = []

    def by_audience(self) -> list[tuple[Audience, list[str]]]:
        """The non-empty tip lists in audience order."""
        return [(a, getattr(self, a.value)) for a in Audience if getattr(self, a.value)]


class Term(Model):
    """A glossary entry."""

    term: PlainText
    definition: Inline


class Contact(Model):
    """Where to get help: an organisation or service, with a phone number or address."""

    id: Slug
    name: PlainText
    description: Inline
    url: HttpsUrl | None = None
    phone: Annotated[str, Field(pattern=r"^\+?[0-9]([0-9 -]{0,20}[0-9])?$")] | None = None

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if not self.url and not self.phone:
            raise ValueError("give a url or a phone number so readers can reach it")
        return self


class Figure(Model):
    """A picture inside the project, with alt text unless it is decorative."""

    id: Slug
    src: Annotated[str, Field(description="Path relative to sheets/, e.g. figures/x.svg")]
    alt: PlainText | None = None
    decorative: bool = False
    caption: Inline | None = None
    credit: PlainText | None = None
    after: Slug = Field(description="The id of the section the figure follows")

    @model_validator(mode="after")
    def _alt_text(self) -> Figure:
        if not self.decorative and not self.alt:
            raise ValueError("alt text is required: describe what the figure shows "
                             "(or set decorative: true)")
        return self


class Reference(Model):
    """A source the sheet relies on."""

    title: PlainText
    publisher: PlainText
    url: HttpsUrl
    date: dt.date | None = None
    accessed: dt.date | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")] | None = None


class Sheet(Model):
    """One fact sheet in its source language, as a researcher writes it."""

    id: Slug
    status: Literal["draft", "published", "unavailable"]
    unavailable_reason: PlainText | None = None
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")]
    title: PlainText
    subtitle: PlainText | None = None
    summary: PlainText
    key_points: Annotated[list[Inline], Field(max_length=5, description=(
        "Three to five key points for the 'At a glance' box of the printed first page "
        "and the handouts; without them the summary stands in"))] = []
    audiences: Annotated[list[Audience], Field(min_length=1)]
    first_published: dt.date
    last_reviewed: dt.date
    keywords: list[PlainText] = []
    sections: Annotated[list[Section], Field(min_length=1)]
    tips: Tips = Tips()
    warning_signs: list[Inline] = []
    glossary: list[Term] = []
    contacts: list[Contact] = []
    figures: list[Figure] = []
    references: list[Reference] = []

    @field_validator("key_points")
    @classmethod
    def _three_to_five(cls, points: list[str]) -> list[str]:
        if points and len(points) < 3:
            raise ValueError("give three to five key points, or none (the summary stands in)")
        return points

    @field_validator("sections")
    @classmethod
    def _unique_sections(cls, sections: list[Section]) -> list[Section]:
        _unique("section id", [s.id for s in sections])
        return sections

    @field_validator("audiences")
    @classmethod
    def _unique_audiences(cls, audiences: list[Audience]) -> list[Audience]:
        _unique("audience", [a.value for a in audiences])
        return audiences


def _unique(what: str, values: list[str]) -> None:
    seen = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what} {value!r} appears twice")
        seen.add(value)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a sheet file, for editors and other tools."""
    schema = Sheet.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://factsheets.invalid/schema/factsheet.schema.json"
    schema["title"] = "Fact sheet"
    return schema
