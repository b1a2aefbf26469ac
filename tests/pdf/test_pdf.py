"""Tagged PDF/UA: a small fixture page, then every sheet and bundle a real build makes.

Every test here renders a PDF or reads the session's build of the shipped project, so all are
`slow`. Each PDF is rendered once per session (rendering costs about a second); the first page
of every built PDF is kept as PNG, in colour and in grey, under test-artifacts/pdf/ for a person
to look at.
"""

from __future__ import annotations

import functools
import gettext
import io
import logging
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import lxml.html
import pikepdf
import pytest
from click.testing import Result
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTImage
from PIL import Image

from conftest import PRINT_PAGES, skeleton
from factsheets.config import Config, load_config
from factsheets.errors import FetchError, PageOverflow
from factsheets.html.pages import language_name, make_environment
from factsheets.i18n.editions import ui_translations
from factsheets.pdf.jobs import PdfMeta, PdfOptions
from factsheets.pdf.plan import page_css
from factsheets.pdf.render import render_pdf, weasyprint_options
from pdfinspect import Node, TaggedPdf, fonts, normalized, structure_problems, subset_programs
from printcheck import (
    body_size,
    font_names,
    joined,
    line_lengths,
    page_fill,
    pages_text,
    stray_lines,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "pdf"
LETTER, A4 = (612, 792), (595, 842)
FOOTER = "Page {page} of {pages}"
MARKER = re.compile(r"\s*(\d+\.|•)\s*")

FIXTURE = """<!DOCTYPE html>
<html lang="en-CA"><head><meta charset="utf-8"><title>ignored</title></head><body>
<main>
<h1>Fixture sheet</h1>
<p>Call <span lang="fr">Jeunesse, J'écoute</span> or read
<a href="https://example.org/help">the help page</a>.</p>
<section><h2>Words</h2>
<p lang="fr-CA">Un paragraphe en français, avec <span lang="fr-CA">une répétition</span>
et <span lang="en-CA">an English phrase</span>.</p>
<ul><li>First point</li><li>Second point</li></ul>
<dl class="glossary">
<div><dt>Webcam</dt><dd>A camera that sends live video.</dd></div>
<div><dt lang="fr">Hameçonnage</dt><dd>Phishing, in French.</dd></div>
</dl>
<dl><dt>Torrent</dt><dd>A kind of download.</dd><dd>Also a fast river.</dd>
<dt>Malware</dt><dd>Harmful software.</dd></dl>
</section>
<section><h2>Pictures</h2>
<figure><img src="figures/sharp.png" alt="A grey rectangle" style="width: 4in">
<figcaption>A sharp picture.</figcaption></figure>
<figure><img src="figures/blurry.png" alt="A blurry rectangle" style="width: 2in">
<figcaption>A blurry picture.</figcaption></figure>
<p><img src="figures/sharp.png" alt="" style="width: 1in"> Decoration only.</p>
</section>
</main></body></html>
"""


@pytest.fixture(scope="session")
def fixture_config(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """A project with the real templates and two raster figures: 300 dpi and 50 dpi."""
    root = tmp_path_factory.mktemp("pdf-project")
    shutil.copytree(ROOT / "templates", root / "templates")
    figures = root / "sheets" / "figures"
    figures.mkdir(parents=True)
    Image.new("RGB", (1200, 600), "grey").save(figures / "sharp.png", dpi=(300, 300))
    Image.new("RGB", (100, 50), "grey").save(figures / "blurry.png")
    (root / "secret.png").write_bytes((figures / "blurry.png").read_bytes())
    return load_config(root)


LETTER_OPTIONS = PdfOptions()


def render_fixture(config: Config, html: str = FIXTURE, options: PdfOptions = LETTER_OPTIONS,
                   ) -> tuple[TaggedPdf, tuple[object, ...]]:
    """Render a page of the fixture project as the build does, and open the result."""
    env = make_environment(config, "en", gettext.NullTranslations())
    meta = PdfMeta(title="Fixture sheet", lang="en-CA", description="A page for tests",
                   keywords=("test", "pdf"), publisher="Test publisher")
    rendered = render_pdf(html, meta, config, config.sheets_dir / "fixture.yaml",
                          page_css=page_css(env, meta.title, options),
                          base_url=config.sheets_dir.as_uri() + "/")
    return TaggedPdf(rendered.data), rendered.warnings


class _Logged(logging.Handler):
    """Keeps the messages WeasyPrint logs while it renders."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="session")
def fixture_rendered(fixture_config: Config) -> tuple[TaggedPdf, tuple[object, ...], list[str]]:
    """The fixture page rendered once per session: the PDF, its warnings, WeasyPrint's log."""
    logged = _Logged()
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.addHandler(logged)
    logger.setLevel(logging.WARNING)
    try:
        pdf, warnings = render_fixture(fixture_config)
    finally:
        logger.removeHandler(logged)
        logger.setLevel(level)
    return pdf, warnings, logged.messages


@pytest.fixture(scope="session")
def fixture_pdf(fixture_rendered: tuple[TaggedPdf, tuple[object, ...], list[str]]) -> TaggedPdf:
    return fixture_rendered[0]


@pytest.fixture(scope="session")
def fixture_warnings(fixture_rendered: tuple[TaggedPdf, tuple[object, ...], list[str]],
                     ) -> tuple[object, ...]:
    return fixture_rendered[1]


@pytest.fixture(scope="session")
def built(shipped_build: Config) -> Config:
    """The shipped project's session build (conftest), its first pages kept as PNG."""
    keep_first_pages(shipped_build.output_dir)
    return shipped_build


def keep_first_pages(out: Path) -> None:
    """PNGs of each PDF's first page, in colour and in grey, for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for pdf in sorted([*out.glob("*/*.pdf"), *out.glob("*/handouts/*.pdf")]):
        where = pdf.relative_to(out).parent.as_posix().replace("/", "-")
        name = f"{where}-{pdf.stem}"
        for extra, suffix in (([], ""), (["-gray"], "-gray")):
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                            *extra, str(pdf), str(ARTIFACTS / (name + suffix))], check=True)


Built = list[tuple[Path, lxml.html.HtmlElement, TaggedPdf]]


@functools.cache
def tagged(path: Path) -> TaggedPdf:
    """A PDF of the session build, opened and its structure read once per test run."""
    return TaggedPdf(path.read_bytes())


@pytest.fixture(scope="session")
def sheet_pdfs(built: Config) -> Built:
    """Every sheet PDF of the build, with the print version of its page, read once."""
    found = []
    for pdf in sorted(built.output_dir.glob("*/*.pdf")):
        page = pdf.with_suffix(".html")
        if page.exists():
            html = PRINT_PAGES[page.relative_to(built.output_dir).as_posix()]
            found.append((pdf, lxml.html.document_fromstring(html), tagged(pdf)))
    assert found
    return found


# --- the fixture page -------------------------------------------------------------------

def test_misspelt_weasyprint_option_is_only_logged(fixture_config: Config) -> None:
    """Why the tests check tags: WeasyPrint takes `pdf_tag=True` silently and tags nothing."""
    from weasyprint import DEFAULT_OPTIONS, HTML

    untagged = pikepdf.open(io.BytesIO(HTML(string=FIXTURE).write_pdf(pdf_tag=True)))
    assert "/MarkInfo" not in untagged.Root
    assert set(weasyprint_options()) <= set(DEFAULT_OPTIONS)


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/ua-2"])
def test_weasyprint_alone_tags_the_footer_as_content(variant: str) -> None:
    """Why pdftags.py exists: in both variants the footer is tagged text, not an artifact."""
    from weasyprint import HTML

    page = ('<html lang="en"><style>@page { @bottom-right { content: "Footer " counter(page) }'
            '}</style><body><p>Body</p></body></html>')
    raw = TaggedPdf(HTML(string=page).write_pdf(pdf_variant=variant))
    assert "Footer 1" in raw.marked.values()
    assert "Footer 1" not in raw.artifacts


def test_fixture_is_tagged_pdf_ua(fixture_pdf: TaggedPdf) -> None:
    root = fixture_pdf.pdf.Root
    assert root.MarkInfo.Marked is True
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert str(root.Lang) == "en-CA"
    assert fixture_pdf.pdf.pdf_version == "1.7"
    with fixture_pdf.pdf.open_metadata() as xmp:
        assert xmp["pdfuaid:part"] == "1"
        assert xmp["dc:title"] == "Fixture sheet"
        assert xmp["dc:publisher"] == {"Test publisher"}
        assert xmp["dc:description"] == "A page for tests"
        assert xmp["pdf:Keywords"] == "test, pdf"
    kinds = {node.kind for node in fixture_pdf.nodes()}
    assert {"H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Link", "Figure", "Caption"} <= kinds


def test_other_language_text_carries_its_own_lang(fixture_pdf: TaggedPdf) -> None:
    tagged = {(node.kind, node.lang, fixture_pdf.text(node).strip())
              for node in fixture_pdf.nodes() if node.lang}
    assert tagged == {
        ("Span", "fr", "Jeunesse, J'écoute"),
        ("P", "fr-CA", "Un paragraphe en français, avec une répétition et an English phrase."),
        ("Span", "en-CA", "an English phrase"),
        ("Lbl", "fr", "Hameçonnage"),
    }


def test_running_footer_is_an_artifact(fixture_pdf: TaggedPdf) -> None:
    count = len(fixture_pdf.pdf.pages)
    labels = [f"Page {page} of {count}" for page in range(1, count + 1)]
    assert fixture_pdf.artifacts.count("Fixture sheet") == count
    assert [text for text in fixture_pdf.artifacts if text.startswith("Page")] == labels
    assert not any("Page 1" in text for text in fixture_pdf.marked.values())


def test_glossary_is_a_list_of_term_definition_pairs(fixture_pdf: TaggedPdf) -> None:
    glossary = [node for node in fixture_pdf.nodes("L")
                if any(kid.kids and kid.kids[0].kind == "Lbl"
                       and fixture_pdf.text(kid.kids[0]) == "Webcam" for kid in node.kids)]
    assert len(glossary) == 1
    items = glossary[0].kids
    assert [[kid.kind for kid in item.kids] for item in items] == [["Lbl", "LBody"]] * 2
    assert [fixture_pdf.text(item.kids[1]) for item in items] == [
        "A camera that sends live video.", "Phishing, in French."]


def test_terms_without_wrappers_are_paired_too(fixture_pdf: TaggedPdf) -> None:
    """`dt dd dd dt dd`: each term opens an item holding its definitions."""
    items = [node for node in fixture_pdf.nodes("LI")
             if node.kids and fixture_pdf.text(node.kids[0]) in ("Torrent", "Malware")]
    assert [[(kid.kind, fixture_pdf.text(kid)) for kid in item.kids] for item in items] == [
        [("Lbl", "Torrent"), ("LBody", "A kind of download."), ("LBody", "Also a fast river.")],
        [("Lbl", "Malware"), ("LBody", "Harmful software.")]]


def test_figures_have_alt_text_and_a_caption(fixture_pdf: TaggedPdf) -> None:
    groups = [node for node in fixture_pdf.nodes("Div")
              if [kid.kind for kid in node.kids] == ["Figure", "Caption"]]
    assert [(str(g.kids[0].obj.Alt), fixture_pdf.text(g.kids[1]).strip()) for g in groups] == [
        ("A grey rectangle", "A sharp picture."), ("A blurry rectangle", "A blurry picture.")]


def test_a_figures_bounding_box_is_where_its_image_is_drawn(fixture_pdf: TaggedPdf) -> None:
    """`/BBox` in page coordinates (points, y up), as pdfminer finds the image drawn."""
    pages = list(extract_pages(io.BytesIO(fixture_pdf.data)))
    drawn = [(number, image.bbox) for number, page in enumerate(pages)
             for image in _images(page) if image.width > 100]  # not the 1-inch decoration
    boxes = [(fixture_pdf.pages[node.obj.Pg.objgen], [float(v) for v in node.obj.A.BBox])
             for node in fixture_pdf.nodes("Figure")]
    assert len(boxes) == len(drawn) == 2
    for (page, box), (number, bbox) in zip(boxes, drawn, strict=True):
        assert page == number
        assert box == pytest.approx(list(bbox), abs=0.5)
    assert [round(box[2] - box[0]) for _, box in boxes] == [288, 144]  # 4 in and 2 in wide


def _images(layout: object) -> Iterator[LTImage]:
    for item in getattr(layout, "_objs", ()):
        if isinstance(item, LTImage):
            yield item
        yield from _images(item)


def test_decorative_image_is_an_artifact(fixture_pdf: TaggedPdf) -> None:
    assert len(list(fixture_pdf.nodes("Figure"))) == 2
    page = fixture_pdf.pdf.pages[0]
    names = [str(op.operands[0]) for op in pikepdf.parse_content_stream(page)
             if str(op.operator) in ("BMC", "BDC")]
    assert names.count("/Figure") == 2


def test_links_are_live_absolute_and_tagged(fixture_pdf: TaggedPdf) -> None:
    links = list(fixture_pdf.nodes("Link"))
    assert [fixture_pdf.text(link) for link in links] == ["the help page"]
    objr = [kid for kid in links[0].obj.K if isinstance(kid, pikepdf.Dictionary)]
    annotation = objr[0].Obj
    assert str(annotation.A.URI) == "https://example.org/help"
    assert "/StructParent" in annotation


LINK_TEXT = " ".join(f"word{i}" for i in range(700))
BROKEN = f"""<!DOCTYPE html>
<html lang="en-CA"><head><meta charset="utf-8"><title>ignored</title></head><body><main>
<p>Before the link. <a href="https://example.org/long">{LINK_TEXT}</a> After the link.</p>
<ul>{"".join(f"<li>Item {i}</li>" for i in range(70))}</ul>
</main></body></html>
"""
"""A paragraph, a link in it and a list, each longer than a page: each crosses a page break,
and the link wraps over many lines."""


@pytest.fixture(scope="session")
def broken_pdf(fixture_config: Config) -> TaggedPdf:
    return render_fixture(fixture_config, BROKEN)[0]


def _pages(node: Node) -> list[int]:
    """The pages of an element's marked content and its descendants', in reading order."""
    return [page for page, _ in node.content] + [page for kid in node.kids for page in _pages(kid)]


def test_paragraph_and_list_across_a_page_break_are_one_element_each(
        broken_pdf: TaggedPdf) -> None:
    """A screen reader announces one list of 70 items, not 'list, N items' once a page."""
    paragraphs, lists = list(broken_pdf.nodes("P")), list(broken_pdf.nodes("L"))
    assert (len(paragraphs), len(lists)) == (1, 1)
    [paragraph], [items] = paragraphs, lists
    assert normalized(broken_pdf.text(paragraph)) == normalized(
        f"Before the link. {LINK_TEXT} After the link.")
    texts = [MARKER.sub("", broken_pdf.text(item)) for item in items.kids]
    assert texts == [f"Item {i}" for i in range(70)]
    for node in (paragraph, items):
        pages = _pages(node)
        assert pages == sorted(pages) and len(set(pages)) >= 2
    assert structure_problems(broken_pdf.pdf) == []


def test_link_across_lines_and_pages_is_one_link_element(broken_pdf: TaggedPdf) -> None:
    """One Link holds every piece's annotation, and each annotation points back at it."""
    links = list(broken_pdf.nodes("Link"))
    assert len(links) == 1
    [link] = links
    assert normalized(broken_pdf.text(link)) == normalized(LINK_TEXT)
    held = {kid.Obj.objgen for kid in link.obj.K
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"}
    annotations = {page: [a for a in page_obj.get("/Annots", ()) if a.Subtype == "/Link"]
                   for page, page_obj in enumerate(broken_pdf.pdf.pages)}
    assert len([page for page, found in annotations.items() if found]) >= 2
    nums = broken_pdf.pdf.Root.StructTreeRoot.ParentTree.Nums
    parents = dict(zip(map(int, nums[::2]), nums[1::2], strict=True))
    for annotation in (a for found in annotations.values() for a in found):
        assert annotation.objgen in held
        assert parents[int(annotation.StructParent)].objgen == link.obj.objgen


def test_every_font_is_embedded(fixture_pdf: TaggedPdf) -> None:
    used = list(fonts(fixture_pdf.pdf))
    assert used
    for name, descriptor in used:
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name
        assert "Atkinson" in name


def test_letter_by_default(fixture_pdf: TaggedPdf) -> None:
    assert [round(float(v)) for v in fixture_pdf.pdf.pages[0].MediaBox] == [0, 0, *LETTER]


def test_a4(fixture_config: Config) -> None:
    """(Print marks: test_marks.py.)"""
    page = "<html lang='en-CA'><body><h1>Short</h1><p>One line.</p></body></html>"
    a4, _ = render_fixture(fixture_config, page, PdfOptions(page_size="a4"))
    assert [round(float(v)) for v in a4.pdf.pages[0].MediaBox] == [0, 0, *A4]


def test_print_css_has_no_errors(
        fixture_rendered: tuple[TaggedPdf, tuple[object, ...], list[str]]) -> None:
    """WeasyPrint only logs a CSS rule it cannot read: a typo would silently drop it."""
    assert fixture_rendered[2] == []


def test_low_resolution_figure_is_warned(fixture_warnings: tuple[object, ...]) -> None:
    messages = [problem.format() for problem in fixture_warnings]  # type: ignore[attr-defined]
    assert len(messages) == 1
    assert "fixture.yaml" in messages[0] and "blurry.png would print at 50 dpi" in messages[0]
    assert "warning:" in messages[0]


def test_refused_resource_fails_the_pdf(fixture_config: Config) -> None:
    page = FIXTURE.replace("figures/blurry.png", "../secret.png")
    with pytest.raises(FetchError) as info:
        render_fixture(fixture_config, page)
    assert "fixture.yaml" in str(info.value) and "secret.png" in str(info.value)


# --- the real build ---------------------------------------------------------------------

def test_build_links_every_pdf_with_size_and_pages(built: Config) -> None:
    pdfs = sorted(built.output_dir.glob("*/*.pdf"))
    assert {p.parent.name for p in pdfs} == set(built.languages)
    for pdf in pdfs:
        if not pdf.with_suffix(".html").exists():
            continue
        index = (pdf.parent / "index.html").read_text(encoding="utf-8")
        pages = len(pikepdf.open(pdf).pages)
        assert f'href="{pdf.name}"' in index, pdf
        assert re.search(rf"{pages}\s+pages?", index), pdf


def test_every_sheet_pdf_is_tagged_and_titled(sheet_pdfs: Built) -> None:
    for path, html, pdf in sheet_pdfs:
        root = pdf.pdf.Root
        assert root.MarkInfo.Marked is True, path
        assert root.ViewerPreferences.DisplayDocTitle is True, path
        assert str(root.Lang) == html.get("lang"), path
        h1 = html.find(".//h1").text_content().strip()
        assert str(pdf.pdf.docinfo.Title) == h1, path
        kinds = [node.kind for node in pdf.nodes()]
        assert kinds.count("H1") == 1 and {"H2", "P", "L", "LI", "Link"} <= set(kinds), path
        assert all(round(float(v)) == w for page in pdf.pdf.pages
                   for v, w in zip(page.MediaBox, (0, 0, *LETTER), strict=True)), path
        for name, descriptor in fonts(pdf.pdf):
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_links_are_absolute_and_reach_the_other_edition(built: Config, sheet_pdfs: Built) -> None:
    for path, html, pdf in sheet_pdfs:
        uris = [str(annot.A.URI) for page in pdf.pdf.pages for annot in page.get("/Annots", [])
                if "/A" in annot and "/URI" in annot.A]
        assert uris and all(u.startswith(("https://", "mailto:", "tel:")) for u in uris), path
        others = html.xpath('//link[@rel="alternate"][@hreflang]/@href')
        assert set(others) - {built.base_url + path.relative_to(built.output_dir)
                              .with_suffix(".html").as_posix()} <= set(uris) | {None}, path


def test_figures_keep_their_alt_text(sheet_pdfs: Built) -> None:
    for path, html, pdf in sheet_pdfs:
        alts = [img.get("alt") for img in html.iter("img") if img.get("alt")]
        assert [str(node.obj.Alt) for node in pdf.nodes("Figure")] == alts, path


def test_no_heading_is_stranded_at_a_page_bottom(sheet_pdfs: Built) -> None:
    for path, _html, pdf in sheet_pdfs:
        for heading in [*pdf.nodes("H2"), *pdf.nodes("H3")]:
            siblings = heading.parent.kids if heading.parent else []
            after = siblings[siblings.index(heading) + 1:]
            if after:
                assert _first_page(after[0]) == _first_page(heading), (path, pdf.text(heading))


def _first_page(node: Node) -> int:
    pages = [page for page, _ in node.content] or [_first_page(kid) for kid in node.kids[:1]]
    return pages[0]


def test_no_line_starts_with_french_punctuation(sheet_pdfs: Built) -> None:
    for path, _html, _pdf in sheet_pdfs:
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        bad = [line for line in text.splitlines() if re.match(r"\s*[:;!?»]", line)]
        assert bad == [], path


def test_sheet_text_extracts_in_its_language(sheet_pdfs: Built) -> None:
    for path, html, pdf in sheet_pdfs:
        text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        heading = html.find(".//h1")
        assert normalized(heading.text_content()) in normalized(text), path
        h1 = next(pdf.nodes("H1"))
        expected = heading.get("lang") or html.get("lang")
        assert pdf.lang_of(h1) == expected, path


def test_a_wrapped_title_keeps_the_space_at_its_line_end(built: Config) -> None:
    """Every title (sheets, bundles, handouts) reads word for word in the tagged text and in
    pdftotext: "la vidéo en / direct" must not become "endirect" for a screen reader."""
    wrapped = 0
    for path in _all_pdfs(built):
        pdf = tagged(path)
        first = [line.strip() for line in subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(path), "-"],
            capture_output=True, text=True, check=True).stdout.splitlines()]
        for h1 in pdf.nodes("H1"):
            title = pdf.text(h1)
            assert title == title.strip() and "  " not in title, (path, title)
            if _first_page(h1) == 0:
                lines = _title_lines(first, title)
                assert " ".join(lines) == title, (path, title, lines)
                wrapped += len(lines) > 1
    assert wrapped, "no title wraps in the shipped build, so nothing was checked"


def test_the_space_set_apart_before_an_inline_element_is_drawn(sheet_pdfs: Built) -> None:
    """The space pdf/typeset.py gives a span of its own (before <em>, <strong>, a link) is in
    the PDF's tagged text: "A social networking app", not "Asocial" (WeasyPrint 70 draws no
    text that is only white space, so a lone space never reached the PDF)."""
    checked = 0
    for path, html, pdf in sheet_pdfs:
        text = _unhyphenated(pdf.text(pdf.root))
        for space in html.xpath('//span[@class="space"]'):
            previous = space.getprevious()
            before = (previous.tail if previous is not None else space.getparent().text) or ""
            after = space.getnext().text_content().split() if space.getnext() is not None else []
            if not before.split() or not after:
                continue
            pair = _unhyphenated(f"{before.split()[-1]} {after[0][:3]}")
            assert pair in text, (path, pair)
            checked += 1
    assert checked > 50, checked


def _unhyphenated(text: str) -> str:
    """Text without hyphens (a word hyphenated at a line end reads whole) and with no-break
    spaces as spaces."""
    return re.sub(r"[-\u00ad\u2010]", "", text).replace("\u00a0", " ")


def _title_lines(lines: list[str], title: str) -> list[str]:
    """The lines pdftotext gives for a title: from the first that starts it, each next one
    while the lines joined by a space still start the title."""
    for start, line in enumerate(lines):
        if line and title.startswith(line):
            found = [line]
            for more in lines[start + 1:]:
                if not title.startswith(" ".join([*found, more])):
                    break
                found.append(more)
            return found
    return []


def test_every_lang_switch_reaches_the_structure_tree(sheet_pdfs: Built) -> None:
    """Each HTML element whose lang differs gets a /Lang element with its text, and only those."""
    for path, html, pdf in sheet_pdfs:
        switches = _lang_switches(html)
        tagged = [(node.lang, _words(pdf, node)) for node in pdf.nodes() if node.lang]
        for lang, text in switches:
            assert any(t and lang == lg and t in text for lg, t in tagged), (path, lang, text)
        for lang, text in tagged:
            assert any(lang == lg and text in t for lg, t in switches), (path, lang, text)


PIECES = {"P": "//body//p", "L": "//body//ul | //body//ol | //body//dl", "Link": "//body//a[@href]"}
"""Structure types a page break or a line break used to split, and the HTML they stand for."""


def test_no_html_element_is_tagged_in_pieces(sheet_pdfs: Built) -> None:
    """As many paragraphs, lists and links in each sheet's tags as in its HTML, though pages
    break paragraphs and lists, and lines break links."""
    for path, html, pdf in sheet_pdfs:
        kinds = [node.kind for node in pdf.nodes()]
        found = {kind: kinds.count(kind) for kind in PIECES}
        assert found == {kind: len(html.xpath(query)) for kind, query in PIECES.items()}, path


def test_french_pdf_marks_english_references_and_not_french_ones(sheet_pdfs: Built) -> None:
    path, _html, pdf = next(item for item in sheet_pdfs if item[0].name == "webcameras.pdf")
    tagged = [(node.lang, _words(pdf, node)) for node in pdf.nodes() if node.lang]
    cited = normalized("Take It Down. National Center for Missing & Exploited Children.")
    assert any(lang == "en-CA" and cited in text for lang, text in tagged), path
    french = normalized("Cyberexploitation sexuelle d’enfants. Gendarmerie royale du Canada.")
    assert french in normalized("".join(pdf.marked.values())), path
    assert not any(french in text for _lang, text in tagged), path


def _words(pdf: TaggedPdf, node: Node) -> str:
    """An element's text without list markers ("1.", "•"), which the HTML text lacks."""
    if node.kind == "Lbl" and MARKER.fullmatch(pdf.text(node)):
        return ""
    own = "".join(pdf.marked.get(key, "") for key in node.content)
    return normalized(own) + "".join(_words(pdf, kid) for kid in node.kids)


def _lang_switches(html: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    """(lang, text) of printed elements whose lang differs from their parent's."""
    hidden = html.xpath('//*[contains(@class, "toc") or contains(@class, "skip-link")]')
    switches = []
    for element in html.xpath("//body//*[@lang]"):
        inherited = element.getparent().xpath("ancestor-or-self::*[@lang][1]/@lang")
        if inherited and inherited[0] == element.get("lang"):
            continue
        if any(element in h.iter() for h in hidden) or not element.text_content().strip():
            continue
        switches.append((element.get("lang"), normalized(element.text_content())))
    return switches


def test_footer_is_translated_and_an_artifact(built: Config, sheet_pdfs: Built) -> None:
    for path, _html, pdf in sheet_pdfs:
        lang = path.parent.name
        label = ui_translations(built, lang, []).gettext(FOOTER)
        first = label.format(page=1, pages=len(pdf.pdf.pages))
        assert first in pdf.artifacts, (path, pdf.artifacts[:4])
        assert not any(first in text for text in pdf.marked.values()), path


def test_outline_follows_the_headings(sheet_pdfs: Built) -> None:
    for path, html, pdf in sheet_pdfs:
        with pdf.pdf.open_outline() as outline:
            top = list(outline.root)
            titles = [item.title for item in top[0].children]
        assert [item.title for item in top] == [html.find(".//h1").text_content().strip()]
        sections = [h.text_content().strip() for h in html.xpath("//main//h2")
                    if not h.xpath("ancestor::*[contains(@class, 'toc')]")]
        assert titles == sections, path


def test_bundle_contents_give_the_right_pages(built: Config) -> None:
    for lang in built.languages:
        bundle = built.output_dir / lang / f"fact-sheets-{lang}.pdf"
        pdf = pikepdf.open(bundle)
        pages = {page.obj.objgen: i + 1 for i, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            starts = {item.title: pages[item.destination[0].objgen]
                      for item in list(outline.root)[1:]}
        assert starts, bundle
        contents = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(bundle),
                                   "-"], capture_output=True, text=True, check=True).stdout
        for title, page in starts.items():
            line = next(line for line in contents.splitlines()
                        if normalized(title[:20]) in normalized(line))
            assert line.rstrip().endswith(f" {page}"), (title, line, page)


@pytest.fixture(scope="session")
def bundles(built: Config) -> dict[str, TaggedPdf]:
    """Each language's bundle, read once."""
    return {lang: tagged(built.output_dir / lang / f"fact-sheets-{lang}.pdf")
            for lang in built.languages}


def test_bundles_read_without_repairs(built: Config) -> None:
    """qpdf and poppler read every object of a bundle (written by our own writer) as it is."""
    for lang in built.languages:
        path = built.output_dir / lang / f"fact-sheets-{lang}.pdf"
        with pikepdf.open(path) as pdf:
            pdf.save(io.BytesIO())  # qpdf reads every object and stream to write them again
            assert pdf.get_warnings() == [], path
        for command in (["pdfinfo", str(path)], ["pdftotext", str(path), "-"]):
            run = subprocess.run(command, capture_output=True, text=True)
            assert run.returncode == 0 and run.stderr == "", (command, run.stderr)


def test_every_pdf_has_a_sound_structure_tree(built: Config) -> None:
    for path in sorted(built.output_dir.glob("*/*.pdf")):
        assert structure_problems(pikepdf.open(path)) == [], path


def test_bundle_holds_each_sheet_pdf_tags_and_all(bundles: dict[str, TaggedPdf],
                                                  sheet_pdfs: Built) -> None:
    """Each sheet is an /Art of the bundle with the very text and languages of its own PDF."""
    sheets = {str(pdf.pdf.docinfo.Title): pdf for _, _, pdf in sheet_pdfs}
    for lang, bundle in bundles.items():
        arts = [node for node in bundle.root.kids if node.kind == "Art"]
        assert [node.kind for node in bundle.root.kids] == ["NonStruct"] * 2 + ["Art"] * len(arts)
        titles = [bundle.text(next(bundle.nodes_under(art, "H1"))) for art in arts]
        with bundle.pdf.open_outline() as outline:
            outlined = [item.title for item in list(outline.root)[1:]]
        assert [" ".join(title.split()) for title in outlined] == titles, lang
        for art, title in zip(arts, outlined, strict=True):
            own = sheets[title]
            assert normalized(bundle.text(art)) == normalized(own.text(own.root)), title
            assert _tagged_langs(bundle, art) == _tagged_langs(own, own.root), title
            assert art.lang is None and bundle.lang_of(art) == str(own.pdf.Root.Lang), title


def _tagged_langs(pdf: TaggedPdf, top: Node) -> list[tuple[str | None, str, str]]:
    return [(node.lang, node.kind, normalized(pdf.text(node)))
            for node in pdf.nodes_under(top) if node.lang]


def test_bundle_pages_are_numbered_through(built: Config, bundles: dict[str, TaggedPdf]) -> None:
    """One running footer per page after the cover, counting the bundle's pages, not a sheet's."""
    for lang, bundle in bundles.items():
        label = ui_translations(built, lang, []).gettext(FOOTER)
        count = len(bundle.pdf.pages)
        footers = [text for text in bundle.artifacts if re.search(r"\d+\D+\d+$", text)]
        wanted = [label.format(page=n, pages=count) for n in range(2, count + 1)]
        assert len(footers) == len(wanted), (lang, footers)
        assert all(text.endswith(want) for text, want in zip(footers, wanted, strict=True)), (
            lang, footers)  # a sheet page's footer is one artifact: title, then its number
        for name, descriptor in fonts(bundle.pdf):
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_bundle_contents_link_to_the_first_page_of_each_sheet(
        bundles: dict[str, TaggedPdf]) -> None:
    """Each entry links to its sheet and reads as its title and page, without the dots."""
    sheet_count = len(list((ROOT / "sheets").glob("*.yaml")))  # not the unavailable extra
    for lang, bundle in bundles.items():
        pdf = bundle.pdf
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        links = [annotation for annotation in pdf.pages[1].Annots if "/Dest" in annotation]
        targets = {pages[annotation.Dest[0].objgen] for annotation in links}
        with pdf.open_outline() as outline:
            starts = {item.title: pages[item.destination[0].objgen]
                      for item in list(outline.root)[1:]}
        assert targets == set(starts.values()) and len(starts) == sheet_count, lang
        assert list(dict.fromkeys(str(link.Contents) for link in links)) == list(starts), lang
        entries = [" ".join(bundle.text(node).split()) for node in bundle.nodes("LBody")
                   if any(link.obj.Pg.objgen == pdf.pages[1].objgen
                          for link in bundle.nodes_under(node, "Link"))]
        assert entries == [f"{title} {page + 1}" for title, page in starts.items()], lang


def test_each_index_links_its_bundle_with_pages_and_size(built: Config) -> None:
    words = {"en": "Download every fact sheet in one PDF (PDF, Letter",
             "fr": "Télécharger toutes les fiches en un seul PDF (PDF, format lettre"}
    for lang in built.languages:
        index = lxml.html.parse(str(built.output_dir / lang / "index.html")).getroot()
        bundle = built.output_dir / lang / f"fact-sheets-{lang}.pdf"
        [link] = [a for a in index.iter("a") if a.get("href") == bundle.name]
        pages = len(pikepdf.open(bundle).pages)
        text = " ".join(link.text_content().split())
        assert text.startswith(f"{words[lang]}, {pages} pages, "), text


def test_build_names_the_sheet_whose_figure_escapes(
        project: Callable[..., Path], runner: Callable[..., Result], tmp_path: Path) -> None:
    """A figure outside sheets/figures/ stops the sheet with an error naming it."""
    sheet = skeleton("demo").replace("figures: []", (
        "figures:\n  - id: escape\n    src: ../secret.png\n    alt: A secret.\n"
        "    after: what-it-is"))
    Image.new("RGB", (10, 10), "grey").save(tmp_path / "secret.png")
    root = project({"sheets/demo.yaml": sheet,
                    "secret.png": (tmp_path / "secret.png").read_bytes()})
    result = runner("build", "--project", str(root))
    assert result.exit_code == 1
    assert ("sheets/demo.yaml:58:5: figures[0].src: '../secret.png' is outside "
            "sheets/figures/, where figures must be") in result.output
    assert not (root / "dist" / "media" / "secret.png").exists()
    assert not (root / "dist" / "en" / "demo.pdf").exists()


@pytest.mark.parametrize(("toml", "args", "size"), [
    ('page_size = "a4"\n', [], A4),
    ('page_size = "a4"\n', ["--page-size", "letter"], LETTER),
])
def test_page_size_from_config_or_command_line(
        project: Callable[..., Path], runner: Callable[..., Result],
        toml: str, args: list[str], size: tuple[int, int]) -> None:
    sheet = skeleton("demo").replace("status: draft", "status: published")
    root = project({"sheets/demo.yaml": sheet, "factsheets.toml": toml})
    result = runner("build", "--project", str(root), *args)
    assert result.exit_code == 0, result.output
    pdf = pikepdf.open(root / "dist" / "en" / "demo.pdf")
    page = pdf.pages[0]
    assert [round(float(v)) for v in page.MediaBox] == [0, 0, *size]  # marks: test_marks.py


# --- print correctness: what a reader holding the paper notices ------------------------

def _all_pdfs(built: Config) -> list[Path]:
    """Sheets, bundles and handouts."""
    return sorted([*built.output_dir.glob("*/*.pdf"), *_handouts(built)])


def _handouts(built: Config) -> list[Path]:
    return sorted(built.output_dir.glob("*/handouts/*.pdf"))


def _kept_whole(html: lxml.html.HtmlElement) -> set[str]:
    """What must print unbroken by a hyphen: addresses, service names, phone numbers."""
    found = {el.text_content().strip() for el in html.xpath(
        '//a[contains(@class, "url") or contains(@class, "tel")]'
        ' | //span[@class="nobreak"]')}
    found |= {el.text_content().strip() for el in html.xpath('//span[@class="nohyphen"]')
              if "." in el.text_content().strip(".") or "@" in el.text_content()}
    return {text.rstrip(".,;:") for text in found}


def test_no_hyphen_is_inserted_in_addresses_names_or_numbers(sheet_pdfs: Built) -> None:
    """Cybertip.ca, getcybersafe.gc.ca/..., 1 866 658-9022 read whole from the paper."""
    for path, html, _pdf in sheet_pdfs:
        text = joined("\n".join(pages_text(path)))
        whole = {" ".join(w.split()) for w in _kept_whole(html)}
        assert any("." in w and "/" not in w and " " not in w for w in whole), path
        missing = [w for w in whole if w not in text]
        assert missing == [], path


def test_phone_numbers_and_dates_never_break(sheet_pdfs: Built) -> None:
    """A phone number, and a date ("(consulté le 2" / "décembre 2026)" once), on one line."""
    dates = 0
    for path, html, _pdf in sheet_pdfs:
        lines = [" ".join(line.split()) for line in "\n".join(pages_text(path)).splitlines()]
        kept = Counter(" ".join(whole.text_content().split()) for whole in html.xpath(
            '//a[contains(@class, "tel")] | //time | //span[@class="nobreak"]'))
        for words, times in kept.items():  # each time it is printed, on one line
            assert sum(line.count(words) for line in lines) >= times, (path, words)
        dates += len(html.xpath("//time"))
    assert dates > 100  # every reference's date, at least


def test_no_automatic_hyphen_in_headings_or_dates(sheet_pdfs: Built) -> None:
    for path, html, _pdf in sheet_pdfs:
        text = joined("\n".join(pages_text(path)))
        for el in html.xpath("//h1 | //h2 | //h3 | //time"):
            words = " ".join(el.text_content().split())
            assert words in text, (path, words)


def test_print_carries_no_web_furniture(built: Config) -> None:
    for path in _all_pdfs(built):
        lang = path.parent.name
        ui = ui_translations(built, lang)
        lines = {" ".join(line.split()) for page in pages_text(path)
                 for line in page.splitlines()}
        furniture = {" ".join(ui.gettext(message).split()) for message in (
            "Skip to main content", "On this page", "What’s new (Atom feed)", "All fact sheets")}
        furniture |= {language_name(code) for code in built.languages if code != lang}
        assert lines & furniture == set(), path
        date = " ".join(ui.gettext("Date modified:").split())
        assert not [line for line in lines if line.startswith(date)], path


def test_each_sheet_ends_with_its_colophon_and_qr_code(built: Config, sheet_pdfs: Built,
                                                       ) -> None:
    """Publisher, its own address, the other edition's title and address, review date, QR."""
    for path, html, pdf in sheet_pdfs:
        page = path.relative_to(built.output_dir).with_suffix(".html").as_posix()
        last = joined(pages_text(path)[-1])
        lang = path.parent.name
        ui = ui_translations(built, lang)
        assert ui.gettext(built.title) in last, path
        # Whole addresses, https:// included: what a reader types from the paper.
        assert built.base_url.startswith("https://"), built.base_url
        assert (built.base_url + page) in last, path
        for alt in html.xpath('//link[@rel="alternate"]/@href'):
            assert alt in last or page in alt, (path, alt)
        assert " ".join(ui.gettext("Last reviewed:").split()) in last, path
        qr = [n for n in pdf.nodes("Figure") if str(n.obj.get("/Alt", "")).endswith(
            built.base_url + page)]
        assert qr and _first_page(qr[0]) == len(pdf.pdf.pages) - 1, path


def test_type_is_large_and_lines_short(sheet_pdfs: Built) -> None:
    """Clear print: body at least 12 pt, 95 % of its lines at most 80 characters."""
    for path, _html, _pdf in sheet_pdfs:
        size = body_size(path)
        assert size >= 12, path
        lengths = sorted(line_lengths(path, size))
        assert lengths[int(len(lengths) * 0.95)] <= 80, path


def test_only_shipped_fonts_are_embedded(built: Config) -> None:
    shipped = {"Atkinson-Hyperlegible", "Atkinson-Hyperlegible-Bold",
               "Atkinson-Hyperlegible-Italic", "Atkinson-Hyperlegible-BoldItalic"}
    for path in _all_pdfs(built):
        assert font_names(path) <= shipped, path


def test_each_font_subset_has_a_name_of_its_own(built: Config) -> None:
    """ISO 32000-1 §9.6.4: a bundle joins each sheet's own subset of a face; each is tagged
    apart (`pdf/subsets.py`), in bundles as in the sheets, handouts and front matter."""
    bundles = 0
    for path in _all_pdfs(built):
        with pikepdf.open(path) as pdf:
            programs = subset_programs(pdf)
        assert programs, path
        for name, digests in programs.items():
            assert re.fullmatch(r"/[A-Z]{6}\+Atkinson-Hyperlegible[-\w]*", name), (path, name)
            assert len(digests) == 1, f"{path}: {len(digests)} different subsets named {name}"
        bundles += path.stem.startswith("fact-sheets-")
    assert bundles == 2


def test_no_near_empty_page_and_no_stray_line(sheet_pdfs: Built) -> None:
    """Every page but a sheet's last is at least a quarter full; no word sits alone on a
    line in mid-sentence (WeasyPrint's stray break, dodged in pdf/typeset.py)."""
    for path, _html, _pdf in sheet_pdfs:
        fills = page_fill(path)
        assert all(fill >= 0.25 for fill in fills[:-1]), (path, fills)
        for text in pages_text(path):
            assert stray_lines(text) == [], path


# --- one-page handouts ---------------------------------------------------------------

def test_each_published_sheet_has_a_one_page_handout_per_audience(built: Config) -> None:
    """Tagged PDF/UA, titled, in its language, one page, clear print, with the colophon."""
    expected = set()
    for lang in built.languages:
        for page in built.output_dir.glob(f"{lang}/*.html"):
            html = lxml.html.parse(str(page)).getroot()
            expected |= {link.get("href") for link in html.xpath('//a[@class="handout-link"]')
                         if "index" not in page.name}
    made = _handouts(built)
    assert made and {f"handouts/{p.name}" for p in made} == expected
    assert [p.name for p in made if "_" in p.name] == []  # addresses spell law-enforcement
    for path in made:
        pdf = tagged(path)
        assert len(pdf.pdf.pages) == 1, path
        assert structure_problems(pdf.pdf) == [], path
        assert str(pdf.pdf.Root.Lang) == built.languages[path.parts[-3]], path
        sheet_title, audience = str(pdf.pdf.docinfo.Title).split(" – ")
        assert normalized(pdf.text(next(pdf.nodes("H1")))) == normalized(sheet_title), path
        assert audience in joined(pages_text(path)[0]), path
        assert body_size(path) >= 12, path
        lengths = sorted(line_lengths(path, 12))
        assert lengths[int(len(lengths) * 0.95)] <= 80, path
        assert any(str(n.obj.get("/Alt", "")).startswith(("QR code: ", "Code QR"))
                   for n in pdf.nodes("Figure")), path
        sheet_url = built.base_url + path.parent.parent.name + "/"
        assert re.search(re.escape(sheet_url) + r"[a-z0-9-]+\.html",
                         joined(pages_text(path)[0])), path


def test_sheet_pages_and_indexes_link_handouts_with_pages_and_size(built: Config) -> None:
    page = (built.output_dir / "en" / "webcams.html").read_text(encoding="utf-8")
    assert re.search(r'href="handouts/webcams-parents.pdf" class="handout-link">For parents '
                     r"and caregivers \(PDF, Letter, 1 page, \d+\skB\)", page)
    index = (built.output_dir / "fr" / "index.html").read_text(encoding="utf-8")
    assert 'href="handouts/webcameras-youth.pdf"' in index


def test_bundles_leave_handouts_out(bundles: dict[str, TaggedPdf]) -> None:
    """A handout's title is the sheet's and its audience's; no bundle entry is one."""
    for lang, bundle in bundles.items():
        with bundle.pdf.open_outline() as outline:
            assert not [item.title for item in outline.root if " – " in item.title], lang


def test_a_handout_that_runs_over_a_page_fails_the_build(
        project: Callable[..., Path], runner: Callable[..., Result]) -> None:
    tips = "".join(f"    - Tip number {i}, which is long enough to fill most of a line.\n"
                   for i in range(60))
    sheet = (skeleton("demo").replace("status: draft", "status: published")
             .replace("    - Talk with your child about what they do online.\n", tips))
    root = project({"sheets/demo.yaml": sheet})
    result = runner("build", "--project", str(root))
    assert result.exit_code == 1, result.output
    assert re.search(r"sheets/demo.yaml: the one-page handout for parents \(en\) runs "
                     r"\d+ mm onto a second page \(\d pages\) \(shorten that audience's tips",
                     result.output)
    assert not (root / "dist" / "en" / "handouts" / "demo-parents.pdf").exists()
    assert (root / "dist" / "en" / "handouts" / "demo-educators.pdf").exists()


def test_a_handout_overflow_is_the_shortfall_not_the_height_of_what_moved(
        fixture_config: Config) -> None:
    """A 30 mm block kept whole moves to page 2 though only 20 mm of it lack room on page 1:
    cutting 20 mm is what the author must do, and what the message says."""
    html = ("<html lang='en-CA'><body><main>"
            "<p style='margin: 0; line-height: 70mm'>Seventy</p>"
            "<p style='margin: 0; line-height: 30mm; break-inside: avoid'>Thirty</p>"
            "</main></body></html>")
    meta = PdfMeta(title="Fixture handout", lang="en-CA")
    with pytest.raises(PageOverflow) as raised:
        render_pdf(html, meta, fixture_config, fixture_config.sheets_dir / "fixture.yaml",
                   page_css="@page { size: 100mm 100mm; margin: 10mm; "
                            "@bottom-left { content: none } @bottom-right { content: none } }",
                   one_page="parents")
    assert "handout for parents runs 20 mm onto a second page (2 pages)" \
        in raised.value.problems[0].message
