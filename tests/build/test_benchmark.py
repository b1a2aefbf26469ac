"""benchmarks/build_speed.py --quick runs end to end and reports every measurement (no timing
assertions: numbers depend on the machine)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_the_quick_benchmark_reports_every_measurement(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "build_speed.py"), "--quick",
                           "--sizes", "1", "--validate-sheets", "20", "--json", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert [s["sheets"] for s in result["sizes"]] == [1]
    for size in result["sizes"]:
        for name in ("cold_seconds", "baseline_seconds", "cold_ratio", "seconds_per_sheet",
                     "seconds_per_page", "peak_rss_mb"):
            assert size[name] > 0, name
        assert size["pdfs"] == 2 * size["sheets"] * (1 + 4) + 2  # sheets, handouts, bundles
        handouts = 2 * size["sheets"] * 4
        assert size["handout_pages"] == handouts  # one page each
        assert size["pages"] - handouts >= 2 * 2 * size["sheets"]  # each sheet several
    for name in ("noop_seconds", "noop_share", "one_change_seconds", "validate_seconds",
                 "help_seconds"):
        assert result[name] > 0, name
    assert result["validate_sheets"] == 20 and result["noop_built"] == 0
    assert result["one_change_exact"], result["one_change_built"]
    assert set(result["met"]) == {"cold_ratio", "noop_share", "one_change_exact",
                                  "validate_seconds", "per_sheet_spread", "peak_rss_mb",
                                  "help_seconds"}
    assert "one sheet changed:" in done.stdout and "targets met:" in done.stdout


@pytest.mark.slow
def test_the_per_page_comparison_runs_two_checkouts_alternately() -> None:
    """This checkout against itself: both builds run and their ratio is reported."""
    if not (ROOT / ".venv" / "bin" / "factsheets").exists():
        pytest.fail("benchmarks/per_page.py needs the checkout's .venv (scripts/build-site)")
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "per_page.py"), str(ROOT),
                           str(ROOT), "--sheets", "1", "--rounds", "1"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    pages = [int(n) for n in re.findall(r"(\d+) pages", done.stdout)]
    assert len(pages) == 2 and pages[0] == pages[1] > 2 * 4, done.stdout
    assert re.search(r"wall time per page, new/old: median \d+\.\d\d", done.stdout)
