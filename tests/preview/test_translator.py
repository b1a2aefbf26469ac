"""The translator view: the same state for every entry as `i18n stats` and the build give it."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.request import urlopen

import pytest

from conftest import ROOT, skeleton
from factsheets.config import load_config
from factsheets.model.sources import find_sheets
from factsheets.model.validate import load_sheets
from factsheets.preview.http import make_handler
from factsheets.preview.state import Options, Preview
from factsheets.preview.translator import translator_rows, word_changes
from factsheets.preview.views import render_translator
from htmlscan import parse

PO = "locales/fr/LC_MESSAGES/demo.po"


def test_translator_view_and_stats_agree_entry_by_entry_on_the_shipped_project(
        tmp_path: Path, runner) -> None:
    for name in ("sheets", "locales", "templates"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "factsheets.toml", tmp_path / "factsheets.toml")
    built = runner("build", "--no-pdf", "--project", str(tmp_path))
    assert built.exit_code == 0, built.output
    assert "holds back" not in built.output
    stats = runner("i18n", "stats", "--format", "json", "--project", str(tmp_path))
    by_stats = {(row["domain"], row["lang"]): row for row in json.loads(stats.stdout)}
    config = load_config(tmp_path)
    loaded, _ = load_sheets(config, find_sheets(config.sheets_dir))
    counterpart_rows = 0
    for sheet in loaded:
        for lang in config.languages:
            if lang == sheet.sheet.language:
                continue
            rows = translator_rows(config, sheet, lang)
            row = by_stats[(sheet.sheet.id, lang)]
            assert {(r.context, r.state) for r in rows if r.state != "translated"} == {
                (held["msgctxt"], held["state"]) for held in row["held"]}
            assert sum(r.state == "translated" for r in rows) == row["translated"]
            assert len(rows) == row["total"]
            counterparts = config.counterparts(lang).values()
            counterpart_rows += sum(1 for r in rows if r.translation and any(
                c in r.translation for c in counterparts) and r.state == "translated")
    assert counterpart_rows >= 4  # the rows the view used to call "Not usable"


@pytest.fixture
def demo(project, runner) -> Path:
    """A sheet translated into French (each string as itself), then its title reworded."""
    root = project({"sheets/demo.yaml": skeleton("demo").replace("status: draft",
                                                                 "status: published")})
    sheet = root / "sheets/demo.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("title: Demo",
                                                               "title: Demo sheet for parents"),
                     encoding="utf-8")
    for command in ("extract", "update"):
        runner("i18n", command, "--project", str(root))
    po = root / PO
    filled = subprocess.run(["msgen", str(po)], capture_output=True, text=True, check=True)
    po.write_text(filled.stdout, encoding="utf-8")
    runner("publish", "--project", str(root))  # the version "together" keeps online
    sheet.write_text(sheet.read_text(encoding="utf-8").replace(
        "title: Demo sheet for parents", "title: Demo fact sheet for parents and carers"),
        encoding="utf-8")
    for command in ("extract", "update"):
        runner("i18n", command, "--project", str(root))
    return root


def po_line(root: Path, context: str) -> int:
    lines = (root / PO).read_text(encoding="utf-8").splitlines()
    return lines.index(f'msgctxt "{context}"') + 2


def test_word_changes_mark_removed_and_added_words() -> None:
    assert word_changes("Demo sheet for parents", "Demo fact sheet for parents and carers") == (
        ("same", "Demo"), ("ins", "fact"), ("same", "sheet for parents"),
        ("ins", "and carers"))
    assert word_changes("a b c", "a x c") == (("same", "a"), ("del", "b"), ("ins", "x"),
                                              ("same", "c"))


def test_a_fuzzy_row_shows_the_old_source_the_word_changes_and_the_line(demo: Path) -> None:
    config = load_config(demo)
    loaded, _ = load_sheets(config, find_sheets(config.sheets_dir))
    html = render_translator(config, loaded[0], "fr", 1)
    row = parse(html).find("tr", class_="state-fuzzy")
    source, _, status = row.iter("td")
    assert row.find("p", class_="previous").text == "Translated from: Demo sheet for parents"
    assert [ins.text for ins in source.iter("ins")] == ["added: fact", "added: and carers"]
    assert source.iter("del") == []
    assert status.find("code").text == f"{PO}:{po_line(demo, 'demo|title')}"
    assert "demo|title" in status.text


def served_held(root: Path, out: Path, page: str) -> list[str]:
    """The msgctxts the served page lists as holding its edition back."""
    preview = Preview(load_config(root), out, Options(port=0))
    preview.rebuild()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(preview))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        with urlopen(f"http://127.0.0.1:{httpd.server_address[1]}/{page}") as response:
            held = parse(response.read().decode("utf-8")).iter("ul", class_="held")
    finally:
        preview.stop()
        httpd.shutdown()
        httpd.server_close()
    return [li.find("code").text for ul in held for li in ul.iter("li")]


def test_under_together_every_language_page_names_the_held_strings(
        demo: Path, runner, tmp_path: Path) -> None:
    (demo / "factsheets.toml").write_text('publish_policy = "together"\n', encoding="utf-8")
    assert served_held(demo, tmp_path / "out", "en/demo.html") == ["demo|title"]


def test_build_stats_and_the_served_page_name_the_strings_holding_an_edition(
        demo: Path, runner, tmp_path: Path) -> None:
    note = (f"{PO}:{po_line(demo, 'demo|title')}:1: note: demo|title: holds back demo (fr): "
            "fuzzy")
    built = runner("build", "--no-pdf", "--project", str(demo))
    assert built.exit_code == 0 and note in built.output, built.output
    stats = runner("i18n", "stats", "--project", str(demo))
    assert note in stats.output and stats.output.count("holds back") == 1
    assert served_held(demo, tmp_path / "out", "fr/demo.html") == ["demo|title"]
    assert served_held(demo, tmp_path / "out2", "en/demo.html") == []
