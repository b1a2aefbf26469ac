"""A .pot template + a language's old .po -> the merged .po (the `i18n update` stage)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message

from ..config import Config
from ..errors import CatalogError
from .pofile import (
    catalog_path,
    new_catalog,
    read_catalog,
    render,
    set_plural_forms,
    template_path,
    write_if_changed,
)


def update_domain(config: Config, domain: str, source_lang: str) -> list[Path]:
    """Merge `locales/<domain>.pot` into every language's .po but the source's."""
    pot = template_path(config, domain)
    if not os.path.lexists(pot):
        raise CatalogError.at(config.display(pot), "no template to merge from",
                              hint="run `factsheets i18n extract` first")
    template = read_catalog(config, pot)
    return [catalog_path(config, lang, domain) for lang in config.languages
            if lang != source_lang and update_catalog(config, template, lang, domain)]


def update_catalog(config: Config, template: Catalog, lang: str, domain: str) -> bool:
    """Merge a template into one language's catalog, creating it with the right headers."""
    path = catalog_path(config, lang, domain)
    if os.path.lexists(path):
        old = read_catalog(config, path, lang)
    else:
        old = new_catalog(lang, domain, f"{lang} translations of {domain}")
    merged = merge(old, template)
    merged.domain = domain
    set_plural_forms(merged, lang)
    return write_if_changed(path, render(merged, config.location_style), root=config.root)


def merge(old: Catalog, template: Catalog) -> Catalog:
    """`old` updated from `template`, fuzzy-matching only within one message context.

    Babel's `Catalog.update` matches on the msgid alone, so messages that share a msgid in
    different contexts can swap translations (Babel issue 1330); merging one context at
    a time makes that impossible.
    """
    merged = _empty_like(old, template)
    old_groups, new_groups = _by_context(old), _by_context(template)
    for message in _revived(old, template):
        old_groups.setdefault(message.context, []).append(message)
    results: dict[Any, Message] = {}
    for context in dict.fromkeys([*new_groups, *old_groups]):
        part = _part(old, old_groups.get(context, []))
        part.update(_part(template, new_groups.get(context, [])), update_header_comment=False,
                    keep_user_comments=True, update_creation_date=False)
        for message in part:
            if message.id:
                _keep_previous(message, old)
                results[(message.id, message.context)] = message
        for key, message in part.obsolete.items():
            merged.obsolete[key] = message
    for message in template:
        if message.id:
            merged[message.id] = results[(message.id, message.context)]
    return merged


def _empty_like(old: Catalog, template: Catalog) -> Catalog:
    """A catalog with `old`'s headers and obsolete entries and the template's date."""
    merged = Catalog(locale=old.locale, domain=old.domain, header_comment=old.header_comment,
                     fuzzy=old.fuzzy)
    merged.mime_headers = old.mime_headers
    merged.creation_date = template.creation_date
    for key, message in old.obsolete.items():
        if template.get(message.id, message.context) is None:
            merged.obsolete[key] = message
    return merged


def _revived(old: Catalog, template: Catalog) -> list[Message]:
    """Obsolete entries whose source text is back: their translation returns, as fuzzy."""
    found = []
    for message in old.obsolete.values():
        if message.string and template.get(message.id, message.context) is not None \
                and old.get(message.id, message.context) is None:
            revived = message.clone()
            revived.flags.add("fuzzy")
            found.append(revived)
    return found


def _by_context(catalog: Catalog) -> dict[str | None, list[Message]]:
    groups: dict[str | None, list[Message]] = {}
    for message in catalog:
        if message.id:
            groups.setdefault(message.context, []).append(message)
    return groups


def _part(like: Catalog, messages: list[Message]) -> Catalog:
    part = Catalog(locale=like.locale, fuzzy=False)
    for message in messages:
        part[message.id] = message.clone()
    return part


def _keep_previous(message: Message, old: Catalog) -> None:
    """A fuzzy message keeps showing (`#|`) the msgid its translation was made for."""
    if not message.fuzzy:
        return
    source_id = message.previous_id[0] if message.previous_id else message.id
    before = old.get(source_id, message.context)
    if before is not None and before.fuzzy and before.previous_id:
        message.previous_id = before.previous_id
