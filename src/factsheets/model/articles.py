"""Page and news files (pages/*.yaml, news/YYYY-MM-DD-slug.yaml) -> validated `Article`s.

About and Contact are pages; news items feed "What's new". Both are content like sheets:
Markdown bodies, located errors, translated through catalogs whose domain is the id.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from ..config import Config
from ..errors import FactsheetsError, Problem, SheetError
from .schema import Body, Model, PlainText, Slug
from .sources import Document, problem_at
from .validate import LoadedSheet, file_name_problems, load_sheets, read_content, validate_model

RESERVED_PAGE = re.compile(r"index|404|search|whats-new|feed|for-[a-z-]+|fact-sheets-[a-z]{2,3}")
"""Names of the site's own files in each language folder, which a page cannot take."""
NEWS_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})-[a-z0-9]+(-[a-z0-9]+)*")
"""A news file's name: its date, then a slug (`2026-11-28-new-sheets.yaml`)."""


class Article(Model):
    """A page (About, Contact) or a news item, in its source language."""

    id: Slug
    kind: Literal["page", "news"]
    status: Literal["draft", "published"] = "published"
    language: Annotated[str, Field(pattern=r"^[a-z]{2}$")]
    title: PlainText
    summary: PlainText | None = None
    date: dt.date | None = None
    """A news item's date (its file name's too)."""
    link: Slug | None = None
    """A news item's sheet: the id of the sheet it is about."""
    body: Body


def find_articles(config: Config) -> list[Path]:
    """Every page and news file, pages first, each folder sorted by name (none if absent)."""
    found: list[Path] = []
    for folder in (config.root / "pages", config.root / "news"):
        if folder.is_dir() and not folder.is_symlink():
            found.extend(sorted(p for p in folder.glob("*.yaml") if not p.is_dir()))
    return found


def load_articles(config: Config, paths: list[Path], sheet_ids: set[str]
                  ) -> tuple[list[LoadedSheet], list[Problem]]:
    """Load every page and news item; the valid ones, and the problems of the others.

    An article travels as a `LoadedSheet` (its `sheet` an `Article`), so catalogs and
    editions treat it like a sheet; its id must differ from every sheet's (one catalog each).
    """
    loaded: list[LoadedSheet] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            loaded.append(load_article(config, path, sheet_ids))
        except FactsheetsError as exc:
            problems.extend(exc.problems)
    return loaded, problems


def load_article(config: Config, path: Path, sheet_ids: set[str]) -> LoadedSheet:
    """Read and check one page or news file; raise `SheetError` with all its problems."""
    kind = "news" if path.parent.name == "news" else "page"
    document = read_content(config, path, kind if kind == "page" else "news item",
                            "start with `id:`, `title:` and `body:`")
    article = validate_model(Article, {**document.data, "kind": kind}, document, path)
    problems = file_name_problems(document, path) + _checks(article, path, sheet_ids, document)
    if problems:
        raise SheetError(problems)
    return LoadedSheet(article, path, document)  # type: ignore[arg-type]


def _checks(article: Article, path: Path, sheet_ids: set[str],
            document: Document) -> list[Problem]:
    """What the schema alone cannot say: news names and dates, links, ids apart from sheets'."""
    found = []
    if article.id in sheet_ids:
        found.append(problem_at(document, ("id",), f"a sheet is already called {article.id!r}",
                                "give the page another id (and file name)"))
    if article.kind == "page" and RESERVED_PAGE.fullmatch(article.id):
        found.append(problem_at(document, ("id",), f"{article.id!r} is the name of one of the "
                                "site's own pages", "give the page another id (and file name)"))
    if article.kind == "page":
        for name in ("date", "link"):
            if getattr(article, name) is not None:
                found.append(problem_at(document, (name,), f"a page has no {name}",
                                        "only news items (news/) have one"))
        return found
    match = NEWS_NAME.fullmatch(path.stem)
    if not match:
        found.append(problem_at(document, ("id",), "a news file is named by its date and a "
                                "slug", "e.g. news/2026-11-28-new-sheets.yaml"))
    elif article.date is None:
        found.append(problem_at(document, (), "this required field is missing: date",
                                f"add `date: {match.group(1)}`"))
    elif article.date.isoformat() != match.group(1):
        found.append(problem_at(document, ("date",), f"the date differs from the file name's "
                                f"{match.group(1)}", "make them the same"))
    if article.link is not None and article.link not in sheet_ids:
        found.append(problem_at(document, ("link",), f"no sheet is called {article.link!r}",
                                "link is the id of a sheet in sheets/"))
    return found


def load_content(config: Config, sheet_paths: list[Path]) -> tuple[list[LoadedSheet],
                                                                   list[Problem]]:
    """The valid sheets, then the valid pages and news items, and every problem found."""
    sheets, problems = load_sheets(config, sheet_paths)
    articles, more = load_articles(config, find_articles(config),
                                   {loaded.sheet.id for loaded in sheets})
    return sheets + articles, problems + more


def is_article(loaded: LoadedSheet) -> bool:
    """Whether a loaded file is a page or news item rather than a sheet."""
    return isinstance(loaded.sheet, Article)
