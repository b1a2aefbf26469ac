"""A PDF laid out with a bleed -> each page in a slug, with crop marks there and exact boxes.

`--print-marks` gives the pages a 3 mm bleed (templates/pdf/page.css.j2); WeasyPrint then
makes the MediaBox the bleed's edge and the TrimBox the Letter or A4 page. Its own crop marks
(`marks: crop`) are 1.5 mm long and end 1.5 mm from the trim, inside the bleed, where a
trimming error would leave them on the page; these are 6 mm long, start 3 mm outside the
trim (or at the bleed's edge, if wider), in a slug beyond the bleed that the MediaBox grows
to take, and are drawn as production-aid artifacts, out of the structure tree.
"""

from __future__ import annotations

from typing import Any

import pikepdf

from ..units import PT_PER_MM as MM
from .writer import marks_drawing

OFFSET = 3 * MM
"""How far outside the trim a crop mark starts, at least (it clears a 3 mm bleed)."""
LENGTH = 6 * MM
MARGIN = 2 * MM
"""The clear strip between the marks' outer ends and the edge of the sheet (MediaBox)."""
LINE = 0.25
"""The marks' line width, in points (a hairline that still prints)."""

Box = tuple[float, float, float, float]


def add_crop_marks(pdf: pikepdf.Pdf) -> None:
    """Give each page laid out with a bleed a slug with crop marks: the BleedBox is the bleed,
    the MediaBox grows by the slug, the TrimBox (the page) stays."""
    for page in pdf.pages:
        media, trim = _box(page.MediaBox), _box(page.TrimBox)
        bleed = max(trim[0] - media[0], trim[1] - media[1], media[2] - trim[2],
                    media[3] - trim[3])
        if bleed <= 0:
            continue
        offset = max(OFFSET, bleed)
        page.BleedBox = _array(media)
        page.MediaBox = _array(_grow(trim, offset + LENGTH + MARGIN))
        if "/CropBox" in page.obj:
            page.CropBox = page.MediaBox
        before, after = marks_drawing(crop_marks(trim, offset), LINE)
        page.contents_add(pdf.make_stream(before), prepend=True)
        page.contents_add(pdf.make_stream(after))


def crop_marks(trim: Box, offset: float) -> list[Box]:
    """The eight crop marks of a trim box, as lines (x0, y0, x1, y1): at each corner, one
    along each trim edge, from `offset` to `offset` + LENGTH outside the trim."""
    left, bottom, right, top = trim
    near, far = offset, offset + LENGTH
    lines = []
    for x, out_x in ((left, -1), (right, 1)):
        for y, out_y in ((bottom, -1), (top, 1)):
            lines.append((x + out_x * near, y, x + out_x * far, y))
            lines.append((x, y + out_y * near, x, y + out_y * far))
    return lines


def _box(array: Any) -> Box:
    left, bottom, right, top = (float(value) for value in array)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


def _array(box: Box) -> pikepdf.Array:
    return pikepdf.Array([round(value, 3) for value in box])


def _grow(box: Box, by: float) -> Box:
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by
