"""Fingerprints of what a build reads: file stat, then a content hash only when the stat moved."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from stat import S_ISREG
from typing import Any

from ..config import CONFIG_NAME, Config
from ..errors import UnsafeFile
from ..files import read_bounded

TOOLKIT = Path(__file__).resolve().parent.parent
LIBRARY_NAME = re.compile(r"[A-Za-z0-9._-]+")
INDIRECT_LIBRARIES = ("pydyf",)
"""Libraries that shape output without being a requirement of ours: WeasyPrint writes PDF
syntax through pydyf."""
OUTPUT_NEUTRAL = ("__main__.py", "cli.py", "model/skeleton.py", "i18n/extract.py",
                  "i18n/merge.py", "i18n/commands.py", "quality/", "preview/",
                  "build/progress.py", "build/report.py", "build/lock.py")
"""Toolkit files and folders (relative to the package) that never shape a built file: the
commands, the translators' side of i18n (extract, merge, the catalog commands), the checks,
the preview server, progress and report output.
Every other module, a new one in any subpackage included, is part of every job's key."""
TEMPLATE_BYTES = 50_000_000
"""Templates and fonts are trusted, yet bounded: a larger file is fingerprinted by its stat."""
Stamp = list[Any]
"""[size, mtime_ns, sha256] of one file."""


def digest(*parts: Any) -> str:
    """A short, stable hash of JSON-able parts."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Fingerprints:
    """Content hashes of files by name, trusting the last build's hash when size and mtime agree."""

    def __init__(self, config: Config, previous: Mapping[str, Stamp]) -> None:
        self.config = config
        self.previous = previous
        self.stamps: dict[str, Stamp] = {}
        limits = config.limits
        self.largest = max(limits.sheet_bytes, limits.figure_bytes, limits.catalog_bytes,
                           TEMPLATE_BYTES)

    def name(self, path: Path) -> str:
        """How the manifest names a file: relative to the project when inside it."""
        if path.is_relative_to(self.config.root):
            return path.relative_to(self.config.root).as_posix()
        return path.as_posix()

    def of(self, path: Path) -> str:
        """The content hash of a file ("" if it does not exist)."""
        name = self.name(path)
        if name not in self.stamps:
            self.stamps[name] = self._stamp(path, self.previous.get(name))
        return str(self.stamps[name][2])

    def _stamp(self, path: Path, old: Stamp | None) -> Stamp:
        """Special files (a link to /dev/zero, a FIFO) and files over every limit are not
        read: their readers refuse them anyway, so their stat is their fingerprint."""
        try:
            info = os.stat(path)
        except OSError:
            return [-1, 0, ""]
        if old and old[0] == info.st_size and old[1] == info.st_mtime_ns:
            return old
        if not S_ISREG(info.st_mode) or info.st_size > self.largest:
            return [info.st_size, info.st_mtime_ns, f"unread:{info.st_mode}:{info.st_ino}"]
        try:
            data = read_bounded(path, self.largest)
        except UnsafeFile:
            return [-1, 0, ""]
        return [info.st_size, info.st_mtime_ns, hashlib.sha256(data).hexdigest()]

    def all_of(self, paths: Iterable[Path]) -> str:
        """One hash of several files, by name and content."""
        return digest(sorted((self.name(p), self.of(p)) for p in paths))


def project_files(config: Config) -> list[Path]:
    """Every file a build may read: the project file, sheets, pages, news, figures, catalogs
    and templates."""
    files = [config.root / CONFIG_NAME, *config.sheets_dir.glob("*.yaml")]
    files += [*(config.root / "pages").glob("*.yaml"), *(config.root / "news").glob("*.yaml")]
    files += config.figures_dir.rglob("*")
    files += config.locales_dir.rglob("*.po")
    files += config.templates_dir.rglob("*")
    return sorted(p for p in files if not p.is_dir())


@functools.cache
def toolkit() -> str:
    """The running toolkit: its source files, as this process first read them, and the
    versions of the libraries whose output ends up in dist/ (a change rebuilds everything)."""
    from importlib.metadata import PackageNotFoundError, version

    sources = [(name, hashlib.sha256(p.read_bytes()).hexdigest())
               for p in sorted(TOOLKIT.rglob("*.py"))
               if not (name := p.relative_to(TOOLKIT).as_posix()).startswith(OUTPUT_NEUTRAL)]
    versions = {}
    for name in libraries():
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = ""
    return digest(sources, versions)


def libraries() -> list[str]:
    """Every library factsheets runs on (its installed requirements, test extras left out),
    and those it reaches through them that shape output (`INDIRECT_LIBRARIES`)."""
    from importlib.metadata import PackageNotFoundError, requires

    try:
        required = requires("factsheets") or []
    except PackageNotFoundError:  # run from a source tree that was never installed
        required = []
    names = {match.group() for line in required
             if "extra ==" not in line and (match := LIBRARY_NAME.match(line))}
    return sorted(names | set(INDIRECT_LIBRARIES))


def settings_of(config: Config) -> str:
    """The project's settings, wherever the project folder is (moving it rebuilds nothing)."""
    return repr(replace(config, root=Path()))


def inputs_digest(prints: Fingerprints, settings: str) -> str:
    """One hash of every input file, the toolkit, its libraries and the build settings."""
    files = project_files(prints.config)
    return digest(prints.all_of(files), toolkit(), settings_of(prints.config), settings)
