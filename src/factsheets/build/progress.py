"""Telling people how a build goes: a progress bar on standard error while it runs."""

from __future__ import annotations

from typing import Any, Protocol


class Progress(Protocol):
    """What a build tells whoever watches it."""

    def start(self, total: int) -> None: ...

    def advance(self, path: str, built: bool) -> None: ...

    def stop(self) -> None: ...


class Silent:
    """Watches nothing (the API's default, `--quiet`, `--format json`, a log file)."""

    def start(self, total: int) -> None:
        pass

    def advance(self, path: str, built: bool) -> None:
        pass

    def stop(self) -> None:
        pass


class Bar:
    """A rich progress bar on standard error, cleared when the build ends."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.description}"),
                            console=Console(stderr=True), transient=True)
        self.task: Any = None

    def start(self, total: int) -> None:
        self.bar.start()
        self.task = self.bar.add_task("", total=total)

    def advance(self, path: str, built: bool) -> None:
        self.bar.update(self.task, advance=1, description=path if built else "")

    def stop(self) -> None:
        self.bar.stop()


def watcher(quiet: bool) -> Progress:
    """A bar when standard error is a terminal and nobody asked for quiet."""
    import sys

    return Bar() if not quiet and sys.stderr.isatty() else Silent()

