"""Hostile sheets and figures: clear, located errors; limits bound what a file may hold."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from conftest import DATA, skeleton
from factsheets.config import load_config
from factsheets.model.validate import load_sheets

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}</svg>'
FIGURE = ("figures:\n  - id: chart\n    src: {}\n    alt: A chart.\n    after: what-it-is\n")


def problems_of(root: Path, name: str = "sample.yaml") -> list[str]:
    """Validate one sheet of a project; return its problems as the CLI prints them."""
    _, problems = load_sheets(load_config(root), [root / "sheets" / name])
    return [p.format() for p in problems]


def with_figure(src: str) -> str:
    return skeleton().replace("figures: []\n", FIGURE.format(src))


# --- the YAML corpus ------------------------------------------------------------------------

def test_fifty_megabyte_sheet_is_refused_by_its_size(project):
    root = project()
    with (root / "sheets" / "sample.yaml").open("wb") as handle:
        handle.write(skeleton().encode())
        handle.truncate(50 * 1024 * 1024)  # a sparse file: no 50 MB written to disk
    assert problems_of(root) == ["sheets/sample.yaml: file is 52,428,800 bytes, over the limit "
                                 "of 1,000,000 (split it, or raise limits.sheet_bytes)"]


@pytest.mark.parametrize("raw, expected", [
    (b"\x00", "7:11: character U+0000 is not allowed in YAML"),
    (b"\x7f", "7:11: character U+007F is not allowed in YAML"),
    ("\u009b".encode(), "7:11: character U+009B is not allowed in YAML"),
], ids=["nul", "del", "c1-control"])
def test_control_bytes_in_the_file_are_located(project, raw, expected):
    text = skeleton().encode().replace(b"title: Sample", b"title: Sam" + raw + b"ple")
    root = project({"sheets/sample.yaml": text})
    assert problems_of(root) == [f"sheets/sample.yaml:{expected} "
                                 "(remove control characters from the file)"]


def test_utf16_sheet_is_refused_as_not_utf8(project):
    root = project({"sheets/sample.yaml": skeleton().encode("utf-16")})
    assert problems_of(root) == ["sheets/sample.yaml:1:1: byte 0xff is not valid UTF-8 "
                                 "(save the file as UTF-8)"]


def test_a_leading_byte_order_mark_is_accepted(project):
    root = project({"sheets/sample.yaml": "\ufeff" + skeleton()})
    assert problems_of(root) == []


def test_a_very_long_line_is_bounded_by_the_string_limit(project):
    root = project({"sheets/sample.yaml": skeleton().replace(
        "title: Sample", "title: " + "x" * 100_000)})
    assert problems_of(root) == ["sheets/sample.yaml:7:8: title: text is 100,000 characters, "
                                 "over the limit of 5,000"]


def test_a_long_comment_line_under_the_size_limit_is_harmless(project):
    root = project({"sheets/sample.yaml": "# " + "x" * 900_000 + "\n" + skeleton()})
    assert problems_of(root) == []


def test_a_sheet_linked_from_outside_the_project_is_not_read(project, tmp_path):
    secret = tmp_path / "secrets.yaml"
    secret.write_text("api_key: s3cr3t-value\n", encoding="utf-8")
    root = project({"sheets/inside.yaml": skeleton("inside")})
    (root / "sheets" / "sample.yaml").symlink_to(secret)
    (root / "sheets" / "alias.yaml").symlink_to(root / "sheets" / "inside.yaml")
    [problem] = problems_of(root)
    assert problem == ("sheets/sample.yaml: the sheet is a link to a file outside the project "
                       "(copy the sheet into sheets/ instead)")
    assert "s3cr3t" not in problem
    assert problems_of(root, "alias.yaml") == [
        "sheets/inside.yaml:4:1: id: id 'inside' differs from the file name 'alias' "
        "(rename the file to inside.yaml or change the id)"]


def test_control_and_bidi_characters_in_a_file_name_are_not_printed(project, runner):
    name = "evil\x1b[2J\u202eyaml.txt.yaml"
    root = project({f"sheets/{name}": skeleton("evil")})
    result = runner("validate", "--project", str(root))
    assert result.exit_code == 1
    assert result.stderr.startswith("sheets/evil\\u001b[2J\\u202eyaml.txt.yaml:4:1: id: ")
    assert "\x1b" not in result.stderr and "\u202e" not in result.stderr


# --- figure paths ---------------------------------------------------------------------------

@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the project holding a file a figure must never reach."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.svg").write_text(SVG.format(""), encoding="utf-8")
    return folder


@pytest.mark.parametrize("src, message", [
    ("../../outside/secret.svg", "'../../outside/secret.svg' is outside sheets/figures/"),
    ("figures/../../../outside/secret.svg", "is outside sheets/figures/"),
    ("/etc/hostname.svg", "a figure must be a file under sheets/figures/"),
    ("file:///etc/hostname.svg", "a figure must be a file under sheets/figures/"),
    ("file:/etc/hostname.svg", "'file:/etc/hostname.svg' is outside sheets/figures/"),
    ("\\\\server\\share\\x.svg", "a figure must be a file under sheets/figures/"),
    ("figures/link.svg", "'figures/link.svg' is outside sheets/figures/"),
    ("figures/linked-folder/secret.svg", "is outside sheets/figures/"),
    ("figures/to-the-sheet.svg", "'figures/to-the-sheet.svg' is outside sheets/figures/"),
], ids=["parent", "figures-parent", "absolute", "file-url", "file-scheme", "unc", "symlink-out",
        "symlinked-folder", "symlink-in-project"])
def test_figure_paths_that_escape_are_refused(project, outside, src, message):
    root = project({"sheets/sample.yaml": with_figure(src),
                    "sheets/figures/real.svg": SVG.format("")})
    figures = root / "sheets" / "figures"
    (figures / "link.svg").symlink_to(outside / "secret.svg")
    (figures / "linked-folder").symlink_to(outside, target_is_directory=True)
    (figures / "to-the-sheet.svg").symlink_to(root / "sheets" / "sample.yaml")
    [problem] = problems_of(root)
    assert problem.startswith("sheets/sample.yaml:") and ": figures[0].src: " in problem
    assert message in problem


def test_a_symlink_between_figures_is_followed(project):
    root = project({"sheets/sample.yaml": with_figure("figures/alias.svg"),
                    "sheets/figures/real.svg": SVG.format("")})
    (root / "sheets" / "figures" / "alias.svg").symlink_to("real.svg")
    assert problems_of(root) == []


# --- SVG figures ----------------------------------------------------------------------------

@pytest.mark.parametrize("inside, message", [
    ("<script>alert(1)</script>", "holds a <script> element"),
    ('<rect width="5" height="5" onclick="alert(1)"/>', "event attribute (onclick=)"),
    ('<a href="javascript:alert(1)"><text>x</text></a>', "javascript: address (href=)"),
    ('<a><set attributeName="href" to="java\tscript:alert(1)"/></a>', "javascript: address"),
    ('<image href="http://127.0.0.1:9/x.png" width="5" height="5"/>',
     "refers to 'http://127.0.0.1:9/x.png'"),
    ('<image xmlns:x="http://www.w3.org/1999/xlink" x:href="file:///etc/passwd"/>',
     "refers to 'file:///etc/passwd'"),
    ('<image href="../../outside/secret.svg"/>', "refers to '../../outside/secret.svg'"),
    ("<style>rect { fill: url(http://127.0.0.1:9/x) }</style>", "CSS loads another file"),
    ("<style>@import 'http://127.0.0.1:9/x.css';</style>", "CSS loads another file"),
    ('<rect style="fill: url(\'http://127.0.0.1:9/x\')"/>', "CSS loads another file"),
    ('<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
     "holds a <foreignobject> element"),
], ids=["script", "event", "javascript", "animated-javascript", "remote-image", "file-image",
        "relative-image", "css-url", "css-import", "style-attribute", "foreign-object"])
def test_unsafe_svg_figure_is_refused(project, inside, message):
    root = project({"sheets/sample.yaml": with_figure("figures/chart.svg"),
                    "sheets/figures/chart.svg": SVG.format(inside)})
    [problem] = problems_of(root)
    assert problem.startswith("sheets/sample.yaml:") and ": figures[0].src: " in problem
    assert message in problem


@pytest.mark.parametrize("svg, message", [
    ('<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
     + SVG.format("<text>&b;</text>"), "declares a DTD or entities"),
    ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + SVG.format("<text>&x;</text>"),
     "declares a DTD or entities"),
    ("<svg", "the SVG cannot be read"),
], ids=["entity-expansion", "external-entity", "not-xml"])
def test_svg_with_entities_or_broken_xml_is_refused(project, svg, message):
    root = project({"sheets/sample.yaml": with_figure("figures/chart.svg"),
                    "sheets/figures/chart.svg": svg})
    [problem] = problems_of(root)
    assert message in problem


def test_safe_svg_with_internal_references_passes(project):
    inside = ('<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
              '<rect width="5" height="5" style="fill: url(#g)"/><use href="#g"/>')
    root = project({"sheets/sample.yaml": with_figure("figures/chart.svg"),
                    "sheets/figures/chart.svg": SVG.format(inside)})
    assert problems_of(root) == []


def test_an_unsafe_localized_figure_is_not_used(project):
    root = project({"sheets/sample.yaml": with_figure("figures/chart.svg").replace(
                        "status: draft", "status: published"),
                    "sheets/figures/chart.svg": SVG.format("<title>en</title>"),
                    "sheets/figures/chart.fr.svg": SVG.format("<script>alert(1)</script>")})
    from factsheets.build.site import build_site

    build_site(load_config(root), allow_incomplete=True)
    french = (root / "dist" / "fr" / "sample.html").read_text(encoding="utf-8")
    assert 'src="../media/sheets/figures/chart.svg"' in french
    assert not (root / "dist" / "media" / "sheets" / "figures" / "chart.fr.svg").exists()


def test_processing_instruction_in_svg_is_refused(project):
    svg = '<?xml-stylesheet href="http://127.0.0.1:9/x.css"?>' + SVG.format("")
    root = project({"sheets/sample.yaml": with_figure("figures/chart.svg"),
                    "sheets/figures/chart.svg": svg})
    [problem] = problems_of(root)
    assert problem.endswith("figures[0].src: the SVG holds a processing instruction (<?...?>), "
                            "which figures may not")


# --- raster figures -------------------------------------------------------------------------

def png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("name, content, message", [
    ("chart.png", lambda: SVG.format("<script>alert(1)</script>"),
     "'figures/chart.png' is not a PNG image"),
    ("chart.jpg", lambda: png(4, 4), "'figures/chart.jpg' is not a JPEG image"),
    ("chart.png", lambda: b"", "'figures/chart.png' is not a PNG image"),
    ("chart.png", lambda: png(20_000, 20_000),
     "'figures/chart.png' has far more pixels than the limit of 40,000,000"),
    ("chart.png", lambda: png(7_000, 7_000),
     "'figures/chart.png' has 49,000,000 pixels, over the limit of 40,000,000"),
], ids=["svg-named-png", "png-named-jpg", "empty", "decompression-bomb", "too-many-pixels"])
def test_a_raster_figure_must_be_what_its_name_says_and_bounded(project, name, content, message):
    root = project({"sheets/sample.yaml": with_figure(f"figures/{name}"),
                    f"sheets/figures/{name}": content()})
    [problem] = problems_of(root)
    assert problem.endswith(f"figures[0].src: {message}")


# --- limits and their overrides ([limits] in factsheets.toml) --------------------------------

def limited(project, text: str, limits: str = "", extra: dict | None = None) -> list[str]:
    files = {"sheets/sample.yaml": text, "factsheets.toml": f"[limits]\n{limits}\n",
             **(extra or {})}
    return problems_of(project(files))


def test_sheet_bytes_limit_and_override(project):
    text = skeleton()
    size = len(text.encode())
    [problem] = limited(project, text, "sheet_bytes = 1000")
    assert problem == (f"sheets/sample.yaml: file is {size:,} bytes, over the limit of 1,000 "
                       "(split it, or raise limits.sheet_bytes)")
    big = "# " + "x" * 1_100_000 + "\n" + text
    assert "over the limit of 1,000,000" in limited(project, big)[0]
    assert limited(project, big, "sheet_bytes = 2_000_000") == []


def test_string_chars_limit_and_override(project):
    text = skeleton().replace("title: Sample", "title: " + "x" * 6000)
    assert limited(project, text) == ["sheets/sample.yaml:7:8: title: text is 6,000 characters, "
                                      "over the limit of 5,000"]
    assert limited(project, text, "string_chars = 10000") == []
    [problem] = limited(project, skeleton(), "string_chars = 20")
    assert "text is" in problem and "over the limit of 20" in problem


def test_yaml_nodes_limit_and_override(project):
    keywords = "keywords: [" + ", ".join(f"k{i}" for i in range(300)) + "]"
    text = skeleton().replace("keywords: [online safety]", keywords)
    assert limited(project, text) == []
    [problem] = limited(project, text, "yaml_nodes = 200")
    assert problem.endswith("the file expands to more than 200 values "
                            "(use fewer aliases (*name) or split the sheet)")


def test_yaml_depth_limit_and_override(project):
    assert limited(project, skeleton()) == []
    [problem] = limited(project, skeleton(), "yaml_depth = 2")
    assert problem.endswith(": nesting is too deep")
    deep = DATA / "hostile" / "deep-nesting.yaml"
    root = project({"sheets/deep-nesting.yaml": deep.read_text(encoding="utf-8"),
                    "factsheets.toml": "[limits]\nyaml_depth = 100\n"})
    [problem] = problems_of(root, "deep-nesting.yaml")
    assert "unknown field 'a'" in problem  # read in full; only the schema objects now


def test_figure_bytes_limit_and_override(project):
    svg = SVG.format("<title>" + "x" * 2000 + "</title>")
    extra = {"sheets/figures/chart.svg": svg}
    text = with_figure("figures/chart.svg")
    [problem] = limited(project, text, "figure_bytes = 1000", extra)
    assert problem.endswith(f"figures[0].src: 'figures/chart.svg' is {len(svg):,} bytes, "
                            "over the limit of 1,000")
    assert limited(project, text, "figure_bytes = 3000", extra) == []


def test_figure_pixels_limit_and_override(project):
    extra = {"sheets/figures/chart.png": png(300, 200)}
    text = with_figure("figures/chart.png")
    assert limited(project, text, extra=extra) == []
    [problem] = limited(project, text, "figure_pixels = 50_000", extra)
    assert problem.endswith("'figures/chart.png' has 60,000 pixels, over the limit of 50,000")


def test_figures_per_sheet_limit_and_override(project):
    figures = "figures:\n" + "".join(
        f"  - id: f{i}\n    src: figures/chart.svg\n    alt: A chart.\n    after: what-it-is\n"
        for i in range(13))
    text = skeleton().replace("figures: []\n", figures)
    extra = {"sheets/figures/chart.svg": SVG.format("")}
    [problem] = limited(project, text, extra=extra)
    assert problem.endswith("figures: more than 12 figures")
    assert limited(project, text, "figures_per_sheet = 20", extra) == []
    assert limited(project, text, "figures_per_sheet = 2", extra)[0].endswith("more than 2 figures")


@pytest.mark.parametrize("setting, message", [
    ('sheet_bytes = "big"', "limits.sheet_bytes: must be a whole number above 0"),
    ("string_chars = 0", "limits.string_chars: must be a whole number above 0"),
    ("yaml_depth = -1", "limits.yaml_depth: must be a whole number above 0"),
    ("figure_bytes = 1.5", "limits.figure_bytes: must be a whole number above 0"),
    ("figures_per_sheet = true", "limits.figures_per_sheet: must be a whole number above 0"),
    ("sheet_byts = 1", "limits: unknown limit 'sheet_byts' (known limits: sheet_bytes, "
     "string_chars, yaml_nodes, yaml_depth, figure_bytes, figure_pixels, figures_per_sheet, "
     "catalog_bytes, svg_elements, svg_depth, svg_path_chars, svg_text_chars, pdf_seconds)"),
])
def test_a_bad_limit_is_a_usage_error(project, runner, setting, message):
    root = project({"factsheets.toml": f"[limits]\n{setting}\n", "sheets/sample.yaml": skeleton()})
    result = runner("validate", "--project", str(root))
    assert result.exit_code == 2
    assert result.stderr == f"{root / 'factsheets.toml'}: {message}\n"


def test_limits_not_a_table_is_a_usage_error(project, runner):
    root = project({"factsheets.toml": "limits = 5\n", "sheets/sample.yaml": skeleton()})
    result = runner("validate", "--project", str(root))
    assert result.exit_code == 2
    assert result.stderr == f"{root / 'factsheets.toml'}: limits: must be a table of limits\n"


def test_validation_writes_nothing(project, outside):
    root = project({"sheets/sample.yaml": with_figure("../../outside/secret.svg")})
    before = sorted(os.walk(root.parent))
    problems_of(root)
    assert sorted(os.walk(root.parent)) == before
