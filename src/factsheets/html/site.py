"""The site model: every sheet's editions, PDFs and figures, as plain data that renders nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, cast
from urllib.parse import quote

from ..config import Config
from ..i18n.fields import Edition
from ..model.articles import Article
from ..model.schema import Audience

AUDIENCES = tuple(a.value for a in Audience)


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
    paper: str = ""
    """"letter" or "a4", which the link names (the secretary printing it needs to know)."""


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
    pages: Sequence[SheetEntry] = ()
    """About, Contact and the other pages of pages/ (their editions hold an `Article`)."""
    news: Sequence[SheetEntry] = ()
    """The news items of news/, for What's new."""

    def sheet_by_id(self, sheet_id: str) -> SheetEntry | None:
        """The sheet whose source file is `<sheet_id>.yaml`."""
        return next((e for e in self.entries if PurePosixPath(e.source).stem == sheet_id), None)


def printable(entry: SheetEntry, lang: str) -> bool:
    """An edition that has a real page and PDF: not withheld, not marked unavailable."""
    return lang not in entry.withheld and entry.editions[lang].sheet.status != "unavailable"


def published(entry: SheetEntry, lang: str) -> bool:
    """An edition the feed, indexes and bundles list: published, and not withheld."""
    sheet = entry.editions[lang].sheet
    return lang not in entry.withheld and sheet.status == "published"


def audience_slug(audience: str) -> str:
    """An audience as addresses and file names spell it: `law-enforcement`."""
    return audience.replace("_", "-")


def audience_path(lang: str, audience: str) -> str:
    """Where a language's page for one audience lives in dist/ (`fr/for-educators.html`)."""
    return f"{lang}/for-{audience_slug(audience)}.html"


def for_audience(site: Site, lang: str, audience: str) -> list[SheetEntry]:
    """The published sheets in `lang` that speak to `audience` or hold tips for it."""
    return [e for e in site.entries if published(e, lang)
            and (audience in e.editions[lang].sheet.audiences
                 or getattr(e.editions[lang].sheet.tips, audience))]


def search_path(lang: str) -> str:
    """Where a language's search page lives in dist/."""
    return f"{lang}/search.html"


INDEX_FOLDER = "pagefind/"
"""The search index's folder in dist/, written by Pagefind."""
SEARCH_ENTRY = "pagefind/pagefind-entry.json"
"""The file of the Pagefind index the build records (the index is rebuilt as a whole)."""


def whats_new_path(lang: str) -> str:
    """Where a language's "What's new" page lives in dist/."""
    return f"{lang}/whats-new.html"


@dataclass(frozen=True)
class Event:
    """One dated line of "What's new": a sheet published, revised or made unavailable."""

    date: dt.date
    kind: str
    """`published`, `revised`, `unavailable` or `news`."""
    entry: SheetEntry
    target: SheetEntry | None = None
    """The sheet a news item links to."""


def events(site: Site, lang: str) -> list[Event]:
    """The site's history in `lang`, newest first: each published sheet's first publication
    and latest revision, and each sheet that readers cannot get now."""
    found = []
    for entry in site.entries:
        sheet = entry.editions[lang].sheet
        if lang in entry.withheld or sheet.status == "draft":
            continue
        if sheet.status == "unavailable":
            found.append(Event(sheet.last_reviewed, "unavailable", entry))
            continue
        found.append(Event(sheet.first_published, "published", entry))
        if sheet.last_reviewed > sheet.first_published:
            found.append(Event(sheet.last_reviewed, "revised", entry))
    for item in site.news:
        article = news_item(item, lang)
        if lang not in item.withheld and article.status == "published" and article.date:
            target = site.sheet_by_id(article.link) if article.link else None
            found.append(Event(article.date, "news", item,
                               target if target and published(target, lang) else None))
    return sorted(found, key=lambda e: (e.date, e.kind == "news", e.kind == "revised"),
                  reverse=True)


def last_update(site: Site) -> dt.date:
    """The latest review date of any sheet, or date of any news item (the site's 'date
    modified')."""
    dates = [e.editions[lang].sheet.last_reviewed
             for e in site.entries for lang in e.editions]
    dates += [d for n in site.news for lang in n.editions if (d := news_item(n, lang).date)]
    return max(dates, default=dt.date(2000, 1, 1))


def news_item(entry: SheetEntry, lang: str) -> Article:
    """A news entry's item in `lang` (its edition holds an `Article`, not a `Sheet`)."""
    return cast(Article, entry.editions[lang].sheet)


def report_link(template: str, page_url: str) -> str:
    """The "Report a problem on this page" address with the page's address filled in."""
    if not template:
        return ""
    if "{page}" in template:
        return template.replace("{page}", quote(page_url, safe=""))
    name = "subject" if template.startswith("mailto:") else "page"
    joiner = "&" if "?" in template else "?"
    return f"{template}{joiner}{name}={quote(page_url, safe='')}"
