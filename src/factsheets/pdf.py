"""Sheet HTML -> print-ready, tagged PDF/UA-1 (WeasyPrint), with metadata, outline and checks."""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from markupsafe import Markup

from .config import Config
from .errors import Location, Problem

if TYPE_CHECKING:  # `factsheets build` with nothing to do does not import Jinja2
    from jinja2 import Environment

VARIANT = "pdf/ua-1"
"""PDF/UA-1 (PDF 1.7): see docs/pdf.md for why not pdf/ua-2."""
PAGE_SIZES = {"letter": "letter", "a4": "A4"}
FOOTER_TEMPLATE = "pdf/footer-label.txt.j2"
MIN_DPI = 300
CSS_PX_PER_INCH = 96


@dataclass(frozen=True)
class PdfOptions:
    """How to print: the page size (letter or a4) and a print shop's bleed and crop marks."""

    page_size: str = "letter"
    print_marks: bool = False


@dataclass(frozen=True)
class PdfMeta:
    """What the PDF says about itself: title bar, /Lang and XMP metadata."""

    title: str
    lang: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    publisher: str = ""
    created: dt.date | None = None
    modified: dt.date | None = None

    def plain(self) -> PdfMeta:
        """The same facts as plain strings (a `Text` does not cross to a worker process)."""
        return replace(self, title=str(self.title), lang=str(self.lang),
                       description=str(self.description), publisher=str(self.publisher),
                       keywords=tuple(str(k) for k in self.keywords))


@dataclass(frozen=True)
class RenderedPdf:
    """A rendered PDF with its page count and any warnings (low-resolution figures)."""

    data: bytes
    pages: int
    warnings: tuple[Problem, ...] = field(default=())


@dataclass(frozen=True)
class PdfJob:
    """One PDF to render, as plain picklable data a worker process can take."""

    html: str
    meta: PdfMeta
    config: Config
    source: str
    page_css: str
    base_url: str
    tagged: bool = True
    """False for pages drawn only as artifacts inside another PDF (a bundle's footers)."""

    def render(self, shared: PrintResources | None = None) -> RenderedPdf:
        """Render this job (see `render_pdf`)."""
        return render_pdf(self.html, self.meta, self.config, self.source, tagged=self.tagged,
                          page_css=self.page_css, base_url=self.base_url, shared=shared)


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


def render_pdf(html: str, meta: PdfMeta, config: Config, source: Path | str, *,
               page_css: str, base_url: str | None = None,
               shared: PrintResources | None = None, tagged: bool = True) -> RenderedPdf:
    """Render one page of HTML to a tagged PDF (unless not `tagged`).

    A refused resource raises `FetchError`.
    """
    from weasyprint import CSS, HTML

    from .fetcher import project_fetcher

    fetcher = project_fetcher(config, source)
    shared = shared or PrintResources(config)
    styles = [shared.stylesheet, CSS(string=page_css, font_config=shared.fonts)]
    page = HTML(string=html, base_url=base_url or config.templates_dir.as_uri() + "/",
                url_fetcher=fetcher)
    document = page.render(stylesheets=styles, font_config=shared.fonts)
    shared.fetcher.raise_refusals()
    fetcher.raise_refusals()
    _set_metadata(document.metadata, meta)
    warnings = tuple(low_resolution(document, source))
    data = _write(document, meta) if tagged else document.write_pdf()
    fetcher.raise_refusals()  # an SVG figure fetches what it references only when drawn
    return RenderedPdf(data, len(document.pages), warnings)


def _write(document: Any, meta: PdfMeta) -> bytes:
    """Write the tagged PDF, then finish its tags and metadata with pikepdf."""
    import pikepdf

    from .pdftags import extended_tagger, mark_artifacts

    with extended_tagger() as notes:
        data = document.write_pdf(**weasyprint_options())
    with pikepdf.open(io.BytesIO(data)) as pdf:
        mark_artifacts(pdf, notes)
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


def page_css(env: Environment, title: str, options: PdfOptions) -> str:
    """The @page rule of one PDF (templates/pdf/page.css.j2): size, marks, running footer."""
    template = env.get_template("pdf/page.css.j2")
    return template.render(size=PAGE_SIZES[options.page_size], print_marks=options.print_marks,
                           title=title, css_string=lambda t: Markup(css_string(t)),
                           footer=Markup(counter_content(footer_label(env))))


def css_string(text: str) -> str:
    """`text` as a quoted CSS string; control characters (a CR ends a CSS string) as escapes."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\{ord(m.group()):X} ", escaped)
    return f'"{escaped}"'


def counter_content(label: str, pages: int | None = None) -> str:
    """`Page {page} of {pages}` as CSS content: `"Page " counter(page) " of " counter(pages)`.

    Given `pages`, the count is that number instead: a bundle's front matter and footers are
    laid out apart from the sheets they count.
    """
    parts = re.split(r"\{(pages?)\}", label)
    tokens = [_counter(part, pages) if i % 2 else css_string(part)
              for i, part in enumerate(parts) if i % 2 or part]
    return " ".join(tokens) or '""'


def _counter(name: str, pages: int | None) -> str:
    return css_string(str(pages)) if name == "pages" and pages is not None else f"counter({name})"


def footer_label(env: Environment) -> str:
    """The running footer's label in the environment's language: `Page {page} of {pages}`."""
    return env.get_template(FOOTER_TEMPLATE).render().strip()  # plain text: no autoescape


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


def low_resolution(document: Any, source: Path | str) -> Iterator[Problem]:
    """Warn about raster figures that would print below 300 dpi at their placed size."""
    from weasyprint.images import RasterImage

    for page in document.pages:
        for box in _descendants(page._page_box):
            image = getattr(box, "replacement", None)
            if isinstance(image, RasterImage) and box.width:
                dpi = image.width / (box.width / CSS_PX_PER_INCH)
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


def print_html(html: str, page_path: str, config: Config) -> str:
    """The sheet's own HTML, made for print: absolute links, project figures, no screen CSS."""
    import lxml.html

    root = lxml.html.document_fromstring(html)
    page_url = config.base_url + page_path
    for link in root.iter("a"):
        _absolute_link(link, page_url)
    for image in root.iter("img"):
        image.set("src", _figure_source(image.get("src", ""), page_path, config))
    for node in root.xpath('//link[@rel="stylesheet"] | //*[contains(@class, "pdf-link")]'
                           '/ancestor::div[1] | //*[contains(@class, "skip-link")]'):
        node.drop_tree()
    return str(lxml.html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode"))


def _absolute_link(link: Any, page_url: str) -> None:
    """A relative `href` becomes an address on the published site (a PDF has no folder)."""
    href = link.get("href")
    if href and not urlsplit(href).scheme and not href.startswith("#"):
        link.set("href", urljoin(page_url, href))


def _figure_source(src: str, page_path: str, config: Config) -> str:
    """A figure copied to dist/media/ is read from the project's own file instead."""
    if urlsplit(src).scheme:
        return src
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), src))
    if target.startswith("media/"):
        return (config.root / target.removeprefix("media/")).as_uri()
    return src

