"""A safe build: no network, isolated failures, and a killed build leaves dist/ whole."""

from __future__ import annotations

import base64
import os
import random
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pikepdf
import pytest
from weasyprint import HTML

from conftest import PNG, skeleton, translate_entry
from factsheets.config import Config
from factsheets.pdf.fetcher import project_fetcher
from test_hostile_render import HOST, PAYLOAD, SVG, hostile_sheet, unsafe_parts

FIGURE = ("figures:\n  - id: chart\n    src: figures/{}\n    alt: A chart.\n"
          "    after: what-it-is\n")
ACTIVE_PDF_KEYS = ("/JS", "/JavaScript", "/AA", "/OpenAction", "/Launch", "/SubmitForm")


def published(slug: str, figure: str = "") -> str:
    text = skeleton(slug).replace("status: draft", "status: published")
    return text.replace("figures: []\n", FIGURE.format(figure)) if figure else text


def svg_with(inside: str) -> str:
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
            f'<rect width="40" height="40" fill="navy"/>{inside}</svg>')


def big_data_image() -> str:
    """An SVG figure validation accepts whose embedded image the PDF sandbox refuses.

    Its data: address is longer than the fetcher takes (fetcher.DATA_URL_CHARS), so the
    sheet's page is published and its PDF fails: the case the index must not link.
    """
    payload = base64.b64encode(PNG + b"\0" * 160_000).decode()
    return svg_with(f'<image href="data:image/png;base64,{payload}" width="9" height="9"/>')


def pdf_links(page: Path) -> list[str]:
    root = lxml.html.parse(str(page)).getroot()
    return [a.get("href") for a in root.iter("a") if a.get("href", "").endswith(".pdf")]


def assert_links_exist(dist: Path, lang: str) -> None:
    """Every PDF a language's index or sheet pages link is there."""
    for page in (dist / lang).glob("*.html"):
        for link in pdf_links(page):
            assert (page.parent / link).is_file(), f"{page.name} links {link}"


def active_pdf_parts(path: Path) -> list[str]:
    """Keys that make a PDF run something (JavaScript, launch, submit) found in any object."""
    found = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                found += [key for key in ACTIVE_PDF_KEYS if key in obj]
    return found


# --- nothing reaches the network --------------------------------------------------------------

REMOTE_CSS = {
    "import": '@import url("{url}/import.css");\n{css}',
    "font": '{css}\n@font-face {{ font-family: R; src: url("{url}/font.ttf"); }}\n'
            'h1 {{ font-family: R; }}\n',
    "background": '{css}\nh1 {{ background: url("{url}/bg.png"); }}\n',
    "template": "{css}",
}


@pytest.mark.slow
@pytest.mark.parametrize("case, refused", [("import", "import.css"), ("font", "font.ttf"),
                                           ("background", "bg.png"), ("template", "logo.png")])
def test_remote_urls_in_the_projects_css_and_templates_are_refused(project, runner, server,
                                                                   case, refused):
    url, hits = server
    root = project({"sheets/alpha.yaml": published("alpha")})
    css = root / "templates" / "print.css"
    css.write_text(REMOTE_CSS[case].format(url=url, css=css.read_text(encoding="utf-8")),
                   encoding="utf-8")
    if case == "template":
        base = root / "templates" / "base.html.j2"
        base.write_text(base.read_text(encoding="utf-8").replace(
            "<main", f'<img src="{url}/logo.png" alt=""><main', 1), encoding="utf-8")
    result = runner("build", "--project", str(root), "--allow-incomplete")
    assert hits == []
    assert result.exit_code == 1
    assert f"refused to fetch '{url}/{refused}': http addresses are never fetched" \
        in result.stderr
    assert "Traceback" not in result.output
    for lang in ("en", "fr"):
        assert not (root / "dist" / lang / "alpha.pdf").exists()
        assert_links_exist(root / "dist", lang)
        assert "alpha.pdf" not in pdf_links(root / "dist" / lang / "index.html")


@pytest.mark.slow
def test_hostile_text_in_every_field_reaches_neither_the_pdf_nor_the_network(
        project, runner, server):
    url, hits = server
    payload = PAYLOAD.replace(HOST, url)
    root = project({"sheets/sample.yaml": hostile_sheet("sample", payload, "Plain words."),
                    "sheets/figures/chart.svg": SVG})
    result = runner("build", "--project", str(root), "--allow-incomplete")
    assert result.exit_code == 0, result.output
    assert hits == []
    pdf = root / "dist" / "en" / "sample.pdf"
    assert active_pdf_parts(pdf) == []
    with pikepdf.open(pdf) as opened:
        assert str(opened.docinfo["/Title"]) == payload
        with opened.open_metadata() as xmp:
            assert xmp["dc:title"] == payload
    for page in (root / "dist").rglob("*.html"):
        assert unsafe_parts(page.read_text(encoding="utf-8")) == [], page


@pytest.mark.slow
def test_the_pdf_of_a_scripted_remote_svg_runs_nothing_and_fetches_nothing(tmp_path, server):
    """Behind validation, the PDF sandbox alone: the script is ignored, the image refused."""
    url, hits = server
    figures = tmp_path / "sheets" / "figures"
    figures.mkdir(parents=True)
    (figures / "x.svg").write_text(svg_with(
        f'<script>alert(1)</script><image href="{url}/x.png" width="9" height="9"/>'
        f'<a href="javascript:alert(1)"><text y="20">x</text></a>'), encoding="utf-8")
    fetcher = project_fetcher(Config(root=tmp_path), "sheets/x.yaml")
    html = '<html lang="en"><title>t</title><img src="figures/x.svg" alt="x"></html>'
    pdf = HTML(string=html, base_url=(tmp_path / "sheets" / "x.html").as_uri(),
               url_fetcher=fetcher).write_pdf()
    assert hits == []
    assert [p.message for p in fetcher.refusals] == [
        f"refused to fetch '{url}/x.png': http addresses are never fetched"]
    (tmp_path / "x.pdf").write_bytes(pdf)
    assert active_pdf_parts(tmp_path / "x.pdf") == []
    with pikepdf.open(tmp_path / "x.pdf") as opened:
        uris = [str(a.get("/A", {}).get("/URI", "")) for page in opened.pages
                for a in page.get("/Annots", [])]
    assert not any("javascript" in uri for uri in uris)


# --- isolation: one failure stops nothing else, and nothing links what failed -------------------

@pytest.mark.slow
def test_failures_are_isolated_reported_and_never_linked(project, runner, server):
    _, hits = server
    root = project({
        "sheets/alpha.yaml": published("alpha"),
        "sheets/beta.yaml": published("beta", "heavy.svg"),
        "sheets/figures/heavy.svg": big_data_image(),
        "sheets/gamma.yaml": published("gamma", "plain.svg"),
        "sheets/figures/plain.svg": svg_with(""),
        "sheets/delta.yaml": published("delta").replace("title: Delta", "title: [unclosed"),
    })
    result = runner("build", "--project", str(root), "--allow-incomplete")
    assert hits == []
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "sheets/delta.yaml:" in result.stderr
    assert "sheets/beta.yaml: refused to fetch 'data:image/png;base64," in result.stderr
    dist = root / "dist"
    for lang in ("en", "fr"):
        assert (dist / lang / "alpha.pdf").is_file() and (dist / lang / "gamma.pdf").is_file()
        assert not (dist / lang / "beta.pdf").exists(), (
            "a PDF was made although the sandbox refused one of its resources "
            "(a refused image cached and reused by a later document is not refused again)")
        assert (dist / lang / "beta.html").is_file()
        # Its handouts (no figure in them) are made and linked; its own PDF is not.
        assert [link for link in pdf_links(dist / lang / "beta.html")
                if not link.startswith("handouts/")] == []
        index = pdf_links(dist / lang / "index.html")
        assert "alpha.pdf" in index and "gamma.pdf" in index and "beta.pdf" not in index
        assert_links_exist(dist, lang)
        with pikepdf.open(dist / lang / f"fact-sheets-{lang}.pdf") as bundle, \
                bundle.open_outline() as outline:
            assert [item.title for item in outline.root][1:] == ["Alpha", "Gamma"]
    assert not (dist / "en" / "delta.html").exists()


@pytest.mark.parametrize("beta_slug", ["fiche", "alpha"], ids=["same-slug", "another-sheets-id"])
def test_two_editions_with_one_address_are_a_warning_not_a_lost_page(project, runner, beta_slug):
    root = project({"sheets/alpha.yaml": published("alpha"), "sheets/beta.yaml": published("beta")})
    assert runner("i18n", "extract", "--project", str(root)).exit_code == 0
    assert runner("i18n", "update", "--project", str(root)).exit_code == 0
    locales = root / "locales" / "fr" / "LC_MESSAGES"
    if beta_slug == "fiche":
        translate_entry(locales / "alpha.po", "alpha|slug", "fiche")
    translate_entry(locales / "beta.po", "beta|slug", beta_slug)
    result = runner("build", "--project", str(root), "--allow-incomplete", "--no-pdf")
    assert f"warning: beta|slug: the slug {beta_slug!r} gives the address fr/{beta_slug}.html" in (
        result.stderr)
    assert (root / "dist" / "fr" / "beta.html").is_file()


# --- SIGKILL at random points -------------------------------------------------------------------

def build_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "factsheets", "build", "--project", str(root),
            "--allow-incomplete"]


def start_build(root: Path) -> subprocess.Popen:
    """`factsheets build` in its own process group, so every worker it starts can be killed."""
    return subprocess.Popen(build_command(root), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


SERVED = (".html", ".pdf", ".xml", ".css", ".ttf", ".txt", ".svg", ".js", ".json", ".pagefind",
          ".pf_filter", ".pf_fragment", ".pf_index", ".pf_meta")
"""What dist/ serves: pages, PDFs, feeds, assets and the Pagefind search index."""


def whole(dist: Path) -> list[str]:
    """Files in dist/ a reader could be served that are not whole, and visible temporaries."""
    broken = []
    for path in sorted(p for p in dist.rglob("*") if p.is_file()):
        name = path.relative_to(dist).as_posix()
        if any(part.startswith(".") for part in path.relative_to(dist).parts):
            continue  # hidden: never linked, and neither served nor listed
        if ".tmp" in path.name or path.suffix not in SERVED:
            broken.append(f"{name}: an unexpected file")
        elif not _readable(path):
            broken.append(f"{name}: not whole")
    return broken


def _readable(path: Path) -> bool:
    try:
        if path.suffix == ".html":
            text = path.read_text(encoding="utf-8")
            lxml.html.document_fromstring(text)
            return text.rstrip().endswith("</html>")
        if path.suffix == ".pdf":
            with pikepdf.open(path) as pdf:
                return len(pdf.pages) > 0
        if path.suffix == ".xml":
            ET.parse(path)
        return path.stat().st_size > 0
    except (ValueError, OSError, ET.ParseError, pikepdf.PdfError):
        return False


def hidden_temporaries(dist: Path) -> list[str]:
    return sorted(p.relative_to(dist).as_posix() for p in dist.rglob("*.tmp"))


@pytest.fixture(scope="module")
def killed(tmp_path_factory) -> tuple[Path, list[list[str]]]:
    """A small project built once, then rebuilt and SIGKILLed at seeded random moments.

    Each round changes the sheets so the build has real work to do. Returns the project
    and what `whole` found after each kill.
    """
    root = tmp_path_factory.mktemp("killed") / "project"
    (root / "sheets" / "figures").mkdir(parents=True)
    from conftest import ROOT

    os.symlink(ROOT / "templates", root / "templates")
    (root / "sheets" / "figures" / "chart.svg").write_text(SVG, encoding="utf-8")
    for slug in ("alpha", "beta"):
        (root / "sheets" / f"{slug}.yaml").write_text(published(slug, "chart.svg"), "utf-8")
    start = time.monotonic()
    assert subprocess.run(build_command(root), capture_output=True).returncode == 0
    full = time.monotonic() - start
    rng = random.Random(20261128)
    findings = []
    for round_ in range(6):
        for slug in ("alpha", "beta"):
            path = root / "sheets" / f"{slug}.yaml"
            text = published(slug, "chart.svg").replace(f"title: {slug.capitalize()}",
                                                        f"title: {slug} round {round_}")
            path.write_text(text, encoding="utf-8")
        process = start_build(root)
        time.sleep(rng.uniform(0.05, full))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        findings.append(whole(root / "dist"))
    return root, findings


@pytest.mark.slow
def test_a_killed_build_leaves_every_served_file_whole(killed):
    _, findings = killed
    assert findings == [[]] * len(findings)


@pytest.mark.slow
def test_a_rebuild_after_kills_succeeds_and_is_whole(killed):
    root, _ = killed
    result = subprocess.run(build_command(root), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert whole(root / "dist") == []
    index = lxml.html.parse(str(root / "dist" / "en" / "index.html")).getroot()
    assert "alpha round 5" in index.text_content()


def test_the_next_build_cleans_up_temporaries_a_kill_left(project):
    root = project({"sheets/alpha.yaml": published("alpha")})
    assert subprocess.run(build_command(root) + ["--no-pdf"], capture_output=True).returncode == 0
    planted = root / "dist" / "en" / ".alpha.html.k1ll3d.tmp"
    planted.write_bytes(b"<!DOCTYPE html><html><body><p>half a pa")
    assert subprocess.run(build_command(root) + ["--no-pdf"], capture_output=True).returncode == 0
    assert hidden_temporaries(root / "dist") == []
