"""A Sheet + a translator -> the same Sheet in another language, every string knowing its language.

One walk over a sheet's translatable fields serves both directions: `localize` asks a
translator for each `Message` and rebuilds the sheet from the answers, and extraction
(`extract.py`) runs the same walk with a translator that only records the messages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..model.articles import Article
from ..model.markup import Block, split_blocks
from ..model.schema import Contact, Figure, Reference, Section, Sheet, Term, Tips

FieldPath = tuple[str | int, ...]
SOFT_BREAK = re.compile(r"(?<![ \\]) ?\n[ \t]*")
"""A line break the author typed inside a paragraph: not two spaces or a backslash before it."""
BLOCK_NOTES = {"p": "Paragraph", "h": "Sub-heading", "ul": "List item", "ol": "Numbered list item"}


def msgid_text(text: str) -> str:
    """A string as catalogs key it: each soft line break (and the spaces around it) one space.

    Markdown reads a soft break as a space, so re-wrapping a paragraph's lines in the YAML
    changes no msgid; a hard break (two spaces or a backslash before the newline) is kept.
    """
    return SOFT_BREAK.sub(" ", text) if "\n" in text else text


class Text(str):
    """A string that knows its language (`en`, `fr`): a fallback keeps the source's."""

    lang: str

    def __new__(cls, value: str, lang: str) -> Text:
        text = super().__new__(cls, value)
        text.lang = lang
        return text


class TranslatedBody(str):
    """A section body after translation: the Markdown, plus its blocks as `Text`."""

    blocks: tuple[Block, ...]

    def __new__(cls, blocks: tuple[Block, ...]) -> TranslatedBody:
        body = super().__new__(cls, join_blocks(blocks))
        body.blocks = blocks
        return body


@dataclass(frozen=True)
class Message:
    """One translatable unit: its context (sheet and field), source text and where it is."""

    context: str
    text: str
    path: FieldPath
    note: str


Translator = Callable[[Message], Text]


@dataclass(frozen=True)
class Edition:
    """A sheet in one language, ready to render, with the strings that fell back."""

    sheet: Sheet
    lang: str
    slug: str
    fallbacks: tuple[Message, ...]

    @property
    def source_lang(self) -> str:
        return self.sheet.language


def section_blocks(section: Section | Article) -> tuple[Block, ...]:
    """A section's (or an article's) blocks, translated ones when the body came through
    `localize`."""
    if isinstance(section.body, TranslatedBody):
        return section.body.blocks
    return split_blocks(section.body)


def join_blocks(blocks: tuple[Block, ...]) -> str:
    """Write blocks back as Markdown."""
    parts = []
    for block in blocks:
        if block.kind == "h":
            parts.append("### " + block.texts[0])
        elif block.kind in ("ul", "ol"):
            marker = "- " if block.kind == "ul" else "1. "
            parts.append("\n".join(marker + item for item in block.texts))
        else:
            parts.append(block.texts[0])
    return "\n\n".join(parts)


def localize(sheet: Sheet, tr: Translator) -> Sheet:
    """Rebuild `sheet` with every translatable string replaced by `tr`'s answer."""
    if isinstance(sheet, Article):
        return localize_article(sheet, tr)
    walk = _Walk(sheet.id, sheet.language, tr)
    return sheet.model_copy(update={
        "id": walk.one("slug", sheet.id, ("id",), "The sheet's address (slug) in this language: "
                       "lower-case letters, digits and hyphens only"),
        "title": walk.one("title", sheet.title, ("title",), "The sheet's title"),
        "subtitle": sheet.subtitle and walk.one("subtitle", sheet.subtitle, ("subtitle",),
                                                "The line under the title"),
        "summary": walk.one("summary", sheet.summary, ("summary",),
                            "Summary shown in the index and search results; plain text"),
        "unavailable_reason": sheet.unavailable_reason and walk.one(
            "unavailable_reason", sheet.unavailable_reason, ("unavailable_reason",),
            "Why readers cannot get this sheet now"),
        "keywords": walk.many("keywords", sheet.keywords, ("keywords",), "A search keyword"),
        "key_points": walk.many("key_points", sheet.key_points, ("key_points",),
                                "A key point of the 'At a glance' box (list item)"),
        "sections": [walk.section(s, i) for i, s in enumerate(sheet.sections)],
        "tips": walk.tips(sheet.tips),
        "warning_signs": walk.many("warning_signs", sheet.warning_signs, ("warning_signs",),
                                   "A sign that a child may be at risk (list item)"),
        "glossary": [walk.term(t, i) for i, t in enumerate(sheet.glossary)],
        "contacts": [walk.contact(c, i) for i, c in enumerate(sheet.contacts)],
        "figures": [walk.figure(f, i) for i, f in enumerate(sheet.figures)],
        "references": [walk.reference(r, i) for i, r in enumerate(sheet.references)],
    })


def localize_article(article: Article, tr: Translator) -> Article:
    """Rebuild a page or news item with its title, summary and body blocks translated."""
    walk = _Walk(article.id, article.language, tr)
    note = "in the body; keep Markdown (*, **, [text](link))"
    blocks = tuple(Block(b.kind, tuple(walk.one("body", t, ("body",), f"{BLOCK_NOTES[b.kind]} "
                                                + note) for t in b.texts))
                   for b in section_blocks(article))
    what = "news item" if article.kind == "news" else "page"
    return article.model_copy(update={
        "title": walk.one("title", article.title, ("title",), f"The {what}'s title"),
        "summary": article.summary and walk.one("summary", article.summary, ("summary",),
                                                f"The {what}'s summary; plain text"),
        "body": TranslatedBody(blocks),
    })


class _Walk:
    """Asks the translator for each field, naming contexts by stable ids, not positions."""

    def __init__(self, sheet_id: str, source_lang: str, tr: Translator) -> None:
        self.sheet_id = sheet_id
        self.source_lang = source_lang
        self.tr = tr

    def one(self, field: str, text: str, path: FieldPath, note: str) -> Text:
        return self.tr(Message(f"{self.sheet_id}|{field}", msgid_text(text), path, note))

    def many(self, field: str, texts: list[str], path: FieldPath, note: str) -> list[Text]:
        return [self.one(field, t, (*path, i), note) for i, t in enumerate(texts)]

    def section(self, section: Section, i: int) -> Section:
        path: FieldPath = ("sections", i)
        field = f"sections/{section.id}"
        heading = self.one(f"{field}/heading", section.heading, (*path, "heading"),
                           "Section heading")
        blocks = tuple(self.block(b, field, (*path, "body")) for b in section_blocks(section))
        return section.model_copy(update={"heading": heading, "body": TranslatedBody(blocks)})

    def block(self, block: Block, field: str, path: FieldPath) -> Block:
        note = BLOCK_NOTES[block.kind] + " in the section; keep Markdown (*, **, [text](link))"
        texts = tuple(self.one(f"{field}/body", t, path, note) for t in block.texts)
        return Block(block.kind, texts)

    def tips(self, tips: Tips) -> Tips:
        return tips.model_copy(update={
            audience.value: self.many(f"tips/{audience.value}", texts, ("tips", audience.value),
                                      f"A tip for {audience.value.replace('_', ' ')}")
            for audience, texts in tips.by_audience()
        })

    def term(self, term: Term, i: int) -> Term:
        path: FieldPath = ("glossary", i)
        return term.model_copy(update={
            "term": self.one("glossary/term", term.term, (*path, "term"), "A glossary term"),
            "definition": self.one("glossary/definition", term.definition,
                                   (*path, "definition"), f"Definition of '{term.term}'"),
        })

    def contact(self, contact: Contact, i: int) -> Contact:
        path: FieldPath = ("contacts", i)
        field = f"contacts/{contact.id}"
        return contact.model_copy(update={
            "name": self.one(f"{field}/name", contact.name, (*path, "name"),
                             "Name of a help service: use its official name in this language"),
            "description": self.one(f"{field}/description", contact.description,
                                    (*path, "description"), "What the help service does"),
            "url": contact.url and self.one(f"{field}/url", contact.url, (*path, "url"),
                                            "Web address: use the service's own page in this "
                                            "language if it has one (https:// only)"),
        })

    def figure(self, figure: Figure, i: int) -> Figure:
        path: FieldPath = ("figures", i)
        field = f"figures/{figure.id}"
        return figure.model_copy(update={
            "alt": figure.alt and self.one(f"{field}/alt", figure.alt, (*path, "alt"),
                                           "Alt text: what the picture shows, for people "
                                           "who cannot see it"),
            "caption": figure.caption and self.one(f"{field}/caption", figure.caption,
                                                   (*path, "caption"), "Figure caption"),
            "credit": figure.credit and self.one(f"{field}/credit", figure.credit,
                                                 (*path, "credit"), "Figure credit"),
        })


    def reference(self, ref: Reference, i: int) -> Reference:
        """A source as this language cites it: a field kept as it is stays in the source's
        language, and the source is in this language once its address moves to a counterpart."""
        path: FieldPath = ("references", i)
        own = ref.language or self.source_lang
        title, publisher, url = (
            _kept(self.one(f"references/{name}", text, (*path, name), note), text, own)
            for name, text, note in (
                ("title", ref.title, REFERENCE_NOTES["title"]),
                ("publisher", ref.publisher, REFERENCE_NOTES["publisher"]),
                ("url", ref.url, REFERENCE_NOTES["url"])))
        return ref.model_copy(update={"title": title, "publisher": publisher, "url": url,
                                      "language": url.lang})


REFERENCE_NOTES = {
    "title": "Title of a source: the title of its version in this language if you cite that "
             "version, else keep it as it is",
    "publisher": "Publisher of a source: its official name in this language if you cite the "
                 "version in this language, else keep it as it is",
    "url": "Address of a source: its page in this language when factsheets.toml lists that "
           "site under [links.<lang>], else keep it as it is",
}


def _kept(text: Text, source: str, own: str) -> Text:
    """A field the translation left as the source wrote it is in the source document's language."""
    return Text(text, own) if text == source else text


def source_edition(sheet: Sheet) -> Edition:
    """The sheet in its own language: every string is its own translation."""
    localized = localize(sheet, lambda m: Text(m.text, sheet.language))
    return Edition(localized, sheet.language, sheet.id, ())
