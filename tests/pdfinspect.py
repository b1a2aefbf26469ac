"""Read what a tagged PDF holds, for tests: its structure tree, marked text and artifacts."""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pdfminer.pdfdevice import TagExtractor
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

TOKEN = re.compile(r'<(/?)(\w+)((?: \w+="[^"]*")*)>|([^<]+)')


@dataclass
class Node:
    """One structure element: its type (`H1`), own /Lang, kids and marked content."""

    kind: str
    obj: pikepdf.Dictionary
    parent: Node | None
    lang: str | None = None
    kids: list[Node] = field(default_factory=list)
    content: list[tuple[int, int]] = field(default_factory=list)
    """(page index, MCID) of the marked content directly under this element."""


class TaggedPdf:
    """A PDF opened with pikepdf, its structure tree and its marked content read by pdfminer."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pdf = pikepdf.open(io.BytesIO(data))
        self.pages = {page.obj.objgen: i for i, page in enumerate(self.pdf.pages)}
        self.marked, self.artifacts = marked_content(data)
        kids = self.pdf.Root.StructTreeRoot.K
        self.root = self._node(kids[0] if isinstance(kids, pikepdf.Array) else kids, None)

    def _node(self, obj: pikepdf.Dictionary, parent: Node | None) -> Node:
        node = Node(str(obj.S)[1:], obj, parent, str(obj.Lang) if "/Lang" in obj else None)
        page = self.pages.get(obj.Pg.objgen) if "/Pg" in obj else None
        kids = obj.get("/K", pikepdf.Array())
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                node.content.append((page, int(kid)))
            elif kid.get("/Type") == "/MCR":
                node.content.append((self.pages[kid.Pg.objgen], int(kid.MCID)))
            elif "/S" in kid:
                node.kids.append(self._node(kid, node))
        return node

    def nodes(self, kind: str | None = None) -> Iterator[Node]:
        """Every structure element in reading order, or only those of one type."""
        return self.nodes_under(self.root, kind)

    def nodes_under(self, top: Node, kind: str | None = None) -> Iterator[Node]:
        """`top` and the elements under it in reading order, or only those of one type."""
        stack = [top]
        while stack:
            node = stack.pop(0)
            if kind is None or node.kind == kind:
                yield node
            stack[:0] = node.kids

    def text(self, node: Node) -> str:
        """The text an element holds, its own and its descendants', in order."""
        own = "".join(self.marked.get(key, "") for key in node.content)
        return own + "".join(self.text(kid) for kid in node.kids)

    def lang_of(self, node: Node | None) -> str:
        """The language an element is read in: its own /Lang, a parent's, or the document's."""
        while node is not None:
            if node.lang:
                return node.lang
            node = node.parent
        return str(self.pdf.Root.Lang)


def marked_content(data: bytes) -> tuple[dict[tuple[int, int], str], list[str]]:
    """Text by (page index, MCID), and the text of every /Artifact, as pdfminer reads them."""
    out = io.BytesIO()
    manager = PDFResourceManager()
    device = TagExtractor(manager, out)
    interpreter = PDFPageInterpreter(manager, device)
    for page in PDFPage.get_pages(io.BytesIO(data)):
        interpreter.process_page(page)
    return _parse_tags(out.getvalue().decode("utf-8"))


def _parse_tags(xml: str) -> tuple[dict[tuple[int, int], str], list[str]]:
    marked: dict[tuple[int, int], str] = {}
    artifacts: list[str] = []
    page, stack = -1, []
    for closing, tag, attrs, text in TOKEN.findall(xml):
        if text:
            if stack and stack[-1][0] == "Artifact":
                artifacts[-1] += html.unescape(text)
            elif stack and stack[-1][1] is not None:
                key = (page, stack[-1][1])
                marked[key] = marked.get(key, "") + html.unescape(text)
        elif tag == "page" and not closing:
            page += 1
        elif tag != "page" and closing:
            stack.pop()
        elif tag != "page":
            mcid = re.search(r'MCID="(\d+)"', attrs)
            stack.append((tag, int(mcid[1]) if mcid else None))
            if tag == "Artifact":
                artifacts.append("")
    return marked, artifacts


def fonts(pdf: pikepdf.Pdf) -> Iterator[tuple[str, pikepdf.Dictionary]]:
    """Every font the pages and their forms use, with the descriptor that says whether it is
    embedded."""
    forms = [x for page in pdf.pages for x in page.Resources.get("/XObject", {}).values()
             if x.get("/Subtype") == "/Form"]
    for owner in [*pdf.pages, *forms]:
        for name, font in owner.Resources.get("/Font", {}).items():
            descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font else font)
            yield str(font.get("/BaseFont", name)), descriptor.get("/FontDescriptor")


def subset_programs(pdf: pikepdf.Pdf) -> dict[str, set[bytes]]:
    """Every embedded font's name, as its font, its CIDFont and its descriptor give it (all
    three must agree), to the digests of the font programs that go by that name."""
    programs: dict[str, set[bytes]] = {}
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
            continue
        font = obj.DescendantFonts[0] if "/DescendantFonts" in obj else obj
        descriptor = font.get("/FontDescriptor")
        files = [descriptor[k] for k in ("/FontFile", "/FontFile2", "/FontFile3")
                 if descriptor is not None and k in descriptor]
        if files:
            name = str(descriptor.FontName)
            assert str(obj.BaseFont) == str(font.BaseFont) == name, (obj.BaseFont, name)
            digest = hashlib.sha256(files[0].read_bytes()).digest()
            programs.setdefault(name, set()).add(digest)
    return programs


def normalized(text: str) -> str:
    """Text without spaces (zero-width ones too) or hyphens, so line breaks and hyphenation
    do not matter."""
    return re.sub(r"[\s\-\u00ad\u2010\u200b]+", "", text)


def structure_problems(pdf: pikepdf.Pdf) -> list[str]:
    """What a PDF/UA checker flags in how pages, annotations and the structure tree meet.

    Nothing may be painted outside marked content (tagged or artifact); each marked-content
    id on a page must lead, through the page's ParentTree entry, to the one element that
    holds it; each tagged annotation to the Link that holds it; no form a page draws may
    hold tagged content; no ParentTree entry may be left that nothing uses.
    """
    nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
    entries = {int(key): value for key, value in zip(nums[::2], nums[1::2], strict=True)}
    problems, used = [], set()
    for index, page in enumerate(pdf.pages):
        used.add(int(page.StructParents))
        parents = entries.get(int(page.StructParents), pikepdf.Array())
        instructions = pikepdf.parse_content_stream(page)
        problems.extend(f"page {index + 1}: {operator} paints outside marked content"
                        for operator in _unmarked_painting(instructions))
        for mcid in _mcids(instructions):
            holder = parents[mcid] if mcid < len(parents) else None
            if (page.objgen, mcid) not in _held(holder):
                problems.append(f"page {index + 1}: MCID {mcid} has no element holding it")
        for annotation in page.get("/Annots", ()):
            used.add(int(annotation.StructParent))
            if annotation.objgen not in _held(entries.get(int(annotation.StructParent))):
                problems.append(f"page {index + 1}: an annotation has no element holding it")
        for name, xobject in page.Resources.get("/XObject", {}).items():
            if xobject.get("/Subtype") == "/Form" and list(_mcids(
                    pikepdf.parse_content_stream(xobject))):
                problems.append(f"page {index + 1}: form {name} holds tagged content")
    problems.extend(f"ParentTree entry {key} is used by nothing" for key in set(entries) - used)
    return problems


PAINTING = {"f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "Tj", "TJ", "'", '"', "Do", "sh",
            "BI"}


def _unmarked_painting(instructions: list[pikepdf.ContentStreamInstruction]) -> Iterator[str]:
    depth = 0
    for instruction in instructions:
        operator = str(instruction.operator)
        depth += (operator in ("BDC", "BMC")) - (operator == "EMC")
        if not depth and operator in PAINTING:
            yield operator


def _mcids(instructions: list[pikepdf.ContentStreamInstruction]) -> Iterator[int]:
    for instruction in instructions:
        if str(instruction.operator) == "BDC":
            properties = instruction.operands[1]
            if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                yield int(properties.MCID)


def _held(element: pikepdf.Object) -> set[object]:
    """What an element holds itself: (page id, MCID) pairs and annotation ids."""
    if not isinstance(element, pikepdf.Dictionary):
        return set()
    kids = element.get("/K", pikepdf.Array())
    held: set[object] = set()
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            held.add((element.Pg.objgen, int(kid)))
        elif kid.get("/Type") == "/MCR":
            held.add((kid.Pg.objgen, int(kid.MCID)))
        elif kid.get("/Type") == "/OBJR":
            held.add(kid.Obj.objgen)
    return held


Segment = tuple[float, float, float, float]
Matrix = tuple[float, float, float, float, float, float]


def stroked_segments(page: pikepdf.Page) -> list[tuple[Segment, str | None]]:
    """Each straight segment the page strokes, itself or in the forms it draws (x0, y0, x1,
    y1, in default user space), with the /Type of the artifact drawing it ("" for an untyped
    artifact, None if it is not drawn as an artifact)."""
    return list(_strokes(page.obj, (1, 0, 0, 1, 0, 0), [None]))


def _strokes(owner: Any, ctm: Matrix, marked: list[str | None],
             ) -> Iterator[tuple[Segment, str | None]]:
    """The strokes of a page or form's content, drawn under `ctm`, inside `marked` content."""
    saved: list[Matrix] = []
    path: list[Segment] = []
    point = (0.0, 0.0)
    for instruction in pikepdf.parse_content_stream(owner):
        operator, operands = str(instruction.operator), instruction.operands
        if operator in ("q", "Q", "cm"):
            ctm = _graphics_state(operator, operands, ctm, saved)
        elif operator in ("BDC", "BMC"):
            kind = _artifact_type(operands)
            marked.append(marked[-1] if kind is None else kind)
        elif operator == "EMC":
            marked.pop()
        elif operator in ("m", "l"):
            start, point = point, _apply(ctm, float(operands[0]), float(operands[1]))
            if operator == "l":
                path.append((*start, *point))
        elif operator in ("S", "s", "B", "B*", "b", "b*"):
            yield from ((segment, marked[-1]) for segment in path)
            path = []
        elif operator in ("f", "F", "f*", "n"):
            path = []
        elif operator == "Do":
            form = owner.Resources.XObject[operands[0]]
            if form.get("/Subtype") == "/Form":
                matrix = tuple(float(v) for v in form.get("/Matrix", (1, 0, 0, 1, 0, 0)))
                inner = _graphics_state("cm", list(matrix), ctm, [])
                yield from _strokes(form, inner, [marked[-1]])


def _graphics_state(operator: str, operands: list[object], ctm: Matrix,
                    saved: list[Matrix]) -> Matrix:
    if operator == "q":
        saved.append(ctm)
        return ctm
    if operator == "Q":
        return saved.pop()
    a, b, c, d, e, f = (float(value) for value in operands)  # type: ignore[arg-type]
    a2, b2, c2, d2, e2, f2 = ctm
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _apply(ctm: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = ctm
    return a * x + c * y + e, b * x + d * y + f


def _artifact_type(operands: list[object]) -> str | None:
    """The /Type of the artifact a BDC or BMC opens ("" if it has none); None if not one."""
    if operands[0] != pikepdf.Name.Artifact:
        return None
    properties = operands[1] if len(operands) > 1 else None
    if isinstance(properties, pikepdf.Dictionary):
        return str(properties.get("/Type", ""))
    return ""
