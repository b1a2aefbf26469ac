"""Build speed: cold build against bare WeasyPrint, no-op and one-sheet rebuilds, validate,
peak memory, time per sheet and per laid-out page, and `--help`, measured in one run on
synthetic sheets.

    python benchmarks/build_speed.py                 # 10, 100 and 400 sheets
    python benchmarks/build_speed.py --sizes 10,100  # fewer sizes
    python benchmarks/build_speed.py --quick         # a small run, well under a minute

The synthetic sheets are copies of four of the project's real sheets (webcams, P2P, camera
phones, wireless) and their French catalogs (ids and French slugs numbered), so pages, PDFs,
handouts and bundles are the size real ones are.
The baseline renders the very PDFs the build makes (every sheet and bundle, from the build's
own print HTML and print.css) with bare WeasyPrint, serially, in one process:
`HTML(string=...).write_pdf()`. A bundle, which the build joins from the sheets' PDFs, is
one document there, as a plain tool makes it: its cover and contents, then every sheet's
`<main>`. Standard library, lxml and the project only.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASES = ("webcams", "p2p-file-sharing", "camera-phones", "wireless-networking")
TARGETS = {"cold_ratio": 0.65, "noop_share": 0.03, "validate_seconds": 3.0,
           "per_sheet_spread": 0.15, "peak_rss_mb": 400, "help_seconds": 0.3}
MEASURE = ("import resource, subprocess, sys, time\n"
           "start = time.perf_counter()\n"
           "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
           "took = time.perf_counter() - start\n"
           "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
           "print(took, rss, done.returncode)\n"
           "sys.stdout.write(done.stdout)\nsys.stderr.write(done.stderr)\n")
"""Run a command in a child and report its wall time and peak RSS (the child and its workers)."""


# --- synthetic projects -----------------------------------------------------------------------

def make_project(folder: Path, count: int, catalogs: bool = True) -> Path:
    """A project of `count` sheets (copies of the real four), with French catalogs."""
    shutil.copytree(ROOT / "templates", folder / "templates")
    shutil.copytree(ROOT / "sheets" / "figures", folder / "sheets" / "figures")
    settings = (ROOT / "factsheets.toml").read_text(encoding="utf-8")  # [links.fr] included
    (folder / "factsheets.toml").write_text(
        re.sub(r"(?m)^publish_threshold = \d+", "publish_threshold = 0", settings),
        encoding="utf-8")
    messages = folder / "locales" / "fr" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    if catalogs:
        shutil.copy(ROOT / "locales" / "fr" / "LC_MESSAGES" / "ui.po", messages / "ui.po")
    for number in range(count):
        base = BASES[number % len(BASES)]
        new = f"{base}-{number:04d}"
        sheet = (ROOT / "sheets" / f"{base}.yaml").read_text(encoding="utf-8")
        (folder / "sheets" / f"{new}.yaml").write_text(
            sheet.replace(f"\nid: {base}\n", f"\nid: {new}\n", 1), encoding="utf-8")
        if catalogs:
            (messages / f"{new}.po").write_text(_catalog(base, new, number), encoding="utf-8")
    return folder


def _catalog(base: str, new: str, number: int) -> str:
    """The real sheet's French catalog, for the numbered copy (contexts, slug)."""
    text = (ROOT / "locales" / "fr" / "LC_MESSAGES" / f"{base}.po").read_text(encoding="utf-8")
    text = text.replace(f'msgctxt "{base}|', f'msgctxt "{new}|')
    slug = re.compile(rf'(msgctxt "{re.escape(new)}\|slug"\nmsgid )"{re.escape(base)}"\n'
                      r'msgstr "([^"]*)"')
    return slug.sub(lambda m: f'{m.group(1)}"{new}"\nmsgstr "{m.group(2)}-{number:04d}"', text)


def change_one_sheet(project: Path) -> str:
    """Edit the subtitle of the first sheet, as an author would; returns the sheet's id."""
    path = sorted((project / "sheets").glob("*.yaml"))[0]
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"\nsubtitle: (.*)\n", r"\nsubtitle: \1, revised\n", text, count=1),
                    encoding="utf-8")
    return path.stem


# --- measuring ---------------------------------------------------------------------------------

def measure(*args: str) -> dict[str, Any]:
    """Run `python -m factsheets ARGS` in a child: seconds, peak RSS (MB), exit code, output."""
    command = [sys.executable, "-m", "factsheets", *args]
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True,
                          text=True, check=True)
    head, _, output = done.stdout.partition("\n")
    seconds, rss, code = head.split()
    return {"seconds": float(seconds), "rss_mb": int(rss) / 1024, "code": int(code),
            "stdout": output, "stderr": done.stderr}


def build(project: Path, *extra: str) -> dict[str, Any]:
    """One `factsheets build` (PDFs included) with its JSON report."""
    run = measure("build", "--project", str(project), "--format", "json", *extra)
    if run["code"] != 0:
        raise SystemExit(f"build failed:\n{run['stdout']}\n{run['stderr']}")
    run["report"] = json.loads(run["stdout"])
    return run


def median_seconds(runs: int, *args: str) -> float:
    """The median wall time of `runs` runs of a command."""
    return statistics.median(measure(*args)["seconds"] for _ in range(runs))


def capture_pdf_jobs(project: Path, scratch: Path) -> Path:
    """The documents the build renders (its own print HTML), pickled for the baseline.

    A build into a scratch folder whose PDF renderer only records the jobs.
    """
    import dataclasses

    from factsheets.build import workers
    from factsheets.build.site import build_site
    from factsheets.config import load_config
    from factsheets.pdf.jobs import PdfOptions

    tasks: list[Any] = []

    def record(task: Any) -> Any:
        tasks.append(task)
        return workers.Done(task.path, pages=1, size=1)

    config = dataclasses.replace(load_config(project), output=str(scratch))
    original, workers.render_task = workers.render_task, record
    try:
        build_site(config, pdf_options=PdfOptions(), jobs=0)
    finally:
        workers.render_task = original
    path = scratch / "jobs.pickle"
    path.write_bytes(pickle.dumps(list(bare_documents(tasks))))
    return path


def bare_documents(tasks: list[Any]) -> Any:
    """(HTML, base URL, page CSS, print.css) of each PDF; a bundle as one document."""
    from factsheets.pdf.bundle import BundleJob

    sheets = {task.path: task.job.html for task in tasks if not isinstance(task.job, BundleJob)}
    for task in tasks:
        job = task.job.front if isinstance(task.job, BundleJob) else task.job
        html = job.html
        if isinstance(task.job, BundleJob):
            html = one_document(html, [sheets[part.path] for part in task.job.parts])
        yield html, job.base_url, job.page_css, str(job.config.templates_dir / "print.css")


def one_document(front: str, sheets: list[str]) -> str:
    """A bundle's front matter (cover and contents) followed by each sheet's `<main>`."""
    import lxml.html

    root = lxml.html.document_fromstring(front)
    for sheet in sheets:
        main = lxml.html.document_fromstring(sheet).find(".//main")
        main.tag, main.attrib["style"] = "article", "break-before: page"
        root.body.append(main)
    return str(lxml.html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode"))


def baseline(jobs_file: Path) -> dict[str, Any]:
    """Bare WeasyPrint over the build's PDF jobs, serially, in one fresh process."""
    start = time.perf_counter()
    run = subprocess.run([sys.executable, __file__, "--render-serially", str(jobs_file)],
                         capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    render, count = run.stdout.split()
    return {"seconds": wall, "render_seconds": float(render), "documents": int(count)}


def render_serially(jobs_file: Path) -> None:
    """(In the baseline's process) import WeasyPrint and render each document; print the time."""
    from weasyprint import CSS, HTML

    documents = pickle.loads(jobs_file.read_bytes())
    begin = time.perf_counter()
    for html, base_url, page_css, print_css in documents:
        styles = [CSS(filename=print_css), CSS(string=page_css)]
        HTML(string=html, base_url=base_url).write_pdf(
            stylesheets=styles, pdf_variant="pdf/ua-1", pdf_tags=True)
    end = time.perf_counter()
    print(end - begin, len(documents))


# --- the runs ------------------------------------------------------------------------------------

def size_run(work: Path, count: int) -> dict[str, Any]:
    """Cold build and baseline of `count` sheets; the project is kept for the rebuilds."""
    project = make_project(work / f"sheets-{count}", count)
    cold = build(project)
    base = baseline(capture_pdf_jobs(project, work / f"jobs-{count}"))
    pages = laid_out_pages(project / "dist")
    handout_pages = laid_out_pages(project / "dist", "handouts")
    return {"sheets": count, "project": str(project), "cold_seconds": cold["seconds"],
            "files": len(cold["report"]["built"]), "peak_rss_mb": round(cold["rss_mb"], 1),
            "pages": pages, "handout_pages": handout_pages,
            "seconds_per_page": cold["seconds"] / pages,
            "baseline_seconds": base["seconds"],
            "baseline_render_seconds": base["render_seconds"], "pdfs": base["documents"],
            "cold_ratio": cold["seconds"] / base["seconds"],
            "seconds_per_sheet": cold["seconds"] / count}


def laid_out_pages(dist: Path, folder: str = "") -> int:
    """The pages WeasyPrint laid out in a build: every sheet's and handout's, not the bundles'
    (joined from the sheets' pages); with `folder`, only those of PDFs in such folders."""
    import pikepdf

    total = 0
    for pdf in dist.rglob("*.pdf"):
        if not pdf.name.startswith("fact-sheets-") and (not folder or pdf.parent.name == folder):
            with pikepdf.open(pdf) as document:
                total += len(document.pages)
    return total


def rebuilds(project: Path, cold_seconds: float, runs: int) -> dict[str, Any]:
    """No-op rebuilds (median), then one changed sheet: its time and the files it rebuilt."""
    noops = [build(project) for _ in range(runs)]
    noop = statistics.median(run["seconds"] for run in noops)
    sheet = change_one_sheet(project)
    changed = build(project)
    built = sorted(changed["report"]["built"])
    number = sheet.rsplit("-", 1)[1]
    listings = [f"{lang}/{name}.html" for lang in ("en", "fr") for name in (
        "index", "whats-new", "search", "for-parents", "for-educators", "for-youth",
        "for-law-enforcement")]
    index = [f for f in built if f.startswith("pagefind/")]  # the search index, made anew
    expected = sorted([f"en/{sheet}.html", f"en/{sheet}.pdf", "en/feed.xml",
                       "en/fact-sheets-en.pdf", "fr/feed.xml", "fr/fact-sheets-fr.pdf", *listings]
                      + [f for f in built if f.startswith("fr/") and f"-{number}." in f]
                      + handouts(built, sheet, number) + index)
    return {"noop_seconds": noop, "noop_share": noop / cold_seconds,
            "noop_built": max(len(run["report"]["built"]) for run in noops),
            "one_change_seconds": changed["seconds"], "one_change_built": built,
            "one_change_exact": built == expected and "pagefind/pagefind-entry.json" in index
            and len(built) - len(index) == 22 + len(handouts(built, sheet, number)) == 30}


def handouts(built: list[str], sheet: str, number: str) -> list[str]:
    """The changed sheet's one-page handouts (four audiences, two languages) among `built`."""
    return [f for f in built if f.startswith(f"en/handouts/{sheet}-")
            or (f.startswith("fr/handouts/") and f"-{number}-" in f)]


def validate_run(work: Path, count: int, runs: int) -> dict[str, Any]:
    """`factsheets validate` on `count` sheets (median of `runs`)."""
    project = make_project(work / f"validate-{count}", count, catalogs=False)
    seconds = median_seconds(runs, "validate", "--project", str(project))
    return {"validate_sheets": count, "validate_seconds": seconds}


def verdicts(result: dict[str, Any]) -> dict[str, bool]:
    """Which targets this run met."""
    sizes = result["sizes"]
    per_sheet = [s["seconds_per_sheet"] for s in sizes]
    middle = statistics.median(per_sheet)
    return {
        "cold_ratio": all(s["cold_ratio"] <= TARGETS["cold_ratio"] for s in sizes),
        "noop_share": result["noop_share"] <= TARGETS["noop_share"] and not result["noop_built"],
        "one_change_exact": result["one_change_exact"],
        "validate_seconds": result["validate_seconds"] <= TARGETS["validate_seconds"],
        "per_sheet_spread": all(abs(v / middle - 1) <= TARGETS["per_sheet_spread"]
                                for v in per_sheet),
        "peak_rss_mb": sizes[-1]["peak_rss_mb"] <= TARGETS["peak_rss_mb"],
        "help_seconds": result["help_seconds"] <= TARGETS["help_seconds"],
    }


def benchmark(sizes: list[int], validate_sheets: int, runs: int) -> dict[str, Any]:
    """Every measurement, in one run, in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="factsheets-bench-") as folder:
        work = Path(folder)
        result: dict[str, Any] = {"cores": len(os.sched_getaffinity(0)),
                                  "sizes": [size_run(work, n) for n in sizes]}
        largest = result["sizes"][-1]
        result.update(rebuilds(Path(largest["project"]), largest["cold_seconds"], runs))
        result.update(validate_run(work, validate_sheets, runs))
        result["help_seconds"] = median_seconds(max(runs, 5), "--help")
    result["targets"] = TARGETS
    result["met"] = verdicts(result)
    return result


def show(result: dict[str, Any]) -> str:
    """The result as a short text report."""
    lines = [f"{'sheets':>6} {'PDFs':>5} {'pages':>6} {'files':>6} {'cold s':>8} "
             f"{'baseline s':>11} {'ratio':>6} {'s/sheet':>8} {'s/page':>7} {'peak MB':>8}"]
    lines += [f"{s['sheets']:>6} {s['pdfs']:>5} {s['pages']:>6} {s['files']:>6} "
              f"{s['cold_seconds']:>8.2f} {s['baseline_seconds']:>11.2f} {s['cold_ratio']:>6.2f} "
              f"{s['seconds_per_sheet']:>8.3f} {s['seconds_per_page']:>7.3f} "
              f"{s['peak_rss_mb']:>8.0f}" for s in result["sizes"]]
    largest = result["sizes"][-1]["sheets"]
    lines += [
        f"no-op rebuild ({largest} sheets): {result['noop_seconds']:.3f} s = "
        f"{100 * result['noop_share']:.1f}% of the cold build, "
        f"{result['noop_built']} files rebuilt",
        f"one sheet changed: {result['one_change_seconds']:.2f} s, rebuilt "
        f"{len(result['one_change_built'])} files (exactly the expected ones: "
        f"{result['one_change_exact']})",
        f"validate {result['validate_sheets']} sheets: {result['validate_seconds']:.2f} s",
        f"factsheets --help: {result['help_seconds']:.3f} s",
        "targets met: " + ", ".join(f"{k}={'yes' if v else 'NO'}"
                                    for k, v in result["met"].items())]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="2 and 4 sheets, validate 200: well under a minute")
    parser.add_argument("--sizes", help="comma-separated sheet counts (default 10,100,400)")
    parser.add_argument("--validate-sheets", type=int, help="sheets to validate (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each quick measurement")
    parser.add_argument("--json", type=Path, help="also write the result to this file")
    parser.add_argument("--render-serially", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.render_serially:
        render_serially(args.render_serially)
        return
    sizes = [int(n) for n in (args.sizes or ("2,4" if args.quick else "10,100,400")).split(",")]
    count = args.validate_sheets or (200 if args.quick else 1000)
    result = benchmark(sizes, count, 1 if args.quick else args.runs)
    print(show(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
