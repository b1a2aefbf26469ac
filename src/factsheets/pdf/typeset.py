"""Print HTML -> the same HTML with what must not be hyphenated or broken marked for print.css.

Automatic hyphenation suits running text, not an address or a number a reader copies: inside
`<p>`, `<li>`, `<dd>` and the like, e-mail addresses, web addresses and domain or service names
(`Cybertip.ca`), names with a capital inside (`LégisQuébec`), month names and each block's
last word go into `<span class="nohyphen">` (`hyphens: manual`), phone numbers, whole dates
and short hyphenated words (Wi-Fi) into `<span class="nobreak">` (no break at all).
"""

from __future__ import annotations

import re
from typing import Any

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|"
          "novembre|décembre")
PHONE = r"(?:\+?1[ \u00a0.-])?(?:\(\d{3}\)|\d{3})[ \u00a0.-]\d{3}[ \u00a0.-]\d{4}\b"
ADDRESS = (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
           r"|(?:https?://)?(?:[\w-]+\.)+[^\W\d_]{2,}\b(?:/[^\s<>()]*[^\s<>().,;:!?»])?")
DATE = (rf"\b\d{{1,2}}(?:er)?[ \u00a0](?:{MONTHS})[ \u00a0]\d{{4}}\b"
        rf"|\b(?:{MONTHS})[ \u00a0]\d{{1,2}},[ \u00a0]\d{{4}}\b")
"""A whole date (2 décembre 2026, December 2, 2026): a line never parts its day and month."""
SHORT_COMPOUND = r"\b[^\W\d_]{1,3}(?:-[^\W\d_]{1,3})+\b(?!-)"
"""A word of short parts joined by hyphens, such as Wi-Fi: split at its hyphen, "Wi-" at a
line's end reads as a word cut in two."""
CAMEL = r"\b[^\W\d_]*(?-i:[a-zà-ÿ][A-ZÀ-Þ])[^\W\d_]*\b"
"""A name with a capital inside it (LégisQuébec, NeedHelpNow): a service's name."""
TOKENS = re.compile(rf"(?P<nobreak>{PHONE}|{DATE}|{SHORT_COMPOUND})"
                    rf"|(?P<nohyphen>{ADDRESS}|{CAMEL}|\b(?:{MONTHS})\b)", re.IGNORECASE)
LAST_WORD = re.compile(r"\S+\s*$")
BLOCKS = frozenset({"p", "li", "dd", "dt", "figcaption", "td", "th", "blockquote"})
WHOLE = frozenset({"a", "time", "script", "style", "code", "span"})
"""Elements left alone: links and dates are never hyphenated (print.css), spans already set."""


INLINE = ("a", "span", "em", "strong", "cite", "time", "b", "i", "abbr", "small")
SPACE = " \u200b"
"""The space `spaces_apart` sets apart, with a zero-width space that gets it drawn."""


def typeset(root: Any) -> None:
    """Keep addresses, numbers and last words whole, then dodge WeasyPrint's stray break."""
    keep_whole(root)
    spaces_apart(root)


def spaces_apart(root: Any) -> None:
    """Give the space before an inline element a span of its own: `un <em>x</em>` ->
    `un<span> &#8203;</span><em>x</em>`.

    WeasyPrint 70 sets a word alone on a line ("No / one / has the right...", the French
    webcams sheet's "d'un / jeune / sur le corps") when a line must break where text ending
    in a space meets an inline element that does not fit: it backtracks into the text and
    breaks it at its first break point, not its last. A text that does not end in a space
    is not taken back. The space is kept (`white-space: pre-wrap` in print.css) and followed
    by a zero-width space (ZWSP): WeasyPrint draws no text that is only white space, so a
    lone space was laid out but never drawn and the PDF's text read "Asocial networking app"
    to a screen reader or a copy. The ZWSP is drawn as no glyph, and a line may break after
    it just as after the space alone.
    Headings are left alone: a break there falls on such a space, and an outline entry
    would lose it.
    """
    for el in list(root.iter(*INLINE)):
        if not any(a.tag in BLOCKS for a in el.iterancestors()):
            continue
        previous = el.getprevious()
        before = previous.tail if previous is not None else el.getparent().text
        if before and before.endswith(" ") and before.strip():
            trimmed = before.rstrip(" ")
            if previous is not None:
                previous.tail = trimmed
            else:
                el.getparent().text = trimmed
            space = el.makeelement("span", {"class": "space"})
            space.text = SPACE
            el.addprevious(space)


def keep_whole(root: Any) -> None:
    """Mark, in place, the addresses, numbers and last words of every block (see above)."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.tag in WHOLE:
            continue
        outer = [a.tag for a in el.iterancestors()]
        if any(tag in WHOLE for tag in outer):
            continue
        if el.tag in BLOCKS:
            _mark(el, el)
        elif any(tag in BLOCKS for tag in outer):
            _mark(el, None)


def _mark(el: Any, block: Any) -> None:
    """Wrap the tokens of `el`'s own text, and of its children's tails."""
    children = list(el)
    el.text = _wrap(el.text, el, None, last=not children and el is block)
    for i, child in enumerate(children):
        child.tail = _wrap(child.tail, el, child, last=el is block and i == len(children) - 1)


def _wrap(text: str | None, parent: Any, after: Any, *, last: bool) -> str | None:
    """Put the marked pieces of `text` into spans inserted in `parent` (after `after`)."""
    if not text:
        return text
    pieces = list(_pieces(text, last))
    if len(pieces) == 1 and pieces[0][1] is None:
        return text
    index = 0 if after is None else parent.index(after) + 1
    plain_first = pieces[0][1] is None
    head = pieces[0][0] if plain_first else ""
    spans: list[Any] = []
    for piece, cls in pieces[1:] if plain_first else pieces:
        if cls is None:
            spans[-1].tail = (spans[-1].tail or "") + piece
        else:
            span = parent.makeelement("span", {"class": cls})
            span.text = piece
            spans.append(span)
    for offset, span in enumerate(spans):
        parent.insert(index + offset, span)
    return head


def _pieces(text: str, last: bool) -> list[tuple[str, str | None]]:
    """`text` cut into (piece, class or None); the last word is `nohyphen` if `last`."""
    pieces: list[tuple[str, str | None]] = []
    end = len(text)
    final = LAST_WORD.search(text) if last else None
    if final:
        end = final.start()
    at = 0
    for match in TOKENS.finditer(text, 0, end):
        pieces += [(text[at:match.start()], None), (match.group(), match.lastgroup)]
        at = match.end()
    pieces.append((text[at:end], None))
    if final:
        pieces.append((final.group(), "nohyphen"))
    return [(piece, cls) for piece, cls in pieces if piece]
