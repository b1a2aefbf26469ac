"""Exceptions that carry a location (file, line, column, field path) and their formatting."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Self

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters (tab and newline aside): never allowed in text a reader sees."""
HIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
"""What a message must not print as is: control (newline and tab too: a file name holding
one could forge a line of output), zero-width and bidi characters."""


def printable(text: str) -> str:
    """Text safe to print on one line: hidden characters written as `\\uXXXX` escapes."""
    return HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True, order=True)
class Location:
    """Where a problem is: a file, a 1-based line and column, and a field path."""

    path: str
    line: int = 0
    column: int = 0
    field: str = ""

    def prefix(self) -> str:
        """The `file:line:col` prefix editors and CI annotate."""
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


@dataclass(frozen=True)
class Problem:
    """One located message, with an optional hint saying how to fix it."""

    location: Location
    message: str
    hint: str = ""
    severity: str = "error"

    def format(self) -> str:
        """Render as `file:line:col: field: message (hint)`."""
        text = f"{self.location.prefix()}: "
        if self.severity != "error":
            text += f"{self.severity}: "
        if self.location.field:
            text += f"{self.location.field}: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return printable(text)

    def as_dict(self) -> dict[str, object]:
        """A plain mapping for `--format json`."""
        loc = self.location
        return {
            "file": loc.path,
            "line": loc.line,
            "column": loc.column,
            "field": loc.field,
            "message": self.message,
            "hint": self.hint,
            "severity": self.severity,
        }


class FactsheetsError(Exception):
    """Base of every error a user may see; carries one or more located problems."""

    exit_code = 1

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.format() for p in problems))
        self.problems = problems

    @classmethod
    def at(cls, path: str | Path, message: str, *, line: int = 0, column: int = 0,
           field: str = "", hint: str = "") -> Self:
        """Build an error with a single problem at one place."""
        location = Location(str(path), line, column, field)
        return cls([Problem(location, message, hint)])


class SheetError(FactsheetsError):
    """A sheet cannot be read or does not follow the schema."""


class ConfigError(FactsheetsError):
    """The project file is missing or wrong."""

    exit_code = 2


class CatalogError(FactsheetsError):
    """A translation catalog is malformed or a translation breaks a rule."""


class BuildLocked(FactsheetsError):
    """Another build is writing the same output folder."""


class UnsafeFile(FactsheetsError):
    """A file cannot be read or written safely: a link, a special file, too big, or an I/O error."""


class PageOverflow(FactsheetsError):
    """A PDF that must fit one page (a handout) runs over."""


class FetchError(FactsheetsError):
    """A resource a page asked for lies outside what the build may read."""


def format_problems(problems: list[Problem], fmt: str = "text") -> str:
    """Format problems one per line, or as a JSON array."""
    if fmt == "json":
        return json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2)
    return "\n".join(p.format() for p in problems)
