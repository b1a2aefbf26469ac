"""A small HTML reader for tests: elements with attributes, text and their effective language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


@dataclass
class Element:
    """One element: its tag, attributes, parent and the text inside it."""

    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    parts: list[str | Element] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All text inside, with ASCII whitespace collapsed (no-break spaces kept)."""
        return re.sub(r"[ \t\n\r\f]+", " ", self._raw()).strip()

    def _raw(self) -> str:
        return "".join(p if isinstance(p, str) else p._raw() for p in self.parts)

    @property
    def lang(self) -> str:
        """The language in force: the nearest `lang` attribute up the tree."""
        node: Element | None = self
        while node is not None:
            if "lang" in node.attrs:
                return node.attrs["lang"]
            node = node.parent
        return ""

    def iter(self, tag: str | None = None, **attrs: str) -> list[Element]:
        """Descendants with this tag (any if None) whose attributes include `attrs`."""
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and child.matches(attrs):
                found.append(child)
            found.extend(child.iter(tag, **attrs))
        return found

    def matches(self, attrs: dict[str, str]) -> bool:
        """Whether the element has these attributes (`class_` means: has this class)."""
        for key, value in attrs.items():
            if key == "class_":
                if not self.has_class(value):
                    return False
            elif self.attrs.get(key.replace("_", "-")) != value:
                return False
        return True

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        """The first matching descendant (AssertionError if none)."""
        found = self.iter(tag, **attrs)
        assert found, f"no <{tag} {attrs}> found"
        return found[0]

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.node = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.node)
        self.node.children.append(element)
        self.node.parts.append(element)
        if tag not in VOID:
            self.node = element

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.node = node.parent

    def handle_data(self, data: str) -> None:
        self.node.parts.append(data)


def parse(html: str) -> Element:
    """Parse a page into an element tree."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root
