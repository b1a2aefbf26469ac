"""dist/.factsheets-manifest.json: what the last build read and wrote, and each output's key."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Location, Problem
from .fingerprints import Stamp
from .outfiles import stamp, write_atomic

MANIFEST = ".factsheets-manifest.json"
FORMAT = 1


@dataclass
class Output:
    """One file the build wrote: the key of its inputs, its stamp, and what else it knows."""

    key: str
    size: int
    mtime_ns: int
    pages: int = 0
    """Pages of a PDF (index pages show them)."""
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def intact(self, path: Path) -> bool:
        """Whether the file is still the one the build wrote (nobody replaced or removed it)."""
        return stamp(path) == (self.size, self.mtime_ns)


@dataclass
class Manifest:
    """The record a build leaves in the output folder, written last."""

    digest: str = ""
    """Hash of every input and setting: equal means nothing to do."""
    ok: bool = False
    """Whether that build met no error (a failed build is never skipped)."""
    inputs: dict[str, Stamp] = field(default_factory=dict)
    outputs: dict[str, Output] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    withheld: list[list[str]] = field(default_factory=list)


def load_manifest(out_dir: Path) -> Manifest:
    """The last build's manifest; an empty one if there is none or it cannot be read."""
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        if data.pop("format") != FORMAT:
            return Manifest()
        outputs = {k: Output(**v) for k, v in data.pop("outputs").items()}
        return Manifest(outputs=outputs, **data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return Manifest()


def save_manifest(out_dir: Path, manifest: Manifest, root: Path | None = None) -> None:
    """Write the manifest atomically (the build's last write)."""
    data = {"format": FORMAT, **asdict(manifest)}
    write_atomic(out_dir / MANIFEST, json.dumps(data, indent=1, sort_keys=True).encode(),
                 root=root)


def problem_data(problem: Problem) -> dict[str, Any]:
    """A problem as the manifest keeps it."""
    return asdict(problem)


def problem_from(data: dict[str, Any]) -> Problem:
    """A problem the manifest kept, to report again when its output is skipped."""
    return Problem(Location(**data["location"]), data["message"], data["hint"],
                   data["severity"])
