"""A site's sheets -> PDF jobs: one per printable edition and one bundle per language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from .markup import plain_text
from .pages import Entry, Site, render_sheet
from .pdf import PdfJob, PdfMeta, PdfOptions, page_css, print_html
from .translate import Edition

BUNDLE_TEMPLATE = "pdf/bundle.html.j2"
PrintPage = Callable[[Environment, Site, Entry, str], str]
"""Gives a sheet's print page in one language (`print_page`, or a memo of it)."""


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


def sheet_job(env: Environment, site: Site, entry: Entry, lang: str, options: PdfOptions,
              page: PrintPage | None = None) -> PdfJob:
    """One sheet in one language: its own HTML page, made for print, as a PDF job."""
    config = site.config
    meta = edition_meta(env, site, entry.editions[lang])
    html = (page or print_page)(env, site, entry, lang)
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
               options: PdfOptions, page: PrintPage | None = None) -> PdfJob:
    """Every published sheet of a language in one PDF job: cover, contents, then the sheets."""
    config = site.config
    title = _site_title(env, site)
    sheets = [_bundle_sheet(env, site, entry, lang, page or print_page) for entry in entries]
    updated = max(e.editions[lang].sheet.last_reviewed for e in entries)
    html = env.get_template(BUNDLE_TEMPLATE).render(
        tag=config.locale_tag(lang), title=title, sheets=sheets, updated=updated,
        home=f"{config.base_url}{lang}/index.html")
    meta = PdfMeta(title=title, lang=config.locale_tag(lang), publisher=title,
                   description=", ".join(s["title"] for s in sheets), modified=updated)
    return PdfJob(html, meta.plain(), config, str(config.templates_dir / BUNDLE_TEMPLATE),
                  page_css(env, title, options), (config.output_dir / bundle_path(lang)).as_uri())


def _bundle_sheet(env: Environment, site: Site, entry: Entry, lang: str,
                  page: PrintPage) -> dict[str, Any]:
    """A sheet as the bundle holds it: its title, anchor and the body of its print page."""
    edition = entry.editions[lang]
    anchor = f"sheet-{edition.slug}"
    return {"title": edition.sheet.title, "anchor": anchor,
            "body": sheet_body(page(env, site, entry, lang), anchor)}


def sheet_body(html: str, anchor: str) -> Markup:
    """The inside of a page's <main>, its ids (and links to them) prefixed with `anchor`."""
    import lxml.html

    main = lxml.html.document_fromstring(html).find(".//main")
    if main is None:
        raise ValueError("the sheet page has no <main>")
    for element in main.iter():
        for name in ("id", "aria-labelledby", "aria-describedby"):
            if element.get(name):
                element.set(name, " ".join(f"{anchor}-{v}" for v in element.get(name).split()))
        if element.tag == "a" and element.get("href", "").startswith("#"):
            element.set("href", f"#{anchor}-{element.get('href')[1:]}")
    inner = (main.text or "") + "".join(lxml.html.tostring(c, encoding="unicode") for c in main)
    return Markup(inner)
