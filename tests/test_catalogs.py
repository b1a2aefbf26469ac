"""The translation workflow: extract, update, compile, stats, and editions read from .po files."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from click.testing import CliRunner

from factsheets import catalogs
from factsheets.cli import main
from factsheets.config import load_config
from factsheets.validate import load_sheet

DATA = Path(__file__).parent / "data" / "po"
REPO = Path(__file__).parent.parent


def run(*args: str) -> str:
    """Run a CLI command; fail the test with its output if it fails."""
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A throwaway project with one English sheet written by `factsheets new`."""
    run("new", "--project", str(tmp_path), "demo")
    edit(tmp_path / "sheets" / "demo.yaml", "title: Demo\n", "title: Demo sheet\n")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def translate_entry(po: Path, context: str, msgstr: str) -> None:
    """Fill in one entry's msgstr, as a translator would in a text editor."""
    lines = po.read_text(encoding="utf-8").splitlines()
    start = lines.index(f'msgctxt "{context}"')
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr"))
    lines[end] = f"msgstr {json.dumps(msgstr, ensure_ascii=False)}"
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_catalog(path: Path) -> Catalog:
    """Read a catalog with Babel's own reader."""
    with path.open("rb") as fileobj:
        return read_po(fileobj)


def edition(root: Path, lang: str, sheet: str = "demo"):  # type: ignore[no-untyped-def]
    config = load_config(root)
    return catalogs.load_edition(config, load_sheet(config, config.sheets_dir / f"{sheet}.yaml"),
                                 lang)


def fr_po(root: Path, domain: str = "demo") -> Path:
    return root / "locales" / "fr" / "LC_MESSAGES" / f"{domain}.po"


def test_round_trip_changed_source_becomes_fuzzy_and_falls_back_alone(project: Path) -> None:
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))
    po = fr_po(project)
    translate_entry(po, "demo|title", "Fiche de démonstration")
    translate_entry(po, "demo|glossary/term", "Terme")
    before = edition(project, "fr")
    assert (before.sheet.title, before.sheet.title.lang) == ("Fiche de démonstration", "fr")

    edit(project / "sheets" / "demo.yaml", "title: Demo sheet", "title: Demo fact sheet")
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))

    entry = read_catalog(po).get("Demo fact sheet", "demo|title")
    assert entry is not None and entry.fuzzy and entry.string == "Fiche de démonstration"
    assert '#| msgid "Demo sheet"' in po.read_text(encoding="utf-8")
    after = edition(project, "fr")
    assert (after.sheet.title, after.sheet.title.lang) == ("Demo fact sheet", "en")
    assert (after.sheet.glossary[0].term, after.sheet.glossary[0].term.lang) == ("Terme", "fr")
    assert "demo|title" in {m.context for m in after.fallbacks}
    assert "demo|glossary/term" not in {m.context for m in after.fallbacks}


def test_previous_msgid_survives_further_updates(project: Path) -> None:
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))
    translate_entry(fr_po(project), "demo|title", "Fiche de démonstration")
    sheet = project / "sheets" / "demo.yaml"
    for old, new in (("Demo sheet", "Demo sheets"), ("Demo sheets", "Demo sheetss")):
        edit(sheet, f"title: {old}", f"title: {new}")
        run("i18n", "extract", "--project", str(project))
        run("i18n", "update", "--project", str(project))
    text = fr_po(project).read_text(encoding="utf-8")
    assert '#| msgid "Demo sheet"\nmsgctxt "demo|title"\nmsgid "Demo sheetss"' in text


def test_extract_and_update_are_byte_stable(project: Path) -> None:
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))
    files = sorted((project / "locales").rglob("*.po*"))
    first = {p: p.read_bytes() for p in files}
    assert run("i18n", "extract", "--project", str(project)) == "nothing changed\n"
    assert run("i18n", "update", "--project", str(project)) == "nothing changed\n"
    assert {p: p.read_bytes() for p in files} == first


def test_new_french_catalog_has_two_plural_forms(project: Path) -> None:
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))
    text = fr_po(project).read_text(encoding="utf-8")
    assert '"Language: fr\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text


def test_a_new_message_never_takes_a_translation_from_another_context(project: Path) -> None:
    sheet = project / "sheets" / "demo.yaml"
    edit(sheet, "subtitle: One line under the title", "subtitle: Staying safe online")
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))
    translate_entry(fr_po(project), "demo|subtitle", "Rester en sécurité en ligne")
    # The keyword is close to the subtitle's text but lives in another context.
    edit(sheet, "keywords: [online safety]", "keywords: [staying safe online]")
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))
    catalog = read_catalog(fr_po(project))
    keyword = catalog.get("staying safe online", "demo|keywords")
    assert keyword is not None and keyword.string == "" and not keyword.fuzzy
    subtitle = catalog.get("Staying safe online", "demo|subtitle")
    assert subtitle is not None and subtitle.string == "Rester en sécurité en ligne"


def test_shared_msgid_in_two_contexts_keeps_each_translation(project: Path) -> None:
    """Babel issue 1330: renaming a msgid used in two contexts must not swap translations."""
    sheet = project / "sheets" / "demo.yaml"
    edit(sheet, "title: Demo sheet", "title: Guide")
    edit(sheet, "heading: What it is", "heading: Guide")
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))
    translate_entry(fr_po(project), "demo|title", "Guide (titre)")
    translate_entry(fr_po(project), "demo|sections/what-it-is/heading", "Guide (rubrique)")
    edit(sheet, "title: Guide", "title: Guides")
    edit(sheet, "heading: Guide", "heading: Guides")
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))
    catalog = read_catalog(fr_po(project))
    assert catalog.get("Guides", "demo|title").string == "Guide (titre)"
    assert catalog.get("Guides", "demo|sections/what-it-is/heading").string == "Guide (rubrique)"
    assert not catalog.obsolete


def test_removed_string_becomes_obsolete(project: Path) -> None:
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))
    translate_entry(fr_po(project), "demo|warning_signs", "Un signe.")
    edit(project / "sheets" / "demo.yaml", "warning_signs:\n  - A sign that a child may need "
         "help.\n", "")
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))
    text = fr_po(project).read_text(encoding="utf-8")
    assert '#~ msgctxt "demo|warning_signs"' in text and '#~ msgstr "Un signe."' in text


def test_french_source_sheet_gets_english_through_the_same_machinery(project: Path) -> None:
    sheet = project / "sheets" / "demo.yaml"
    edit(sheet, "language: en", "language: fr")
    edit(sheet, "title: Demo sheet", "title: Fiche de démonstration")
    run("i18n", "extract", "--project", str(project))
    run("i18n", "update", "--project", str(project))
    assert not fr_po(project).exists()
    en_po = project / "locales" / "en" / "LC_MESSAGES" / "demo.po"
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in en_po.read_text(encoding="utf-8")
    translate_entry(en_po, "demo|title", "Demo sheet")
    english = edition(project, "en")
    assert (english.sheet.title, english.sheet.title.lang) == ("Demo sheet", "en")
    assert english.sheet.summary.lang == "fr"
    french = edition(project, "fr")
    assert (french.sheet.title, french.sheet.title.lang, french.fallbacks) == (
        "Fiche de démonstration", "fr", ())


def test_location_style_full_points_body_blocks_at_their_own_lines(project: Path) -> None:
    (project / "factsheets.toml").write_text('location_style = "full"\n', encoding="utf-8")
    run("i18n", "extract", "--project", str(project))
    sheet_lines = (project / "sheets" / "demo.yaml").read_text(encoding="utf-8").splitlines()
    catalog = read_catalog(project / "locales" / "demo.pot")
    for text in ('Lists start with "- " or "1. ".', "Paragraphs are separated"):
        entry = next(m for m in catalog if m.id and m.id.startswith(text))
        [(path, line)] = entry.locations
        assert path == "sheets/demo.yaml"
        assert sheet_lines[line - 1].strip().lstrip("- ").startswith(text.lstrip("- ")[:20])


@pytest.mark.parametrize("style, expected", [("file", "#: sheets/demo.yaml\n"), ("never", "")])
def test_location_style_file_and_never(project: Path, style: str, expected: str) -> None:
    (project / "factsheets.toml").write_text(f'location_style = "{style}"\n', encoding="utf-8")
    run("i18n", "extract", "--project", str(project))
    text = (project / "locales" / "demo.pot").read_text(encoding="utf-8")
    assert ("#: sheets/demo.yaml:" in text) is False
    assert (expected in text) if expected else ("#: " not in text)


def test_pybabel_extract_uses_the_entry_point(project: Path) -> None:
    pybabel = shutil.which("pybabel", path=str(Path(__import__("sys").executable).parent))
    assert pybabel, "pybabel is installed with Babel"
    (project / "mapping.cfg").write_text("[factsheets: sheets/**.yaml]\n", encoding="utf-8")
    subprocess.run([pybabel, "-q", "extract", "-F", "mapping.cfg", "-o", "out.pot", "."],
                   cwd=project, check=True)
    catalog = read_catalog(project / "out.pot")
    title = catalog.get("Demo sheet", "demo|title")
    assert title is not None and title.auto_comments == ["The sheet's title [title]"]
    assert title.locations == [("sheets/demo.yaml", 7)]
