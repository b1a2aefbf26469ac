"""Files in the output folder: atomic writes, stamps to notice tampering, removal of stale ones."""

from __future__ import annotations

import os
from pathlib import Path

from ..files import write_atomic as write_atomic  # the one atomic writer


def stamp(path: Path) -> tuple[int, int]:
    """(size, mtime_ns) of a written file, or (-1, 0) if it is gone."""
    try:
        stat = path.stat()
    except OSError:
        return (-1, 0)
    return (stat.st_size, stat.st_mtime_ns)


def remove(out_dir: Path, relpaths: list[str]) -> None:
    """Delete outputs no longer made, then any folder they leave empty (never dist/ itself)."""
    root = out_dir.resolve()
    for relpath in relpaths:
        path = (root / relpath).resolve()
        if path.is_relative_to(root) and path != root:
            path.unlink(missing_ok=True)
            _prune(path.parent, root)


def _prune(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def remove_temporaries(out_dir: Path) -> None:
    """Delete the hidden `.NAME.XXXX.tmp` files a killed build left (call under the lock)."""
    for folder, _dirs, names in os.walk(out_dir):
        for name in names:
            if name.startswith(".") and name.endswith(".tmp"):
                Path(folder, name).unlink(missing_ok=True)
