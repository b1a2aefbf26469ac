"""An SVG figure -> how large its smallest text prints (pt) and shows at 320 px (CSS px).

The figure's place is fixed by the stylesheets: on paper at most the narrower type column
(A4, 140 mm; print.css margins) and at most 75 mm tall (print.css `figure img`); on a 320 px
screen the column less its padding and the image's border (site.css `.wrap`, `figure img`),
286 px. Text is read where authors set it: `font-size` attributes and `style=` declarations,
inherited, scaled by ancestors' `transform`s; sizes set by `<style>` selectors are not seen.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from ..errors import Location, Problem
from ..units import PT_PER_PX, PX_PER_INCH, PX_PER_MM
from .figures import style_declarations, svg_root

PRINT_COLUMN_MM = 140.0
PRINT_MAX_HEIGHT_MM = 75.0
SCREEN_COLUMN_PX = 286.0
MIN_PRINT_PT = 9.0
MIN_SCREEN_PX = 9.0
UNITS = {"px": 1.0, "": 1.0, "pt": 1 / PT_PER_PX, "pc": 12 / PT_PER_PX, "mm": PX_PER_MM,
         "cm": 10 * PX_PER_MM, "in": PX_PER_INCH}
LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:e[-+]?[0-9]+)?)\s*([a-z%]*)\s*$", re.I)
TRANSFORM = re.compile(r"(matrix|scale|translate|rotate|skewx|skewy)\s*\(([^)]*)\)", re.I)
DEFAULT_FONT_PX = 16.0
WIDE = int(SCREEN_COLUMN_PX / MIN_SCREEN_PX)
TALL = int(PRINT_MAX_HEIGHT_MM * PX_PER_MM * PT_PER_PX / MIN_PRINT_PT)
"""How many times its smallest font-size a figure may be wide (on a phone) and tall (on paper)."""


@dataclass(frozen=True)
class SmallText:
    """The smallest text of a figure: where it is, what it says and the sizes it gets."""

    line: int
    text: str
    font_size: float
    print_pt: float
    screen_px: float

    def too_small(self) -> bool:
        return self.print_pt < MIN_PRINT_PT - 0.05 or self.screen_px < MIN_SCREEN_PX - 0.05

    def needed(self) -> float:
        """The font-size (in the figure's own units) that would reach both minimums."""
        return math.ceil(self.font_size * max(MIN_PRINT_PT / self.print_pt,
                                              MIN_SCREEN_PX / self.screen_px))


def smallest_text(data: bytes) -> SmallText | None:
    """The figure's smallest text as printed and shown, or None when it draws no text."""
    root = svg_root(data)
    print_scale, screen_scale = _scales(root)
    smallest = None
    for element in root.iter():
        if not isinstance(element.tag, str) or not element.tag.endswith(("}text", "}tspan")):
            continue
        text = (element.text or "").strip()
        if not text:
            continue
        size = _font_size(element) * _transform_scale(element)
        if smallest is None or size < smallest[0]:
            smallest = (size, element.sourceline or 0, text)
    if smallest is None:
        return None
    size, line, text = smallest
    return SmallText(line, text, size, size * print_scale * PT_PER_PX, size * screen_scale)


def smallest_text_px(data: bytes, shown_width: float) -> float | None:
    """The figure's smallest text in CSS px when the figure is shown `shown_width` px wide
    (as measured in a browser), or None when it draws no text."""
    smallest = smallest_text(data)
    if smallest is None:
        return None
    natural_width = _units(svg_root(data))[0]
    return smallest.font_size * shown_width / natural_width


def _scales(root: Any) -> tuple[float, float]:
    """CSS px per figure unit on paper and on a 320 px screen."""
    units_w, units_h = _units(root)
    natural = _length(root.get("width", ""), 0.0) or units_w  # intrinsic width in CSS px
    paper = min(natural, PRINT_COLUMN_MM * PX_PER_MM) / units_w
    paper = min(paper, PRINT_MAX_HEIGHT_MM * PX_PER_MM / units_h)
    screen = min(natural, SCREEN_COLUMN_PX) / units_w
    return paper, screen


def _units(root: Any) -> tuple[float, float]:
    """The figure's width and height in its own units (its viewBox, else its size)."""
    box = [float(v) for v in re.split(r"[\s,]+", root.get("viewBox", "").strip()) if v]
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        return box[2], box[3]
    return (_length(root.get("width", ""), 0.0) or 300.0,
            _length(root.get("height", ""), 0.0) or 150.0)


def _length(value: str, relative_to: float) -> float:
    """A length in CSS px; `em` and `%` against `relative_to`; 0 when unreadable."""
    match = LENGTH.match(value or "")
    if not match:
        return 0.0
    number, unit = float(match[1]), match[2].lower()
    if unit == "em":
        return number * relative_to
    if unit == "%":
        return number * relative_to / 100
    return number * UNITS.get(unit, 0.0)


def _font_size(element: Any) -> float:
    """The element's computed font-size in its own units, inherited down from the root."""
    chain = []
    while element is not None:
        chain.append(element)
        element = element.getparent()
    size = DEFAULT_FONT_PX
    for node in reversed(chain):
        style = style_declarations(node.get("style", ""))
        declared = style.get("font-size") or node.get("font-size")
        if declared:
            size = _length(declared, size) or size
    return size


def _transform_scale(element: Any) -> float:
    """How much the `transform`s of the element and its ancestors enlarge text (area-wise)."""
    scale = 1.0
    while element is not None:
        for name, args in TRANSFORM.findall(element.get("transform", "")):
            numbers = [float(n) for n in re.findall(r"[-+]?[0-9]*\.?[0-9]+(?:e[-+]?[0-9]+)?",
                                                    args)]
            scale *= _one_scale(name.lower(), numbers)
        element = element.getparent()
    return scale


def _one_scale(name: str, numbers: list[float]) -> float:
    if name == "matrix" and len(numbers) == 6:
        a, b, c, d = numbers[:4]
        return math.sqrt(abs(a * d - b * c))
    if name == "scale" and numbers:
        return math.sqrt(abs(numbers[0] * (numbers[1] if len(numbers) > 1 else numbers[0])))
    return 1.0


def small_text_problem(data: bytes, shown: str) -> Problem | None:
    """A located warning when the figure's smallest text prints below 9 pt or shows below
    9 px on a 320 px screen, naming the font-size that would do; None when it is legible."""
    try:
        smallest = smallest_text(data)
    except (ValueError, SyntaxError):  # unreadable: svg_problem has said so already
        return None
    if smallest is None or not smallest.too_small():
        return None
    return Problem(
        Location(shown, smallest.line, 1),
        f"figure text {smallest.text[:40]!r} (font-size {smallest.font_size:g}) prints at "
        f"{smallest.print_pt:.1f} pt and shows at {smallest.screen_px:.1f} px on a phone; "
        f"figure text must reach {MIN_PRINT_PT:g} pt and {MIN_SCREEN_PX:g} px",
        f"make the figure's smallest text font-size {smallest.needed():g} or more, or draw "
        f"the figure smaller around the same text (its viewBox), at most about {WIDE} text "
        f"heights wide and {TALL} tall", severity="warning")
