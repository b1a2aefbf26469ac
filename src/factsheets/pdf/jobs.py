"""What a PDF job is, as plain picklable data with no heavy imports: options, metadata, HTML."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from ..config import Config
from ..errors import Problem

FOOTER_TEMPLATE = "pdf/footer-label.txt.j2"


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
    one_page: str = ""
    """For a handout, its audience and language ("parents (fr)"): more than one page fails,
    naming them."""



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
