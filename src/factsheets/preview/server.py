"""Preview server: build into a temporary folder, serve it on 127.0.0.1, rebuild, reload pages.

The built files are served as they are, except that every HTML page gets, on its way to
the browser, a small preview bar and a script listening to `/__reload` (Server-Sent Events),
so a page reloads itself after a rebuild. A page whose sheet fails shows its located errors.
"""

from __future__ import annotations

import signal
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

from ..config import Config
from ..errors import format_problems
from .http import make_handler
from .state import POLL_SECONDS, Echo, Options, Preview, Snapshot, fingerprint


def watch(preview: Preview, stop: threading.Event, echo: Echo) -> None:
    """Poll the project every POLL_SECONDS; rebuild and report when a file changed."""
    seen = fingerprint(preview.root)
    while not stop.wait(POLL_SECONDS):
        now = fingerprint(preview.root)
        if now != seen:
            seen = now
            report(preview.rebuild(), echo)


def report(snapshot: Snapshot, echo: Echo) -> None:
    """Say what a build found, as `file:line:col: message` lines."""
    if snapshot.problems:
        echo(format_problems(list(snapshot.problems)), err=True)
    errors = len(snapshot.errors())
    echo(f"build {snapshot.generation}: {snapshot.summary}; {errors} error(s), "
         f"{len(snapshot.problems) - errors} warning(s)")


def _interrupt_on_signals() -> None:
    """Ctrl-C and `kill` both stop the server cleanly, so the temporary folder is removed.

    SIGINT is set explicitly: a shell starting the server in the background ignores it.
    """
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.default_int_handler)


def serve(config: Config, options: Options, echo: Echo) -> None:
    """Build, serve on 127.0.0.1 and watch until interrupted (Ctrl-C raises KeyboardInterrupt)."""
    with tempfile.TemporaryDirectory(prefix="factsheets-preview-") as folder:
        preview = Preview(config, Path(folder), options)
        httpd = ThreadingHTTPServer(("127.0.0.1", options.port), make_handler(preview))
        stop = threading.Event()
        try:
            _interrupt_on_signals()
            report(preview.rebuild(), echo)
            threading.Thread(target=watch, args=(preview, stop, echo), daemon=True).start()
            echo(f"serving a preview of {config.root} at "
                 f"http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl-C to stop)")
            httpd.serve_forever()
        finally:
            stop.set()
            preview.stop()
            httpd.server_close()
