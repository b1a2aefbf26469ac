"""A language's bundle: a cover and contents, then its sheets' own PDFs, joined page by page.

WeasyPrint lays out the front matter (its contents' page numbers filled in once it is known
how many pages it takes) and, a chunk at a time, blank stand-in pages whose running footers
number the sheets' pages through the bundle. `PdfWriter` then writes the front matter and
each sheet's PDF in turn: every sheet page under its stand-in's footer instead of its own,
every sheet's structure tree as an /Art of the bundle's (`join.py`). Memory holds the
front matter, one sheet and one chunk of footers at a time, never the whole bundle.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config import Config
from .jobs import PdfJob, counter_content

CHUNK = 100
"""Stand-in pages laid out at a time, for the sheets' footers."""


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

    def footer_css(self, pages: int, first: int | None = None) -> str:
        """The running footer counting `pages` in all; the first page numbered `first`."""
        css = f"@page {{ @bottom-right {{ content: {counter_content(self.label, pages)}; }} }}"
        return css if first is None else css + f"\n@page :first {{ counter-reset: page {first}; }}"

