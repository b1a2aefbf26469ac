"""Editions -> HTML pages and Atom feeds: the Jinja2 environment, its filters and page contexts."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import gettext as gettext_module
import posixpath
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from babel import Locale
from babel.dates import format_date
from babel.units import format_unit
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ..config import Config
from ..i18n.fields import Edition, Text, section_blocks
from ..model.markup import NBSP, render_inline, typography
from ..model.schema import Figure, Reference
from .site import (
    AUDIENCES,
    SheetEntry,
    Site,
    audience_path,
    events,
    for_audience,
    handouts,
    last_update,
    report_link,
    search_path,
    whats_new_path,
)

UI_SOURCE = "en"
"""The language the templates' own strings are written in."""


class UiTranslations(Protocol):
    """What pages need of a UI catalog (a `gettext.NullTranslations` will do)."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


@dataclass
class UiText:
    """The UI catalog of one language, marking strings that fell back to the source."""

    lang: str
    tags: Mapping[str, str]
    translations: UiTranslations
    missed: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if isinstance(self.translations, gettext_module.NullTranslations):
            self.translations = copy.copy(self.translations)
            self.translations.add_fallback(_Untranslated())

    def text(self, message: str) -> Text:
        """The translation as a `Text`; a missing one keeps the templates' language."""
        return self._known(message, self.translations.gettext(message))

    def gettext(self, message: str) -> Markup:
        """Escaped translation, wrapped in a `lang` span when it fell back."""
        return self._html(self.text(message))

    def ngettext(self, singular: str, plural: str, n: int) -> Markup:
        """The plural form the catalog gives for `n`, escaped and marked like `gettext`."""
        return self._html(self._known(singular, self.translations.ngettext(singular, plural, n)))

    def _known(self, message: str, result: str) -> Text:
        """The catalog's answer as a `Text`, noting a message that fell back."""
        if isinstance(result, Text) and result.lang != self.lang:
            self.missed.add(message)
            return result
        return Text(result, self.lang)

    def _html(self, text: Text) -> Markup:
        """Escaped, with the language's typography, in a `lang` span if it fell back."""
        html = escape(typography(text, text.lang))
        if text.lang == self.lang:
            return html
        tag = self.tags.get(text.lang, text.lang)
        return Markup('<span lang="{}">{}</span>').format(tag, html)


class _Untranslated(gettext_module.NullTranslations):
    """The last fallback of a catalog: answers with the message, marked as untranslated."""

    def gettext(self, message: str) -> str:
        return Text(message, UI_SOURCE)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return Text(singular if n == 1 else plural, UI_SOURCE)


def relative(from_path: str, to_path: str) -> str:
    """A relative link from one file in dist/ to another."""
    return posixpath.relpath(to_path, posixpath.dirname(from_path) or ".")


def link_from(target: str, page: str) -> str:
    """Filter form of `relative`: `target|rel(path)` links to target from the page at path."""
    return relative(page, target)


def language_name(lang: str, in_lang: str | None = None) -> str:
    """A language's name (`Français`, `anglais`), in its own language unless told otherwise."""
    name = Locale.parse(lang).get_display_name(in_lang or lang) or lang
    return name[:1].upper() + name[1:] if in_lang is None else name


def make_environment(config: Config, lang: str, translations: UiTranslations) -> Environment:
    """A Jinja2 environment for pages in `lang`: autoescape, i18n and the site's filters."""
    env = Environment(loader=FileSystemLoader(config.templates_dir), autoescape=True,
                      undefined=StrictUndefined, extensions=["jinja2.ext.i18n"],
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    ui = UiText(lang, config.languages, translations)
    tag_of = functools.partial(_tag, config)
    env.install_gettext_callables(ui.gettext, ui.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(ui=ui, page_lang=lang, lang_tag=tag_of, language_name=language_name,
                       blocks=section_blocks, lang_of=lambda message: ui.text(message).lang,
                       titles_by_lang=titles_by_lang, handouts=handouts,
                       crumb_items=crumb_items)
    env.filters.update(inline=inline, plain=plain, langattr=_langattr(lang, tag_of),
                       time=_time(tag_of(lang)), tel=tel_href, phone=_phone(tag_of(lang)),
                       filesize=_filesize(tag_of(lang)), isodate=isodate,
                       rel=link_from,
                       reflang=reference_lang, display_url=display_url,
                       langwithin=_langwithin(tag_of))
    return env


def _tag(config: Config, lang: str) -> str:
    """The configured BCP 47 tag of a language code (`fr-CA`), or the code itself."""
    return config.languages.get(lang, lang)


def inline(text: str) -> Markup:
    """Sheet or catalog text as safe HTML, with its own language's typography."""
    return Markup(render_inline(text, getattr(text, "lang", UI_SOURCE)))


def plain(text: str) -> str:
    """Plain sheet or catalog text with its own language's typography (escaped later)."""
    return typography(text, getattr(text, "lang", UI_SOURCE))


def _langattr(page_lang: str, tag_of: Callable[[str], str]) -> Callable[[Any], Markup]:
    def langattr(value: Any) -> Markup:
        """` lang="en-CA"` when the value's language differs from the page's, else nothing."""
        lang = value if isinstance(value, str) and not isinstance(value, Text) else None
        lang = getattr(value, "lang", lang)
        if not lang or lang == page_lang:
            return Markup("")
        return Markup(' lang="{}"').format(tag_of(lang))
    return langattr


def _langwithin(tag_of: Callable[[str], str]) -> Callable[[Any, str], Markup]:
    def langwithin(value: Any, outer_lang: str) -> Markup:
        """` lang="fr-CA"` when a `Text` is in another language than the element around it."""
        lang = getattr(value, "lang", None)
        if not lang or lang == outer_lang:
            return Markup("")
        return Markup(' lang="{}"').format(tag_of(lang))
    return langwithin


def _time(tag: str) -> Callable[[dt.date], Markup]:
    def time(date: dt.date) -> Markup:
        """A date in `<time datetime>`, written the locale's way (28 novembre 2026)."""
        text = format_date(date, "long", locale=tag.replace("-", "_"))
        return Markup('<time datetime="{}">{}</time>').format(date.isoformat(), text)
    return time


def isodate(date: dt.date) -> Markup:
    """A date as Canada.ca writes "Date modified": `<time datetime=…>2026-11-28</time>`."""
    return Markup('<time datetime="{0}">{0}</time>').format(date.isoformat())


def crumb_items(items: Sequence[tuple[str, str]], base: str) -> list[dict[str, Any]]:
    """Breadcrumbs (name, dist/ path) as schema.org `ListItem`s with absolute addresses."""
    return [{"@type": "ListItem", "position": n, "name": str(name), "item": base + target}
            for n, (name, target) in enumerate(items, start=1)]


def _filesize(tag: str) -> Callable[[int], str]:
    def filesize(size: int) -> str:
        """A file size in kB or MB, the locale's way (`210 kB`, `1,2 Mo`)."""
        locale = tag.replace("-", "_")
        amount, unit = (round(size / 1e6, 1), "megabyte") if size >= 1_000_000 else (
            max(1, round(size / 1e3)), "kilobyte")
        text = format_unit(amount, f"digital-{unit}", "short", locale=locale)
        return text.replace(" ", NBSP)
    return filesize


def tel_href(phone: str) -> str:
    """A `tel:` link for a North American or short number (`tel:+1-866-658-9022`)."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 10:
        digits = "1" + digits
    if len(digits) == 11 and digits.startswith("1"):
        return f"tel:+{digits[0]}-{digits[1:4]}-{digits[4:7]}-{digits[7:]}"
    return "tel:" + ("+" if phone.startswith("+") else "") + digits


def _phone(tag: str) -> Callable[[str], str]:
    def phone(number: str) -> str:
        """A phone number the locale's way: French writes `1 866 658-9022` (no-break spaces)."""
        digits = re.sub(r"\D", "", number)
        if not tag.startswith("fr") or len(digits) != 11 or not digits.startswith("1"):
            return number
        return f"{digits[0]}{NBSP}{digits[1:4]}{NBSP}{digits[4:7]}-{digits[7:]}"
    return phone


def display_url(url: str) -> str:
    """An address as readers see it: no scheme, no trailing slash."""
    return re.sub(r"^https://(www\.)?", "", url).rstrip("/")


def reference_lang(reference: Reference, sheet_lang: str) -> str:
    """The language a reference is written in (the sheet's when not given)."""
    return reference.language or sheet_lang


def alternates(site: Site, paths: Mapping[str, str]) -> list[dict[str, str]]:
    """`<link rel=alternate hreflang>` targets: every language's version of a page."""
    base = site.config.base_url
    return [{"tag": site.config.locale_tag(lang), "href": base + path}
            for lang, path in paths.items()]


def page_context(site: Site, lang: str, path: str, paths: Mapping[str, str]) -> dict[str, Any]:
    """What the base layout needs: where the page is, its versions and the toggle."""
    other = [code for code in site.config.languages if code != lang]
    return {
        "lang": lang, "tag": site.config.locale_tag(lang), "path": path, "site_title": None,
        "alternates": alternates(site, paths), "base": site.config.base_url,
        "canonical": site.config.base_url + path, "base_href": None,
        "report_href": report_link(site.config.report_problem, site.config.base_url + path),
        "toggle": [{"lang": code, "href": relative(path, paths[code]),
                    "name": language_name(code)} for code in other if code in paths],
        "index_href": relative(path, f"{lang}/index.html"),
        "feed_href": relative(path, f"{lang}/feed.xml"),
        "whats_new_href": relative(path, whats_new_path(lang)),
        "search_href": relative(path, search_path(lang)),
        "audience_hrefs": [(a, relative(path, audience_path(lang, a))) for a in AUDIENCES],
        "footer_pages": [(e.editions[lang].sheet.title, relative(path, e.path(lang)))
                         for e in site.pages],
        "css_href": relative(path, "assets/site.css"),
    }


def render_sheet(env: Environment, site: Site, entry: SheetEntry, lang: str) -> str:
    """The HTML page of one sheet in one language (or the page saying why it is unavailable)."""
    edition = entry.editions[lang]
    path = entry.path(lang)
    paths = {code: entry.path(code) for code in entry.editions}
    context = page_context(site, lang, path, paths)
    context.update(edition=edition, sheet=edition.sheet, withheld=lang in entry.withheld,
                   pdf=site.pdfs.get((edition.sheet.id, lang)), pdfs=site.pdfs,
                   figures=_figures(site, edition, path),
                   counterpart=_counterpart(entry, lang, path))
    return render_page(env, "sheet.html.j2", context, site, lang)


def _figures(site: Site, edition: Edition, path: str) -> dict[str, list[tuple[Figure, str]]]:
    """Figures grouped by the section they follow, each with its link from the page."""
    grouped: dict[str, list[tuple[Figure, str]]] = {}
    for figure in edition.sheet.figures:
        target = site.figures[(edition.sheet.id, figure.id, edition.lang)]
        grouped.setdefault(figure.after, []).append((figure, relative(path, target)))
    return grouped


def _counterpart(entry: SheetEntry, lang: str, path: str) -> dict[str, str] | None:
    """The published edition in another language, for a page that is withheld."""
    for code in entry.editions:
        if code != lang and code not in entry.withheld:
            return {"lang": code, "href": relative(path, entry.path(code)),
                    "name": language_name(code)}
    return None


def render_index(env: Environment, site: Site, lang: str) -> str:
    """The list of every sheet in one language, with links to its page and PDF."""
    path = f"{lang}/index.html"
    paths = {code: f"{code}/index.html" for code in site.config.languages}
    context = page_context(site, lang, path, paths)
    entries = sorted(site.entries, key=lambda e: _sort_key(e.editions[lang].sheet.title))
    context.update(entries=entries, pdfs=site.pdfs, updated=last_update(site))
    return render_page(env, "index.html.j2", context, site, lang)


def _sort_key(title: str) -> str:
    """Alphabetical order that ignores case and accents (é files with e)."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def render_feed(env: Environment, site: Site, lang: str) -> str:
    """The Atom feed of "What's new" in one language: the same events as its page."""
    context = {"lang": lang, "tag": site.config.locale_tag(lang), "base": site.config.base_url,
               "events": events(site, lang), "updated": last_update(site), "site_title": None,
               "self_path": f"{lang}/feed.xml", "page_path": whats_new_path(lang)}
    return render_page(env, "feed.xml.j2", context, site, lang)


def render_article(env: Environment, site: Site, entry: SheetEntry, lang: str) -> str:
    """A page of pages/ (About, Contact) in one language, or why it is not available."""
    edition = entry.editions[lang]
    path = entry.path(lang)
    context = page_context(site, lang, path, {code: entry.path(code) for code in entry.editions})
    context.update(edition=edition, article=edition.sheet, withheld=lang in entry.withheld,
                   counterpart=_counterpart(entry, lang, path), updated=last_update(site))
    return render_page(env, "article.html.j2", context, site, lang)


def render_audience(env: Environment, site: Site, lang: str, audience: str) -> str:
    """One audience's page in one language: every published sheet's tips for it, with links."""
    path = audience_path(lang, audience)
    context = page_context(site, lang, path, {code: audience_path(code, audience)
                                              for code in site.config.languages})
    entries = sorted(for_audience(site, lang, audience),
                     key=lambda e: _sort_key(e.editions[lang].sheet.title))
    context.update(audience=audience, entries=entries, pdfs=site.pdfs, updated=last_update(site))
    return render_page(env, "audience.html.j2", context, site, lang)


def render_search(env: Environment, site: Site, lang: str) -> str:
    """The search page of one language: the form, and the script that asks the index."""
    path = search_path(lang)
    context = page_context(site, lang, path, {code: search_path(code)
                                              for code in site.config.languages})
    context.update(updated=last_update(site), search_js=relative(path, "assets/search.js"),
                   pagefind_js=relative(path, "pagefind/pagefind.js"),
                   pagefind_base=relative(path, "pagefind/"))
    return render_page(env, "search.html.j2", context, site, lang)


def render_whats_new(env: Environment, site: Site, lang: str) -> str:
    """The "What's new" page of one language: the feed's events, and what a feed is."""
    path = whats_new_path(lang)
    context = page_context(site, lang, path, {code: whats_new_path(code)
                                              for code in site.config.languages})
    context.update(events=events(site, lang), updated=last_update(site))
    return render_page(env, "whats-new.html.j2", context, site, lang)


def render_landing(envs: Mapping[str, Environment], site: Site) -> str:
    """The bilingual splash page: each language's title and link, each marked with its lang."""
    parts = []
    for lang, env in envs.items():
        context = page_context(site, lang, "index.html", {})
        context.update(site_title=site_title(env, site), updated=last_update(site))
        parts.append(env.get_template("landing-part.html.j2").make_module(context))
    source = site.config.source_language
    context = page_context(site, source, "index.html", {})
    context.update(parts=parts, updated=last_update(site))
    return render_page(envs[source], "landing.html.j2", context, site, source)


def titles_by_lang(parts: Sequence[Any]) -> list[tuple[str, str]]:
    """The landing page's (title, language tag) pairs, a title shown once if two are equal."""
    seen: dict[str, str] = {}
    for part in parts:
        seen.setdefault(str(part.part_title), part.part_title_tag)
    return list(seen.items())


def site_title(env: Environment, site: Site) -> Text:
    """The project's title (factsheets.toml) in the environment's language, if translated."""
    ui: UiText = env.globals["ui"]  # type: ignore[assignment]
    return ui.text(site.config.title)


def render_page(env: Environment, name: str, context: dict[str, Any], site: Site,
                lang: str) -> str:
    """Render a page; render again with the notice if a UI string turned out untranslated."""
    ui: UiText = env.globals["ui"]  # type: ignore[assignment]
    ui.missed.clear()
    if context.get("site_title") is None:
        context["site_title"] = site_title(env, site)
    context["ui_incomplete"] = False
    html = env.get_template(name).render(context)
    if ui.missed and lang != UI_SOURCE:
        context["ui_incomplete"] = True
        html = env.get_template(name).render(context)
    return html
