"""A sheet written in French, end to end: `new --lang fr`, extract, translate to English, build."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest

from conftest import po_string, translate_entry
from factsheets.config import load_config
from factsheets.i18n.pofile import read_catalog
from htmlscan import parse

EN_PO = "locales/en/LC_MESSAGES/clavardage.po"


def ok(runner, *args: str) -> str:
    result = runner(*args)
    assert result.exit_code == 0, result.output
    return result.output


def test_new_lang_fr_writes_a_french_skeleton_that_validates(tmp_path: Path, runner) -> None:
    ok(runner, "new", "--project", str(tmp_path), "--lang", "fr", "clavardage")
    text = (tmp_path / "sheets/clavardage.yaml").read_text(encoding="utf-8")
    assert "language: fr" in text and "# identique au nom du fichier" in text
    assert "Parlez avec votre enfant" in text and "Talk with" not in text
    assert "1 sheet(s) valid" in ok(runner, "validate", "--project", str(tmp_path))
    refused = runner("new", "--project", str(tmp_path), "--lang", "de", "autre")
    assert refused.exit_code == 2 and "'de' is not one of the project's languages" in \
        refused.output


def test_a_changed_link_says_which_links_table_and_line_allow_it(tmp_path: Path, runner) -> None:
    ok(runner, "new", "--project", str(tmp_path), "--lang", "fr", "clavardage")
    sheet = tmp_path / "sheets/clavardage.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(
        "[liens](https://example.org)", "[Cyberaide](https://www.cyberaide.ca/fr/signaler)"),
        encoding="utf-8")
    for command in ("extract", "update"):
        ok(runner, "i18n", command, "--project", str(tmp_path))
    po = tmp_path / EN_PO
    subprocess.run(["msgen", "-o", str(po), str(po)], check=True)
    catalog = read_catalog(load_config(tmp_path), po, "en")
    body = next(m.id for m in catalog if m.id and "cyberaide" in m.id)
    lines = po.read_text(encoding="utf-8").splitlines()
    start = lines.index('msgctxt "clavardage|sections/ce-que-c-est/body"',
                        next(i for i, text in enumerate(lines) if "cyberaide" in text) - 8)
    end = next(i for i in range(start, len(lines)) if lines[i] == "")
    english = body.replace("https://www.cyberaide.ca/", "https://www.cybertip.ca/")
    lines[start:end] = [lines[start], f"msgid {po_string(body)}", f"msgstr {po_string(english)}"]
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    stats = runner("i18n", "stats", "--project", str(tmp_path))
    line = '"https://www.cyberaide.ca" = "https://www.cybertip.ca"'
    assert f"add under [links.en] in factsheets.toml (create the table if it is missing) " \
           f"the line {line}" in stats.output
    assert f"{EN_PO}:" in stats.output
    (tmp_path / "factsheets.toml").write_text(f"[links.en]\n{line}\n", encoding="utf-8")
    assert "100.0%" in ok(runner, "i18n", "stats", "--project", str(tmp_path))


@pytest.mark.slow
def test_a_french_sheet_gets_its_english_edition_pages_and_pdfs(project, runner) -> None:
    tmp_path = project()
    ok(runner, "new", "--project", str(tmp_path), "--lang", "fr", "clavardage")
    sheet = tmp_path / "sheets/clavardage.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("status: draft",
                                                               "status: published"),
                     encoding="utf-8")
    for command in ("extract", "update"):
        ok(runner, "i18n", command, "--project", str(tmp_path))
    po = tmp_path / EN_PO
    subprocess.run(["msgen", "-o", str(po), str(po)], check=True)
    translate_entry(po, "clavardage|slug", "video-chat")
    translate_entry(po, "clavardage|title", "Video chat")
    output = ok(runner, "build", "--project", str(tmp_path))
    assert "holds back" not in output
    pages = {lang: parse((tmp_path / f"dist/{lang}/{name}.html").read_text(encoding="utf-8"))
             for lang, name in (("fr", "clavardage"), ("en", "video-chat"))}
    for page in pages.values():
        alternates = {e.attrs["hreflang"]: e.attrs["href"]
                      for e in page.iter("link", rel="alternate") if "hreflang" in e.attrs}
        assert alternates["fr-CA"].endswith("/fr/clavardage.html")
        assert alternates["en-CA"].endswith("/en/video-chat.html")
    assert pages["en"].find("html").attrs["lang"] == "en-CA"
    assert pages["en"].find("h1").text == "Video chat"
    for lang, name in (("fr", "clavardage"), ("en", "video-chat")):
        with pikepdf.open(tmp_path / f"dist/{lang}/{name}.pdf") as pdf:
            assert str(pdf.Root.Lang) == f"{lang}-CA"
            assert pdf.Root.MarkInfo.Marked
