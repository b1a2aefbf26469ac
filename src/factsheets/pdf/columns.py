"""Balanced two-column layout in two passes, where WeasyPrint 70 tries one height per line.

WeasyPrint balances columns (`weasyprint.layout.column.columns_layout`) by laying them out
at half the content's height, then again one line taller at a time until the content
fits: 3 to 6 layouts of a handout's columns, half its render time. While `quick_columns()`
is active, a box of two balanced columns that starts on its page, spans nothing and has
no footnotes is laid out here instead, in two passes (`_two_passes`):

1. its content in one column of the column's width, at any height: the lines and blocks in
   place give the height where the columns are most even, the least, over the places a
   column may break (between lines, as `orphans` and `widows` allow; between blocks, where
   no `break-*: avoid` holds), of the taller of the two parts (`_balanced_height`);
2. the two columns at that height, by WeasyPrint (`_lay_out_both`), which breaks the text
   into the lines the first pass broke it into (`_lines_broken_once`).

If the second column does not hold the rest (a break thought allowed here was not), the box
goes to WeasyPrint's own balancing, as does every other multi-column box. The private
functions used are checked at import (`fence`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from math import inf
from types import ModuleType
from typing import Any

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block, column, inline
from weasyprint.layout.percent import percentage

from .fence import check_private

USED: dict[ModuleType, dict[str, tuple[str, ...]]] = {
    column: {
        "columns_layout": ("context", "box", "bottom_space", "skip_stack", "containing_block",
                           "page_is_empty", "absolute_boxes", "fixed_boxes",
                           "adjoining_margins", "first_letter_style", "first_line_style"),
        "_create_column_box": ("box", "containing_block", "children", "width", "position_y"),
    },
    inline: {
        "split_first_line": ("text", "style", "context", "max_width", "justification_spacing",
                             "is_line_start", "minimum"),
    },
    block: {
        "block_box_layout": ("context", "box", "bottom_space", "skip_stack",
                             "containing_block", "page_is_empty", "absolute_boxes",
                             "fixed_boxes", "adjoining_margins", "first_letter_style",
                             "first_line_style", "discard", "max_lines"),
        "block_level_width": ("box", "containing_block", "with_min_max"),
        "remove_placeholders": ("context", "box_list", "absolute_boxes", "fixed_boxes"),
        "block_level_page_break": ("sibling_before", "sibling_after"),
        "avoid_page_break": ("page_break", "context"),
        "collapse_margin": ("adjoining_margins",),
    },
}
"""The private functions of WeasyPrint's layout replaced or called here, by module, with
their parameters."""

SLACK = 0.5
"""CSS px added to the balanced height, so rounding does not push its last line over."""


def check_weasyprint(version: str = weasyprint.__version__) -> None:
    """Refuse a WeasyPrint whose private layout functions differ from those used here."""
    for module, functions in USED.items():
        check_private(module, functions, "column layout", version)


check_weasyprint()
_ORIGINAL = column.columns_layout
_SPLIT_FIRST_LINE = inline.split_first_line
_LOCK = threading.Lock()


@contextmanager
def quick_columns() -> Iterator[None]:
    """Lay out plain balanced two-column boxes with `columns_layout` while one PDF renders."""
    with _LOCK:
        previous, block.columns_layout = block.columns_layout, columns_layout
        try:
            yield
        finally:
            block.columns_layout = previous


def columns_layout(context: Any, box: Any, bottom_space: float, skip_stack: Any,
                   containing_block: Any, page_is_empty: bool, absolute_boxes: list,
                   fixed_boxes: list, adjoining_margins: list, first_letter_style: Any,
                   first_line_style: Any) -> tuple:
    """WeasyPrint's `columns_layout`, in two passes for a plain balanced two-column box."""
    args = (context, box, bottom_space, skip_stack, containing_block, page_is_empty,
            absolute_boxes, fixed_boxes, adjoining_margins, first_letter_style,
            first_line_style)
    if not _plain(context, box, skip_stack):
        return _ORIGINAL(*args)
    return _two_passes(*args) or _ORIGINAL(*args)


def _plain(context: Any, box: Any, skip_stack: Any) -> bool:
    """Two balanced columns of auto width and height, not continued, not positioned, with
    nothing spanning and no footnotes in the document."""
    style = box.style
    return (skip_stack is None and style["column_count"] == 2
            and style["column_width"] == "auto" and style["column_fill"] == "balance"
            and style["height"] == style["min_height"] == "auto"
            and style["position"] == "static"
            and not context.footnotes and box.children
            and all(child.style["column_span"] != "all" for child in box.children))


def _two_passes(context: Any, box: Any, bottom_space: float, skip_stack: Any,
                containing_block: Any, page_is_empty: bool, absolute_boxes: list,
                fixed_boxes: list, adjoining_margins: list, *styles: Any) -> tuple | None:
    """Measure, then lay out the two columns at their balanced height; None (and nothing
    left behind) if the second column does not hold the rest or the page is too short."""
    box = box.copy_with_children(box.children)
    box.position_y += block.collapse_margin(adjoining_margins)
    block.block_level_width(box, containing_block)
    columns = _Columns(context, box, containing_block, styles)
    room = context.page_bottom - columns.top - bottom_space
    shapes = len(context.excluded_shapes)
    context.in_column = True
    try:
        with _lines_broken_once():
            height = _balanced_height(columns, shapes)
            laid = _lay_out_both(columns, min(height + SLACK, room), page_is_empty,
                                 absolute_boxes, fixed_boxes) if height <= room else None
        if laid is None:
            del context.excluded_shapes[shapes:]
            return None
        return _fill(box, laid, room)
    finally:
        context.in_column = False


@contextmanager
def _lines_broken_once() -> Iterator[None]:
    """Break each line of text once: the measuring layout and the columns break the same
    text at the same width into the same lines (WeasyPrint's `split_first_line` is pure, and
    the layout it returns is only read until drawn). Widths are compared to a thousandth of
    a pixel: the second column's differ from the measure's in the ninth digit."""
    broken: dict[tuple, tuple] = {}

    def split_first_line(text: str, style: Any, context: Any, max_width: float | None,
                         justification_spacing: float, is_line_start: bool = True,
                         minimum: bool = False) -> tuple:
        width = None if max_width is None else round(max_width, 3)
        key = (text, id(style), width, justification_spacing, is_line_start, minimum)
        if key not in broken:  # the style is kept with the line, so its id is not reused
            broken[key] = style, _SPLIT_FIRST_LINE(text, style, context, max_width,
                                                   justification_spacing, is_line_start,
                                                   minimum)
        return broken[key][1]

    previous, inline.split_first_line = inline.split_first_line, split_first_line
    try:
        yield
    finally:
        inline.split_first_line = previous


def _balanced_height(columns: _Columns, shapes: int) -> float:
    """The content laid out in one column, and the least height of the taller of two
    columns over the places it may break (the whole height, if it may break nowhere;
    infinite if nothing flows)."""
    context = columns.context
    measured, _, _ = columns.lay_out(0, None, inf, True, [], [])
    del context.excluded_shapes[shapes:]
    if measured is None:
        return inf
    block.remove_placeholders(context, [measured], [], [])
    flow = [child for child in measured.children if child.is_in_normal_flow()]
    if not flow:
        return inf
    top = columns.top
    total = flow[-1].position_y + flow[-1].margin_height() - top  # its margin must fit too
    return min((max(end - top, total - (resume - top))
                for end, resume in _breaks(context, measured)), default=total)


def _breaks(context: Any, box: Any) -> Iterator[tuple[float, float]]:
    """For each place a laid-out block may break a column: where the first column's content
    ends and where the second's begins (CSS px, page coordinates)."""
    flow = [child for child in box.children if child.is_in_normal_flow()]
    if flow and all(isinstance(child, boxes.LineBox) for child in flow):
        orphans, widows = box.style["orphans"], box.style["widows"]
        for index in range(orphans, len(flow) - widows + 1):
            yield flow[index - 1].position_y + flow[index - 1].height, flow[index].position_y
        return
    for before, after in zip(flow, [*flow[1:], None], strict=True):
        if (isinstance(before, boxes.BlockContainerBox) and not before.is_table_wrapper
                and not block.avoid_page_break(before.style["break_inside"], context)):
            yield from _breaks(context, before)
        if after is not None and not block.avoid_page_break(
                block.block_level_page_break(before, after), context):
            yield before.position_y + before.margin_height(), after.position_y


def _lay_out_both(columns: _Columns, height: float, page_is_empty: bool,
                  absolute_boxes: list, fixed_boxes: list) -> tuple[list, Any] | None:
    """Both columns at `height`: their boxes and the next page, or None if the content
    does not fit them (whose placeholders are then removed)."""
    laid, skip_stack, next_page = [], None, None
    for index in (0, 1):
        new_box, skip_stack, next_page = columns.lay_out(
            index, skip_stack, height, page_is_empty, absolute_boxes, fixed_boxes)
        if new_box is None:
            break
        laid.append(new_box)
        if skip_stack is None:
            return laid, next_page
    block.remove_placeholders(columns.context, laid, absolute_boxes, fixed_boxes)
    return None


def _fill(box: Any, laid: tuple[list, Any], room: float) -> tuple:
    """The multi-column box holding its columns, each as tall as the taller, as WeasyPrint
    returns it: box, no resume, next page."""
    new_columns, next_page = laid
    tallest = max(new_column.margin_height() for new_column in new_columns)
    for new_column in new_columns:
        new_column.height = tallest
    box.children = new_columns
    box.height = min(room, tallest)
    return box, None, next_page, [], False


class _Columns:
    """The two columns of one multi-column box, laid out from its top."""

    def __init__(self, context: Any, box: Any, containing_block: Any, styles: tuple) -> None:
        style = box.style
        gap = (style["font_size"] if style["column_gap"] == "normal"
               else percentage(style["column_gap"], style, box.width))
        self.context, self.box, self.containing_block, self.styles = (
            context, box, containing_block, styles)
        self.width = max(0, box.width - gap) / 2
        self.step = self.width + gap
        self.children = [child.copy() for child in box.children]
        self.top = box.content_box_y()

    def lay_out(self, index: int, skip_stack: Any, height: float, page_is_empty: bool,
                absolute_boxes: list, fixed_boxes: list) -> tuple[Any, Any, Any]:
        """Column `index` (0 or 1) from `skip_stack`, at most `height` tall: its box, where
        the rest resumes (None when all fits) and the next page."""
        box = column._create_column_box(self.box, self.containing_block, self.children,
                                        self.width, self.top)
        box.position_x += index * self.step
        bottom_space = self.context.page_bottom - self.top - height
        new_box, resume_at, next_page, *_ = block.block_box_layout(
            self.context, box, bottom_space, skip_stack, self.containing_block,
            page_is_empty, absolute_boxes, fixed_boxes, [], *self.styles, discard=False,
            max_lines=None)
        return new_box, resume_at, next_page
