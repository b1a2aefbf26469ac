"""Validation: every bad sheet gets its located message; good sheets pass."""

from __future__ import annotations

import json
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from conftest import DATA, ROOT, skeleton
from factsheets.config import load_config
from factsheets.model import validate
from factsheets.model.validate import PARALLEL_FROM, check_sheets

BAD = sorted((DATA / "bad").glob("*.yaml")) + sorted((DATA / "hostile").glob("*.yaml"))


def expected_lines(path: Path) -> list[str]:
    """The `# expect: LINE:COL: message` header lines of a bad-sheet fixture."""
    lines = path.read_bytes().decode("ascii", "replace").splitlines()
    prefix = f"sheets/{path.name}:"
    return [prefix + line.removeprefix("# expect: ") for line in lines
            if line.startswith("# expect: ")]


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_sheet_gets_its_located_message(path, project, runner):
    root = project()
    shutil.copy(path, root / "sheets" / path.name)
    result = runner("validate", "--project", str(root))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected_lines(path)
    assert "Traceback" not in result.output


def test_every_error_in_every_file_is_reported_at_once(project, runner):
    root = project()
    for name in ("misspelt-key.yaml", "bad-date.yaml", "raw-html.yaml"):
        shutil.copy(DATA / "bad" / name, root / "sheets" / name)
    result = runner("validate", "--project", str(root))
    reported = {line.split(":")[0] for line in result.stderr.splitlines()}
    assert reported == {"sheets/bad-date.yaml", "sheets/misspelt-key.yaml", "sheets/raw-html.yaml"}
    assert len(result.stderr.splitlines()) == 4


def test_json_format_lists_problems_for_machines(project, runner):
    root = project()
    shutil.copy(DATA / "bad" / "misspelt-key.yaml", root / "sheets")
    result = runner("validate", "--project", str(root), "--format", "json")
    problems = json.loads(result.stderr)
    assert problems[1] == {
        "file": "sheets/misspelt-key.yaml", "line": 7, "column": 1, "field": "summry",
        "message": "unknown field 'summry'", "hint": "did you mean 'summary'?",
        "severity": "error",
    }


def test_skeleton_is_valid(project, runner):
    root = project()
    assert runner("new", "--project", str(root), "my-topic").exit_code == 0
    result = runner("validate", "--project", str(root))
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 sheet(s) valid\n"


def test_new_refuses_a_bad_slug_and_an_existing_sheet(project, runner):
    root = project({"sheets/taken.yaml": skeleton("taken")})
    assert runner("new", "--project", str(root), "Bad Slug").exit_code == 2
    result = runner("new", "--project", str(root), "taken")
    assert result.exit_code == 2
    assert "already exists" in result.stderr


def test_missing_path_is_a_usage_error(project, runner):
    result = runner("validate", "--project", str(project()), "nowhere.yaml")
    assert result.exit_code == 2
    assert "no such sheet file: nowhere.yaml" in result.output


def test_a_project_without_sheets_is_a_usage_error(project, runner):
    result = runner("validate", "--project", str(project()))
    assert result.exit_code == 2
    assert "no sheets found in" in result.output
    assert "factsheets new SLUG" in result.output


def test_bad_project_file_is_a_usage_error(project, runner):
    root = project({"factsheets.toml": 'page_size = "tabloid"\n'})
    result = runner("validate", "--project", str(root))
    assert result.exit_code == 2
    assert result.stderr == f"{root / 'factsheets.toml'}: page_size: must be one of letter, a4\n"


def test_the_projects_own_sheets_are_valid(runner):
    result = runner("validate", "--project", str(ROOT))
    assert result.exit_code == 0, result.stderr
    assert len(list((ROOT / "sheets").glob("*.yaml"))) >= 4


@pytest.mark.parametrize(("count", "ok"), [(0, True), (2, False), (3, True), (5, True),
                                           (6, False)])
def test_key_points_are_three_to_five_or_none(project, runner, count, ok):
    points = "".join(f"  - Key point {i}.\n" for i in range(count))
    sheet = re.sub(r"\nkey_points:\n(?:  - .*\n)+", f"\nkey_points:\n{points}" if count else "\n",
                   skeleton("demo"))
    result = runner("validate", "--project", str(project({"sheets/demo.yaml": sheet})))
    assert (result.exit_code == 0) == ok, result.output
    if not ok:
        assert "sheets/demo.yaml:" in result.output and "key_points" in result.output


def test_many_sheets_are_checked_in_processes_with_the_same_findings_in_file_order(
        project, runner, monkeypatch):
    """From PARALLEL_FROM sheets, validate shares them among processes; what it finds, and
    the order it reports it in, is what one process finds."""
    pools = []
    monkeypatch.setattr(validate, "ProcessPoolExecutor",
                        lambda *args: pools.append(args) or ProcessPoolExecutor(*args))
    files = {f"sheets/topic-{n:03d}.yaml": skeleton(f"topic-{n:03d}")
             for n in range(PARALLEL_FROM)}
    root = project(files)
    for name in ("misspelt-key.yaml", "bad-date.yaml", "raw-html.yaml"):
        shutil.copy(DATA / "bad" / name, root / "sheets" / name)
    config = load_config(root)
    paths = sorted((root / "sheets").glob("*.yaml"))
    assert check_sheets(config, paths, jobs=2) == check_sheets(config, paths, jobs=1)
    assert len(pools) == 1  # the first call shared the sheets among two processes
    ids, problems = check_sheets(config, paths, jobs=2)
    assert len(ids) == PARALLEL_FROM and ids == sorted(ids)
    assert [p.location.path for p in problems] == sorted(p.location.path for p in problems)
    result = runner("validate", "--project", str(root))
    assert result.exit_code == 1
    assert {line.split(":")[0] for line in result.stderr.splitlines()} == {
        "sheets/bad-date.yaml", "sheets/misspelt-key.yaml", "sheets/raw-html.yaml"}
