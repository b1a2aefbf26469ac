"""The translation workflow: extract, update, compile, stats, and editions read from .po files."""

from __future__ import annotations

import gettext
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from click.testing import CliRunner
from jinja2 import Environment

from conftest import run, sync, translate_entry
from factsheets.cli import main
from factsheets.config import Config, Limits, load_config
from factsheets.errors import CatalogError, Problem
from factsheets.i18n import editions
from factsheets.i18n.fields import Message, Text, localize
from factsheets.i18n.pofile import read_catalog as read_checked
from factsheets.i18n.pofile import render
from factsheets.model.validate import load_sheet

DATA = Path(__file__).parents[1] / "data" / "po"
REPO = Path(__file__).parents[2]



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




def msgfmt_check(po: Path) -> None:
    """GNU msgfmt accepts the catalog (headers, formats, plural forms)."""
    result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def read_catalog(path: Path) -> Catalog:
    """Read a catalog with Babel's own reader."""
    with path.open("rb") as fileobj:
        return read_po(fileobj)


def edition(root: Path, lang: str, sheet: str = "demo"):  # type: ignore[no-untyped-def]
    config = load_config(root)
    return editions.load_edition(config, load_sheet(config, config.sheets_dir / f"{sheet}.yaml"),
                                 lang)


def fr_po(root: Path, domain: str = "demo") -> Path:
    return root / "locales" / "fr" / "LC_MESSAGES" / f"{domain}.po"


def test_round_trip_changed_source_becomes_fuzzy_and_falls_back_alone(project: Path) -> None:
    sync(project)
    po = fr_po(project)
    translate_entry(po, "demo|title", "Fiche de démonstration")
    translate_entry(po, "demo|glossary/term", "Terme")
    before = edition(project, "fr")
    assert (before.sheet.title, before.sheet.title.lang) == ("Fiche de démonstration", "fr")

    edit(project / "sheets" / "demo.yaml", "title: Demo sheet", "title: Demo fact sheet")
    sync(project)

    entry = read_catalog(po).get("Demo fact sheet", "demo|title")
    assert entry is not None and entry.fuzzy and entry.string == "Fiche de démonstration"
    assert '#| msgid "Demo sheet"' in po.read_text(encoding="utf-8")
    after = edition(project, "fr")
    assert (after.sheet.title, after.sheet.title.lang) == ("Demo fact sheet", "en")
    assert (after.sheet.glossary[0].term, after.sheet.glossary[0].term.lang) == ("Terme", "fr")
    assert "demo|title" in {m.context for m in after.fallbacks}
    assert "demo|glossary/term" not in {m.context for m in after.fallbacks}
    msgfmt_check(po)


def test_round_trip_every_other_string_stays_french(project: Path) -> None:
    sync(project)
    po = fr_po(project)
    config = load_config(project)
    catalog = read_checked(config, po, "fr")
    for entry in catalog:
        if entry.id:
            entry.string = entry.id  # a "translation" that passes every check
    po.write_bytes(render(catalog, config.location_style))
    edit(project / "sheets" / "demo.yaml", "heading: What it is", "heading: What a webcam is")
    sync(project)
    result = edition(project, "fr")
    langs: dict[str, set[str]] = {}

    def record(message: Message) -> Text:
        langs.setdefault(message.context, set()).add(getattr(message.text, "lang", "?"))
        return Text(message.text, "x")

    localize(result.sheet, record)
    heading = "demo|sections/what-it-is/heading"
    assert [m.context for m in result.fallbacks] == [heading]
    assert langs.pop(heading) == {"en"}
    kept = {context: langs.pop(context) for context in list(langs) if "|references/" in context}
    assert kept and all(found == {"en"} for found in kept.values()), kept  # cited as written
    assert langs and all(found == {"fr"} for found in langs.values()), langs


def test_previous_msgid_survives_further_updates(project: Path) -> None:
    sync(project)
    translate_entry(fr_po(project), "demo|title", "Fiche de démonstration")
    sheet = project / "sheets" / "demo.yaml"
    for old, new in (("Demo sheet", "Demo sheets"), ("Demo sheets", "Demo sheetss")):
        edit(sheet, f"title: {old}", f"title: {new}")
        run("i18n", "extract", "--project", str(project))
        run("i18n", "update", "--project", str(project))
    text = fr_po(project).read_text(encoding="utf-8")
    assert '#| msgid "Demo sheet"\nmsgctxt "demo|title"\nmsgid "Demo sheetss"' in text


def test_extract_and_update_are_byte_stable(project: Path) -> None:
    sync(project)
    files = sorted((project / "locales").rglob("*.po*"))
    first = {p: p.read_bytes() for p in files}
    assert run("i18n", "extract", "--project", str(project)) == "nothing changed\n"
    assert run("i18n", "update", "--project", str(project)) == "nothing changed\n"
    assert {p: p.read_bytes() for p in files} == first


def test_new_french_catalog_has_two_plural_forms(project: Path) -> None:
    sync(project)
    text = fr_po(project).read_text(encoding="utf-8")
    assert '"Language: fr\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"' in text


def test_a_new_message_never_takes_a_translation_from_another_context(project: Path) -> None:
    sheet = project / "sheets" / "demo.yaml"
    edit(sheet, "subtitle: One line under the title", "subtitle: Staying safe online")
    sync(project)
    translate_entry(fr_po(project), "demo|subtitle", "Rester en sécurité en ligne")
    # The keyword is close to the subtitle's text but lives in another context.
    edit(sheet, "keywords: [online safety]", "keywords: [staying safe online]")
    sync(project)
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
    sync(project)
    translate_entry(fr_po(project), "demo|title", "Guide (titre)")
    translate_entry(fr_po(project), "demo|sections/what-it-is/heading", "Guide (rubrique)")
    edit(sheet, "title: Guide", "title: Guides")
    edit(sheet, "heading: Guide", "heading: Guides")
    sync(project)
    catalog = read_catalog(fr_po(project))
    assert catalog.get("Guides", "demo|title").string == "Guide (titre)"
    assert catalog.get("Guides", "demo|sections/what-it-is/heading").string == "Guide (rubrique)"
    assert not catalog.obsolete


def test_removed_string_becomes_obsolete(project: Path) -> None:
    sync(project)
    translate_entry(fr_po(project), "demo|warning_signs", "Un signe.")
    edit(project / "sheets" / "demo.yaml", "warning_signs:\n  - A sign that a child may need "
         "help.\n", "")
    sync(project)
    text = fr_po(project).read_text(encoding="utf-8")
    assert '#~ msgctxt "demo|warning_signs"' in text and '#~ msgstr "Un signe."' in text
    msgfmt_check(fr_po(project))


def test_french_source_sheet_gets_english_through_the_same_machinery(project: Path) -> None:
    sheet = project / "sheets" / "demo.yaml"
    edit(sheet, "language: en", "language: fr")
    edit(sheet, "title: Demo sheet", "title: Fiche de démonstration")
    sync(project)
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


@pytest.mark.parametrize("path", sorted(DATA.glob("*.po")), ids=lambda p: p.name)
def test_bad_catalog_gets_its_located_message(path: Path) -> None:
    expected = path.read_bytes().splitlines()[0].decode().removeprefix("# expect: ")
    with pytest.raises(CatalogError) as caught:
        read_checked(Config(root=DATA), path, "fr")
    assert str(caught.value) == expected


def test_oversized_catalog_is_refused_before_parsing(tmp_path: Path) -> None:
    po = tmp_path / "huge.po"
    po.write_bytes(b'msgid "x"\nmsgstr "' + b"y" * 2000 + b'"\n')
    config = Config(root=tmp_path, limits=Limits(catalog_bytes=1000))
    with pytest.raises(CatalogError, match=r"^huge.po: file is 2,020 bytes, over the limit"):
        read_checked(config, po, "fr")


def test_malformed_catalog_stops_the_edition_with_a_located_error(project: Path) -> None:
    sync(project)
    po = fr_po(project)
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr ""', 'msgstr "oops', 3),
                  encoding="utf-8")
    with pytest.raises(CatalogError, match=r"^locales/fr/LC_MESSAGES/demo.po:\d+:1: malformed"):
        edition(project, "fr")
    result = CliRunner().invoke(main, ["i18n", "update", "--project", str(project)])
    assert result.exit_code == 1
    assert result.output.startswith("locales/fr/LC_MESSAGES/demo.po:")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("context, msgstr, message", [
    ("demo|title", "<script>alert(1)</script>", "raw HTML is not allowed"),
    ("demo|sections/what-it-is/body",
     "Les paragraphes *vont* **ici**, [liens](https://evil.example) (https) sans HTML.",
     "link targets differ from the source: expected https://example.org"),
    ("demo|sections/what-it-is/body",
     "Les paragraphes vont ici, [liens](https://example.org), sans HTML.",
     "emphasis differs from the source: expected 1 *emphasis* and 1 **strong**"),
    ("demo|slug", "Fiche Démo", "a slug may hold only lower-case letters, digits and hyphens"),
    ("demo|contacts/help/url", "http://example.org/fr", "a web address must start with https://"),
])
def test_translation_breaking_a_rule_falls_back_and_is_reported(
        project: Path, context: str, msgstr: str, message: str) -> None:
    edit(project / "sheets" / "demo.yaml", '    phone: "911"',
         '    phone: "911"\n  - id: help\n    name: Help line\n    description: Someone to talk '
         'to.\n    url: https://example.org/help')
    sync(project)
    po = fr_po(project)
    translate_entry(po, context, msgstr)
    config = load_config(project)
    problems: list[Problem] = []
    result = editions.load_edition(config, load_sheet(config, config.sheets_dir / "demo.yaml"),
                                   "fr", problems)
    assert context in {m.context for m in result.fallbacks}
    [problem] = problems
    line = po.read_text(encoding="utf-8").splitlines().index(f'msgctxt "{context}"') + 2
    assert problem.location.prefix() == f"locales/fr/LC_MESSAGES/demo.po:{line}:1"
    assert problem.message.startswith(message)


def test_a_valid_translated_slug_and_url_are_used(project: Path) -> None:
    sync(project)
    translate_entry(fr_po(project), "demo|slug", "fiche-demo")
    result = edition(project, "fr")
    assert (result.slug, result.slug.lang) == ("fiche-demo", "fr")


def test_stats_counts_and_min(project: Path) -> None:
    sync(project)
    translate_entry(fr_po(project), "demo|title", "Fiche de démonstration")
    translate_entry(fr_po(project), "demo|subtitle", "<b>Une ligne</b>")
    rows = json.loads(run("i18n", "stats", "--format", "json", "--project", str(project)))
    [row] = rows
    assert row["domain"] == "demo" and row["lang"] == "fr"
    assert (row["translated"], row["invalid"], row["fuzzy"]) == (1, 1, 0)
    assert row["untranslated"] == row["total"] - 2
    assert row["percent"] == round(100 / row["total"], 1)
    failing = CliRunner().invoke(main, ["i18n", "stats", "--min", "50", "--project", str(project)])
    assert failing.exit_code == 1
    assert f"demo (fr) is {100 / row['total']:.1f}% translated, below --min 50" in failing.output
    assert "demo.po:" in failing.output and "raw HTML is not allowed" in failing.output
    run("i18n", "stats", "--min", "1", "--project", str(project))


def test_publish_threshold_follows_progress(project: Path) -> None:
    sync(project)
    (project / "factsheets.toml").write_text("publish_threshold = 5\n", encoding="utf-8")
    config = load_config(project)
    loaded = load_sheet(config, config.sheets_dir / "demo.yaml")
    assert not editions.publishable(config, loaded, "fr")
    assert editions.publishable(config, loaded, "en")
    for context in ("demo|title", "demo|subtitle"):
        translate_entry(fr_po(project), context, "Traduit")
    progress, _ = editions.progress(config, loaded, "fr")
    assert progress.counts["translated"] == 2 and progress.percent >= 5
    assert editions.publishable(config, loaded, "fr")


def test_compile_writes_mo_without_fuzzy_entries(project: Path) -> None:
    sync(project)
    translate_entry(fr_po(project), "demo|title", "Fiche de démonstration")
    translate_entry(fr_po(project), "demo|subtitle", "Une ligne")
    translate_entry(fr_po(project), "demo|summary", "<b>Résumé</b>")
    po = fr_po(project)
    po.write_text(po.read_text(encoding="utf-8").replace(
        'msgctxt "demo|subtitle"', '#, fuzzy\nmsgctxt "demo|subtitle"'), encoding="utf-8")
    result = CliRunner().invoke(main, ["i18n", "compile", "--project", str(project)])
    assert result.exit_code == 0
    assert result.stdout == "wrote locales/fr/LC_MESSAGES/demo.mo\n"
    assert "demo.po:" in result.stderr and "raw HTML is not allowed" in result.stderr
    with po.with_suffix(".mo").open("rb") as fileobj:
        mo = gettext.GNUTranslations(fileobj)
    assert mo.pgettext("demo|title", "Demo sheet") == "Fiche de démonstration"
    assert mo.pgettext("demo|subtitle", "One line under the title") == "One line under the title"
    summary = load_sheet(load_config(project), project / "sheets" / "demo.yaml").sheet.summary
    assert mo.pgettext("demo|summary", summary) == summary


UI_TEMPLATE = """<p>{% trans %}Last reviewed:{% endtrans %} {{ date }}</p>
{# Translators: the link to the list of sheets #}
<a href="/">{{ _("All fact sheets") }}</a>
<p>{% trans count=n %}{{ count }} sheet{% pluralize %}{{ count }} sheets{% endtrans %}</p>
"""


def test_ui_strings_go_from_templates_to_jinja(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "page.html.j2").write_text(UI_TEMPLATE, encoding="utf-8")
    run("i18n", "extract", "--project", str(project))
    pot = read_catalog(project / "locales" / "ui.pot")
    assert pot.get("All fact sheets").auto_comments == ["the link to the list of sheets"]
    run("i18n", "update", "--project", str(project))
    po = fr_po(project, "ui")
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Last reviewed:"\nmsgstr ""',
                        'msgid "Last reviewed:"\nmsgstr "Dernière révision :"')
    text = text.replace('msgid "All fact sheets"\nmsgstr ""',
                        'msgid "All fact sheets"\nmsgstr "<script>x</script>"')
    text = text.replace('msgstr[0] ""\nmsgstr[1] ""',
                        'msgstr[0] "%(count)s fiche"\nmsgstr[1] "%(count)s fiches"')
    po.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_gettext_translations(  # type: ignore[attr-defined]
        editions.ui_translations(load_config(project), "fr", problems), newstyle=False)
    html = env.from_string(UI_TEMPLATE).render(date="2026", n=0)
    assert "Dernière révision : 2026" in html
    assert "0 fiche<" in html  # French: zero takes the singular
    assert "All fact sheets" in html and "script" not in html
    [problem] = problems
    assert problem.message == "HTML in the translation differs from the source's"


def test_every_committed_catalog_passes_msgfmt_and_babel() -> None:
    catalogs_found = sorted((REPO / "locales").glob("**/*.po"))
    assert REPO / "locales" / "fr" / "LC_MESSAGES" / "ui.po" in catalogs_found
    config = load_config(REPO)
    for po in catalogs_found:
        lang = po.parent.parent.name
        msgfmt_check(po)
        read_checked(config, po, lang)
        read_catalog(po)


def test_template_syntax_error_is_located(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "bad.html.j2").write_text("<p>\n{% trans %}Hello{% endfor %}\n",
                                                       encoding="utf-8")
    result = CliRunner().invoke(main, ["i18n", "extract", "--project", str(project)])
    assert result.exit_code == 1
    assert result.stderr.startswith("templates/bad.html.j2:2:1: template syntax error:")


def test_an_invalid_sheet_is_reported_and_the_others_still_extracted(project: Path) -> None:
    (project / "sheets" / "broken.yaml").write_text("id: broken\nstatus: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["i18n", "extract", "--project", str(project)])
    assert result.exit_code == 1
    assert result.stdout == "wrote locales/demo.pot\n"
    assert result.stderr.startswith("sheets/broken.yaml:")
    assert not (project / "locales" / "broken.pot").exists()


def test_a_string_that_comes_back_gets_its_old_translation_as_fuzzy(project: Path) -> None:
    sheet = project / "sheets" / "demo.yaml"
    sync(project)
    translate_entry(fr_po(project), "demo|warning_signs", "Un signe.")
    removed = "warning_signs:\n  - A sign that a child may need help.\n"
    original = sheet.read_text(encoding="utf-8")
    edit(sheet, removed, "")
    sync(project)
    sheet.write_text(original, encoding="utf-8")
    sync(project)
    catalog = read_catalog(fr_po(project))
    entry = catalog.get("A sign that a child may need help.", "demo|warning_signs")
    assert entry is not None and entry.string == "Un signe." and entry.fuzzy
    assert not catalog.obsolete
    msgfmt_check(fr_po(project))


def test_percent_signs_in_sheet_text_are_not_format_strings(project: Path) -> None:
    edit(project / "sheets" / "demo.yaml", "subtitle: One line under the title",
         "subtitle: Only 5% do this")
    sync(project)
    translate_entry(fr_po(project), "demo|subtitle", "Seulement 5 % le font")
    run("i18n", "update", "--project", str(project))
    assert "python-format" not in (project / "locales" / "demo.pot").read_text(encoding="utf-8")
    assert "python-format" not in fr_po(project).read_text(encoding="utf-8")
    msgfmt_check(fr_po(project))
    assert edition(project, "fr").sheet.subtitle.lang == "fr"


def test_a_translation_may_link_to_the_configured_counterpart_page() -> None:
    from factsheets.i18n.checkers import check_translation

    counterparts = {"https://needhelpnow.ca": "https://aidezmoisvp.ca"}
    source = "Go to [NeedHelpNow.ca](https://needhelpnow.ca/en/removing-pictures)."
    french = "Allez sur [AidezMoiSVP.ca](https://aidezmoisvp.ca/en/removing-pictures)."
    assert check_translation("s|tips/youth", source, french, counterparts=counterparts) == ""
    assert check_translation("s|tips/youth", source, french) == (
        "link targets differ from the source: expected "
        "https://needhelpnow.ca/en/removing-pictures")
    lookalike = "Allez sur [AidezMoiSVP.ca](https://aidezmoisvp.ca.evil.example/x)."
    assert check_translation("s|tips/youth", source, lookalike, counterparts=counterparts)


def test_a_reference_address_may_move_only_to_a_declared_counterpart() -> None:
    from factsheets.i18n.checkers import check_translation

    counterparts = {"https://www.cybertip.ca": "https://www.cyberaide.ca",
                    "https://www.cybertip.ca/app/en/": "https://www.cyberaide.ca/app/fr/"}
    source = "https://www.cybertip.ca/app/en/about-how_it_works"

    def check(translation: str) -> str:
        return check_translation("s|references/url", source, translation,
                                 counterparts=counterparts)

    assert check(source) == ""  # cited as written, in English
    assert check("https://www.cyberaide.ca/app/fr/about-how_it_works") == ""  # the page's pair
    assert check("https://www.cyberaide.ca/app/en/about-how_it_works") == ""  # the site's pair
    assert "counterpart" in check("https://www.cyberaide.ca/app/fr/autre-page")
    assert "counterpart" in check("https://example.org/about-how_it_works")


def test_references_are_in_the_catalog_and_a_cited_french_page_is_french(project: Path) -> None:
    (project / "factsheets.toml").write_text(
        '[links.fr]\n"https://example.org/en/" = "https://example.org/fr/"\n', encoding="utf-8")
    edit(project / "sheets" / "demo.yaml", "url: https://example.org/source",
         "url: https://example.org/en/source")
    sync(project)
    po = fr_po(project)
    translate_entry(po, "demo|references/title", "Titre de la page")
    translate_entry(po, "demo|references/url", "https://example.org/fr/source")
    ref = edition(project, "fr").sheet.references[0]
    assert (ref.title, ref.title.lang) == ("Titre de la page", "fr")
    assert (ref.url, ref.language) == ("https://example.org/fr/source", "fr")
    assert ref.publisher.lang == "en"  # untranslated: shown as the source wrote it
    translate_entry(po, "demo|references/url", "https://example.org/elsewhere")
    problems: list[Problem] = []
    config = load_config(project)
    ref = editions.load_edition(config, load_sheet(config, project / "sheets" / "demo.yaml"),
                                "fr", problems).sheet.references[0]
    assert (ref.url, ref.language) == ("https://example.org/en/source", "en")
    assert any("counterpart" in p.message for p in problems)


def test_each_audience_heading_is_one_whole_string_for_translators(project: Path) -> None:
    shutil.copytree(REPO / "templates", project / "templates")
    run("i18n", "extract", "--project", str(project))
    ids = {m.id for m in read_catalog(project / "locales" / "ui.pot") if m.id}
    assert {"For parents and caregivers", "For educators", "For youth",
            "For law enforcement"} <= ids
    assert {"parents and caregivers", "educators", "youth", "law enforcement"} <= ids
    assert "Draft: this fact sheet is still being written and checked." in ids
    assert not any("%(who)s" in str(msgid) for msgid in ids)


def test_counterparts_must_name_a_language_and_https_addresses(tmp_path: Path) -> None:
    from factsheets.errors import ConfigError

    (tmp_path / "factsheets.toml").write_text(
        '[links.fr]\n"https://a.example" = "http://b.example"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="links.fr"):
        load_config(tmp_path)
