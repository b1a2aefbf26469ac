"""A loaded sheet -> each language edition -> quality warnings (`factsheets check`).

Warnings cover the reading level, long sentences, link text that says nothing, weak alt text,
old review dates and malformed addresses. Only strings in the edition's own language are
checked there: a fallback string belongs to its own language's check. Nothing is fetched.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from babel.messages.catalog import Catalog

from ..config import Config
from ..errors import FactsheetsError, Location, Problem
from ..files import read_bounded
from ..i18n.editions import edition_and_catalog
from ..i18n.extract import sheet_messages
from ..i18n.fields import Edition, FieldPath, Message, section_blocks
from ..i18n.pofile import catalog_path
from ..model.figuretext import small_text_problem
from ..model.markup import links, plain_text
from ..model.skeleton import sample_texts
from ..model.sources import strings
from ..model.validate import LoadedSheet, check_figure_path
from . import readability
from .readability import Counts, Grade

MIN_WORDS = 100
NEAR_LINES = 40
VAGUE_LINKS = frozenset({
    "click here", "here", "click", "read more", "more", "learn more", "more info",
    "more information", "this link", "link", "this page", "this", "go", "details",
    "cliquez ici", "cliquer ici", "ici", "lire la suite", "en savoir plus", "plus", "ce lien",
    "lien", "cette page", "suite", "détails",
})
WEAK_ALT = frozenset({
    "image", "picture", "photo", "photograph", "graphic", "figure", "diagram", "illustration",
    "img", "icon", "chart", "drawing", "screenshot", "logo", "photographie", "schéma",
    "diagramme", "graphique", "dessin", "icône", "capture d'écran",
})
ARTICLE = re.compile(r"^(?:an?|the|une?|les?|la|l['’])\s*", re.IGNORECASE)
FILE_NAME = re.compile(r"^[\w\-. ]+\.(?:svg|png|jpe?g|gif|webp|bmp|tiff?)$", re.IGNORECASE)
BARE_URL = re.compile(r"^(?:https?://|www\.)\S+$|^[\w-]+(?:\.[\w-]+)+/\S*$", re.IGNORECASE)
HOST_LABEL = re.compile(r"^(?!-)[^\W_](?:[\w-]*[^\W_])?$")
TLD = re.compile(r"^(?:[^\W\d_]{2,}|xn--[a-z0-9-]+)$", re.IGNORECASE)
EMAIL = re.compile(r"^[^@\s/]+@[^@\s/]+\.[^@\s/.]+$")
PHONE = re.compile(r"^\+?[0-9][0-9().-]*$")
WRITE_MORE = "say what the picture shows: who or what is in it, and what is happening"


@dataclass(frozen=True)
class Item:
    """One string of an edition: where it sits, which inline text of a body, its kind."""

    path: FieldPath
    index: int
    kind: str
    text: str


@dataclass(frozen=True)
class Finding:
    """A warning about one string, and the words it is about (to find their line)."""

    message: str
    hint: str
    near: str = ""


@dataclass(frozen=True)
class Report:
    """The outcome of checking one sheet in one language."""

    sheet: str
    lang: str
    grade: Grade | None
    words: int
    problems: list[Problem]


def check_sheet(config: Config, loaded: LoadedSheet, today: dt.date) -> list[Report]:
    """Check every language edition of a sheet; sheet-wide checks go with the source."""
    reports = []
    for lang in _languages(config, loaded):
        problems: list[Problem] = []
        try:
            edition, catalog = edition_and_catalog(config, loaded, lang, problems)
        except FactsheetsError as exc:
            shown = config.display(loaded.path)
            reports.append(Report(shown, lang, None, 0, list(exc.problems)))
            continue
        report = check_edition(config, loaded, edition, catalog)
        problems += report.problems
        if lang == loaded.sheet.language:
            problems += source_problems(config, loaded, today)
            problems += [p for f in loaded.sheet.figures for p in small_figure_text(config, f.src)]
        reports.append(replace(report, problems=problems))
    return reports


def _languages(config: Config, loaded: LoadedSheet) -> list[str]:
    """The sheet's own language first, then the project's others."""
    source = loaded.sheet.language
    return [source, *(lang for lang in config.languages if lang != source)]


def check_edition(config: Config, loaded: LoadedSheet, edition: Edition,
                  catalog: Catalog | None) -> Report:
    """Check the strings of one edition that are in its language (`catalog`: its .po, read)."""
    where = Locator(config, loaded, edition.lang, catalog)
    items = [i for i in edition_items(edition) if getattr(i.text, "lang", "") == edition.lang]
    problems = []
    for item in items:
        for found in item_findings(item, config.sentence_words_max):
            location = where.at(item.path, item.index, found.near)
            problems.append(Problem(location, found.message, found.hint, "warning"))
    for path, message, hint in figure_findings(edition) + contact_findings(edition):
        problems.append(Problem(where.at(path), message, hint, "warning"))
    counts, grade, hardest = rate(items, edition.lang)
    if grade and grade.value > config.reading_grade_max:
        problems.insert(0, reading_problem(config, where, grade, hardest))
    return Report(config.display(loaded.path), edition.lang, grade, counts.words, problems)


def reading_problem(config: Config, where: Locator, grade: Grade,
                    hardest: tuple[Item, Grade] | None) -> Problem:
    """The warning for an edition above the target grade, naming its hardest passage."""
    hint = "use shorter sentences and shorter words"
    if hardest:
        line = where.at(hardest[0].path, hardest[0].index).line
        hint += f"; the hardest passage is at line {line} ({hardest[1].describe()})"
    message = (f"reading level is {grade.describe()}, above the target of grade "
               f"{config.reading_grade_max:g}")
    return Problem(where.sheet(), message, hint, "warning")


def edition_items(edition: Edition) -> Iterator[Item]:
    """The edition's running text, list items and captions, in reading order."""
    sheet = edition.sheet
    yield Item(("summary",), 0, "prose", sheet.summary)
    for i, section in enumerate(sheet.sections):
        texts = [(b.kind, t) for b in section_blocks(section) for t in b.texts]
        for n, (kind, text) in enumerate(texts):
            yield Item(("sections", i, "body"), n, "heading" if kind == "h" else "prose", text)
    for audience, tips in sheet.tips.by_audience():
        yield from (Item(("tips", audience.value, j), 0, "prose", t) for j, t in enumerate(tips))
    yield from (Item(("warning_signs", j), 0, "prose", t)
                for j, t in enumerate(sheet.warning_signs))
    yield from (Item(("glossary", j, "definition"), 0, "prose", term.definition)
                for j, term in enumerate(sheet.glossary))
    yield from (Item(("contacts", j, "description"), 0, "prose", contact.description)
                for j, contact in enumerate(sheet.contacts))
    yield from (Item(("figures", j, "caption"), 0, "caption", figure.caption)
                for j, figure in enumerate(sheet.figures) if figure.caption)


def item_findings(item: Item, words_max: int) -> list[Finding]:
    """Long sentences, vague or bare link text and malformed link targets in one string."""
    found = []
    if item.kind != "heading":
        found += long_sentences(plain_text(item.text), words_max)
    for text, href in links(item.text):
        found += link_text_findings(" ".join(text.split()), href)
        reason = url_problem(href)
        if reason:
            found.append(Finding(f"malformed address {href!r}: {reason}", "check the address",
                                 text))
    if "](" in plain_text(item.text):
        found.append(Finding("a link that Markdown could not read: '](' is left in the text",
                             "write [words](https://address) with no space in the address"))
    return found


def long_sentences(text: str, words_max: int) -> list[Finding]:
    """Each sentence with more words than `words_max`."""
    found = []
    for sentence in readability.sentences(text):
        words = readability.words(sentence)
        if len(words) > words_max:
            start = " ".join(sentence.split()[:8])
            found.append(Finding(f"sentence of {len(words)} words, over the limit of "
                                 f"{words_max}: \"{start} …\"",
                                 "split it into shorter sentences", sentence))
    return found


def link_text_findings(text: str, href: str) -> list[Finding]:
    """Link text that is empty, says nothing about its target, or is the address itself."""
    words = text.strip(" .:;,!?…«»\"'“”’").lower()
    if not words:
        return [Finding("a link has no text",
                        "put words that name the page between the brackets")]
    if words in VAGUE_LINKS:
        return [Finding(f"link text \"{text}\" does not say where the link goes",
                        "name the page or the action instead, e.g. \"report to Cybertip.ca\"",
                        text)]
    if BARE_URL.match(text) or (text == href and not href.startswith(("mailto:", "tel:"))):
        return [Finding(f"link text \"{text}\" is a bare address",
                        "name the page instead; screen readers spell addresses out", text)]
    return []


def url_problem(url: str) -> str:
    """Why an https, mailto or tel address is malformed ('' when it looks right); no network."""
    if re.search(r"\s", url):
        return "it contains a space"
    if url.startswith("mailto:"):
        return "" if EMAIL.match(url[7:].split("?")[0]) else "it is not an e-mail address"
    if url.startswith("tel:"):
        return "" if PHONE.match(url[4:]) else "a phone number holds only digits, +, - and ."
    if not url.startswith("https://"):
        return "it must start with https://, mailto: or tel:"
    return _https_problem(url)


def _https_problem(url: str) -> str:
    """Why an https:// address is malformed: its host, port or characters."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "it is not a valid address (check the brackets and the port)"
    if "\\" in url:
        return "it contains a backslash"
    if "@" in parts.netloc:
        return "it has a user name before the host ('@')"
    host = parts.hostname or ""
    if "." not in host:
        return f"the host {host!r} has no dot" if host else "it has no host"
    labels = host.split(".")
    if not all(HOST_LABEL.match(label) for label in labels):
        return f"the host {host!r} has an empty part or characters a host cannot hold"
    if not TLD.match(labels[-1]):
        return f"the host {host!r} does not end in a domain such as .ca or .org"
    return ""


def figure_findings(edition: Edition) -> list[tuple[FieldPath, str, str]]:
    """Alt text that names no content: a word like "photo", a file name, or the caption."""
    found: list[tuple[FieldPath, str, str]] = []
    for i, figure in enumerate(edition.sheet.figures):
        alt = figure.alt
        if figure.decorative or not alt or getattr(alt, "lang", "") != edition.lang:
            continue
        words = ARTICLE.sub("", alt.strip().rstrip(".").lower())
        caption = _normal(plain_text(figure.caption)) if figure.caption else None
        if words in WEAK_ALT:
            found.append((("figures", i, "alt"), f"alt text \"{alt}\" says nothing about the "
                          "picture", WRITE_MORE))
        elif FILE_NAME.match(alt) or alt == PurePosixPath(figure.src).name:
            found.append((("figures", i, "alt"), f"alt text \"{alt}\" is a file name",
                          WRITE_MORE))
        elif caption == _normal(alt):
            found.append((("figures", i, "alt"), "alt text repeats the caption",
                          "screen readers read both: " + WRITE_MORE))
    return found


def _normal(text: str) -> str:
    """Text compared loosely: case, spacing and end punctuation ignored."""
    return " ".join(text.lower().split()).rstrip(".!?…")


def contact_findings(edition: Edition) -> list[tuple[FieldPath, str, str]]:
    """Help contacts whose web address, in this edition's language, is malformed."""
    found: list[tuple[FieldPath, str, str]] = []
    for i, contact in enumerate(edition.sheet.contacts):
        url = contact.url
        reason = url_problem(url) if url and getattr(url, "lang", "") == edition.lang else ""
        if reason:
            found.append((("contacts", i, "url"), f"malformed address {url!r}: {reason}",
                          "check the address"))
    return found


def source_problems(config: Config, loaded: LoadedSheet, today: dt.date) -> list[Problem]:
    """Checks of fields no translation changes: the review date, the references, an audience
    without tips where others have some, and example text left from `factsheets new`."""
    document, sheet = loaded.document, loaded.sheet
    problems = []
    due = add_months(sheet.last_reviewed, config.review_max_months)
    if today > due:
        problems.append(Problem(
            document.locate(("last_reviewed",)), f"last reviewed on {sheet.last_reviewed}, "
            f"more than {config.review_max_months} months ago",
            "check the facts, contacts and references, then update last_reviewed", "warning"))
    for i, reference in enumerate(sheet.references):
        reason = url_problem(reference.url)
        if reason:
            problems.append(Problem(document.locate(("references", i, "url")),
                                    f"malformed address {reference.url!r}: {reason}",
                                    "check the address", "warning"))
    with_tips = [a for a in sheet.audiences if getattr(sheet.tips, a.value)]
    for audience in sheet.audiences if with_tips else ():
        if audience not in with_tips:
            problems.append(Problem(document.locate(("audiences",)), f"{audience.value} has no "
                                    "tips: its one-page handout will have none",
                                    f"add tips.{audience.value}, or take it out of audiences",
                                    "warning"))
    return problems + sample_text_problems(loaded)


def sample_text_problems(loaded: LoadedSheet) -> list[Problem]:
    """A warning at each text still the example `factsheets new` wrote there."""
    samples = sample_texts(loaded.sheet.language)
    return [Problem(loaded.document.locate(path), "this is still the example text of "
                    "`factsheets new`", "write the sheet's own text here, or remove the entry",
                    "warning")
            for path, text in strings(loaded.document.data)
            if path[:1] != ("id",) and " ".join(text.split()) in samples]


def add_months(date: dt.date, months: int) -> dt.date:
    """`date` plus whole months, on the last day of a shorter month when needed."""
    years, month = divmod(date.month - 1 + months, 12)
    year = date.year + years
    return dt.date(year, month + 1, min(date.day, calendar.monthrange(year, month + 1)[1]))


def rate(items: list[Item], lang: str) -> tuple[Counts, Grade | None,
                                                   tuple[Item, Grade] | None]:
    """The edition's reading grade over its prose, and its hardest passage of 20+ words."""
    total, hardest = Counts(), None
    for item in items:
        if item.kind != "prose":
            continue
        counts = readability.count(plain_text(item.text), lang)
        total += counts
        grade = readability.grade(counts, lang) if counts.words >= 20 else None
        if grade and (hardest is None or grade.value > hardest[1].value):
            hardest = (item, grade)
    if total.words < MIN_WORDS:
        return total, None, None
    return total, readability.grade(total, lang), hardest


class Locator:
    """Where a user fixes a string: its line in the sheet, or its entry in the .po file."""

    def __init__(self, config: Config, loaded: LoadedSheet, lang: str,
                 catalog: Catalog | None) -> None:
        self.loaded = loaded
        self.text = loaded.document.text
        self.lines = self.text.split("\n")
        self.messages: dict[tuple[FieldPath, int], tuple[Message, int]] = {}
        seen: Counter[FieldPath] = Counter()
        for message, line in sheet_messages(loaded):
            self.messages[(message.path, seen[message.path])] = (message, line)
            seen[message.path] += 1
        self.catalog = catalog
        self.po = config.display(catalog_path(config, lang, loaded.sheet.id))

    def at(self, path: FieldPath, index: int = 0, near: str = "") -> Location:
        """The location of the `index`-th inline text at a field path (of `near` in it)."""
        found = self.messages.get((path, index))
        if found and self.catalog is not None:
            entry = self.catalog.get(found[0].text, found[0].context)
            if entry is not None and entry.lineno:
                return Location(self.po, entry.lineno, 1, found[0].context)
        location = self.loaded.document.locate(path)
        if found and path[-1] == "body" and 0 < found[1] <= len(self.lines):
            text = self.lines[found[1] - 1]
            column = len(text) - len(text.lstrip()) + 1
            location = Location(location.path, found[1], column, location.field)
        return self._near(location, near) if near else location

    def _near(self, location: Location, near: str) -> Location:
        """Where the first words of `near` stand, at or just after `location`."""
        first = readability.words(near)[:4]
        start = sum(len(line) + 1 for line in self.lines[:location.line - 1])
        pattern = r"(?<!\w)" + r"\W+".join(re.escape(word) for word in first)
        match = re.compile(pattern).search(self.text, start) if first else None
        if not match or self.text.count("\n", start, match.start()) > NEAR_LINES:
            return location
        line = self.text.count("\n", 0, match.start()) + 1
        column = match.start() - self.text.rfind("\n", 0, match.start())
        return Location(location.path, line, column, location.field)

    def sheet(self) -> Location:
        """Where a warning about the whole edition points: the sheet, or its .po file."""
        if self.catalog is not None:
            return Location(self.po, 1, 1, "")
        return self.loaded.document.locate(())


def small_figure_text(config: Config, src: str) -> list[Problem]:
    """A warning for each SVG version of a figure (the file and its `NAME.LANG.svg`
    translations) whose text would print below 9 pt or show below 9 px on a phone."""
    name = PurePosixPath(src)
    if name.suffix.lower() != ".svg":
        return []
    found = []
    for variant in [src, *(str(name.with_name(f"{name.stem}.{lang}{name.suffix}"))
                           for lang in config.languages)]:
        if variant != src and check_figure_path(config, variant):
            continue
        path = Path(os.path.realpath(config.sheets_dir / variant))
        problem = _small_text(path, config.display(path), config.limits.figure_bytes,
                              path.stat().st_mtime_ns)
        if problem:
            found.append(problem)
    return found


@functools.lru_cache(maxsize=1024)
def _small_text(path: Path, shown: str, limit: int, version: int) -> Problem | None:
    """The small-text warning of one figure file, read once per version."""
    return small_text_problem(read_bounded(path, limit), shown)
