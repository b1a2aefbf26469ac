"""Command-line interface: validate, schema, new, build, check, serve and the i18n commands."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from .config import Config, default_jobs, load_config
from .errors import FactsheetsError, Problem, format_problems, printable


class ProjectError(click.ClickException):
    """Located problems reached the CLI: print them all, exit with their code."""

    def __init__(self, problems: list[Problem], fmt: str = "text", code: int = 1) -> None:
        super().__init__(format_problems(problems, fmt))
        self.exit_code = code  # type: ignore[misc]  # Click reads the instance's

    def show(self, file: object = None) -> None:
        click.echo(self.message, err=True)


def project_option(func):  # type: ignore[no-untyped-def]
    """Add `--project DIR` (default: the current folder)."""
    return click.option("--project", "project", type=click.Path(file_okay=False, path_type=Path),
                        default=Path("."), show_default=True,
                        help="The project folder holding sheets/, templates/ and locales/.")(func)


def project_sheets(config: Config) -> list[Path]:
    """The sheet files of the project; a missing or linked sheets/ is a usage error."""
    from .model.sources import find_sheets

    try:
        return find_sheets(config.sheets_dir)
    except FactsheetsError as exc:
        raise ProjectError(exc.problems, code=2) from None


def open_project(project: Path) -> Config:
    """Load the project file, turning its errors into a usage error (exit 2)."""
    try:
        return load_config(project)
    except FactsheetsError as exc:
        raise ProjectError(exc.problems, code=exc.exit_code) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factsheets")
def main() -> None:
    """Publish accessible, bilingual fact sheets as HTML and tagged PDF."""


@main.command()
@project_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="How to print problems.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def validate(project: Path, fmt: str, paths: tuple[Path, ...]) -> None:
    """Check sheets (and, without PATHS, pages/ and news/ too) and report every problem."""
    from .model.articles import find_articles, load_articles
    from .model.validate import check_sheets

    config = open_project(project)
    files = list(paths) or project_sheets(config)
    if not files:
        raise click.UsageError(f"no sheets found in {config.sheets_dir}; "
                               "create one with `factsheets new SLUG`")
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise click.UsageError(f"no such sheet file: {missing[0]}")
    if paths:
        sheets = [p for p in files if Path(p).resolve().parent.name not in ("pages", "news")]
        ids, problems = check_sheets(config, sheets, default_jobs())
        articles, more = load_articles(config, [p for p in files if p not in sheets],
                                       {s.stem for s in project_sheets(config)})
    else:
        ids, problems = check_sheets(config, files, default_jobs())
        articles, more = load_articles(config, find_articles(config), set(ids))
    problems += more
    if problems:
        raise ProjectError(problems, fmt)
    if fmt == "json":
        click.echo("[]")
    else:
        extra = f", {len(articles)} page(s) and news item(s)" if articles else ""
        click.echo(f"{len(ids)} sheet(s){extra} valid")


@main.command()
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
def schema(output: Path | None) -> None:
    """Print the JSON Schema of a sheet file."""
    from .model.schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output:
        from .files import write_atomic

        try:
            write_atomic(output.absolute(), text.encode("utf-8"))
        except FactsheetsError as exc:
            raise ProjectError(exc.problems) from None
    else:
        sys.stdout.write(text)


@main.command()
@project_option
@click.option("--lang", "lang", default=None, metavar="LANG",
              help="The language the sheet is written in (default: the project's "
                   "source_language); the skeleton's comments and sample text use it.")
@click.argument("slug")
def new(project: Path, slug: str, lang: str | None) -> None:
    """Write a skeleton sheet, sheets/SLUG.yaml, whose comments teach each field."""
    from .model.skeleton import write_skeleton

    config = open_project(project)
    try:
        path = write_skeleton(config, slug, lang)
    except FactsheetsError as exc:
        raise ProjectError(exc.problems, code=2) from None
    click.echo(printable(f"wrote {path}"))


# --- i18n: the translation workflow (i18n/commands.py) ----------------------------------

@main.group()
def i18n() -> None:
    """Translation catalogs: extract, update, compile, stats."""


def _i18n_run(project: Path, action, verb: str) -> None:  # type: ignore[no-untyped-def]
    """Run `action(config, sheets)` on the valid sheets, then report invalid ones (exit 1)."""
    from .model.articles import load_content

    config = open_project(project)
    loaded, problems = load_content(config, project_sheets(config))
    try:
        paths = action(config, loaded)
    except FactsheetsError as exc:
        raise ProjectError(problems + exc.problems) from None
    for path in paths:
        click.echo(printable(f"{verb} {config.display(path)}"))
    if not paths:
        click.echo("nothing changed")
    if problems:
        raise ProjectError(problems)


def domain_option(func):  # type: ignore[no-untyped-def]
    """Add `--domain NAME` (repeatable): only these catalogs (sheet ids, or ui)."""
    return click.option("--domain", "only", multiple=True, metavar="NAME",
                        help="Only this catalog: a sheet id, or ui (repeatable).")(func)


@i18n.command()
@project_option
@domain_option
def extract(project: Path, only: tuple[str, ...]) -> None:
    """Write locales/<sheet-id>.pot for every sheet and locales/ui.pot for the templates."""
    from .i18n.commands import extract_all

    _i18n_run(project, lambda config, sheets: extract_all(config, sheets, frozenset(only)),
              "wrote")


@i18n.command()
@project_option
@domain_option
def update(project: Path, only: tuple[str, ...]) -> None:
    """Merge the .pot templates into every language's .po (changed text becomes fuzzy)."""
    from .i18n.commands import update_all

    _i18n_run(project, lambda config, sheets: update_all(config, sheets, frozenset(only)),
              "updated")


@i18n.command(name="compile")
@project_option
def compile_(project: Path) -> None:
    """Write a .mo file beside every .po (the build reads .po directly; this is for tools)."""
    from .i18n.commands import compile_all

    warnings: list[Problem] = []
    try:
        _i18n_run(project, lambda config, _sheets: compile_all(config, warnings), "wrote")
    finally:
        if warnings:
            click.echo(format_problems(warnings), err=True)



@i18n.command()
@project_option
@click.option("--min", "minimum", type=click.FloatRange(0, 100), default=None,
              help="Exit with status 1 if any sheet or language is below this percentage.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="A table, or JSON for scripts.")
def stats(project: Path, minimum: float | None, fmt: str) -> None:
    """Translated, fuzzy and untranslated counts per sheet and language."""
    from .i18n.commands import stats as catalog_stats
    from .i18n.pofile import UI_DOMAIN
    from .model.articles import load_content

    config = open_project(project)
    loaded, problems = load_content(config, project_sheets(config))
    try:
        rows, warnings = catalog_stats(config, loaded)
    except FactsheetsError as exc:
        raise ProjectError(problems + exc.problems) from None
    if warnings:
        click.echo(format_problems(warnings), err=True)
    held = [note for row in rows if row.domain != UI_DOMAIN
            and row.percent < config.publish_threshold for note in row.held_notes()]
    if held:
        click.echo(format_problems(held), err=True)
    if fmt == "json":
        click.echo(json.dumps([row.as_dict() for row in rows], ensure_ascii=False, indent=2))
    else:
        _stats_table(rows)
    _stats_verdict(rows, minimum, problems)


def _stats_table(rows: list) -> None:
    click.echo(f"{'catalog':<28} {'lang':<5} {'translated':>10} {'fuzzy':>6} "
               f"{'untranslated':>12} {'invalid':>7} {'percent':>8}")
    for row in rows:
        counts = row.counts
        click.echo(f"{row.domain:<28} {row.lang:<5} {counts['translated']:>10} "
                   f"{counts['fuzzy']:>6} {counts['untranslated']:>12} {counts['invalid']:>7} "
                   f"{row.percent:>7.1f}%")


def _stats_verdict(rows: list, minimum: float | None,
                   problems: list[Problem]) -> None:
    """Fail for invalid sheets, and for catalogs below `--min`."""
    below = [r for r in rows if minimum is not None and r.percent < minimum]
    for row in below:
        click.echo(f"{row.domain} ({row.lang}) is {row.percent:.1f}% translated, "
                   f"below --min {minimum:g}", err=True)
    if problems:
        raise ProjectError(problems)
    if below:
        raise SystemExit(1)

@main.command()
@project_option
@click.option("--allow-incomplete", is_flag=True,
              help="Publish editions whose translation is below the project's publish_threshold; "
                   "untranslated strings show in the source language, marked as such.")
@click.option("--page-size", type=click.Choice(["letter", "a4"]), default=None,
              help="Paper size of the PDFs (default: the project's page_size, letter).")
@click.option("--print-marks", is_flag=True,
              help="For a print shop: a 3 mm bleed, and crop marks in a slug around each "
                   "page (see docs/pdf.md, \"For print shops\"), into a separate folder "
                   "(dist-print/); the public output is left alone.")
@click.option("--no-pdf", is_flag=True, help="Build the HTML site only (faster).")
@click.option("--jobs", "-j", type=click.IntRange(1), default=None,
              help="Worker processes rendering PDFs (default: the number of CPU cores).")
@click.option("--force", is_flag=True, help="Rebuild every file, even those that are current.")
@click.option("--drafts", is_flag=True,
              help="A review build with the draft sheets too, each stamped as a draft, into "
                   "a separate folder (dist-drafts/); the public output is left alone.")
@click.option("--quiet", "-q", is_flag=True,
              help="No progress bar, notes or summary; only problems (for CI).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="Print the report as text, or as JSON on standard output.")
def build(project: Path, allow_incomplete: bool, page_size: str | None, print_marks: bool,
          no_pdf: bool, jobs: int | None, force: bool, drafts: bool, quiet: bool,
          fmt: str) -> None:
    """Build the site (both languages, indexes, feeds) and its tagged PDFs into the output.

    Only files whose inputs changed since the last build are made again. Draft sheets are
    not built, except by --drafts.
    """
    from .build.progress import watcher
    from .build.site import build_site, output_beside
    from .pdf.jobs import PdfOptions

    config = open_project(project)
    config = output_beside(config, "drafts") if drafts else config
    config = output_beside(config, "print") if print_marks else config
    pdf = None if no_pdf else PdfOptions(page_size or config.page_size, print_marks)
    try:
        report = build_site(config, allow_incomplete=allow_incomplete, pdf_options=pdf,
                            jobs=jobs, force=force, progress=watcher(quiet or fmt == "json"),
                            drafts=drafts)
    except FactsheetsError as exc:
        raise ProjectError(exc.problems, code=exc.exit_code) from None
    except KeyboardInterrupt:
        _interrupted()
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        _build_text(report, quiet)
    if report.failed:
        raise SystemExit(1)


def _interrupted() -> NoReturn:
    """Ctrl-C: say the output is whole, end the workers and leave at once.

    An interrupt can land while the pool's bookkeeping holds a lock, so the usual exit,
    which waits for the pool's threads, could hang: leave with `os._exit` instead.
    """
    from .build.workers import stop_all

    click.echo("interrupted: every file in the output folder is whole; build again to "
               "finish", err=True)
    stop_all()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


def _build_text(report, quiet: bool) -> None:  # type: ignore[no-untyped-def]
    """Notes on withheld editions, the problems, then one summary line."""
    for sheet_id, lang in [] if quiet else report.withheld:
        click.echo(f"note: {sheet_id} ({lang}) is not published: its translation is below "
                   "publish_threshold; the strings that hold it back follow (use "
                   "--allow-incomplete to publish it anyway)", err=True)
    if report.problems:
        click.echo(format_problems(report.problems), err=True)
    if not quiet:
        click.echo(report.summary())


@main.command()
@project_option
def publish(project: Path) -> None:
    """Record each sheet complete in every language as its published version (published/)."""
    from .build.published import incomplete, record
    from .model.validate import load_sheets

    config = open_project(project)
    loaded, problems = load_sheets(config, project_sheets(config))
    notes: list[Problem] = []
    try:
        for sheet in (s for s in loaded if s.sheet.status != "draft"):
            waiting = incomplete(config, sheet)
            if waiting:
                notes += [note for p in waiting for note in p.held_notes()]
                continue
            for path in record(config, sheet):
                click.echo(f"wrote {config.display(path)}")
    except FactsheetsError as exc:
        raise ProjectError(problems + exc.problems) from None
    if notes:
        click.echo(format_problems(notes), err=True)
    if problems:
        raise ProjectError(problems)


# --- check: quality warnings for authors and translators (checks.py) ---------------------

@main.command()
@project_option
@click.option("--strict", is_flag=True, help="Exit with status 1 if there is any warning.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="How to print problems.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(project: Path, strict: bool, fmt: str, paths: tuple[Path, ...]) -> None:
    """Warn about reading level, long sentences, link and alt text, reviews and addresses."""
    import datetime as dt

    from .model.validate import load_sheets
    from .quality.checks import check_sheet

    config = open_project(project)
    files = list(paths) or project_sheets(config)
    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:
        raise click.UsageError(f"no such sheet file: {missing[0]}")
    loaded, problems = load_sheets(config, files)
    reports = [r for sheet in loaded for r in check_sheet(config, sheet, dt.date.today())]
    problems += [p for report in reports for p in report.problems]
    if fmt == "json":
        click.echo(format_problems(problems, "json"))
    else:
        _check_summary(problems, reports, config.reading_grade_max)
    if any(p.severity == "error" for p in problems) or (strict and problems):
        raise SystemExit(1)


def _check_summary(problems: list[Problem], reports: list, target: float) -> None:
    """Print the problems, then each edition's reading grade, then a count."""
    if problems:
        click.echo(format_problems(problems))
    for report in reports:
        grade = report.grade.describe() if report.grade else "not rated (under 100 words)"
        click.echo(f"{report.sheet} [{report.lang}]: {grade}, {report.words} words")
    warnings = sum(p.severity == "warning" for p in problems)
    errors = len(problems) - warnings
    click.echo(f"{warnings} warning(s), {errors} error(s); target reading grade {target:g}")


# --- serve: the preview server (preview/) -----------------------------------------------

def _editor_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Refuse an `--editor-url` that is not an editor link with {path} (and {line})."""
    from .preview.views import check_editor_url

    reason = check_editor_url(value) if value else ""
    if reason:
        raise click.BadParameter(reason)
    return value


@main.command()
@project_option
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 to listen on; 0 picks a free one.")
@click.option("--pdf", is_flag=True, help="Build the PDFs too (slower; skipped by default).")
@click.option("--allow-incomplete", is_flag=True,
              help="Show editions whose translation is below publish_threshold, as a build "
                   "with --allow-incomplete would publish them.")
@click.option("--editor-url", default="", metavar="TEMPLATE", callback=_editor_url,
              help="Link file:line locations to your editor, e.g. 'vscode://file/{path}:{line}'.")
def serve(project: Path, port: int, pdf: bool, allow_incomplete: bool, editor_url: str) -> None:
    """Preview the site on 127.0.0.1, rebuilding and reloading pages as files change."""
    from .preview.server import serve as run_preview
    from .preview.state import Options

    config = open_project(project)
    try:
        run_preview(config, Options(port, pdf, allow_incomplete, editor_url), click.echo)
    except KeyboardInterrupt:
        click.echo("stopped")
    except OSError as exc:
        raise click.ClickException(
            f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}") from None
