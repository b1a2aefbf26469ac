"""Figure text a reader can read: 9 pt on paper, 9 px on a 320 px phone, in the sheet font."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from conftest import skeleton
from factsheets.config import load_config
from factsheets.errors import Problem
from factsheets.html.figurefont import with_sheet_font
from factsheets.model.figures import svg_problem
from factsheets.model.figuretext import smallest_text
from factsheets.model.validate import load_sheets
from factsheets.quality.checks import check_sheet

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "sheets" / "figures").glob("*.svg"))
FIGURE = ("figures:\n  - id: chart\n    src: figures/chart.svg\n    alt: A chart.\n"
          "    after: what-it-is\n")


def figure_warnings(root: Path) -> list[Problem]:
    """What `factsheets check` says about the figures of sheets/sample.yaml."""
    config = load_config(root)
    [loaded], problems = load_sheets(config, [root / "sheets" / "sample.yaml"])
    assert problems == []
    return [p for report in check_sheet(config, loaded, dt.date(2026, 12, 2))
            for p in report.problems if "figure text" in p.message]


def figure(box: str, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" '
            f'font-family="Atkinson Hyperlegible, sans-serif">\n{body}\n</svg>')


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_figure_prints_at_9pt_and_shows_at_9px_on_a_phone(path: Path) -> None:
    """Printed at most 140 mm wide (A4's column, narrower than Letter's) and 75 mm tall,
    shown 286 px wide at 320 px: the smallest text is still 9 pt and 9 CSS px."""
    smallest = smallest_text(path.read_bytes())
    assert smallest is not None
    assert smallest.print_pt >= 9 and smallest.screen_px >= 9, smallest


@pytest.mark.parametrize("body, size", [
    ('<text font-size="18">a</text>', 18),
    ('<g font-size="30"><text style="font-size: 50%">a</text></g>', 15),
    ('<g transform="scale(0.5)"><text font-size="40">a</text></g>', 20),
    ('<g transform="matrix(2 0 0 2 5 5)"><text style="font-size:1.5em">a</text></g>', 48),
    ('<text>a</text>', 16),
])
def test_the_font_size_is_read_as_a_renderer_would(body: str, size: float) -> None:
    smallest = smallest_text(figure("0 0 600 400", body).encode())
    assert smallest is not None and smallest.font_size == pytest.approx(size)


def test_small_figure_text_is_a_located_warning_naming_the_size_to_use(project) -> None:  # type: ignore[no-untyped-def]
    """An author's figure whose labels would print at 6 pt: `factsheets check` warns at the
    file and line of the smallest text, with the font-size that would do; the sheet is valid."""
    small = figure("0 0 900 640", '<text x="10" y="40" font-size="24">Router</text>\n'
                   '<text x="10" y="90" font-size="18">Laptop</text>')
    root = project({"sheets/sample.yaml": skeleton().replace("figures: []\n", FIGURE),
                    "sheets/figures/chart.svg": small,
                    "sheets/figures/chart.fr.svg": small.replace("Laptop", "Portable")})
    problems = figure_warnings(root)
    messages = sorted(p.format() for p in problems)
    assert len(messages) == 2 and all(p.severity == "warning" for p in problems), messages
    assert messages[0].startswith("sheets/figures/chart.fr.svg:3:1: warning: figure text "
                                  "'Portable' (font-size 18) prints at 6.0 pt")
    assert messages[1].startswith("sheets/figures/chart.svg:3:1: warning: figure text 'Laptop'")
    assert "font-size 29 or more" in messages[1]
    assert "31 text heights wide and 23 tall" in messages[1]


def test_legible_figure_text_gives_no_warning(project) -> None:  # type: ignore[no-untyped-def]
    fine = figure("0 0 600 450", '<text x="10" y="40" font-size="20">Laptop</text>')
    root = project({"sheets/sample.yaml": skeleton().replace("figures: []\n", FIGURE),
                    "sheets/figures/chart.svg": fine})
    assert figure_warnings(root) == []


def test_the_published_svg_carries_the_sheet_font_for_the_glyphs_it_draws() -> None:
    """A browser shows an <img> SVG with no outside font: the published copy embeds a WOFF2
    subset of Atkinson Hyperlegible per face used, holding every character the figure
    draws (and little else); the author's file still passes the checks unchanged."""
    source = (ROOT / "sheets" / "figures" / "home-network.fr.svg").read_bytes()
    assert svg_problem(source, load_config(ROOT).limits) == ""
    published = with_sheet_font(source, ROOT / "templates" / "fonts").decode()
    faces = re.findall(r'font-weight: (\w+);[^}]*base64,([A-Za-z0-9+/=]+)', published)
    assert sorted(w for w, _ in faces) == ["bold", "normal"]
    for weight, data in faces:
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        assert font.flavor == "woff2"
        assert "Atkinson" in font["name"].getDebugName(1)
        covered = {chr(c) for c in font.getBestCmap()}
        assert {"’", "é", "è"} & covered and len(covered) < 60, (weight, sorted(covered))
    assert "d’administration" in published and len(published) < 40_000


def test_a_figure_without_the_sheet_font_or_text_is_published_as_it_is() -> None:
    fonts = ROOT / "templates" / "fonts"
    other = figure("0 0 10 10", '<text font-family="serif">a</text>').replace(
        "Atkinson Hyperlegible, ", "").encode()
    assert with_sheet_font(other, fonts) == other
    empty = figure("0 0 10 10", '<rect width="5" height="5"/>').encode()
    assert with_sheet_font(empty, fonts) == empty
