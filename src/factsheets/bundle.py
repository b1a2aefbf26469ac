"""A language's bundle: its sheets' own PDFs joined behind a cover and contents, with pikepdf.

WeasyPrint lays out only the front matter: the cover, the contents, then one blank stand-in
page for each page of each sheet, so the contents' page numbers and links and the running
footers are the whole bundle's. The join puts each sheet page in place of its stand-in,
under the stand-in's footer instead of its own, and grafts the sheet's structure tree into
the bundle's as an /Art element. Time and memory grow with the pages, not with one layout
of every sheet at once.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from .config import Config
from .pdf import PdfJob, PrintResources, RenderedPdf

ObjGen = tuple[int, int]
FOOTER = pikepdf.Name("/BundleFooter")


@dataclass(frozen=True)
class BundleJob:
    """The front matter to render and the sheet PDFs (paths in dist/) to join behind it."""

    front: PdfJob
    parts: tuple[str, ...]
    pages: tuple[int, ...]
    """Each part's page count, which the front matter's stand-ins were made for."""

    @property
    def config(self) -> Config:
        return self.front.config

    @property
    def source(self) -> str:
        return self.front.source

    def render(self, shared: PrintResources | None = None) -> RenderedPdf:
        """Render the front matter, then join the sheets' PDFs to it."""
        front = self.front.render(shared)
        parts = [(self.config.output_dir / part, pages)
                 for part, pages in zip(self.parts, self.pages, strict=True)]
        return RenderedPdf(join(front.data, parts), front.pages, front.warnings)


def join(front: bytes, parts: list[tuple[Path, int]]) -> bytes:
    """Put each part's pages (it has the number given) in place of `front`'s last stand-ins.

    One part is open at a time: what the bundle takes from it, stream data included, is
    copied in before it closes, so memory holds the bundle and one sheet, not every file.
    """
    with pikepdf.open(io.BytesIO(front)) as pdf:
        at = len(pdf.pages) - sum(pages for _, pages in parts)
        stand_ins = {page.objgen for page in pdf.pages[at:]}
        keys = {int(page.StructParents) for page in pdf.pages[at:] if "/StructParents" in page}
        moved: dict[ObjGen, Any] = {}
        outline: list[pikepdf.OutlineItem] = []
        for path, pages in parts:
            with pikepdf.open(path) as source:
                if len(source.pages) != pages:
                    raise ValueError(f"{path.name} changed while its bundle was being made")
                moved.update(_graft(pdf, source, at, outline))
            at += pages
        _point_destinations(pdf, moved)
        _drop_structure_of(pdf, stand_ins, keys)
        with pdf.open_outline() as bookmarks:
            bookmarks.root.extend(outline)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def _graft(pdf: pikepdf.Pdf, source: pikepdf.Pdf, at: int,
           outline: list[pikepdf.OutlineItem]) -> dict[ObjGen, Any]:
    """Put `source`'s pages at `at` over the stand-ins there; adopt its tags and bookmarks.

    Gives each stand-in page's id and the sheet page now in its place.
    """
    offset = _next_key(pdf)
    pdf.Root.StructTreeRoot.ParentTreeNextKey = offset + _renumber(source, offset)
    _resolve_named_links(source)
    moved, placed = {}, {}
    for index, page in enumerate(source.pages):
        _strip_pagination(source, page)
        stand_in = pdf.pages[at + index]
        pdf.pages.insert(at + index, page)
        new = pdf.pages[at + index]
        _draw_footer_of(pdf, new, stand_in)
        del pdf.pages[at + index + 1]
        moved[stand_in.objgen] = new.obj
        placed[page.objgen] = new.obj
    _adopt_structure(pdf, source)
    with source.open_outline() as bookmarks:
        outline.extend(_copy_item(item, placed) for item in bookmarks.root)
    _own_streams(list(placed.values()))
    return moved


def _own_streams(pages: list[Any]) -> None:
    """Copy the data of every stream the new pages use into the bundle itself.

    qpdf reads a copied stream's data from its source file only when the bundle is saved;
    taken now, the source can be closed at once. (The walk skips `/Parent` and `/P`, which
    lead back to the bundle's page tree and pages.)
    """
    seen: set[ObjGen] = set()
    todo = list(pages)
    while todo:
        item = todo.pop()
        if not isinstance(item, pikepdf.Object) or item.objgen in seen:
            continue  # a number, or an object already done
        if item.is_indirect:
            seen.add(item.objgen)
        if isinstance(item, pikepdf.Stream):
            item.write(item.read_raw_bytes(), filter=item.get("/Filter"),
                       decode_parms=item.get("/DecodeParms"), type_check=False)
        if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
            todo.extend(value for key, value in item.items() if key not in ("/Parent", "/P"))
        elif isinstance(item, pikepdf.Array):
            todo.extend(item)


def _next_key(pdf: pikepdf.Pdf) -> int:
    """The first number the bundle's ParentTree has not used."""
    tree = pdf.Root.StructTreeRoot
    if "/ParentTreeNextKey" not in tree:
        keys = list(tree.ParentTree.Nums)[::2]
        tree.ParentTreeNextKey = max((int(key) for key in keys), default=-1) + 1
    return int(tree.ParentTreeNextKey)


def _renumber(source: pikepdf.Pdf, offset: int) -> int:
    """Shift every ParentTree number of `source` by `offset`; give how many it uses."""
    tree = source.Root.StructTreeRoot.ParentTree
    if "/Kids" in tree:
        raise ValueError("a sheet's PDF has a ParentTree of more than one level")
    for page in source.pages:
        if "/StructParents" in page:
            page.StructParents = int(page.StructParents) + offset
        for annotation in page.get("/Annots", ()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    nums = tree.Nums
    used = 0
    for index in range(0, len(nums), 2):
        used = max(used, int(nums[index]) + 1)
        nums[index] = int(nums[index]) + offset
    return used


def _resolve_named_links(source: pikepdf.Pdf) -> None:
    """A link to a named place in the sheet points at the place itself (names do not move)."""
    if "/Names" not in source.Root or "/Dests" not in source.Root.Names:
        return
    names = pikepdf.NameTree(source.Root.Names.Dests)
    for page in source.pages:
        for annotation in page.get("/Annots", ()):
            name = annotation.get("/Dest")
            if isinstance(name, pikepdf.String) and str(name) in names:
                annotation.Dest = names[str(name)]


def _strip_pagination(source: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """Take the sheet's own running footer (its pagination artifacts) off the page."""
    kept, depth = [], 0
    for instruction in pikepdf.parse_content_stream(page):
        operator = str(instruction.operator)
        if depth:
            depth += (operator in ("BDC", "BMC")) - (operator == "EMC")
        elif operator == "BDC" and _is_pagination(instruction.operands):
            depth = 1
        else:
            kept.append(instruction)
    page.Contents = source.make_stream(pikepdf.unparse_content_stream(kept))


def _is_pagination(operands: Any) -> bool:
    tag, properties = operands
    return tag == pikepdf.Name.Artifact and isinstance(properties, pikepdf.Dictionary) \
        and properties.get("/Type") == pikepdf.Name.Pagination


def _draw_footer_of(pdf: pikepdf.Pdf, page: pikepdf.Page, stand_in: pikepdf.Page) -> None:
    """Draw the stand-in page (its footer, an artifact) over the sheet page."""
    page.Resources = pikepdf.Dictionary(page.Resources)  # its own: the sheet's pages share one
    name = page.add_resource(stand_in.as_form_xobject(), pikepdf.Name.XObject, FOOTER)
    page.contents_add(pdf.make_stream(b"q\n"), prepend=True)
    page.contents_add(pdf.make_stream(b"\nQ /Artifact BMC q " + name.unparse() + b" Do Q EMC\n"))


def _adopt_structure(pdf: pikepdf.Pdf, source: pikepdf.Pdf) -> None:
    """The sheet's /Document becomes an /Art of the bundle's; its ParentTree entries join."""
    root = source.Root.StructTreeRoot
    [document] = list(root.K) if isinstance(root.K, pikepdf.Array) else [root.K]
    del document["/P"]  # or copying it would copy the sheet's whole StructTreeRoot
    art = pdf.copy_foreign(document)
    tree = pdf.copy_foreign(source.make_indirect(root.ParentTree))
    bundle = pdf.Root.StructTreeRoot.K[0]
    art.S, art.P = pikepdf.Name.Art, bundle
    if source.Root.get("/Lang") != pdf.Root.get("/Lang"):
        art.Lang = source.Root.Lang
    bundle.K.append(art)
    pdf.Root.StructTreeRoot.ParentTree.Nums.extend(tree.Nums)


def _copy_item(item: pikepdf.OutlineItem, placed: dict[ObjGen, Any]) -> pikepdf.OutlineItem:
    """A sheet's bookmark, pointing at its page in the bundle."""
    destination = item.destination
    if isinstance(destination, pikepdf.Array) and destination[0].objgen in placed:
        destination = pikepdf.Array([placed[destination[0].objgen], *destination[1:]])
    else:
        destination = None
    copy = pikepdf.OutlineItem(item.title, destination)
    copy.children.extend(_copy_item(kid, placed) for kid in item.children)
    return copy


def _point_destinations(pdf: pikepdf.Pdf, moved: dict[ObjGen, Any]) -> None:
    """Named places on a stand-in page (the contents' links) now name the sheet page."""
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return
    names = pikepdf.NameTree(pdf.Root.Names.Dests)
    for name, destination in list(names.items()):
        if isinstance(destination, pikepdf.Array) and destination[0].objgen in moved:
            names[name] = pikepdf.Array([moved[destination[0].objgen], *destination[1:]])


def _drop_structure_of(pdf: pikepdf.Pdf, stand_ins: set[ObjGen], keys: set[int]) -> None:
    """Forget the stand-ins' (empty) structure elements and their ParentTree entries."""
    tree = pdf.Root.StructTreeRoot
    document = tree.K[0]
    document.K = pikepdf.Array([kid for kid in document.K if not (
        isinstance(kid, pikepdf.Dictionary) and "/Pg" in kid and kid.Pg.objgen in stand_ins)])
    nums = list(tree.ParentTree.Nums)
    tree.ParentTree.Nums = pikepdf.Array([
        item for key, value in zip(nums[::2], nums[1::2], strict=True) if int(key) not in keys
        for item in (key, value)])
