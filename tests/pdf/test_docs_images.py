"""docs/pdf.md -> its rendered first pages: each image exists, is shown with real alt text,
and is page 1 at the size and resolution scripts/first-pages makes."""

from __future__ import annotations

import re
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "pdf.md"
PAGES_MM = {"letter": (215.9, 279.4), "a4": (210.0, 297.0)}
DPI = 64
"""What scripts/first-pages passes to pdftoppm."""


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _shown() -> dict[str, str]:
    """Each image docs/pdf.md shows, with its alt text."""
    text = DOC.read_text(encoding="utf-8")
    return {src: alt for alt, src in re.findall(r"!\[([^\]]*)\]\(([^)\s]+)\)", text)}


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("size", ["letter", "a4"])
def test_docs_show_the_first_page_in_each_language_and_size(lang: str, size: str) -> None:
    name = f"images/first-page-{lang}-{size}.png"
    shown = _shown()
    assert name in shown, f"docs/pdf.md does not show {name}"
    alt = shown[name]
    assert len(alt.split()) >= 12 and "png" not in alt.lower(), alt
    png = (DOC.parent / name).read_bytes()
    assert len(png) < 150_000, f"{name} is {len(png)} bytes; render it at {DPI} dpi"
    width_mm, height_mm = PAGES_MM[size]
    expected = (round(width_mm / 25.4 * DPI), round(height_mm / 25.4 * DPI))
    made = _size(png)
    assert all(abs(a - b) <= 1 for a, b in zip(made, expected, strict=True)), (name, made)


def test_the_script_that_renders_them_is_named_in_the_docs() -> None:
    script = ROOT / "scripts" / "first-pages"
    assert script.stat().st_mode & 0o111, "scripts/first-pages is not executable"
    assert "scripts/first-pages" in DOC.read_text(encoding="utf-8")
    assert "-r 64" in script.read_text(encoding="utf-8")
