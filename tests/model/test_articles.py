"""Pages and news items: validated with located errors, translated through catalogs, built."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import skeleton
from factsheets.build.site import build_site
from factsheets.config import load_config
from htmlscan import parse

ABOUT = ("id: about\nlanguage: en\ntitle: About us\n"
         "body: |\n  We write sheets.\n\n  ### Why\n\n  To help.\n")
NEWS = ("id: 2026-11-30-launch\nlanguage: en\ndate: 2026-11-30\ntitle: The series is online\n"
        "link: alpha\nbody: |\n  Four sheets are now online.\n")


def _sheet(slug: str) -> str:
    return skeleton(slug).replace("status: draft", "status: published")


def test_a_bad_page_or_news_item_gets_located_errors(project, runner):
    root = project({"sheets/alpha.yaml": _sheet("alpha"),
                    "pages/about.yaml": ABOUT.replace("title: About us\n", "titel: About\n"),
                    "news/2026-11-30-launch.yaml": NEWS.replace("date: 2026-11-30",
                                                                "date: 2026-12-01"),
                    "news/launch.yaml": NEWS.replace("2026-11-30-launch", "launch"),
                    "pages/index.yaml": ABOUT.replace("id: about", "id: index")})
    result = runner("validate", "--project", str(root))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith("pages/about.yaml:3:1:") and "unknown field 'titel'" in line
               for line in lines), lines
    assert any(line.startswith("news/2026-11-30-launch.yaml:3:") and "file name" in line
               for line in lines), lines
    assert any(line.startswith("news/launch.yaml:1:") and "date and a slug" in line
               for line in lines), lines
    assert any(line.startswith("pages/index.yaml:1:") and "site's own pages" in line
               for line in lines), lines
    assert "Traceback" not in result.output


def test_pages_and_news_go_through_extract_and_update_like_sheets(project, runner):
    root = project({"sheets/alpha.yaml": _sheet("alpha"), "pages/about.yaml": ABOUT,
                    "news/2026-11-30-launch.yaml": NEWS})
    assert runner("i18n", "extract", "--project", str(root)).exit_code == 0
    assert runner("i18n", "update", "--project", str(root)).exit_code == 0
    pot = (root / "locales" / "about.pot").read_text(encoding="utf-8")
    assert 'msgctxt "about|title"\nmsgid "About us"' in pot
    assert 'msgctxt "about|body"\nmsgid "Why"' in pot
    assert (root / "locales/fr/LC_MESSAGES/2026-11-30-launch.po").is_file()
    stats = runner("i18n", "stats", "--project", str(root))
    assert "about" in stats.stdout and "2026-11-30-launch" in stats.stdout


def test_pages_are_built_and_linked_from_every_footer_and_news_reach_whats_new(project):
    draft = NEWS.replace("2026-11-30", "2026-12-01").replace("title: The series",
                                                             "status: draft\ntitle: Hidden")
    root = project({"sheets/alpha.yaml": _sheet("alpha"), "pages/about.yaml": ABOUT,
                    "news/2026-11-30-launch.yaml": NEWS, "news/2026-12-01-launch.yaml": draft})
    report = build_site(load_config(root), allow_incomplete=True)
    assert not report.failed, report.problems
    dist = root / "dist"
    about = parse((dist / "en/about.html").read_text(encoding="utf-8"))
    assert about.find("h1").text == "About us"
    assert [h.text for h in about.find("main").iter("h2")] == ["Why"]
    for relpath in ("en/index.html", "en/alpha.html", "fr/whats-new.html"):
        footer = parse((dist / relpath).read_text(encoding="utf-8")).find("footer")
        assert "about.html" in [a.attrs["href"] for a in footer.iter("a")], relpath
    news = parse((dist / "en/whats-new.html").read_text(encoding="utf-8"))
    item = news.find("li", id="2026-11-30-launch")
    assert item.find("strong").text == "News:" and "Four sheets" in item.text
    assert item.find("a").attrs["href"] == "alpha.html"
    assert "Hidden" not in news.text and not any(dist.rglob("*2026-12-01*"))
    feed = ET.parse(dist / "en/feed.xml").getroot()
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title")
              for e in feed.iter("{http://www.w3.org/2005/Atom}entry")]
    assert titles[0] == "News: The series is online"
