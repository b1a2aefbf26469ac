"""Catalogs `i18n update` writes are valid gettext: previous msgids as msgmerge writes them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import run, sync, translate_entry
from factsheets.config import load_config
from factsheets.i18n.pofile import read_catalog

LONG_TIP = ("Talk with your child about what they do online, which games they play, "
            "and who they chat with there.")



def gnu(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, check=False)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project with one English sheet whose parents' tip is long, translated into French."""
    run("new", "--project", str(tmp_path), "demo")
    sheet = tmp_path / "sheets" / "demo.yaml"
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace("Talk with your child about what they do online.", LONG_TIP),
                     encoding="utf-8")
    sync(tmp_path)
    translate_entry(tmp_path / "locales/fr/LC_MESSAGES/demo.po", "demo|tips/parents",
                    "Parlez avec votre enfant de ce qu'il fait en ligne.")
    return tmp_path


def test_a_long_fuzzy_entry_is_valid_gettext(root: Path) -> None:
    sheet = root / "sheets" / "demo.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("chat with", "talk to"),
                     encoding="utf-8")
    sync(root)
    po = root / "locales/fr/LC_MESSAGES/demo.po"
    checked = gnu("msgfmt", "--check", "-o", "/dev/null", str(po))
    assert checked.returncode == 0, checked.stderr
    text = po.read_text(encoding="utf-8")
    assert ('#, fuzzy\n#| msgctxt "demo|tips/parents"\n#| msgid ""\n'
            '#| "Talk with your child about what they do online, which games they play, "\n'
            '#| "and who they chat with there."\nmsgctxt "demo|tips/parents"\n') in text
    entry = read_catalog(load_config(root), po, "fr").get(LONG_TIP.replace("chat with",
                                                                          "talk to"),
                                                          "demo|tips/parents")
    assert entry is not None and entry.fuzzy and entry.previous_id == [LONG_TIP]


def test_gnu_msgcat_reads_the_previous_msgid_back(root: Path) -> None:
    sheet = root / "sheets" / "demo.yaml"
    sheet.write_text(sheet.read_text(encoding="utf-8").replace("chat with", "talk to"),
                     encoding="utf-8")
    sync(root)
    po = root / "locales/fr/LC_MESSAGES/demo.po"
    out = gnu("msgcat", "--no-wrap", str(po))
    assert out.returncode == 0, out.stderr
    assert f'#| msgid "{LONG_TIP}"\n' in out.stdout


def test_the_mid_string_wrapping_of_older_versions_reads_back_whole(root: Path) -> None:
    po = root / "locales/fr/LC_MESSAGES/demo.po"
    text = po.read_text(encoding="utf-8")
    broken = ('#, fuzzy\n#| msgid "" "Talk with your child about what they do online, which '
              'games they\n#| play, " "and who they chat with there."\nmsgctxt "demo|tips/parents"')
    po.write_text(text.replace('msgctxt "demo|tips/parents"', broken), encoding="utf-8")
    assert gnu("msgfmt", "--check", "-o", "/dev/null", str(po)).returncode != 0
    sync(root)
    entry = read_catalog(load_config(root), po, "fr").get(LONG_TIP, "demo|tips/parents")
    assert entry is not None and entry.previous_id == [LONG_TIP]
    checked = gnu("msgfmt", "--check", "-o", "/dev/null", str(po))
    assert checked.returncode == 0, checked.stderr
