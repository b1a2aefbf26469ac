"""Sheet HTML -> print-ready, tagged PDF/UA-1 (WeasyPrint), with metadata, outline and checks."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..config import Config
from ..errors import Location, PageOverflow, Problem
from ..units import PX_PER_INCH, PX_PER_MM
from .jobs import PdfJob, PdfMeta, RenderedPdf

VARIANT = "pdf/ua-1"
"""PDF/UA-1 (PDF 1.7): see docs/pdf.md for why not pdf/ua-2."""
MIN_DPI = 300


class PrintResources:
    """What every PDF of one project shares: the fonts and print.css.

    Made once per worker and build, so fonts load once, not once per document; what
    print.css was refused is raised for every document that uses it. Images are not
    shared: a cached image would skip the next document's fetcher, and so its sandbox.
    """

    def __init__(self, config: Config) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        from .fetcher import project_fetcher

        path = config.templates_dir / "print.css"
        self.fetcher = project_fetcher(config, path)
        self.fonts = FontConfiguration()
        self.stylesheet = CSS(filename=str(path), url_fetcher=self.fetcher,
                              font_config=self.fonts)


def render_job(job: PdfJob, shared: PrintResources | None = None) -> RenderedPdf:
    """Render a sheet's (or a bundle part's) PDF job (see `render_pdf`)."""
    return render_pdf(job.html, job.meta, job.config, job.source, tagged=job.tagged,
                      page_css=job.page_css, base_url=job.base_url, shared=shared,
                      one_page=job.one_page)


def render_pdf(html: str, meta: PdfMeta, config: Config, source: Path | str, *,
               page_css: str, base_url: str | None = None,
               shared: PrintResources | None = None, tagged: bool = True,
               one_page: str = "") -> RenderedPdf:
    """Render one page of HTML to a tagged PDF (unless not `tagged`).

    A refused resource raises `FetchError`; with `one_page` (a handout's audience), a
    second page raises `PageOverflow`.
    """
    from weasyprint import CSS, HTML

    from .columns import quick_columns
    from .fetcher import project_fetcher

    fetcher = project_fetcher(config, source)
    shared = shared or PrintResources(config)
    styles = [shared.stylesheet, CSS(string=page_css, font_config=shared.fonts)]
    page = HTML(string=html, base_url=base_url or config.templates_dir.as_uri() + "/",
                url_fetcher=fetcher)
    with quick_columns():
        document = page.render(stylesheets=styles, font_config=shared.fonts)
    shared.fetcher.raise_refusals()
    fetcher.raise_refusals()
    if one_page and len(document.pages) > 1:
        raise _overflow(document, source, one_page)
    _set_metadata(document.metadata, meta)
    warnings = tuple(low_resolution(document, source))
    data = _write(document, meta) if tagged else document.write_pdf()
    fetcher.raise_refusals()  # an SVG figure fetches what it references only when drawn
    return RenderedPdf(data, len(document.pages), warnings)


def _write(document: Any, meta: PdfMeta) -> bytes:
    """Write the tagged PDF, then finish its tags, crop marks (if it has a bleed) and
    metadata with pikepdf."""
    import pikepdf

    from .artifacts import mark_artifacts
    from .marks import add_crop_marks
    from .tagger import extended_tagger

    with extended_tagger() as notes:
        data = document.write_pdf(**weasyprint_options())
    with pikepdf.open(io.BytesIO(data)) as pdf:
        mark_artifacts(pdf, notes.artifacts)
        add_crop_marks(pdf)
        _finish_metadata(pdf, meta)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()


def weasyprint_options() -> dict[str, Any]:
    """The write options; checked against WeasyPrint's own list, which only logs a typo."""
    from weasyprint import DEFAULT_OPTIONS

    options = {"pdf_variant": VARIANT, "pdf_tags": True}
    unknown = set(options) - set(DEFAULT_OPTIONS)
    if unknown:
        raise RuntimeError(f"WeasyPrint does not know the options {sorted(unknown)}")
    return options


def _set_metadata(metadata: Any, meta: PdfMeta) -> None:
    """Title, description, keywords, dates and language, as WeasyPrint writes them."""
    metadata.title = meta.title
    metadata.lang = meta.lang
    metadata.description = meta.description or None
    metadata.keywords = list(meta.keywords)
    metadata.authors = [meta.publisher] if meta.publisher else []
    metadata.created = meta.created.isoformat() if meta.created else None
    metadata.modified = meta.modified.isoformat() if meta.modified else None
    metadata.generator = "factsheets"


def _finish_metadata(pdf: Any, meta: PdfMeta) -> None:
    """What WeasyPrint leaves out: dc:publisher, dc:language, and bookmarks shown on opening."""
    import pikepdf

    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        if meta.publisher:
            xmp["dc:publisher"] = [meta.publisher]
        xmp["dc:language"] = [meta.lang]
    if "/Outlines" in pdf.Root:
        pdf.Root.PageMode = pikepdf.Name.UseOutlines


def _overflow(document: Any, source: Path | str, audience: str) -> PageOverflow:
    """The error of a handout that runs over one page: by how much, in millimetres.

    What went past the first page, less the room left at its foot: a block kept whole (the
    colophon) moves to the next page entire, though it lacks only part of its height.
    """
    extents = [_extent(page._page_box) for page in document.pages]
    past = sum(bottom - top for top, bottom, _ in extents[1:])
    room = extents[0][2] - extents[0][1]
    millimetres = max(1.0, (past - room) / PX_PER_MM)
    return PageOverflow([Problem(
        Location(str(source)),
        f"the one-page handout for {audience} runs {millimetres:.0f} mm onto a second page "
        f"({len(document.pages)} pages)",
        hint="shorten that audience's tips, the warning signs, the contacts or the key points "
             "(the summary, if the sheet has none)")])


def _extent(page: Any) -> tuple[float, float, float]:
    """A page's content area top, the bottom of its last line or image, and the area's
    bottom (CSS px). Not of its blocks: a block broken by the page reaches its foot."""
    from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox

    top = page.content_box_y()
    bottoms = [box.position_y + box.margin_height() for box in _descendants(page)
               if isinstance(box, LineBox | ReplacedBox)]
    return top, max(bottoms, default=top), top + page.height


def low_resolution(document: Any, source: Path | str) -> Iterator[Problem]:
    """Warn about raster figures that would print below 300 dpi at their placed size."""
    from weasyprint.images import RasterImage

    for page in document.pages:
        for box in _descendants(page._page_box):
            image = getattr(box, "replacement", None)
            if isinstance(image, RasterImage) and box.width:
                dpi = image.width / (box.width / PX_PER_INCH)
                if dpi < MIN_DPI:
                    yield _dpi_warning(source, box.element.get("src", "?"), dpi)


def _descendants(box: Any) -> Iterator[Any]:
    stack = [box]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(getattr(current, "children", ()))


def _dpi_warning(source: Path | str, src: str, dpi: float) -> Problem:
    name = src if not src.startswith("file:") else Path(urlsplit(src).path).name
    return Problem(Location(str(source)), f"figure {name} would print at {dpi:.0f} dpi",
                   f"give it at least {MIN_DPI} dpi at its printed size, or use SVG",
                   severity="warning")
