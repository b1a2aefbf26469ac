"""Files in the output folder: atomic writes, stamps to notice tampering, removal of stale ones."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from ..errors import Problem
from ..files import io_error
from ..files import shown as shown_path
from ..files import write_atomic as write_atomic  # the one atomic writer

TEMPORARY = re.compile(r"\..+\.[A-Za-z0-9_]{6,16}\.tmp")
"""What `write_atomic` names its temporary files (`.index.html.1a2b3c4d.tmp`)."""


def stamp(path: Path) -> tuple[int, int]:
    """(size, mtime_ns) of a written file, or (-1, 0) if it is gone."""
    try:
        stat = path.stat()
    except OSError:
        return (-1, 0)
    return (stat.st_size, stat.st_mtime_ns)


def remove(out_dir: Path, relpaths: list[str], project: Path) -> dict[str, Problem]:
    """Delete outputs no longer made (only these: the manifest names them), then any folder
    they leave empty (never dist/ itself); a file that cannot be deleted is a problem."""
    root = out_dir.resolve()
    problems = {}
    for relpath in relpaths:
        path = (root / relpath).resolve()
        if path.is_relative_to(root) and path != root:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:
                shown = shown_path(out_dir / relpath, project)
                problems[relpath] = io_error(shown, "cannot remove", exc).problems[0]
                continue
            _prune(path.parent, root)
    return problems


def _prune(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def remove_temporaries(out_dir: Path) -> None:
    """Delete the hidden `.NAME.XXXX.tmp` files a killed build left (call under the lock);
    only inside the output folder, links not followed."""
    for folder, _dirs, names in os.walk(out_dir):
        for name in names:
            if TEMPORARY.fullmatch(name):
                with contextlib.suppress(OSError):
                    Path(folder, name).unlink()
