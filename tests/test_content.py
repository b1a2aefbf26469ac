"""The published sheets themselves: the real project passes its own editorial checks."""

from __future__ import annotations

from conftest import ROOT


def test_real_project_passes_strict_check_without_warnings(runner):
    """Every sheet, in English and French, stays within the sentence-length and grade limits."""
    result = runner("check", "--strict", "--project", str(ROOT))
    assert result.exit_code == 0, result.output
    assert "warning" not in result.output.lower().replace("0 warning(s)", ""), result.output


def test_the_shipped_fonts_are_the_pinned_packages_own_files():
    """templates/fonts/ holds Atkinson Hyperlegible exactly as the pinned PyPI package
    (`fontpkg-atkinson-hyperlegible`, a test requirement) ships it, with its licence."""
    from importlib.resources import files

    package = files("fontpkg_atkinson_hyperlegible") / "files"
    shipped = sorted((ROOT / "templates" / "fonts").glob("*.ttf"))
    styles = ("Regular", "Bold", "Italic", "BoldItalic")
    assert [p.name for p in shipped] == sorted(f"AtkinsonHyperlegible-{s}.ttf" for s in styles)
    for path in shipped:
        assert path.read_bytes() == (package / path.name).read_bytes(), path.name
    assert "SIL Open Font License" in (ROOT / "templates" / "fonts" / "OFL.txt").read_text()
