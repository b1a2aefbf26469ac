"""A project -> the preview's current state: a build in a temporary folder, its problems and
pages, rebuilt on demand; the watched files' fingerprint that says when to rebuild."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from jinja2 import TemplateError, TemplateSyntaxError

from ..config import Config, load_config
from ..errors import FactsheetsError, Location, Problem
from ..html.site import page_path
from ..i18n.pofile import UI_DOMAIN, catalog_path
from ..model.sources import find_sheets
from ..model.validate import LoadedSheet, load_sheets
from ..pdf.jobs import PdfOptions

WATCHED = ("sheets", "templates", "locales", "factsheets.toml")
POLL_SECONDS = 0.3

Echo = Callable[..., None]


@dataclass(frozen=True)
class Options:
    """How `factsheets serve` builds and where it listens."""

    port: int = 8000
    pdf: bool = False
    allow_incomplete: bool = False
    editor_url: str = ""
    """`vscode://file/{path}:{line}`: link file:line locations to an editor (off when empty)."""


@dataclass(frozen=True)
class PageInfo:
    """Which sheet made a built page, and the files whose errors hold that page back."""

    sheet_id: str
    files: frozenset[str]


@dataclass(frozen=True)
class Snapshot:
    """What the latest build left: its problems, its valid sheets and who made each page."""

    config: Config
    generation: int = 0
    problems: tuple[Problem, ...] = ()
    fatal: bool = False
    sheets: Mapping[str, LoadedSheet] = field(default_factory=dict)
    pages: Mapping[str, PageInfo] = field(default_factory=dict)
    summary: str = ""
    """`built 2 files, skipped 21, failed 0 in 0.3 s`, or `failed`."""

    def errors(self) -> list[Problem]:
        """The build's errors (warnings left out)."""
        return [p for p in self.problems if p.severity == "error"]

    def held(self, sheet_id: str, lang: str) -> list[Problem]:
        """The notes naming each string that holds a sheet's edition in `lang` back.

        Under `publish_policy = "together"` a string in any language holds every edition.
        """
        config = self.config
        langs = config.languages if config.publish_policy == "together" else [lang]
        shown = {config.display(catalog_path(config, code, sheet_id)) for code in langs}
        return [p for p in self.problems if p.severity == "note" and p.location.path in shown]

    def errors_for(self, relpath: str) -> list[Problem]:
        """The errors that keep a page from being shown: its sheet's, and the site's own.

        An error in a sheet or its catalog holds back that sheet's pages only; any other
        (a template, ui.po, the project file, a failed build) holds back every page.
        """
        info = self.pages.get(relpath)
        own = info.files if info else frozenset()
        return [p for p in self.errors() if self.fatal or p.location.path in own
                or not about_a_sheet(p.location.path)]


def about_a_sheet(path: str) -> bool:
    """Whether a problem's file is a sheet or a sheet's catalog (not ui.po, not a template)."""
    parts = PurePosixPath(path).parts
    if parts[:1] == ("sheets",):
        return True
    return (len(parts) == 4 and parts[0] == "locales" and parts[2] == "LC_MESSAGES"
            and parts[3].endswith(".po") and parts[3] != f"{UI_DOMAIN}.po")


@dataclass(frozen=True)
class _Built:
    """One build's outcome, before it is published as a snapshot."""

    problems: list[Problem]
    fatal: bool
    config: Config | None
    summary: str


class Preview:
    """The project being previewed: builds it into `output` and tells waiting pages to reload."""

    def __init__(self, config: Config, output: Path, options: Options) -> None:
        self.root = config.root
        self.output = output
        self.options = options
        self.snapshot = Snapshot(replace(config, output=str(output)))
        self.stopped = False
        self._changed = threading.Condition()

    def rebuild(self) -> Snapshot:
        """Build (only what changed), then publish the result to waiting pages."""
        built = self._build()
        sheets, pages = self._sheets_now(built.config)
        with self._changed:
            old = self.snapshot
            self.snapshot = Snapshot(built.config or old.config, old.generation + 1,
                                     tuple(built.problems), built.fatal, sheets,
                                     {**old.pages, **pages}, built.summary)
            self._changed.notify_all()
        return self.snapshot

    def _build(self) -> _Built:
        """Run `build_site`; a failure of any kind becomes located problems, never a crash.

        PDFs render in this process (`jobs=0`): forking workers from a threaded server
        could deadlock, and the workers would print tracebacks on Ctrl-C.
        """
        from ..build.site import build_site

        config = None
        try:
            config = replace(load_config(self.root), output=str(self.output))
            pdf = PdfOptions(config.page_size) if self.options.pdf else None
            report = build_site(config, allow_incomplete=self.options.allow_incomplete,
                                pdf_options=pdf, jobs=0, drafts=True)
            return _Built(report.problems, False, config, report.summary())
        except FactsheetsError as exc:
            return _Built(exc.problems, True, config, "failed")
        except Exception as exc:  # noqa: BLE001 - the server outlives any failed build
            return _Built([_located(self.root, exc)], True, config, "failed")

    def _sheets_now(self, config: Config | None) -> tuple[dict[str, LoadedSheet],
                                                          dict[str, PageInfo]]:
        """The valid sheets and their pages now; the last known sheets if none can be read."""
        if config is not None:
            with suppress(FactsheetsError, OSError):
                return _sheet_pages(config)
        return dict(self.snapshot.sheets), {}

    def wait(self, since: int, timeout: float) -> int:
        """Block until a build newer than `since` (or the timeout); return the latest number."""
        with self._changed:
            self._changed.wait_for(lambda: self.snapshot.generation > since or self.stopped,
                                   timeout)
            return self.snapshot.generation

    def stop(self) -> None:
        """Release every page waiting for a reload."""
        with self._changed:
            self.stopped = True
            self._changed.notify_all()


def _located(root: Path, exc: Exception) -> Problem:
    """A build failure as a problem: at the template line for template errors."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        path = Path(exc.filename).resolve()
        shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        return Problem(Location(shown, exc.lineno or 0, 1 if exc.lineno else 0),
                       f"template error: {exc.message}")
    what = "template error" if isinstance(exc, TemplateError) else "the build failed"
    return Problem(Location(str(root)), f"{what}: {type(exc).__name__}: {exc}")


def _sheet_pages(config: Config) -> tuple[dict[str, LoadedSheet], dict[str, PageInfo]]:
    """The valid sheets by id, and the page each makes in each language."""
    from ..i18n.editions import load_edition

    loaded, _ = load_sheets(config, find_sheets(config.sheets_dir))
    sheets = {item.sheet.id: item for item in loaded}
    pages: dict[str, PageInfo] = {}
    for sheet_id, item in sheets.items():
        files = frozenset({config.display(item.path)} | {
            config.display(catalog_path(config, lang, sheet_id)) for lang in config.languages})
        for lang in config.languages:
            try:
                slug = load_edition(config, item, lang).slug
            except FactsheetsError:
                continue
            pages[page_path(lang, slug)] = PageInfo(sheet_id, files)
    return sheets, pages


def fingerprint(root: Path) -> dict[str, tuple[int, int]]:
    """Modification time and size of every watched file (hidden files left out)."""
    found: dict[str, tuple[int, int]] = {}
    for path in _watched_files(root):
        try:
            stat = path.stat()
        except OSError:
            continue
        found[str(path)] = (stat.st_mtime_ns, stat.st_size)
    return found


def _watched_files(root: Path) -> Iterator[Path]:
    for name in WATCHED:
        top = root / name
        paths = [top] if top.is_file() else sorted(top.rglob("*")) if top.is_dir() else []
        yield from (p for p in paths if not p.name.startswith(".") and p.is_file())
