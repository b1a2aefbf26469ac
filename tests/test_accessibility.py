"""The built site in a real browser and the Nu Html Checker: axe-core, reflow, links, toggles."""

from __future__ import annotations

import functools
import json
import os
import posixpath
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import CHROMIUM, NODE_MODULES, ROOT, require_tools, skeleton
from factsheets.build.site import build_site
from factsheets.config import Config, load_config
from factsheets.model.figuretext import MIN_SCREEN_PX, smallest_text_px
from htmlscan import Element, parse

pytestmark = [pytest.mark.browser, pytest.mark.slow]  # the session build renders every PDF

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AUDIT = Path(__file__).parent / "browser" / "audit.mjs"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@dataclass(frozen=True)
class Built:
    """The sites built for this session, under one folder served over HTTP."""

    root: Path
    dists: tuple[Path, ...]

    def pages(self) -> list[Path]:
        return sorted(p for dist in self.dists for p in dist.rglob("*.html"))


def _project(root: Path, files: dict[str, str]) -> Path:
    (root / "sheets").mkdir(parents=True)
    shutil.copytree(ROOT / "templates", root / "templates")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def built(shipped_build: Config) -> Built:
    """The session's build of the shipped project (conftest: PDFs, fallbacks shown, one sheet
    unavailable) and, beside it, a strict small site built without fallbacks or PDFs."""
    base = shipped_build.root.parent
    sample = skeleton("sample").replace("status: draft", "status: published")
    strict = _project(base / "strict", {"sheets/sample.yaml": sample, "factsheets.toml":
                                        'base_url = "https://sheets.test/strict/dist/"\n'})
    report = build_site(load_config(strict))
    assert not report.failed, report.problems
    return Built(base, (shipped_build.output_dir, strict / "dist"))


@pytest.fixture(scope="session")
def server(built: Built) -> Iterator[str]:
    """Serve the built sites from 127.0.0.1 on a free port."""
    handler = functools.partial(_QuietHandler, directory=str(built.root))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the sites' folder; an address not found there is looked up in the shipped site,
    which is published at the root of its base_url (its 404 pages' `<base href="/en/">`)."""

    def translate_path(self, path: str) -> str:
        found = super().translate_path(path)
        if os.path.exists(found):
            return found
        return super().translate_path("/full/dist" + path)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def audit(built: Built, server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Run axe-core and the browser checks on every page, in one Chromium."""
    require_tools(browser=True)
    urls = {server + p.relative_to(built.root).as_posix(): p for p in built.pages()}
    job = {"nodeModules": str(NODE_MODULES), "chromium": str(CHROMIUM), "base": server,
           "tags": AXE_TAGS, "pages": list(urls), "screenshots": _screenshots(server, built)}
    job_file = tmp_path_factory.mktemp("audit") / "job.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    run = subprocess.run(["node", str(AUDIT), str(job_file)], capture_output=True, text=True,
                         timeout=900, check=False)
    assert run.returncode == 0, run.stderr
    return {r["url"].removeprefix(server): r for r in json.loads(run.stdout)["pages"]}


def _screenshots(server: str, built: Built) -> list[dict[str, object]]:
    """Screenshots to look at, when FACTSHEETS_SCREENSHOTS names a folder."""
    folder = os.environ.get("FACTSHEETS_SCREENSHOTS")
    english = built.root / "full" / "dist" / "en" / "webcams.html"
    if not folder or not english.is_file():
        return []
    Path(folder).mkdir(parents=True, exist_ok=True)
    toggle = parse(english.read_text()).find("nav", class_="lang-toggle").find("a")
    french = (english.parent / toggle.attrs["href"]).resolve()
    shots = []
    for page in (english, french, built.root / "full" / "dist" / "index.html",
                 built.root / "strict" / "dist" / "fr" / "sample.html"):
        relpath = page.relative_to(built.root).as_posix()
        for width in (1280, 320):
            for scheme in ("light", "dark"):
                name = relpath.replace("/", "_").removesuffix(".html")
                shots.append({"url": server + relpath, "width": width, "scheme": scheme,
                              "file": f"{folder}/{name}-{width}-{scheme}.png"})
    return shots


def test_every_page_has_zero_axe_violations_in_both_colour_schemes(audit):
    found = [f"{url} [{scheme}] {v['id']}: {v['help']} {v['nodes']}"
             for url, result in audit.items()
             for scheme, violations in result["violations"].items() for v in violations]
    assert found == []
    assert len(audit) >= 10


def test_text_contrast_meets_aaa_in_both_colour_schemes(audit):
    found = [f"{url} [{scheme}] {v['nodes']}" for url, result in audit.items()
             for scheme, violations in result["aaa"].items() for v in violations]
    assert found == []


def test_focused_controls_keep_their_text_contrast_in_both_colour_schemes(audit):
    """axe measures controls unfocused; a focused button once fell to 2.05:1 (1.55:1 dark)."""
    low = [f"{url} [{scheme}] {c['text']!r} {c['ratio']}:1" for url, result in audit.items()
           for scheme, controls in result["focusContrast"].items() for c in controls
           if c["ratio"] < 4.5]
    assert low == []
    assert all(result["focusContrast"]["dark"] for result in audit.values())


def test_pages_reflow_at_320_px_without_horizontal_scrolling(audit):
    assert {url: r["scrollWidth"] for url, r in audit.items() if r["scrollWidth"] > 320} == {}


def test_figure_text_shows_at_least_9_px_on_a_320_px_phone(audit, built):
    """Measured: each SVG figure's width as Chromium lays the page out 320 px wide, times its
    smallest text's share of the figure (`factsheets check` estimates the same from CSS)."""
    shown = [(url, figure) for url, result in audit.items() for figure in result["figures"]
             if urlsplit(figure["src"]).path.endswith(".svg")]
    sizes = {}
    for url, figure in shown:
        served = built.root / unquote(urlsplit(figure["src"]).path).lstrip("/")
        path = served if served.is_file() else built.root / "full" / "dist" / served.relative_to(
            built.root)
        sizes[(url, path.name)] = smallest_text_px(path.read_bytes(), figure["width"])
    assert len({name for _, name in sizes}) >= 5  # every shipped figure is looked at
    small = {key: round(px, 1) for key, px in sizes.items()
             if px is not None and px < MIN_SCREEN_PX - 0.05}
    assert small == {}


def test_phone_numbers_never_wrap(audit):
    assert {url: r["wrappedPhones"] for url, r in audit.items() if r["wrappedPhones"]} == {}
    assert any(r["wrappedPhones"] == [] for r in audit.values())


def test_body_text_is_large_with_short_lines(audit):
    for url, result in audit.items():
        assert result["reading"]["minFontPx"] >= 16, url
        assert result["reading"]["maxCharsPerLine"] <= 80, url


def test_keyboard_focus_is_visible_and_reaches_the_skip_link_first(audit):
    for url, result in audit.items():
        focus = result["focus"]
        assert focus["skipLink"], url
        assert focus["outline"] != "none" and focus["width"] >= 2 and focus["visible"], url


def test_fonts_ship_with_the_site_and_nothing_is_fetched_from_the_web(audit):
    assert {url: r["external"] for url, r in audit.items() if r["external"]} == {}
    assert [url for url, r in audit.items() if "Atkinson Hyperlegible" not in r["fonts"]] == []


def test_reduced_motion_and_print_styles_apply(audit):
    for url, result in audit.items():
        assert result["reducedMotionScroll"] == "auto", url
        assert result["printHidden"], url


def test_every_page_passes_the_nu_html_checker(built):
    require_tools(java=True)
    files = [str(p) for p in built.pages()] + [str(d / "assets" / "site.css")
                                               for d in built.dists]
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                          "--also-check-css", *files], capture_output=True, text=True,
                         timeout=300, check=False)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    assert [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages] == []


# Links, toggles and alternates are checked on the built files: no browser needed.


def _parsed(built: Built) -> dict[Path, Element]:
    return {p: parse(p.read_text(encoding="utf-8")) for p in built.pages()}


def _dist_of(path: Path, built: Built) -> Path:
    return next(d for d in built.dists if path.is_relative_to(d))


def _target(page: Path, href: str, built: Built) -> tuple[Path, str] | None:
    """The file and fragment an internal link points to (None for external links)."""
    dist = _dist_of(page, built)
    base = load_config(dist.parent).base_url
    if href.startswith(base):
        href = posixpath.relpath(href.removeprefix(base),
                                 page.parent.relative_to(dist).as_posix() or ".")
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    path = (page.parent / unquote(parts.path)).resolve() if parts.path else page
    return path, parts.fragment


def test_no_internal_link_is_broken(built):
    pages = _parsed(built)
    broken = []
    for page, tree in pages.items():
        for element in tree.iter():
            if element.tag == "base":  # where links start from, not a link (404 pages)
                continue
            href = element.attrs.get("href") or element.attrs.get("src")
            target = _target(page, href, built) if href else None
            if target is None:
                continue
            path, fragment = target
            ok = path.is_file() and (not fragment or path.suffix != ".html"
                                     or (pages.get(path) or parse(path.read_text())).iter(
                                         id=fragment))
            if not ok:
                broken.append(f"{page}: {href}")
    assert broken == []
    assert any(p.suffix == ".pdf" for d in built.dists for p in d.rglob("*.pdf"))


def test_language_toggles_lead_to_the_counterpart_and_back(built):
    pages = _parsed(built)
    checked = 0
    for page, tree in pages.items():
        toggles = tree.iter("nav", class_="lang-toggle")
        for link in toggles[0].iter("a") if toggles else []:
            target, _ = _target(page, link.attrs["href"], built)
            other = pages[target]
            assert other.find("html").attrs["lang"] == link.attrs["hreflang"] == link.lang
            back = other.find("nav", class_="lang-toggle").find("a")
            assert _target(target, back.attrs["href"], built)[0] == page
            checked += 1
    assert checked >= 10


def test_hreflang_alternates_are_symmetric(built):
    pages = _parsed(built)
    for page, tree in pages.items():
        alternates = {e.attrs["hreflang"]: _target(page, e.attrs["href"], built)[0]
                      for e in tree.iter("link", rel="alternate") if "hreflang" in e.attrs}
        if not alternates:
            continue
        assert alternates[tree.find("html").attrs["lang"]] == page
        for lang, target in alternates.items():
            theirs = {e.attrs["hreflang"]: _target(target, e.attrs["href"], built)[0]
                      for e in pages[target].iter("link", rel="alternate")
                      if "hreflang" in e.attrs}
            assert theirs == alternates, (page, lang)
