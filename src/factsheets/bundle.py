"""A language's bundle: a cover and contents, then its sheets' own PDFs, joined page by page.

WeasyPrint lays out the front matter (its contents' page numbers filled in once it is known
how many pages it takes) and, a chunk at a time, blank stand-in pages whose running footers
number the sheets' pages through the bundle. `PdfWriter` then writes the front matter and
each sheet's PDF in turn: every sheet page under its stand-in's footer instead of its own,
every sheet's structure tree as an /Art of the bundle's (`bundlefile.py`). Memory holds the
front matter, one sheet and one chunk of footers at a time, never the whole bundle.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .config import Config
from .pdf import PdfJob, PrintResources, RenderedPdf, counter_content

CHUNK = 100
"""Stand-in pages laid out at a time, for the sheets' footers."""
FRONT_GUESS = 30
"""Contents entries a page holds, for a first guess at the front matter's length."""


@dataclass(frozen=True)
class Part:
    """A sheet's PDF (a path in dist/) in a bundle: its pages, and its contents entry's link."""

    path: str
    pages: int
    url: str
    """The sheet PDF's address on the site, which its contents entry links (until joined)."""
    title: str


@dataclass(frozen=True)
class BundleJob:
    """The front matter and footers to lay out, and the sheets' PDFs to join behind them."""

    front: PdfJob
    """Cover and contents; each entry's `data-offset` is its sheet's page after the front."""
    stand_ins: PdfJob
    """CHUNK blank pages (fewer for a short bundle), to carry the sheets' running footers.

    Untagged: the bundle draws each page inside a pagination artifact.
    """
    label: str
    """The running footer's `Page {page} of {pages}`, in the bundle's language."""
    parts: tuple[Part, ...]

    @property
    def config(self) -> Config:
        return self.front.config

    @property
    def source(self) -> str:
        return self.front.source

    def render(self, shared: PrintResources | None = None) -> RenderedPdf:
        """Lay out the front matter, then write it and the sheets' PDFs as one file."""
        shared = shared or PrintResources(self.config)
        from .bundlefile import write_bundle  # pikepdf and WeasyPrint: only in a worker

        sheets = sum(part.pages for part in self.parts)
        front = self._front(shared, sheets)
        data = write_bundle(self, shared, front.data, front.pages + sheets)
        return RenderedPdf(data, front.pages + sheets, front.warnings)

    def _front(self, shared: PrintResources, sheets: int) -> RenderedPdf:
        """The cover and contents, laid out again until their numbers allow for their length."""
        pages = 1 + -(-len(self.parts) // FRONT_GUESS)
        for _attempt in range(4):
            job = replace(self.front, html=_numbered(self.front.html, pages + 1),
                          page_css=self.front.page_css + self.footer_css(pages + sheets))
            rendered = job.render(shared)
            if rendered.pages == pages:
                return rendered
            pages = rendered.pages
        raise RuntimeError("the bundle's contents change length with their own page numbers")

    def footer_css(self, pages: int, first: int | None = None) -> str:
        """The running footer counting `pages` in all; the first page numbered `first`."""
        css = f"@page {{ @bottom-right {{ content: {counter_content(self.label, pages)}; }} }}"
        return css if first is None else css + f"\n@page :first {{ counter-reset: page {first}; }}"


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
