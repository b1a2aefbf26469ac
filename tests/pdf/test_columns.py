"""Two balanced columns in two passes (pdf/columns.py): as even as WeasyPrint's own balancing,
with nothing lost, and WeasyPrint's own layout wherever the two passes do not apply."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from weasyprint import CSS, HTML
from weasyprint.layout import block

from conftest import HANDOUT_JOBS
from factsheets.config import Config
from factsheets.pdf import columns
from factsheets.pdf.fence import UnsupportedWeasyPrint
from factsheets.pdf.jobs import PdfMeta
from factsheets.pdf.render import PrintResources, render_pdf

Column = tuple[str, float]
"""A laid-out column: its text, and the bottom of its last line (CSS px from the page top)."""


@pytest.fixture
def weasyprint_balancing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The multi-column boxes handed to WeasyPrint's own balancing (by their first words),
    while `quick_columns` is active."""
    handed: list[str] = []
    original = columns._ORIGINAL

    def counted(context: Any, box: Any, *args: Any) -> Any:
        handed.append(_text(box)[:40])
        return original(context, box, *args)

    monkeypatch.setattr(columns, "_ORIGINAL", counted)
    return handed


def _lay_out(html: str, quick: bool, shared: PrintResources | None = None,
            page_css: str = "") -> list[list[Column]]:
    """The columns of each page of `html`, laid out in two passes or by WeasyPrint alone
    (with the project's print.css and fonts, if `shared`)."""
    styles = [shared.stylesheet, CSS(string=page_css, font_config=shared.fonts)] if shared else []
    with columns.quick_columns() if quick else contextlib.nullcontext():
        document = HTML(string=html).render(stylesheets=styles,
                                            font_config=shared.fonts if shared else None)
    return [[(_text(box), _bottom(box)) for box in _descendants(page._page_box)
             if box.is_column] for page in document.pages]


def _descendants(box: Any) -> list[Any]:
    found = [box]
    for child in getattr(box, "children", ()):
        found += _descendants(child)
    return found


def _text(box: Any) -> str:
    return " ".join(child.text for child in _descendants(box) if hasattr(child, "text"))


def _bottom(box: Any) -> float:
    lines = [child for child in _descendants(box) if type(child).__name__ == "LineBox"]
    return max((line.position_y + line.height for line in lines), default=box.position_y)


def _assert_as_even(quick: list[list[Column]], weasyprint: list[list[Column]]) -> None:
    """One page of two columns holding WeasyPrint's text, the taller no taller than the
    taller of WeasyPrint's."""
    assert len(quick) == len(weasyprint) == 1 and len(quick[0]) == 2
    assert " ".join(text for text, _ in quick[0]) == " ".join(text for text, _ in weasyprint[0])
    tallest = max(bottom for _, bottom in weasyprint[0])
    assert max(bottom for _, bottom in quick[0]) <= tallest + columns.SLACK


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_every_shipped_handout_is_balanced_in_two_passes_as_evenly_as_by_weasyprint(
        lang: str, shipped_build: Config, weasyprint_balancing: list[str]) -> None:
    shared = PrintResources(shipped_build)
    jobs = {name: job for name, job in HANDOUT_JOBS.items() if name.endswith(f" ({lang})")}
    assert len(jobs) == 20  # 5 sheets, 4 audiences
    for name, job in jobs.items():
        quick = _lay_out(job["html"], True, shared, job["page_css"])
        weasyprint = _lay_out(job["html"], False, shared, job["page_css"])
        try:
            _assert_as_even(quick, weasyprint)
        except AssertionError as error:
            raise AssertionError(f"{name}: {quick} against {weasyprint}") from error
    assert weasyprint_balancing == []


@pytest.mark.slow
def test_handouts_are_rendered_in_two_passes(shipped_build: Config,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    measured: list[float] = []
    balanced_height = columns._balanced_height

    def spy(*args: Any) -> float:
        measured.append(balanced_height(*args))
        return measured[-1]

    monkeypatch.setattr(columns, "_balanced_height", spy)
    name, job = next(iter(HANDOUT_JOBS.items()))
    rendered = render_pdf(job["html"], PdfMeta("Handout", "en"), shipped_build, name,
                          page_css=job["page_css"], base_url=job["base_url"], one_page=name)
    assert rendered.pages == 1 and len(measured) == 1
    assert block.columns_layout is columns._ORIGINAL  # WeasyPrint's own, after the render


PAGE = "@page { size: 120mm 160mm; margin: 10mm } body { font: 11pt/1.3 sans-serif }"


def _items(count: int) -> str:
    return "".join(f"<li>Item {n}: {'a tip of a few words ' * (n % 4 + 1)}</li>"
                   for n in range(count))


ITEMS = _items(6)
BODIES = {
    "paragraphs": "".join(f"<p>Paragraph {n}. {'Words to fill a line or two. ' * (n % 5 + 2)}"
                          "</p>" for n in range(6)),
    "headed lists kept whole": f"<section><h2>Tips</h2><ul>{ITEMS}</ul></section>"
                               f"<section><h2>Help</h2><ul class=whole>{_items(3)}</ul></section>",
    "margins and orphans": f"<p style='margin: 6mm 0'>{'A long paragraph of text. ' * 16}</p>"
                           f"<h2 style='margin-top: 8mm'>After</h2><ul>{ITEMS}</ul>",
}
STYLE = ("<style>.cols { columns: 2; column-gap: 5mm } p { orphans: 3; widows: 3 }"
         " .whole li { break-inside: avoid; margin-bottom: 2mm }</style>")


@pytest.mark.slow
@pytest.mark.parametrize("name", BODIES)
def test_content_of_each_kind_is_balanced_as_evenly_as_by_weasyprint(
        name: str, weasyprint_balancing: list[str]) -> None:
    html = f"<style>{PAGE}</style>{STYLE}<div class=cols>{BODIES[name]}</div><p>After.</p>"
    _assert_as_even(_lay_out(html, True), _lay_out(html, False))
    assert weasyprint_balancing == []


@pytest.mark.slow
@pytest.mark.parametrize("content", [
    pytest.param("<p>" + "Too much text for two columns of one page. " * 200 + "</p>",
                 id="onto a second page"),
    pytest.param(f"<ul>{ITEMS}</ul><p style='break-before: column'>Forced.</p><ul>{ITEMS}</ul>",
                 id="forced column break"),
    pytest.param(f"<ul>{ITEMS}</ul><h2 style='column-span: all'>Across</h2><ul>{ITEMS}</ul>",
                 id="spanning heading"),
])
def test_what_two_passes_cannot_do_is_laid_out_by_weasyprint(
        content: str, weasyprint_balancing: list[str]) -> None:
    html = f"<style>{PAGE}</style>{STYLE}<div class=cols>{content}</div>"
    assert _lay_out(html, True) == _lay_out(html, False)
    assert weasyprint_balancing


def test_a_changed_private_layout_function_is_refused_with_a_sentence(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def newer(adjoining_margins: list[float], context: object) -> float:
        return 0.0

    monkeypatch.setattr(block, "collapse_margin", newer)
    with pytest.raises(UnsupportedWeasyPrint) as info:
        columns.check_weasyprint("71.0")
    assert str(info.value) == (
        "factsheets' column layout supports WeasyPrint 70 (weasyprint>=70,<71) only: in "
        "WeasyPrint 71.0, weasyprint.layout.block.collapse_margin takes (adjoining_margins, "
        "context) instead of (adjoining_margins); install a supported WeasyPrint: "
        "pip install 'weasyprint>=70,<71'")

