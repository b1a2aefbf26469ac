"""The published sheets themselves: the real project passes its own editorial checks."""

from __future__ import annotations

from conftest import ROOT


def test_real_project_passes_strict_check_without_warnings(runner):
    """Every sheet, in English and French, stays within the sentence-length and grade limits."""
    result = runner("check", "--strict", "--project", str(ROOT))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output.lower().replace("0 warning(s)", ""), result.output
