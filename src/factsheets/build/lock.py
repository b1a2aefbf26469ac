"""One build at a time per output folder: an exclusive, non-blocking flock on a lock file."""

from __future__ import annotations

import fcntl
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import BuildLocked, UnsafeFile
from ..files import io_error, kind

LOCK = ".factsheets.lock"


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock for the duration; raise `BuildLocked` if it is taken.

    The lock file is opened without following a link and must be a regular file, so a planted
    link or FIFO named `.factsheets.lock` neither redirects nor blocks the build.
    """
    path = out_dir / LOCK
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                     0o644)
    except OSError as exc:
        raise io_error(path, "cannot take the build lock", exc) from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise UnsafeFile.at(path, f"cannot take the build lock: it is {kind(mode)}",
                            hint="remove it; the build makes a plain file there")
    with os.fdopen(fd, "r+b") as handle:
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
