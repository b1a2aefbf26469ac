"""A WeasyPrint PDF + the marked content the tagger claimed -> that content as `/Artifact`.

`tagger.extended_tagger` notes, page by page, the marked-content ids of page furniture and
decorative images; `mark_artifacts` rewrites their `BDC` operators with pikepdf, each piece of
furniture in a content stream of its own so that a bundle can drop a sheet's footer
(`is_furniture_stream`) without parsing the page.
"""

from __future__ import annotations

from typing import Any

import pikepdf

PAGINATION = pikepdf.Dictionary(Type=pikepdf.Name.Pagination)
FURNITURE = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact, PAGINATION],
                                             pikepdf.Operator("BDC"))
"""What opens page furniture (a running footer), once rewritten."""


def mark_artifacts(pdf: pikepdf.Pdf, claimed: dict[int, dict[int, bool]]) -> None:
    """Rewrite the claimed marked content of each page as `/Artifact` marked content.

    Page furniture becomes `/Artifact <</Type /Pagination>> BDC`, each such artifact in a
    content stream of its own (`/Contents` is then an array), so that a bundle can drop the
    sheet's footer without reading the page. A decorative image becomes `/Artifact BMC`.
    `claimed` maps a page index to its claimed MCIDs, each to whether it is furniture
    (`TagNotes.artifacts`).
    """
    for index, mcids in claimed.items():
        page = pdf.pages[index]
        instructions = [_as_artifact(op, mcids) for op in pikepdf.parse_content_stream(page)]
        page.Contents = pikepdf.Array([pdf.make_stream(pikepdf.unparse_content_stream(part))
                                       for part in _furniture_apart(instructions)])
        if "/Annots" in page:
            page.Annots = pikepdf.Array([annotation for annotation in page.Annots
                                         if "/StructParent" in annotation
                                         or annotation.get("/Subtype") != "/Link"])


def _furniture_apart(instructions: list[Any]) -> list[list[Any]]:
    """The instructions, cut before and after each pagination artifact (BDC to its EMC)."""
    parts: list[list[Any]] = []
    current: list[Any] = []
    depth = 0  # inside furniture: how many marked-content sequences are open
    for instruction in instructions:
        if not depth and _is_furniture(instruction):
            parts.append(current)
            current, depth = [instruction], 1
            continue
        current.append(instruction)
        if depth:
            operator = str(instruction.operator)
            depth += (operator in ("BDC", "BMC")) - (operator == "EMC")
            if not depth:
                parts.append(current)
                current = []
    parts.append(current)
    return [part for part in parts if part]


def _is_furniture(instruction: Any) -> bool:
    """Whether a content stream instruction opens a pagination artifact."""
    if str(instruction.operator) != "BDC":
        return False
    tag, properties = instruction.operands
    return tag == pikepdf.Name.Artifact and isinstance(properties, pikepdf.Dictionary) \
        and properties.get("/Type") == pikepdf.Name.Pagination


def is_furniture_stream(stream: pikepdf.Object) -> bool:
    """Whether a content stream written by `mark_artifacts` is a page's furniture."""
    return stream.read_bytes().startswith(pikepdf.unparse_content_stream([FURNITURE]))


def _as_artifact(instruction: Any, mcids: dict[int, bool]) -> Any:
    """A `BDC` opening claimed content becomes an `/Artifact`; anything else is kept."""
    if str(instruction.operator) != "BDC":
        return instruction
    properties = instruction.operands[1]
    mcid = int(properties.get("/MCID", -1)) if isinstance(properties, pikepdf.Dictionary) else -1
    if mcid not in mcids:
        return instruction
    if mcids[mcid]:
        return FURNITURE
    return pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
