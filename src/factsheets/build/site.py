"""Build the site into the output folder, incrementally: `build_site(config) -> BuildReport`.

Under the output folder's lock, the inputs are fingerprinted (stat, hashing only what moved);
if nothing changed since the manifest was written, nothing is loaded or rendered. Otherwise
`engine.run_build` runs the jobs whose keys changed, outputs no longer made are removed and
the manifest (dist/.factsheets-manifest.json) is written last.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from ..config import Config
from ..errors import FactsheetsError
from .fingerprints import Fingerprints, inputs_digest
from .lock import output_lock
from .manifest import Manifest, load_manifest, problem_data, problem_from, save_manifest
from .outfiles import remove, remove_temporaries, write_atomic
from .progress import Progress, Silent
from .report import BuildReport

if TYPE_CHECKING:  # a build with nothing to do imports neither Jinja2, Babel nor pydantic
    from ..html.site import PdfInfo
    from ..pdf.jobs import PdfOptions

__all__ = ["BuildReport", "build_site", "write_atomic"]


@dataclass(frozen=True)
class Settings:
    """The build options that change what is built (not how fast)."""

    allow_incomplete: bool
    pdfs: Mapping[tuple[str, str], PdfInfo]
    pdf_options: PdfOptions | None
    drafts: bool = False
    """Build draft sheets too, stamped as drafts (a review build, never the public one)."""

    def text(self) -> str:
        """The settings as text, for the inputs' hash."""
        return json.dumps([self.allow_incomplete, sorted(map(repr, self.pdfs.items())),
                           repr(self.pdf_options), self.drafts])


def build_site(config: Config, *, allow_incomplete: bool = False,
               pdfs: Mapping[tuple[str, str], PdfInfo] | None = None,
               pdf_options: PdfOptions | None = None, jobs: int | None = None,
               force: bool = False, progress: Progress | None = None,
               drafts: bool = False) -> BuildReport:
    """Build every sheet in every language (PDFs too with `pdf_options`); skip what is current.

    `jobs` worker processes render PDFs (default: the CPU cores; 0: in this process, where
    the time limit cannot stop C code); `force` rebuilds everything.
    Draft sheets are left out unless `drafts` (a review build: see `output_beside`).
    Raises `BuildLocked` if another build holds the output folder.
    """
    start = time.monotonic()
    settings = Settings(allow_incomplete, dict(pdfs or {}), pdf_options, drafts)
    watcher = progress or Silent()
    with output_lock(config.output_dir):
        try:
            report = _build(config, settings, jobs, force, watcher)
        finally:
            watcher.stop()
    report.seconds = time.monotonic() - start
    return report


def _build(config: Config, settings: Settings, jobs: int | None, force: bool,
           progress: Progress) -> BuildReport:
    """Replay the last build if nothing changed; else run the changed jobs."""
    _check_templates(config)
    out = config.output_dir
    remove_temporaries(out)
    previous = load_manifest(out)
    prints = Fingerprints(config, previous.inputs)
    digest = inputs_digest(prints, settings.text())
    if not force and _unchanged(config, previous, digest):
        return _replay(previous)
    from .engine import Run, run_build

    run = Run(config, previous, force, BuildReport(), progress)
    run_build(run, prints, allow_incomplete=settings.allow_incomplete, pdfs=dict(settings.pdfs),
              pdf_options=settings.pdf_options, jobs=jobs, drafts=settings.drafts)
    report = run.report
    report.removed = sorted(set(previous.outputs) - set(run.outputs))
    kept = remove(out, report.removed, config.root)
    for relpath, problem in kept.items():  # named again by this manifest: deleted next time
        run.outputs[relpath] = previous.outputs[relpath]
        report.removed.remove(relpath)
        report.failures.append(relpath)
        report.problems.append(problem)
    try:
        save_manifest(out, Manifest(digest, not report.failed, prints.stamps, run.outputs,
                                    [problem_data(p) for p in report.problems],
                                    [list(w) for w in report.withheld]), config.root)
    except FactsheetsError as exc:  # the next build then rebuilds everything
        report.problems.extend(exc.problems)
    return report


def output_beside(config: Config, kind: str) -> Config:
    """The project set to build into a folder beside the public output (`dist-drafts/` for
    the review build with drafts, `dist-print/` for a print shop's), which it leaves alone."""
    return replace(config, output=f"{PurePosixPath(config.output)}-{kind}")


def _unchanged(config: Config, previous: Manifest, digest: str) -> bool:
    """Whether the last build succeeded from these very inputs and its files are untouched."""
    return (previous.ok and previous.digest == digest
            and all(o.intact(config.output_dir / p) for p, o in previous.outputs.items()))


def _replay(previous: Manifest) -> BuildReport:
    """The report of a build with nothing to do: every output skipped, the same warnings."""
    return BuildReport(skipped=sorted(previous.outputs),
                       withheld=[(w[0], w[1]) for w in previous.withheld],
                       problems=[problem_from(p) for p in previous.warnings])


def _check_templates(config: Config) -> None:
    """Stop early, with a clear message, when the project has no page templates."""
    if not (config.templates_dir / "sheet.html.j2").is_file():
        raise FactsheetsError.at(config.templates_dir, "templates not found",
                                 hint="the project needs templates/ with sheet.html.j2")
