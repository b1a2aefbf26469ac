"""The tagger extends private WeasyPrint functions, so it refuses a WeasyPrint it does not know.

Nothing here renders a PDF: what the extended tags hold is checked in test_pdf.py.
"""

from __future__ import annotations

import pytest
from weasyprint.pdf import tags

from factsheets.pdf import tagger


def test_the_installed_weasyprint_is_the_one_the_tagger_wraps() -> None:
    tagger.check_weasyprint()


def test_a_changed_private_signature_is_refused_with_a_sentence(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint's main branch has given `_build_box_tree` an eighth parameter."""

    def newer(box, parent, pdf, page_number, nums, links, tags, part_container):  # type: ignore[no-untyped-def]
        return iter(())

    monkeypatch.setattr(tags, "_build_box_tree", newer)
    with pytest.raises(tagger.UnsupportedWeasyPrint) as info:
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
    with pytest.raises(tagger.UnsupportedWeasyPrint, match=r"tags\._get_pdf_tag is missing"):
        tagger.check_weasyprint(tags, "72.0")
