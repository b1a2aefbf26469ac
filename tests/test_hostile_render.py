"""Markup in every text field and translation: refused where it stands, or shown as inert text."""

from __future__ import annotations

import json

import lxml.html
import pytest
from babel.support import NullTranslations
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment

from conftest import DATA, ROOT, skeleton, translate_entry
from factsheets.config import Config, load_config
from factsheets.errors import CatalogError, Problem
from factsheets.html.pages import make_environment, render_sheet
from factsheets.html.site import SheetEntry, Site
from factsheets.i18n.checkers import check_translation
from factsheets.i18n.editions import load_edition
from factsheets.i18n.fields import Edition, Message, Text, localize, source_edition
from factsheets.i18n.pofile import read_catalog
from factsheets.model.markup import check_inline, render_inline
from factsheets.model.schema import Sheet
from factsheets.model.validate import load_sheet, load_sheets

HOST = "http://127.0.0.1:9"
PAYLOAD = ('<script>alert(1)</script><img src=x onerror=alert(1)>'
           '<a href="javascript:alert(1)">x</a><style>*{background:url(' + HOST + '/css)}</style>'
           '<svg onload=alert(1)> javascript:alert(1) " onmouseover="alert(1) url(' + HOST + '/u)')
INERT = (f"javascript:alert(1) onerror=alert(1) url({HOST}/i) «x» "
         "[safe](https://example.org/a?b=\"onmouseover=alert(1)\")")
TEXT_FIELDS = {  # every plain-text field a sheet has, as (YAML line to replace, replacement)
    "title": ("title: Sample", "title: {}"),
    "subtitle": ("subtitle: One line under the title", "subtitle: {}"),
    "summary": ("summary: >-\n  Two or three plain sentences that say what the sheet covers. They "
                "show in the\n  index and in search results.", "summary: {}"),
    "keywords": ("keywords: [online safety]", "keywords: [{}]"),
    "heading": ("heading: What it is", "heading: {}"),
    "term": ("- term: Term", "- term: {}"),
    "contact name": ("name: Emergency services", "name: {}"),
    "reference title": ("- title: Title of the page or report", "- title: {}"),
    "publisher": ("publisher: Who published it", "publisher: {}"),
}
INLINE_FIELDS = {  # every Markdown field, as (text to replace, its field path)
    "body": ("Paragraphs are separated by a blank line.", "sections[0].body"),
    "tip": ("Talk with your child about what they do online.", "tips.parents[0]"),
    "warning sign": ("A sign that a child may need help.", "warning_signs[0]"),
    "definition": ("What the term means, in one plain sentence.", "glossary[0].definition"),
    "contact description": ("If a child is in immediate danger, call 911 or your local police.",
                            "contacts[0].description"),
}
FIGURE = ('figures:\n  - id: chart\n    src: figures/chart.svg\n    alt: {alt}\n'
          '    caption: {caption}\n    credit: {credit}\n    after: what-it-is\n')
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>t</title></svg>'


def hostile_sheet(slug: str, text: str, inline: str) -> str:
    """A published skeleton with `text` in every plain field and `inline` in every Markdown one."""
    sheet = skeleton(slug).replace("status: draft", "status: published")
    quoted = json.dumps(text)  # a JSON string is a YAML double-quoted string
    for old, new in TEXT_FIELDS.values():
        assert old in sheet, old
        sheet = sheet.replace(old, new.format(quoted), 1)
    for old, _ in INLINE_FIELDS.values():
        sheet = sheet.replace(old, inline, 1)
    sheet = sheet.replace("url: https://example.org/source",
                          'url: https://example.org/"><script>alert(1)</script>')
    return sheet.replace("figures: []\n", FIGURE.format(alt=quoted, caption=json.dumps(inline),
                                                         credit=quoted))


def unsafe_parts(html: str) -> list[str]:
    """Scripts, style elements or attributes, event attributes and javascript: addresses.

    The toolkit's own data blocks (breadcrumbs' structured data, the search page's texts)
    are JSON that browsers never run; they must parse as JSON and hold no `<`.
    """
    root = lxml.html.document_fromstring(html)
    found = [f"<{e.tag}>" for e in root.iter("script", "style", "iframe", "object", "embed")
             if not _data_block(e)]
    for element in root.iter():
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or name.lower() == "style":
                found.append(f"{element.tag} {name}=")
            if "javascript:" in value.replace(" ", "").lower() and name in ("href", "src"):
                found.append(f"{element.tag} {name}={value}")
    return found


def _data_block(element: lxml.html.HtmlElement) -> bool:
    """A `<script>` that only carries JSON data (escaped, so no `<` can end it early), or
    the search page's own script file from the site's assets."""
    if element.tag == "script" and element.get("type") == "module":
        return (element.get("src") or "").endswith("assets/search.js") and not element.text
    if element.tag != "script" or element.get("type") not in ("application/ld+json",
                                                                "application/json"):
        return False
    text = element.text or ""
    try:
        json.loads(text)
    except ValueError:
        return False
    return "<" not in text and not element.get("src")


# --- plain-text fields: rendered as text ------------------------------------------------------

@pytest.fixture
def hostile_project(project):
    unavailable = skeleton("gone").replace(
        "status: draft", f"status: unavailable\nunavailable_reason: {json.dumps(PAYLOAD)}")
    return project({"sheets/sample.yaml": hostile_sheet("sample", PAYLOAD, INERT),
                    "sheets/gone.yaml": unavailable, "sheets/figures/chart.svg": SVG})


def test_markup_in_plain_text_fields_is_valid_and_shown_as_text(hostile_project, runner):
    assert runner("validate", "--project", str(hostile_project)).exit_code == 0
    result = runner("build", "--project", str(hostile_project), "--allow-incomplete", "--no-pdf")
    assert result.exit_code == 0, result.output
    dist = hostile_project / "dist"
    pages = sorted(dist.rglob("*.html"))
    assert len(pages) == 22  # landing, 404, and per language: index, 2 sheets, 404,
    # What's new, search, 4 audience pages
    for page in pages:
        assert unsafe_parts(page.read_text(encoding="utf-8")) == [], page
    sheet = lxml.html.parse(str(dist / "en" / "sample.html")).getroot()
    assert sheet.find(".//h1").text_content() == PAYLOAD
    assert sheet.find(".//figure/img").get("alt") == PAYLOAD
    assert sheet.find(".//h2[@id='what-it-is']").text_content() == PAYLOAD
    gone = lxml.html.parse(str(dist / "en" / "gone.html")).getroot()
    assert PAYLOAD in gone.find(".//main").text_content()


@pytest.mark.parametrize("field", INLINE_FIELDS)
def test_raw_html_in_a_markdown_field_is_refused_where_it_stands(project, field):
    old, path = INLINE_FIELDS[field]
    sheet = skeleton().replace(old, "Look <img src=x onerror=alert(1)> here.")
    root = project({"sheets/sample.yaml": sheet})
    _, problems = load_sheets(load_config(root), [root / "sheets" / "sample.yaml"])
    [problem] = problems
    assert problem.location.field == path and problem.location.line > 0
    assert problem.message.startswith("raw HTML is not allowed")


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                  "javascript&colon;alert(1)", "data:text/html,<b>x</b>",
                                  "vbscript:x", "http://example.org", "//evil.example/x",
                                  "file:///etc/passwd"])
def test_a_link_that_is_not_https_mailto_or_tel_is_refused(project, link):
    sheet = skeleton().replace("A sign that a child may need help.",
                               json.dumps(f"[Click]({link})"))
    root = project({"sheets/sample.yaml": sheet})
    _, problems = load_sheets(load_config(root), [root / "sheets" / "sample.yaml"])
    [problem] = problems
    assert problem.location.field == "warning_signs[0]"
    assert "is not allowed" in problem.message


def test_a_caption_with_markup_is_refused(project):
    sheet = hostile_sheet("sample", "Chart", "<b onclick=alert(1)>x</b>")
    root = project({"sheets/sample.yaml": sheet, "sheets/figures/chart.svg": SVG})
    _, problems = load_sheets(load_config(root), [root / "sheets" / "sample.yaml"])
    assert {p.location.field for p in problems} == {
        "sections[0].body", "tips.parents[0]", "warning_signs[0]", "glossary[0].definition",
        "contacts[0].description", "figures[0].caption"}


# --- translations -----------------------------------------------------------------------------





@pytest.fixture
def translated(project, runner):
    """A project with a published sheet and its French catalog, ready to be translated."""
    root = project({"sheets/sample.yaml": skeleton().replace("status: draft",
                                                               "status: published")})
    assert runner("i18n", "extract", "--project", str(root)).exit_code == 0
    assert runner("i18n", "update", "--project", str(root)).exit_code == 0
    return root


BODY = "sample|sections/what-it-is/body"
BAD_TRANSLATIONS = [
    ("sample|title", "<script>alert(1)</script>", "raw HTML is not allowed"),
    ("sample|title", "Titre<img src=x onerror=alert(1)>", "raw HTML is not allowed"),
    ("sample|tips/parents", "Parlez [ici](javascript:alert(1)).", "link target 'javascript:"),
    ("sample|tips/parents", "Parlez [ici](https://evil.example).",
     "link targets differ from the source: expected none"),
    ("sample|warning_signs", "Un [signe]{lang=\"fr onclick=alert(1)\"}.",
     "is not a language tag"),
    ("sample|slug", "../../x", "a slug may hold only lower-case letters"),
    ("sample|slug", "x\n", "a slug may hold only lower-case letters"),
    ("sample|slug", "fiche\u200b", "a slug may hold only lower-case letters"),
    ("sample|slug", "x" * 61, "at most 60"),
    ("sample|slug", "index", "the slug 'index' is reserved"),
    ("sample|slug", "fact-sheets-fr", "the slug 'fact-sheets-fr' is reserved"),
    ("sample|contacts/emergency/description", "Appelez\r le 911.", "character U+000D"),
    ("sample|glossary/term", "Terme\x1b[2J", "character U+001B"),
    ("sample|glossary/term", "Terme\x00", "character U+0000"),
]


@pytest.mark.parametrize("context, msgstr, message", BAD_TRANSLATIONS)
def test_a_hostile_translation_falls_back_with_a_located_warning(translated, context, msgstr,
                                                                 message):
    po = translated / "locales" / "fr" / "LC_MESSAGES" / "sample.po"
    translate_entry(po, context, msgstr)
    config = load_config(translated)
    problems: list[Problem] = []
    loaded = load_sheet(config, config.sheets_dir / "sample.yaml")
    edition = load_edition(config, loaded, "fr", problems)
    assert context in {m.context for m in edition.fallbacks}
    [problem] = problems
    line = po.read_text(encoding="utf-8").splitlines().index(f'msgctxt "{context}"') + 2
    assert problem.location.prefix() == f"locales/fr/LC_MESSAGES/sample.po:{line}:1"
    assert message in problem.message
    assert edition.slug == "sample" or context != "sample|slug"


def test_hostile_translations_write_nothing_outside_dist(translated, runner):
    po = translated / "locales" / "fr" / "LC_MESSAGES" / "sample.po"
    for context, msgstr in [("sample|slug", "../../../x"), ("sample|title", PAYLOAD),
                            (BODY, "[x](javascript:alert(1))"),
                            ("sample|contacts/emergency/description", "<svg onload=alert(1)>")]:
        translate_entry(po, context, msgstr)
    outside = translated.parent
    before = {p for p in outside.rglob("*") if "dist" not in p.relative_to(outside).parts}
    result = runner("build", "--project", str(translated), "--allow-incomplete", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert "raw HTML is not allowed" in result.stderr
    after = {p for p in outside.rglob("*") if "dist" not in p.relative_to(outside).parts}
    assert after == before
    dist = translated / "dist"
    assert (dist / "fr" / "sample.html").is_file()
    assert not any(p.stem == "x" for p in dist.rglob("*"))
    for page in dist.rglob("*.html"):
        assert unsafe_parts(page.read_text(encoding="utf-8")) == [], page


def test_hostile_ui_translation_is_dropped_and_escaped(translated, runner):
    ui = translated / "locales" / "fr" / "LC_MESSAGES" / "ui.po"
    text = ui.read_text(encoding="utf-8").replace(
        'msgid "Glossary"\nmsgstr ""', 'msgid "Glossary"\nmsgstr "<script>alert(1)</script>"')
    ui.write_text(text, encoding="utf-8")
    result = runner("build", "--project", str(translated), "--allow-incomplete", "--no-pdf")
    assert "HTML in the translation differs from the source's" in result.stderr
    page = (translated / "dist" / "fr" / "sample.html").read_text(encoding="utf-8")
    assert unsafe_parts(page) == []
    assert "alert(1)" not in page


def test_ten_megabyte_catalog_is_refused_and_the_limit_can_be_raised(translated, runner):
    po = translated / "locales" / "fr" / "LC_MESSAGES" / "sample.po"
    with po.open("a", encoding="utf-8") as handle:
        handle.write(("# " + "x" * 1022 + "\n") * 10 * 1024)
    size = po.stat().st_size
    result = runner("build", "--project", str(translated), "--allow-incomplete", "--no-pdf")
    assert result.exit_code == 1
    assert (f"locales/fr/LC_MESSAGES/sample.po: file is {size:,} bytes, over the limit of "
            "5,000,000 (raise limits.catalog_bytes if this is intended)") in result.stderr
    assert not (translated / "dist" / "fr" / "sample.html").exists()
    assert "sample.html" not in (translated / "dist" / "en" / "index.html").read_text()
    (translated / "factsheets.toml").write_text("[limits]\ncatalog_bytes = 20_000_000\n")
    result = runner("build", "--project", str(translated), "--allow-incomplete", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert (translated / "dist" / "fr" / "sample.html").exists()


@pytest.mark.parametrize("path", sorted((DATA / "hostile" / "po").glob("*.po")),
                         ids=lambda p: p.name)
def test_hostile_catalog_gets_its_located_message(path):
    expected = path.read_bytes().splitlines()[0].decode().removeprefix("# expect: ")
    with pytest.raises(CatalogError) as caught:
        read_catalog(Config(root=path.parent), path, "fr")
    assert str(caught.value) == expected


def test_a_catalog_in_utf16_is_refused(tmp_path):
    po = tmp_path / "sample.po"
    po.write_bytes('msgid ""\nmsgstr ""\n"Language: fr\\n"\n'.encode("utf-16"))
    with pytest.raises(CatalogError, match=r"^sample.po:1:1: byte 0xff is not valid UTF-8"):
        read_catalog(Config(root=tmp_path), po, "fr")


def test_a_long_translation_is_refused_and_the_limit_can_be_raised(translated, runner):
    po = translated / "locales" / "fr" / "LC_MESSAGES" / "sample.po"
    translate_entry(po, "sample|title", "Titre " + "x" * 6000)
    line = po.read_text(encoding="utf-8").splitlines().index('msgctxt "sample|title"') + 2
    result = runner("build", "--project", str(translated), "--allow-incomplete", "--no-pdf")
    assert result.exit_code == 1
    assert (f"locales/fr/LC_MESSAGES/sample.po:{line}:1: sample|title: a translation is 6,006 "
            "characters, over the limit of 5,000 (raise limits.string_chars if this is "
            "intended)") in result.stderr
    (translated / "factsheets.toml").write_text("[limits]\nstring_chars = 7000\n")
    result = runner("build", "--project", str(translated), "--allow-incomplete", "--no-pdf")
    assert result.exit_code == 0, result.output


# --- property: no rendered page ever holds a script, an event attribute or javascript: ---------

FRAGMENTS = ["<script>", "</script>", "<img src=x onerror=alert(1)>", "onerror=", "onload=",
             "javascript:", "JavaScript:alert(1)", "[x](javascript:alert(1))", "[x](https://a.ca)",
             "[y](https://a.ca/\"onclick=\")", "{lang=fr}", "{lang=\"fr onclick=x\"}", "[mot]",
             "«", "»", " : ", "*", "**", "_", "`", "\\", "&", "&lt;", "&#106;", "<", ">", "\"",
             "'", "<a href='javascript:x'>", "<svg/onload=x>", "url(http://127.0.0.1:9/x)",
             "<style>", "![i](https://a.ca/i.png)", "<https://a.ca>", "<!--", "-->", "\n", " ",
             "mailto:x@a.ca", "tel:911", "data:text/html,x", "&#x6a;avascript:"]
PLAIN = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=5)
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), PLAIN), max_size=12).map("".join)
PAGES: list[tuple[Config, dict[str, Environment]]] = []


@settings(max_examples=300, deadline=None)
@given(text=texts, lang=st.sampled_from(["en", "fr"]))
def test_render_inline_never_emits_active_content(text, lang):
    html = render_inline(text, lang)
    assert unsafe_parts(f"<html><body><p>{html}</p></body></html>") == []


@settings(max_examples=60, deadline=None)
@given(text=texts, inline=texts, translation=texts)
def test_no_sheet_or_translation_renders_active_content(tmp_path_factory, text, inline,
                                                        translation):
    config, environments = _page_project(tmp_path_factory)
    sheet = Sheet.model_validate(_sheet_data(text.strip() or "x", inline))
    french = localize(sheet, lambda m: _translate(m, translation.strip()))
    english = source_edition(sheet)
    entry = SheetEntry({"en": english, "fr": Edition(french, "fr", "sample", ())},
                  source="sheets/sample.yaml")
    site = Site(config, [entry], {}, {})
    for lang, env in environments.items():
        assert unsafe_parts(render_sheet(env, site, entry, lang)) == []


def _page_project(factory) -> tuple[Config, dict[str, Environment]]:
    """One project (the real templates) and its page environments, shared by every example."""
    if not PAGES:
        root = factory.mktemp("pages")
        (root / "templates").symlink_to(ROOT / "templates")
        config = load_config(root)
        PAGES.append((config, {lang: make_environment(config, lang, NullTranslations())
                               for lang in ("en", "fr")}))
    return PAGES[0]


def _sheet_data(text: str, inline: str) -> dict:
    """A sheet whose plain fields hold `text` and Markdown fields `inline` (when it is valid)."""
    try:
        check_inline(inline)
        markdown = inline.strip().replace("\n", " ") or "x"
    except ValueError:
        markdown = "x"
    return {"id": "sample", "status": "published", "language": "en", "title": text,
            "subtitle": text, "summary": text, "audiences": ["parents"],
            "first_published": "2026-01-01", "last_reviewed": "2026-01-02",
            "keywords": [text], "sections": [{"id": "s", "heading": text,
                                              "body": "Note: " + markdown}],
            "tips": {"parents": [markdown]}, "warning_signs": [markdown],
            "glossary": [{"term": text, "definition": markdown}],
            "contacts": [{"id": "c", "name": text, "description": markdown, "phone": "911",
                          "url": "https://a.ca/c"}],
            "references": [{"title": text, "publisher": text, "url": "https://a.ca/x"}]}


def _translate(message: Message, translation: str) -> Text:
    """A catalog answer as the build takes it: used if it passes the checks, else the source."""
    if translation and not check_translation(message.context, message.text, translation):
        return Text(translation, "fr")
    return Text(message.text, "en")


@pytest.mark.parametrize("title", ['A\r} body { background: url(http://127.0.0.1:9/x) } p { x: "',
                                   'A\f}\n} @import "http://127.0.0.1:9/x.css"; p {',
                                   'Quote " and \\ and \x00 NUL'])
def test_a_title_stays_inside_its_css_string_in_the_pdf_footer(title):
    import tinycss2

    from factsheets.pdf.jobs import css_string

    css = "@page { @bottom-left { content: " + css_string(title) + "; } }"
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True)
    assert [r.type for r in rules] == ["at-rule"]
    strings = [t.value for t in tinycss2.parse_component_value_list(css_string(title))
               if t.type == "string"]
    assert strings == [title.replace("\x00", "\ufffd")]
