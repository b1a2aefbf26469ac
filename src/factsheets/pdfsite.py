"""A site's sheets -> PDF jobs: one per printable edition, then one bundle per language."""

from __future__ import annotations

import itertools
from typing import Any

from jinja2 import Environment

from .bundle import CHUNK, BundleJob, Part
from .config import Config
from .markup import plain_text
from .pages import Entry, PdfInfo, Site, render_sheet
from .pdf import PdfJob, PdfMeta, PdfOptions, footer_label, page_css, print_html
from .translate import Edition

BUNDLE_TEMPLATES = ("pdf/bundle.html.j2", "pdf/stand-ins.html.j2")
"""A bundle's front matter, and the blank pages that carry its sheets' footers."""


def pdf_path(lang: str, slug: str) -> str:
    """Where a sheet's PDF lives in dist/, beside its page (`fr/webcameras.pdf`)."""
    return f"{lang}/{slug}.pdf"


def bundle_path(lang: str) -> str:
    """Where a language's bundle of every published sheet lives in dist/."""
    return f"{lang}/fact-sheets-{lang}.pdf"


def printable(entry: Entry, lang: str) -> bool:
    """An edition that has a real page: not withheld, not marked unavailable."""
    return lang not in entry.withheld and entry.editions[lang].sheet.status != "unavailable"


def published(entry: Entry, lang: str) -> bool:
    """An edition the bundles hold: published and not withheld."""
    return lang not in entry.withheld and entry.editions[lang].sheet.status == "published"


def sheet_job(env: Environment, site: Site, entry: Entry, lang: str,
              options: PdfOptions) -> PdfJob:
    """One sheet in one language: its own HTML page, made for print, as a PDF job."""
    config = site.config
    meta = edition_meta(env, site, entry.editions[lang])
    html = print_page(env, site, entry, lang)
    return PdfJob(html, meta.plain(), config, entry.source, page_css(env, meta.title, options),
                  (config.output_dir / entry.path(lang)).as_uri())


def print_page(env: Environment, site: Site, entry: Entry, lang: str) -> str:
    """The sheet's own page in one language, made for print."""
    return print_html(render_sheet(env, site, entry, lang), entry.path(lang), site.config)


def edition_meta(env: Environment, site: Site, edition: Edition) -> PdfMeta:
    """Title, language, summary, keywords, publisher and dates of an edition."""
    sheet = edition.sheet
    return PdfMeta(title=plain_text(sheet.title), lang=site.config.locale_tag(edition.lang),
                   description=sheet.summary, keywords=tuple(sheet.keywords),
                   publisher=_site_title(env, site), created=sheet.first_published,
                   modified=sheet.last_reviewed)


def _site_title(env: Environment, site: Site) -> str:
    """The site's title in the environment's language, a `Text` that knows its language."""
    ui: Any = env.globals["ui"]
    title: str = ui.text(site.config.title)
    return title


def bundle_job(env: Environment, site: Site, entries: list[Entry], lang: str,
               options: PdfOptions, pdfs: dict[tuple[str, str], PdfInfo]) -> BundleJob:
    """Every published sheet of a language in one PDF: cover, contents, then the sheets' PDFs.

    `pdfs` gives each sheet's PDF (made already) and its page count, for the contents.
    """
    config = site.config
    title = _site_title(env, site)
    parts = [_part(config, entry.editions[lang], pdfs) for entry in entries]
    before = itertools.accumulate((part.pages for part in parts[:-1]), initial=0)
    sheets = [{"title": entry.editions[lang].sheet.title, "url": part.url, "offset": offset}
              for entry, part, offset in zip(entries, parts, before, strict=True)]
    updated = max(e.editions[lang].sheet.last_reviewed for e in entries)
    tag = config.locale_tag(lang)
    html = env.get_template(BUNDLE_TEMPLATES[0]).render(
        tag=tag, title=title, sheets=sheets, updated=updated,
        home=f"{config.base_url}{lang}/index.html")
    stand_ins = env.get_template(BUNDLE_TEMPLATES[1]).render(
        tag=tag, title=title, count=min(CHUNK, sum(part.pages for part in parts)))
    meta = PdfMeta(title=title, lang=tag, publisher=title,
                   description=", ".join(part.title for part in parts), modified=updated)
    css = page_css(env, title, options)
    base_url = (config.output_dir / bundle_path(lang)).as_uri()
    source = str(config.templates_dir / BUNDLE_TEMPLATES[0])
    return BundleJob(PdfJob(html, meta.plain(), config, source, css, base_url),
                     PdfJob(stand_ins, meta.plain(), config, source, css, base_url, tagged=False),
                     footer_label(env), tuple(parts))


def _part(config: Config, edition: Edition, pdfs: dict[tuple[str, str], PdfInfo]) -> Part:
    """A sheet as its bundle holds it: its PDF, page count, address and title."""
    pdf = pdfs[(edition.sheet.id, edition.lang)]
    return Part(pdf.path, pdf.pages, config.base_url + pdf.path, plain_text(edition.sheet.title))
