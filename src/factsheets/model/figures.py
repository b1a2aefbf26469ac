"""SVG figures -> why one is unsafe to publish ('' when it is not): scripts, events, outside links.

dist/media/ serves figures as they are, and a browser opened on an SVG file runs its
scripts, so a figure must not hold any; WeasyPrint would fetch what it references.
"""

from __future__ import annotations

import re
from pathlib import Path

ACTIVE = {"script", "foreignobject", "iframe", "embed", "object", "handler", "listener"}
LINK_ATTRS = ("href", "{http://www.w3.org/1999/xlink}href", "src")
SAFE_TARGET = re.compile(r"^\s*(#|data:image/(png|jpeg|gif);)", re.IGNORECASE)
SCRIPT_URL = re.compile(r"j\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:", re.IGNORECASE)
CSS_REFERENCE = re.compile(r"url\(\s*['\"]?(?!\s*['\"]?(#|data:image/(png|jpeg|gif);))|@import",
                           re.IGNORECASE)


def svg_problem(path: Path) -> str:
    """The first unsafe thing in an SVG file, or '' when it holds none."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        return f"the SVG cannot be read: {exc}"
    if root.getroottree().docinfo.internalDTD:
        return "the SVG declares a DTD or entities, which figures may not"
    if any(isinstance(node, etree._ProcessingInstruction)
           for node in [*root.itersiblings(preceding=True), *root.iter()]):
        return "the SVG holds a processing instruction (<?...?>), which figures may not"
    for element in root.iter():
        found = _element_problem(element)
        if found:
            return found
    return ""


def _element_problem(element: object) -> str:
    """What is unsafe about one element: its name, an event attribute, a link or a style."""
    tag = getattr(element, "tag", None)
    if not isinstance(tag, str):
        return ""
    name = tag.rsplit("}", 1)[-1].lower()
    if name in ACTIVE:
        return f"the SVG holds a <{name}> element, which figures may not"
    attrs = element.attrib  # type: ignore[attr-defined]
    for attr, value in attrs.items():
        local = attr.rsplit("}", 1)[-1].lower()
        if local.startswith("on"):
            return f"the SVG has an event attribute ({local}=), which figures may not"
        if SCRIPT_URL.search(value):
            return f"the SVG has a javascript: address ({local}=), which figures may not"
        if attr in LINK_ATTRS and not SAFE_TARGET.match(value):
            return f"the SVG refers to {value[:80]!r}; a figure must hold everything it shows"
    styles = [attrs.get("style", "")] + ([element.text or ""] if name == "style" else [])  # type: ignore[attr-defined]
    if any(CSS_REFERENCE.search(style) for style in styles):
        return "the SVG's CSS loads another file (url() or @import), which figures may not"
    return ""
