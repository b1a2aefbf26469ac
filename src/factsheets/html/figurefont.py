"""A checked SVG figure -> the same figure carrying the glyphs of the sheet font that it uses.

A browser showing an SVG through `<img>` loads nothing the SVG names outside itself, so the
page's @font-face never reaches the figure's text. The published copy (dist/media/) therefore
gets, after validation, one `<style>` of @font-face rules whose fonts are WOFF2 subsets of the
shipped Atkinson Hyperlegible, as `data:` URLs: only the characters and weights the figure
draws (a few kilobytes). Authors' files never hold @font-face (model.figures refuses it), and
the PDFs read the author's file, where WeasyPrint draws the text with print.css's own fonts.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

from ..model.figures import style_declarations, svg_root

FAMILY = "Atkinson Hyperlegible"
FACES = {("normal", False): "Regular", ("bold", False): "Bold",
         ("normal", True): "Italic", ("bold", True): "BoldItalic"}
SVG_NS = "http://www.w3.org/2000/svg"


def with_sheet_font(data: bytes, fonts_dir: Path) -> bytes:
    """The SVG's bytes with the sheet font's glyphs it uses embedded; unchanged when the
    figure names no `Atkinson Hyperlegible` or draws no text."""
    from lxml import etree

    if FAMILY.lower() not in data.decode("utf-8", "replace").lower():
        return data
    root = svg_root(data)
    tree = root.getroottree()
    faces = _text_by_face(root)
    if not faces:
        return data
    rules = [_font_face(fonts_dir, weight, italic, text)
             for (weight, italic), text in sorted(faces.items())]
    style = etree.SubElement(root, f"{{{SVG_NS}}}style")
    style.text = "\n".join(rules)
    style.tail = "\n"
    return etree.tostring(tree, xml_declaration=data.lstrip().startswith(b"<?xml"),
                          encoding="utf-8")


def _text_by_face(root: Any) -> dict[tuple[str, bool], str]:
    """The characters drawn in each (weight, italic) face, weights read from attributes and
    `style=` and inherited from ancestors."""
    faces: dict[tuple[str, bool], set[str]] = {}
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.endswith(("style", "title", "desc")):
            continue
        text = (element.text or "") + "".join((child.tail or "") for child in element
                                              if element.tag.endswith(("text", "tspan")))
        if text.strip() and element.tag.endswith(("text", "tspan", "textPath")):
            face = (_weight(element), _inherited(element, "font-style") in ("italic", "oblique"))
            faces.setdefault(face, set()).update(text)
    return {face: "".join(sorted(chars | {" "})) for face, chars in faces.items()}


def _inherited(element: Any, name: str) -> str:
    """A presentation property as the element gets it: its own, or its nearest ancestor's."""
    while element is not None:
        declared = style_declarations(element.get("style", "")).get(name) or element.get(name)
        if declared and declared.strip() != "inherit":
            return declared.strip().lower()
        element = element.getparent()
    return ""


def _weight(element: Any) -> str:
    weight = _inherited(element, "font-weight")
    bold = weight in ("bold", "bolder") or (weight.isdigit() and int(weight) >= 600)
    return "bold" if bold else "normal"


def _font_face(fonts_dir: Path, weight: str, italic: bool, text: str) -> str:
    """One @font-face rule: the face's subset for `text`, as a WOFF2 data: URL."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    path = fonts_dir / f"AtkinsonHyperlegible-{FACES[(weight, italic)]}.ttf"
    options = subset.Options()
    options.flavor = "woff2"
    options.name_IDs = [1, 2]  # the family and style names; the rest is not needed
    font = TTFont(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    encoded = base64.b64encode(out.getvalue()).decode("ascii")
    style = "italic" if italic else "normal"
    return (f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; '
            f'font-style: {style}; src: url(data:font/woff2;base64,{encoded}) '
            'format("woff2"); }')
