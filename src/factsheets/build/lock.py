"""One build at a time per output folder: an exclusive, non-blocking flock on a lock file."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BuildLocked

LOCK = ".factsheets.lock"


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock for the duration; raise `BuildLocked` if it is taken."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / LOCK
    with open(path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked.at(path, "another build is writing to this output folder",
                                 hint="wait for it to finish, or build into another folder"
                                 ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
