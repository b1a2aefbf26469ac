"""Hostile YAML tags and translations: located messages, and no sheet takes another's place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import skeleton, translate_entry

PUBLISHED = skeleton().replace("status: draft ", "status: published ")
CONTACT = ('  - id: help\n    name: Help line\n    description: Help for anyone.\n'
           '    url: https://www.cybertip.ca\n')


def sheet(slug: str) -> str:
    return (skeleton(slug).replace("status: draft ", "status: published ")
            .replace('    phone: "911"\n', '    phone: "911"\n' + CONTACT))


def po_line(po: Path, context: str) -> int:
    """The line of an entry's msgid, where a warning about its translation points."""
    return po.read_text(encoding="utf-8").splitlines().index(f'msgctxt "{context}"') + 2


@pytest.fixture
def two_sheets(project, runner):  # type: ignore[no-untyped-def]
    root = project({"sheets/alpha.yaml": sheet("alpha"), "sheets/beta.yaml": sheet("beta")})
    assert runner("i18n", "extract", "--project", str(root)).exit_code == 0
    assert runner("i18n", "update", "--project", str(root)).exit_code == 0
    return root


# --- class 4: YAML explicit tags are located errors (D3) -------------------------------------

@pytest.mark.parametrize("value, message", [
    ("!!timestamp nope", "'nope' is not a valid timestamp"),
    ("!!bool maybe", "'maybe' is not a valid bool"),
    ("!!int twelve", "'twelve' is not a valid value"),
    ("!!float x", "'x' is not a valid value"),
    ("!!int " + "9" * 4500, "'" + "9" * 79 + "…' is not a valid value"),
])
def test_a_yaml_tag_with_a_bad_value_is_located(project, runner, value, message):
    text = PUBLISHED.replace("first_published: 2026-11-28", f"first_published: {value}")
    assert text != PUBLISHED
    root = project({"sheets/sample.yaml": text})
    for command in (["validate"], ["check"], ["build", "--no-pdf"], ["i18n", "stats"]):
        result = runner(*command, "--project", str(root))
        assert result.exit_code == 1, (command, result.output)
        assert "sheets/sample.yaml:" in result.output and message in result.output
        assert "9" * 100 not in result.output


# --- class 4: the templates' strings are format strings (D7) ---------------------------------

@pytest.mark.parametrize("msgstr", ["Glossaire %c", "Glossaire %x", "Glossaire à 100 %",
                                    "Glossaire %5s", "100 % de termes", "%(name)s Glossaire"])
def test_a_percent_sign_in_a_template_string_is_a_located_warning(project, runner, msgstr):
    root = project({"sheets/sample.yaml": PUBLISHED})
    runner("i18n", "extract", "--project", str(root))
    runner("i18n", "update", "--project", str(root))
    ui = root / "locales" / "fr" / "LC_MESSAGES" / "ui.po"
    text = ui.read_text(encoding="utf-8")
    ui.write_text(text.replace('msgid "Glossary"\nmsgstr ""',
                               f'msgid "Glossary"\nmsgstr "{msgstr}"'), encoding="utf-8")
    line = text.splitlines().index('msgid "Glossary"') + 1
    result = runner("build", "--project", str(root), "--allow-incomplete", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert (f"locales/fr/LC_MESSAGES/ui.po:{line}:1: warning: " in result.stderr
            and "write %% for a percent sign" in result.stderr) or (
        "placeholders differ from the source" in result.stderr)
    page = (root / "dist" / "fr" / "sample.html").read_text(encoding="utf-8")
    assert "Glossary</" in page and "Glossaire" not in page and "{}" not in page


def test_a_percent_sign_written_as_two_is_accepted(project, runner):
    root = project({"sheets/sample.yaml": PUBLISHED})
    runner("i18n", "extract", "--project", str(root))
    runner("i18n", "update", "--project", str(root))
    ui = root / "locales" / "fr" / "LC_MESSAGES" / "ui.po"
    ui.write_text(ui.read_text(encoding="utf-8").replace(
        'msgid "Glossary"\nmsgstr ""', 'msgid "Glossary"\nmsgstr "Glossaire à 100 %%"'))
    result = runner("build", "--project", str(root), "--allow-incomplete", "--no-pdf")
    assert "ui.po" not in result.stderr
    page = (root / "dist" / "fr" / "sample.html").read_text(encoding="utf-8")
    assert ">Glossaire à 100 %</h2>" in page


# --- class 6: one sheet cannot take another's place (D8, D10) --------------------------------

@pytest.mark.parametrize("beta_slug, alpha_slug", [("alpha", None), ("fiche", "fiche")])
def test_a_translated_slug_cannot_take_another_sheets_page(two_sheets, runner, beta_slug,
                                                          alpha_slug):
    root = two_sheets
    assert runner("build", "--project", str(root), "--allow-incomplete",
                  "--no-pdf").exit_code == 0
    locales = root / "locales" / "fr" / "LC_MESSAGES"
    translate_entry(locales / "beta.po", "beta|slug", beta_slug)
    if alpha_slug:
        translate_entry(locales / "alpha.po", "alpha|slug", alpha_slug)
    result = runner("build", "--project", str(root), "--allow-incomplete", "--no-pdf")
    line = po_line(locales / "beta.po", "beta|slug")
    assert (f"locales/fr/LC_MESSAGES/beta.po:{line}:1: warning: beta|slug: the slug "
            f"{beta_slug!r} gives the address fr/{beta_slug}.html of sheets/alpha.yaml "
            "(the source slug 'beta' is used instead)") in result.stderr
    dist = root / "dist"
    for page in ("en/alpha.html", "en/beta.html", "fr/beta.html"):
        assert (dist / page).is_file(), page
    for name, title in (("alpha", "Alpha"), ("beta", "Beta")):
        page = (dist / "fr" / f"{name}.html").read_text(encoding="utf-8")
        assert re.search(r"<title>([^<]*)", page)[1].startswith(title)


@pytest.mark.parametrize("address, used", [
    ("https://evil.example/phish", False),
    ("https://www.cybertip.ca.evil.example", False),
    ("https://www.cyberaide.ca", True),
    ("https://www.cyberaide.ca/fr/signaler", False),
    ("https://www.cybertip.ca", True),
])
def test_a_translated_contact_address_obeys_the_counterpart_rule(project, runner, address,
                                                                 used):
    root = project({"sheets/alpha.yaml": sheet("alpha"), "factsheets.toml":
                    '[links.fr]\n"https://www.cybertip.ca" = "https://www.cyberaide.ca"\n'})
    runner("i18n", "extract", "--project", str(root))
    runner("i18n", "update", "--project", str(root))
    po = root / "locales" / "fr" / "LC_MESSAGES" / "alpha.po"
    translate_entry(po, "alpha|contacts/help/url", address)
    result = runner("build", "--project", str(root), "--allow-incomplete", "--no-pdf")
    page = (root / "dist" / "fr" / "alpha.html").read_text(encoding="utf-8")
    assert (f'href="{address}"' in page) == used
    if not used:
        assert (f"alpha.po:{po_line(po, 'alpha|contacts/help/url')}:1: warning: "
                "alpha|contacts/help/url: the address differs from the source's") in (
            result.stderr)
        assert 'href="https://www.cybertip.ca"' in page
