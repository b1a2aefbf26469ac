"""The project file (`factsheets.toml`): languages, paths, page size and limits."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

CONFIG_NAME = "factsheets.toml"
PAGE_SIZES = {"letter": "letter", "a4": "A4"}
"""The page sizes a project may print on, and their CSS `@page size` names."""


@dataclass(frozen=True)
class Limits:
    """Bounds on what one sheet may hold, so a bad file cannot exhaust the build."""

    sheet_bytes: int = 1_000_000
    string_chars: int = 5_000
    yaml_nodes: int = 50_000
    yaml_depth: int = 40
    figure_bytes: int = 5_000_000
    figure_pixels: int = 40_000_000
    figures_per_sheet: int = 12
    catalog_bytes: int = 5_000_000
    svg_elements: int = 10_000
    svg_depth: int = 32
    svg_path_chars: int = 500_000
    svg_text_chars: int = 10_000
    pdf_seconds: int = 120


@dataclass(frozen=True)
class Config:
    """A project's settings, read from `factsheets.toml` with defaults for what it omits."""

    root: Path
    title: str = "Fact sheets"
    base_url: str = "https://example.org/"
    source_language: str = "en"
    languages: dict[str, str] = field(default_factory=lambda: {"en": "en-CA", "fr": "fr-CA"})
    page_size: str = "letter"
    output: str = "dist"
    publish_threshold: float = 100.0
    publish_policy: str = "each"
    """`each`: an edition goes out when complete; `together`: all languages or the last
    complete version of all (docs/translating.md, *Publishing rule*)."""
    location_style: str = "file"
    reading_grade_max: float = 8.0
    sentence_words_max: int = 25
    review_max_months: int = 24
    links: dict[str, dict[str, str]] = field(default_factory=dict)
    report_problem: str = ""
    """Where readers report a problem with a page: a `mailto:` or https:// address, `{page}`
    standing for the page's address (added as `subject`/`page` when not given)."""
    limits: Limits = field(default_factory=Limits)

    @property
    def sheets_dir(self) -> Path:
        return self.root / "sheets"

    @property
    def figures_dir(self) -> Path:
        return self.sheets_dir / "figures"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def output_dir(self) -> Path:
        return self.root / self.output

    def display(self, path: Path) -> str:
        """`path` as messages, reports and catalog references show it: relative to the project
        when inside it (`sheets/webcams.yaml`), as given otherwise."""
        try:
            return Path(os.path.realpath(path)).relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def counterparts(self, lang: str) -> dict[str, str]:
        """Source addresses and the pages in `lang` a translation may link to instead."""
        return self.links.get(lang, {})

    def locale_tag(self, lang: str) -> str:
        """The BCP 47 tag (`fr-CA`) of a configured language code (`fr`)."""
        return self.languages[lang]


def load_config(root: Path) -> Config:
    """Read `factsheets.toml` under `root`; a project without one gets the defaults."""
    root = root.resolve()
    if not root.is_dir():
        raise ConfigError.at(root, "project folder not found", hint="pass --project DIR")
    path = root / CONFIG_NAME
    if not path.exists():
        return Config(root=root)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError.at(path, f"cannot read the project file: {exc}") from None
    return _build(root, path, data)


def _build(root: Path, path: Path, data: dict[str, Any]) -> Config:
    """Check the project file's tables and turn them into a `Config`."""
    known = {f.name for f in fields(Config)} - {"root", "limits"}
    limits_data = data.pop("limits", {})
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError.at(path, f"unknown setting {unknown[0]!r}",
                             hint="known settings: " + ", ".join(sorted(known)))
    for name, value in data.items():
        _check_type(path, name, value)
    config = Config(root=root, limits=_limits(path, limits_data), **data)
    _check(path, config)
    _check_languages(path, config.languages)
    _check_output(path, root, config.output)
    return config


SETTING_TYPES: dict[str, tuple[type, ...]] = {
    "title": (str,), "base_url": (str,), "source_language": (str,), "languages": (dict,),
    "page_size": (str,), "output": (str,), "publish_threshold": (int, float),
    "publish_policy": (str,),
    "location_style": (str,), "reading_grade_max": (int, float), "sentence_words_max": (int, float),
    "review_max_months": (int, float), "links": (dict,),
    "report_problem": (str,)}
"""The TOML type of each setting (whole numbers are checked further by `_check`)."""
TYPE_NAMES = {str: "a string", dict: "a table", int: "a number", float: "a number"}
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")
"""A language code as the project names it (`fr`): it becomes a folder of the site."""
BCP47 = re.compile(r"(?P<lang>[a-z]{2,3})(-[A-Z][a-z]{3})?(-(?:[A-Z]{2}|[0-9]{3}))?"
                   r"(-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*", re.ASCII)
"""A well-formed BCP 47 tag in its usual case (`fr-CA`, `sr-Latn-RS`, `es-419`)."""
SOURCE_FOLDERS = ("sheets", "templates", "locales")


def _check_type(path: Path, name: str, value: Any) -> None:
    """A setting of the wrong TOML type is a located usage error, not a traceback later."""
    kinds: tuple[type[Any], ...] = SETTING_TYPES[name]
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise ConfigError.at(path, f"must be {TYPE_NAMES[kinds[0]]}, not {_toml_type(value)}",
                             field=name)
    if name == "publish_threshold" and not 0 <= value <= 100:
        raise ConfigError.at(path, "must be a percentage from 0 to 100", field=name)
    if name in ("languages", "links"):
        inner = str if name == "languages" else dict
        for key, item in value.items():
            if not isinstance(item, inner):
                raise ConfigError.at(path, f"must be {TYPE_NAMES[inner]}, not "
                                     f"{_toml_type(item)}", field=f"{name}.{key}")


def _toml_type(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "a string",
            dict: "a table", list: "an array"}.get(type(value), type(value).__name__)


def _check_languages(path: Path, languages: dict[str, str]) -> None:
    """Codes are lower-case ISO 639 codes (they name folders); tags are BCP 47 of that code."""
    for code, tag in languages.items():
        if not LANGUAGE_CODE.fullmatch(code):
            raise ConfigError.at(path, f"{code!r} is not a language code",
                                 field="languages", hint="use 2 or 3 lower-case letters, "
                                 "e.g. fr = \"fr-CA\"")
        match = BCP47.fullmatch(tag)
        if not match or match["lang"] != code:
            raise ConfigError.at(path, f"{tag!r} is not a BCP 47 tag for {code!r}",
                                 field=f"languages.{code}",
                                 hint=f"e.g. {code} = \"{code}-CA\"")


def _check_output(path: Path, root: Path, output: str) -> None:
    """`output` is a new or existing folder inside the project, apart from its sources."""
    target = Path(os.path.realpath(root / output))
    inside = target.is_relative_to(root) and target != root
    hidden = any(part.startswith(".") for part in Path(output).parts)
    sources = [root / name for name in SOURCE_FOLDERS]
    if not inside or hidden or any(target.is_relative_to(s) or s.is_relative_to(target)
                                   for s in sources):
        raise ConfigError.at(path, f"{output!r} is not a folder of its own inside the project",
                             field="output", hint="use a new folder such as \"dist\", not "
                             "the project itself, sheets/, templates/, locales/ or a hidden one")
    if Path(os.path.normpath(root / output)) != target:
        raise ConfigError.at(path, f"{output!r} goes through a symbolic link", field="output",
                             hint="name the real folder")
    if target.exists() and not target.is_dir():
        raise ConfigError.at(path, f"{output!r} exists and is not a folder", field="output")


def _limits(path: Path, data: Any) -> Limits:
    """The `[limits]` table: known names only, each a whole number above 0."""
    if not isinstance(data, dict):
        raise ConfigError.at(path, "must be a table of limits", field="limits")
    known = [f.name for f in fields(Limits)]
    for name, value in data.items():
        if name not in known:
            raise ConfigError.at(path, f"unknown limit {name!r}", field="limits",
                                 hint="known limits: " + ", ".join(known))
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ConfigError.at(path, "must be a whole number above 0", field=f"limits.{name}")
    return replace(Limits(), **data)


def _check(path: Path, config: Config) -> None:
    """Reject settings that would make every later stage fail."""
    if config.page_size not in PAGE_SIZES:
        raise ConfigError.at(path, f"must be one of {', '.join(PAGE_SIZES)}",
                             field="page_size")
    if config.source_language not in config.languages:
        raise ConfigError.at(path, "must be one of the languages",
                             field="source_language")
    if config.publish_policy not in ("each", "together"):
        raise ConfigError.at(path, "must be each or together", field="publish_policy",
                             hint="each: every language edition goes out when it is complete; "
                             "together: all languages move to a new version at once")
    if config.location_style not in ("full", "file", "never"):
        raise ConfigError.at(path, "must be full, file or never",
                             field="location_style")
    for name, kind in (("reading_grade_max", int | float), ("sentence_words_max", int),
                       ("review_max_months", int)):
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, kind) or value <= 0:
            raise ConfigError.at(path, f"must be a {'whole ' * (kind is int)}number above 0",
                                 field=name)
    for lang, pairs in config.links.items():
        addresses = [*pairs, *pairs.values()] if isinstance(pairs, dict) else [""]
        if lang not in config.languages or not all(
                isinstance(a, str) and a.startswith("https://") for a in addresses):
            raise ConfigError.at(path, "[links.LANG] maps https:// addresses to their "
                                 "counterparts in a configured language", field=f"links.{lang}")
    if config.report_problem and not config.report_problem.startswith(("mailto:", "https://")):
        raise ConfigError.at(path, "must be a mailto: or https:// address",
                             field="report_problem",
                             hint="e.g. mailto:web@example.ca?subject=Problem%20on%20{page}")
    if not config.base_url.startswith("https://") or not config.base_url.endswith("/"):
        raise ConfigError.at(path, "must be an https:// address ending in '/'",
                             field="base_url")


def default_jobs() -> int:
    """The number of CPU cores this process may use (worker processes by default)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
