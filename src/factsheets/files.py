"""Paths on disk -> bounded reads and atomic writes that follow no link (every file touched).

Contributions may plant symlinks, FIFOs or devices (git stores links), so a write never goes
through a link or onto a special file, and a read checks the file's type and size first.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from .errors import FactsheetsError, UnsafeFile

KINDS = {stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a named pipe (FIFO)",
         stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFSOCK: "a socket",
         stat.S_IFDIR: "a folder"}


def kind(mode: int) -> str:
    """What a file of this mode is, in words ("a symbolic link", "a device", ...)."""
    return KINDS.get(stat.S_IFMT(mode), "not a regular file")


def shown(path: Path, root: Path | None) -> Path:
    """`path` relative to `root` when it lies inside it, as messages show it."""
    return path.relative_to(root) if root is not None and path.is_relative_to(root) else path


def check_target(path: Path, where: Path | None = None) -> None:
    """Refuse to replace a symlink or a special file: it may have been planted to aim a write."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise io_error(where or path, "cannot write", exc) from None
    if not stat.S_ISREG(mode):
        raise UnsafeFile.at(where or path, f"will not write here: it is {kind(mode)}",
                            hint="remove it; the tool writes only regular files")


def check_folders(path: Path, root: Path) -> None:
    """Refuse a folder between `root` and `path` that is a symlink or not a folder."""
    try:
        inner = path.parent.relative_to(root)
    except ValueError:
        return
    folder = root
    for part in inner.parts:
        folder = folder / part
        try:
            mode = os.lstat(folder).st_mode
        except FileNotFoundError:
            return
        except OSError as exc:
            raise io_error(shown(folder, root), "cannot write", exc) from None
        if not stat.S_ISDIR(mode):
            raise UnsafeFile.at(shown(folder, root),
                                f"will not write inside it: it is {kind(mode)}",
                                hint="make it a plain folder; the tool follows no link")


def write_atomic(path: Path, data: bytes, *, root: Path | None = None) -> None:
    """Write a file so readers see the old or the new one, never half of either.

    The temporary file (`.NAME.XXXX.tmp` beside it) is created exclusively without following
    links, then renamed over the target; a target (or, below `root`, a folder) that is a link
    or a special file is refused with a located `UnsafeFile`. I/O failures raise `WriteFailed`.
    """
    where = shown(path, root)
    if root is not None:
        check_folders(path, root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise io_error(where.parent, "cannot create the folder", exc) from None
    check_target(path, where)
    tmp, fd = _create_temporary(path, where)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            os.fchmod(handle.fileno(), 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise io_error(where, "cannot write", exc) from None
        raise


def _create_temporary(path: Path, where: Path) -> tuple[Path, int]:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _attempt in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            return tmp, os.open(tmp, flags, 0o600)
        except FileExistsError:
            continue
        except OSError as exc:
            raise io_error(where, "cannot write", exc) from None
    raise UnsafeFile.at(where, "cannot create a temporary file beside it",
                        hint="remove the hidden .*.tmp files in that folder")


def io_error(path: Path, what: str, exc: OSError) -> FactsheetsError:
    """An operating-system failure as a located error naming the file and the cause."""
    cause = exc.strerror or str(exc)
    hint = {errno.ENOSPC: "free some disk space and build again",
            errno.EROFS: "the file system is read-only; build into a writable folder",
            errno.EACCES: "check the folder's permissions",
            errno.ELOOP: "a symbolic link is in the way; remove it"}.get(exc.errno or 0, "")
    return UnsafeFile.at(path, f"{what}: {cause}", hint=hint)


def holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a regular file (not a link) holding exactly `data`."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (stat.S_ISREG(info.st_mode) and info.st_size == len(data)
            and read_bounded(path, len(data), follow=False) == data)


def write_if_changed(path: Path, data: bytes, *, root: Path | None = None) -> bool:
    """Write `data` atomically unless the regular file already holds it; say whether it wrote."""
    if holds(path, data):
        return False
    write_atomic(path, data, root=root)
    return True


def read_bounded(path: Path, limit: int, *, shown: str | Path | None = None,
                 hint: str = "", follow: bool = True) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; else a located `UnsafeFile`.

    The type and size are checked on the open file before anything is read, so a link to
    `/dev/zero`, a FIFO or a huge file costs nothing. `follow=False` refuses a symlink too.
    """
    where = shown if shown is not None else path
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFile.at(where, "cannot read: a symbolic link loop or a link "
                                "where none is allowed", hint="replace it with a plain file"
                                ) from None
        raise io_error(Path(where), "cannot read", exc) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile.at(where, f"cannot read: it is {kind(info.st_mode)}",
                                hint="only regular files are read")
        if info.st_size > limit:
            raise UnsafeFile.at(where, f"file is {info.st_size:,} bytes, over the limit of "
                                f"{limit:,}", hint=hint)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnsafeFile.at(where, f"file grew over the limit of {limit:,} bytes while read")
    return data


def read_inside(path: Path, root: Path, limit: int, *, shown: str | Path | None = None,
                hint: str = "") -> bytes:
    """`read_bounded`, refusing a file that a link places outside `root` (the project)."""
    if not Path(os.path.realpath(path)).is_relative_to(root):
        raise UnsafeFile.at(shown if shown is not None else path,
                            "not read: it is a link to a file outside the project",
                            hint="copy the file into the project instead of linking it")
    return read_bounded(path, limit, shown=shown, hint=hint)
