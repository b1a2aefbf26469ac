"""Planted links and special files: no file the tool writes goes through a link or onto a FIFO."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import skeleton
from factsheets.cli import main

SHEET = {"sheets/sample.yaml": skeleton().replace("status: draft ", "status: published ")}


def run(*args: str):  # type: ignore[no-untyped-def]
    """The CLI in-process, its exceptions turned into output like a user sees them."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the project that a planted link aims at."""
    target = tmp_path / "outside" / "victim.rc"
    target.parent.mkdir()
    target.write_text("ORIGINAL\n")
    return target


def translated(project) -> Path:  # type: ignore[no-untyped-def]
    root = project(SHEET)
    assert run("i18n", "extract", "--project", str(root)).exit_code == 0
    assert run("i18n", "update", "--project", str(root)).exit_code == 0
    return root


@pytest.mark.parametrize("planted, command", [
    ("locales/.sample.pot.tmp", "extract"),
    ("locales/fr/LC_MESSAGES/.sample.po.tmp", "update"),
    ("locales/fr/LC_MESSAGES/.sample.mo.tmp", "compile"),
])
def test_a_planted_temporary_file_link_is_not_followed(project, outside, planted, command):
    root = project(SHEET) if command == "extract" else translated(project)
    if command == "update":
        (root / "locales/fr/LC_MESSAGES/sample.po").unlink()
    (root / planted).parent.mkdir(parents=True, exist_ok=True)
    (root / planted).symlink_to(outside)
    run("i18n", command, "--project", str(root))
    assert outside.read_text() == "ORIGINAL\n"
    written = root / planted.replace("/.", "/").removesuffix(".tmp")
    assert written.is_file() and not written.is_symlink()


@pytest.mark.parametrize("target, command", [
    ("locales/sample.pot", "extract"),
    ("locales/fr/LC_MESSAGES/sample.po", "update"),
    ("locales/fr/LC_MESSAGES/sample.mo", "compile"),
])
def test_a_catalog_that_is_a_link_is_refused_by_name(project, outside, target, command):
    root = translated(project) if command != "extract" else project(SHEET)
    path = root / target
    path.unlink(missing_ok=True)
    if command == "update":
        (root / "locales" / "sample.pot").write_text(
            (root / "locales" / "sample.pot").read_text() + "\nmsgctxt \"x\"\nmsgid \"new\"\n"
            "msgstr \"\"\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(outside)
    result = run("i18n", command, "--project", str(root))
    assert result.exit_code != 0 and f"{target}: " in result.output
    assert outside.read_text() == "ORIGINAL\n" and path.is_symlink()


def test_a_fifo_where_a_catalog_goes_is_refused_and_never_opened(project):
    root = project(SHEET)
    os.mkfifo(root / "locales" / "sample.pot")
    result = run("i18n", "extract", "--project", str(root))
    assert result.exit_code != 0
    assert "locales/sample.pot: will not write here: it is a named pipe (FIFO)" in result.output


def test_a_linked_catalog_folder_is_refused(project, outside):
    root = project(SHEET)
    (root / "locales" / "fr").mkdir()
    (root / "locales" / "fr" / "LC_MESSAGES").symlink_to(outside.parent)
    run("i18n", "extract", "--project", str(root))
    result = run("i18n", "update", "--project", str(root))
    assert "locales/fr/LC_MESSAGES: will not write inside it: it is a symbolic link" in (
        result.output)
    assert sorted(p.name for p in outside.parent.iterdir()) == ["victim.rc"]


def test_new_does_not_write_through_a_dangling_link(project, outside):
    root = project()
    aim = outside.parent / "created-by-new.yaml"
    (root / "sheets" / "brand-new.yaml").symlink_to(aim)
    result = run("new", "brand-new", "--project", str(root))
    assert result.exit_code != 0
    assert "sheets/brand-new.yaml: will not write here: it is a symbolic link" in result.output
    assert not aim.exists()


@pytest.mark.parametrize("planted", ["en/sample.html", ".factsheets-manifest.json",
                                     ".factsheets.lock", "index.html"])
def test_the_build_writes_through_no_link_in_the_output(project, outside, planted):
    root = project(SHEET)
    (root / "dist" / planted).parent.mkdir(parents=True, exist_ok=True)
    (root / "dist" / planted).symlink_to(outside)
    result = run("build", "--no-pdf", "--project", str(root))
    assert result.exit_code == 1
    assert f"dist/{planted}: " in result.output and "symbolic link" in result.output
    assert outside.read_text() == "ORIGINAL\n"


def test_a_fifo_lock_file_does_not_block_the_build(project):
    root = project(SHEET)
    (root / "dist").mkdir()
    os.mkfifo(root / "dist" / ".factsheets.lock")
    result = run("build", "--no-pdf", "--project", str(root))
    assert result.exit_code == 1
    assert "cannot take the build lock: it is a named pipe (FIFO)" in result.output


def test_a_linked_output_sub_folder_is_refused(project, outside):
    root = project(SHEET)
    (root / "dist").mkdir()
    (root / "dist" / "en").symlink_to(outside.parent)
    result = run("build", "--no-pdf", "--project", str(root))
    assert result.exit_code == 1
    assert "dist/en: will not write inside it: it is a symbolic link" in result.output
    assert sorted(p.name for p in outside.parent.iterdir()) == ["victim.rc"]


@pytest.mark.parametrize("slug, message", [
    ("index", "index: this id is reserved"),
    ("fact-sheets-fr", "fact-sheets-fr: this id is reserved"),
    ("a" * 61, "not a valid sheet id (use at most 60"),
])
def test_new_writes_no_sheet_that_validate_would_refuse(project, slug, message):
    root = project()
    result = run("new", slug, "--project", str(root))
    assert result.exit_code == 2 and message in result.output
    assert not list((root / "sheets").iterdir())


def test_a_sheet_from_new_is_valid(project):
    root = project()
    assert run("new", "a" * 60, "--project", str(root)).exit_code == 0
    assert run("validate", "--project", str(root)).exit_code == 0
