"""A site's sheets -> one PDF per printable edition and one bundle per language, in dist/."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from .errors import FactsheetsError, Location, Problem
from .markup import plain_text
from .pages import Entry, PdfInfo, Site, render_sheet
from .pdf import PdfMeta, PdfOptions, RenderedPdf, page_css, print_html, render_pdf
from .translate import Edition

BUNDLE_TEMPLATE = "pdf/bundle.html.j2"
Write = Callable[[str, bytes], None]
"""Writes a file into dist/ (a path relative to it) atomically."""


@dataclass
class PdfReport:
    """The PDFs a build made, by (sheet id, language), and the problems met on the way."""

    pdfs: dict[tuple[str, str], PdfInfo] = field(default_factory=dict)
    bundles: dict[str, PdfInfo] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def pdf_path(lang: str, slug: str) -> str:
    """Where a sheet's PDF lives in dist/, beside its page (`fr/webcameras.pdf`)."""
    return f"{lang}/{slug}.pdf"


def bundle_path(lang: str) -> str:
    """Where a language's bundle of every published sheet lives in dist/."""
    return f"{lang}/fact-sheets-{lang}.pdf"


def build_pdfs(envs: Mapping[str, Environment], site: Site, options: PdfOptions,
               write: Write) -> PdfReport:
    """Render every printable edition and each language's bundle; report, never stop."""
    report = PdfReport()
    for lang, env in envs.items():
        for entry in site.entries:
            if _printable(entry, lang):
                edition = entry.editions[lang]
                rendered = _job(report, entry.source, sheet_pdf, env, site, entry, lang, options)
                if rendered:
                    path = pdf_path(lang, edition.slug)
                    report.pdfs[(edition.sheet.id, lang)] = _save(rendered, path, write)
        published = [e for e in site.entries if _published(e, lang)
                     and (e.editions[lang].sheet.id, lang) in report.pdfs]
        source = str(site.config.templates_dir / BUNDLE_TEMPLATE)
        bundle = published and _job(report, source, bundle_pdf, env, site, published, lang,
                                    options)
        if bundle:
            report.bundles[lang] = _save(bundle, bundle_path(lang), write)
    return report


def _printable(entry: Entry, lang: str) -> bool:
    """An edition that has a real page: not withheld, not marked unavailable."""
    return lang not in entry.withheld and entry.editions[lang].sheet.status != "unavailable"


def _published(entry: Entry, lang: str) -> bool:
    """An edition the bundles hold: published and not withheld."""
    return lang not in entry.withheld and entry.editions[lang].sheet.status == "published"


def _job(report: PdfReport, source: str, make: Callable[..., RenderedPdf],
         *args: Any) -> RenderedPdf | None:
    """Run one PDF job; a refused resource or a failure is reported against `source`."""
    try:
        rendered = make(*args)
    except FactsheetsError as exc:
        report.problems.extend(exc.problems)
        return None
    except (OSError, ValueError) as exc:
        report.problems.append(Problem(Location(source), f"cannot make the PDF: {exc}"))
        return None
    report.problems.extend(rendered.warnings)
    return rendered


def _save(rendered: RenderedPdf, path: str, write: Write) -> PdfInfo:
    """Write a PDF into dist/ and say what the index shows of it."""
    write(path, rendered.data)
    return PdfInfo(path, rendered.pages, len(rendered.data))


def sheet_pdf(env: Environment, site: Site, entry: Entry, lang: str,
              options: PdfOptions) -> RenderedPdf:
    """One sheet in one language: its own HTML page, made for print, rendered to PDF."""
    config = site.config
    meta = edition_meta(env, site, entry.editions[lang])
    return render_pdf(print_page(env, site, entry, lang), meta, config, entry.source,
                      page_css=page_css(env, meta.title, options),
                      base_url=(config.output_dir / entry.path(lang)).as_uri())


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


def bundle_pdf(env: Environment, site: Site, entries: list[Entry], lang: str,
               options: PdfOptions) -> RenderedPdf:
    """Every published sheet of a language in one PDF: cover, contents, then the sheets."""
    config = site.config
    title = _site_title(env, site)
    sheets = [_bundle_sheet(env, site, entry, lang) for entry in entries]
    updated = max(e.editions[lang].sheet.last_reviewed for e in entries)
    html = env.get_template(BUNDLE_TEMPLATE).render(
        tag=config.locale_tag(lang), title=title, sheets=sheets, updated=updated,
        home=f"{config.base_url}{lang}/index.html")
    meta = PdfMeta(title=title, lang=config.locale_tag(lang), publisher=title,
                   description=", ".join(s["title"] for s in sheets), modified=updated)
    return render_pdf(html, meta, config, config.templates_dir / BUNDLE_TEMPLATE,
                      page_css=page_css(env, title, options),
                      base_url=(config.output_dir / bundle_path(lang)).as_uri())


def _bundle_sheet(env: Environment, site: Site, entry: Entry, lang: str) -> dict[str, Any]:
    """A sheet as the bundle holds it: its title, anchor and the body of its print page."""
    edition = entry.editions[lang]
    anchor = f"sheet-{edition.slug}"
    return {"title": edition.sheet.title, "anchor": anchor,
            "body": sheet_body(print_page(env, site, entry, lang), anchor)}


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
