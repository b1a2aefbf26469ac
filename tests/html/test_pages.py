"""Sheet, index, landing and feed pages: languages marked, structure, escaping, locale formats."""

from __future__ import annotations

import gettext
import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from conftest import skeleton
from factsheets.config import load_config
from factsheets.html.pages import (
    UiText,
    make_environment,
    render_index,
    render_landing,
    render_sheet,
    tel_href,
)
from factsheets.html.site import PdfInfo, SheetEntry, Site
from factsheets.i18n.fields import Edition, Message, Text, localize, source_edition
from factsheets.model.validate import load_sheet
from htmlscan import Element, parse

PSEUDO_OPEN, PSEUDO_CLOSE = "\u2039", "\u203a"


class Pseudo(gettext.NullTranslations):
    """A 'translation' that brackets every template string, to find strings outside gettext."""

    def gettext(self, message: str) -> str:
        return PSEUDO_OPEN + message + PSEUDO_CLOSE


def ui_catalog(lang: str, strings: dict[str, str]) -> Translations:
    """Real gettext translations of template strings, compiled in memory with Babel."""
    catalog = Catalog(locale=lang, domain="ui")
    for msgid, msgstr in strings.items():
        catalog.add(msgid, msgstr)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain="ui")


def french(sheet, translated: dict[str, str] | None = None) -> Edition:
    """A French edition: strings in `translated` (by source text) are French, the rest fall back."""
    translated = translated or {}
    fallbacks: list[Message] = []

    def tr(message: Message) -> Text:
        if message.text in translated:
            return Text(translated[message.text], "fr")
        fallbacks.append(message)
        return Text(message.text, sheet.language)

    return Edition(localize(sheet, tr), "fr", sheet.id, tuple(fallbacks))


@pytest.fixture
def sample(project):
    """A project with one skeleton sheet (extra YAML appended), loaded."""
    def make(extra: str = "", replace: dict[str, str] | None = None):
        text = skeleton("sample")
        for old, new in (replace or {}).items():
            assert old in text
            text = text.replace(old, new)
        root = project({"sheets/sample.yaml": text + extra})
        config = load_config(root)
        return config, load_sheet(config, root / "sheets" / "sample.yaml")
    return make


def render(config, editions: dict[str, Edition], lang: str, translations=None, **site_args):
    """Render one sheet page and parse it."""
    entry = SheetEntry(editions, site_args.pop("withheld", frozenset()))
    site = Site(config, [entry], site_args.pop("pdfs", {}), site_args.pop("figures", {}))
    env = make_environment(config, lang, translations or gettext.NullTranslations())
    return parse(render_sheet(env, site, entry, lang))


def both(loaded, translated=None) -> dict[str, Edition]:
    return {"en": source_edition(loaded.sheet), "fr": french(loaded.sheet, translated)}


def main_of(page: Element) -> Element:
    return page.find("main")


def test_french_page_marks_every_untranslated_string_english(sample):
    config, loaded = sample()
    page = render(config, both(loaded, {"Sample": "Exemple", "What it is": "Ce que c'est"}), "fr")
    assert page.find("html").attrs["lang"] == "fr-CA"
    assert page.find("h1").text == "Exemple" and page.find("h1").lang == "fr-CA"
    assert page.find("h2", id="what-it-is").lang == "fr-CA"
    items = [item.text for item in page.iter("li", lang="en-CA")]
    assert any(text.startswith("Lists start with") for text in items)
    assert "The first thing every reader should know." in items  # a key point
    term = page.find("dl", class_="glossary").find("dt")
    assert (term.text, term.lang) == ("Term", "en-CA")
    notice = main_of(page).find("p", class_="notice-fallback")
    assert "not yet translated" in notice.text


def test_source_page_has_no_fallback_notice_and_no_needless_lang(sample):
    config, loaded = sample()
    page = render(config, both(loaded), "en")
    main = main_of(page)
    assert not main.iter("p", class_="notice-fallback")
    marked = [e.text for e in main.iter() if "lang" in e.attrs]
    assert marked == ["sextorsion"]


def test_french_ui_strings_from_the_catalog_with_french_spacing(sample):
    config, loaded = sample()
    ui = ui_catalog("fr", {"Date modified:": "Date de modification :",
                           "Skip to main content": "Passer au contenu principal"})
    page = render(config, both(loaded), "fr", ui)
    modified = page.find("dl", class_="date-modified")
    assert modified.find("dt").text == "Date de modification\u00a0:"
    time = modified.find("time")
    assert (time.attrs["datetime"], time.text) == ("2026-11-28", "2026-11-28")  # Canada.ca form
    reviewed = page.find("dl", class_="facts").find("time")
    assert reviewed.text == "28 novembre 2026"
    skip = page.find("a", class_="skip-link")
    assert (skip.text, skip.lang, skip.attrs["href"]) == ("Passer au contenu principal",
                                                          "fr-CA", "#main")
    assert page.find("a", class_="skip-link").iter("span") == []


def test_untranslated_ui_string_is_marked_english_and_announced(sample):
    config, loaded = sample()
    translated = localize(loaded.sheet, lambda m: Text("(fr) " + m.text, "fr"))
    editions = {**both(loaded), "fr": Edition(translated, "fr", "sample", ())}
    page = render(config, editions, "fr", ui_catalog("fr", {"Glossary": "Glossaire"}))
    assert page.find("h2", id="glossary").text == "Glossaire"
    assert page.find("h2", id="glossary").lang == "fr-CA"
    tips = page.find("h2", id="tips")
    assert tips.find("span").attrs["lang"] == "en-CA"
    assert main_of(page).find("p", class_="notice-fallback")


def test_catalog_text_is_escaped_never_trusted_as_html(sample):
    config, _ = sample()
    catalog = ui_catalog("fr", {"Tips": "<script>alert(1)</script> & co"})
    ui = UiText("fr", config.languages, catalog)
    assert str(ui.gettext("Tips")) == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"


def test_sheet_text_is_escaped(sample):
    config, loaded = sample(replace={"title: Sample": "title: Fish & chips < 3 \"quoted\""})
    page = render(config, both(loaded), "en")
    assert page.find("h1").text == 'Fish & chips < 3 "quoted"'
    assert page.find("title").text.startswith('Fish & chips < 3 "quoted"')


def test_every_template_string_goes_through_gettext(sample):
    """With a pseudo-translation, no words are left outside it but dates, numbers and names."""
    config, loaded = sample()
    pseudo = localize(loaded.sheet, lambda m: Text(PSEUDO_OPEN + m.text + PSEUDO_CLOSE, "fr"))
    editions = {"en": source_edition(loaded.sheet), "fr": Edition(pseudo, "fr", "sample", ())}
    page = render(config, editions, "fr", Pseudo())
    text = _flow(page.find("body"))
    while True:
        shorter = re.sub(f"{PSEUDO_OPEN}[^{PSEUDO_OPEN}{PSEUDO_CLOSE}]*{PSEUDO_CLOSE}", "", text)
        if shorter == text:
            break
        text = shorter
    assert re.findall(r"[^\W\d_]+", text) == []


def _flow(element: Element) -> str:
    """The text of an element in reading order, leaving out dates, numbers, addresses and
    names that are data rather than template wording (references are not translated), and
    structured data (a script)."""
    if element.tag in ("time", "cite", "script") or element.attrs.get("hreflang") or any(
            element.has_class(c) for c in ("tel", "url", "references")):
        return " "
    return "".join(p if isinstance(p, str) else _flow(p) for p in element.parts)


def test_headings_one_h1_and_no_skipped_levels(sample):
    config, loaded = sample()
    page = render(config, both(loaded), "en")
    levels = [int(e.tag[1]) for e in page.iter() if re.fullmatch(r"h[1-6]", e.tag)]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_table_of_contents_only_for_more_than_three_sections(sample):
    sections = "".join(f"  - id: part-{i}\n    heading: Part {i}\n    body: Text {i}.\n"
                       for i in range(3))
    config, loaded = sample(replace={"sections:\n": "sections:\n" + sections})
    page = render(config, both(loaded), "en")
    toc = page.find("nav", class_="toc")
    links = [a.attrs["href"] for a in toc.iter("a")]
    assert links[:4] == ["#part-0", "#part-1", "#part-2", "#what-it-is"]
    assert "#glossary" in links and "#get-help" in links
    config, loaded = sample()
    assert not render(config, both(loaded), "en").iter("nav", class_="toc")


def test_language_toggle_and_alternates(sample):
    config, loaded = sample()
    editions = both(loaded)
    editions["fr"] = Edition(editions["fr"].sheet, "fr", "exemple", editions["fr"].fallbacks)
    page = render(config, editions, "en")
    toggle = page.find("nav", class_="lang-toggle").find("a")
    assert toggle.attrs == {"lang": "fr-CA", "hreflang": "fr-CA", "href": "../fr/exemple.html"}
    assert toggle.text == "Français"
    alternates = {e.attrs["hreflang"]: e.attrs["href"] for e in page.iter("link", rel="alternate")
                  if "hreflang" in e.attrs}
    assert alternates == {"en-CA": "https://example.org/en/sample.html",
                          "fr-CA": "https://example.org/fr/exemple.html"}
    landmarks = {e.tag for e in page.find("body").children}
    assert {"header", "main", "footer"} <= landmarks


def test_contacts_glossary_and_lists_use_their_elements(sample):
    extra = ("  - id: tipline\n    name: Cybertip.ca\n    description: Report online.\n"
             "    phone: 1-866-658-9022\n    url: https://www.cybertip.ca/en/\n")
    config, loaded = sample(replace={"contacts:\n": "contacts:\n" + extra})
    page = render(config, both(loaded), "en")
    phones = {a.text: a.attrs["href"] for a in page.iter("a", class_="tel")}
    assert phones == {"1-866-658-9022": "tel:+1-866-658-9022", "911": "tel:911"}
    assert page.find("a", href="https://www.cybertip.ca/en/").text == "cybertip.ca/en"
    glossary = page.find("dl", class_="glossary")
    assert [e.tag for e in glossary.find("div").children] == ["dt", "dd"]
    assert page.find("h2", id="warning-signs").parent.find("ul").find("li")


def test_tel_links():
    assert tel_href("1-800-668-6868") == "tel:+1-800-668-6868"
    assert tel_href("613 555 0199") == "tel:+1-613-555-0199"
    assert tel_href("911") == "tel:911"
    assert tel_href("686868") == "tel:686868"


def test_reference_in_another_language_is_marked(sample):
    ref = ("  - title: Pair-à-pair\n    publisher: Office québécois de la langue française\n"
           "    url: https://vitrinelinguistique.oqlf.gouv.qc.ca/\n    language: fr\n"
           "    accessed: 2026-11-28\n")
    config, loaded = sample(replace={"references:\n": "references:\n" + ref})
    page = render(config, both(loaded), "en")
    french_ref, english_ref = page.find("ol", class_="references").iter("li")
    assert french_ref.lang == "fr-CA" and english_ref.lang == "en-CA"
    accessed = french_ref.iter("span")[-1]
    assert accessed.lang == "en-CA" and accessed.text == "(accessed November 28, 2026)"


def test_french_page_cites_french_versions_and_marks_the_rest_english(sample):
    moved = ("  - title: Online child sexual exploitation\n    publisher: RCMP\n"
             "    url: https://www.rcmp-grc.gc.ca/en/page\n    accessed: 2026-12-02\n"
             "  - title: Criminal Code\n    publisher: Justice Laws Website\n"
             "    url: https://laws-lois.justice.gc.ca/eng/acts/c-46/\n"
             "    accessed: 2026-12-02\n")
    config, loaded = sample(replace={"references:\n": "references:\n" + moved})
    page = render(config, both(loaded, {
        "Online child sexual exploitation": "Cyberexploitation sexuelle d'enfants",
        "RCMP": "GRC", "https://www.rcmp-grc.gc.ca/en/page": "https://www.rcmp-grc.gc.ca/fr/page",
        "https://laws-lois.justice.gc.ca/eng/acts/c-46/":
            "https://laws-lois.justice.gc.ca/fra/lois/c-46/"}), "fr")
    in_french, title_kept, untranslated = page.find("ol", class_="references").iter("li")
    assert in_french.lang == "fr-CA" and "lang" not in in_french.attrs
    assert in_french.find("cite").text == "Cyberexploitation sexuelle d’enfants"
    assert in_french.find("a").attrs["href"] == "https://www.rcmp-grc.gc.ca/fr/page"
    # The page is French now, but the translator kept its title and publisher as written.
    assert "lang" not in title_kept.attrs
    assert title_kept.find("cite").lang == "en-CA"
    assert title_kept.find("span", lang="en-CA").text == "Justice Laws Website"
    # Nothing translated: the whole reference is English.
    assert untranslated.lang == "en-CA" and untranslated.find("cite").lang == "en-CA"


def test_reference_title_ending_in_a_question_mark_gets_no_extra_period(sample):
    config, loaded = sample(replace={"title: Title of the page or report":
                                     "title: What is sextortion?"})
    item = render(config, both(loaded), "en").find("ol", class_="references").find("li")
    assert "What is sextortion?. " not in item.text and "What is sextortion? Who" in item.text


def test_tips_headings_and_audience_list_are_whole_translated_strings(sample):
    config, loaded = sample(replace={"tips:\n  parents:\n":
                                     "tips:\n  youth: [A tip.]\n  parents:\n"})
    strings = {"For parents and caregivers": "Pour les parents et les adultes responsables",
               "For youth": "Pour les jeunes", "parents and caregivers":
               "parents et adultes responsables", "youth": "jeunes"}
    page = render(config, both(loaded), "fr", ui_catalog("fr", strings))
    headings = [h.text for h in page.find("section", **{"aria-labelledby": "tips"}).iter("h3")]
    assert headings == ["Pour les parents et les adultes responsables", "Pour les jeunes"]
    facts = page.find("dl", class_="facts").find("dd").text
    assert facts.startswith("parents et adultes responsables, ") and "jeunes" in facts


def test_unavailable_sheet_says_so_and_why(sample):
    config, loaded = sample(replace={"status: draft": "status: unavailable\n"
                                     "unavailable_reason: The help numbers are being checked."})
    page = render(config, both(loaded), "en")
    text = main_of(page).text
    assert "not available" in text and "The help numbers are being checked." in text
    assert not page.iter("h2", id="what-it-is")


def test_withheld_edition_points_to_the_published_one(sample):
    config, loaded = sample()
    page = render(config, both(loaded), "fr", withheld=frozenset({"fr"}))
    main = main_of(page)
    assert "not complete" in main.text
    link = main.find("a", hreflang="en-CA")
    assert link.attrs["href"] == "../en/sample.html"
    assert not page.iter("h2", id="what-it-is")


def test_figure_with_alt_caption_and_localized_file(sample):
    figure = ("figures:\n  - id: net\n    src: figures/net.svg\n    alt: Three computers.\n"
              "    caption: How files move.\n    after: what-it-is\n")
    config, loaded = sample(replace={"figures: []\n": figure})
    figures = {("sample", "net", "en"): "media/sheets/figures/net.svg",
               ("sample", "net", "fr"): "media/sheets/figures/net.fr.svg"}
    page = render(config, both(loaded), "fr", figures=figures)
    img = page.find("figure").find("img")
    assert img.attrs["src"] == "../media/sheets/figures/net.fr.svg"
    assert (img.attrs["alt"], img.lang) == ("Three computers.", "en-CA")
    assert page.find("figcaption").text == "How files move."


@pytest.fixture(autouse=True)
def figure_file(tmp_path: Path):
    """The skeleton's figure tests need the file under sheets/figures/."""
    path = tmp_path / "project" / "sheets" / "figures" / "net.svg"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>')


def test_index_lists_sheets_with_pdf_facts(sample):
    config, loaded = sample(replace={"status: draft": "status: published"})
    entry = SheetEntry(both(loaded))
    pdfs = {("sample", "fr"): PdfInfo("fr/sample.pdf", 4, 1_234_567)}
    site = Site(config, [entry], pdfs, {})
    page = parse(render_index(make_environment(config, "fr", gettext.NullTranslations()),
                              site, "fr"))
    item = page.find("ul", class_="sheet-list").find("li")
    assert item.find("a").attrs["href"] == "sample.html"
    pdf = item.find("a", class_="pdf-link")
    assert pdf.attrs["href"] == "sample.pdf"
    assert "4 pages" in pdf.text and "1,2\u00a0Mo" in pdf.text


def test_index_lists_sheets_alphabetically_in_each_language(sample):
    config, loaded = sample()
    entries = []
    for title, french_title in (("Zebra", "Écran"), ("Apple", "Pomme")):
        sheet = loaded.sheet.model_copy(update={"title": title})
        translated = french(sheet, {title: french_title})
        entries.append(SheetEntry({"en": source_edition(sheet), "fr": translated}))
    site = Site(config, entries, {}, {})
    for lang, expected in (("en", ["Apple", "Zebra"]), ("fr", ["Écran", "Pomme"])):
        env = make_environment(config, lang, gettext.NullTranslations())
        page = parse(render_index(env, site, lang))
        assert [h.text for h in page.find("ul", class_="sheet-list").iter("h2")] == expected


def test_landing_page_offers_both_languages_each_marked(sample):
    config, loaded = sample()
    site = Site(config, [SheetEntry(both(loaded))], {}, {})
    envs = {lang: make_environment(config, lang, gettext.NullTranslations())
            for lang in config.languages}
    page = parse(render_landing(envs, site))
    choices = page.iter("div", class_="landing-choice")
    assert [c.attrs["lang"] for c in choices] == ["en-CA", "fr-CA"]
    assert [c.find("a", class_="button").attrs["href"] for c in choices] == [
        "en/index.html", "fr/index.html"]
    assert [c.find("h2").text for c in choices] == ["English", "Français"]
    [h1] = page.iter("h1")
    assert [(s.text, s.lang) for s in h1.iter("span")] == [("Fact sheets", "en-CA")]


def test_plural_forms_follow_the_catalog_and_french_rules(sample):
    config, _ = sample()
    catalog = Catalog(locale="fr", domain="ui")
    catalog.add(("%(n)s page", "%(n)s pages"), ("%(n)s page", "%(n)s pages"))
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    ui = UiText("fr", config.languages, Translations(buffer, domain="ui"))
    assert ui.ngettext("%(n)s page", "%(n)s pages", 0) == "%(n)s page"
    assert ui.ngettext("%(n)s page", "%(n)s pages", 2) == "%(n)s pages"
    assert ui.ngettext("one tip", "%(n)s tips", 2) == '<span lang="en-CA">%(n)s tips</span>'


def test_phone_numbers_follow_each_language(project):
    config = load_config(project())
    french = make_environment(config, "fr", gettext.NullTranslations()).filters["phone"]
    english = make_environment(config, "en", gettext.NullTranslations()).filters["phone"]
    assert french("1-866-658-9022") == "1\u00a0866\u00a0658-9022"
    assert english("1-866-658-9022") == "1-866-658-9022"
    assert french("911") == "911"


def test_plain_fields_get_their_own_languages_typography():
    from factsheets.html.pages import plain

    assert plain(Text("L'heure : « oui »", "fr")) == "L\u2019heure\u00a0: «\u00a0oui\u00a0»"
    assert plain(Text("It's: yes", "en")) == "It's: yes"
