"""A sheet complete in every language <-> published/<id>/, its last complete version.

Under `publish_policy = "together"` a sheet whose edition in some language is incomplete is
built, in every language, from the copy `factsheets publish` recorded here: the sheet file
and each language's catalog, byte for byte, plus `state.toml` (when and which languages).
The folder is part of the project, under version control, so the held version survives
`build --force`, a deleted dist/ and a fresh clone; its diffs show what readers get.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..errors import FactsheetsError, Location, Problem
from ..files import write_if_changed
from ..html.site import SheetEntry
from ..i18n.editions import CatalogProgress, progress, publishable_edition
from ..i18n.pofile import catalog_path
from ..model.validate import LoadedSheet, load_sheet

FOLDER = "published"
STATE = "state.toml"


@dataclass(frozen=True)
class Recorded:
    """A sheet's published version: the sheet as it was, its catalogs, and when recorded."""

    loaded: LoadedSheet
    catalogs: dict[str, Path]
    recorded: str


def folder(config: Config, sheet_id: str) -> Path:
    """`published/<sheet-id>/`."""
    return config.root / FOLDER / sheet_id


def incomplete(config: Config, loaded: LoadedSheet) -> list[CatalogProgress]:
    """The progress of each language edition below `publish_threshold` (none: complete)."""
    found = [progress(config, loaded, lang)[0] for lang in config.languages]
    return [p for p in found if p.percent < config.publish_threshold]


def record(config: Config, loaded: LoadedSheet) -> list[Path]:
    """Copy a complete sheet and its catalogs to `published/<id>/`; return the files changed.

    `state.toml` is rewritten only when a copied file changed, so a rerun changes nothing.
    """
    sheet = loaded.sheet
    target = folder(config, sheet.id)
    files = {f"{sheet.id}.yaml": loaded.path.read_bytes()}
    for lang in config.languages:
        po = catalog_path(config, lang, sheet.id)
        if lang != sheet.language and po.is_file():
            files[f"{lang}.po"] = po.read_bytes()
    changed = [target / name for name, data in files.items()
               if write_if_changed(target / name, data, root=config.root)]
    for stale in sorted(target.glob("*")):
        if stale.name not in files and stale.name != STATE and stale.is_file():
            stale.unlink()
            changed.append(stale)
    if changed or not (target / STATE).is_file():
        today = dt.datetime.now(dt.UTC).date().isoformat()
        languages = ", ".join(f'"{lang}"' for lang in config.languages)
        state = (f"# Written by `factsheets publish`: the last version of {sheet.id} complete "
                 f"in every language.\nrecorded = \"{today}\"\nlanguages = [{languages}]\n")
        if write_if_changed(target / STATE, state.encode(), root=config.root):
            changed.append(target / STATE)
    return changed


def recorded(config: Config, sheet_id: str) -> Recorded | None:
    """The sheet's published version, or None if `factsheets publish` never recorded one.

    Raises `SheetError` (located in published/) when the recorded sheet is not valid.
    """
    target = folder(config, sheet_id)
    sheet_file = target / f"{sheet_id}.yaml"
    if not sheet_file.is_file():
        return None
    when = ""
    with suppress(OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        when = str(tomllib.loads((target / STATE).read_text(encoding="utf-8"))["recorded"])
    loaded = load_sheet(config, sheet_file)
    catalogs = {lang: target / f"{lang}.po" for lang in config.languages
                if (target / f"{lang}.po").is_file()}
    return Recorded(loaded, catalogs, when)


def held_entry(config: Config, loaded: LoadedSheet, waiting: list[str],
               problems: list[Problem]) -> SheetEntry | None:
    """Under `together`: the sheet's published version in every language (None if it has none).

    A note says what is held and since when; the notes naming each string it waits for
    come from the build.
    """
    sheet_id, langs = loaded.sheet.id, ", ".join(waiting)
    try:
        old = recorded(config, sheet_id)
    except FactsheetsError as exc:
        problems.extend(exc.problems)
        return None
    if old is None:
        problems.append(Problem(Location(config.display(loaded.path)),
                                f"{sheet_id} is not published in any language: it is not yet "
                                f"complete in {langs}", "it appears once every language is "
                                "complete; then run `factsheets publish`", "note"))
        return None
    return _keep(config, old, "is held", f", in every language, until {langs} is complete again",
                 "the notes naming the strings it waits for are above", problems)


def kept_entry(config: Config, path: Path, problems: list[Problem]) -> SheetEntry | None:
    """A sheet whose file has errors, kept online at its published version (None if it has
    none): a mistake in a live sheet fails the build but does not take the sheet off the site.
    """
    try:
        old = recorded(config, path.stem)
    except FactsheetsError as exc:
        problems.extend(exc.problems)
        return None
    if old is None:
        return None
    return _keep(config, old, "stays online", f" until {config.display(path)} is valid again",
                 "fix the errors reported for that file", problems)


def _keep(config: Config, old: Recorded, verb: str, until: str, hint: str,
          problems: list[Problem]) -> SheetEntry:
    """The sheet as `factsheets publish` recorded it, in every language, with a note saying
    that it is kept ("webcams `verb` at its published version recorded on ...`until`")."""
    sheet_id = old.loaded.sheet.id
    since = f" recorded on {old.recorded}" if old.recorded else ""
    problems.append(Problem(Location(config.display(folder(config, sheet_id))),
                            f"{sheet_id} {verb} at its published version{since}{until}", hint,
                            "note"))
    made = {lang: publishable_edition(config, old.loaded, lang, catalog=old.catalogs.get(lang))
            for lang in config.languages}
    return SheetEntry({lang: edition for lang, (edition, _) in made.items()}, frozenset(),
                      config.display(old.loaded.path))


def edition_catalog(config: Config, source: Path, lang: str) -> Path:
    """The catalog an edition was built from: a published version's copy, or locales/."""
    if source.parent.parent == config.root / FOLDER:
        return source.parent / f"{lang}.po"
    return catalog_path(config, lang, source.stem)
