"""Shared fixtures: the CLI runner and throwaway projects."""

from __future__ import annotations

import base64
import http.server
import json
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from factsheets.build import workers
from factsheets.cli import main
from factsheets.config import Config, load_config
from factsheets.pdf.jobs import PdfJob

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
NODE_MODULES = ROOT / "node_modules"
CHROMIUM = Path("/usr/bin/chromium")


def require_tools(*, browser: bool = False, java: bool = False) -> None:
    """Skip a test whose external tools are missing, or fail when the run demands them.

    `scripts/test` installs every tool and sets FACTSHEETS_REQUIRE_TOOLS=1, so in CI a missing
    tool is a failure, never a quiet skip.
    """
    missing = []
    if browser and (not CHROMIUM.exists() or shutil.which("node") is None):
        missing.append("/usr/bin/chromium and node")
    if browser and not all((NODE_MODULES / m).is_dir() for m in ("axe-core", "playwright-core")):
        missing.append("node_modules (run `npm ci --ignore-scripts`)")
    if java and (shutil.which("java") is None or not (NODE_MODULES / "vnu-jar").is_dir()):
        missing.append("java and node_modules/vnu-jar")
    if missing and os.environ.get("FACTSHEETS_REQUIRE_TOOLS") == "1":
        pytest.fail("missing " + ", ".join(missing))
    if missing:
        pytest.skip("needs " + ", ".join(missing))


@pytest.fixture(autouse=True)
def _pdfs_only_in_slow_tests(request: pytest.FixtureRequest,
                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep `-m "not slow"` fast: a test not marked slow fails if it starts rendering a PDF
    (a build asks for PDF workers, or WeasyPrint, if loaded, lays out a page). Builds run in
    a subprocess are not watched."""
    if request.node.get_closest_marker("slow"):
        return

    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail(f"{request.node.nodeid} renders a PDF: mark it @pytest.mark.slow")

    monkeypatch.setattr(workers, "executor", refuse)
    weasyprint = sys.modules.get("weasyprint")
    if weasyprint is not None:
        monkeypatch.setattr(weasyprint.HTML, "render", refuse)


@pytest.fixture
def runner() -> Callable[..., object]:
    """Invoke the CLI in-process: `runner("validate", "--project", str(path))`."""
    cli = CliRunner()

    def invoke(*args: str) -> object:
        return cli.invoke(main, list(args), catch_exceptions=False)

    return invoke


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """Make a throwaway project: `project({"sheets/x.yaml": text, ...})`, templates copied."""

    def make(files: dict[str, str | bytes] | None = None, *, templates: bool = True) -> Path:
        root = tmp_path / "project"
        (root / "sheets").mkdir(parents=True, exist_ok=True)
        (root / "locales").mkdir(exist_ok=True)
        if templates and (ROOT / "templates").is_dir() and not (root / "templates").exists():
            shutil.copytree(ROOT / "templates", root / "templates")
        for name, content in (files or {}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return root

    return make


def skeleton(slug: str = "sample") -> str:
    """The text `factsheets new` writes, as a valid sheet to start a test from."""
    from factsheets.model.skeleton import SKELETON

    return SKELETON.format(slug=slug, title=slug.capitalize(), language="en",
                           today="2026-11-28")


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The shipped project built once per test run, PDFs included, for every test that reads it.

    A copy of the repository's sheets, catalogs and templates, plus one sheet that is
    unavailable, built with fallbacks allowed into `<tmp>/sites/full/dist/` (the folder beside
    it is free for other sites to serve alongside). Bundles lay out their footers 7 pages at a
    time, not 100, so that sheets straddle the chunks and bundle tests cross chunk boundaries;
    the print HTML of each sheet PDF is kept in PRINT_PAGES, and each handout's job in
    HANDOUT_JOBS. With pytest-xdist, the first worker to ask builds it and the others wait,
    then read the same folder.
    """
    from filelock import FileLock

    shared = shared_folder(tmp_path_factory)
    root = shared / "sites" / "full"
    pages = shared / "shipped-print-pages.json"
    with FileLock(shared / "shipped-build.lock"):
        if not pages.is_file():
            assert not root.exists(), "the shipped build failed in another worker: see its error"
            _build_shipped(root)
            pages.write_text(json.dumps([PRINT_PAGES, HANDOUT_JOBS]), encoding="utf-8")
    print_pages, handout_jobs = json.loads(pages.read_text(encoding="utf-8"))
    PRINT_PAGES.update(print_pages)
    HANDOUT_JOBS.update(handout_jobs)
    return load_config(root)


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This test run's temporary folder, the same for every pytest-xdist worker."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def _build_shipped(root: Path) -> None:
    """Copy the shipped project to `root`, add an unavailable sheet, and build it."""
    from factsheets.build import engine
    from factsheets.build.site import build_site
    from factsheets.pdf import bundle, plan
    from factsheets.pdf.jobs import PdfOptions

    for folder in ("templates", "sheets", "locales"):
        shutil.copytree(ROOT / folder, root / folder)
    shutil.copy(ROOT / "factsheets.toml", root / "factsheets.toml")
    unavailable = skeleton("withdrawn").replace(
        "status: draft", "status: unavailable\nunavailable_reason: Its advice is being "
        "checked against the current law.")
    (root / "sheets" / "withdrawn.yaml").write_text(unavailable, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bundle, "CHUNK", 7)
        patch.setattr(plan, "print_page", _recording(plan.print_page))
        patch.setattr(engine, "handout_job", _recording_handouts(engine.handout_job))
        report = build_site(load_config(root), allow_incomplete=True, pdf_options=PdfOptions())
    assert not report.failed, [p.format() for p in report.problems]


PRINT_PAGES: dict[str, str] = {}
"""The print HTML of each sheet PDF the session build made, by the page's path in dist/."""


def _recording(print_page: Callable[..., str]) -> Callable[..., str]:
    """`pdf.plan.print_page`, keeping what it returns in PRINT_PAGES."""
    def record(env: object, site: object, entry: object, lang: str) -> str:
        html = print_page(env, site, entry, lang)
        PRINT_PAGES[entry.path(lang)] = html  # type: ignore[attr-defined]
        return html
    return record


HANDOUT_JOBS: dict[str, dict[str, str]] = {}
"""Each handout job of the session build ("sheets/webcams.yaml parents (fr)"): its HTML,
page CSS and base URL, to lay out again."""


def _recording_handouts(handout_job: Callable[..., PdfJob]) -> Callable[..., PdfJob]:
    """`build.engine.handout_job`, keeping each job's HTML in HANDOUT_JOBS."""
    def record(*args: object) -> PdfJob:
        job = handout_job(*args)
        HANDOUT_JOBS[f"{job.source} {job.one_page}"] = {
            "html": job.html, "page_css": job.page_css, "base_url": job.base_url}
        return job
    return record


def translate_entry(po: Path, context: str, msgstr: str) -> None:
    """Fill in one entry's msgstr, as a translator would in a text editor."""
    lines = po.read_text(encoding="utf-8").splitlines()
    start = lines.index(f'msgctxt "{context}"')
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr"))
    lines[end] = f"msgstr {po_string(msgstr)}"
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")


def po_string(text: str) -> str:
    """A quoted .po string; other characters (an ESC, say) are written as they are."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    return '"' + "".join(escapes.get(c, c) for c in text) + '"'


PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Counts every request; serves a tiny PNG so a fetch, if it happened, would succeed."""

    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep test output quiet."""


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records what it was asked for."""
    _Recorder.hits = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", _Recorder.hits
    httpd.shutdown()
    httpd.server_close()


def run(*args: str) -> str:
    """Run a CLI command; fail the test with its output if it fails."""
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def sync(project: Path) -> None:
    """`i18n extract` then `i18n update`: the catalogs follow the sheets."""
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))
