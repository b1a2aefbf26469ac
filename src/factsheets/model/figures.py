"""SVG figures -> why one is unsafe to publish ('' when it is not): scripts, fetches, endless work.

dist/media/ serves figures as they are, and a browser opened on an SVG file runs its
scripts and fetches what its CSS names, so a figure must hold neither; WeasyPrint would
draw every `<use>` copy, so the work a figure asks for is bounded (`[limits]` svg_*).
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from collections.abc import Iterable
from typing import Any

import tinycss2

from ..config import Limits

ACTIVE = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
LINK_ATTRS = ("href", "{http://www.w3.org/1999/xlink}href", "src")
SAFE_TARGET = re.compile(r"^\s*(#|data:image/(png|jpeg|gif);)", re.IGNORECASE)
SCRIPT_URL = re.compile(r"j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:", re.IGNORECASE)
DATA_IMAGE = re.compile(r"^\s*data:image/(?:png|jpeg|gif);base64,(.*)$", re.IGNORECASE | re.S)
FETCHING_AT_RULES = {"import", "font-face"}
FETCHING_FUNCTIONS = {"image", "image-set", "-webkit-image-set", "cross-fade",
                      "-webkit-cross-fade", "element", "src"}
SVG_DOCTYPES = {("-//W3C//DTD SVG 1.1//EN", "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"),
                ("-//W3C//DTD SVG 1.0//EN",
                 "http://www.w3.org/TR/2001/REC-SVG-20010904/DTD/svg10.dtd")}
"""The standard DOCTYPEs Inkscape and Illustrator write: accepted without an internal subset."""
BOMB = 1 << 62
"""The pixels counted for a picture Pillow itself calls a decompression bomb."""
LOCAL_REF = re.compile(r"url\(\s*['\"]?#([^'\")\s]+)")


def svg_root(data: bytes) -> Any:
    """An SVG's root element, read with no entities, no DTD and no network (lxml's
    XMLSyntaxError, a SyntaxError, when it is not well-formed)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    return etree.parse(io.BytesIO(data), parser).getroot()


def style_declarations(style: str) -> dict[str, str]:
    """A `style=` attribute's declarations, by lower-case property name."""
    pairs = (part.split(":", 1) for part in style.split(";") if ":" in part)
    return {name.strip().lower(): value.strip() for name, value in pairs}


def svg_problem(data: bytes, limits: Limits) -> str:
    """The first unsafe thing in an SVG file's bytes, or '' when it holds none."""
    from lxml import etree

    try:
        root = svg_root(data)
    except etree.XMLSyntaxError as exc:
        return f"the SVG cannot be read: {exc}"
    found = _document_problem(root, etree, data)
    for element in root.iter():
        found = found or _element_problem(element)
    return found or _work_problem(root, limits)


def _document_problem(root: Any, etree: Any, data: bytes) -> str:
    """A DTD other than SVG's, any internal subset (entities, attribute defaults: anything
    between `[` and `]` before the root element), or a processing instruction."""
    info = root.getroottree().docinfo
    prolog = data[: data.find(b"<svg")] if b"<svg" in data else data
    if info.internalDTD is not None and ((info.public_id, info.system_url) not in SVG_DOCTYPES
                                         or b"[" in prolog):
        return "the SVG declares a DTD or entities, which figures may not"
    if any(isinstance(node, etree._ProcessingInstruction)
           for node in [*root.itersiblings(preceding=True), *root.iter()]):
        return "the SVG holds a processing instruction (<?...?>), which figures may not"
    return ""


def _element_problem(element: Any) -> str:
    """What is unsafe about one element: its name, an event attribute, a link or its CSS."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    name = tag.rsplit("}", 1)[-1].lower()
    if name in ACTIVE:
        return f"the SVG holds a <{name}> element, which figures may not"
    for attr, value in element.attrib.items():
        local = attr.rsplit("}", 1)[-1].lower()
        if local.startswith("on"):
            return f"the SVG has an event attribute ({local}=), which figures may not"
        if SCRIPT_URL.search(value):
            return f"the SVG has a javascript: address ({local}=), which figures may not"
        if attr in LINK_ATTRS and not SAFE_TARGET.match(value):
            return f"the SVG refers to {value[:80]!r}; a figure must hold everything it shows"
        if "(" in value:  # presentation attributes: fill="url(...)", cursor, mask, ...
            found = css_problem(tinycss2.parse_component_value_list(value))
            if found:
                return found
    animated = element.get("attributeName", "").rsplit(":", 1)[-1].lower()
    if animated in ("href", "src"):
        return "the SVG animates an address (attributeName=href), which figures may not"
    if name == "style":
        return css_problem(tinycss2.parse_stylesheet("".join(element.itertext())))
    return ""


def css_problem(nodes: Iterable[Any]) -> str:
    """Why CSS (after its escapes are read) would fetch something, or ''."""
    for node in nodes:
        kind = node.type
        keyword = getattr(node, "lower_at_keyword", None) or getattr(node, "lower_value", None)
        if kind in ("at-rule", "at-keyword") and keyword in FETCHING_AT_RULES:
            return f"the SVG's CSS loads another file (@{keyword}), which figures may not"
        if kind == "url" and not node.value.strip().startswith("#"):
            return _fetches(node.value)
        if kind == "function":
            if node.lower_name in FETCHING_FUNCTIONS:
                return (f"the SVG's CSS loads another file ({node.lower_name}()), which "
                        "figures may not")
            if node.lower_name == "url":
                target = "".join(getattr(t, "value", "") for t in node.arguments
                                 if t.type == "string").strip()
                if not target.startswith("#"):
                    return _fetches(target)
        for part in ("prelude", "content", "arguments"):
            found = css_problem(getattr(node, part, None) or [])
            if found:
                return found
    return ""


def _fetches(target: str) -> str:
    return (f"the SVG's CSS loads another file ({target[:80]!r}); only url(#id) references "
            "inside the figure are allowed")


def _work_problem(root: Any, limits: Limits) -> str:
    """Nesting, drawn elements (every <use> and url(#id) copy counted), path data, text,
    and the pixels of embedded pictures, each against its limit."""
    depth = _depth(root, limits.svg_depth)
    if depth > limits.svg_depth:
        return (f"the SVG nests elements more than {limits.svg_depth} deep "
                "(raise limits.svg_depth if this is intended)")
    drawn = Drawn(root, limits.svg_elements).total()
    if drawn > limits.svg_elements:
        return (f"the SVG draws over {limits.svg_elements:,} elements once its <use> copies "
                "are counted (simplify it, or raise limits.svg_elements)")
    elements = list(root.iter())
    path = sum(len(e.get("d", "")) + len(e.get("points", "")) for e in elements)
    if path > limits.svg_path_chars:
        return (f"the SVG has {path:,} characters of path data, over the limit of "
                f"{limits.svg_path_chars:,} (simplify it, or raise limits.svg_path_chars)")
    text = sum(len(e.text or "") + len(e.tail or "") for e in elements
               if isinstance(e.tag, str) and not e.tag.endswith("style"))
    if text > limits.svg_text_chars:
        return (f"the SVG holds {text:,} characters of text, over the limit of "
                f"{limits.svg_text_chars:,} (raise limits.svg_text_chars if this is intended)")
    pixels = sum(embedded_pixels(e.get(a, "")) for e in elements for a in LINK_ATTRS)
    if pixels >= BOMB:
        return (f"the SVG embeds a picture of far more than {limits.figure_pixels:,} pixels "
                "(a decompression bomb)")
    if pixels > limits.figure_pixels:
        return (f"the SVG embeds pictures of {pixels:,} pixels, over the limit of "
                f"{limits.figure_pixels:,} (raise limits.figure_pixels if this is intended)")
    return ""


def _depth(root: Any, limit: int) -> int:
    """The deepest nesting of elements, counting stops once over `limit`."""
    deepest, stack = 0, [(root, 1)]
    while stack and deepest <= limit:
        element, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in element)
    return deepest


class Drawn:
    """How many elements a renderer draws: each element once, plus, for every `<use href=#x>`
    and `url(#x)`, everything `x` draws again. Stops counting once over the limit."""

    def __init__(self, root: Any, limit: int) -> None:
        self.ids = {e.get("id"): e for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
        self.root = root
        self.limit = limit
        self.memo: dict[Any, int] = {}

    def total(self) -> int:
        return self.weight(self.root, ())

    def weight(self, element: Any, chain: tuple[Any, ...]) -> int:
        if element in self.memo:
            return self.memo[element]
        if element in chain or len(chain) > 64:  # a reference to itself draws without end
            return self.limit + 1
        count = 1
        for target in self.references(element):
            count += self.weight(target, (*chain, element))
            if count > self.limit:
                return count
        for child in element:
            count += self.weight(child, (*chain, element))
            if count > self.limit:
                return count
        self.memo[element] = count
        return count

    def references(self, element: Any) -> list[Any]:
        if not isinstance(element.tag, str):
            return []
        names = [v[1:] for a in LINK_ATTRS if (v := element.get(a, "").strip()).startswith("#")]
        names += [m for v in element.attrib.values() for m in LOCAL_REF.findall(v)]
        return [self.ids[n] for n in names if n in self.ids]


def embedded_pixels(value: str) -> int:
    """The pixel count of a `data:image/...;base64,` picture, read from its header only."""
    match = DATA_IMAGE.match(value)
    if not match:
        return 0
    import warnings

    from PIL import Image

    try:
        head = base64.b64decode(re.sub(r"\s", "", match[1]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(head)) as image:
                return image.width * image.height
    except Image.DecompressionBombError:
        return BOMB
    except (binascii.Error, OSError, ValueError):
        return 0
