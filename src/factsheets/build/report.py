"""What a build did: files built, skipped, removed and failed, its problems, and the summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem


@dataclass
class BuildReport:
    """What a build wrote, skipped, removed, held back and failed, and every problem it met."""

    written: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    """Outputs (or sheet files) that could not be made."""
    withheld: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        """Whether any problem is an error (warnings alone do not fail a build)."""
        return any(p.severity == "error" for p in self.problems)

    def summary(self) -> str:
        """`built 24 files, skipped 0, failed 0 in 4.1 s`."""
        return (f"built {len(self.written)} files, skipped {len(self.skipped)}, "
                f"failed {len(self.failures)} in {self.seconds:.1f} s")

    def as_dict(self) -> dict[str, Any]:
        """The report for `--format json`: the files, the problems and the summary."""
        return {"built": self.written, "skipped": self.skipped, "removed": self.removed,
                "failed": self.failures, "withheld": [list(w) for w in self.withheld],
                "seconds": round(self.seconds, 3),
                "problems": [p.as_dict() for p in self.problems], "summary": self.summary()}
