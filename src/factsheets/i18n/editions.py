"""A sheet + its .po catalog -> a `translate.Edition`; ui.po -> gettext translations for Jinja.

The build reads .po files directly (no compile step): fuzzy entries are never used, and a
translation that breaks a rule (`catalog_checks`) falls back to the source and is reported.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO

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


@dataclass(frozen=True)
class CatalogProgress:
    """How much of one catalog domain is usable in one language."""

    domain: str
    lang: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def percent(self) -> float:
        """Usable translations as a percentage of all messages (100 when there are none)."""
        return 100.0 * self.counts["translated"] / self.total if self.total else 100.0

    def as_dict(self) -> dict[str, object]:
        return {"domain": self.domain, "lang": self.lang, **self.counts, "total": self.total,
                "percent": round(self.percent, 1)}


@dataclass
class _Lookup:
    """Answers `localize`'s questions from a catalog, recording each message's state."""

    catalog: Catalog | None
    shown: str
    lang: str
    source_lang: str
    counterparts: dict[str, str]
    fallbacks: list[Message] = field(default_factory=list)
    states: dict[tuple[str, str], str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def translate(self, message: Message) -> Text:
        entry = self.catalog.get(message.text, message.context) if self.catalog else None
        key = (message.context, message.text)
        if key not in self.states:
            self.states[key] = self._state(message, entry)
        if self.states[key] == "translated" and entry is not None:
            return Text(str(entry.string), self.lang)
        self.fallbacks.append(message)
        return Text(message.text, self.source_lang)

    def _state(self, message: Message, entry: Entry | None) -> str:
        if entry is None or not entry.string:
            return "untranslated"
        if entry.fuzzy:
            return "fuzzy"
        reason = "a single translation is expected, not plural forms"
        if isinstance(entry.string, str):
            reason = check_translation(message.context, message.text, entry.string,
                                       counterparts=self.counterparts)
        if not reason:
            return "translated"
        location = Location(self.shown, entry.lineno or 0, 1 if entry.lineno else 0,
                            message.context)
        self.problems.append(Problem(location, reason, "the source text is used instead",
                                     severity="warning"))
        return "invalid"

    def progress(self, domain: str) -> CatalogProgress:
        counts = Counter(self.states.values())
        return CatalogProgress(domain, self.lang, {state: counts[state] for state in STATES})


def _resolve(config: Config, loaded: LoadedSheet, lang: str) -> tuple[Edition, _Lookup]:
    """Translate a sheet from its catalog, keeping the lookup's record of what happened."""
    sheet = loaded.sheet
    path = catalog_path(config, lang, sheet.id)
    catalog = read_catalog(config, path, lang) if os.path.lexists(path) else None
    lookup = _Lookup(catalog, config.display(path), lang, sheet.language,
                     config.counterparts(lang))
    localized = localize(sheet, lookup.translate)
    return Edition(localized, lang, localized.id, tuple(lookup.fallbacks)), lookup


def load_edition(config: Config, loaded: LoadedSheet, lang: str,
                 problems: list[Problem] | None = None) -> Edition:
    """A sheet in `lang`, reading its .po directly; failing checks go to `problems`.

    Raises `CatalogError` (located) when the catalog cannot be read.
    """
    if lang == loaded.sheet.language:
        return source_edition(loaded.sheet)
    edition, lookup = _resolve(config, loaded, lang)
    if problems is not None:
        problems.extend(lookup.problems)
    return edition


def progress(config: Config, loaded: LoadedSheet,
             lang: str) -> tuple[CatalogProgress, list[Problem]]:
    """How much of a sheet is translated into `lang`, and the translations that fail checks."""
    if lang == loaded.sheet.language:
        total = len({(m.context, m.text) for m in messages_of(loaded)})
        return CatalogProgress(loaded.sheet.id, lang, {**dict.fromkeys(STATES, 0),
                                                "translated": total}), []
    _, lookup = _resolve(config, loaded, lang)
    return lookup.progress(loaded.sheet.id), lookup.problems


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
                        problems: list[Problem] | None = None) -> tuple[Edition, bool]:
    """`load_edition` and `publishable` from one reading of the catalog (what a build needs)."""
    if lang == loaded.sheet.language:
        return source_edition(loaded.sheet), publishable(config, loaded, lang)
    edition, lookup = _resolve(config, loaded, lang)
    if problems is not None:
        problems.extend(lookup.problems)
    return edition, lookup.progress(loaded.sheet.id).percent >= config.publish_threshold


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
                     drop: bool = False, counterparts: dict[str, str] | None = None
                     ) -> list[Problem]:
    """Translations that fail checks (emptied in `catalog` if `drop`).

    `markdown` selects the rules of sheet strings; template strings follow the HTML rule.
    """
    found = []
    for entry in catalog:
        if not entry.id or not entry.string or entry.fuzzy:
            continue
        sources = entry.id if isinstance(entry.id, (list, tuple)) else (entry.id,)
        strings = entry.string if isinstance(entry.string, (list, tuple)) else (entry.string,)
        reasons = [check_translation(entry.context, sources[0], s, markdown, counterparts)
                   for s in strings if s]
        reason = next((r for r in reasons if r), "")
        if reason:
            found.append(Problem(Location(shown, entry.lineno or 0, 1, entry.context or ""),
                                 reason, "the source text is used instead", "warning"))
            if drop:
                entry.string = ("",) * len(strings) if len(strings) > 1 else ""
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
    problems = catalog_problems(catalog, config.display(path))
    bad = {(p.location.line, p.location.field) for p in problems}
    counts = dict.fromkeys(STATES, 0)
    for message in template:
        if message.id:
            entry = catalog.get(message.id, message.context)
            counts[_ui_state(entry, bad)] += 1
    return CatalogProgress(UI_DOMAIN, lang, counts), problems


def _ui_state(entry: Entry | None, bad: set[tuple[int, str]]) -> str:
    if entry is None:
        return "untranslated"
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    if not all(strings):
        return "untranslated"
    if entry.fuzzy:
        return "fuzzy"
    return "invalid" if (entry.lineno or 0, entry.context or "") in bad else "translated"
