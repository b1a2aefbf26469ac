"""Built pages -> the Pagefind search index in dist/pagefind/ (one index per language).

Pagefind (the PyPI package, its binary included) reads the pages marked `data-pagefind-body`
(published sheets), stems French words on the French index, and writes files the search
page loads from the site itself. The build runs it only when a page's key changed.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import FactsheetsError
from ..html.site import INDEX_FOLDER, SEARCH_ENTRY


def installed() -> bool:
    """Whether Pagefind (the Python package that runs its binary) is installed."""
    return importlib.util.find_spec("pagefind") is not None


def make_index(dist: Path) -> bytes:
    """Index every searchable page of `dist` anew; the bytes of the index's entry file.

    Pagefind writes into a hidden folder that then takes the index's place, so a build
    killed while it runs leaves the old index or the new one, never a part of either.
    """
    fresh, old = dist / ".pagefind-new", dist / ".pagefind-old"
    for folder in (fresh, old):
        shutil.rmtree(folder, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(dist), "--output-path",
               str(fresh), "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise FactsheetsError.at("pagefind", f"the search index could not be built: {exc}",
                                 hint="install the toolkit again (pip install -e .)") from None
    entry = fresh / Path(SEARCH_ENTRY).relative_to(INDEX_FOLDER)
    if done.returncode or not entry.is_file():
        message = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no index written"]
        raise FactsheetsError.at("pagefind", f"the search index could not be built: "
                                 f"{message[0]}", hint="install the toolkit again "
                                 "(pip install -e .): it needs pagefind[bin]")
    index = dist / INDEX_FOLDER
    if index.exists():
        index.rename(old)
    fresh.rename(index)
    shutil.rmtree(old, ignore_errors=True)
    return (dist / SEARCH_ENTRY).read_bytes()
