"""A translation and its source -> why the translation cannot be used ('' when it can)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

from ..errors import CONTROL
from ..model.markup import RAW_HTML, MarkupError, check_inline, emphasis_count, link_targets
from ..model.schema import RESERVED_SLUG, SLUG, SLUG_CHARS

PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr]|\{[A-Za-z_]\w*\}")
FORMAT = re.compile(r"%(?:%|\(\w+\)[sdifr]|[sdifr])")
"""What `%` may start in a template string: Jinja applies `%` to every one of them."""
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>")
HTTPS_URL = re.compile(r"^https://[^\s/$.?#][^\s]*$")
ORIGIN = re.compile(r"^https://[^/\s?#]+")


def check_translation(context: str | None, source: str, translation: str,
                      markdown: bool = True, counterparts: Mapping[str, str] | None = None,
                      lang: str = "") -> str:
    """The first rule a translation breaks, or '' when it is usable.

    Sheet strings (`markdown=True`) are inline Markdown: no HTML, same link targets (or
    their configured `counterparts` in the translation's language) and emphasis as the
    source. Template strings may hold the source's HTML tags, no others.
    """
    control = CONTROL.search(translation)
    if control:
        return f"character U+{ord(control.group()):04X} is not allowed in a translation"
    if Counter(PLACEHOLDER.findall(source)) != Counter(PLACEHOLDER.findall(translation)):
        return (f"placeholders differ from the source: expected "
                f"{_listing(PLACEHOLDER.findall(source))}")
    if not markdown:
        return _check_format(translation) or _check_tags(source, translation)
    field = (context or "").rsplit("|", 1)[-1]
    if field == "slug":
        return _check_slug(translation)
    if field.endswith("/url"):
        return _check_address(source, translation, counterparts or {})
    return _check_markdown(source, translation, counterparts or {}, lang)


def _check_address(source: str, translation: str, counterparts: Mapping[str, str]) -> str:
    """A translated address (a contact's web site, a reference's source) obeys the rule of
    links: the source's address, or its `[links.LANG]` counterpart (a help line cannot be sent
    elsewhere, nor a citation pointed at another document)."""
    if not HTTPS_URL.fullmatch(translation):
        return "a web address must start with https://"
    if translation != source and _as_source(translation, counterparts) != source:
        return (f"the address differs from the source's ({source}) and is not its "
                "[links.LANG] counterpart in factsheets.toml")
    return ""


def _check_slug(slug: str) -> str:
    """A translated slug names a file: the source's rules, and not a name the site uses."""
    if not re.fullmatch(SLUG, slug) or len(slug) > SLUG_CHARS:
        return f"a slug may hold only lower-case letters, digits and hyphens, at most {SLUG_CHARS}"
    if RESERVED_SLUG.fullmatch(slug):
        return f"the slug {slug!r} is reserved: the site's own pages use that name"
    return ""


def _check_markdown(source: str, translation: str, counterparts: Mapping[str, str],
                    lang: str) -> str:
    """Inline Markdown rules: safe markup, same link targets, same emphasis."""
    try:
        check_inline(translation)
    except MarkupError as exc:
        return str(exc)
    targets = [_as_source(target, counterparts) for target in link_targets(translation)]
    if sorted(link_targets(source)) != sorted(targets):
        return (f"link targets differ from the source: expected "
                f"{_listing(link_targets(source))}{_allow(source, targets, lang)}")
    if emphasis_count(source) != emphasis_count(translation):
        em, strong = emphasis_count(source)
        return (f"emphasis differs from the source: expected {em} *emphasis* and "
                f"{strong} **strong**")
    return ""


def _allow(source: str, targets: list[str], lang: str) -> str:
    """How to allow a translation's different link: the `[links.<lang>]` line to add.

    Only when each unmatched source link has one unmatched translated link in its place; the
    line maps the two sites (or the two pages, when their paths differ).
    """
    missing = [t for t in link_targets(source) if t not in targets]
    extra = [t for t in targets if t not in link_targets(source)]
    if not lang or not missing or len(missing) != len(extra):
        return ""
    lines = []
    for original, counterpart in zip(missing, extra, strict=True):
        site, other = ORIGIN.match(original), ORIGIN.match(counterpart)
        if not (site and other):
            return ""
        same_path = original[site.end():] == counterpart[other.end():]
        pair = (site.group(), other.group()) if same_path else (original, counterpart)
        lines.append(f'"{pair[0]}" = "{pair[1]}"')
    return (f"; if {_listing(extra)} is the same page in this language, a maintainer can "
            f"allow it: add under [links.{lang}] in factsheets.toml (create the table if it "
            f"is missing) the line {' and the line '.join(lines)}")


def _as_source(target: str, counterparts: Mapping[str, str]) -> str:
    """A translated link target written back as the source address it stands for.

    The longest counterpart that matches wins, so a site-wide pair and a page's own pair can
    both be listed."""
    for original, counterpart in sorted(counterparts.items(), key=lambda pair: -len(pair[1])):
        if target == counterpart or target.startswith(counterpart.rstrip("/") + "/"):
            return original.rstrip("/") + target[len(counterpart.rstrip("/")):]
    return target


def _check_format(translation: str) -> str:
    """Template strings are %-format strings: a stray `%` (« 100 % », `%c`, `%5s`) would
    crash or garble every page, so only `%%` and the source's placeholders may appear."""
    stray = FORMAT.sub("", translation).find("%")
    if stray < 0:
        return ""
    rest = FORMAT.sub("", translation)[stray:stray + 4]
    return (f"{rest!r} is not a placeholder of the source: write %% for a percent sign in "
            "the templates' strings")


def _check_tags(source: str, translation: str) -> str:
    """Template strings: HTML only where the source has the very same tags."""
    if not RAW_HTML.search(translation):
        return ""
    if Counter(HTML_TAG.findall(source)) != Counter(HTML_TAG.findall(translation)):
        return "HTML in the translation differs from the source's"
    return ""


def _listing(items: list[str]) -> str:
    return ", ".join(items) if items else "none"
