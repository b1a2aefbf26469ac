"""A site's sheets -> PDF jobs: one per printable edition, then one bundle per language."""

from __future__ import annotations

import functools
import itertools
import posixpath
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from jinja2 import Environment
from markupsafe import Markup

from ..config import PAGE_SIZES, Config
from ..html.pages import render_sheet, site_title
from ..html.site import PdfInfo, SheetEntry, Site, audience_slug, printable
from ..i18n.fields import Edition
from ..model.markup import plain_text
from . import bundle
from .bundle import BundleJob, Part
from .jobs import FOOTER_TEMPLATE, PdfJob, PdfMeta, PdfOptions, counter_content, css_string
from .typeset import typeset

COLOPHON_TEMPLATE = "pdf/colophon.html.j2"
"""The end of every printed sheet (and handout)."""
HANDOUT_TEMPLATE = "pdf/handout.html.j2"
"""A sheet's one-page handout for one audience."""
BUNDLE_TEMPLATES = ("pdf/bundle.html.j2", "pdf/stand-ins.html.j2")
"""A bundle's front matter, and the blank pages that carry its sheets' footers."""


def pdf_path(lang: str, slug: str) -> str:
    """Where a sheet's PDF lives in dist/, beside its page (`fr/webcameras.pdf`)."""
    return f"{lang}/{slug}.pdf"


def bundle_path(lang: str) -> str:
    """Where a language's bundle of every published sheet lives in dist/."""
    return f"{lang}/fact-sheets-{lang}.pdf"


def sheet_job(env: Environment, site: Site, entry: SheetEntry, lang: str,
              options: PdfOptions) -> PdfJob:
    """One sheet in one language: its own HTML page, made for print, as a PDF job."""
    config = site.config
    meta = edition_meta(env, site, entry.editions[lang])
    html = print_page(env, site, entry, lang)
    draft = entry.editions[lang].sheet.status == "draft"
    return PdfJob(html, meta.plain(), config, entry.source,
                  page_css(env, meta.title, options, draft=draft),
                  (config.output_dir / entry.path(lang)).as_uri())


def print_page(env: Environment, site: Site, entry: SheetEntry, lang: str) -> str:
    """The sheet's own page in one language, made for print, ending with its colophon."""
    return print_html(render_sheet(env, site, entry, lang), entry.path(lang), site.config,
                      colophon(env, site, entry, lang))


def handout_path(lang: str, slug: str, audience: str) -> str:
    """Where the one-page handout of a sheet for one audience lives in dist/ (the audience
    written as in its page's address: `webcams-law-enforcement.pdf`)."""
    return f"{lang}/handouts/{slug}-{audience_slug(audience)}.pdf"


def handout_job(env: Environment, site: Site, entry: SheetEntry, lang: str, audience: str,
                options: PdfOptions) -> PdfJob:
    """One sheet's one-page handout for one audience, in one language, as a PDF job."""
    config = site.config
    sheet = entry.editions[lang].sheet
    meta = edition_meta(env, site, entry.editions[lang])
    who = _audience_name(env, audience)
    title = f"{meta.title} – {who}"
    signs = sheet.warning_signs if audience in ("parents", "educators") else []
    html = env.get_template(HANDOUT_TEMPLATE).render(
        tag=config.locale_tag(lang), title=title, site_title=site_title(env, site),
        sheet=sheet, audience=audience, tips=getattr(sheet.tips, audience), warning_signs=signs,
        colophon=Markup(colophon(env, site, entry, lang, handout=True)))
    path = handout_path(lang, entry.editions[lang].slug, audience)
    html = print_html(html, path, config)
    return PdfJob(html, replace(meta, title=title).plain(), config, entry.source,
                  page_css(env, title, options), (config.output_dir / path).as_uri(),
                  one_page=f"{audience.replace('_', ' ')} ({lang})")


def _audience_name(env: Environment, audience: str) -> str:
    """An audience's name in the environment's language (macros.html.j2)."""
    macros = env.get_template("macros.html.j2").module
    return str(macros.audience_name(audience)).strip()  # type: ignore[attr-defined]


def colophon(env: Environment, site: Site, entry: SheetEntry, lang: str,
             handout: bool = False) -> str:
    """templates/pdf/colophon.html.j2 for one edition: publisher, addresses, QR code, date."""
    config = site.config
    url = config.base_url + entry.path(lang)
    others = [{"lang": code, "title": edition.sheet.title,
               "url": config.base_url + entry.path(code)}
              for code, edition in entry.editions.items()
              if code != lang and printable(entry, code)]
    return env.get_template(COLOPHON_TEMPLATE).render(
        site_title=site_title(env, site), url=url, others=others, qr=qr_code(url), handout=handout,
        last_reviewed=entry.editions[lang].sheet.last_reviewed)


@functools.lru_cache(maxsize=64)
def qr_code(url: str) -> str:
    """A QR code of `url` as an SVG `data:` URL (black on white, the standard 4-module margin);
    made once for a sheet and all its handouts."""
    import segno

    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=4, dark="#000"))


def edition_meta(env: Environment, site: Site, edition: Edition) -> PdfMeta:
    """Title, language, summary, keywords, publisher and dates of an edition."""
    sheet = edition.sheet
    return PdfMeta(title=plain_text(sheet.title), lang=site.config.locale_tag(edition.lang),
                   description=sheet.summary, keywords=tuple(sheet.keywords),
                   publisher=site_title(env, site), created=sheet.first_published,
                   modified=sheet.last_reviewed)


def bundle_job(env: Environment, site: Site, entries: list[SheetEntry], lang: str,
               options: PdfOptions, pdfs: dict[tuple[str, str], PdfInfo]) -> BundleJob:
    """Every published sheet of a language in one PDF: cover, contents, then the sheets' PDFs.

    `pdfs` gives each sheet's PDF (made already) and its page count, for the contents.
    """
    config = site.config
    title = site_title(env, site)
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
        tag=tag, title=title, count=min(bundle.CHUNK, sum(part.pages for part in parts)))
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


def page_css(env: Environment, title: str, options: PdfOptions, *, draft: bool = False) -> str:
    """The @page rule of one PDF (templates/pdf/page.css.j2): size, marks, running footer,
    and a draft's stamp at the top of every page."""
    template = env.get_template("pdf/page.css.j2")
    return template.render(size=PAGE_SIZES[options.page_size], print_marks=options.print_marks,
                           draft=draft,
                           title=title, css_string=lambda t: Markup(css_string(t)),
                           footer=Markup(counter_content(footer_label(env))))


def footer_label(env: Environment) -> str:
    """The running footer's label in the environment's language: `Page {page} of {pages}`."""
    return env.get_template(FOOTER_TEMPLATE).render().strip()  # plain text: no autoescape


WEB_FURNITURE = ('//link[@rel="stylesheet" or @rel="alternate"] | /html/body/header'
                 ' | /html/body/footer | //nav | //*[contains(@class, "skip-link")]'
                 ' | //*[contains(@class, "date-modified")] | //*[contains(@class, "screen-only")]'
                 ' | //*[contains(@class, "pdf-link")]/ancestor::div[1]'
                 ' | //*[contains(@class, "handouts")]')
"""What only a screen reader of the site needs: header, toggle, skip link, contents, footer."""


def print_html(html: str, page_path: str, config: Config, colophon: str = "") -> str:
    """The sheet's own HTML, made for print: absolute links, project figures, no web
    furniture, addresses and numbers kept whole, and the colophon at the end of `main`."""
    import lxml.html

    root = lxml.html.document_fromstring(html)
    page_url = config.base_url + page_path
    _title_band(root)
    for node in root.xpath(WEB_FURNITURE):
        node.drop_tree()
    for link in root.iter("a"):
        _absolute_link(link, page_url)
    for image in root.iter("img"):
        image.set("src", _figure_source(image.get("src", ""), page_path, config))
    typeset(root)
    if colophon:
        for main in root.iter("main"):
            main.append(lxml.html.fragment_fromstring(colophon))
    return str(lxml.html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode"))


def _title_band(root: Any) -> None:
    """The series name (the site's title, from the web header) above the sheet's title, and
    the title, subtitle and facts in one band (print.css)."""
    title = root.xpath('//*[contains(@class, "site-title")]')
    heading = root.find(".//main//h1")
    if not title or heading is None:
        return
    series = heading.makeelement("p", {"class": "series"})
    series.text = title[0].text_content().strip()
    lang = next((el.get("lang") for el in title[0].iter() if el.get("lang")), None)
    if lang:
        series.set("lang", lang)
    heading.addprevious(series)


def _absolute_link(link: Any, page_url: str) -> None:
    """A relative `href` becomes an address on the published site (a PDF has no folder)."""
    href = link.get("href")
    if href and not urlsplit(href).scheme and not href.startswith("#"):
        link.set("href", urljoin(page_url, href))


def _figure_source(src: str, page_path: str, config: Config) -> str:
    """A figure copied to dist/media/ is read from the project's own file instead."""
    if urlsplit(src).scheme:
        return src
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), src))
    if target.startswith("media/"):
        return (config.root / target.removeprefix("media/")).as_uri()
    return src
