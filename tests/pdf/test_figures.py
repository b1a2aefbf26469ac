"""Figures in the printed sheets: text a reader can read, in the sheet font, and no figure
pushed to a new page leaving a large gap. Reads the session's build of the shipped project
(`shipped_build`, Letter), so every test here is `slow`; A4 is covered by the computed sizes
of tests/model/test_figuretext.py, which assume A4's narrower column."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfminer.layout import LTChar, LTFigure

from factsheets.config import Config
from printcheck import figure_pages, page_fill, pages

pytestmark = pytest.mark.slow


def figure_sheets(config: Config) -> list[Path]:
    """The sheet PDFs (both languages) whose pages draw a figure from sheets/figures/."""
    found = []
    for pdf in sorted(config.output_dir.glob("*/*.pdf")):
        page = pdf.with_suffix(".html")
        if page.exists() and "media/sheets/figures/" in page.read_text(encoding="utf-8"):
            found.append(pdf)
    return found


def figure_chars(path: Path) -> list[LTChar]:
    """The characters drawn inside figures (WeasyPrint draws SVG text as form XObjects)."""
    found = []
    for page in pages(path):
        stack = [item for item in page if isinstance(item, LTFigure)]
        while stack:
            item = stack.pop()
            if isinstance(item, LTChar) and item.get_text().strip():
                found.append(item)
            elif hasattr(item, "__iter__"):
                stack.extend(item)
    return found


def test_figure_text_prints_at_9pt_or_more_in_the_sheet_font(shipped_build: Config) -> None:
    """Every character of every figure in every printed sheet is at least 9 pt and set in
    Atkinson Hyperlegible: WeasyPrint draws SVG text with the document's @font-face fonts."""
    sheets = figure_sheets(shipped_build)
    assert len(sheets) >= 6, sheets  # three sheets with figures, in English and French
    for path in sheets:
        chars = figure_chars(path)
        assert len(chars) > 50, path
        sizes = sorted(round(c.size, 2) for c in chars)
        assert sizes[0] >= 9, (path, sizes[:5])
        assert {c.fontname.split("+")[-1].split("-")[0] for c in chars} == {"Atkinson"}, path


def test_no_figure_leaves_more_than_a_third_of_a_page_empty_before_it(
        shipped_build: Config) -> None:
    """A figure too tall for the rest of a page starts the next one; the page before it may
    end early, but by no more than a third of the type area."""
    for path in figure_sheets(shipped_build):
        figures = figure_pages(path)
        assert figures, path
        fills = page_fill(path)
        for number, first in figures.items():
            if first and number > 1:
                assert 1 - fills[number - 2] <= 1 / 3, (path, number, fills[number - 2])
