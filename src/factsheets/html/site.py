"""The site model: every sheet's editions, PDFs and figures, as plain data that renders nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..config import Config
from ..i18n.fields import Edition


def page_path(lang: str, slug: str) -> str:
    """Where a sheet page lives in dist/ (`fr/webcameras.html`)."""
    return f"{lang}/{slug}.html"


@dataclass(frozen=True)
class PdfInfo:
    """A sheet's PDF in one language, as the index and sheet pages show it."""

    path: str
    pages: int
    size: int
    kind: str = "PDF"


PdfMap = Mapping[tuple[str, str], PdfInfo]
"""PDF facts by (sheet id, language), a handout's by (`handout_key`, language), a bundle's
by ("", language); empty until PDFs are built."""


def handout_key(sheet_id: str, audience: str) -> str:
    """The first half of a handout's (key, language) among the site's PDFs."""
    return f"{sheet_id}/handout/{audience}"


def handouts(pdfs: PdfMap, sheet_id: str, audiences: Sequence[Any], lang: str,
             ) -> list[tuple[str, PdfInfo]]:
    """A sheet's handouts in one language, as (audience, PDF), in its audiences' order."""
    found = [(str(a.value), pdfs.get((handout_key(sheet_id, a.value), lang))) for a in audiences]
    return [(audience, pdf) for audience, pdf in found if pdf is not None]


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as the site links it: every edition, and whether each is published."""

    editions: Mapping[str, Edition]
    withheld: frozenset[str] = frozenset()
    source: str = ""
    """The sheet file, as problems name it."""

    def path(self, lang: str) -> str:
        """The edition's page in dist/."""
        return page_path(lang, self.editions[lang].slug)


@dataclass(frozen=True)
class Site:
    """What every page needs to know about the whole site."""

    config: Config
    entries: Sequence[SheetEntry]
    pdfs: PdfMap
    figures: Mapping[tuple[str, str, str], str]
    """dist/ path of each figure by (sheet id, figure id, language)."""


def printable(entry: SheetEntry, lang: str) -> bool:
    """An edition that has a real page and PDF: not withheld, not marked unavailable."""
    return lang not in entry.withheld and entry.editions[lang].sheet.status != "unavailable"


def published(entry: SheetEntry, lang: str) -> bool:
    """An edition the feed, indexes and bundles list: published, and not withheld."""
    sheet = entry.editions[lang].sheet
    return lang not in entry.withheld and sheet.status == "published"


def last_update(site: Site) -> dt.date:
    """The latest review date of any sheet (the site's 'date modified')."""
    dates = [e.editions[lang].sheet.last_reviewed
             for e in site.entries for lang in e.editions]
    return max(dates, default=dt.date(2000, 1, 1))
