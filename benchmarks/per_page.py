"""Time per laid-out page of a cold build: two checkouts of the project, run alternately.

    python benchmarks/per_page.py OLD NEW              # 8 sheets, 8 rounds
    python benchmarks/per_page.py OLD NEW --sheets 8 --rounds 8 --jobs 2

OLD and NEW are checkouts (for example `git worktree add /tmp/old f08de7b`), each with its
own `.venv` where the project is installed (`scripts/build-site` makes one). Each round makes
a fresh synthetic project with each checkout's own `benchmarks/build_speed.make_project` (its
own sheets and templates), builds it cold with that checkout's `factsheets build --jobs N`,
and counts the pages WeasyPrint laid out (sheets and handouts; bundles are joined). The two
run one after the other in every round, so a machine that speeds up or slows down weighs on
both; the result is the median of the rounds' NEW/OLD ratios, of wall time per page and of
CPU time per page (the build and its workers). Standard library and pikepdf only.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def make_project(tree: Path, folder: Path, sheets: int) -> None:
    """A synthetic project made by the checkout's own benchmark code."""
    code = ("import sys; from pathlib import Path; sys.path.insert(0, 'benchmarks'); "
            f"from build_speed import make_project; make_project(Path({str(folder)!r}), {sheets})")
    subprocess.run([str(tree / ".venv" / "bin" / "python"), "-c", code], check=True, cwd=tree)


def laid_out_pages(dist: Path) -> int:
    """The pages of every PDF but the bundles (`fact-sheets-*.pdf`, joined, not laid out)."""
    import pikepdf

    total = 0
    for pdf in dist.rglob("*.pdf"):
        if not pdf.name.startswith("fact-sheets-"):
            with pikepdf.open(pdf) as document:
                total += len(document.pages)
    return total


def cold_build(tree: Path, sheets: int, jobs: int) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and pages laid out of one cold build by `tree`."""
    folder = Path(tempfile.mkdtemp(prefix="per-page-"))
    try:
        make_project(tree, folder, sheets)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([str(tree / ".venv" / "bin" / "factsheets"), "build", "--project",
                        str(folder), "--jobs", str(jobs), "--quiet"], check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu, laid_out_pages(folder / "dist")
    finally:
        shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--sheets", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    ratios: dict[str, list[float]] = {"wall": [], "cpu": []}
    for number in range(1, args.rounds + 1):
        old, new = (cold_build(tree, args.sheets, args.jobs) for tree in (args.old, args.new))
        for index, kind in enumerate(ratios):
            ratios[kind].append((new[index] / new[2]) / (old[index] / old[2]))
        print(f"round {number}: old {old[0]:.1f} s wall, {old[1]:.1f} s CPU, {old[2]} pages "
              f"({old[0] / old[2]:.4f} s/page); new {new[0]:.1f} s, {new[1]:.1f} s, {new[2]} "
              f"pages ({new[0] / new[2]:.4f} s/page)", flush=True)
    for kind, values in ratios.items():
        print(f"{kind} time per page, new/old: median {statistics.median(values):.2f} "
              f"(rounds: {', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
