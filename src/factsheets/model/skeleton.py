"""Write a new, valid sheet whose comments teach each field (`factsheets new`)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..config import Config
from ..errors import SheetError
from ..files import write_atomic
from .schema import SLUG

SKELETON = """\
# yaml-language-server: $schema=../schema/factsheet.schema.json
# A fact sheet. Run `factsheets validate` after every change; it names the line of any mistake.

id: {slug}                    # must equal the file name, without .yaml
status: draft                 # draft, published, or unavailable (then add unavailable_reason)
language: {language}                  # the language you write in
title: {title}
subtitle: One line under the title   # optional
summary: >-
  Two or three plain sentences that say what the sheet covers. They show in the
  index and in search results.
audiences: [parents, educators, youth, law_enforcement]   # who the sheet speaks to
first_published: {today}
last_reviewed: {today}        # update whenever you check the facts again
keywords: [online safety]

# Sections appear in this order. Each id is a stable name used in links and by translators:
# change the heading freely, but keep the id.
sections:
  - id: what-it-is
    heading: What it is
    body: |
      Paragraphs are separated by a blank line. Use *emphasis*, **strong** and
      [links](https://example.org) (https, mailto: and tel: only). No HTML.

      - Lists start with "- " or "1. ".
      - Mark words in another language: [sextorsion]{{lang=fr}}.

# Tips, one list per audience: parents, educators, youth, law_enforcement.
tips:
  parents:
    - Talk with your child about what they do online.

warning_signs:
  - A sign that a child may need help.

glossary:
  - term: Term
    definition: What the term means, in one plain sentence.

# Where to get help. Each contact needs a url or a phone number.
contacts:
  - id: emergency
    name: Emergency services
    description: If a child is in immediate danger, call 911 or your local police.
    phone: "911"

# Figures are files under sheets/ (e.g. sheets/figures/diagram.svg). A file named
# diagram.fr.svg beside it is used in the French edition.
figures: []
#  - id: diagram
#    src: figures/diagram.svg
#    alt: What the picture shows, for people who cannot see it.
#    caption: A short caption.
#    after: what-it-is          # the id of the section it follows

references:
  - title: Title of the page or report
    publisher: Who published it
    url: https://example.org/source
    accessed: {today}
"""


def write_skeleton(config: Config, slug: str) -> Path:
    """Create `sheets/SLUG.yaml`; refuse a bad slug or an existing file."""
    if not re.fullmatch(SLUG, slug):
        raise SheetError.at(slug, "not a valid sheet id",
                            hint="use lower-case letters, digits and hyphens, e.g. camera-phones")
    path = config.sheets_dir / f"{slug}.yaml"
    if path.exists():
        raise SheetError.at(path, "a sheet with this id already exists")
    title = slug.replace("-", " ").capitalize()
    text = SKELETON.format(slug=slug, title=title, language=config.source_language,
                           today=dt.date.today().isoformat())
    write_atomic(path, text.encode("utf-8"), root=config.root)
    return path
