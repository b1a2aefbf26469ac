"""Job keys: for each output, one hash of everything it reads, so unchanged jobs are skipped.

A key names files by content hash (`inputs.Fingerprints`) and adds the facts a page takes
from other sheets or editions (slugs, whether an edition is withheld, PDF sizes).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateError, meta

from ..config import Config
from ..html.site import SheetEntry, Site, handouts, last_update
from ..i18n.pofile import UI_DOMAIN, catalog_path
from ..pdf.jobs import FOOTER_TEMPLATE, PdfOptions
from .fingerprints import Fingerprints, digest, settings_of, toolkit
from .published import edition_catalog

PAGE_CSS = ("pdf/page.css.j2", FOOTER_TEMPLATE)
"""The templates of every PDF's @page rule."""
COLOPHON = "pdf/colophon.html.j2"
"""The end of every printed sheet (pdf.plan.COLOPHON_TEMPLATE)."""
HANDOUT = "pdf/handout.html.j2"
"""A one-page handout (pdf.plan.HANDOUT_TEMPLATE)."""


@dataclass
class Keys:
    """Computes job keys for one build."""

    config: Config
    prints: Fingerprints
    env: Environment
    base: str
    """The toolkit's code, its libraries and the project settings."""
    templates: dict[tuple[str, ...], str] = field(default_factory=dict)
    named: dict[str, list[str]] = field(default_factory=dict)
    """Each template read so far -> the templates it names (each is parsed once a build)."""

    @classmethod
    def make(cls, config: Config, prints: Fingerprints, env: Environment,
             site: Site | None = None) -> Keys:
        """Keys for a build; every page's footer links the site's pages, so their titles
        and addresses are part of every key."""
        footer = [(lang, e.path(lang), e.editions[lang].sheet.title, lang in e.withheld)
                  for e in (site.pages if site else ()) for lang in e.editions]
        base = digest(toolkit(), settings_of(config), footer)
        return cls(config, prints, env, base)

    @functools.cached_property
    def print_assets(self) -> str:
        """print.css and the fonts it embeds."""
        folder = self.config.templates_dir
        return self.prints.all_of([folder / "print.css", *sorted((folder / "fonts").glob("*"))])

    def template(self, *names: str) -> str:
        """The templates named and every template they extend, import or include."""
        if names not in self.templates:
            self.templates[names] = self.prints.all_of(sorted(self._closure(names)))
        return self.templates[names]

    def _closure(self, names: tuple[str, ...]) -> set[Path]:
        seen: set[str] = set()
        todo = list(names)
        while todo:
            name = todo.pop()
            if name not in seen:
                seen.add(name)
                if name not in self.named:
                    self.named[name] = self._references(name)
                todo.extend(self.named[name])
        return {self.config.templates_dir / name for name in seen}

    def _references(self, name: str) -> list[str]:
        """Templates one template names; all of them if it names one by a variable."""
        try:
            source = self.env.loader.get_source(self.env, name)[0]  # type: ignore[union-attr]
            found = list(meta.find_referenced_templates(self.env.parse(source)))
        except TemplateError:
            return []
        if None in found:
            return self.env.list_templates()
        return [n for n in found if n is not None]

    def ui(self, lang: str) -> str:
        """The templates' strings in `lang` (its ui.po)."""
        return self.prints.of(catalog_path(self.config, lang, UI_DOMAIN))

    def edition(self, site: Site, entry: SheetEntry, lang: str) -> str:
        """One edition: the sheet file, its catalog in `lang`, its figures, whether withheld."""
        sheet = entry.editions[lang].sheet
        figures = [site.figures[(sheet.id, f.id, lang)] for f in sheet.figures]
        source = self.config.root / entry.source
        return digest(self.prints.of(source),
                      self.prints.of(edition_catalog(self.config, source, lang)),
                      lang in entry.withheld,
                      [(t, self.prints.of(self.config.root / t.removeprefix("media/")))
                       for t in figures])

    def _page_inputs(self, site: Site, entry: SheetEntry, lang: str) -> list[Any]:
        """What a sheet page reads: its edition, and each edition's slug and state."""
        others = [(code, e.slug, code in entry.withheld) for code, e in entry.editions.items()]
        return [self.edition(site, entry, lang), others, self.ui(lang)]

    def page(self, site: Site, entry: SheetEntry, lang: str) -> str:
        """A sheet's HTML page in one language (it shows its PDF's pages and size)."""
        sheet = entry.editions[lang].sheet
        pdf = site.pdfs.get((sheet.id, lang))
        return digest("page", self.base, self.template("sheet.html.j2"),
                      self._page_inputs(site, entry, lang), pdf,
                      handouts(site.pdfs, sheet.id, sheet.audiences, lang))

    def pdf(self, site: Site, entry: SheetEntry, lang: str, options: PdfOptions) -> str:
        """A sheet's PDF in one language: its print page, print.css, fonts and options, and
        the other editions' titles (its colophon names them)."""
        titles = [(code, str(e.sheet.title)) for code, e in entry.editions.items()]
        return digest("pdf", self.base, self.template("sheet.html.j2", COLOPHON, *PAGE_CSS),
                      self.print_assets, self._page_inputs(site, entry, lang), titles, options)

    def handout(self, site: Site, entry: SheetEntry, lang: str, audience: str,
                options: PdfOptions) -> str:
        """A sheet's one-page handout for one audience: as its PDF, with its own template."""
        titles = [(code, str(e.sheet.title)) for code, e in entry.editions.items()]
        return digest("handout", self.base, self.template(HANDOUT, COLOPHON, *PAGE_CSS),
                      self.print_assets, self._page_inputs(site, entry, lang), titles, audience,
                      options)

    def bundle(self, site: Site, entries: list[SheetEntry], lang: str, templates: tuple[str, ...],
               options: PdfOptions) -> str:
        """A language's bundle: its front matter, and the PDFs of the sheets it holds, in order."""
        return digest("bundle", self.base, self.template(*templates, *PAGE_CSS),
                      self.print_assets, self.ui(lang), options,
                      [self.pdf(site, e, lang, options) for e in entries])

    def article(self, entry: SheetEntry, lang: str) -> str:
        """A page of pages/ in one language: its file, its catalog, its other editions."""
        source = self.config.root / entry.source
        others = [(code, e.slug, code in entry.withheld) for code, e in entry.editions.items()]
        return digest("article", self.base, self.template("article.html.j2"),
                      self.prints.of(source),
                      self.prints.of(catalog_path(self.config, lang, source.stem)),
                      others, self.ui(lang))

    def listing(self, site: Site, template: str, lang: str) -> str:
        """An index or feed: every edition in `lang`, its PDF, the news and the site's last
        update."""
        editions = [(self.edition(site, e, lang), e.editions[lang].slug) for e in site.entries]
        news = [self.article(e, lang) for e in site.news]
        pdfs = sorted((k[0], v) for k, v in site.pdfs.items() if k[1] == lang)
        return digest("listing", self.base, self.template(template), self.ui(lang),
                      editions, news, pdfs, last_update(site))

    def landing(self, site: Site, templates: tuple[str, ...]) -> str:
        """The landing page: each language's site title and the site's last update."""
        return digest("landing", self.base, self.template(*templates),
                      [self.ui(lang) for lang in self.config.languages], last_update(site))

    def furniture(self, templates: tuple[str, ...], langs: list[str]) -> str:
        """A page that shows no sheet (a 404 page): its templates and its languages' strings."""
        return digest("furniture", self.base, self.template(*templates),
                      [self.ui(lang) for lang in langs])

    def svg_figure(self, source: Path) -> str:
        """An SVG figure as published: the file, the toolkit that embeds the fonts, the fonts."""
        fonts = sorted((self.config.templates_dir / "fonts").glob("*.ttf"))
        return digest("svg-figure", toolkit(), self.prints.name(source), self.prints.of(source),
                      self.prints.all_of(fonts))

    def copy(self, source: Path) -> str:
        """A file copied as it is (stylesheet, font, figure)."""
        return digest("copy", self.prints.name(source), self.prints.of(source))

