"""Plan and run a build: sheets -> editions -> pages, feeds and assets in dist/, atomically."""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from jinja2 import Environment, TemplateError

from .catalogs import load_edition, publishable, ui_translations
from .config import Config
from .errors import FactsheetsError, Location, Problem
from .pages import (
    Entry,
    PdfMap,
    Site,
    make_environment,
    render_feed,
    render_index,
    render_landing,
    render_sheet,
)
from .pdf import PdfOptions
from .sources import find_sheets
from .validate import LoadedSheet, check_figure_path, display_path, load_sheets

ASSETS = ("site.css",)


@dataclass
class BuildReport:
    """What a build wrote, what it held back and every problem it met."""

    written: list[str] = field(default_factory=list)
    withheld: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        """Whether any problem is an error (warnings alone do not fail a build)."""
        return any(p.severity == "error" for p in self.problems)


def build_site(config: Config, *, allow_incomplete: bool = False,
               pdfs: PdfMap | None = None, pdf_options: PdfOptions | None = None) -> BuildReport:
    """Build every sheet in every language into the output folder; a bad sheet is reported."""
    start = time.monotonic()
    report = BuildReport()
    _check_templates(config)
    loaded, report.problems = load_sheets(config, find_sheets(config.sheets_dir))
    entries = [e for e in (_entry(config, s, allow_incomplete, report) for s in loaded) if e]
    figures = _copy_figures(config, entries, report)
    site = Site(config, entries, pdfs or {}, figures)
    envs = {lang: make_environment(config, lang, ui_translations(config, lang, report.problems))
            for lang in config.languages}
    if pdf_options is not None:
        site = _with_pdfs(envs, site, pdf_options, report)
    for entry in entries:
        _write_sheet(envs, site, entry, report)
    _write_site_pages(envs, site, report)
    _copy_assets(config, report)
    report.seconds = time.monotonic() - start
    return report


def _with_pdfs(envs: dict[str, Environment], site: Site, options: PdfOptions,
               report: BuildReport) -> Site:
    """Render the PDFs first (pdfsite.py), so sheet pages and indexes give their size and pages."""
    from .pdfsite import build_pdfs

    made = build_pdfs(envs, site, options,
                      lambda path, data: _write(site.config, path, data, report))
    report.problems.extend(made.problems)
    return replace(site, pdfs={**site.pdfs, **made.pdfs})


def _check_templates(config: Config) -> None:
    """Stop early, with a clear message, when the project has no page templates."""
    if not (config.templates_dir / "sheet.html.j2").is_file():
        raise FactsheetsError.at(config.templates_dir, "templates not found",
                                 hint="the project needs templates/ with sheet.html.j2")


def _entry(config: Config, loaded: LoadedSheet, allow_incomplete: bool,
           report: BuildReport) -> Entry | None:
    """Every edition of a sheet, or None (and a problem) if one cannot be made."""
    try:
        editions = {lang: load_edition(config, loaded, lang, report.problems)
                    for lang in config.languages}
        withheld = frozenset(lang for lang in editions if not allow_incomplete
                             and not publishable(config, loaded, lang))
    except FactsheetsError as exc:
        report.problems.extend(exc.problems)
        return None
    report.withheld.extend((loaded.sheet.id, lang) for lang in sorted(withheld))
    return Entry(editions, withheld, display_path(config, loaded.path))


def _write_sheet(envs: dict[str, Environment], site: Site, entry: Entry,
                 report: BuildReport) -> None:
    """Render and write one sheet's pages; a failure is reported against the sheet."""
    try:
        pages = {entry.path(lang): render_sheet(env, site, entry, lang)
                 for lang, env in envs.items()}
        for path, html in pages.items():
            _write(site.config, path, html.encode("utf-8"), report)
    except (FactsheetsError, TemplateError, OSError, ValueError) as exc:
        report.problems.append(_problem(entry.source, exc))


def _problem(source: str, exc: Exception) -> Problem:
    """A failure while building a sheet, located at the sheet's file."""
    if isinstance(exc, FactsheetsError):
        return exc.problems[0]
    return Problem(Location(source), f"cannot build this sheet: {type(exc).__name__}: {exc}")


def _write_site_pages(envs: dict[str, Environment], site: Site, report: BuildReport) -> None:
    """The indexes and feeds of every language, and the landing page."""
    for lang, env in envs.items():
        _write(site.config, f"{lang}/index.html", render_index(env, site, lang).encode(), report)
        _write(site.config, f"{lang}/feed.xml", render_feed(env, site, lang).encode(), report)
    _write(site.config, "index.html", render_landing(envs, site).encode(), report)


def _copy_assets(config: Config, report: BuildReport) -> None:
    """The stylesheet and the fonts, which pages load from dist/assets/."""
    for name in ASSETS:
        _write(config, f"assets/{name}", (config.templates_dir / name).read_bytes(), report)
    for font in sorted((config.templates_dir / "fonts").glob("*")):
        _write(config, f"assets/fonts/{font.name}", font.read_bytes(), report)


def _copy_figures(config: Config, entries: list[Entry],
                  report: BuildReport) -> dict[tuple[str, str, str], str]:
    """Copy each figure (NAME.<lang>.svg when it exists) and say where each edition finds it."""
    where: dict[tuple[str, str, str], str] = {}
    for entry in entries:
        for lang, edition in entry.editions.items():
            for figure in edition.sheet.figures:
                source = figure_file(config, figure.src, lang)
                target = "media/" + source.relative_to(config.root).as_posix()
                if target not in report.written:
                    _write(config, target, source.read_bytes(), report)
                where[(edition.sheet.id, figure.id, lang)] = target
    return where


def figure_file(config: Config, src: str, lang: str) -> Path:
    """The figure file for a language: `x.fr.svg` beside `x.svg` wins in French.

    The localized file passes the same checks as the one the sheet names, or is not used.
    """
    name = PurePosixPath(src)
    localized = str(name.with_name(f"{name.stem}.{lang}{name.suffix}"))
    chosen = localized if not check_figure_path(config, localized) else src
    return (config.sheets_dir / chosen).resolve()


def _write(config: Config, relpath: str, data: bytes, report: BuildReport) -> None:
    """Write one output file and record it."""
    write_atomic(config.output_dir / relpath, data)
    report.written.append(relpath)


def write_atomic(path: Path, data: bytes) -> None:
    """Write a file so readers see the old or the new one, never half of either."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

