"""A `BundleJob` -> the bundle's file: the front matter laid out by WeasyPrint, then each
sheet's PDF in turn, written with pikepdf and `PdfWriter`, each page under a footer laid out
a chunk at a time.

Imported only where a bundle is rendered (a worker), for pikepdf and WeasyPrint.
"""

from __future__ import annotations

import gc
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, BinaryIO

import pikepdf

from .artifacts import is_furniture_stream
from .bundle import BundleJob, Part
from .jobs import RenderedPdf
from .render import PrintResources, render_job
from .writer import Bookmark, Copier, PdfWriter, furniture_drawing, ref

FOOTER = pikepdf.Name("/BundleFooter")
FRONT_GUESS = 30
"""Contents entries a page holds, for a first guess at the front matter's length."""


def render_bundle(job: BundleJob, shared: PrintResources | None = None) -> RenderedPdf:
    """Lay out the front matter, then write it and the sheets' PDFs as one file."""
    shared = shared or PrintResources(job.config)
    sheets = sum(part.pages for part in job.parts)
    front = _front(job, shared, sheets)
    data = write_bundle(job, shared, front.data, front.pages + sheets)
    return RenderedPdf(data, front.pages + sheets, front.warnings)


def _front(job: BundleJob, shared: PrintResources, sheets: int) -> RenderedPdf:
    """The cover and contents, laid out again until their numbers allow for their length."""
    pages = 1 + -(-len(job.parts) // FRONT_GUESS)
    for _attempt in range(4):
        front = replace(job.front, html=_numbered(job.front.html, pages + 1),
                        page_css=job.front.page_css + job.footer_css(pages + sheets))
        rendered = render_job(front, shared)
        if rendered.pages == pages:
            return rendered
        pages = rendered.pages
    raise RuntimeError("the bundle's contents change length with their own page numbers")


def _numbered(html: str, first: int) -> str:
    """The front matter with each contents entry's page number: `first` + its offset.

    The number starts with a no-break space, so that it reads apart from the title before it
    (an ordinary space would be lost at the end of the title's line).
    """
    import lxml.html

    root = lxml.html.document_fromstring(html)
    for number in root.xpath("//*[@data-offset]"):
        number.text = f"\N{NO-BREAK SPACE}{first + int(number.get('data-offset'))}"
    return str(lxml.html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode"))


class _Footers:
    """The sheets' running footers, stand-in pages drawn as forms, laid out a chunk at a time."""

    def __init__(self, job: BundleJob, shared: PrintResources, pages: int) -> None:
        self.job, self.shared, self.pages = job, shared, pages
        self.start = 0
        self.chunk: Copier | None = None
        """The stand-in pages laid out last, from page `start` on, and their copier."""

    def form(self, writer: PdfWriter, number: int) -> int:
        """Write the footer of the bundle's page `number` as a form; give its object number."""
        if self.chunk is None or not 0 <= number - self.start < len(self.chunk.pdf.pages):
            self.chunk = self._lay_out(writer, number)
        pdf = self.chunk.pdf
        form = self.chunk.ref(pdf.make_indirect(pdf.pages[number - self.start].as_form_xobject()))
        self.chunk.flush()
        return form

    def _lay_out(self, writer: PdfWriter, first: int) -> Copier:
        self.close()
        gc.collect()  # the last chunk's layout, in cycles the worker's lax collector keeps
        css = self.job.stand_ins.page_css + self.job.footer_css(self.pages, first)
        rendered = render_job(replace(self.job.stand_ins, page_css=css), self.shared)
        self.start = first
        return Copier(writer, pikepdf.open(io.BytesIO(rendered.data)))

    def close(self) -> None:
        if self.chunk is not None:
            self.chunk.pdf.close()


@dataclass
class _Frame:
    """The bundle's own objects, written last; what they list is gathered as the join goes."""

    writer: PdfWriter
    lang: str
    """The front matter's language, the bundle's."""
    catalog: int = field(init=False)
    pages: int = field(init=False)
    structure: int = field(init=False)
    document: int = field(init=False)
    outlines: int = field(init=False)
    info: int = field(init=False)
    """The front matter's document information, found when it is written."""
    kids: list[int] = field(default_factory=list)
    nums: list[tuple[int, bytes]] = field(default_factory=list)
    """The ParentTree: each key and its value, in PDF syntax."""
    outline: list[Bookmark] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.catalog, self.pages, self.structure, self.document, self.outlines = (
            self.writer.reserve() for _ in range(5))

    @property
    def next_key(self) -> int:
        """The first ParentTree key no document has taken yet."""
        return max((key + 1 for key, _ in self.nums), default=0)

    def finish(self) -> None:
        """Write the page tree, the structure tree's root, the bookmarks and the trailer."""
        self.writer.add_pages(self.pages, self.kids)
        self.writer.add_structure_root(self.structure, self.document, self.nums)
        self.writer.add_outlines(self.outlines, self.outline)
        self.writer.finish(self.catalog, self.info)

    def adopt_parent_tree(self, copier: Copier, tree: Any) -> None:
        """Take a document's ParentTree entries (already renumbered to follow the bundle's)."""
        if "/Kids" in tree:
            raise ValueError("a PDF in the bundle has a ParentTree of more than one level")
        nums = list(tree.Nums)
        for key, value in zip(nums[::2], nums[1::2], strict=True):
            if not value.is_indirect:  # an array of a page's elements: an object of its own
                number = self.writer.reserve()
                self.writer.add(number, copier.direct(value))
                value_bytes = ref(number)
            else:
                value_bytes = copier.value(value)
            self.nums.append((int(key), value_bytes))


def write_bundle(job: BundleJob, shared: PrintResources, front: bytes, pages: int) -> bytes:
    """The bundle's file: `front` (laid out), then the sheets' PDFs, `pages` in all."""
    out = io.BytesIO()
    footers = _Footers(job, shared, pages)
    try:
        join(out, front, job.parts, job.config.output_dir, footers)
    finally:
        footers.close()
    return out.getvalue()


def join(out: BinaryIO, front: bytes, parts: tuple[Part, ...], root: Path,
         footers: _Footers) -> None:
    """Write `front`, then each part's pages (from `root`/its path) under their footers."""
    writer = PdfWriter(out)
    arts = [writer.reserve() for _ in parts]
    firsts = [writer.reserve() for _ in parts]
    with pikepdf.open(io.BytesIO(front)) as pdf:
        frame = _Frame(writer, str(pdf.Root.get("/Lang", "")))
        _write_front(pdf, frame, parts, arts, firsts)
    for part, art, first in zip(parts, arts, firsts, strict=True):
        with pikepdf.open(root / part.path) as source:
            if len(source.pages) != part.pages:
                raise ValueError(f"{part.path} changed while its bundle was being made")
            _write_sheet(source, frame, footers, art, first)
    frame.finish()


def _write_front(pdf: pikepdf.Pdf, frame: _Frame, parts: tuple[Part, ...], arts: list[int],
                 firsts: list[int]) -> None:
    """The front matter's pages, catalog and /Document, which will hold each sheet's /Art."""
    copier = Copier(frame.writer, pdf)
    root = pdf.Root.StructTreeRoot
    document = _document(root)
    copier.same(root, frame.structure)
    copier.same(pdf.Root.Pages, frame.pages)
    document.K = pikepdf.Array([*_kids(document), *(_stand_for(pdf, copier, n) for n in arts)])
    copier.place(document, frame.document)
    _link_contents(pdf, parts, [_stand_for(pdf, copier, n) for n in firsts])
    for page in pdf.pages:
        frame.kids.append(copier.ref(page.obj))
    frame.adopt_parent_tree(copier, root.ParentTree)
    frame.outline.extend(_items(pdf, copier))
    if "/Outlines" in pdf.Root:
        copier.same(pdf.Root.Outlines, frame.outlines)
    else:
        pdf.Root.Outlines = _stand_for(pdf, copier, frame.outlines)
    pdf.Root.PageMode = pikepdf.Name.UseOutlines
    if "/Names" in pdf.Root:
        del pdf.Root["/Names"]  # named places: the bundle's links point at pages themselves
    copier.place(pdf.Root, frame.catalog)
    frame.info = copier.ref(pdf.trailer.Info)
    copier.flush()


def _stand_for(pdf: pikepdf.Pdf, copier: Copier, number: int) -> Any:
    """A placeholder in `pdf` for object `number` of the bundle, written from another file."""
    holder = pdf.make_indirect(pikepdf.Dictionary())
    copier.same(holder, number)
    return holder


def _link_contents(pdf: pikepdf.Pdf, parts: tuple[Part, ...], firsts: list[Any]) -> None:
    """Each contents link, to a sheet's PDF on the site, goes to its first page instead."""
    targets = {part.url: (part, first) for part, first in zip(parts, firsts, strict=True)}
    top = pdf.pages[0].MediaBox[3]
    for page in pdf.pages:
        for annotation in page.get("/Annots", ()):
            action = annotation.get("/A")
            uri = None if action is None else action.get("/URI")
            if uri is not None and str(uri) in targets:
                part, first = targets[str(uri)]
                del annotation["/A"]
                annotation.Dest = pikepdf.Array([first, pikepdf.Name.XYZ, 0, top, 0])
                annotation.Contents = pikepdf.String(part.title)


def _write_sheet(source: pikepdf.Pdf, frame: _Frame, footers: _Footers, art: int,
                 first: int) -> None:
    """A sheet's pages under the bundle's footers, and its /Document as the /Art `art`."""
    copier = Copier(frame.writer, source)
    root = source.Root.StructTreeRoot
    _renumber(source, frame.next_key)
    _resolve_named_links(source)
    document = _document(root)
    document.S = pikepdf.Name.Art
    if str(source.Root.get("/Lang", "")) != frame.lang:
        document.Lang = source.Root.Lang
    copier.same(root, frame.document)  # the sheet's top element's parent: the bundle's
    copier.place(document, art)
    for index, page in enumerate(source.pages):
        _strip_pagination(page)
        form = footers.form(frame.writer, len(frame.kids) + 1)
        _draw_footer(source, page, _stand_for(source, copier, form))
        copier.same(page.obj.Parent, frame.pages)
        if index == 0:
            copier.place(page.obj, first)
        frame.kids.append(copier.ref(page.obj))
    frame.adopt_parent_tree(copier, root.ParentTree)
    frame.outline.extend(_items(source, copier))
    copier.flush()


def _document(root: Any) -> Any:
    """The one top element (/Document) of a structure tree."""
    [document] = _kids(root)
    return document


def _kids(element: Any) -> list[Any]:
    kids = element.get("/K", pikepdf.Array())
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _renumber(source: pikepdf.Pdf, offset: int) -> None:
    """Shift every ParentTree number of `source` by `offset`, to follow the bundle's."""
    for page in source.pages:
        if "/StructParents" in page:
            page.StructParents = int(page.StructParents) + offset
        for annotation in page.get("/Annots", ()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + offset
    nums = source.Root.StructTreeRoot.ParentTree.get("/Nums", pikepdf.Array())
    for index in range(0, len(nums), 2):
        nums[index] = int(nums[index]) + offset


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


def _strip_pagination(page: pikepdf.Page) -> None:
    """Take the sheet's own running footer off the page: its content streams that are
    pagination artifacts (`artifacts.mark_artifacts` gives each one a stream of its own)."""
    contents = page.obj.Contents
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
    page.Contents = pikepdf.Array([s for s in streams if not is_furniture_stream(s)])


def _draw_footer(source: pikepdf.Pdf, page: pikepdf.Page, form: Any) -> None:
    """Draw the footer `form` over the sheet page, as page furniture (a pagination artifact)."""
    # Copies of its own: the sheet's pages share one (pikepdf's hints ask for a Mapping).
    resources = pikepdf.Dictionary(page.Resources)  # type: ignore[arg-type]
    resources.XObject = pikepdf.Dictionary(resources.get("/XObject", {}))  # type: ignore[arg-type]
    resources.XObject[FOOTER] = form
    page.Resources = resources
    before, after = furniture_drawing(FOOTER)
    page.contents_add(source.make_stream(before), prepend=True)
    page.contents_add(source.make_stream(after))


def _items(pdf: pikepdf.Pdf, copier: Copier) -> list[Bookmark]:
    """A document's bookmarks, their destinations renumbered for the bundle."""
    with pdf.open_outline() as outline:
        return [_item(item, copier) for item in outline.root]


def _item(item: pikepdf.OutlineItem, copier: Copier) -> Bookmark:
    destination = item.destination
    return Bookmark(pikepdf.String(item.title).unparse(),
                 copier.direct(destination) if isinstance(destination, pikepdf.Array) else None,
                 [_item(kid, copier) for kid in item.children])
