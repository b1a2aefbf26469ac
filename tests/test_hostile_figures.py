"""Hostile SVG and raster figures: nothing fetches, the work is bounded, the damage is named."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest

from conftest import PNG, skeleton
from factsheets.config import load_config
from factsheets.model.validate import load_sheets

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">'
FIGURE = ("figures:\n  - id: chart\n    src: figures/{}\n    alt: A chart.\n"
          "    after: what-it-is\n")


def figure_problems(project, name: str, content: str | bytes,  # type: ignore[no-untyped-def]
                    toml: str = "") -> list[str]:
    files = {"sheets/sample.yaml": skeleton().replace("figures: []\n", FIGURE.format(name)),
             f"sheets/figures/{name}": content}
    if toml:
        files["factsheets.toml"] = toml
    root: Path = project(files)
    _, problems = load_sheets(load_config(root), [root / "sheets" / "sample.yaml"])
    return [p.format() for p in problems]


def use_bomb(levels: int, fan: int = 10) -> str:
    """`levels` groups each holding `fan` <use> copies of the one before: fan**levels drawn."""
    groups = "".join(f'<g id="l{i}">' + "".join(f'<use href="#l{i - 1}" x="{j}"/>'
                                                for j in range(fan)) + "</g>"
                     for i in range(1, levels + 1))
    return (HEAD + f'<defs><rect id="l0" width="1" height="1"/>{groups}</defs>'
            f'<use href="#l{levels}"/></svg>')


def black_png(width: int, height: int) -> bytes:
    """A whole 1-bit PNG of that size: a few KB that decode to width x height pixels."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    rows = zlib.compress(bytes(height * (1 + (width + 7) // 8)), 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1,
                                                                0, 0, 0, 0))
            + chunk(b"IDAT", rows) + chunk(b"IEND", b""))


# --- class 2: bounded work (D1, D6) ----------------------------------------------------------

@pytest.mark.parametrize("svg, message", [
    (use_bomb(7), "draws over 10,000 elements once its <use> copies are counted"),
    (use_bomb(4, 11), "draws over 10,000 elements"),
    (HEAD + '<g id="a"><use href="#a"/></g></svg>', "draws over 10,000 elements"),
    (HEAD + '<defs><pattern id="p" width="2" height="2"><rect width="1" height="1" '
     'fill="url(#p)"/></pattern></defs><rect fill="url(#p)" width="9" height="9"/></svg>',
     "draws over 10,000 elements"),
    (HEAD + "<g>" * 40 + "</g>" * 40 + "</svg>", "nests elements more than 32 deep"),
    (HEAD + "<text>" + "word " * 4000 + "</text></svg>",
     "holds 20,000 characters of text, over the limit of 10,000"),
    (HEAD + '<path d="' + "M0 0L1 1" * 70_000 + '"/></svg>',
     "560,000 characters of path data, over the limit of 500,000"),
])
def test_an_svg_that_asks_for_endless_work_is_refused_at_validation(project, svg, message):
    problems = figure_problems(project, "evil.svg", svg)
    assert len(problems) == 1 and message in problems[0], problems


def test_the_svg_limits_can_be_raised(project):
    toml = "[limits]\nsvg_elements = 5_000_000\nsvg_text_chars = 30_000\n"
    assert figure_problems(project, "big.svg", use_bomb(6), toml) == []
    text = HEAD + "<text>" + "word " * 4000 + "</text></svg>"
    assert figure_problems(project, "text.svg", text, toml) == []


@pytest.mark.parametrize("picture, message", [
    (black_png(12000, 12000), "embeds pictures of 144,000,000 pixels, over the limit of "
                               "40,000,000"),
    (black_png(20_000, 20_000), "embeds a picture of far more than 40,000,000 pixels"),
])
def test_a_picture_embedded_in_an_svg_counts_against_figure_pixels(project, picture, message):
    data = base64.b64encode(picture).decode()
    svg = HEAD + f'<image width="10" height="10" href="data:image/png;base64,{data}"/></svg>'
    problems = figure_problems(project, "evil.svg", svg)
    assert len(problems) == 1 and message in problems[0], problems


def test_a_small_embedded_picture_is_accepted(project):
    svg = HEAD + ('<image width="1" height="1" href="data:image/png;base64,'
                  f'{base64.b64encode(PNG).decode()}"/></svg>')
    assert figure_problems(project, "ok.svg", svg) == []


# --- class 3: nothing in a published SVG fetches (D5) ----------------------------------------

CANARY = "http://127.0.0.1:9"


@pytest.mark.parametrize("inside", [
    f'<rect fill="url({CANARY}/fill.svg#g)" width="9" height="9"/>',
    f'<rect mask="url({CANARY}/mask.svg#m)" width="9" height="9"/>',
    f'<rect clip-path="url(\'{CANARY}/clip.svg#c\')" width="9" height="9"/>',
    f'<rect style="cursor: url({CANARY}/c.cur), auto" width="9" height="9"/>',
    f'<rect filter="url({CANARY}/f.svg#f)" width="9" height="9"/>',
    f"<style>rect{{fill:u\\72l({CANARY}/x.svg#g)}}</style>",
    f'<style>@\\69mport "{CANARY}/i.css";</style>',
    f"<style>@font-face{{font-family:x;src:u\\72l({CANARY}/font.ttf)}}</style>",
    "<style>@font-face{font-family:x;src:local(Arial)}</style>",
    f'<style>@media screen {{ @import "{CANARY}/m.css"; }}</style>',
    f'<style>rect{{fill:image-set("{CANARY}/a.png" 1x)}}</style>',
    f'<style><![CDATA[rect{{background:url("{CANARY}/cdata.png")}}]]></style>',
    f'<rect style="fill:&#x75;rl({CANARY}/entity.svg)" width="9" height="9"/>',
    f'<image href="#a"><set attributeName="href" to="{CANARY}/x.png"/></image>',
])
def test_svg_css_that_would_fetch_is_refused(project, inside):
    problems = figure_problems(project, "evil.svg", HEAD + inside + "</svg>")
    assert len(problems) == 1, problems
    assert "figures[0].src: the SVG" in problems[0]
    assert "another file" in problems[0] or "animates an address" in problems[0]


def test_svg_css_that_only_refers_inside_the_figure_is_accepted(project):
    svg = (HEAD + '<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
           '<style>rect { fill: url(#g); stroke: rgb(0, 0, 0) }</style>'
           '<rect fill="url(#g)" style="stroke: url(\'#g\')" transform="translate(1, 2)" '
           'width="9" height="9"/></svg>')
    assert figure_problems(project, "ok.svg", svg) == []


def test_the_standard_svg_doctype_is_accepted_without_a_subset(project):
    doctype = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG '
               '1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n')
    assert figure_problems(project, "inkscape.svg", doctype + HEAD + "</svg>") == []
    subset = doctype.replace('svg11.dtd">', 'svg11.dtd" [<!ATTLIST svg onload CDATA "x">]>')
    problems = figure_problems(project, "subset.svg", subset + HEAD + "</svg>")
    assert len(problems) == 1 and "declares a DTD or entities" in problems[0]
    other = doctype.replace("-//W3C//DTD SVG 1.1//EN", "-//Evil//DTD//EN")
    assert "declares a DTD" in figure_problems(project, "other.svg", other + HEAD + "</svg>")[0]


# --- minor: a truncated picture is named, not embedded blank ----------------------------------

def test_a_truncated_png_or_jpeg_is_refused(project, tmp_path):
    from PIL import Image

    image = Image.new("RGB", (300, 300), "red")
    image.save(tmp_path / "full.png")
    image.save(tmp_path / "full.jpg")
    png = (tmp_path / "full.png").read_bytes()
    jpeg = (tmp_path / "full.jpg").read_bytes()
    assert figure_problems(project, "whole.png", png) == []
    assert figure_problems(project, "cut.png", png[: len(png) // 2]) == [
        "sheets/sample.yaml:58:5: figures[0].src: 'figures/cut.png' is cut short (the file "
        "ends before the image does)"]
    assert figure_problems(project, "whole.jpg", jpeg) == []
    assert "'figures/cut.jpg' is cut short" in figure_problems(project, "cut.jpg",
                                                             jpeg[: len(jpeg) // 2])[0]
