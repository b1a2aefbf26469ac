"""How a sheet's text becomes a msgid: re-wrapping a paragraph's lines changes none."""

from __future__ import annotations

from pathlib import Path

from conftest import run, translate_entry
from factsheets.i18n.fields import msgid_text

BODY = "Paragraphs are separated by a blank line. Use *emphasis*, **strong** and"
CONTEXT = "demo|sections/what-it-is/body"
FRENCH = "Des paragraphes. *Emphase*, **fort** et [liens](https://example.org). Pas de HTML."



def sync(root: Path) -> str:
    return run("i18n", "extract", "--project", str(root)) + \
        run("i18n", "update", "--project", str(root))


def test_soft_breaks_become_spaces_and_hard_breaks_stay() -> None:
    assert msgid_text("one\ntwo \n  three") == "one two three"
    assert msgid_text("one  \ntwo") == "one  \ntwo"
    assert msgid_text("one\\\ntwo") == "one\\\ntwo"


def test_rewrapping_a_paragraph_changes_no_msgid_and_no_file(tmp_path: Path) -> None:
    run("new", "--project", str(tmp_path), "demo")
    sync(tmp_path)
    po = tmp_path / "locales/fr/LC_MESSAGES/demo.po"
    translate_entry(po, CONTEXT, FRENCH)
    sync(tmp_path)
    before = {p: p.read_bytes() for p in (tmp_path / "locales").rglob("*.po*")}
    sheet = tmp_path / "sheets" / "demo.yaml"
    text = sheet.read_text(encoding="utf-8")
    rewrapped = text.replace(BODY, "Paragraphs are separated by a blank\n      line. Use "
                             "*emphasis*,\n      **strong** and")
    assert rewrapped != text
    sheet.write_text(rewrapped, encoding="utf-8")
    assert sync(tmp_path) == "nothing changed\nnothing changed\n"
    assert {p: p.read_bytes() for p in before} == before
    assert "fuzzy" not in po.read_text(encoding="utf-8").split('msgid ""', 2)[-1]


def test_a_catalog_with_the_old_wrapped_msgid_keeps_its_translation(tmp_path: Path) -> None:
    run("new", "--project", str(tmp_path), "demo")
    sync(tmp_path)
    po = tmp_path / "locales/fr/LC_MESSAGES/demo.po"
    translate_entry(po, CONTEXT, FRENCH)
    sync(tmp_path)
    text = po.read_text(encoding="utf-8")
    line = '"Paragraphs are separated by a blank line. Use *emphasis*, **strong** and '
    old = text.replace(f'{line}"', f'{line[:-1]}\\n"')
    assert old != text
    po.write_text(old, encoding="utf-8")
    stats = run("i18n", "stats", "--project", str(tmp_path), "--format", "json")
    assert '"fuzzy": 0' in stats and '"translated": 1' in stats
    sync(tmp_path)
    assert po.read_text(encoding="utf-8") == text
