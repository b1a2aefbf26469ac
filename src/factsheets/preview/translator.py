"""A sheet + its .po catalog -> one row per message, source beside translation, for translators.

Rows come in reading order: the messages are those `localize` asks for (`messages_of`),
each looked up in `locales/<lang>/LC_MESSAGES/<sheet-id>.po` and located at its line there.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass

from babel.messages.catalog import Catalog
from babel.messages.catalog import Message as Entry

from ..config import Config
from ..i18n.checkers import check_translation
from ..i18n.editions import STATES, messages_of
from ..i18n.fields import Message, Text
from ..i18n.pofile import catalog_path, read_catalog
from ..model.validate import LoadedSheet


@dataclass(frozen=True)
class Row:
    """One catalog message: its source, its translation (if any), its state and .po line."""

    source: Text
    translation: Text | None
    state: str
    """translated, fuzzy, untranslated or invalid (a translation that breaks a rule)."""
    where: str
    """`locales/fr/LC_MESSAGES/webcams.po:123`, or the file alone for a missing entry."""
    path: str
    line: int
    reason: str = ""


def translator_rows(config: Config, loaded: LoadedSheet, lang: str) -> list[Row]:
    """Every message of a sheet once, in reading order, as the catalog for `lang` has it.

    Raises `CatalogError` (located) when the catalog cannot be read.
    """
    path = catalog_path(config, lang, loaded.sheet.id)
    catalog = read_catalog(config, path, lang) if os.path.lexists(path) else None
    shown = config.display(path)
    rows: dict[tuple[str, str], Row] = {}
    for message in messages_of(loaded):
        key = (message.context, message.text)
        if key not in rows:
            rows[key] = _row(message, catalog, shown, lang, loaded.sheet.language)
    return list(rows.values())


def _row(message: Message, catalog: Catalog | None, shown: str, lang: str,
         source_lang: str) -> Row:
    """Look one message up in the catalog."""
    entry = catalog.get(message.text, message.context) if catalog is not None else None
    line = (entry.lineno or 0) if entry is not None else 0
    string = entry.string if entry is not None else ""
    text = string if isinstance(string, str) else " | ".join(string or ())
    state, reason = _state(message, entry, string)
    return Row(Text(message.text, source_lang), Text(text, lang) if text else None, state,
               f"{shown}:{line}" if line else shown, shown, line, reason)


def _state(message: Message, entry: Entry | None, string: object) -> tuple[str, str]:
    """The entry's state, as the build sees it, and why an invalid one cannot be used."""
    if entry is None or not string:
        return "untranslated", ""
    if entry.fuzzy:
        return "fuzzy", ""
    if not isinstance(string, str):
        return "invalid", "a single translation is expected, not plural forms"
    reason = check_translation(message.context, message.text, string)
    return ("invalid", reason) if reason else ("translated", "")


def counts(rows: list[Row]) -> dict[str, int]:
    """How many rows are in each state."""
    found = Counter(row.state for row in rows)
    return {state: found[state] for state in STATES}
