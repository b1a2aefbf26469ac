"""HTTP requests to the preview server -> built files (plus the preview bar), events and views.

Routes: `/__reload` (Server-Sent Events: a `reload` event after each build), `/__translate/`
(the translator view), `/__preview/` (the stylesheets and fonts of the preview's own pages),
and everything else from the temporary output folder.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from jinja2 import TemplateError, TemplateNotFound

from ..errors import FactsheetsError, Problem, format_problems
from ..model.validate import LoadedSheet
from .state import Preview, Snapshot
from .views import (
    INDEX,
    PREFIX,
    render_bar,
    render_error,
    render_translations,
    render_translator,
)

ASSET = re.compile(r"/__preview/(site\.css|preview\.css|fonts/[A-Za-z0-9-]+\.ttf)")
TRANSLATE = re.compile(re.escape(PREFIX) + r"([a-z]{2,3})/(?:([a-z0-9-]+)\.html)?")
KEEPALIVE_SECONDS = 15.0
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def make_handler(preview: Preview) -> type[SimpleHTTPRequestHandler]:
    """A request handler class bound to one preview."""

    class Bound(PreviewHandler):
        pass

    Bound.preview = preview
    return Bound


class PreviewHandler(SimpleHTTPRequestHandler):
    """Serves the preview: built pages with the bar injected, the views and the events."""

    preview: Preview
    timeout = 4 * KEEPALIVE_SECONDS
    """A connection that sends nothing for this long is closed (no thread is held forever)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, directory=str(self.preview.output), **kwargs)  # type: ignore[arg-type]

    def parse_request(self) -> bool:
        """Refuse a request naming another host (a DNS-rebinding page reading the preview)."""
        if not super().parse_request():
            return False
        host = urlsplit("//" + (self.headers.get("Host") or LOCAL_HOSTS[0])).hostname
        if host not in LOCAL_HOSTS:
            self.send_error(HTTPStatus.FORBIDDEN)
            return False
        return True

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        try:
            self._route()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away
        except (FactsheetsError, TemplateError, OSError, ValueError) as exc:
            self._plain(exc)

    def _route(self) -> None:
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if "\0" in path or any(part.startswith(".") for part in path.split("/")):
            self.send_error(HTTPStatus.NOT_FOUND)  # the manifest, the lock, temporaries
        elif path == "/__reload":
            self._events(parse_qs(parts.query).get("since", ["0"])[0])
        elif path.startswith(PREFIX):
            self._translator(path)
        elif path.startswith("/__preview/"):
            self._asset(path)
        elif path.endswith((".html", "/")):
            self._page(path)
        elif not Path(self.translate_path(path)).exists():
            self._missing(self.preview.snapshot, path.lstrip("/"))
        else:
            super().do_GET()

    def end_headers(self) -> None:
        """Never let the browser keep a copy: a reload must fetch the new build."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Requests are not logged: the console is for build problems."""

    def _page(self, path: str) -> None:
        """A built page with the bar, or the errors that hold it back (or say it is missing)."""
        snapshot = self.preview.snapshot
        relpath = path.lstrip("/") + ("index.html" if path.endswith("/") else "")
        lang = _lang_of(snapshot, relpath)
        errors = snapshot.errors_for(relpath)
        target = Path(self.translate_path("/" + relpath))
        if errors:
            self._errors(snapshot, lang, errors)
            return
        if not target.is_file():
            self._missing(snapshot, relpath)
            return
        info = snapshot.pages.get(relpath)
        sheet = snapshot.sheets.get(info.sheet_id) if info else None
        held = snapshot.held(sheet.sheet.id, lang) if sheet else []
        bar = render_bar(snapshot.config, lang, snapshot.generation, sheet, held)
        head, end, tail = target.read_text(encoding="utf-8").rpartition("</body>")
        self._html(HTTPStatus.OK, head + bar + end + tail if end else tail + bar)

    def _translator(self, path: str) -> None:
        """`/__translate/<lang>/<sheet-id>.html`: the sheet's messages beside their translation.

        `/__translate/<lang>/` (or `index.html`) lists the sheets, with their progress.
        """
        snapshot = self.preview.snapshot
        match = TRANSLATE.fullmatch(path)
        lang, sheet_id = match.groups(INDEX) if match else ("", "")
        loaded = snapshot.sheets.get(sheet_id)
        if lang in snapshot.config.languages and sheet_id == INDEX:
            self._html(HTTPStatus.OK, render_translations(snapshot.config, snapshot.sheets,
                                                          lang, snapshot.generation))
        elif loaded is None or lang not in snapshot.config.languages \
                or lang == loaded.sheet.language:
            known = lang if lang in snapshot.config.languages else snapshot.config.source_language
            self._errors(snapshot, known, snapshot.errors())
        else:
            self._translation(snapshot, loaded, lang)

    def _translation(self, snapshot: Snapshot, loaded: LoadedSheet, lang: str) -> None:
        try:
            html = render_translator(snapshot.config, loaded, lang, snapshot.generation,
                                     self.preview.options.editor_url)
        except FactsheetsError as exc:
            self._errors(snapshot, lang, exc.problems)
            return
        self._html(HTTPStatus.OK, html)

    def _missing(self, snapshot: Snapshot, relpath: str) -> None:
        """Not found: the build's errors if there are some (the sheet may be the broken one),
        else the site's own 404 page (the bilingual one outside a language's folder), as a
        web server would show it."""
        lang = _lang_of(snapshot, relpath)
        problems = snapshot.errors()
        inside = relpath.split("/", 1)[0] in snapshot.config.languages
        page = Path(self.translate_path(f"/{lang}/404.html" if inside else "/404.html"))
        if problems or not page.is_file():
            self._errors(snapshot, lang, problems)
            return
        bar = render_bar(snapshot.config, lang, snapshot.generation, None)
        head, end, tail = page.read_text(encoding="utf-8").rpartition("</body>")
        self._html(HTTPStatus.NOT_FOUND, head + bar + end + tail)

    def _errors(self, snapshot: Snapshot, lang: str, problems: list[Problem]) -> None:
        """The error page: the problems (500), or that nothing is here when there are none."""
        status = HTTPStatus.INTERNAL_SERVER_ERROR if problems else HTTPStatus.NOT_FOUND
        self._html(status, render_error(snapshot.config, lang, snapshot.generation, problems,
                                        self.preview.options.editor_url))

    def _asset(self, path: str) -> None:
        """The site's stylesheet and fonts, and preview.css, straight from templates/."""
        match = ASSET.fullmatch(path)
        templates = self.preview.snapshot.config.templates_dir
        name = match.group(1) if match else ""
        file = templates / ("preview/" + name if name == "preview.css" else name)
        if not match or not file.is_file():
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        kind = "text/css; charset=utf-8" if name.endswith(".css") else "font/ttf"
        self._send(HTTPStatus.OK, kind, file.read_bytes())

    def _events(self, since: str) -> None:
        """Server-Sent Events: `reload` once a build newer than `since` is done."""
        seen = int(since) if since.isdigit() else 0
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        try:
            while not self.preview.stopped:
                latest = self.preview.wait(seen, KEEPALIVE_SECONDS)
                message = f"event: reload\ndata: {latest}\n\n" if latest > seen else ": idle\n\n"
                seen = latest
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away (or reloaded)

    def _plain(self, exc: Exception) -> None:
        """When a preview page itself cannot be rendered (templates/preview/ broken): plain text."""
        problems = exc.problems if isinstance(exc, FactsheetsError) else []
        text = format_problems(problems) if problems else f"{type(exc).__name__}: {exc}"
        if isinstance(exc, TemplateNotFound):
            text = f"templates/{exc.name}: not found (the preview's own pages need " \
                   "templates/preview/, as in the factsheets repository)"
        self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
                   text.encode("utf-8"))

    def _html(self, status: HTTPStatus, html: str) -> None:
        self._send(status, "text/html; charset=utf-8", html.encode("utf-8"))

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _lang_of(snapshot: Snapshot, relpath: str) -> str:
    """The language of a page, from its folder (`fr/...`); the source language otherwise."""
    first = relpath.split("/", 1)[0]
    return first if first in snapshot.config.languages else snapshot.config.source_language
