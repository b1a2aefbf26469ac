"""The JSON Schema: committed, current, and in agreement with the validator."""

from __future__ import annotations

import json

import jsonschema
import yaml

from conftest import ROOT


def test_committed_schema_is_current(runner):
    result = runner("schema")
    committed = (ROOT / "schema" / "factsheet.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed, "run: factsheets schema -o schema/factsheet.schema.json"


def test_schema_accepts_the_projects_sheets_and_rejects_unknown_keys():
    schema = json.loads((ROOT / "schema" / "factsheet.schema.json").read_text(encoding="utf-8"))
    sheets = sorted((ROOT / "sheets").glob("*.yaml"))
    assert sheets
    for path in sheets:
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")),
                                     default=str))
        jsonschema.validate(data, schema)
        data["summry"] = "typo"
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
        assert any("summry" in e.message for e in errors)


def test_every_sheet_starts_with_the_editor_schema_modeline():
    for path in sorted((ROOT / "sheets").glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/factsheet.schema.json", path
