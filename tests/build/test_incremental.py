"""Incremental builds: unchanged jobs are skipped, changed inputs rebuild exactly their outputs,
removed outputs are deleted, --force rebuilds all, one build per output folder, fast start."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, skeleton
from factsheets.build.lock import output_lock
from factsheets.build.manifest import MANIFEST
from factsheets.build.site import build_site
from factsheets.config import load_config
from factsheets.pdf.jobs import PdfOptions

SHEETS = ("webcams", "p2p-file-sharing")
FRENCH_WEBCAMS = {"fr/webcameras.html", "fr/webcameras.pdf", "fr/index.html", "fr/feed.xml",
                  "fr/fact-sheets-fr.pdf", "fr/whats-new.html", "fr/for-parents.html",
                  "fr/for-educators.html", "fr/for-youth.html", "fr/for-law-enforcement.html",
                  *(f"fr/handouts/webcameras-{a}.pdf"
                    for a in ("parents", "educators", "youth", "law-enforcement")),
                  "fr/search.html"}
"""What shows the French webcams sheet: its page and PDF, the bundle, its handouts, and the
French pages that list it (a listing's key reads every edition of its language); the search
index (pagefind/) is made again too."""


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two of the real sheets with their French catalogs, built once with their PDFs."""
    root = tmp_path_factory.mktemp("real") / "project"
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "sheets" / "figures", root / "sheets" / "figures")
    shutil.copy(ROOT / "factsheets.toml", root / "factsheets.toml")
    messages = root / "locales" / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    shutil.copy(ROOT / "locales" / "fr" / "LC_MESSAGES" / "ui.po", messages)
    for sheet in SHEETS:
        shutil.copy(ROOT / "sheets" / f"{sheet}.yaml", root / "sheets")
        shutil.copy(ROOT / "locales" / "fr" / "LC_MESSAGES" / f"{sheet}.po", messages)
    report = _build(root)
    assert not report.failed, [p.format() for p in report.problems]
    assert report.written and not report.skipped
    return root


@pytest.fixture
def site(built_once: Path, tmp_path: Path) -> Path:
    """A copy of the built project, dist/ included, file times kept."""
    root = tmp_path / "copy"
    shutil.copytree(built_once, root)
    return root


def _build(root: Path, **options: object):  # type: ignore[no-untyped-def]
    settings: dict[str, object] = {"allow_incomplete": True, "pdf_options": PdfOptions()}
    return build_site(load_config(root), **{**settings, **options})  # type: ignore[arg-type]


def _files(root: Path) -> dict[str, int]:
    """Every file in dist/ with its modification time (ns)."""
    dist = root / "dist"
    return {p.relative_to(dist).as_posix(): p.stat().st_mtime_ns
            for p in dist.rglob("*") if p.is_file()}


def _outputs(root: Path) -> int:
    """How many files the build made (dist/ also holds the manifest and the lock file)."""
    return len(_files(root)) - 2


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_a_build_with_nothing_changed_renders_nothing(site: Path) -> None:
    before = _files(site)
    report = _build(site)
    assert report.written == [] and report.failures == [] and not report.failed
    assert set(report.skipped) == set(before) - {MANIFEST, ".factsheets.lock"}
    assert _files(site) == before
    assert report.summary().startswith(f"built 0 files, skipped {_outputs(site)}, failed 0 in ")


@pytest.mark.slow
def test_a_changed_french_translation_rebuilds_only_what_shows_it(site: Path) -> None:
    _edit(site / "locales/fr/LC_MESSAGES/webcams.po", "msgstr \"Qu'est-ce qu'une webcaméra?\"",
          "msgstr \"Qu'est-ce qu'une webcaméra, au juste?\"")
    before = _files(site)
    report = _build(site)
    assert {p for p in report.written if not p.startswith("pagefind/")} == FRENCH_WEBCAMS
    assert "pagefind/pagefind-entry.json" in report.written
    assert "au juste" in (site / "dist/fr/webcameras.html").read_text(encoding="utf-8")
    after = _files(site)
    changed = {name for name in before if before.get(name) != after.get(name)}
    assert {p for p in changed if not p.startswith("pagefind/")} == FRENCH_WEBCAMS | {MANIFEST}


@pytest.mark.slow
def test_a_changed_template_rebuilds_every_output_that_uses_it(site: Path) -> None:
    _edit(site / "templates/feed.xml.j2", "<entry>", "{# one entry per sheet #}<entry>")
    assert set(_build(site).written) == {"en/feed.xml", "fr/feed.xml"}
    _edit(site / "templates/sheet.html.j2", "{% extends", "{# a sheet page #}\n{% extends")
    written = set(_build(site).written)
    sheets = {p for p in _files(site) if re.fullmatch(r"(en|fr)/[a-z0-9-]+\.(html|pdf)", p)
              and not re.search(r"/(index|404|search|whats-new|for-[a-z-]+|fact-sheets-..)\.", p)}
    assert len(sheets) == 4 * len(SHEETS) and sheets <= written
    assert {"en/fact-sheets-en.pdf", "fr/fact-sheets-fr.pdf"} <= written
    assert not written & {"en/feed.xml", "fr/feed.xml", "assets/site.css"}


@pytest.mark.slow
def test_a_removed_sheet_loses_its_outputs_and_its_place_in_the_index(site: Path) -> None:
    (site / "sheets/webcams.yaml").unlink()
    report = _build(site)
    gone = {"en/webcams.html", "en/webcams.pdf", "fr/webcameras.html", "fr/webcameras.pdf"}
    assert gone <= set(report.removed)
    assert not any((site / "dist" / name).exists() for name in gone)
    assert "webcams.html" not in (site / "dist/en/index.html").read_text(encoding="utf-8")
    assert {"en/index.html", "fr/index.html", "en/fact-sheets-en.pdf"} <= set(report.written)
    assert "en/p2p-file-sharing.pdf" in report.skipped


@pytest.mark.slow
def test_a_renamed_french_slug_replaces_the_old_page(site: Path) -> None:
    _edit(site / "locales/fr/LC_MESSAGES/webcams.po", 'msgstr "webcameras"',
          'msgstr "webcameras-et-video"')
    report = _build(site)
    assert {"fr/webcameras.html", "fr/webcameras.pdf"} <= set(report.removed)
    assert not (site / "dist/fr/webcameras.html").exists()
    assert {"fr/webcameras-et-video.html", "fr/webcameras-et-video.pdf",
            "en/webcams.html"} <= set(report.written)
    english = (site / "dist/en/webcams.html").read_text(encoding="utf-8")
    assert 'href="../fr/webcameras-et-video.html"' in english


@pytest.mark.slow
def test_a_deleted_or_replaced_output_is_made_again(site: Path) -> None:
    (site / "dist/en/webcams.pdf").unlink()
    (site / "dist/fr/index.html").write_text("tampered", encoding="utf-8")
    report = _build(site)
    assert set(report.written) == {"en/webcams.pdf", "fr/index.html"}
    assert (site / "dist/fr/index.html").read_text(encoding="utf-8") != "tampered"


@pytest.mark.slow
def test_force_rebuilds_every_output(site: Path) -> None:
    report = _build(site, force=True)
    assert report.skipped == [] and len(report.written) == _outputs(site)


def test_a_failed_build_reports_its_errors_again_when_nothing_changed(project) -> None:  # type: ignore[no-untyped-def]
    broken = skeleton("broken").replace("title: Broken", "title: [x")
    root = project({"sheets/alpha.yaml": skeleton("alpha"), "sheets/broken.yaml": broken})
    for _ in range(2):
        report = build_site(load_config(root))
        assert report.failed and report.failures == ["sheets/broken.yaml"]
        assert [p.location.path for p in report.problems] == ["sheets/broken.yaml"]


@pytest.mark.slow
def test_an_unreadable_manifest_means_a_full_build(site: Path) -> None:
    (site / "dist" / MANIFEST).write_text("{not json", encoding="utf-8")
    report = _build(site, pdf_options=None)
    assert report.skipped == [] and not report.failed
    assert json.loads((site / "dist" / MANIFEST).read_text())["ok"] is True


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "factsheets", *args], capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def cli_site(built_once: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built project, built once more by the command (in its own process)."""
    root = tmp_path_factory.mktemp("cli") / "project"
    shutil.copytree(built_once, root)
    assert _cli("build", "--project", str(root), "--allow-incomplete").returncode == 0
    return root


@pytest.mark.slow
def test_a_second_build_of_one_output_folder_is_refused(cli_site: Path) -> None:
    site = cli_site
    with output_lock(site / "dist"):
        result = _cli("build", "--project", str(site), "--allow-incomplete")
    assert result.returncode == 1
    assert "another build is writing to this output folder" in result.stderr
    assert "Traceback" not in result.stderr
    again = _cli("build", "--project", str(site), "--allow-incomplete")
    assert again.returncode == 0
    assert again.stdout.startswith(f"built 0 files, skipped {_outputs(site)}, failed 0")


@pytest.mark.slow
def test_build_reports_json_for_scripts_and_nothing_when_quiet(cli_site: Path) -> None:
    site = cli_site
    result = _cli("build", "--project", str(site), "--allow-incomplete", "--format", "json")
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["built"] == []
    assert len(report["skipped"]) == _outputs(site)
    assert report["failed"] == [] and report["summary"].startswith("built 0 files")
    quiet = _cli("build", "--project", str(site), "--allow-incomplete", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == ""


def _imports(*args: str) -> set[str]:
    """The modules a CLI run imports (python -X importtime)."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "factsheets", *args],
                            capture_output=True, text=True, timeout=300)
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines()
            if line.startswith("import time:")}


@pytest.mark.slow
def test_help_validate_and_a_build_with_nothing_to_do_never_import_weasyprint(
        cli_site: Path) -> None:
    """Nor Jinja2 or Babel; and the main process of a build that makes pages imports neither
    WeasyPrint nor pikepdf (only workers make PDFs)."""
    site = cli_site
    assert "click" in _imports("--help")
    heavy = {"weasyprint", "pikepdf", "jinja2", "babel"}
    for args, ran in ((["--help"], "factsheets.cli"),
                      (["validate", "--project", str(site)], "factsheets.model.validate"),
                      (["build", "--project", str(site), "--allow-incomplete"], "factsheets.cli")):
        modules = _imports(*args)
        assert ran in modules, args
        assert modules & heavy == set(), args
    modules = _imports("build", "--project", str(site), "--allow-incomplete", "--no-pdf", "--force")
    assert "factsheets.build.engine" in modules  # this run did build
    assert modules & {"weasyprint", "pikepdf"} == set()


def _group_ends(group: int, within: float) -> bool:
    """Whether every process of a process group is gone within `within` seconds."""
    import os
    import time

    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow
def test_ctrl_c_stops_a_build_cleanly_and_the_next_build_finishes(site: Path) -> None:
    """Ctrl-C reaches the whole process group: one message, no worker tracebacks."""
    import os
    import signal
    import time

    command = [sys.executable, "-c", "import signal, runpy, sys; "
               "signal.signal(signal.SIGINT, signal.default_int_handler); "
               "sys.argv = ['factsheets', *sys.argv[1:]]; "
               "runpy.run_module('factsheets', run_name='__main__')",
               "build", "--force", "--project", str(site), "--allow-incomplete"]
    started = time.monotonic()
    first_pdf = min(p for p in (site / "dist" / "en").glob("*.pdf")
                    if not p.name.startswith("fact-sheets"))
    before = first_pdf.stat().st_mtime_ns
    build = subprocess.Popen(command, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        while first_pdf.stat().st_mtime_ns == before and time.monotonic() - started < 60:
            time.sleep(0.02)
        os.killpg(build.pid, signal.SIGINT)
        stderr = build.communicate(timeout=60)[1]
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert _group_ends(build.pid, within=10), "a worker was left behind"
    assert build.returncode == 130, stderr
    assert stderr.strip().endswith("interrupted: every file in the output folder is whole; "
                                   "build again to finish")
    assert "Traceback" not in stderr
    again = _cli("build", "--project", str(site), "--allow-incomplete")
    assert again.returncode == 0, again.stderr
    assert not again.stdout.startswith("built 0 files")
