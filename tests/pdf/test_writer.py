"""The object-by-object PDF writer: what it copies reads back the same, in a file qpdf and
poppler accept without repairs."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pikepdf

from factsheets.pdf.subsets import SubsetTags
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


def _copy(*sources: pikepdf.Pdf) -> bytes:
    """The `sources`' pages written by PdfWriter under a page tree and catalog of its own."""
    out = io.BytesIO()
    writer = PdfWriter(out)
    catalog, pages, info = writer.reserve(), writer.reserve(), writer.reserve()
    kids = []
    for source in sources:
        copier = Copier(writer, source)
        copier.same(source.Root.Pages, pages)
        kids += [copier.ref(page.obj) for page in source.pages]
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


def _subset_user(program: bytes, name: str = "/WJKLAQ+Atkinson-Hyperlegible") -> pikepdf.Pdf:
    """A page whose font is a subset named `name`, as WeasyPrint names every subset of a
    face (a Type0 font over a CIDFont whose descriptor embeds `program`)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    descriptor = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name(name),
        FontFile2=pdf.make_stream(program)))
    cid = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=pikepdf.Name(name),
        FontDescriptor=descriptor))
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name(name),
        DescendantFonts=pikepdf.Array([cid])))
    pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    return pdf


def _names(font: pikepdf.Dictionary) -> tuple[str, str, str]:
    cid = font.DescendantFonts[0]
    return str(font.BaseFont), str(cid.BaseFont), str(cid.FontDescriptor.FontName)


def test_each_subset_in_a_joined_file_is_named_by_its_program() -> None:
    """Three documents each with a subset called WJKLAQ+Atkinson-Hyperlegible, the first and
    last the same program: joined, two names, each the same in font, CIDFont and descriptor."""
    data = _copy(_subset_user(b"glyphs A"), _subset_user(b"glyphs B"), _subset_user(b"glyphs A"))
    with pikepdf.open(io.BytesIO(data)) as copy:
        names = [_names(page.Resources.Font.F1) for page in copy.pages]
    assert all(len(set(three)) == 1 for three in names), names
    first, second, third = (three[0] for three in names)
    assert first == third != second
    assert all(re.fullmatch(r"/[A-Z]{6}\+Atkinson-Hyperlegible", name) for name in names[0])
    assert data == _copy(_subset_user(b"glyphs A"), _subset_user(b"glyphs B"),
                         _subset_user(b"glyphs A")), "the tags do not change between builds"


def test_a_tag_taken_by_another_program_is_not_given_again() -> None:
    tags = SubsetTags()
    first = tags.tag(b"glyphs A")
    clash = SubsetTags()
    clash.programs[first] = b"another program's digest"
    second = clash.tag(b"glyphs A")
    assert re.fullmatch("[A-Z]{6}", second) and second != first
    assert clash.tag(b"glyphs A") == second
