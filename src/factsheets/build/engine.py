"""A build's slow path: load every sheet, then run only the jobs whose key changed.

PDF jobs go to worker processes first (pages show each PDF's pages and size); assets and
figures are copied in this process while the workers render, and the HTML pages and listings
follow; an unchanged job is skipped.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path, PurePosixPath

from jinja2 import Environment, TemplateError

from ..config import Config, default_jobs
from ..errors import FactsheetsError, Location, Problem
from ..files import read_bounded, read_inside
from ..html.figurefont import with_sheet_font
from ..html.furniture import (
    not_found_path,
    render_not_found,
    render_robots,
    render_root_not_found,
    render_sitemap,
)
from ..html.pages import (
    make_environment,
    render_article,
    render_audience,
    render_feed,
    render_index,
    render_landing,
    render_search,
    render_sheet,
    render_whats_new,
)
from ..html.site import (
    AUDIENCES,
    INDEX_FOLDER,
    SEARCH_ENTRY,
    PdfInfo,
    SheetEntry,
    Site,
    audience_path,
    handout_key,
    printable,
    published,
    search_path,
    whats_new_path,
)
from ..i18n.editions import publishable_edition, ui_translations
from ..i18n.pofile import catalog_path
from ..model.articles import is_article, load_content
from ..model.sources import find_sheets
from ..model.validate import LoadedSheet, check_figure_path
from ..pdf.bundle import BundleJob
from ..pdf.jobs import PdfJob, PdfOptions
from ..pdf.plan import (
    BUNDLE_TEMPLATES,
    bundle_job,
    bundle_path,
    handout_job,
    handout_path,
    pdf_path,
    sheet_job,
)
from . import workers
from .fingerprints import TEMPLATE_BYTES, Fingerprints, digest
from .keys import Keys
from .manifest import Manifest, Output, problem_data, problem_from
from .outfiles import stamp, write_atomic
from .progress import Progress
from .published import held_entry, kept_entry
from .report import BuildReport

ASSETS = ("site.css", "search.js")
LANDING = ("landing.html.j2", "landing-part.html.j2")
ROOT_404 = ("404-root.html.j2", "404-part.html.j2")
PdfKey = tuple[str, str]


@dataclass
class Run:
    """One build's bookkeeping: what it skipped, wrote and failed, and the new manifest."""

    config: Config
    previous: Manifest
    force: bool
    report: BuildReport
    progress: Progress
    outputs: dict[str, Output] = field(default_factory=dict)

    def reuse(self, path: str, key: str) -> Output | None:
        """The last build's output if its key is unchanged and the file untouched."""
        old = self.previous.outputs.get(path)
        if self.force or old is None or old.key != key:
            return None
        if not old.intact(self.config.output_dir / path):
            return None
        self.outputs[path] = old
        self.report.skipped.append(path)
        self._problems([problem_from(w) for w in old.warnings])
        self.progress.advance(path, False)
        return old

    def wrote(self, path: str, key: str, pages: int = 0,
              warnings: tuple[Problem, ...] = ()) -> Output:
        """Record an output just written."""
        size, mtime = stamp(self.config.output_dir / path)
        self.outputs[path] = Output(key, size, mtime, pages, [problem_data(w) for w in warnings])
        self.report.written.append(path)
        self._problems(list(warnings))
        self.progress.advance(path, True)
        return self.outputs[path]

    def write(self, path: str, key: str, make: Callable[[], bytes], source: str) -> None:
        """Make and write one output unless its key is unchanged; a failure is reported."""
        if self.reuse(path, key):
            return
        try:
            data = make()
        except (FactsheetsError, TemplateError, OSError, ValueError, TypeError, KeyError) as exc:
            self.failed(path, [_problem(source, exc)])
            return
        try:
            write_atomic(self.config.output_dir / path, data, root=self.config.root)
        except FactsheetsError as exc:
            self.failed(path, exc.problems)
            return
        self.wrote(path, key)

    def failed(self, path: str, problems: list[Problem]) -> None:
        """An output that could not be made (a file from an earlier build is removed)."""
        self.report.failures.append(path)
        self._problems(problems)
        self.progress.advance(path, False)

    def _problems(self, problems: list[Problem]) -> None:
        found = self.report.problems
        found.extend(p for p in problems if p not in found)


def _problem(source: str, exc: Exception) -> Problem:
    """A failure while building an output, located at the file it came from."""
    if isinstance(exc, FactsheetsError):
        return exc.problems[0]
    return Problem(Location(source), f"cannot build this sheet: {type(exc).__name__}: {exc}")


def run_build(run: Run, prints: Fingerprints, *, allow_incomplete: bool,
              pdfs: dict[PdfKey, PdfInfo], pdf_options: PdfOptions | None,
              jobs: int | None, drafts: bool = False) -> None:
    """Load the sheets, then make every output whose inputs changed (drafts only if told)."""
    config, report = run.config, run.report
    loaded, problems = load_content(config, find_sheets(config.sheets_dir))
    loaded = [s for s in loaded if drafts or s.sheet.status != "draft"]
    articles = [_entry(config, a, allow_incomplete, run) for a in loaded if is_article(a)]
    loaded = [s for s in loaded if not is_article(s)]
    report.problems.extend(problems)
    report.failures.extend(sorted({p.location.path for p in problems if p.severity == "error"}))
    entries = _unique([e for e in (_entry(config, s, allow_incomplete, run) for s in loaded)
                       if e] + _kept(config, problems, report.problems), run)
    figures = _figures(config, entries)
    site = Site(config, entries, pdfs, {k: v[0] for k, v in figures.items()},
                [a for a in articles if a and "/news/" not in f"/{a.source}"],
                [a for a in articles if a and "/news/" in f"/{a.source}"])
    envs = {lang: make_environment(config, lang, ui_translations(config, lang, report.problems))
            for lang in config.languages}
    keys = Keys.make(config, prints, envs[config.source_language], site)
    run.progress.start(_count(site, pdf_options is not None))
    copies = _copies(run, keys, figures)
    if pdf_options is None:
        for copy in copies:
            copy()
    else:
        pool = default_jobs() if jobs is None else jobs
        made = _pdfs(run, keys, envs, site, pdf_options, pool, meanwhile=copies)
        site = replace(site, pdfs={**site.pdfs, **made})
    _pages(run, keys, envs, site)
    _search_index(run, keys)


def _search_index(run: Run, keys: Keys) -> None:
    """The Pagefind index of the built pages, made again only when a page's key changed.

    Without Pagefind installed the site is built all the same, with a warning.
    """
    from .search import installed, make_index

    if not installed():
        run.report.problems.append(Problem(
            Location("pagefind"), "the search index was not built: Pagefind is not installed",
            hint="install the toolkit again: pip install -e .", severity="warning"))
        return
    pages = sorted((path, out.key) for path, out in run.outputs.items() if path.endswith(".html"))
    key = digest("pagefind", keys.base, pages)
    index = [p for p in run.previous.outputs if p.startswith(INDEX_FOLDER) and p != SEARCH_ENTRY]
    if run.reuse(SEARCH_ENTRY, key) and all(run.reuse(path, key) for path in index):
        return
    try:
        make_index(run.config.output_dir)
    except FactsheetsError as exc:
        run.failed(SEARCH_ENTRY, list(exc.problems))
        return
    folder = run.config.output_dir / INDEX_FOLDER
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        path = file.relative_to(run.config.output_dir).as_posix()
        run.outputs.pop(path, None)
        run.wrote(path, key)


def _entry(config: Config, loaded: LoadedSheet, allow_incomplete: bool,
           run: Run) -> SheetEntry | None:
    """Every edition of a sheet, or None (and a problem) if one cannot be made."""
    problems = run.report.problems
    try:
        made = {lang: publishable_edition(config, loaded, lang, problems)
                for lang in config.languages}
    except FactsheetsError as exc:
        problems.extend(exc.problems)
        run.report.failures.append(config.display(loaded.path))
        return None
    withheld = frozenset(lang for lang, (_, done) in made.items()
                         if not (done.percent >= config.publish_threshold or allow_incomplete))
    for lang in sorted(withheld):
        problems.extend(made[lang][1].held_notes())
    if withheld and config.publish_policy == "together":
        return held_entry(config, loaded, sorted(withheld), problems)
    run.report.withheld.extend((loaded.sheet.id, lang) for lang in sorted(withheld))
    editions = {lang: edition for lang, (edition, _) in made.items()}
    return SheetEntry(editions, withheld, config.display(loaded.path))


def _own_slugs(entries: list[SheetEntry], run: Run) -> list[SheetEntry]:
    """Editions whose translated slug gives another sheet's address (in that language) keep
    their source slug instead, with a warning at the slug's line in the .po: a translator
    of one sheet cannot take another's page."""
    for _round in range(len(entries) + 1):
        claims: dict[str, set[int]] = {}
        for i, entry in enumerate(entries):
            for lang in entry.editions:
                claims.setdefault(entry.path(lang), set()).add(i)
        taken = [(i, lang) for i, entry in enumerate(entries) for lang, edition in
                 entry.editions.items() if edition.slug != _source_id(entry, lang)
                 and len(claims[entry.path(lang)]) > 1]
        if not taken:
            return entries
        for i, lang in taken:
            entry = entries[i]
            others = sorted(entries[j].source for j in claims[entry.path(lang)] if j != i)
            run.report.problems.append(_slug_problem(run.config, entry, lang, others))
            edition, sheet_id = entry.editions[lang], _source_id(entry, lang)
            source_slug = replace(edition, slug=sheet_id,
                                  sheet=edition.sheet.model_copy(update={"id": sheet_id}))
            entries[i] = replace(entry, editions={**entry.editions, lang: source_slug})
    return entries


def _source_id(entry: SheetEntry, lang: str) -> str:
    """The sheet's own id (its slug in its source language; editions carry translated ones)."""
    return entry.editions[entry.editions[lang].source_lang].sheet.id


def _slug_problem(config: Config, entry: SheetEntry, lang: str, others: list[str]) -> Problem:
    """The warning for a translated slug that is not used, at its line in the .po."""
    sheet_id = _source_id(entry, lang)
    path = catalog_path(config, lang, sheet_id)
    try:
        lines = read_bounded(path, config.limits.catalog_bytes).decode("utf-8", "replace")
        line = lines.splitlines().index(f'msgctxt "{sheet_id}|slug"') + 2  # its msgid
    except (FactsheetsError, ValueError):
        line = 0
    return Problem(Location(config.display(path), line, 1 if line else 0, f"{sheet_id}|slug"),
                   f"the slug {entry.editions[lang].slug!r} gives the address {entry.path(lang)} "
                   f"of {', '.join(others)}", f"the source slug {sheet_id!r} is used instead",
                   "warning")


def _kept(config: Config, problems: list[Problem], notes: list[Problem]) -> list[SheetEntry]:
    """The sheets whose file has errors, at their published version where they have one."""
    failing = sorted({config.root / p.location.path for p in problems if p.severity == "error"})
    kept = [kept_entry(config, path, notes) for path in failing
            if path.parent == config.sheets_dir and path.suffix == ".yaml"]
    return [entry for entry in kept if entry]


def _unique(entries: list[SheetEntry], run: Run) -> list[SheetEntry]:
    """The sheets whose pages have addresses of their own; a sheet taking another's is an error."""
    entries = _own_slugs(entries, run)
    taken: dict[str, str] = {}
    kept = []
    for entry in entries:
        clash = next((path for path in map(entry.path, entry.editions) if path in taken), None)
        if clash is None:
            taken.update((entry.path(lang), entry.source) for lang in entry.editions)
            kept.append(entry)
            continue
        run.failed(entry.source, [Problem(
            Location(entry.source), f"its page {clash} would replace that of {taken[clash]}",
            hint="give one of the two another slug (or translated slug)")])
    return kept


def _count(site: Site, with_pdfs: bool) -> int:
    """How many outputs the build will consider (for the progress bar)."""
    langs = site.config.languages
    per_language = 5 + len(AUDIENCES)  # index, feed, What's new, search, 404, audiences
    editions = sum(len(e.editions) for e in [*site.entries, *site.pages])
    pages = editions + per_language * len(langs) + 5 + len(ASSETS)
    if not with_pdfs:
        return pages
    handouts = sum(len(e.editions[lang].sheet.audiences) for e in site.entries for lang in langs
                   if published(e, lang))
    return (pages + sum(printable(e, lang) for e in site.entries for lang in langs) + len(langs)
            + handouts)


def _figures(config: Config,
             entries: list[SheetEntry]) -> dict[tuple[str, str, str], tuple[str, Path]]:
    """Where each edition finds each figure in dist/, and the project file copied there."""
    where = {}
    for entry in entries:
        for lang, edition in entry.editions.items():
            for figure in edition.sheet.figures:
                source = figure_file(config, figure.src, lang)
                target = "media/" + config.display(source)
                where[(edition.sheet.id, figure.id, lang)] = (target, source)
    return where


def figure_file(config: Config, src: str, lang: str) -> Path:
    """The figure file for a language: `x.fr.svg` beside `x.svg` wins in French.

    The localized file passes the same checks as the one the sheet names, or is not used.
    """
    name = PurePosixPath(src)
    localized = str(name.with_name(f"{name.stem}.{lang}{name.suffix}"))
    chosen = localized if not check_figure_path(config, localized) else src
    return (config.sheets_dir / chosen).resolve()


def _copies(run: Run, keys: Keys,
            figures: dict[tuple[str, str, str], tuple[str, Path]]) -> list[Callable[[], None]]:
    """The steps that copy the stylesheet, the fonts and the figures as they are (SVG
    figures with the sheet font embedded, html.figurefont): one per file."""
    templates = run.config.templates_dir
    copies = {f"assets/{name}": templates / name for name in ASSETS}
    copies.update({f"assets/fonts/{f.name}": f for f in sorted((templates / "fonts").glob("*"))})
    copies.update(dict(figures.values()))
    return [partial(_copy, run, keys, target, source) for target, source in copies.items()]


def _copy(run: Run, keys: Keys, target: str, source: Path) -> None:
    """Copy one file into dist/`target` (unless it is current)."""
    if source.suffix.lower() == ".svg" and source.is_relative_to(run.config.figures_dir):
        run.write(target, keys.svg_figure(source), partial(published_svg, run.config, source),
                  str(source))
    else:
        run.write(target, keys.copy(source), partial(read_project_file, run.config, source),
                  str(source))


def published_svg(config: Config, path: Path) -> bytes:
    """A checked SVG figure as the site serves it: with the sheet font's glyphs it draws."""
    return with_sheet_font(read_project_file(config, path), config.templates_dir / "fonts")


def read_project_file(config: Config, path: Path) -> bytes:
    """A figure (bounded by limits.figure_bytes, never through a link that leaves the
    project) or a template asset (trusted, yet a regular file of bounded size)."""
    shown = config.display(path)
    if path.is_relative_to(config.figures_dir):
        return read_inside(path, config.root, config.limits.figure_bytes, shown=shown,
                           hint="raise limits.figure_bytes if this is intended")
    return read_bounded(path, TEMPLATE_BYTES, shown=shown)


def _pages(run: Run, keys: Keys, envs: dict[str, Environment], site: Site) -> None:
    """Sheet pages, then each language's index and feed, then the landing page."""
    for entry in site.entries:
        for lang, env in envs.items():
            run.write(entry.path(lang), keys.page(site, entry, lang),
                      partial(_encoded, render_sheet, env, site, entry, lang), entry.source)
    templates = run.config.templates_dir
    for lang, env in envs.items():
        for name, render, path in (("index.html.j2", render_index, f"{lang}/index.html"),
                                   ("feed.xml.j2", render_feed, f"{lang}/feed.xml"),
                                   ("whats-new.html.j2", render_whats_new, whats_new_path(lang)),
                                   ("search.html.j2", render_search, search_path(lang))):
            run.write(path, keys.listing(site, name, lang),
                      partial(_encoded, render, env, site, lang), str(templates / name))
    for entry in site.pages:
        for lang, env in envs.items():
            run.write(entry.path(lang), keys.article(entry, lang),
                      partial(_encoded, render_article, env, site, entry, lang), entry.source)
    for lang, env in envs.items():
        for audience in AUDIENCES:
            run.write(audience_path(lang, audience), keys.listing(site, "audience.html.j2", lang),
                      partial(_encoded, render_audience, env, site, lang, audience),
                      str(templates / "audience.html.j2"))
    run.write("index.html", keys.landing(site, LANDING),
              partial(_encoded, render_landing, envs, site), str(templates / LANDING[0]))
    _furniture(run, keys, envs, site)


def _furniture(run: Run, keys: Keys, envs: dict[str, Environment], site: Site) -> None:
    """Each language's 404 page, the bilingual one, sitemap.xml and robots.txt."""
    templates = str(run.config.templates_dir)
    for lang, env in envs.items():
        run.write(not_found_path(lang), keys.furniture(("404.html.j2",), [lang]),
                  partial(_encoded, render_not_found, env, site, lang), templates)
    run.write(not_found_path(), keys.furniture(ROOT_404, list(envs)),
              partial(_encoded, render_root_not_found, envs, site), templates)
    pages = sitemap_pages(site)
    run.write("sitemap.xml", digest("sitemap", keys.base, pages),
              partial(_encoded, render_sitemap, site, pages), templates)
    run.write("robots.txt", digest("robots", keys.base),
              partial(_encoded, render_robots, site), templates)


def sitemap_pages(site: Site) -> list[dict[str, str]]:
    """Every page a search engine should list, each as its versions by language."""
    langs = site.config.languages
    pages = [{"x-default": "index.html"}, {lang: f"{lang}/index.html" for lang in langs},
             {lang: whats_new_path(lang) for lang in langs}]
    pages.extend({lang: audience_path(lang, a) for lang in langs} for a in AUDIENCES)
    pages.extend({lang: e.path(lang) for lang in langs if lang not in e.withheld}
                 for e in site.pages)
    for entry in site.entries:
        versions = {lang: entry.path(lang) for lang in langs if published(entry, lang)}
        if versions:
            pages.append(versions)
    return pages


def _encoded(render: Callable[..., str], *args: object) -> bytes:
    """What `render(*args)` makes, as UTF-8: called only when the output is out of date."""
    return render(*args).encode()


def _pdfs(run: Run, keys: Keys, envs: dict[str, Environment], site: Site,
          options: PdfOptions, jobs: int,
          meanwhile: list[Callable[[], None]]) -> dict[PdfKey, PdfInfo]:
    """Every printable edition's PDF, each language's bundle of the published ones, and the
    handouts; the steps of `meanwhile` run in this process while the workers render sheets.

    A bundle is joined from its sheets' PDFs, so it holds only the sheets whose PDF exists;
    it is queued before the handouts, so no worker waits for the last bundle at the end.
    """
    queue = _Queue(run, jobs, digest(str(site.config.templates_dir), keys.print_assets),
                   options.page_size)
    queue.start([_sheet(keys, env, site, entry, lang, options)
                 for lang, env in envs.items() for entry in site.entries
                 if printable(entry, lang)])
    queue.finish(meanwhile)
    held = {lang: [e for e in site.entries if published(e, lang)
                   and (e.editions[lang].sheet.id, lang) in queue.known] for lang in envs}
    queue.start([_bundle(keys, envs[lang], site, held[lang], lang, options, queue.known)
                 for lang in envs if held[lang]]
                + [_handout(keys, env, site, entry, lang, audience.value, options)
                   for lang, env in envs.items() for entry in site.entries
                   if published(entry, lang)
                   for audience in entry.editions[lang].sheet.audiences])
    queue.finish()
    return dict(queue.known)


def _sheet(keys: Keys, env: Environment, site: Site, entry: SheetEntry, lang: str,
           options: PdfOptions) -> _Pdf:
    """The PDF job of one edition."""
    edition = entry.editions[lang]
    return _Pdf(pdf_path(lang, edition.slug), keys.pdf(site, entry, lang, options),
                (edition.sheet.id, lang), entry.source,
                lambda: sheet_job(env, site, entry, lang, options))


def _handout(keys: Keys, env: Environment, site: Site, entry: SheetEntry, lang: str,
             audience: str, options: PdfOptions) -> _Pdf:
    """The PDF job of one edition's one-page handout for one audience."""
    edition = entry.editions[lang]
    return _Pdf(handout_path(lang, edition.slug, audience),
                keys.handout(site, entry, lang, audience, options),
                (handout_key(edition.sheet.id, audience), lang), entry.source,
                lambda: handout_job(env, site, entry, lang, audience, options))


def _bundle(keys: Keys, env: Environment, site: Site, held: list[SheetEntry], lang: str,
            options: PdfOptions, pdfs: dict[PdfKey, PdfInfo]) -> _Pdf:
    """The PDF job of one language's bundle."""
    return _Pdf(bundle_path(lang), keys.bundle(site, held, lang, BUNDLE_TEMPLATES, options),
                ("", lang), str(site.config.templates_dir / BUNDLE_TEMPLATES[0]),
                lambda: bundle_job(env, site, held, lang, options, pdfs))


@dataclass(frozen=True)
class _Pdf:
    """One PDF the build may have to make: where, its key, and how to prepare its job."""

    path: str
    key: str
    ident: PdfKey
    """(sheet id, language); ("", language) for a bundle."""
    source: str
    prepare: Callable[[], PdfJob | BundleJob]


@dataclass
class _Queue:
    """PDF jobs handed to the worker pool, and the PDFs known (made or current)."""

    run: Run
    jobs: int
    resources: str
    paper: str
    known: dict[PdfKey, PdfInfo] = field(default_factory=dict)
    waiting: deque[tuple[_Pdf, PdfJob | BundleJob]] = field(default_factory=deque)
    running: dict[Future[workers.Done], _Pdf] = field(default_factory=dict)
    jobs_of: dict[Future[workers.Done], tuple[PdfJob | BundleJob, float]] = field(
        default_factory=dict)
    """Each running future's job and deadline (at most `jobs` run, so each starts at once)."""

    def start(self, pdfs: list[_Pdf]) -> None:
        """Skip the current PDFs; prepare the others here, to be rendered in workers.

        Only as many jobs as workers are in the pool at a time, so workers start on the
        first PDFs while the next ones are prepared.
        """
        for pdf in pdfs:
            if self._current(pdf):
                continue
            job = self._prepare(pdf)
            if job is not None:
                self.waiting.append((pdf, job))
            self._pump(block=False)

    def finish(self, meanwhile: list[Callable[[], None]] | None = None) -> None:
        """Wait until every started PDF is made or has failed, taking the steps of
        `meanwhile` in turn between keeping the workers busy (and any left at the end)."""
        steps = deque(meanwhile or ())
        while self.waiting or self.running:
            if steps:
                steps.popleft()()
            self._pump(block=not steps)
        for step in steps:
            step()

    @property
    def seconds(self) -> int:
        return self.run.config.limits.pdf_seconds

    def _pump(self, block: bool) -> None:
        """Collect finished jobs (waiting for one if `block`, at most until the first
        deadline), stop the jobs over their time, then top the pool up."""
        if self.running:
            first = min(deadline for _, deadline in self.jobs_of.values())
            timeout = max(0.0, first - time.monotonic()) if block else 0
            done, _ = wait(self.running, timeout, FIRST_COMPLETED)
            for future in done:
                self.jobs_of.pop(future)
                self._collect(self.running.pop(future), future)
            if not done and block:
                self._overran()
        pool = workers.executor(self.jobs, self.seconds)
        while self.waiting and len(self.running) < max(self.jobs, 1):
            self._submit(pool, *self.waiting.popleft())

    def _submit(self, pool: Executor, pdf: _Pdf, job: PdfJob | BundleJob) -> None:
        try:
            future = pool.submit(workers.render_task, workers.Task(pdf.path, job,
                                                                   self.resources))
        except BrokenProcessPool:
            future = self._broken(pdf.path)
        self.running[future] = pdf
        self.jobs_of[future] = (job, time.monotonic() + self.seconds)

    def _overran(self) -> None:
        """Jobs past their deadline fail; their workers are replaced (the whole pool: it
        cannot stop one worker) and the other running jobs start again in the new one."""
        now = time.monotonic()
        late = [f for f, (_, deadline) in self.jobs_of.items() if deadline <= now]
        if not late:
            return
        workers.replace_pool(self.jobs)
        again = [(self.running.pop(f), self.jobs_of.pop(f)[0]) for f in list(self.running)
                 if f not in late]
        for future in late:
            pdf = self.running.pop(future)
            self.jobs_of.pop(future)
            slow = workers.too_slow(self.seconds)
            self.run.failed(pdf.path, [Problem(Location(pdf.source), slow.message, slow.hint)])
        self.waiting.extendleft(reversed(again))

    def _current(self, pdf: _Pdf) -> bool:
        old = self.run.reuse(pdf.path, pdf.key)
        if old:
            self.known[pdf.ident] = PdfInfo(pdf.path, old.pages, old.size, paper=self.paper)
        return old is not None

    def _prepare(self, pdf: _Pdf) -> PdfJob | BundleJob | None:
        try:
            return pdf.prepare()
        except (FactsheetsError, TemplateError, OSError, ValueError) as exc:
            self.run.failed(pdf.path, [_problem(pdf.source, exc)])
            return None

    def _collect(self, pdf: _Pdf, future: Future[workers.Done]) -> None:
        done = self._result(future, pdf.path)
        if done.problems:
            self.run.failed(pdf.path, list(done.problems))
        else:
            self.run.wrote(pdf.path, pdf.key, done.pages, done.warnings)
            self.known[pdf.ident] = PdfInfo(pdf.path, done.pages, done.size, paper=self.paper)

    def _result(self, future: Future[workers.Done], path: str) -> workers.Done:
        try:
            return future.result()
        except BrokenProcessPool:
            return self._broken(path).result()

    def _broken(self, path: str) -> Future[workers.Done]:
        """A job the pool lost: a worker died (out of memory?); the next build starts anew."""
        workers.discard(self.jobs)
        problem = Problem(Location(path), "a PDF worker process died (out of memory?)")
        future: Future[workers.Done] = Future()
        future.set_result(workers.Done(path, problems=(problem,)))
        return future
