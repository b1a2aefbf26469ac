"""Translate: sheets and templates <-> gettext catalogs; a `Sheet` + a `.po` -> an `Edition`."""
