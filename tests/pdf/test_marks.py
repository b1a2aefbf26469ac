"""`--print-marks`: a one-sheet project built for a print shop on A4, and a page on Letter.

On every page of the sheet, its handout and the bundle: the TrimBox is the paper, the
BleedBox 3 mm beyond it, and the MediaBox a slug beyond that, holding crop marks at least
5 mm long that start at least 3 mm outside the trim, drawn as artifacts.
"""

from __future__ import annotations

import gettext
import io
import shutil
from collections.abc import Iterator

import pikepdf
import pytest
from click.testing import CliRunner

from conftest import ROOT, skeleton
from factsheets.cli import main
from factsheets.config import Config, load_config
from factsheets.html.pages import make_environment
from factsheets.pdf.jobs import PdfMeta, PdfOptions
from factsheets.pdf.plan import page_css
from factsheets.pdf.render import render_pdf
from pdfinspect import Segment, stroked_segments, structure_problems

pytestmark = pytest.mark.slow

MM = 72 / 25.4
PAPER = {"letter": (612.0, 792.0), "a4": (210 * MM, 297 * MM)}
TOLERANCE = 0.5
"""Points either way a box or mark may be off."""

Box = tuple[float, float, float, float]


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, bytes, str]]:
    """A one-sheet project built with `--print-marks --page-size a4` (its sheet, handout and
    bundle), and a page of it rendered on Letter with print marks: (name, PDF, paper)."""
    root = tmp_path_factory.mktemp("marks")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "locales").mkdir()
    sheet = skeleton("demo").replace("status: draft", "status: published").replace(
        "audiences: [parents, educators, youth, law_enforcement]", "audiences: [parents]")
    (root / "sheets").mkdir()
    (root / "sheets" / "demo.yaml").write_text(sheet, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(root), "--page-size", "a4",
                                       "--print-marks", "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    pdfs = [(path.name, path.read_bytes(), "a4")
            for path in sorted((root / "dist-print").glob("**/*.pdf"))]
    assert not (root / "dist").exists()  # the public output is left alone
    assert {name for name, _, _ in pdfs} == {"demo.pdf", "demo-parents.pdf",
                                             "fact-sheets-en.pdf"}
    return [*pdfs, ("letter.pdf", _letter_page(load_config(root)), "letter")]


def _letter_page(config: Config) -> bytes:
    """A short page on Letter with print marks, rendered as the build renders a sheet."""
    env = make_environment(config, "en", gettext.NullTranslations())
    html = "<html lang='en-CA'><body><main><h1>Short</h1><p>One line.</p></main></body></html>"
    meta = PdfMeta(title="Letter", lang="en-CA")
    return render_pdf(html, meta, config, config.sheets_dir / "demo.yaml",
                      page_css=page_css(env, meta.title, PdfOptions("letter", True))).data


def _pages(marked: list[tuple[str, bytes, str]]) -> Iterator[tuple[str, pikepdf.Page, str]]:
    """Each page of each PDF: where it is ("demo.pdf p. 1"), the page, its paper."""
    for name, data, paper in marked:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages, 1):
                yield f"{name} p. {number}", page, paper


def _box(array: pikepdf.Array) -> Box:
    left, bottom, right, top = (float(value) for value in array)
    return left, bottom, right, top


def _grown(box: Box, by: float) -> Box:
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by


def _close(box: Box, expected: Box) -> bool:
    return all(abs(a - b) <= TOLERANCE for a, b in zip(box, expected, strict=True))


def test_trim_is_the_paper_and_bleed_3_mm_beyond(marked: list[tuple[str, bytes, str]]) -> None:
    for where, page, paper in _pages(marked):
        width, height = PAPER[paper]
        trim = _box(page.TrimBox)
        assert abs(trim[2] - trim[0] - width) <= TOLERANCE, where
        assert abs(trim[3] - trim[1] - height) <= TOLERANCE, where
        assert _close(_box(page.BleedBox), _grown(trim, 3 * MM)), where
        media = _box(page.MediaBox)
        assert _close(media, _grown(trim, (media[2] - trim[2]))), where
        assert media[2] - trim[2] >= 3 * MM + 5 * MM, f"{where}: no room for the marks"


def _marks(page: pikepdf.Page) -> list[tuple[Segment, str | None]]:
    """What the page strokes outside its trim."""
    trim = _box(page.TrimBox)
    return [(segment, artifact) for segment, artifact in stroked_segments(page)
            if _outside(segment, trim) > TOLERANCE]


def _outside(segment: Segment, trim: Box) -> float:
    """How far the segment's farther end lies outside the trim box (negative: inside)."""
    return max(_beyond(x, y, trim) for x, y in ((segment[0], segment[1]),
                                                 (segment[2], segment[3])))


def _beyond(x: float, y: float, trim: Box) -> float:
    left, bottom, right, top = trim
    return max(left - x, x - right, bottom - y, y - top)


def _gap(segment: Segment, trim: Box) -> float:
    """How far the segment's nearer end lies outside the trim box."""
    return min(_beyond(x, y, trim) for x, y in ((segment[0], segment[1]),
                                                 (segment[2], segment[3])))


def test_crop_marks_are_long_and_clear_of_the_trim_and_bleed(
        marked: list[tuple[str, bytes, str]]) -> None:
    """Eight marks a page, one along each trim edge at each corner, at least 5 mm long and
    starting at least 3 mm outside the trim (so in the slug, beyond the bleed)."""
    for where, page, _paper in _pages(marked):
        trim, media = _box(page.TrimBox), _box(page.MediaBox)
        marks = [segment for segment, _ in _marks(page)]
        assert len(marks) == 8, where
        for x0, y0, x1, y1 in marks:
            assert abs(x1 - x0) < TOLERANCE or abs(y1 - y0) < TOLERANCE, where
            assert abs(x1 - x0) + abs(y1 - y0) >= 5 * MM, where
            assert _gap((x0, y0, x1, y1), trim) >= 3 * MM - TOLERANCE, where
            assert all(media[0] <= x <= media[2] for x in (x0, x1)), where
            assert all(media[1] <= y <= media[3] for y in (y0, y1)), where
        lines = {round(x0) for x0, _, x1, _ in marks if abs(x1 - x0) < TOLERANCE}
        lines |= {round(y0) for _, y0, _, y1 in marks if abs(y1 - y0) < TOLERANCE}
        assert lines == {round(edge) for edge in trim}, f"{where}: marks off the trim lines"


def test_crop_marks_are_artifacts_and_the_structure_holds(
        marked: list[tuple[str, bytes, str]]) -> None:
    for name, data, _paper in marked:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            assert structure_problems(pdf) == [], name
    for where, page, _paper in _pages(marked):
        assert {artifact for _, artifact in _marks(page)} == {"/Page"}, where
