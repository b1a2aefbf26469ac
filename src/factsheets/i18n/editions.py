"""A sheet + its .po catalog -> a `translate.Edition`; ui.po -> gettext translations for Jinja.

The build reads .po files directly (no compile step): fuzzy entries are never used, and a
translation that breaks a rule (`catalog_checks`) falls back to the source and is reported.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.catalog import Message as Entry
from babel.support import NullTranslations, Translations

from ..config import Config
from ..errors import CatalogError, Location, Problem
from ..model.validate import LoadedSheet
from .checkers import check_translation
from .fields import Edition, Message, Text, localize, source_edition
from .pofile import UI_DOMAIN, catalog_path, mo_bytes, read_catalog, template_path

STATES = ("translated", "fuzzy", "untranslated", "invalid")
HOLD_HINTS = {
    "fuzzy": "compare it with the #| lines, fix it, then delete the #, fuzzy line",
    "untranslated": "translate it; if the catalog has no entry for it yet, run "
                    "`factsheets i18n extract`, then `factsheets i18n update`",
    "invalid": "the translation breaks a rule",
}


@dataclass(frozen=True)
class EntryState:
    """One message of a catalog as every command sees it: state, why, and where to edit."""

    context: str
    source: str
    state: str
    reason: str = ""
    """Why an invalid translation cannot be used."""
    line: int = 0
    """The entry's line in the catalog (0 when the catalog has no entry)."""
    string: str = ""
    """The translation (plural forms joined with ` | `)."""
    previous: str = ""
    """For a fuzzy entry: the source text its translation was made for (`#| msgid`)."""


def entry_state(context: str | None, source: str, entry: Entry | None, markdown: bool = True,
                counterparts: dict[str, str] | None = None, lang: str = ""
                ) -> tuple[str, str]:
    """Whether a catalog entry is translated, fuzzy, untranslated or invalid, and why invalid.

    The one answer: stats, build, check, compile, serve and the translator view all ask here.
    Sheet strings (`markdown`) take one form; template strings may have plural forms.
    """
    strings = entry.string if entry is not None and isinstance(entry.string, (list, tuple)) \
        else (entry.string if entry is not None else "",)
    if entry is None or not any(strings):
        return "untranslated", ""
    if entry.fuzzy:
        return "fuzzy", ""
    if markdown and len(strings) > 1:
        return "invalid", "a single translation is expected, not plural forms"
    sources = entry.id if isinstance(entry.id, (list, tuple)) else (source,)
    reasons = (check_translation(context, sources[0], str(string), markdown, counterparts,
                                 lang) for string in strings if string)
    reason = next((r for r in reasons if r), "")
    if reason:
        return "invalid", reason
    return ("translated", "") if all(strings) else ("untranslated", "")


def state_of(context: str, source: str, entry: Entry | None, markdown: bool = True,
             counterparts: dict[str, str] | None = None, lang: str = "") -> EntryState:
    """`entry_state` with the entry's line, translation and previous source text."""
    state, reason = entry_state(context, source, entry, markdown, counterparts, lang)
    if entry is None:
        return EntryState(context, source, state)
    string = entry.string if isinstance(entry.string, str) else " | ".join(entry.string or ())
    previous = entry.previous_id[0] if state == "fuzzy" and entry.previous_id else ""
    return EntryState(context, source, state, reason, entry.lineno or 0, string or "", previous)


@dataclass(frozen=True)
class CatalogProgress:
    """How much of one catalog domain is usable in one language, and what is not."""

    domain: str
    lang: str
    counts: dict[str, int]
    catalog: str = ""
    """The catalog's path, as messages show it."""
    held: tuple[EntryState, ...] = ()
    """The entries that are not usable translations, in reading order."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def percent(self) -> float:
        """Usable translations as a percentage of all messages (100 when there are none)."""
        return 100.0 * self.counts["translated"] / self.total if self.total else 100.0

    def as_dict(self) -> dict[str, object]:
        return {"domain": self.domain, "lang": self.lang, **self.counts, "total": self.total,
                "percent": round(self.percent, 1),
                "held": [{"msgctxt": e.context, "state": e.state, "line": e.line}
                         for e in self.held]}

    def held_notes(self) -> list[Problem]:
        """One note per string that holds this edition back: sheet, language, msgctxt, state;
        one note in all when the language has no catalog entry for the sheet at all."""
        if self.held and not self.counts["translated"] and not any(e.line for e in self.held):
            return [Problem(Location(self.catalog), f"{self.domain} has no {self.lang} "
                            f"translation yet: {self.total} strings wait for one",
                            "make the catalog with `factsheets i18n extract`, then "
                            "`factsheets i18n update`, and translate it", "note")]
        return [Problem(Location(self.catalog, e.line, 1 if e.line else 0, e.context),
                        f"holds back {self.domain} ({self.lang}): {e.state}"
                        + (f": {e.reason}" if e.reason else ""), HOLD_HINTS[e.state], "note")
                for e in self.held]


def _progress(domain: str, lang: str, catalog: str, states: list[EntryState]) -> CatalogProgress:
    counts = Counter(e.state for e in states)
    return CatalogProgress(domain, lang, {state: counts[state] for state in STATES}, catalog,
                    tuple(e for e in states if e.state != "translated"))


@dataclass
class _Lookup:
    """Answers `localize`'s questions from a catalog, recording each message's state."""

    catalog: Catalog | None
    shown: str
    lang: str
    source_lang: str
    counterparts: dict[str, str]
    fallbacks: list[Message] = field(default_factory=list)
    states: dict[tuple[str, str], EntryState] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def translate(self, message: Message) -> Text:
        entry = self.catalog.get(message.text, message.context) if self.catalog else None
        key = (message.context, message.text)
        if key not in self.states:
            self.states[key] = self._state(message, entry)
        if self.states[key].state == "translated" and entry is not None:
            return Text(str(entry.string), self.lang)
        self.fallbacks.append(message)
        return Text(message.text, self.source_lang)

    def _state(self, message: Message, entry: Entry | None) -> EntryState:
        found = state_of(message.context, message.text, entry, counterparts=self.counterparts,
                         lang=self.lang)
        if found.state == "invalid" and entry is not None:
            location = Location(self.shown, entry.lineno or 0, 1 if entry.lineno else 0,
                                message.context)
            self.problems.append(Problem(location, found.reason,
                                         "the source text is used instead", "warning"))
        return found

    def progress(self, domain: str) -> CatalogProgress:
        return _progress(domain, self.lang, self.shown, list(self.states.values()))


def _resolve(config: Config, loaded: LoadedSheet, lang: str,
             catalog: Path | None = None) -> tuple[Edition, _Lookup]:
    """Translate a sheet from its catalog (or `catalog`), keeping the lookup's record."""
    sheet = loaded.sheet
    path = catalog or catalog_path(config, lang, sheet.id)
    found = read_catalog(config, path, lang) if os.path.lexists(path) else None
    lookup = _Lookup(found, config.display(path), lang, sheet.language,
                     config.counterparts(lang))
    localized = localize(sheet, lookup.translate)
    return Edition(localized, lang, localized.id, tuple(lookup.fallbacks)), lookup


def load_edition(config: Config, loaded: LoadedSheet, lang: str,
                 problems: list[Problem] | None = None) -> Edition:
    """A sheet in `lang`, reading its .po directly; failing checks go to `problems`.

    Raises `CatalogError` (located) when the catalog cannot be read.
    """
    return edition_and_catalog(config, loaded, lang, problems)[0]


def edition_and_catalog(config: Config, loaded: LoadedSheet, lang: str,
                        problems: list[Problem] | None = None,
                        ) -> tuple[Edition, Catalog | None]:
    """`load_edition`, with the catalog it read (None for the source language, or no file)."""
    if lang == loaded.sheet.language:
        return source_edition(loaded.sheet), None
    edition, lookup = _resolve(config, loaded, lang)
    if problems is not None:
        problems.extend(lookup.problems)
    return edition, lookup.catalog


def progress(config: Config, loaded: LoadedSheet,
             lang: str) -> tuple[CatalogProgress, list[Problem]]:
    """How much of a sheet is translated into `lang`, and the translations that fail checks."""
    if lang == loaded.sheet.language:
        states = entry_states(config, loaded, lang)
        return _progress(loaded.sheet.id, lang, "", states), []
    _, lookup = _resolve(config, loaded, lang)
    return lookup.progress(loaded.sheet.id), lookup.problems


def entry_states(config: Config, loaded: LoadedSheet, lang: str) -> list[EntryState]:
    """Each message of a sheet once, in reading order, with its state in `lang`.

    Raises `CatalogError` (located) when the catalog cannot be read.
    """
    if lang == loaded.sheet.language:
        unique = {(m.context, m.text): m for m in messages_of(loaded)}
        return [EntryState(c, t, "translated") for c, t in unique]
    _, lookup = _resolve(config, loaded, lang)
    return list(lookup.states.values())


def messages_of(loaded: LoadedSheet) -> list[Message]:
    """Every translatable unit of a sheet, in reading order (what `localize` visits)."""
    found: list[Message] = []

    def record(message: Message) -> Text:
        found.append(message)
        return Text(message.text, loaded.sheet.language)

    localize(loaded.sheet, record)
    return found


def publishable(config: Config, loaded: LoadedSheet, lang: str) -> bool:
    """Whether a language edition meets `config.publish_threshold` (percent translated)."""
    return progress(config, loaded, lang)[0].percent >= config.publish_threshold


def publishable_edition(config: Config, loaded: LoadedSheet, lang: str,
                        problems: list[Problem] | None = None,
                        catalog: Path | None = None) -> tuple[Edition, CatalogProgress]:
    """`load_edition` and `progress` from one reading of the catalog (what a build needs).

    The edition may be published when `progress.percent >= config.publish_threshold`.
    `catalog` replaces `locales/<lang>/LC_MESSAGES/<id>.po` (a published version's copy).
    """
    if lang == loaded.sheet.language:
        return source_edition(loaded.sheet), progress(config, loaded, lang)[0]
    edition, lookup = _resolve(config, loaded, lang, catalog)
    if problems is not None:
        problems.extend(lookup.problems)
    return edition, lookup.progress(loaded.sheet.id)


def ui_translations(config: Config, lang: str,
                    problems: list[Problem] | None = None) -> NullTranslations:
    """Gettext translations of the templates' strings, for `install_gettext_translations`.

    Built in memory from `locales/<lang>/LC_MESSAGES/ui.po`; fuzzy entries and entries
    failing checks are left out (the template's English shows instead).
    """
    path = catalog_path(config, lang, UI_DOMAIN)
    if lang == config.source_language or not os.path.lexists(path):
        return NullTranslations()
    catalog = read_catalog(config, path, lang)
    for problem in catalog_problems(catalog, config.display(path), drop=True):
        if problems is not None:
            problems.append(problem)
    return Translations(BytesIO(mo_bytes(catalog)), domain=UI_DOMAIN)


def catalog_problems(catalog: Catalog, shown: str, markdown: bool = False,
                     drop: bool = False, counterparts: dict[str, str] | None = None,
                     lang: str = "") -> list[Problem]:
    """Translations that fail checks (emptied in `catalog` if `drop`).

    `markdown` selects the rules of sheet strings; template strings follow the HTML rule.
    """
    found = []
    for entry in catalog:
        if not entry.id:
            continue
        source = entry.id[0] if isinstance(entry.id, (list, tuple)) else entry.id
        state, reason = entry_state(entry.context, source, entry, markdown, counterparts, lang)
        if state != "invalid":
            continue
        found.append(Problem(Location(shown, entry.lineno or 0, 1, entry.context or ""),
                             reason, "the source text is used instead", "warning"))
        if drop:
            strings = entry.string
            entry.string = ("",) * len(strings) if isinstance(strings, (list, tuple)) else ""
    return found


def ui_progress(config: Config, lang: str) -> tuple[CatalogProgress, list[Problem]]:
    """How much of ui.pot is translated into `lang`, and the translations that fail checks."""
    pot = template_path(config, UI_DOMAIN)
    if not os.path.lexists(pot):
        raise CatalogError.at(config.display(pot), "no template to count against",
                              hint="run `factsheets i18n extract` first")
    template = read_catalog(config, pot)
    path = catalog_path(config, lang, UI_DOMAIN)
    catalog = read_catalog(config, path, lang) if os.path.lexists(path) else Catalog(locale=lang)
    shown = config.display(path)
    states = []
    for message in template:
        if message.id:
            source = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
            states.append(state_of(message.context or "", source,
                                   catalog.get(message.id, message.context), markdown=False))
    problems = [Problem(Location(shown, e.line, 1, e.context), e.reason,
                        "the source text is used instead", "warning")
                for e in states if e.state == "invalid"]
    return _progress(UI_DOMAIN, lang, shown, states), problems
