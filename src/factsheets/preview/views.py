"""Pages only the preview server shows (templates/preview/): its bar, error page, translator view.

They use the site's Jinja environment, so every string goes through the UI catalog, and
they are rendered per request: nothing here is ever written into the output folder.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from babel.support import NullTranslations
from jinja2 import Environment

from ..config import Config
from ..errors import FactsheetsError, Problem
from ..html.pages import UiText, make_environment
from ..html.site import page_path
from ..i18n.editions import load_edition, ui_translations
from ..model.validate import LoadedSheet
from .translator import counts, translator_rows

PREFIX = "/__translate/"
INDEX = "index"
EDITOR_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
UNSAFE_SCHEMES = ("javascript", "data", "vbscript")


def environment(config: Config, lang: str, editor_url: str = "") -> Environment:
    """The site's environment for `lang`; a damaged ui.po leaves the strings in English."""
    try:
        translations = ui_translations(config, lang)
    except FactsheetsError:
        translations = NullTranslations()
    env = make_environment(config, lang, translations)
    env.filters["editor"] = functools.partial(editor_href, config.root, editor_url)
    return env


def check_editor_url(template: str) -> str:
    """Why an `--editor-url` template cannot be used ('' when it can)."""
    scheme = template.split(":", 1)[0].lower()
    if not EDITOR_SCHEME.match(template) or scheme in UNSAFE_SCHEMES:
        return "must start with an editor's scheme, like vscode://file/{path}:{line}"
    try:
        template.format(path="/x", line=1)
    except (KeyError, IndexError, ValueError):
        return "may hold only the placeholders {path} and {line}"
    return "" if "{path}" in template else "must hold {path}"


def editor_href(root: Path, template: str, path: str, line: int) -> str:
    """A link that opens a project file at a line in the user's editor ('' if not configured)."""
    if not template:
        return ""
    return template.format(path=quote((root / path).as_posix()), line=line or 1)


def translator_href(lang: str, sheet_id: str) -> str:
    """Where the translator view of a sheet into `lang` lives on the preview server."""
    return f"{PREFIX}{lang}/{sheet_id}.html"


def _context(env: Environment, config: Config, lang: str, generation: int) -> dict[str, Any]:
    """What every preview page needs: its language, the site title and the build number."""
    ui: UiText = env.globals["ui"]  # type: ignore[assignment]
    return {"lang": lang, "tag": config.locale_tag(lang), "generation": generation,
            "site_title": ui.text(config.title), "index_href": "/" + page_path(lang, "index"),
            "translate": [], "held": []}


def render_bar(config: Config, lang: str, generation: int,
               sheet: LoadedSheet | None = None, held: list[Problem] | None = None) -> str:
    """The preview bar and reload script added to a built page, with translator links.

    A sheet's page links to the sheet's translator views; any other page to the lists of them.
    A withheld edition's page lists the strings that hold it back (`held`, the build's notes).
    """
    env = environment(config, lang)
    context = _context(env, config, lang, generation)
    context["held"] = held or []
    context["together"] = config.publish_policy == "together"
    source = sheet.sheet.language if sheet else config.source_language
    context["translate"] = [
        {"lang": code, "href": translator_href(code, sheet.sheet.id if sheet else INDEX)}
        for code in config.languages if code != source]
    return env.get_template("preview/bar.html.j2").render(context)


def render_error(config: Config, lang: str, generation: int, problems: list[Problem],
                 editor_url: str = "") -> str:
    """The page shown instead of one that cannot be built (or is not there): its problems."""
    env = environment(config, lang, editor_url)
    context = _context(env, config, lang, generation)
    context["problems"] = problems
    return env.get_template("preview/error.html.j2").render(context)


def render_translator(config: Config, loaded: LoadedSheet, lang: str, generation: int,
                      editor_url: str = "") -> str:
    """Source and translation side by side, one row per catalog message.

    Raises `CatalogError` (located) when the catalog cannot be read.
    """
    rows = translator_rows(config, loaded, lang)
    env = environment(config, lang, editor_url)
    context = _context(env, config, lang, generation)
    context.update(rows=rows, counts=counts(rows), sheet=loaded.sheet,
                   source_lang=loaded.sheet.language,
                   pages={code: "/" + page_path(code, _slug(config, loaded, code))
                          for code in (loaded.sheet.language, lang)})
    return env.get_template("preview/translate.html.j2").render(context)


def _slug(config: Config, loaded: LoadedSheet, lang: str) -> str:
    """The sheet's address in a language (its id where the catalog gives none)."""
    try:
        return load_edition(config, loaded, lang).slug
    except FactsheetsError:
        return loaded.sheet.id


def render_translations(config: Config, sheets: Mapping[str, LoadedSheet], lang: str,
                        generation: int) -> str:
    """Every sheet's progress into `lang`, each linked to its translator view."""
    env = environment(config, lang)
    context = _context(env, config, lang, generation)
    context["entries"] = [_progress(config, loaded, lang)
                          for loaded in sorted(sheets.values(), key=lambda s: s.sheet.title)
                          if loaded.sheet.language != lang]
    return env.get_template("preview/translations.html.j2").render(context)


def _progress(config: Config, loaded: LoadedSheet, lang: str) -> dict[str, Any]:
    """One sheet's counts into `lang`, or the problem that keeps its catalog from being read."""
    entry: dict[str, Any] = {"sheet": loaded.sheet, "href": translator_href(lang, loaded.sheet.id),
                             "counts": None, "problem": None}
    try:
        entry["counts"] = counts(translator_rows(config, loaded, lang))
    except FactsheetsError as exc:
        entry["problem"] = exc.problems[0]
    return entry
