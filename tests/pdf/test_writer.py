"""The object-by-object PDF writer: what it copies reads back the same, in a file qpdf and
poppler accept without repairs."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf

from factsheets.pdf.writer import PACK, Copier, PdfWriter

TRICKY = [
    "(1 0 R) is not a reference",
    "a backslash \\ and ) an unbalanced parenthesis 12 0 R",
    "Fran\u00e7ais et \u00ab guillemets \u00bb",
    "line\nbreak and \t tab",
]


def _source() -> pikepdf.Pdf:
    """A PDF of three pages whose strings look like references, with a shared font."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica))
    for number in range(3):
        pdf.add_blank_page(page_size=(200, 200))
        page = pdf.pages[number]
        page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.Contents = pdf.make_stream(b"BT /F1 12 Tf 20 100 Td (Page %d) Tj ET" % (number + 1))
        page.obj.Notes = pikepdf.Array([pikepdf.String(text) for text in TRICKY])
        page.obj.Bytes = pikepdf.String(bytes([0, 1, 2, 255]))
    return pdf


def _copy(source: pikepdf.Pdf) -> bytes:
    """`source`'s pages written by PdfWriter under a page tree and catalog of its own."""
    out = io.BytesIO()
    writer = PdfWriter(out)
    catalog, pages, info = writer.reserve(), writer.reserve(), writer.reserve()
    copier = Copier(writer, source)
    copier.same(source.Root.Pages, pages)
    kids = [copier.ref(page.obj) for page in source.pages]
    copier.flush()
    writer.add(pages, b"<< /Type /Pages /Kids [ %s ] /Count %d >>"
               % (b" ".join(b"%d 0 R" % kid for kid in kids), len(kids)))
    writer.add(catalog, b"<< /Type /Catalog /Pages %d 0 R >>" % pages)
    writer.add(info, b"<< /Producer (test) >>")
    writer.finish(catalog, info)
    return out.getvalue()


def test_copied_pages_read_back_the_same() -> None:
    data = _copy(_source())
    with pikepdf.open(io.BytesIO(data)) as copy:
        assert len(copy.pages) == 3
        for number, page in enumerate(copy.pages):
            assert [str(text) for text in page.Notes] == TRICKY
            assert bytes(page.Bytes) == bytes([0, 1, 2, 255])
            assert page.Contents.read_bytes() == b"BT /F1 12 Tf 20 100 Td (Page %d) Tj ET" % (
                number + 1)
            assert page.Parent.objgen == copy.Root.Pages.objgen
        fonts = {page.Resources.Font.F1.objgen for page in copy.pages}
        assert len(fonts) == 1, "an object shared in the source is written once"
        copy.save(io.BytesIO())  # qpdf reads every object and stream to write them again
        assert copy.get_warnings() == []


def test_poppler_reads_it_without_complaint(tmp_path: Path) -> None:
    path = tmp_path / "copy.pdf"
    path.write_bytes(_copy(_source()))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert re.search(r"(?m)^Pages: +3$", info.stdout) and info.stderr == ""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True)
    pages = [page.strip() for page in text.stdout.split("\f")]
    assert pages[:3] == ["Page 1", "Page 2", "Page 3"] and text.stderr == ""


def test_many_objects_fill_several_object_streams() -> None:
    source = pikepdf.new()
    source.add_blank_page()
    items = [source.make_indirect(pikepdf.Dictionary(N=n)) for n in range(PACK * 2 + 5)]
    source.pages[0].obj.Items = pikepdf.Array(items)
    data = _copy(source)
    assert data.count(b"/Type /ObjStm") == 3
    with pikepdf.open(io.BytesIO(data)) as copy:
        assert [int(item.N) for item in copy.pages[0].Items] == list(range(PACK * 2 + 5))
        copy.save(io.BytesIO())
        assert copy.get_warnings() == []


def test_same_input_writes_the_same_bytes() -> None:
    assert _copy(_source()) == _copy(_source())
