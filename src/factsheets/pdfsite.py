"""A site's sheets -> PDF jobs: one per printable edition, then one bundle per language."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from .bundle import BundleJob
from .markup import plain_text
from .pages import Entry, PdfInfo, Site, render_sheet
from .pdf import PdfJob, PdfMeta, PdfOptions, page_css, print_html
from .translate import Edition

BUNDLE_TEMPLATE = "pdf/bundle.html.j2"


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
    sheets = [_bundle_sheet(entry.editions[lang], pdfs) for entry in entries]
    updated = max(e.editions[lang].sheet.last_reviewed for e in entries)
    html = env.get_template(BUNDLE_TEMPLATE).render(
        tag=config.locale_tag(lang), title=title, sheets=sheets, updated=updated,
        home=f"{config.base_url}{lang}/index.html")
    meta = PdfMeta(title=title, lang=config.locale_tag(lang), publisher=title,
                   description=", ".join(s["title"] for s in sheets), modified=updated)
    front = PdfJob(html, meta.plain(), config, str(config.templates_dir / BUNDLE_TEMPLATE),
                   page_css(env, title, options), (config.output_dir / bundle_path(lang)).as_uri())
    return BundleJob(front, tuple(s["pdf"].path for s in sheets),
                     tuple(s["pdf"].pages for s in sheets))


def _bundle_sheet(edition: Edition, pdfs: dict[tuple[str, str], PdfInfo]) -> dict[str, Any]:
    """A sheet as the bundle's contents show it: its title, anchor and PDF."""
    return {"title": edition.sheet.title, "anchor": f"sheet-{edition.slug}",
            "pdf": pdfs[(edition.sheet.id, edition.lang)]}
