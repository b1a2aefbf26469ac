"""The tagger extends private WeasyPrint functions, so it refuses a WeasyPrint it does not know.

Nothing here renders a PDF: what the extended tags hold is checked in test_pdf.py; here, only
how `Pieces` joins the structure elements of a broken element, on hand-made elements.
"""

from __future__ import annotations

import pydyf
import pytest
from lxml import etree
from weasyprint.pdf import tags

from factsheets.pdf import tagger
from factsheets.pdf.fence import UnsupportedWeasyPrint


def test_the_installed_weasyprint_is_the_one_the_tagger_wraps() -> None:
    tagger.check_weasyprint()


def test_a_changed_private_signature_is_refused_with_a_sentence(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint's main branch has given `_build_box_tree` an eighth parameter."""

    def newer(box, parent, pdf, page_number, nums, links, tags, part_container):  # type: ignore[no-untyped-def]
        return iter(())

    monkeypatch.setattr(tags, "_build_box_tree", newer)
    with pytest.raises(UnsupportedWeasyPrint) as info:
        tagger.check_weasyprint(tags, "71.0")
    assert str(info.value) == (
        "factsheets' PDF tagger supports WeasyPrint 70 (weasyprint>=70,<71) only: in "
        "WeasyPrint 71.0, weasyprint.pdf.tags._build_box_tree takes (box, parent, pdf, "
        "page_number, nums, links, tags, part_container) instead of (box, parent, pdf, "
        "page_number, nums, annotations, tags); install a supported WeasyPrint: "
        "pip install 'weasyprint>=70,<71'")
    assert isinstance(info.value, ImportError)  # raised at import: the module never loads


def test_a_missing_private_function_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(tags, "_get_pdf_tag")
    with pytest.raises(UnsupportedWeasyPrint, match=r"tags\._get_pdf_tag is missing"):
        tagger.check_weasyprint(tags, "72.0")


def _element(pdf: pydyf.PDF, kind: str, page: bytes, kids: list[object]) -> pydyf.Dictionary:
    element = pydyf.Dictionary({"Type": "/StructElem", "S": kind, "K": pydyf.Array(kids),
                                "Pg": page, "P": b"1 0 R"})
    pdf.add_object(element)
    return element


def test_pieces_of_one_link_become_one_link_holding_both_annotations() -> None:
    """A link broken by a page: its second piece's text and annotation move to the first,
    the text as a reference naming its own page, and the ParentTree and annotation follow."""
    pdf, notes, link = pydyf.PDF(), tagger.TagNotes(), etree.Element("a")
    objrs = [pydyf.Dictionary({"Type": "/OBJR", "Obj": name}) for name in ("one", "two")]
    for objr in objrs:
        pdf.add_object(objr)
    first = _element(pdf, "/Link", b"10 0 R", [objrs[0].reference, 0])
    second = _element(pdf, "/Link", b"11 0 R", [objrs[1].reference, 0])
    paragraph = _element(pdf, "/P", b"10 0 R", [first.reference, second.reference])
    for element in (first, second):
        notes.elements[element.reference] = (link, "a")
    nums: dict[int, object] = {0: second.reference}
    annotations = [(first.reference, "one"), (second.reference, "two")]
    tagger.Pieces(notes, pdf, nums, annotations).merge(paragraph)
    assert paragraph["K"] == [first.reference]
    assert first["K"][:3] == [objrs[0].reference, 0, objrs[1].reference]
    assert dict(first["K"][3]) == {"Type": "/MCR", "Pg": b"11 0 R", "MCID": 0}
    assert nums == {0: first.reference}
    assert annotations == [(first.reference, "one"), (first.reference, "two")]


def test_neighbouring_elements_of_different_html_elements_stay_apart() -> None:
    pdf, notes = pydyf.PDF(), tagger.TagNotes()
    one = _element(pdf, "/P", b"10 0 R", [])
    two = _element(pdf, "/P", b"10 0 R", [])
    notes.elements[one.reference] = (etree.Element("p"), "p")
    notes.elements[two.reference] = (etree.Element("p"), "p")
    section = _element(pdf, "/Sect", b"10 0 R", [one.reference, two.reference])
    tagger.Pieces(notes, pdf, {}, []).merge(section)
    assert section["K"] == [one.reference, two.reference]


def test_a_nested_list_broken_by_a_page_joins_around_its_item() -> None:
    """WeasyPrint puts a nested list after its `li`, in the outer list: broken by a page, the
    outer list's kids are item, nested list, rest of the item, rest of the nested list."""
    pdf, notes = pydyf.PDF(), tagger.TagNotes()
    item, nested = etree.Element("li"), etree.Element("ul")
    pieces = [_element(pdf, kind, page, []) for kind, page in (
        ("/LI", b"10 0 R"), ("/L", b"10 0 R"), ("/LI", b"11 0 R"), ("/L", b"11 0 R"))]
    for piece, made_for in zip(pieces, [(item, "li"), (nested, "ul")] * 2, strict=True):
        notes.elements[piece.reference] = made_for
    outer = _element(pdf, "/L", b"10 0 R", [piece.reference for piece in pieces])
    tagger.Pieces(notes, pdf, {}, []).merge(outer, 2)
    assert outer["K"] == [pieces[0].reference, pieces[1].reference]
