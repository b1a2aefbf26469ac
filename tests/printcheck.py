"""What a reader holding a printed PDF notices: its text as lines, type sizes, page fill."""

from __future__ import annotations

import functools
import re
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTFigure, LTImage, LTPage, LTTextLine

MM = 72 / 25.4
FOOTER_TOP = 22 * MM
"""The running footer sits in the bottom margin (print.css): below this, furniture."""


def pages_text(path: Path) -> list[str]:
    """Each page's text as `pdftotext -layout` gives it (pdftotext without -layout joins words
    it thinks hyphenated, which would hide an inserted hyphen)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")[:-1]


def joined(text: str) -> str:
    """Lines run together as a reader reads them: straight on after `/`, `.` or `-`, else
    with a space; runs of spaces as one."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out = ""
    for line in lines:
        out += line if not out or out.endswith(("/", ".", "-")) else " " + line
    return re.sub(r"\s+", " ", out)


def stray_lines(text: str) -> list[str]:
    """A one-word line in mid-sentence: a long line before it, a lower-case word after it."""
    lines = [line.strip() for line in text.splitlines()]
    return [" / ".join(lines[i - 1:i + 2]) for i in range(1, len(lines) - 1)
            if re.fullmatch(r"[^\W\d_][\w’']*", lines[i]) and len(lines[i - 1]) > 50
            and re.match(r"[a-zà-ÿ]", lines[i + 1])]


@functools.cache
def pages(path: Path) -> tuple[LTPage, ...]:
    """A PDF's pages as pdfminer draws them (characters grouped into lines, figures, images),
    read once per test run: the PDFs of the session build do not change."""
    return tuple(extract_pages(str(path), laparams=LAParams()))


def chars(path: Path) -> Iterator[tuple[int, LTChar]]:
    """Every character drawn above the footer, with its page number (from 1)."""
    for number, page in enumerate(pages(path), 1):
        yield from ((number, c) for c in _walk(page, LTChar) if c.y0 > FOOTER_TOP)


def _walk(item: object, kind: type) -> Iterator:
    if isinstance(item, kind):
        yield item
    for child in item if hasattr(item, "__iter__") else ():
        yield from _walk(child, kind)


def body_size(path: Path) -> float:
    """The type size most characters are set in."""
    return Counter(round(c.size, 1) for _, c in chars(path)).most_common(1)[0][0]


def line_lengths(path: Path, size: float) -> list[int]:
    """Characters per line, for the lines set at `size`."""
    found = []
    for page in pages(path):
        for line in _walk(page, LTTextLine):
            letters = [c for c in line if isinstance(c, LTChar)]
            if letters and abs(letters[0].size - size) < 0.2:
                found.append(len(line.get_text().strip()))
    return found


def page_fill(path: Path) -> list[float]:
    """How far down each page its content reaches, as a share of the type area's height."""
    fills = []
    for page in pages(path):
        marks = [c.y0 for c in _walk(page, LTChar) if c.y0 > FOOTER_TOP]
        marks += [i.y0 for i in _walk(page, LTImage)]
        top, bottom = page.height - 18 * MM, FOOTER_TOP
        fills.append((top - min(marks)) / (top - bottom) if marks else 0.0)
    return fills


def figure_pages(path: Path) -> dict[int, bool]:
    """The pages (from 1) that hold a figure, and whether the figure is the first thing on
    its page. A figure's drawing reaches pdfminer as `LTFigure`s (WeasyPrint draws an SVG's
    text, and any picture, as form XObjects); the page starts with it when its topmost
    figure mark sits above the page's topmost character of running text."""
    found = {}
    for number, page in enumerate(pages(path), 1):
        figures = [f for f in page if isinstance(f, LTFigure) and f.y0 > FOOTER_TOP]
        if not figures:
            continue
        inside = {id(c) for f in figures for c in _walk(f, LTChar)}
        text = [c.y1 for c in _walk(page, LTChar) if c.y0 > FOOTER_TOP and id(c) not in inside]
        found[number] = not text or max(f.y1 for f in figures) > max(text)
    return found


def font_names(path: Path) -> set[str]:
    """The fonts `pdffonts` lists, without their subset tags."""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return {line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()}
