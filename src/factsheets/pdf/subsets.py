"""The embedded font subsets of PDFs joined into one file -> a subset name per font program.

WeasyPrint tags a subset (`WJKLAQ+Atkinson-Hyperlegible`) by its face, not by the glyphs it
holds, so each sheet of a bundle brings its own subset of a face under the same name; ISO
32000-1 §9.6.4 wants each subset in a file to have a tag of its own. `SubsetTags` gives each
subset a tag made from its font program (the same program keeps the same tag, so a file
stays byte-reproducible), another one if that tag already names a different program.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pikepdf

FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
SUBSET = re.compile(r"^/[A-Z]{6}\+")
"""A subset's name: a tag of six capital letters and `+` before the font's own name."""


class SubsetTags:
    """The subset tags of one file, each to the digest of the font program it names."""

    def __init__(self) -> None:
        self.programs: dict[str, bytes] = {}
        self.tags: dict[bytes, str] = {}

    def retag(self, pdf: pikepdf.Pdf) -> None:
        """Rename each font subset of `pdf` (in memory) by its program: the font's /BaseFont,
        its descendant CIDFont's, and its descriptor's /FontName."""
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font:
                descriptor = _descriptor(obj)
                if descriptor is not None and SUBSET.match(str(descriptor.FontName)):
                    tag = self.tag(_program(descriptor))
                    for named, key in ((obj, "/BaseFont"), (descriptor, "/FontName")):
                        named[key] = pikepdf.Name(SUBSET.sub(f"/{tag}+", str(named[key])))

    def tag(self, program: bytes) -> str:
        """The tag of a font program: from its digest, or the next digest's if that tag is
        taken by another program."""
        digest = hashlib.sha256(program).digest()
        if digest in self.tags:
            return self.tags[digest]
        seed = digest
        while (tag := "".join(chr(65 + byte % 26) for byte in seed[:6])) in self.programs:
            seed = hashlib.sha256(seed).digest()
        self.programs[tag], self.tags[digest] = digest, tag
        return tag


def _descriptor(font: Any) -> Any:
    """The descriptor of a font with an embedded program (of its CIDFont, for a Type0 font)."""
    if "/DescendantFonts" in font:
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    if descriptor is None or not any(key in descriptor for key in FONT_FILES):
        return None
    return descriptor


def _program(descriptor: Any) -> bytes:
    """The font program a descriptor embeds, decoded."""
    return next(descriptor[key] for key in FONT_FILES if key in descriptor).read_bytes()
