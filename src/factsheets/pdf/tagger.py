"""WeasyPrint's tagger, extended while one PDF is written -> artifacts claimed, /Lang, list pairs.

WeasyPrint 70 builds the structure tree in `weasyprint.pdf.tags._build_box_tree`. While
`extended_tagger()` is active, every call goes through `_build`, which:

- claims page furniture (margin boxes: running footer, page numbers) as pagination
  artifacts, and decorative images (`alt=""`) as plain artifacts, instead of leaving them
  as orphaned marked content;
- puts `/Lang` on the structure element of any HTML element whose `lang` differs from
  its surroundings (fallback strings, `[Jeunesse, J'écoute]{lang=fr}`);
- tags a `dl` as a list of term/definition pairs (L > LI > Lbl + LBody) and a `figure`
  as a Div grouping its Figure (with /Alt) and Caption;
- makes the pieces of one HTML element one structure element: WeasyPrint makes one per
  box, and a paragraph or list broken across pages, or a link broken across lines, is
  several boxes (`Pieces`).

`artifacts.mark_artifacts()` then rewrites the claimed marked content as `/Artifact` with
pikepdf, and drops the link annotation of a claimed box.

The two functions replaced are private to WeasyPrint, so this module checks when it is
imported that they take the parameters it passes (`check_weasyprint`) and refuses to load,
naming the supported WeasyPrint, rather than fail in the middle of a layout. What upstream
would have to do for this module to go: docs/pdf.md, "What must happen upstream".
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pydyf
import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf import tags

from ..units import PT_PER_PX
from .fence import check_private

WRAPPED = {
    "_build_box_tree": ("box", "parent", "pdf", "page_number", "nums", "annotations", "tags"),
    "_get_pdf_tag": ("tag",),
}
"""The private functions of `weasyprint.pdf.tags` replaced here, with the parameters passed."""


def check_weasyprint(module: Any = tags, version: str = weasyprint.__version__) -> None:
    """Refuse a WeasyPrint whose private tagger functions differ from those `_build` wraps."""
    check_private(module, WRAPPED, "PDF tagger", version)


check_weasyprint()
_ORIGINAL_BUILD = tags._build_box_tree
_ORIGINAL_TAG = tags._get_pdf_tag
_LOCK = threading.Lock()
NULL = b"null"
EXTRA_TAGS = {"dt": "Lbl", "dd": "LBody", "figure": "Div"}


@dataclass
class TagNotes:
    """What the extended tagger learns while WeasyPrint writes one PDF."""

    artifacts: dict[int, dict[int, bool]] = field(default_factory=dict)
    """Page index -> the MCIDs claimed there -> whether they are pagination (margin boxes)."""
    anonymous: set[bytes] = field(default_factory=set)
    elements: dict[bytes, tuple[Any, str]] = field(default_factory=dict)
    """Structure element reference -> the HTML element (and pseudo-element) it was made for."""
    wrappers: set[bytes] = field(default_factory=set)
    """The list items `_pair_terms` made, which belong to no HTML element."""
    stack: list[tuple[Any, str]] = field(default_factory=lambda: [(None, "")])
    page_height: float = 0.0
    """The height of the page being tagged, in CSS px (layout measures from its top edge)."""


@contextmanager
def extended_tagger() -> Iterator[TagNotes]:
    """Route WeasyPrint's tagger through `_build` while one PDF is written."""
    notes = TagNotes()
    with _LOCK:
        tags._build_box_tree = lambda *args: _build(notes, *args)
        tags._get_pdf_tag = lambda tag: EXTRA_TAGS.get(tag or "") or _ORIGINAL_TAG(tag)
        try:
            yield notes
        finally:
            tags._build_box_tree = _ORIGINAL_BUILD
            tags._get_pdf_tag = _ORIGINAL_TAG


def _build(notes: TagNotes, box: Any, parent: Any, pdf: Any, page: int, nums: dict[int, Any],
           annotations: list[Any], marked: dict[Any, Any]) -> Iterator[Any]:
    """WeasyPrint's `_build_box_tree` with artifacts, languages, glossaries, figures, and the
    pieces of a broken element joined (a page's top elements once the page is done)."""
    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    if isinstance(box, boxes.MarginBox) or _decorative(box):
        pagination = isinstance(box, boxes.MarginBox)
        claimed = notes.artifacts.setdefault(page, {})
        claimed.update(dict.fromkeys(_claim(box, marked, nums), pagination))
        return
    is_page = isinstance(box, boxes.PageBox)
    if is_page:
        notes.page_height = box.margin_height()
    outer_element, inherited = notes.stack[-1]
    lang = box.element.get("lang", inherited) if box.element is not None else inherited
    notes.stack.append((box.element, lang))
    pieces = Pieces(notes, pdf, nums, annotations)
    first = len(parent["K"])  # the page's first top element, when `box` is a page
    try:
        passing = is_page or box.element_tag in ("html", "body")
        for element in _ORIGINAL_BUILD(box, parent, pdf, page, nums, annotations, marked):
            if not passing:  # else made for a box below, and finished there
                _made_for(notes, element, box, pdf, lang != inherited and lang, outer_element)
                pieces.merge(element)
            yield element
        if is_page:
            pieces.merge(parent, first)
    finally:
        notes.stack.pop()


def _made_for(notes: TagNotes, element: Any, box: Any, pdf: Any, lang: str | bool,
              outer_element: Any) -> None:
    """Note which HTML element a structure element was made for, and finish it."""
    if box.element is None:
        return
    notes.elements[element.reference] = (box.element, box.element_tag)
    if box.element is outer_element:
        notes.anonymous.add(element.reference)
    else:
        _finish(notes, element, box, pdf, lang)


def _finish(notes: TagNotes, element: Any, box: Any, pdf: Any, lang: str | bool) -> None:
    """Add what WeasyPrint leaves out to the structure element of an HTML element."""
    if lang:
        element["Lang"] = pydyf.String(lang)
    if element["S"] == "/Figure" and "A" in element:
        _bbox_in_points(element["A"], notes.page_height)
    if box.element_tag == "dl":
        _pair_terms(notes, element, pdf)
    elif box.element_tag == "figure":
        _flatten(notes, element, pdf)


def _bbox_in_points(attributes: Any, page_height: float) -> None:
    """A figure's `/BBox` in the page's own coordinates: WeasyPrint 70 writes the layout's
    (CSS px from the top-left corner), which puts it off the page; a page draws 1 px as
    0.75 pt with y upwards from the bottom edge (`weasyprint.pdf.generate_pdf`'s matrix)."""
    x1, y1, x2, y2 = (float(value) for value in attributes["BBox"])
    attributes["BBox"] = pydyf.Array([PT_PER_PX * x1, PT_PER_PX * (page_height - y2),
                                      PT_PER_PX * x2, PT_PER_PX * (page_height - y1)])


def _decorative(box: Any) -> bool:
    """An image the page marks as decoration (empty alt text)."""
    return isinstance(box, boxes.ReplacedBox) and box.element is not None \
        and box.element.get("alt") == ""


def _claim(box: Any, marked: dict[Any, Any], nums: dict[int, Any]) -> set[int]:
    """Take the marked content of `box` and its descendants out of the structure tree."""
    claimed = set()
    stack = [box]
    while stack:
        current = stack.pop()
        if current in marked:
            mcid = marked.pop(current)["mcid"]
            nums[mcid] = NULL
            claimed.add(mcid)
        stack.extend(getattr(current, "children", ()))
    return claimed


def _object(pdf: Any, reference: Any) -> Any:
    """The pydyf object a reference (`b"12 0 R"`) points to, or None for an MCID."""
    if isinstance(reference, bytes):
        return pdf.objects[int(reference.split()[0])]
    return None


def _adopt(pdf: Any, parent: Any, reference: Any) -> None:
    """Append a kid (element reference or MCID) to `parent`, pointing it back at its parent."""
    kid = _object(pdf, reference)
    if kid is not None:
        kid["P"] = parent.reference
    parent["K"].append(reference)


def _pair_terms(notes: TagNotes, dl: Any, pdf: Any) -> None:
    """Group a `dl`'s Lbl (dt) and LBody (dd) children into one LI per term.

    A `div` wrapping a term and its definitions (allowed in HTML) becomes that LI.
    """
    kids, dl["K"] = dl["K"], pydyf.Array()
    item = None
    for reference in kids:
        kid = _object(pdf, reference)
        if kid is not None and kid["S"] == "/Div":
            kid["S"], item = "/LI", None
            dl["K"].append(reference)
            continue
        if item is None or (kid is not None and kid["S"] == "/Lbl"):
            item = pydyf.Dictionary({"Type": "/StructElem", "S": "/LI", "K": pydyf.Array(),
                                     "Pg": dl["Pg"], "P": dl.reference})
            pdf.add_object(item)
            notes.wrappers.add(item.reference)
            dl["K"].append(item.reference)
        _adopt(pdf, item, reference)


def _flatten(notes: TagNotes, figure: Any, pdf: Any) -> None:
    """Lift the kids of anonymous blocks inside a figure's Div up into the Div."""
    kids, figure["K"] = figure["K"], pydyf.Array()
    for reference in kids:
        if reference in notes.anonymous:
            for grandkid in _object(pdf, reference)["K"]:
                _adopt(pdf, figure, grandkid)
        else:
            figure["K"].append(reference)


@dataclass
class Pieces:
    """Merges the structure elements WeasyPrint makes for the pieces of one HTML element.

    WeasyPrint tags boxes, not elements: a paragraph or list that a page break splits is a
    box on each page, a link that wraps is an inline box on each line, and each box becomes
    a structure element of its own ("list, 2 items" read twice). Two neighbouring elements
    made for the same HTML element (`same`) are such pieces: the later one's kids move to
    the end of the earlier one, then the two kids that meet there are looked at in turn, so
    a list item, and the link in it, broken by the same page break are joined as well.
    """

    notes: TagNotes
    pdf: Any
    nums: dict[int, Any]
    """The current page's MCID -> structure element map (only it can name a new piece)."""
    annotations: list[Any]
    """WeasyPrint's (structure element, annotation) pairs, given /StructParent at the end."""

    def merge(self, parent: Any, start: int = 0) -> None:
        """Join each run of neighbouring pieces among `parent`'s kids from `start` on."""
        kids, index = parent["K"], max(start, 1)
        while index < len(kids):
            after = _object(self.pdf, kids[index])
            before = self.lifted_over(kids, index, after) or _object(self.pdf, kids[index - 1])
            if not self.same(before, after):
                index += 1
                continue
            meeting = len(before["K"])
            self.absorb(before, after)
            del kids[index]
            self.merge(before, meeting)

    def lifted_over(self, kids: Any, index: int, after: Any) -> Any:
        """The list item two kids before `after`, if `after` is its piece past its nested list.

        A nested list is its outer list's kid in PDF (WeasyPrint lifts it out of its `li`,
        and puts it after the `li`), so a nested list broken by a page puts the rest of its
        `li` (often empty) between the two pieces of the nested list: it joins the `li`.
        """
        if index < 2 or after is None or after.get("S") != "/LI":
            return None
        nested, item = _object(self.pdf, kids[index - 1]), _object(self.pdf, kids[index - 2])
        if nested is None or nested.get("S") != "/L" or not self.same(item, after):
            return None
        return item

    def same(self, before: Any, after: Any) -> bool:
        """Whether two structure elements are pieces of one HTML element (or list item)."""
        if before is None or after is None or before.get("S") != after.get("S") \
                or before.get("Type") != "/StructElem":
            return False
        made_for = self.notes.elements.get(before.reference)
        if made_for is not None:
            return made_for == self.notes.elements.get(after.reference)
        wrappers = self.notes.wrappers
        return before.reference in wrappers and after.reference in wrappers \
            and bool(before["K"]) and bool(after["K"]) \
            and self.same(_object(self.pdf, before["K"][-1]), _object(self.pdf, after["K"][0]))

    def absorb(self, before: Any, after: Any) -> None:
        """Move the kids of `after` to the end of `before`, and what pointed at it to `before`."""
        for kid in after["K"]:
            if isinstance(kid, int) and after["Pg"] != before["Pg"]:
                kid = pydyf.Dictionary({"Type": "/MCR", "Pg": after["Pg"], "MCID": kid})
            elif (element := _object(self.pdf, kid)) is not None \
                    and element.get("Type") == "/StructElem":
                element["P"] = before.reference
            before["K"].append(kid)
        for mcid, holder in self.nums.items():
            if holder == after.reference:
                self.nums[mcid] = before.reference
        for index, (holder, annotation) in enumerate(self.annotations):
            if holder == after.reference:
                self.annotations[index] = (before.reference, annotation)
        self.notes.elements.pop(after.reference, None)
