"""Sheets and page templates -> .pot templates: what a translator is given to translate.

`sheet_messages` walks a sheet with `fields.localize` and a recording translator
(`editions.messages_of`) and finds each message's line; `extract_sheet` is the Babel
extractor registered as the `babel.extractors` entry point `factsheets`; the page templates'
strings come from Babel's own Jinja extractor. The commands that write the files
(`extract_all`, `update_all`, `compile_all`, `stats`) are in `commands.py`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract

from ..config import Config, load_config
from ..errors import CatalogError
from ..files import holds
from ..model.markup import markdown_parser
from ..model.sources import dotted
from ..model.validate import LoadedSheet, load_sheet
from . import fields
from .editions import messages_of
from .pofile import UI_DOMAIN, new_catalog, now, read_catalog, render, write_if_changed

TEMPLATE_GLOBS = ("**/*.j2",)
COMMENT_TAGS = ("Translators:",)


def sheet_messages(loaded: LoadedSheet) -> list[tuple[fields.Message, int]]:
    """Every translatable unit of a sheet, in reading order, with its line in the file."""
    found = messages_of(loaded)
    return list(zip(found, _lines(loaded, found), strict=True))


def _lines(loaded: LoadedSheet, messages: list[fields.Message]) -> Iterator[int]:
    """Each message's line; body blocks point at their own line inside a `|` block."""
    body_lines: dict[fields.FieldPath, Iterator[int]] = {}
    for message in messages:
        line = loaded.document.locate(message.path).line
        if message.path[-1] == "body":
            if message.path not in body_lines:
                body_lines[message.path] = _block_lines(loaded, message.path, line)
            line = next(body_lines[message.path], line)
        yield line


def _block_lines(loaded: LoadedSheet, path: fields.FieldPath, key_line: int) -> Iterator[int]:
    """The file line of each inline text of a literal (`|`) body; nothing for other styles."""
    source = loaded.document.text.splitlines()
    raw: Any = loaded.document.data
    for part in path:
        raw = raw[part]
    key = source[key_line - 1] if key_line <= len(source) else ""
    if not key.partition(":")[2].strip().startswith("|"):
        return iter(())
    skipped = raw[: len(raw) - len(raw.lstrip())].count("\n")
    tokens = markdown_parser(False).parse(raw.strip())
    return iter([key_line + 1 + skipped + t.map[0] for t in tokens if t.type == "inline" and t.map])


def extract_sheet(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                  options: dict[str, Any]) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extractor (`babel.extractors` entry point `factsheets`) for sheet YAML."""
    path = Path(fileobj.name).resolve()
    config = load_config(Path(options.get("project") or _project_of(path)))
    loaded = load_sheet(config, path)
    for message, line in sheet_messages(loaded):
        yield line, "pgettext", (message.context, message.text), [_comment(message)]


def _project_of(path: Path) -> Path:
    """The project folder holding a sheet: the nearest one with factsheets.toml, else ../.."""
    for folder in path.parents:
        if (folder / "factsheets.toml").is_file():
            return folder
    return path.parent.parent


def _comment(message: fields.Message) -> str:
    """The `#.` note for translators: what the string is and where it shows."""
    return f"{message.note} [{dotted(message.path)}]"


def sheet_template(config: Config, loaded: LoadedSheet) -> Catalog:
    """The .pot catalog of one sheet: one entry per (context, source text)."""
    shown = config.display(loaded.path)
    catalog = new_catalog(None, loaded.sheet.id, f"messages of {shown} "
                          f"(source language: {loaded.sheet.language})")
    for message, line in sheet_messages(loaded):
        catalog.add(message.text, locations=[(shown, line)], auto_comments=[_comment(message)],
                    context=message.context)
    return catalog


def ui_template(config: Config) -> Catalog:
    """The .pot catalog of the page templates' `{% trans %}` and `_()` strings."""
    catalog = new_catalog(None, UI_DOMAIN, "strings of the page templates (templates/)")
    catalog.add(config.title, locations=[("factsheets.toml", 0)],
                auto_comments=["The site's title, shown on every page (factsheets.toml: title)"])
    for path in template_files(config):
        shown = config.display(path)
        for line, msgid, comments, context in _extract_template(path, shown):
            catalog.add(msgid, locations=[(shown, line)], auto_comments=comments, context=context)
    return catalog


def template_files(config: Config) -> list[Path]:
    """The Jinja templates under templates/, sorted."""
    found = {p for pattern in TEMPLATE_GLOBS for p in config.templates_dir.glob(pattern)}
    return sorted(p for p in found if p.is_file())


def _extract_template(path: Path, shown: str) -> list[tuple[int, Any, list[str], str | None]]:
    """Run Babel's Jinja extractor on one template, locating syntax errors."""
    from jinja2 import TemplateSyntaxError

    options = {"extensions": "jinja2.ext.i18n", "silent": "false"}
    try:
        with path.open("rb") as fileobj:
            return list(extract("jinja2", fileobj, DEFAULT_KEYWORDS, COMMENT_TAGS, options,
                                strip_comment_tags=True))
    except TemplateSyntaxError as exc:
        raise CatalogError.at(shown, f"template syntax error: {exc.message}",
                              line=exc.lineno or 0, column=1) from None


def write_template(config: Config, catalog: Catalog, path: Path) -> bool:
    """Write a .pot unless only its creation date would change; say whether it wrote."""
    if os.path.lexists(path):
        with suppress(CatalogError):  # a damaged template is simply replaced
            catalog.creation_date = read_catalog(config, path).creation_date
        if holds(path, render(catalog, config.location_style)):
            return False
    catalog.creation_date = now()
    return write_if_changed(path, render(catalog, config.location_style), root=config.root)
