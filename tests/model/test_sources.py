"""Safe YAML reading: arbitrary input gives located errors, never a traceback."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from factsheets.config import Config, Limits
from factsheets.errors import SheetError
from factsheets.model.sources import parse_yaml, read_yaml
from factsheets.model.validate import load_sheet

LIMITS = Limits()
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=30), st.dates())
structures = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                  max_size=5),
    max_leaves=25,
)
sheet_keys = st.sampled_from(["id", "status", "language", "title", "summary", "audiences",
                              "first_published", "last_reviewed", "sections", "tips",
                              "glossary", "figures", "contacts", "references", "keywords"])
sheet_like = st.dictionaries(sheet_keys, structures, max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_or_gives_a_located_error(text):
    """What this really checks: no exception but `SheetError` escapes, whatever the text (a
    yaml, Unicode or recursion error would fail the test), and the error names the file."""
    try:
        parse_yaml(text, "sheets/x.yaml", LIMITS)
    except SheetError as exc:
        assert exc.problems
        assert all(p.location.path == "sheets/x.yaml" for p in exc.problems)


@settings(max_examples=200, deadline=None)
@given(st.one_of(structures, sheet_like))
def test_any_yaml_structure_loads_or_gives_located_errors(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("p")
    (root / "sheets").mkdir()
    path = root / "sheets" / "x.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_sheet(Config(root=root), path)
    except SheetError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.location.path == "sheets/x.yaml"
            assert problem.location.line >= 1 and problem.message


def test_positions_point_at_keys_and_list_items():
    doc = parse_yaml("a: 1\nb:\n  - x: 2\n  - y\n", "f.yaml", LIMITS)
    assert doc.positions[("b",)] == (2, 1)
    assert doc.positions[("b", 0, "x")] == (3, 5)
    assert doc.positions[("b", 1)] == (4, 5)
    assert doc.locate(("b", 1, "missing")).prefix() == "f.yaml:4:5"


def test_a_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert read_yaml(path, "bom.yaml", LIMITS).data == {"a": 1}


def test_oversized_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2_000_000, encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        read_yaml(path, "big.yaml", LIMITS)
    assert "over the limit of 1,000,000" in caught.value.problems[0].message


def test_deep_nesting_is_refused():
    with pytest.raises(SheetError) as caught:
        parse_yaml("a: " + "[" * 100 + "]" * 100, "deep.yaml", LIMITS)
    assert "nesting is too deep" in caught.value.problems[0].message


def test_overlong_string_is_refused():
    with pytest.raises(SheetError) as caught:
        parse_yaml("title: " + "x" * 6000, "long.yaml", LIMITS)
    assert caught.value.problems[0].format() == (
        "long.yaml:1:8: title: text is 6,000 characters, over the limit of 5,000")
