"""WeasyPrint's URL fetcher, sandboxed: project files under allowed folders in, nothing else.

WeasyPrint only logs a failed fetch, so the fetcher remembers every refusal and
`raise_refusals()` turns them into one `FetchError` naming the sheet once rendering ends.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..config import Config
from ..errors import FetchError, Location, Problem

DATA_URL_CHARS = 200_000
HINT = "only files under templates/ and sheets/figures/ may be used; nothing is downloaded"


class Refused(ValueError):
    """One resource the sandbox will not hand to WeasyPrint."""


class SandboxFetcher(URLFetcher):
    """Serve `file:` URLs inside `roots` and small `data:` URLs; refuse and record the rest."""

    def __init__(self, roots: list[Path], source: Path | str, max_bytes: int) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(root.resolve() for root in roots)
        self.source = str(source)
        self.max_bytes = max_bytes
        self.refusals: list[Problem] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        try:
            return self._fetch(url)
        except Refused as exc:
            self._record(url, str(exc))
            raise

    def _fetch(self, url: str) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            if len(url) > DATA_URL_CHARS:
                raise Refused(f"data: address longer than {DATA_URL_CHARS} characters")
            return super().fetch(url)
        if scheme != "file":
            raise Refused(f"{scheme or 'relative'} addresses are never fetched")
        return self._read(Path(url2pathname(unquote(urlsplit(url).path))))

    def _read(self, path: Path) -> URLFetcherResponse:
        resolved = path.resolve()
        if not any(resolved.is_relative_to(root) for root in self.roots):
            raise Refused(f"{path} is outside the folders a page may use")
        if not resolved.is_file():
            raise Refused(f"{path} does not exist")
        if resolved.stat().st_size > self.max_bytes:
            raise Refused(f"{path} is larger than {self.max_bytes} bytes")
        mime = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
        return URLFetcherResponse(resolved.as_uri(), resolved.read_bytes(),
                                  {"Content-Type": mime})

    def _record(self, url: str, reason: str) -> None:
        shown = url if len(url) <= 120 else url[:117] + "..."
        problem = Problem(Location(self.source), f"refused to fetch {shown!r}: {reason}", HINT)
        if problem not in self.refusals:
            self.refusals.append(problem)

    def raise_refusals(self) -> None:
        """Raise one `FetchError` listing every refused resource, if there was any."""
        if self.refusals:
            raise FetchError(self.refusals)


def project_fetcher(config: Config, source: Path | str) -> SandboxFetcher:
    """The fetcher for one page: the project's templates/ and sheets/figures/ only."""
    roots = [config.templates_dir, config.figures_dir]
    return SandboxFetcher(roots, source, config.limits.figure_bytes)
