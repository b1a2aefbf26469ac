"""The translator's commands: `i18n extract`, `update`, `compile` and `stats`, on every domain.

A domain is a sheet's id, or `ui` for the page templates. `extract_all` writes each .pot
(`extract.py`), `update_all` merges it into each language's .po (`merge.py`), `compile_all`
writes the .mo files the build reads, and `stats` counts what is usable (`editions.py`).
"""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..errors import CatalogError, Problem
from ..model.validate import LoadedSheet
from .editions import CatalogProgress, catalog_problems, progress, ui_progress
from .extract import sheet_template, template_files, ui_template, write_template
from .merge import update_domain
from .pofile import UI_DOMAIN, mo_bytes, read_catalog, template_path, write_if_changed


def extract_all(config: Config, sheets: list[LoadedSheet],
                only: frozenset[str] = frozenset()) -> list[Path]:
    """Write the .pot of every sheet and of the templates (or of the `only` domains)."""
    written = []
    for domain, _, loaded in selected(config, sheets, only):
        catalog = sheet_template(config, loaded) if loaded else ui_template(config)
        path = template_path(config, domain)
        if write_template(config, catalog, path):
            written.append(path)
    return written


def domains(config: Config, sheets: list[LoadedSheet]) -> list[tuple[str, str, LoadedSheet | None]]:
    """Each catalog domain with its source language and sheet: the sheets, then `ui`."""
    found: list[tuple[str, str, LoadedSheet | None]] = []
    for loaded in sheets:
        if loaded.sheet.id == UI_DOMAIN:
            raise CatalogError.at(config.display(loaded.path), "a sheet cannot be called 'ui': "
                                  "locales/ui.pot holds the templates' strings", line=1,
                                  column=1, hint="rename the sheet")
        found.append((loaded.sheet.id, loaded.sheet.language, loaded))
    if template_files(config) or template_path(config, UI_DOMAIN).is_file():
        found.append((UI_DOMAIN, config.source_language, None))
    return found


def selected(config: Config, sheets: list[LoadedSheet],
             only: frozenset[str]) -> list[tuple[str, str, LoadedSheet | None]]:
    """The domains named in `only` (all when it is empty); an unknown name is an error."""
    found = domains(config, sheets)
    unknown = sorted(only - {domain for domain, _, _ in found})
    if unknown:
        raise CatalogError.at(config.display(config.locales_dir),
                              f"no catalog domain named {unknown[0]!r}",
                              hint="domains are the ids of valid sheets, and ui")
    return [entry for entry in found if not only or entry[0] in only]


def update_all(config: Config, sheets: list[LoadedSheet],
               only: frozenset[str] = frozenset()) -> list[Path]:
    """Merge each .pot into the .po of every language but its source; return changed files."""
    return [path for domain, source_lang, _ in selected(config, sheets, only)
            for path in update_domain(config, domain, source_lang)]


def compile_all(config: Config, problems: list[Problem]) -> list[Path]:
    """Write a .mo beside every .po, leaving out fuzzy entries and those failing checks."""
    written = []
    for path in sorted(config.locales_dir.glob("*/LC_MESSAGES/*.po")):
        catalog = read_catalog(config, path, path.parent.parent.name)
        problems.extend(catalog_problems(
            catalog, config.display(path), markdown=path.stem != UI_DOMAIN, drop=True,
            counterparts=config.counterparts(path.parent.parent.name),
            lang=path.parent.parent.name))
        target = path.with_suffix(".mo")
        if write_if_changed(target, mo_bytes(catalog), root=config.root):
            written.append(target)
    return written


def stats(config: Config,
          sheets: list[LoadedSheet]) -> tuple[list[CatalogProgress], list[Problem]]:
    """Progress of every sheet and of the templates in every language but their source."""
    rows: list[CatalogProgress] = []
    problems: list[Problem] = []
    for _, source_lang, loaded in domains(config, sheets):
        for lang in config.languages:
            if lang == source_lang:
                continue
            row, found = progress(config, loaded, lang) if loaded else ui_progress(config, lang)
            rows.append(row)
            problems.extend(found)
    return rows, problems
