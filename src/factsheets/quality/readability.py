"""Plain text -> sentences, words and syllables -> a reading grade (English and French).

English uses the Flesch–Kincaid grade. French uses the Kandel–Moles (1958) reading ease, the
French adaptation of Flesch's reading ease, turned into a school grade with Flesch's own table
(see `ease_to_grade`). Syllables are counted by rule, with no dictionary, so nothing is ever
downloaded; the rules are tested on word lists in tests/test_checks.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

WORD = re.compile(r"[^\W\d_]+(?:['’.\-][^\W\d_]+)*|\d+(?:[.,:\-/]\d+)*")
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s|$)")
ABBREVIATIONS = frozenset({
    "e.g", "i.e", "mr", "mrs", "ms", "dr", "st", "no", "vs", "approx", "ex", "art", "p. ex",
    "c.-à-d", "mme", "mlle", "env", "sect", "ch", "vol", "p", "pp", "cf", "al",
})
INITIALS = re.compile(r"^(?:[^\W\d_]\.)*[^\W\d_]$")
EN_VOWELS = re.compile(r"[aeiouy]+")
FR_VOWELS = re.compile(r"[aeiouyàâäéèêëîïôöûùüÿœæ]+")
EN_COMPOUND = re.compile(r"^(some|any|every|safe|care|wire|home|life|time|type|where|there|"
                         r"here|house|fire|side|like|base|use|line|face|game|phone|store)(?=...)")
EN_WORDS = {"several": 2, "hour": 2, "hours": 2, "area": 3, "areas": 3, "idea": 3,
            "ideas": 3, "reuse": 2, "username": 3, "usernames": 3, "earlier": 3}
# Final letters that are not a syllable of their own: silent e, and -es, -ed after most letters.
EN_SILENT_END = re.compile(r"(?<=[^aeiouysxzcgh])es$|(?<![dt])(?<![^aeiouy]r)ed$|"
                           r"(?<=[^aeiouy])e(?=(?:ly|ty|ness|ful|less|ments?)?$)")
# (pattern, change): where vowel groups miscount English syllables.
EN_FIXES = (
    (re.compile(r"cia|tia|cio|tio|sio|gio|xio|cious|tious|geous|ciu|iour"), -1),
    (re.compile(r"ia|riet|dien|iu|io|ii|eo(?!u|ple)|(?<![gq])ua(?![auieo])|uo|"
                r"eat(?:e[sd]?|ions?|ing)$"), 1),
    (re.compile(r"[^aeiouy]les?$|[^aeiouyr]res?$|(?<![aeiou])[eoiuy]ing$|^mc|ism$"), 1),
)
# Flesch (1949): reading ease -> school grade, at the edges of his bands (90: grade 5, ...).
EASE_GRADES = ((100.0, 4.0), (90.0, 5.0), (80.0, 6.0), (70.0, 7.0), (60.0, 9.0), (50.0, 12.0),
               (30.0, 16.0), (0.0, 17.0))
FORMULAS = {"en": "Flesch–Kincaid", "fr": "Kandel–Moles"}


@dataclass(frozen=True)
class Counts:
    """Sentences, words and syllables of some text."""

    sentences: int = 0
    words: int = 0
    syllables: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.sentences + other.sentences, self.words + other.words,
                      self.syllables + other.syllables)


@dataclass(frozen=True)
class Grade:
    """A reading grade, the formula that gave it and, for French, the reading-ease score."""

    value: float
    formula: str
    score: float | None = None

    def describe(self) -> str:
        """`grade 9.4 (Flesch–Kincaid)` or `grade 9.4 (Kandel–Moles score 58.1)`."""
        detail = self.formula if self.score is None else f"{self.formula} score {self.score:.1f}"
        return f"grade {self.value:.1f} ({detail})"


def sentences(text: str) -> list[str]:
    """Split plain text into sentences; abbreviations and initials do not end one."""
    found, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _abbreviation(text[start:match.start()]):
            continue
        found.append(text[start:match.end()].strip())
        start = match.end()
    found.append(text[start:].strip())
    return [s for s in found if WORD.search(s)]


def _abbreviation(before: str) -> bool:
    """Whether the word ending `before` (just ahead of a full stop) is an abbreviation."""
    words = before.split()
    if not words:
        return False
    last = words[-1].lstrip("(«\"'“").lower()
    two = " ".join(words[-2:]).lower()
    return last in ABBREVIATIONS or two in ABBREVIATIONS or bool(INITIALS.match(last))


def words(text: str) -> list[str]:
    """The words of plain text; a number counts as one word."""
    return WORD.findall(text)


def syllables(word: str, lang: str) -> int:
    """Count a word's syllables by rule (at least one); hyphenated parts are added up."""
    if word[0].isdigit():
        return 1
    if word.isupper() and len(word) <= 5:
        return sum(c.isalpha() for c in word) + 2 * word.count("W")
    count = _french if lang == "fr" else _english
    return sum(count(part) for part in re.split(r"[-.]", word) if part)


def _english(word: str) -> int:
    """English syllables: vowel groups, less silent endings, with common exceptions fixed."""
    word = re.sub(r"['’]s?$", "", word).replace("’", "'").lower()
    if word in EN_WORDS:
        return EN_WORDS[word]
    compound = EN_COMPOUND.match(word)
    if compound:
        return _english(compound.group()) + _english(word[compound.end():])
    word = re.sub(r"(?<=[aeiou])y(?=[aeiou])", "j", word)
    stem = EN_SILENT_END.sub("", word) if not word.endswith(("ee", "ye")) else word
    count = len(EN_VOWELS.findall(stem.replace("'", "")))
    for pattern, change in EN_FIXES:
        count += change * len(pattern.findall(word))
    return max(1, count)


def _french(word: str) -> int:
    """French syllables as spoken: vowel groups, mute final e silent, qu/gu a consonant."""
    word = re.sub(r"^(?:[ldjmnstc]|qu)['’]", "", word.lower())
    word = re.sub(r"([qg])u(?=[eiéèêy])|(q)u", r"\1\2", word)
    word = re.sub(r"(?<=[aeiou])y(?=[aeiouéè])", "i|i", word)
    word = re.sub(r"(?<=[é])(?=[aeiouàâô])|(?<=[aeiou])(?=é)", "|", word)
    groups = FR_VOWELS.findall(word)
    if len(groups) > 1 and re.search(r"[^aeiouy]es?$", word):
        return len(groups) - 1
    return max(1, len(groups))


def count(text: str, lang: str) -> Counts:
    """Sentences, words and syllables of plain text; text without an end mark is one sentence."""
    found = words(text)
    return Counts(len(sentences(text)), len(found), sum(syllables(w, lang) for w in found))


def flesch_kincaid(counts: Counts) -> float:
    """Flesch–Kincaid grade of English text."""
    return (0.39 * counts.words / counts.sentences + 11.8 * counts.syllables / counts.words
            - 15.59)


def kandel_moles(counts: Counts) -> float:
    """Kandel–Moles reading ease of French text (higher is easier, like Flesch's)."""
    return 207 - 1.015 * counts.words / counts.sentences - 73.6 * counts.syllables / counts.words


def ease_to_grade(score: float) -> float:
    """A reading-ease score as a school grade, linear between Flesch's band edges."""
    for (high, high_grade), (low, low_grade) in zip(EASE_GRADES, EASE_GRADES[1:], strict=False):
        if score >= low:
            return high_grade + (high - score) * (low_grade - high_grade) / (high - low)
    return EASE_GRADES[-1][1]


def grade(counts: Counts, lang: str) -> Grade | None:
    """The reading grade of counted text in `lang`; None for an unsupported language or no text."""
    if not counts.words or not counts.sentences or lang not in FORMULAS:
        return None
    if lang == "en":
        return Grade(round(flesch_kincaid(counts), 1), FORMULAS[lang])
    score = kandel_moles(counts)
    return Grade(round(ease_to_grade(score), 1), FORMULAS[lang], round(score, 1))
