"""Random rounds of source edits through `i18n extract` + `i18n update`, checked with GNU gettext.

After every round: `msgfmt --check` passes, `msgcat` reads the catalog and writing it back
with `msgcat` changes no entry, and each fuzzy entry's previous msgid is a source text of its
context from before the edit (the reworded one when nothing else is closer), with the
translation that was made for that text. Between rounds a translator accepts every fuzzy
entry and translates every new one (GNU `msgattrib` and `msgen`), so each round starts from a
complete catalog written by another tool.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from factsheets.cli import main
from factsheets.config import load_config
from factsheets.i18n.pofile import read_catalog

pytestmark = pytest.mark.slow

FIRST = "abcdefghijklmnopqrstuvwxyzABCXYZéàçÉœßøñ日本"
REST = FIRST + "0123456789\"'\\%{}(),.!?:;\t"
WORD = st.builds(lambda a, b: a + b, st.sampled_from(FIRST),
                 st.text(alphabet=REST, max_size=8)).filter(lambda w: not w.endswith("\\"))
SHORT = st.lists(WORD, min_size=1, max_size=4).map(" ".join)
LONG = st.lists(WORD, min_size=12, max_size=40).map(" ".join)
TEXT = st.one_of(SHORT, LONG)
KINDS = ("body", "tips", "term", "definition")


@dataclass
class Source:
    """The translatable texts of one sheet, by kind, in order."""

    texts: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})

    def apply(self, edit: tuple[str, str, int, str]) -> None:
        action, kind, index, text = edit
        kinds = ("term", "definition") if kind in ("term", "definition") else (kind,)
        items = self.texts[kind]
        index %= len(items) + (action == "insert")
        if action == "reword":  # one word changed: close enough for a fuzzy match
            words = items[index].split(" ")
            words[len(text) % len(words)] = text.split(" ")[0]
            items[index] = " ".join(words)
        elif action == "rewrite":
            items[index] = text
        elif action == "insert":
            for k in kinds:
                self.texts[k].insert(index, text if k == kind else f"{text} x{len(items)}")
        elif len(items) > 1:
            for k in kinds:
                del self.texts[k][index]

    def yaml(self, width: int) -> str:
        sheet = {"id": "demo", "status": "draft", "language": "en", "title": "Demo",
                 "summary": "A summary.", "audiences": ["parents"],
                 "first_published": "2026-11-28", "last_reviewed": "2026-11-28",
                 "sections": [{"id": "one", "heading": "One", "body": "BODY"}],
                 "tips": {"parents": self.texts["tips"]},
                 "glossary": [{"term": t, "definition": d} for t, d in
                              zip(self.texts["term"], self.texts["definition"], strict=True)],
                 "contacts": [{"id": "help", "name": "Help", "description": "Call.",
                               "phone": "911"}]}
        text = yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False, width=10_000)
        body = "\n\n".join(wrap(p, width) for p in self.texts["body"])
        indented = "".join(f"      {line}\n" if line else "\n" for line in body.split("\n"))
        return text.replace("  body: BODY\n", "  body: |\n" + indented)

    def by_context(self) -> dict[str, set[str]]:
        contexts = {"body": "demo|sections/one/body", "tips": "demo|tips/parents",
                    "term": "demo|glossary/term", "definition": "demo|glossary/definition"}
        # The schema reads every text without the blanks around it (a tab ending a glossary
        # term, say), and Markdown each paragraph: so does its msgid.
        return {contexts[k]: {t.strip() for t in v} for k, v in self.texts.items()}


def wrap(paragraph: str, width: int) -> str:
    """A paragraph's words on lines of about `width` characters (as an author wraps them)."""
    lines, line = [], ""
    for word in paragraph.split(" "):
        if line and len(line) + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join([*lines, line])


ACTIONS = ("reword", "reword", "rewrite", "insert", "delete")
EDIT = st.tuples(st.sampled_from(ACTIONS), st.sampled_from(KINDS), st.integers(0, 20), TEXT)
START = st.fixed_dictionaries({k: st.lists(TEXT, min_size=1, max_size=3) for k in KINDS[:3]})


def run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


def gnu(*args: str) -> str:
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{args[0]}: {result.stderr}"
    return result.stdout


def entries(root: Path, po: Path) -> dict[tuple[str, str], tuple[object, ...]]:
    catalog = read_catalog(load_config(root), po, "fr")
    found = {(m.context, m.id): (m.string, m.fuzzy, tuple(m.previous_id))
             for m in catalog if m.id}
    found.update({(f"~{m.context}", m.id): (m.string,) for m in catalog.obsolete.values()})
    return found


def check_round(root: Path, before: dict[str, set[str]]) -> None:
    """GNU gettext accepts the catalog, msgcat changes no entry, fuzzy entries say their past."""
    po = root / "locales/fr/LC_MESSAGES/demo.po"
    gnu("msgfmt", "--check", "-o", "/dev/null", str(po))
    again = root / "again.po"
    again.write_text(gnu("msgcat", str(po)), encoding="utf-8")
    ours = entries(root, po)
    assert entries(root, again) == ours
    for (context, _msgid), value in ours.items():
        if not context.startswith("~") and value[1]:
            string, _, previous = value
            assert len(previous) == 1 and previous[0] in before[context], (previous, context)
            assert string == previous[0]  # the translation made for that text


def translate_all(po: Path, pot: Path) -> None:
    """A translator's pass with GNU tools: redo every fuzzy entry, translate each new string.

    Each translation is its source text, so a later fuzzy entry's msgstr shows which text it
    was made for.
    """
    kept = gnu("msgattrib", "--no-fuzzy", str(po))
    merged = gnu_input(kept, "msgmerge", "--quiet", "--no-fuzzy-matching", "-", str(pot))
    po.write_text(gnu_input(merged, "msgen", "-"), encoding="utf-8")


def gnu_input(text: str, *args: str) -> str:
    result = subprocess.run(args, input=text, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{args[0]}: {result.stderr}"
    return result.stdout


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # shrinking takes minutes
@given(start=START, rounds=st.lists(st.lists(EDIT, min_size=1, max_size=4), min_size=2,
                                    max_size=3), width=st.integers(20, 90))
@example(start={"body": ["One two"], "tips": ["Cep vh\t"], "term": ["x"]},  # a found failure
         rounds=[[("reword", "term", 0, "Zed")], [("reword", "body", 0, "Three")]], width=40)
def test_random_edits_keep_every_catalog_valid_gettext(
        start: dict[str, list[str]], rounds: list[list[tuple[str, str, int, str]]],
        width: int) -> None:
    source = Source({**start, "term": list(start["tips"]),
                     "definition": [f"{t} means" for t in start["tips"]]})
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sheet = root / "sheets" / "demo.yaml"
        sheet.parent.mkdir()
        (root / "locales").mkdir()
        sheet.write_text(source.yaml(width), encoding="utf-8")
        run("i18n", "extract", "--project", tmp, "--domain", "demo")
        run("i18n", "update", "--project", tmp, "--domain", "demo")
        po = root / "locales/fr/LC_MESSAGES/demo.po"
        for edits in rounds:
            translate_all(po, root / "locales/demo.pot")
            before = source.by_context()
            for edit in edits:
                source.apply(edit)
            sheet.write_text(source.yaml(width), encoding="utf-8")
            run("i18n", "extract", "--project", tmp, "--domain", "demo")
            run("i18n", "update", "--project", tmp, "--domain", "demo")
            check_round(root, before)
            assert not re.search(r"^#\| .*[^\"]$", po.read_text(encoding="utf-8"), re.M)
