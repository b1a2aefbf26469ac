"""Building dist/: pages and assets, atomic writes, bad sheets reported, slugs, figures, feeds."""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import skeleton, translate_entry
from factsheets.build.site import build_site, write_atomic
from factsheets.config import load_config
from factsheets.html.site import PdfInfo, handout_key
from htmlscan import parse

ATOM = "{http://www.w3.org/2005/Atom}"


def published(slug: str, **changes: str) -> str:
    """A valid skeleton sheet, published, with some lines replaced."""
    text = skeleton(slug).replace("status: draft", "status: published")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    return text


def page(root: Path, relpath: str):
    return parse((root / "dist" / relpath).read_text(encoding="utf-8"))


def test_build_writes_every_page_feed_and_asset(project, runner):
    root = project({"sheets/alpha.yaml": published("alpha")})
    result = runner("build", "--project", str(root), "--no-pdf", "--allow-incomplete")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("built ")
    dist = root / "dist"
    for name in ("index.html", "en/index.html", "fr/index.html", "en/alpha.html",
                 "fr/alpha.html", "en/feed.xml", "fr/feed.xml", "assets/site.css",
                 "assets/fonts/AtkinsonHyperlegible-Regular.ttf", "assets/fonts/OFL.txt"):
        assert (dist / name).is_file(), name
    assert not list(dist.rglob("*.tmp"))


def test_incomplete_translation_is_withheld_with_a_page_that_says_so(project, runner):
    root = project({"sheets/alpha.yaml": published("alpha")})
    result = runner("build", "--project", str(root), "--no-pdf")
    assert result.exit_code == 0
    assert "alpha (fr) is not published" in result.stderr
    french = page(root, "fr/alpha.html")
    assert "not complete" in french.find("main").text
    assert french.find("main").find("a", hreflang="en-CA").attrs["href"] == "../en/alpha.html"
    assert "Not available" in page(root, "fr/index.html").find("ul", class_="sheet-list").text
    assert _feed_titles(root, "fr") == []
    assert _feed_titles(root, "en") == ["New: Alpha"]


def test_allow_incomplete_publishes_fallbacks_marked_as_english(project, runner):
    root = project({"sheets/alpha.yaml": published("alpha")})
    runner("build", "--project", str(root), "--no-pdf", "--allow-incomplete")
    french = page(root, "fr/alpha.html")
    assert french.find("html").attrs["lang"] == "fr-CA"
    assert french.find("h2", id="what-it-is").lang == "en-CA"
    assert french.find("p", class_="notice-fallback")


def test_a_bad_sheet_is_reported_and_the_others_are_built(project, runner):
    root = project({"sheets/alpha.yaml": published("alpha"),
                    "sheets/broken.yaml": published("broken", **{"title: Broken": "title: [x"})})
    result = runner("build", "--project", str(root), "--no-pdf", "--allow-incomplete")
    assert result.exit_code == 1
    assert result.stderr.startswith("sheets/broken.yaml:")
    assert "Traceback" not in result.output
    assert (root / "dist" / "en" / "alpha.html").is_file()
    assert not (root / "dist" / "en" / "broken.html").exists()
    links = [a.attrs["href"] for a in page(root, "en/index.html").iter("a")]
    assert "alpha.html" in links and "broken.html" not in links


def test_a_sheet_with_an_unreadable_catalog_is_reported_and_the_others_are_built(project):
    root = project({"sheets/alpha.yaml": published("alpha"),
                    "sheets/beta.yaml": published("beta"),
                    "locales/fr/LC_MESSAGES/beta.po": 'msgid "x"\nmsgstr "unterminated\n'})
    report = build_site(load_config(root), allow_incomplete=True)
    assert [p.location.path for p in report.problems if p.severity == "error"] == [
        "locales/fr/LC_MESSAGES/beta.po"]
    assert report.failed
    assert (root / "dist" / "fr" / "alpha.html").is_file()
    assert not (root / "dist" / "fr" / "beta.html").exists()


def test_translated_slug_and_title_come_from_the_catalog(project, runner):
    root = project({"sheets/alpha.yaml": published("alpha")})
    assert runner("i18n", "extract", "--project", str(root)).exit_code == 0
    assert runner("i18n", "update", "--project", str(root)).exit_code == 0
    po = root / "locales" / "fr" / "LC_MESSAGES" / "alpha.po"
    translate_entry(po, "alpha|slug", "alpha-fr")
    translate_entry(po, "alpha|title", "Alpha en français")
    runner("build", "--project", str(root), "--no-pdf", "--allow-incomplete")
    french = page(root, "fr/alpha-fr.html")
    assert french.find("h1").text == "Alpha en français" and french.find("h1").lang == "fr-CA"
    toggle = page(root, "en/alpha.html").find("nav", class_="lang-toggle").find("a")
    assert toggle.attrs["href"] == "../fr/alpha-fr.html"
    assert french.find("nav", class_="lang-toggle").find("a").attrs["href"] == "../en/alpha.html"


SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>{}</title></svg>'


def test_each_language_gets_its_own_figure_file(project):
    figure = ("figures:\n  - id: net\n    src: figures/net.svg\n    alt: A network.\n"
              "    after: what-it-is\n")
    root = project({"sheets/alpha.yaml": published("alpha", **{"figures: []\n": figure}),
                    "sheets/figures/net.svg": SVG.format("en"),
                    "sheets/figures/net.fr.svg": SVG.format("fr")})
    build_site(load_config(root), allow_incomplete=True)
    for lang, name in (("en", "net.svg"), ("fr", "net.fr.svg")):
        src = page(root, f"{lang}/alpha.html").find("figure").find("img").attrs["src"]
        assert src == f"../media/sheets/figures/{name}"
        assert (root / "dist" / lang / src).read_text() == SVG.format(lang)


def test_an_oversized_localized_figure_is_not_used(project):
    figure = ("figures:\n  - id: net\n    src: figures/net.svg\n    alt: A network.\n"
              "    after: what-it-is\n")
    root = project({"sheets/alpha.yaml": published("alpha", **{"figures: []\n": figure}),
                    "sheets/figures/net.svg": SVG.format("en"),
                    "sheets/figures/net.fr.svg": SVG.format("fr" * 100),
                    "factsheets.toml": "[limits]\nfigure_bytes = 200\n"})
    build_site(load_config(root), allow_incomplete=True)
    src = page(root, "fr/alpha.html").find("figure").find("img").attrs["src"]
    assert src == "../media/sheets/figures/net.svg"


def test_feed_lists_new_and_revised_sheets_newest_first(project):
    root = project({
        "sheets/alpha.yaml": published("alpha", **{"first_published: 2026-11-28":
                                                   "first_published: 2025-01-10"}),
        "sheets/beta.yaml": published("beta").replace("2026-11-28", "2026-12-01"),
        "sheets/gamma.yaml": skeleton("gamma"),
    })
    build_site(load_config(root), allow_incomplete=True)
    assert _feed_titles(root, "en") == ["New: Beta", "Revised: Alpha", "New: Alpha"]
    feed = ET.parse(root / "dist" / "en" / "feed.xml").getroot()
    links = [e.get("href") for e in feed.iter(f"{ATOM}link") if e.get("type") == "text/html"]
    assert "https://example.org/en/beta.html" in links
    assert links[0] == "https://example.org/en/whats-new.html"
    french = ET.parse(root / "dist" / "fr" / "feed.xml").getroot()
    assert french.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr-CA"
    title = french.find(f"{ATOM}entry/{ATOM}title")
    assert title.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-CA"


def _feed_titles(root: Path, lang: str) -> list[str]:
    feed = ET.parse(root / "dist" / lang / "feed.xml").getroot()
    return [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]


def test_index_links_the_pdf_with_its_facts(project):
    root = project({"sheets/alpha.yaml": published("alpha")})
    pdfs = {("alpha", "en"): PdfInfo("en/alpha.pdf", 3, 245_000, paper="a4")}
    build_site(load_config(root), allow_incomplete=True, pdfs=pdfs)
    link = page(root, "en/index.html").find("a", class_="pdf-link")
    assert link.attrs["href"] == "alpha.pdf"
    assert link.text == "Download the PDF version (PDF, A4, 3 pages, 245\u00a0kB)"
    assert page(root, "en/alpha.html").find("a", class_="pdf-link").attrs["href"] == "alpha.pdf"
    assert not page(root, "fr/index.html").iter("a", class_="pdf-link")


def test_missing_templates_is_a_clear_error(project, runner):
    root = project({"sheets/alpha.yaml": published("alpha")}, templates=False)
    result = runner("build", "--project", str(root))
    assert result.exit_code == 1
    assert "templates not found" in result.stderr


def test_atomic_write_replaces_whole_files_and_leaves_no_temporaries(tmp_path):
    target = tmp_path / "out" / "page.html"
    write_atomic(target, b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"new"
    assert os.listdir(target.parent) == ["page.html"]
    assert oct(target.stat().st_mode & 0o777) == "0o644"


@pytest.mark.slow
def test_a_draft_never_reaches_dist_and_the_review_build_stamps_it(project, runner):
    root = project({"sheets/alpha.yaml": published("alpha"),
                    "sheets/zulu.yaml": skeleton("zulu")})
    result = runner("build", "--project", str(root), "--allow-incomplete", "-j", "1")
    assert result.exit_code == 0, result.output
    dist = root / "dist"
    assert (dist / "en" / "alpha.pdf").is_file()
    for file in dist.rglob("*"):
        assert "zulu" not in file.name, file
        if file.is_file() and file.suffix in (".html", ".xml", ".pdf"):
            assert b"Zulu" not in file.read_bytes(), file
    result = runner("build", "--project", str(root), "--allow-incomplete", "-j", "1", "--drafts")
    assert result.exit_code == 0, result.output
    review = root / "dist-drafts"
    draft = parse((review / "en" / "zulu.html").read_text(encoding="utf-8"))
    assert "Draft:" in draft.find("p", class_="notice-draft").text
    listed = page(root, "../dist-drafts/en/index.html").find("ul", class_="sheet-list").text
    assert "Zulu" in listed and "Draft" in listed
    text = subprocess.run(["pdftotext", str(review / "en" / "zulu.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert text.count("DRAFT – not for publication") == text.count("\f") >= 1
    published_text = subprocess.run(["pdftotext", str(review / "en" / "alpha.pdf"), "-"],
                                    check=True, capture_output=True, text=True).stdout
    assert "DRAFT" not in published_text
    assert not (dist / "en" / "zulu.html").exists()


def test_a_sheet_sent_back_to_draft_is_removed_from_dist(project):
    root = project({"sheets/alpha.yaml": published("alpha")})
    build_site(load_config(root), allow_incomplete=True)
    assert (root / "dist" / "en" / "alpha.html").is_file()
    (root / "sheets" / "alpha.yaml").write_text(skeleton("alpha"), encoding="utf-8")
    report = build_site(load_config(root), allow_incomplete=True)
    assert "en/alpha.html" in report.removed
    assert not (root / "dist" / "en" / "alpha.html").exists()
    assert "alpha.html" not in (root / "dist" / "en" / "index.html").read_text()


def test_whats_new_page_lists_the_feeds_events_and_every_page_links_it(project):
    withdrawn = published("delta", **{"status: published": "status: unavailable\n"
                                      "unavailable_reason: Being checked against the new law."})
    root = project({
        "sheets/alpha.yaml": published("alpha", **{"first_published: 2026-11-28":
                                                   "first_published: 2025-01-10"}),
        "sheets/beta.yaml": published("beta").replace("2026-11-28", "2026-12-01"),
        "sheets/gamma.yaml": skeleton("gamma"),
        "sheets/delta.yaml": withdrawn.replace("2026-11-28", "2026-11-30"),
    })
    build_site(load_config(root), allow_incomplete=True)
    news = page(root, "en/whats-new.html")
    rows = [(li.find("time").text, li.find("strong").text, li.find("a").text)
            for li in news.find("ol", class_="events").iter("li")]
    assert rows == [("2026-12-01", "New:", "Beta"),
                    ("2026-11-30", "Not available at the moment:", "Delta"),
                    ("2026-11-28", "Revised:", "Alpha"), ("2025-01-10", "New:", "Alpha")]
    assert "Gamma" not in news.find("main").text  # a draft
    feed_link = news.find("main").find("a", type="application/atom+xml")
    assert feed_link.attrs["href"] == "feed.xml"
    assert "feed" in news.find("div", class_="feed-note").text
    assert len(_feed_titles(root, "en")) == len(rows)
    for relpath in ("en/index.html", "en/alpha.html", "en/whats-new.html"):
        header, footer = page(root, relpath).find("header"), page(root, relpath).find("footer")
        for part in (header, footer):
            hrefs = [a.attrs["href"] for a in part.iter("a")]
            assert "whats-new.html" in hrefs and "feed.xml" not in hrefs, relpath


def test_each_audience_has_a_page_of_tips_linked_from_the_index(project):
    root = project({"sheets/alpha.yaml": published("alpha"),
                    "sheets/beta.yaml": published("beta", **{
                        "audiences: [parents, educators, youth, law_enforcement]":
                        "audiences: [youth]",
                        "  parents:\n    - Talk with your child": "  youth:\n    - Talk with me"}),
                    "sheets/gamma.yaml": skeleton("gamma")})
    pdfs = {("alpha", "en"): PdfInfo("en/alpha.pdf", 2, 90_000),
            (handout_key("alpha", "parents"), "en"): PdfInfo("en/handouts/alpha-parents.pdf",
                                                             1, 40_000)}
    build_site(load_config(root), allow_incomplete=True, pdfs=pdfs)
    parents = page(root, "en/for-parents.html")
    handout = parents.find("main").find("a", class_="handout-link")
    assert handout.attrs["href"] == "handouts/alpha-parents.pdf"
    assert not page(root, "en/for-youth.html").find("main").iter("a", class_="handout-link")
    assert parents.find("h1").text == "For parents and caregivers"
    sections = parents.find("main").iter("section", class_="audience-sheet")
    assert [s.find("h2").text for s in sections] == ["Alpha"]  # beta is for youth; gamma a draft
    tips = [li.text for li in sections[0].find("ul").iter("li")]
    assert tips and all(tip in page(root, "en/alpha.html").find("main").text for tip in tips)
    links = [a.attrs["href"] for a in sections[0].find("ul", class_="sheet-links").iter("a")]
    assert links == ["alpha.html", "alpha.pdf"]
    youth = page(root, "en/for-youth.html").find("main")
    assert [h.text for h in youth.iter("h2") if h.attrs.get("id", "").startswith("sheet-")] == [
        "Alpha", "Beta"]
    nav = page(root, "en/index.html").find("nav", class_="audience-nav")
    assert [a.attrs["href"] for a in nav.iter("a")] == [
        "for-parents.html", "for-educators.html", "for-youth.html", "for-law-enforcement.html"]
    french = page(root, "fr/for-educators.html")
    assert french.find("html").attrs["lang"] == "fr-CA"
    assert french.find("link", rel="canonical").attrs["href"].endswith("fr/for-educators.html")
