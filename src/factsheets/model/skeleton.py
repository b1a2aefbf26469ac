"""Write a new, valid sheet whose comments teach each field (`factsheets new`)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

import yaml

from ..config import Config
from ..errors import SheetError
from ..files import write_atomic
from .schema import RESERVED_SLUG, SLUG, SLUG_CHARS
from .sources import strings

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
# Three to five points for the "At a glance" box of the printed sheet and of every
# audience's one-page handout: write them for all readers. Optional (the summary stands in).
key_points:
  - The first thing every reader should know.
  - The second thing every reader should know.
  - Where to get help.
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


SKELETON_FR = """\
# yaml-language-server: $schema=../schema/factsheet.schema.json
# Une fiche d'information. Lancez `factsheets validate` après chaque modification : la commande
# donne la ligne de chaque erreur. Les noms des champs (id, title, ...) restent en anglais.

id: {slug}                    # identique au nom du fichier, sans .yaml
status: draft                 # draft (ébauche), published (publiée) ou unavailable
language: {language}                  # la langue dans laquelle vous écrivez
title: {title}
subtitle: Une ligne sous le titre   # facultatif
summary: >-
  Deux ou trois phrases simples qui disent de quoi parle la fiche. Elles paraissent
  dans l'index et dans les résultats de recherche.
# Trois à cinq points pour l'encadré « En bref » de la fiche imprimée et de la page à
# distribuer de chaque public : écrivez-les pour tous. Facultatif (le résumé les remplace).
key_points:
  - La première chose que tout lecteur devrait savoir.
  - La deuxième chose que tout lecteur devrait savoir.
  - Où trouver de l'aide.
audiences: [parents, educators, youth, law_enforcement]   # à qui la fiche s'adresse
first_published: {today}
last_reviewed: {today}        # à changer chaque fois que vous vérifiez les faits
keywords: [sécurité en ligne]

# Les sections paraissent dans cet ordre. Chaque id est un nom stable, utilisé dans les liens
# et par les traducteurs : changez le titre librement, mais gardez l'id.
sections:
  - id: ce-que-c-est
    heading: Ce que c'est
    body: |
      Une ligne vide sépare les paragraphes. Utilisez *l'italique*, **le gras** et
      les [liens](https://example.org) (https, mailto: et tel: seulement). Pas de HTML.

      - Une liste commence par « - » ou « 1. ».
      - Marquez les mots d'une autre langue : [sextortion]{{lang=en}}.

# Les conseils, une liste par public : parents, educators, youth, law_enforcement.
tips:
  parents:
    - Parlez avec votre enfant de ce qu'il fait en ligne.

warning_signs:
  - Un signe qu'un enfant pourrait avoir besoin d'aide.

glossary:
  - term: Terme
    definition: Ce que le terme veut dire, en une phrase simple.

# Où trouver de l'aide. Chaque ressource a une adresse web (url) ou un numéro (phone).
contacts:
  - id: urgence
    name: Services d'urgence
    description: Si un enfant est en danger immédiat, composez le 911 ou appelez la police.
    phone: "911"

# Les figures sont des fichiers sous sheets/ (p. ex. sheets/figures/schema.svg). Un fichier
# schema.en.svg placé à côté sert dans la version anglaise.
figures: []
#  - id: schema
#    src: figures/schema.svg
#    alt: Ce que montre l'image, pour les personnes qui ne la voient pas.
#    caption: Une courte légende.
#    after: ce-que-c-est        # l'id de la section qu'elle suit

references:
  - title: Titre de la page ou du rapport
    publisher: Qui l'a publié
    url: https://example.org/source
    accessed: {today}
"""
SKELETONS = {"en": SKELETON, "fr": SKELETON_FR}
"""The skeleton in each language it is written in; another language gets the English one."""


def write_skeleton(config: Config, slug: str, lang: str | None = None) -> Path:
    """Create `sheets/SLUG.yaml` written in `lang` (the source language by default).

    Refuse a bad slug, a language the project does not have, or an existing file.
    """
    lang = lang or config.source_language
    if not re.fullmatch(SLUG, slug) or len(slug) > SLUG_CHARS:
        raise SheetError.at(slug, "not a valid sheet id",
                            hint=f"use at most {SLUG_CHARS} lower-case letters, digits and "
                            "hyphens, e.g. camera-phones")
    if RESERVED_SLUG.fullmatch(slug):
        raise SheetError.at(slug, "this id is reserved: the site's own pages use that name")
    if lang not in config.languages:
        raise SheetError.at("factsheets.toml", f"{lang!r} is not one of the project's languages",
                            field="languages", hint="use " + " or ".join(sorted(config.languages)))
    path = config.sheets_dir / f"{slug}.yaml"
    if path.exists():
        raise SheetError.at(path, "a sheet with this id already exists")
    title = slug.replace("-", " ").capitalize()
    text = SKELETONS.get(lang, SKELETON).format(slug=slug, title=title, language=lang,
                                                today=dt.date.today().isoformat())
    write_atomic(path, text.encode("utf-8"), root=config.root)
    return path


SAMPLE_FIELDS = ("subtitle", "summary", "key_points", "sections", "tips", "warning_signs",
                 "glossary", "references")
"""The skeleton's fields whose text is only an example (its contact, 911, is a real one)."""


@functools.cache
def sample_texts(lang: str) -> frozenset[str]:
    """The example texts `factsheets new` writes in `lang`, whitespace made single."""
    text = SKELETONS.get(lang, SKELETON).format(slug="sample", title="Sample", language=lang,
                                                today="2000-01-01")
    data = yaml.safe_load(text)
    return frozenset(" ".join(value.split()) for name in SAMPLE_FIELDS
                     for path, value in strings(data.get(name), (name,))
                     if path[-1] not in ("id", "heading"))
