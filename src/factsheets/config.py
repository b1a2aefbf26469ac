"""The project file (`factsheets.toml`): languages, paths, page size and limits."""

from __future__ import annotations

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
    location_style: str = "file"
    reading_grade_max: float = 8.0
    sentence_words_max: int = 25
    review_max_months: int = 24
    links: dict[str, dict[str, str]] = field(default_factory=dict)
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
    config = Config(root=root, limits=_limits(path, limits_data), **data)
    _check(path, config)
    return config


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
        if lang not in config.languages or not all(a.startswith("https://") for a in addresses):
            raise ConfigError.at(path, "[links.LANG] maps https:// addresses to their "
                                 "counterparts in a configured language", field=f"links.{lang}")
    if not config.base_url.startswith("https://") or not config.base_url.endswith("/"):
        raise ConfigError.at(path, "must be an https:// address ending in '/'",
                             field="base_url")
