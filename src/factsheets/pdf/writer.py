"""A PDF written object by object: objects of open pikepdf documents copied under new numbers,
dictionaries packed into object streams, and a cross-reference stream at the end.

pikepdf (qpdf) saves only a document it holds whole. This writer lets a bundle take one sheet
at a time: what it has written is on its way out, and it keeps only each object's place.
"""

from __future__ import annotations

import hashlib
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Any, BinaryIO

import pikepdf

from .subsets import SubsetTags

ObjGen = tuple[int, int]
PACK = 200
"""Objects per object stream."""
ROW = struct.Struct(">BIH")
"""A cross-reference stream's row (/W [ 1 4 2 ]): type, offset or stream, generation or index."""
TOKENS = re.compile(rb"\((?:[^\\()]|\\.)*\)|<[0-9A-Fa-f\s]*>|(?<![\d.+-])(\d+) (\d+) R\b",
                    re.DOTALL)
"""In qpdf's unparsed syntax: a string (qpdf escapes parentheses in it), or a reference."""


def ref(number: int) -> bytes:
    """A reference to object `number`."""
    return b"%d 0 R" % number


@dataclass
class Bookmark:
    """A bookmark to write: its title and destination in PDF syntax, and its children."""

    title: bytes
    destination: bytes | None
    children: list[Bookmark]


class PdfWriter:
    """The file being written: object numbers handed out, and where each object went."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.offset = 0
        self.digest = hashlib.md5(usedforsecurity=False)
        self.xref = bytearray(ROW.pack(0, 0, 65535))
        """Each object's row of the cross-reference stream, packed: 7 bytes an object."""
        self.packed: list[tuple[int, bytes]] = []
        self.subsets = SubsetTags()
        """The font subsets' tags, unique in the file whatever document each came from."""
        self._emit(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self) -> int:
        """A new object number, for an object written later."""
        self.xref += ROW.pack(0, 0, 0)
        return len(self.xref) // ROW.size - 1

    def add(self, number: int, body: bytes) -> None:
        """Object `number`, not a stream, in PDF syntax: it goes into an object stream."""
        self.packed.append((number, body))
        if len(self.packed) == PACK:
            self._pack()

    def add_stream(self, number: int, info: bytes, data: bytes) -> None:
        """Stream `number`: its dictionary (without /Length) and its (encoded) data."""
        head = info.removesuffix(b">>").rstrip() + b" /Length %d >>" % len(data)
        self._object(number, head + b"\nstream\n" + data + b"\nendstream")

    def add_pages(self, number: int, kids: list[int]) -> None:
        """The page tree: one /Pages node over every page, in order."""
        self.add(number, b"<< /Type /Pages /Kids [ %s ] /Count %d >>"
                 % (b" ".join(ref(kid) for kid in kids), len(kids)))

    def add_structure_root(self, number: int, document: int,
                           parent_tree: list[tuple[int, bytes]]) -> None:
        """The structure tree's root over `document`, with its ParentTree (key, value) pairs."""
        tree = self.reserve()
        self.add(tree, b"<< /Nums [ %s ] >>"
                 % b" ".join(b"%d %s" % (key, value) for key, value in parent_tree))
        next_key = max((key + 1 for key, _ in parent_tree), default=0)
        self.add(number, b"<< /Type /StructTreeRoot /K [ %s ] /ParentTree %s "
                 b"/ParentTreeNextKey %d >>" % (ref(document), ref(tree), next_key))

    def add_outlines(self, number: int, bookmarks: list[Bookmark]) -> None:
        """The outline (every bookmark open) as object `number`."""
        if not bookmarks:
            self.add(number, b"<< /Type /Outlines /Count 0 >>")
            return
        first, last, count = self._bookmarks(bookmarks, number)
        self.add(number, b"<< /Type /Outlines /First %s /Last %s /Count %d >>"
                 % (ref(first), ref(last), count))

    def _bookmarks(self, items: list[Bookmark], parent: int) -> tuple[int, int, int]:
        """Write bookmarks under `parent`: the first's and last's numbers, and their count."""
        numbers = [self.reserve() for _ in items]
        count = len(items)
        for index, (item, number) in enumerate(zip(items, numbers, strict=True)):
            keys = [b"/Title " + item.title, b"/Parent " + ref(parent)]
            if index:
                keys.append(b"/Prev " + ref(numbers[index - 1]))
            if index + 1 < len(items):
                keys.append(b"/Next " + ref(numbers[index + 1]))
            if item.destination is not None:
                keys.append(b"/Dest " + item.destination)
            if item.children:
                first, last, below = self._bookmarks(item.children, number)
                keys.append(b"/First %s /Last %s /Count %d" % (ref(first), ref(last), below))
                count += below
            self.add(number, b"<< " + b" ".join(keys) + b" >>")
        return numbers[0], numbers[-1], count

    def finish(self, root: int, info: int) -> None:
        """Write what is still packed and the cross-reference stream naming `root` and `info`."""
        if self.packed:
            self._pack()
        number, start = self.reserve(), self.offset
        self._place(number, 1, start, 0)
        rows = zlib.compress(self.xref)
        ident = self.digest.hexdigest().encode()
        self._emit(b"%d 0 obj\n<< /Type /XRef /Size %d /W [ 1 4 2 ] /Root %d 0 R /Info %d 0 R "
                   b"/ID [ <%s> <%s> ] /Filter /FlateDecode /Length %d >>\nstream\n"
                   % (number, number + 1, root, info, ident, ident, len(rows))
                   + rows + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)

    def _pack(self) -> None:
        number = self.reserve()
        head, bodies, at = [], [], 0
        for index, (packed, body) in enumerate(self.packed):
            head.append(b"%d %d" % (packed, at))
            bodies.append(body)
            at += len(body) + 1
            self._place(packed, 2, number, index)
        first = b" ".join(head) + b"\n"
        data = zlib.compress(first + b"\n".join(bodies))
        self.add_stream(number, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode >>"
                        % (len(bodies), len(first)), data)
        self.packed = []

    def _place(self, number: int, kind: int, where: int, index: int) -> None:
        ROW.pack_into(self.xref, number * ROW.size, kind, where, index)

    def _object(self, number: int, body: bytes) -> None:
        self._place(number, 1, self.offset, 0)
        self._emit(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def _emit(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)
        self.offset += len(data)


class Copier:
    """Copies objects of one open document into a `PdfWriter`, each once, under new numbers.

    The document's font subsets are renamed (in memory) first, each by its font program, so
    that no two subsets in the file share a name (`subsets.SubsetTags`).
    """

    def __init__(self, writer: PdfWriter, pdf: pikepdf.Pdf) -> None:
        self.writer = writer
        self.pdf = pdf
        writer.subsets.retag(pdf)
        self.numbers: dict[ObjGen, int] = {}
        self.todo: list[ObjGen] = []

    def same(self, obj: Any, number: int) -> None:
        """Write references to `obj` as references to object `number`, written elsewhere."""
        self.numbers[obj.objgen] = number

    def place(self, obj: Any, number: int) -> None:
        """Copy `obj` as object `number` (reserved already)."""
        self.numbers[obj.objgen] = number
        self.todo.append(obj.objgen)

    def ref(self, obj: Any) -> int:
        """The number of indirect `obj` in the new file; it is copied on the next `flush`."""
        return self._number(obj.objgen)

    def value(self, obj: Any) -> bytes:
        """`obj` as PDF syntax: a reference if it is indirect, else the object itself."""
        if obj.is_indirect:
            return ref(self.ref(obj))
        return self.direct(obj)

    def direct(self, obj: Any) -> bytes:
        """`obj` written out (not as a reference), with the references in it renumbered."""
        return TOKENS.sub(self._renumber, obj.unparse(resolved=True))

    def flush(self) -> None:
        """Write every object referred to so far, and every object those refer to."""
        while self.todo:
            objgen = self.todo.pop()
            obj = self.pdf.get_object(objgen)
            if isinstance(obj, pikepdf.Stream):
                self._stream(self.numbers[objgen], obj)
            else:
                self.writer.add(self.numbers[objgen], self.direct(obj))

    def _stream(self, number: int, stream: pikepdf.Stream) -> None:
        data = stream.read_raw_bytes()
        info = pikepdf.Dictionary(stream.stream_dict)  # type: ignore[arg-type]  # a copy
        if "/Length" in info:  # written anew; a stream made in memory has none yet
            del info["/Length"]
        if "/Filter" not in info:
            data, info.Filter = zlib.compress(data), pikepdf.Name.FlateDecode
        self.writer.add_stream(number, self.direct(info), data)

    def _number(self, objgen: ObjGen) -> int:
        if objgen not in self.numbers:
            self.numbers[objgen] = self.writer.reserve()
            self.todo.append(objgen)
        return self.numbers[objgen]

    def _renumber(self, match: re.Match[bytes]) -> bytes:
        if match.group(1) is None:
            return match.group()  # a string
        return ref(self._number((int(match.group(1)), int(match.group(2)))))


def furniture_drawing(form: pikepdf.Name) -> tuple[bytes, bytes]:
    """Content to put before and after a page's own, to draw the form XObject `form` over the
    page as page furniture (a pagination artifact), the page's graphics state restored first."""
    return b"q\n", b"\nQ /Artifact << /Type /Pagination >> BDC q " + form.unparse() + b" Do Q EMC\n"


def marks_drawing(lines: list[tuple[float, float, float, float]], width: float,
                  ) -> tuple[bytes, bytes]:
    """Content to put before and after a page's own, to stroke `lines` (x0, y0, x1, y1, in
    the page's default user space) in black, `width` points wide, as production aids: an
    `/Artifact <</Type /Page>>` (ISO 32000-1 §14.8.2.2.2: "cut marks and color bars")."""
    path = b" ".join(b"%.3f %.3f m %.3f %.3f l" % line for line in lines)
    return b"q\n", (b"\nQ /Artifact << /Type /Page >> BDC q 0 G %.3f w 0 J [] 0 d %s S Q EMC\n"
                    % (width, path))
