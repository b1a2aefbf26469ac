"""A sheet + its .po catalog -> one row per message, source beside translation, for translators.

Rows come in reading order, each with the state `i18n.editions.entry_states` gives it (the
one answer stats and the build also use) and its line in `locales/<lang>/LC_MESSAGES/<id>.po`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..config import Config
from ..i18n.editions import STATES, EntryState, entry_states
from ..i18n.fields import Text
from ..i18n.pofile import catalog_path
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
    context: str = ""
    previous: Text | None = None
    """For a fuzzy row: the source text the translation was made for."""
    changes: tuple[tuple[str, str], ...] = ()
    """For a fuzzy row: the words from `previous` to `source`, each `same`, `del` or `ins`."""


def translator_rows(config: Config, loaded: LoadedSheet, lang: str) -> list[Row]:
    """Every message of a sheet once, in reading order, as the catalog for `lang` has it.

    Raises `CatalogError` (located) when the catalog cannot be read.
    """
    shown = config.display(catalog_path(config, lang, loaded.sheet.id))
    source_lang = loaded.sheet.language
    return [_row(found, shown, lang, source_lang)
            for found in entry_states(config, loaded, lang)]


def _row(found: EntryState, shown: str, lang: str, source_lang: str) -> Row:
    """One entry's row."""
    previous = Text(found.previous, source_lang) if found.previous else None
    return Row(Text(found.source, source_lang),
               Text(found.string, lang) if found.string else None, found.state,
               f"{shown}:{found.line}" if found.line else shown, shown, found.line,
               found.reason, found.context, previous,
               word_changes(found.previous, found.source) if found.previous else ())


def word_changes(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """The words of `new` against `old`: runs of `same`, `del` (only in old), `ins` (only new)."""
    before, after = old.split(), new.split()
    changes: list[tuple[str, str]] = []
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            changes.append(("same", " ".join(before[i1:i2])))
            continue
        if i2 > i1:
            changes.append(("del", " ".join(before[i1:i2])))
        if j2 > j1:
            changes.append(("ins", " ".join(after[j1:j2])))
    return tuple(changes)


def counts(rows: list[Row]) -> dict[str, int]:
    """How many rows are in each state."""
    found = Counter(row.state for row in rows)
    return {state: found[state] for state in STATES}
