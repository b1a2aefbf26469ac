"""`factsheets check`: each warning a user sees, exactly, and the grades behind them."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from factsheets.config import load_config
from factsheets.model.validate import load_sheet
from factsheets.quality.checks import add_months, check_sheet, url_problem
from factsheets.quality.readability import (
    Counts,
    ease_to_grade,
    flesch_kincaid,
    kandel_moles,
    sentences,
    syllables,
    words,
)

TODAY = dt.date.today().isoformat()
SHEET = """\
id: sample
status: draft
language: en
title: Sample
summary: A short summary.
audiences: [parents]
first_published: 2020-01-06
last_reviewed: {reviewed}
sections:
  - id: intro
    heading: Intro
    body: |
      {body}
{extra}"""
# 7 words and 20 syllables (par-ents should con-sid-er in-stall-ing se-cu-ri-ty soft-ware
# im-me-di-ate-ly); 15 of them and the summary (3 words, 5 syllables) give, by hand,
# 0.39 * 108/16 + 11.8 * 305/108 - 15.59 = 20.37; the paragraph alone 20.85.
HARD = "Parents should consider installing security software immediately. " * 15
# 8 words, 11 syllables: 0.39 * 123/16 + 11.8 * 170/123 - 15.59 = 3.72.
EASY = "We keep the camera in the living room. " * 15
# 12 words, 24 spoken syllables (le rou-teur pro-tège le ré-seau de la mai-son a-vec une
# con-fi-gu-ra-tion sé-cu-ri-taire): Kandel–Moles 207 - 1.015 * 12 - 73.6 * 2 = 47.6,
# between Flesch's bands 50 (grade 12) and 30 (grade 16): grade 12.5.
HARD_FR = "Le routeur protège le réseau de la maison avec une configuration sécuritaire. " * 10
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"
"Language: fr\\n"

"""


def sheet(body: str = EASY, extra: str = "", reviewed: str = TODAY) -> str:
    return SHEET.format(body=body.strip(), extra=extra, reviewed=reviewed)


def po_entry(context: str, source: str, translation: str) -> str:
    return f'msgctxt "sample|{context}"\nmsgid "{source}"\nmsgstr "{translation}"\n\n'


@pytest.fixture
def check(project, runner):
    """Run `factsheets check` on a throwaway project holding one sheet (and its files)."""

    def run(text: str, *args: str, files: dict[str, str] | None = None):
        root = project({"sheets/sample.yaml": text, **(files or {})})
        return runner("check", "--project", str(root), *args)

    return run


def warnings(result) -> list[str]:
    return [line for line in result.output.splitlines() if ": warning: " in line]


# --- reading level -------------------------------------------------------------------------

def test_hard_english_sheet_is_above_grade_8(check):
    result = check(sheet(HARD))
    assert warnings(result) == [
        "sheets/sample.yaml:1:1: warning: reading level is grade 20.4 (Flesch–Kincaid), above "
        "the target of grade 8 (use shorter sentences and shorter words; the hardest passage "
        "is at line 13 (grade 20.9 (Flesch–Kincaid)))"]
    assert result.exit_code == 0


def test_easy_english_sheet_passes_and_shows_its_grade(check):
    result = check(sheet(EASY))
    assert result.output.splitlines() == [
        "sheets/sample.yaml [en]: grade 3.7 (Flesch–Kincaid), 123 words",
        "sheets/sample.yaml [fr]: not rated (under 100 words), 0 words",
        "0 warning(s), 0 error(s); target reading grade 8",
    ]


def test_hard_french_translation_is_reported_at_its_catalog(check):
    po = PO + po_entry("sections/intro/body", EASY.strip(), HARD_FR.strip())
    result = check(sheet(EASY), files={"locales/fr/LC_MESSAGES/sample.po": po})
    assert warnings(result) == [
        "locales/fr/LC_MESSAGES/sample.po:1:1: warning: reading level is grade 12.5 "
        "(Kandel–Moles score 47.6), above the target of grade 8 (use shorter sentences and "
        "shorter words; the hardest passage is at line 8 (grade 12.5 (Kandel–Moles score "
        "47.6)))"]
    assert "sheets/sample.yaml [fr]: grade 12.5 (Kandel–Moles score 47.6), 120 words" in (
        result.output)


def test_target_grade_comes_from_the_project_file(check):
    result = check(sheet(HARD), files={"factsheets.toml": "reading_grade_max = 21\n"})
    assert warnings(result) == []
    assert result.output.endswith("target reading grade 21\n")


def test_flesch_kincaid_and_kandel_moles_follow_their_published_formulas():
    assert flesch_kincaid(Counts(sentences=1, words=6, syllables=6)) == pytest.approx(-1.45)
    assert kandel_moles(Counts(sentences=2, words=20, syllables=30)) == pytest.approx(86.45)


@pytest.mark.parametrize(("score", "grade"), [
    (95, 4.5), (90, 5), (80, 6), (70, 7), (65, 8), (60, 9), (55, 10.5), (50, 12), (40, 14),
    (30, 16), (-10, 17),
])
def test_reading_ease_maps_to_flesch_school_grades(score, grade):
    assert ease_to_grade(score) == pytest.approx(grade)


# Syllables from the CMU Pronouncing Dictionary (English) and as spoken (French).
@pytest.mark.parametrize(("word", "count"), [
    ("the", 1), ("camera", 3), ("images", 3), ("files", 1), ("devices", 3), ("someone", 2),
    ("anyone", 3), ("safely", 2), ("wireless", 2), ("centre", 2), ("language", 2),
    ("royal", 2), ("being", 2), ("replying", 3), ("wanted", 2), ("jumped", 1), ("table", 2),
    ("people", 2), ("video", 3), ("enforcement", 3), ("caregivers", 3), ("serious", 3),
    ("immediately", 5), ("security", 4), ("live-streaming", 3), ("RCMP", 4), ("don't", 1),
])
def test_english_syllables(word, count):
    assert syllables(word, "en") == count


@pytest.mark.parametrize(("word", "count"), [
    ("enfant", 2), ("table", 1), ("beaucoup", 2), ("oui", 1), ("réaliser", 4), ("poésie", 3),
    ("qu'il", 1), ("jusqu'à", 2), ("l'école", 2), ("famille", 2), ("ordinateur", 4),
    ("vidéo", 3), ("année", 2), ("jeunes", 1), ("quelque", 1), ("sécurité", 4),
    ("envoyer", 3), ("téléphone", 3), ("configuration", 5), ("GRC", 3),
])
def test_french_syllables(word, count):
    assert syllables(word, "fr") == count


def test_sentences_do_not_end_at_abbreviations_initials_or_numbers():
    text = ("The U.S. study (e.g. in 2003) found it. Section 172.1 applies! "
            "Visit Cybertip.ca, then call. M. Tremblay l'a dit p. ex. hier")
    assert sentences(text) == [
        "The U.S. study (e.g. in 2003) found it.", "Section 172.1 applies!",
        "Visit Cybertip.ca, then call.", "M. Tremblay l'a dit p. ex. hier"]


def test_words_keep_elisions_hyphens_domains_and_numbers_whole():
    assert words("l'enfant live-streaming 1-866-658-9022 at Cybertip.ca.") == [
        "l'enfant", "live-streaming", "1-866-658-9022", "at", "Cybertip.ca"]


# --- sentence length -----------------------------------------------------------------------

LONG = ("If someone threatens to share images of you online, stop replying, save the messages, "
        "block the person and tell a safe adult that you trust today.")


def test_sentence_over_the_limit_is_reported_at_its_line(check):
    result = check(sheet("Short one.\n\n      " + LONG))
    assert warnings(result) == [
        "sheets/sample.yaml:15:7: warning: sections[0].body: sentence of 26 words, over the "
        "limit of 25: \"If someone threatens to share images of you …\" (split it into "
        "shorter sentences)"]


@pytest.mark.parametrize(("body", "where"), [
    ("Short one. " + LONG.replace(" online, ", " online,\n      "), "13:18"),
    ("Short one.\n      " + LONG, "14:7"),
    ("- Short one.\n      - Two. " + LONG.replace("If", "*If*"), "14:15"),
])
def test_a_long_sentence_inside_a_paragraph_is_found_at_its_own_line(check, body, where):
    assert warnings(check(sheet(body)))[0].startswith(f"sheets/sample.yaml:{where}: warning:")


def test_sentence_at_the_limit_passes(check):
    assert warnings(check(sheet(LONG.replace(" today", "")))) == []


def test_sentence_limit_comes_from_the_project_file(check):
    assert warnings(check(sheet(LONG), files={"factsheets.toml": "sentence_words_max = 26\n"})) \
        == []


def test_a_fallback_string_is_checked_only_in_its_own_language(check):
    po = PO + po_entry("summary", "A short summary.", "Un court résumé.")
    result = check(sheet(LONG), files={"locales/fr/LC_MESSAGES/sample.po": po})
    assert [w.split(": warning:")[0] for w in warnings(result)] == ["sheets/sample.yaml:13:7"]


def test_long_french_sentence_points_at_its_catalog_entry(check):
    long_fr = ("Si une personne menace de publier des images de toi en ligne, arrête de lui "
               "répondre, garde les messages, bloque-la et parles-en à un adulte de confiance.")
    po = PO + po_entry("sections/intro/body", "Short one.", long_fr)
    result = check(sheet("Short one."), files={"locales/fr/LC_MESSAGES/sample.po": po})
    assert warnings(result) == [
        "locales/fr/LC_MESSAGES/sample.po:8:1: warning: sample|sections/intro/body: sentence of "
        "27 words, over the limit of 25: \"Si une personne menace de publier des images …\" "
        "(split it into shorter sentences)"]


# --- link text -----------------------------------------------------------------------------

@pytest.mark.parametrize(("link", "message"), [
    ("[click here](https://www.cybertip.ca)",
     'link text "click here" does not say where the link goes (name the page or the action '
     'instead, e.g. "report to Cybertip.ca")'),
    ("[Read more.](https://www.cybertip.ca)",
     'link text "Read more." does not say where the link goes (name the page or the action '
     'instead, e.g. "report to Cybertip.ca")'),
    ("[https://www.cybertip.ca](https://www.cybertip.ca)",
     'link text "https://www.cybertip.ca" is a bare address (name the page instead; screen '
     'readers spell addresses out)'),
    ("[www.cybertip.ca](https://www.cybertip.ca)",
     'link text "www.cybertip.ca" is a bare address (name the page instead; screen '
     'readers spell addresses out)'),
    ("[](https://www.cybertip.ca)",
     "a link has no text (put words that name the page between the brackets)"),
])
def test_link_text_that_says_nothing_is_reported(check, link, message):
    result = check(sheet(f"Report it {link} today."))
    column = 7 if link.startswith("[]") else 18  # the link's words, or else its paragraph
    assert warnings(result) == [
        f"sheets/sample.yaml:13:{column}: warning: sections[0].body: {message}"]


@pytest.mark.parametrize("link", [
    "[report to Cybertip.ca](https://www.cybertip.ca)", "[Cybertip.ca](https://www.cybertip.ca)",
    "[1-866-658-9022](tel:+18666589022)", "[aide@example.ca](mailto:aide@example.ca)",
])
def test_link_text_that_names_its_page_passes(check, link):
    assert warnings(check(sheet(f"Report it {link} today."))) == []


def test_french_ici_is_vague_link_text(check):
    po = PO + po_entry("sections/intro/body", "See [the page](https://www.cybertip.ca).",
                       "Cliquez [ici](https://www.cybertip.ca).")
    result = check(sheet("See [the page](https://www.cybertip.ca)."),
                   files={"locales/fr/LC_MESSAGES/sample.po": po})
    assert warnings(result) == [
        "locales/fr/LC_MESSAGES/sample.po:8:1: warning: sample|sections/intro/body: link text "
        "\"ici\" does not say where the link goes (name the page or the action instead, e.g. "
        "\"report to Cybertip.ca\")"]


# --- alt text ------------------------------------------------------------------------------

FIGURE = """\
figures:
  - id: diagram
    src: figures/diagram.svg
    alt: {alt}
    caption: How files travel between computers.
    after: intro
"""


@pytest.mark.parametrize(("alt", "message"), [
    ("Photo", 'alt text "Photo" says nothing about the picture'),
    ("An image.", 'alt text "An image." says nothing about the picture'),
    ("diagram.svg", 'alt text "diagram.svg" is a file name'),
    ("How files travel between computers", "alt text repeats the caption"),
])
def test_weak_alt_text_is_reported(check, alt, message):
    result = check(sheet(extra=FIGURE.format(alt=alt)),
                   files={"sheets/figures/diagram.svg": SVG})
    hint = "say what the picture shows: who or what is in it, and what is happening"
    if "caption" in message:
        hint = "screen readers read both: " + hint
    assert warnings(result) == [
        f"sheets/sample.yaml:17:5: warning: figures[0].alt: {message} ({hint})"]


def test_descriptive_alt_text_passes(check):
    alt = "Three laptops joined by arrows, each sending pieces of one file to the others."
    result = check(sheet(extra=FIGURE.format(alt=alt)), files={"sheets/figures/diagram.svg": SVG})
    assert warnings(result) == []


def test_missing_alt_text_is_an_error(check):
    result = check(sheet(extra=FIGURE.replace("    alt: {alt}\n", "")),
                   files={"sheets/figures/diagram.svg": SVG})
    assert result.exit_code == 1
    assert ("sheets/sample.yaml:15:5: figures[0]: alt text is required: describe what the "
            "figure shows (or set decorative: true)") in result.output


# --- review date ---------------------------------------------------------------------------

def test_review_older_than_two_years_is_reported(check):
    result = check(sheet(reviewed="2020-01-06"))
    assert warnings(result) == [
        "sheets/sample.yaml:8:1: warning: last_reviewed: last reviewed on 2020-01-06, more than "
        "24 months ago (check the facts, contacts and references, then update last_reviewed)"]


def test_review_is_due_the_day_after_two_years(project):
    root = project({"sheets/sample.yaml": sheet(reviewed="2024-02-29")})
    config = load_config(root)
    loaded = load_sheet(config, root / "sheets" / "sample.yaml")

    def stale(today: dt.date) -> bool:
        return any("last reviewed" in p.message
                   for r in check_sheet(config, loaded, today) for p in r.problems)

    assert not stale(dt.date(2026, 2, 28))
    assert stale(dt.date(2026, 3, 1))
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


# --- addresses -----------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "reason"), [
    ("https://cybertip", "the host 'cybertip' has no dot"),
    ("https://www.canada..ca/x", "the host 'www.canada..ca' has an empty part or characters "
     "a host cannot hold"),
    ("https://-bad.ca", "the host '-bad.ca' has an empty part or characters a host cannot hold"),
    ("https://cybertip.c0m", "the host 'cybertip.c0m' does not end in a domain such as .ca or "
     ".org"),
    ("https://cybertip.ca:80x/", "it is not a valid address (check the brackets and the port)"),
    ("https://user@cybertip.ca", "it has a user name before the host ('@')"),
    ("https://cyber tip.ca", "it contains a space"),
    ("https://cybertip.ca\\report", "it contains a backslash"),
    ("http://cybertip.ca", "it must start with https://, mailto: or tel:"),
    ("mailto:help", "it is not an e-mail address"),
    ("tel:1 866 658 9022", "it contains a space"),
    ("tel:call-us", "a phone number holds only digits, +, - and ."),
    ("https://www.cybertip.ca/app/en/report?x=1#top", ""),
    ("https://xn--caf-dma.ca", ""), ("https://café.ca", ""), ("mailto:aide@example.ca", ""),
    ("tel:+1-866-658-9022", ""),
])
def test_url_form(url, reason):
    assert url_problem(url) == reason


def test_malformed_contact_reference_and_link_addresses_are_reported(check):
    extra = """\
contacts:
  - id: cybertip
    name: Cybertip.ca
    description: The national tipline.
    url: https://cybertip
references:
  - title: Report
    publisher: C3P
    url: https://www.cybertip..ca/report
"""
    body = "[Write to us](mailto:help) or see [the form](https://cybertip.ca/re port)."
    result = check(sheet(body, extra=extra))
    assert warnings(result) == [
        "sheets/sample.yaml:13:8: warning: sections[0].body: malformed address 'mailto:help': "
        "it is not an e-mail address (check the address)",
        "sheets/sample.yaml:13:7: warning: sections[0].body: a link that Markdown could not "
        "read: '](' is left in the text (write [words](https://address) with no space in the "
        "address)",
        "sheets/sample.yaml:18:5: warning: contacts[0].url: malformed address 'https://cybertip'"
        ": the host 'cybertip' has no dot (check the address)",
        "sheets/sample.yaml:22:5: warning: references[0].url: malformed address "
        "'https://www.cybertip..ca/report': the host 'www.cybertip..ca' has an empty part or "
        "characters a host cannot hold (check the address)",
    ]


# --- the command ---------------------------------------------------------------------------

def test_strict_turns_warnings_into_failure(check):
    assert check(sheet(HARD)).exit_code == 0
    assert check(sheet(HARD), "--strict").exit_code == 1
    assert check(sheet(EASY), "--strict").exit_code == 0


def test_invalid_sheet_fails_without_strict(check):
    result = check(sheet().replace("summary:", "summry:"))
    assert result.exit_code == 1
    assert "sheets/sample.yaml:5:1: summry: unknown field 'summry'" in result.output


def test_json_lists_the_warnings_for_tools(check):
    result = check(sheet(reviewed="2020-01-06"), "--format", "json")
    assert json.loads(result.output) == [{
        "file": "sheets/sample.yaml", "line": 8, "column": 1, "field": "last_reviewed",
        "message": "last reviewed on 2020-01-06, more than 24 months ago",
        "hint": "check the facts, contacts and references, then update last_reviewed",
        "severity": "warning"}]


def test_bad_threshold_in_the_project_file_is_a_usage_error(check):
    result = check(sheet(), files={"factsheets.toml": "sentence_words_max = 2.5\n"})
    assert result.exit_code == 2
    assert result.output.strip().endswith(
        "factsheets.toml: sentence_words_max: must be a whole number above 0")


def test_check_fetches_nothing_and_never_loads_weasyprint(project):
    root = project({"sheets/sample.yaml": sheet(body="See [the page](https://www.cybertip.ca).")})
    script = (
        "import socket, sys\n"
        "def refuse(*args, **kwargs): raise OSError('network access attempted')\n"
        "socket.socket.connect = refuse\n"
        "socket.create_connection = socket.getaddrinfo = refuse\n"
        "from factsheets.cli import main\n"
        "try:\n"
        f"    main(['check', '--strict', '--project', {str(root)!r}])\n"
        "except SystemExit as exit:\n"
        "    print('exit', exit.code, 'weasyprint' in sys.modules)\n")
    env = {**os.environ, "no_proxy": "*"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120)
    assert done.stderr == ""
    assert done.stdout.splitlines()[-1] == "exit 0 False"


def test_the_project_sheets_are_at_or_below_grade_8_in_every_language(runner):
    result = runner("check", "--project", str(ROOT))
    assert result.exit_code == 0, result.output
    assert "reading level is" not in result.output
    rated = [line for line in result.output.splitlines() if "(Flesch–Kincaid)" in line]
    assert len(rated) == len(list((ROOT / "sheets").glob("*.yaml")))


def test_unreadable_catalog_is_an_error_and_the_english_is_still_checked(check):
    po = PO + 'msgctxt "sample|summary"\nmsgid "A short summary."\nmsgstrr "Résumé"\n'
    result = check(sheet(reviewed="2020-01-06"), files={"locales/fr/LC_MESSAGES/sample.po": po})
    assert result.exit_code == 1
    assert ("locales/fr/LC_MESSAGES/sample.po:9:1: malformed catalog: expected a keyword "
            "(msgid, msgstr, msgctxt) and a \"quoted string\", or a \"quoted string\" continuing "
            "one") in result.output.splitlines()
    assert "sheets/sample.yaml:8:1: warning: last_reviewed:" in result.output


def test_translation_that_breaks_a_catalog_rule_is_reported_by_check(check):
    po = PO + po_entry("summary", "A short summary.", "Un <b>court</b> résumé.")
    result = check(sheet(), files={"locales/fr/LC_MESSAGES/sample.po": po})
    assert warnings(result) == [
        "locales/fr/LC_MESSAGES/sample.po:8:1: warning: sample|summary: raw HTML is not allowed; "
        "use Markdown (*emphasis*, **strong**, [text](https://...)) (the source text is used "
        "instead)"]


# --- what `factsheets new` left --------------------------------------------------------------

def test_example_text_left_from_new_is_reported_where_it_is(project, runner):
    """A published sheet once printed "A sign that a child may need help." on its handouts."""
    root = project()
    assert runner("new", "--project", str(root), "demo").exit_code == 0
    path = root / "sheets" / "demo.yaml"
    result = runner("check", "--project", str(root))
    left = [line for line in warnings(result) if "example text of `factsheets new`" in line]
    fields = [line.split(": ")[2] for line in left]
    assert fields == ["subtitle", "summary", "key_points[0]", "key_points[1]", "key_points[2]",
                      "sections[0].body", "tips.parents[0]",
                      "warning_signs[0]", "glossary[0].term", "glossary[0].definition",
                      "references[0].title", "references[0].publisher", "references[0].url"]
    text = path.read_text(encoding="utf-8").replace(
        "A sign that a child may need help.", "Seems upset after being online.")
    path.write_text(text, encoding="utf-8")
    result = runner("check", "--project", str(root))
    assert not [line for line in warnings(result) if "warning_signs[0]" in line]


def test_an_audience_without_tips_is_reported(check):
    result = check(sheet().replace("audiences: [parents]", "audiences: [parents, youth]")
                   + "tips:\n  parents:\n    - Keep the camera in a shared room.\n")
    assert [line for line in warnings(result) if "has no tips" in line] == [
        "sheets/sample.yaml:6:1: warning: audiences: youth has no tips: its one-page handout "
        "will have none (add tips.youth, or take it out of audiences)"]
