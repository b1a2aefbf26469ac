"""The toolkit's own code is an input: editing any module that shapes output rebuilds every file."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import skeleton
from factsheets.build import fingerprints
from factsheets.build.site import build_site
from factsheets.config import Config, load_config

COPIED = ("assets/", "media/")
"""Outputs copied from the project as they are: no toolkit code shapes them."""


@pytest.fixture
def toolkit_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the package's source that the build fingerprints in place of the real one."""
    copy = tmp_path / "factsheets"
    shutil.copytree(fingerprints.TOOLKIT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprints, "TOOLKIT", copy)
    fingerprints.toolkit.cache_clear()
    yield copy
    fingerprints.toolkit.cache_clear()  # the next test fingerprints the real package again


@pytest.fixture
def built(project: Callable[..., Path], toolkit_copy: Path) -> Config:
    """A two-sheet project built once (HTML only) against the copied toolkit."""
    sheets = {f"sheets/{slug}.yaml": skeleton(slug).replace("status: draft", "status: published")
              for slug in ("alpha", "beta")}
    config = load_config(project(sheets))
    first = build_site(config, allow_incomplete=True)
    assert first.written and not first.failed
    return config


def _edit(module: Path) -> None:
    module.write_text(module.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    fingerprints.toolkit.cache_clear()  # what a new process would see


@pytest.mark.parametrize("module", ["config.py", "model/markup.py", "i18n/fields.py",
                                    "html/site.py", "pdf/jobs.py", "build/keys.py"])
def test_editing_a_module_that_shapes_output_rebuilds_every_file(
        built: Config, toolkit_copy: Path, module: str) -> None:
    """Every job's key holds the toolkit's digest, so each output is made again (PDF jobs too:
    their keys start from the same digest; this build makes none, to stay fast). Only the
    files copied byte for byte from the project (stylesheet, fonts) are kept."""
    _edit(toolkit_copy / module)
    report = build_site(built, allow_incomplete=True)
    assert not report.failed
    assert report.skipped and all(p.startswith(COPIED) for p in report.skipped), report.skipped
    made = {"en/alpha.html", "fr/alpha.html", "en/beta.html", "fr/beta.html", "en/index.html",
            "fr/index.html", "en/feed.xml", "fr/feed.xml", "index.html"}
    assert made <= set(report.written)


@pytest.mark.parametrize("module", ["cli.py", "i18n/extract.py", "preview/server.py",
                                    "quality/checks.py"])
def test_editing_a_module_that_never_shapes_output_rebuilds_nothing(
        built: Config, toolkit_copy: Path, module: str) -> None:
    _edit(toolkit_copy / module)
    report = build_site(built, allow_incomplete=True)
    assert report.written == [] and report.skipped and not report.failed


def test_the_libraries_in_every_key_are_the_installed_requirements() -> None:
    """Upgrading any library factsheets runs on rebuilds everything; test tools do not count."""
    names = fingerprints.libraries()
    assert {"weasyprint", "pydyf", "pikepdf", "jinja2", "babel", "pydantic", "markdown-it-py",
            "mdit-py-plugins", "lxml"} <= set(names)
    assert not {"pytest", "hypothesis", "mypy"} & set(names)
