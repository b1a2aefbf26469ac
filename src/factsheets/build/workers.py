"""PDF rendering in worker processes: each imports WeasyPrint once and renders many PDFs.

Tasks are plain data (the HTML string, base URL, metadata, the project's `Config`); a worker
builds its own sandboxed fetcher, keeps fonts and print.css loaded between tasks, writes the
PDF into dist/ itself and returns only its facts.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import signal
import threading
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import FactsheetsError, Location, Problem
from ..pdf.bundle import BundleJob
from ..pdf.jobs import PdfJob, RenderedPdf

if TYPE_CHECKING:  # WeasyPrint and pikepdf are imported in a worker only
    from ..pdf.render import PrintResources
from .outfiles import write_atomic

_POOL: dict[int, ProcessPoolExecutor] = {}
_RESOURCES: dict[str, PrintResources] = {}


@dataclass(frozen=True)
class Task:
    """One PDF to render into dist/`path`; `resources` names the print.css and fonts it uses."""

    path: str
    job: PdfJob | BundleJob
    resources: str


@dataclass(frozen=True)
class Done:
    """What a worker reports back: the PDF's pages and size, or why it could not be made."""

    path: str
    pages: int = 0
    size: int = 0
    warnings: tuple[Problem, ...] = ()
    problems: tuple[Problem, ...] = ()


def render_task(task: Task) -> Done:
    """Render and write one PDF; every failure comes back as a located problem."""
    try:
        rendered = _render(task)
        write_atomic(task.job.config.output_dir / task.path, rendered.data,
                     root=task.job.config.root)
    except FactsheetsError as exc:
        return Done(task.path, problems=tuple(exc.problems))
    except PdfTimeout:
        seconds = task.job.config.limits.pdf_seconds
        problem = too_slow(seconds)
        return Done(task.path, problems=(Problem(Location(task.job.source), problem.message,
                                                 problem.hint),))
    except Exception as exc:  # noqa: BLE001 - a worker reports, it never takes the build down
        problem = Problem(Location(task.job.source), f"cannot make the PDF: {exc}")
        return Done(task.path, problems=(problem,))
    finally:
        gc.collect()  # the layout's cycles: see `_warm`
    return Done(task.path, rendered.pages, len(rendered.data), rendered.warnings)


def _render(task: Task) -> RenderedPdf:
    """A sheet's PDF laid out by WeasyPrint, or a bundle joined from the sheets' PDFs."""
    from ..pdf.join import render_bundle
    from ..pdf.render import render_job

    if isinstance(task.job, BundleJob):
        return render_bundle(task.job, _resources(task))
    return render_job(task.job, _resources(task))


def _resources(task: Task) -> PrintResources:
    """This process's fonts and print.css for the task's project, loaded on first use."""
    if task.resources not in _RESOURCES:
        _RESOURCES.clear()
        from ..pdf.render import PrintResources

        _RESOURCES[task.resources] = PrintResources(task.job.config)
    return _RESOURCES[task.resources]


def _warm() -> None:
    """Worker start: import WeasyPrint and the tagger once, before the first task.

    Layout allocates millions of short-lived objects: with the imported modules frozen out
    of the collector and a larger first generation, rendering is about a tenth faster. A
    document's boxes refer to each other in cycles, which only a full collection frees: with
    one after each task, a worker stays near 120 MB (it grew by 0.4 MB a sheet without) and
    renders a few per cent faster still.
    Ctrl-C reaches the whole process group: the main process handles it, workers ignore it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import weasyprint  # noqa: F401

    with contextlib.suppress(ImportError):  # an unsupported WeasyPrint: each PDF says so
        from ..pdf import tagger  # noqa: F401

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


class PdfTimeout(BaseException):  # noqa: N818 - not an Exception: WeasyPrint catches those
    """A PDF took longer than `limits.pdf_seconds` (raised by the alarm, `jobs=0`)."""


def too_slow(seconds: int) -> Problem:
    """The problem of a PDF stopped by the time limit."""
    return Problem(Location(""), f"the PDF took longer than {seconds} s and was stopped",
                   "simplify its figures, or raise limits.pdf_seconds")


class Inline(Executor):
    """Runs each task at once in this process (`jobs=0`); in the main thread, an alarm
    stops a task after `seconds` (a preview's build thread relies on validation's limits)."""

    def __init__(self, seconds: int = 0) -> None:
        self.seconds = seconds

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        timed = self.seconds and threading.current_thread() is threading.main_thread()
        if timed:
            previous = signal.signal(signal.SIGALRM, _alarm)
            signal.alarm(self.seconds)
        try:
            future.set_result(fn(*args, **kwargs))
        finally:
            if timed:
                signal.alarm(0)
                signal.signal(signal.SIGALRM, previous)
        return future


def _alarm(_signum: int, _frame: Any) -> None:
    raise PdfTimeout


def executor(jobs: int, seconds: int = 0) -> Executor:
    """A pool of `jobs` worker processes, kept for later builds in this process; `jobs=0`
    renders in this process (the preview: no fork from a threaded server), where the time
    limit is an alarm that Python code notices, not a worker that can be killed."""
    if jobs <= 0:
        return Inline(seconds)
    pool = _POOL.get(jobs)
    if pool is None:
        for old in _POOL.values():
            old.shutdown(wait=False, cancel_futures=True)
        _POOL.clear()
        context = multiprocessing.get_context("fork")
        pool = _POOL[jobs] = ProcessPoolExecutor(jobs, context, initializer=_warm)
        pool.submit(int)  # start the workers now: they import WeasyPrint while HTML is made
    return pool


def stop_all() -> None:
    """End every worker at once (after Ctrl-C, when waiting for them could hang)."""
    for child in multiprocessing.active_children():
        child.terminate()
    _POOL.clear()


def replace_pool(jobs: int) -> None:
    """End a pool whose worker overran its time: its processes are killed, and the next
    `executor(jobs)` starts fresh ones."""
    pool = _POOL.pop(jobs, None)
    if pool is None:
        return
    for child in multiprocessing.active_children():  # the pool's workers (one pool at a time)
        child.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def discard(jobs: int) -> None:
    """Forget a pool that broke (a worker was killed), so the next build starts a new one."""
    pool = _POOL.pop(jobs, None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
