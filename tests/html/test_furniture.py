"""Site furniture in a built site: 404 pages, sitemap.xml, robots.txt, canonical links,
breadcrumbs with their structured data, the ISO "Date modified" and the report link."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import skeleton
from factsheets.build.site import build_site
from factsheets.config import load_config
from htmlscan import parse

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
TOML = ('base_url = "https://sheets.test/safety/"\n'
        'report_problem = "mailto:web@sheets.test?subject=Problem%20on%20{page}"\n')


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("furniture")
    shutil.copytree(Path(__file__).parents[2] / "templates", root / "templates")
    (root / "sheets").mkdir()
    (root / "sheets" / "alpha.yaml").write_text(
        skeleton("alpha").replace("status: draft", "status: published"), encoding="utf-8")
    (root / "sheets" / "beta.yaml").write_text(skeleton("beta"), encoding="utf-8")
    (root / "factsheets.toml").write_text(TOML, encoding="utf-8")
    report = build_site(load_config(root), allow_incomplete=True)
    assert not report.failed, report.problems
    return root / "dist"


def page(dist: Path, relpath: str):
    return parse((dist / relpath).read_text(encoding="utf-8"))


def test_each_language_and_the_root_have_a_404_page_whose_links_work_anywhere(dist):
    english = page(dist, "en/404.html")
    assert english.find("h1").text.startswith("We couldn’t find that Web page")
    assert english.find("base").attrs["href"] == "/safety/en/"
    assert english.find("main").find("a").attrs["href"] == "index.html"
    assert not english.iter("link", rel="canonical")
    root = page(dist, "404.html")
    assert root.find("base").attrs["href"] == "/safety/"
    parts = root.iter("div", class_="not-found-part")
    assert [(p.attrs["lang"], p.find("a").attrs["href"]) for p in parts] == [
        ("en-CA", "en/index.html"), ("fr-CA", "fr/index.html")]


def test_sitemap_pairs_every_published_page_with_its_other_language(dist):
    urls = ET.parse(dist / "sitemap.xml").getroot().findall(f"{SITEMAP}url")
    pairs = {u.findtext(f"{SITEMAP}loc"): {x.get("hreflang"): x.get("href")
                                          for x in u.findall(f"{XHTML}link")} for u in urls}
    assert pairs["https://sheets.test/safety/en/alpha.html"] == {
        "en-CA": "https://sheets.test/safety/en/alpha.html",
        "fr-CA": "https://sheets.test/safety/fr/alpha.html"}
    assert "https://sheets.test/safety/fr/index.html" in pairs
    assert not any("beta" in url or "404" in url for url in pairs)  # a draft, a 404: not listed
    robots = (dist / "robots.txt").read_text()
    assert "Sitemap: https://sheets.test/safety/sitemap.xml" in robots.splitlines()


def test_pages_have_canonical_links_breadcrumbs_and_structured_data(dist):
    sheet = page(dist, "fr/alpha.html")
    assert sheet.find("link", rel="canonical").attrs["href"] == (
        "https://sheets.test/safety/fr/alpha.html")
    nav = sheet.find("nav", class_="breadcrumbs")
    assert nav.attrs["aria-label"]
    links = [(a.text, a.attrs["href"]) for a in nav.iter("a")]
    assert [href for _, href in links] == ["../index.html", "index.html"]
    assert nav.find("span").attrs["aria-current"] == "page"
    data = json.loads(sheet.find("script").text)
    assert data["@type"] == "BreadcrumbList"
    assert [i["item"] for i in data["itemListElement"]] == [
        "https://sheets.test/safety/index.html", "https://sheets.test/safety/fr/index.html",
        "https://sheets.test/safety/fr/alpha.html"]
    assert data["itemListElement"][2]["name"] == "Alpha"


def test_date_modified_is_iso_and_the_report_link_names_the_page(dist):
    sheet = page(dist, "en/alpha.html")
    assert sheet.find("dl", class_="date-modified").find("time").text == "2026-11-28"
    report = [a for a in sheet.find("footer").iter("a") if "problem" in a.text]
    assert report[0].attrs["href"] == ("mailto:web@sheets.test?subject=Problem%20on%20"
                                       "https%3A%2F%2Fsheets.test%2Fsafety%2Fen%2Falpha.html")
