"""publish_policy: "together" holds every language at the last complete version; "each" does not."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import skeleton, translate_entry

PO = "locales/fr/LC_MESSAGES/demo.po"
OLD = "Talk with your child about what they do online."
NEW = "Talk with your teen about the games they play online."
PAGES = ("dist/en/demo.html", "dist/fr/demo.html", "dist/en/index.html", "dist/fr/index.html",
         "dist/en/feed.xml", "dist/fr/feed.xml")


def gnu(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


def sync(runner, root: Path) -> None:
    for command in ("extract", "update"):
        assert runner("i18n", command, "--project", str(root)).exit_code == 0


def build(runner, root: Path, *extra: str) -> str:
    result = runner("build", "--no-pdf", "--project", str(root), *extra)
    assert result.exit_code == 0, result.output
    return result.output


def snapshot(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in PAGES}


def make(project, runner, policy: str) -> Path:
    """A published sheet, translated into French (each string as itself), built once."""
    root = project({"sheets/demo.yaml": skeleton("demo").replace("status: draft",
                                                                 "status: published"),
                    "factsheets.toml": f'publish_policy = "{policy}"\n'})
    sync(runner, root)
    gnu("msgen", "-o", str(root / PO), str(root / PO))
    assert runner("publish", "--project", str(root)).exit_code == 0
    build(runner, root)
    return root


def edit_english(runner, root: Path) -> None:
    sheet = root / "sheets/demo.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    sync(runner, root)


def test_together_keeps_both_languages_at_the_published_version_until_both_are_done(
        project, runner) -> None:
    root = make(project, runner, "together")
    before = snapshot(root)
    edit_english(runner, root)
    output = build(runner, root)
    assert snapshot(root) == before
    assert "demo|tips/parents: holds back demo (fr): fuzzy" in output
    assert "demo is held at its published version recorded on" in output
    shutil.rmtree(root / "dist")
    build(runner, root, "--force")
    assert snapshot(root) == before

    gnu("msgattrib", "--clear-fuzzy", "--clear-previous", "-o", str(root / PO), str(root / PO))
    translate_entry(root / PO, "demo|tips/parents", "Parlez avec votre ado de ses jeux.")
    output = build(runner, root)
    assert "holds back" not in output and "held" not in output
    english = (root / "dist/en/demo.html").read_text(encoding="utf-8")
    french = (root / "dist/fr/demo.html").read_text(encoding="utf-8")
    assert NEW in english and OLD not in english
    assert "Parlez avec votre ado de ses jeux." in french and OLD not in french


def test_the_published_version_survives_a_fresh_clone(project, runner, tmp_path: Path) -> None:
    root = make(project, runner, "together")
    before = snapshot(root)
    edit_english(runner, root)
    shutil.rmtree(root / "dist")
    for args in (("init", "-q"), ("add", "."), ("-c", "user.name=t", "-c", "user.email=t@t",
                                               "commit", "-qm", "x")):
        gnu("git", "-C", str(root), *args)
    clone = tmp_path / "clone"
    gnu("git", "clone", "-q", str(root), str(clone))
    assert (clone / "published/demo/demo.yaml").is_file()
    build(runner, clone)
    assert snapshot(clone) == before


def test_a_new_sheet_appears_only_when_every_language_is_complete(project, runner) -> None:
    root = make(project, runner, "together")
    (root / "sheets/other.yaml").write_text(
        skeleton("other").replace("status: draft", "status: published"), encoding="utf-8")
    sync(runner, root)
    output = build(runner, root)
    assert "other is not published in any language: it is not yet complete in fr" in output
    assert not (root / "dist/en/other.html").exists()
    assert not (root / "dist/fr/other.html").exists()
    assert "other.html" not in (root / "dist/en/index.html").read_text(encoding="utf-8")
    other = root / "locales/fr/LC_MESSAGES/other.po"
    gnu("msgen", "-o", str(other), str(other))
    build(runner, root)
    assert (root / "dist/en/other.html").exists() and (root / "dist/fr/other.html").exists()


def test_each_publishes_the_complete_language_and_withholds_the_other(project, runner) -> None:
    root = make(project, runner, "each")
    edit_english(runner, root)
    output = build(runner, root)
    assert NEW in (root / "dist/en/demo.html").read_text(encoding="utf-8")
    assert OLD not in (root / "dist/fr/demo.html").read_text(encoding="utf-8")
    assert "demo (fr) is not published" in output


def test_publish_records_only_complete_sheets_and_a_rerun_changes_nothing(
        project, runner) -> None:
    root = make(project, runner, "together")
    recorded = {p: p.read_bytes() for p in (root / "published").rglob("*") if p.is_file()}
    assert sorted(p.name for p in recorded) == ["demo.yaml", "fr.po", "state.toml"]
    again = runner("publish", "--project", str(root))
    assert again.exit_code == 0 and "wrote" not in again.output
    edit_english(runner, root)
    held = runner("publish", "--project", str(root))
    assert "demo|tips/parents: holds back demo (fr): fuzzy" in held.output
    assert {p: p.read_bytes() for p in recorded} == recorded


@pytest.mark.parametrize(("value", "message"), [('"both"', "must be each or together"),
                                              ("1", "must be a string, not a number")])
def test_publish_policy_must_be_each_or_together(project, runner, value: str,
                                                 message: str) -> None:
    root = project({"sheets/demo.yaml": skeleton("demo"),
                    "factsheets.toml": f"publish_policy = {value}\n"})
    result = runner("validate", "--project", str(root))
    assert result.exit_code != 0
    assert "factsheets.toml" in result.output and "publish_policy" in result.output
    assert message in result.output


@pytest.mark.slow
def test_together_holds_the_pdfs_and_handouts_byte_for_byte(project, runner) -> None:
    root = project({"sheets/demo.yaml": skeleton("demo").replace("status: draft",
                                                                 "status: published"),
                    "factsheets.toml": 'publish_policy = "together"\n'})
    sync(runner, root)
    gnu("msgen", "-o", str(root / PO), str(root / PO))
    assert runner("publish", "--project", str(root)).exit_code == 0
    assert runner("build", "--project", str(root)).exit_code == 0
    pdfs = {p: p.read_bytes() for p in sorted((root / "dist").rglob("*.pdf"))}
    assert len(pdfs) >= 4 and any("handouts" in p.parts for p in pdfs)
    edit_english(runner, root)
    shutil.rmtree(root / "dist")
    assert runner("build", "--force", "--project", str(root)).exit_code == 0
    assert {p: p.read_bytes() for p in sorted((root / "dist").rglob("*.pdf"))} == pdfs


def test_a_mistake_in_a_live_sheet_fails_the_build_but_keeps_its_published_version_online(
        project, runner) -> None:
    """A typo must not take a published sheet off the site of whoever deploys dist/ anyway."""
    root = make(project, runner, "together")
    before = snapshot(root)
    sheet = root / "sheets/demo.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("\nsummary:", "\nsummry:", 1),
                     encoding="utf-8")
    result = runner("build", "--no-pdf", "--project", str(root))
    assert result.exit_code == 1
    assert "sheets/demo.yaml:" in result.output and "unknown field 'summry'" in result.output
    assert "demo stays online at its published version" in result.output
    assert snapshot(root) == before


def test_a_broken_sheet_never_published_is_left_out(project, runner) -> None:
    root = project({"sheets/demo.yaml": skeleton("demo").replace("status: draft",
                                                                 "status: published")
                    .replace("\nsummary:", "\nsummry:", 1)})
    result = runner("build", "--no-pdf", "--project", str(root))
    assert result.exit_code == 1 and "stays online" not in result.output
    assert not (root / "dist/en/demo.html").exists()


def test_a_sheet_with_no_catalog_yet_gets_one_note_saying_how_to_make_it(project, runner) -> None:
    root = make(project, runner, "together")
    (root / "sheets/other.yaml").write_text(
        skeleton("other").replace("status: draft", "status: published"), encoding="utf-8")
    output = build(runner, root)
    assert output.count("other has no fr translation yet:") == 1
    assert "`factsheets i18n extract`, then `factsheets i18n update`" in output
    assert "holds back other" not in output
