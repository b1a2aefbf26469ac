"""The sheets' Markdown subset: check it, split bodies into blocks, render safe HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

ALLOWED_SCHEMES = ("https://", "mailto:", "tel:")
LANG_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?$")
RAW_HTML = re.compile(r"<\s*/?\s*[A-Za-z!?]")
NBSP = "\u00a0"


@dataclass(frozen=True)
class Block:
    """One block of a body: a paragraph (`p`), a sub-heading (`h`) or a list (`ul`, `ol`).

    `texts` holds the inline Markdown of the block: one text, or one per list item.
    """

    kind: str
    texts: tuple[str, ...]


class MarkupError(ValueError):
    """The text uses Markdown or HTML that sheets may not contain."""


def _parser(strict: bool) -> MarkdownIt:
    md = MarkdownIt("zero", {"html": False})
    md.enable(["emphasis", "link", "newline", "escape", "list", "heading"])
    md.use(attrs_plugin, spans=True, allowed=["lang"])
    if strict:
        md.validateLink = lambda url: url.startswith(ALLOWED_SCHEMES)  # type: ignore[method-assign]
    else:
        md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


@cache
def markdown_parser(strict: bool) -> MarkdownIt:
    """The Markdown subset's parser (`strict`: links only to http(s) and mailto), made once."""
    return _parser(strict)


@cache
def _block_parser() -> MarkdownIt:
    """The subset's parser for blocks alone: `split_blocks` checks each block's inline text
    with `check_inline`, which parses only the texts that can hold a link or a span."""
    return _parser(False).disable("inline")


def split_blocks(body: str) -> tuple[Block, ...]:
    """Split a Markdown body into blocks, checking every inline text on the way."""
    tokens = _block_parser().parse(body)
    blocks: list[Block] = []
    items: list[str] | None = None
    depth = 0
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            if depth > 1:
                raise MarkupError("lists cannot be nested")
            items = []
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            kind = "ul" if token.type.startswith("bullet") else "ol"
            blocks.append(Block(kind, tuple(items or ())))
            items = None
        elif token.type == "heading_open" and token.tag != "h3":
            raise MarkupError("only '### ' sub-headings may appear in a body; "
                              "start a new section for a larger heading")
        elif token.type == "inline":
            check_inline(token.content)
            if items is not None:
                items.append(token.content)
            else:
                kind = "h" if tokens[index - 1].type == "heading_open" else "p"
                blocks.append(Block(kind, (token.content,)))
    return tuple(blocks)


def check_inline(text: str) -> None:
    """Raise `MarkupError` if inline text holds raw HTML, a bad link or a bad `lang`."""
    _check_raw_html(text)
    if "[" in text:  # no bracket, no link and no span: nothing more to check
        _check_tokens(_inline_tokens(text, strict=False))


def _check_raw_html(text: str) -> None:
    if RAW_HTML.search(text):
        raise MarkupError("raw HTML is not allowed; use Markdown (*emphasis*, **strong**, "
                          "[text](https://...))")


def _check_tokens(tokens: list[Token]) -> None:
    """Links and `lang` attributes of parsed inline text."""
    for token in tokens:
        if token.type == "link_open":
            href = str(token.attrGet("href") or "")
            if not href.startswith(ALLOWED_SCHEMES):
                raise MarkupError(f"link target {href!r} is not allowed; links must start "
                                  "with https://, mailto: or tel:")
        if token.type == "span_open":
            lang = str(token.attrGet("lang") or "")
            if not LANG_TAG.match(lang):
                raise MarkupError(f"{{lang={lang}}} is not a language tag like fr or en-CA")


def _inline_tokens(text: str, strict: bool) -> list[Token]:
    tokens = markdown_parser(strict).parseInline(text)
    return tokens[0].children or [] if tokens else []


def link_targets(text: str) -> list[str]:
    """The link targets of inline text, in order."""
    return [str(t.attrGet("href")) for t in _inline_tokens(text, False) if t.type == "link_open"]


def emphasis_count(text: str) -> tuple[int, int]:
    """How many emphasis and strong spans inline text holds."""
    tokens = _inline_tokens(text, False)
    return (sum(t.type == "em_open" for t in tokens), sum(t.type == "strong_open" for t in tokens))


@lru_cache(maxsize=4096)
def render_inline(text: str, lang: str) -> str:
    """Render inline Markdown to safe HTML, applying the language's typography (kept for
    the build: a text shows on its sheet's page, its PDF, handouts and audience pages)."""
    md = markdown_parser(True)
    tokens = _inline_tokens(text, strict=True)
    for token in tokens:
        if token.type == "text":
            token.content = typography(token.content, lang)
    return md.renderer.render(tokens, md.options, {})


def plain_text(text: str) -> str:
    """Inline Markdown reduced to its words (for titles, metadata and checks)."""
    breaks = ("softbreak", "hardbreak")
    return "".join(t.content if t.type == "text" else " " if t.type in breaks else ""
                   for t in _inline_tokens(text, False))


def links(text: str) -> list[tuple[str, str]]:
    """Each link of inline text as (its words, its target), in order."""
    found: list[tuple[str, str]] = []
    words: list[str] = []
    href = None
    for token in _inline_tokens(text, False):
        if token.type == "link_open":
            words, href = [], str(token.attrGet("href") or "")
        elif token.type == "link_close" and href is not None:
            found.append(("".join(words), href))
            href = None
        elif token.type in ("softbreak", "hardbreak"):
            words.append(" ")
        else:
            words.append(token.content)
    return found


def typography(text: str, lang: str) -> str:
    """French: typographic apostrophe, no-break space before ':' and inside « », none
    before ; ! ? (common Canadian use)."""
    if not lang.startswith("fr"):
        return text
    text = text.replace("'", "\u2019")
    text = re.sub(r"(?:(?<=\w)| )(?=:(?:\s|$))", NBSP, text)
    text = re.sub(r"«\s*", "«" + NBSP, text)
    text = re.sub(r"\s*»", NBSP + "»", text)
    return re.sub(r"[ \u00a0\u202f]+([;!?])", r"\1", text)
