"""The Markdown subset: blocks, safe inline HTML, language spans and French spacing."""

from __future__ import annotations

import pytest

from factsheets.model.markup import (
    Block,
    MarkupError,
    check_inline,
    links,
    plain_text,
    render_inline,
    split_blocks,
    typography,
)


def test_body_splits_into_paragraphs_lists_and_subheadings():
    body = "First *one*.\n\n### Next\n\n- a\n- b\n\n1. c\n2. d"
    assert split_blocks(body) == (
        Block("p", ("First *one*.",)), Block("h", ("Next",)),
        Block("ul", ("a", "b")), Block("ol", ("c", "d")),
    )


def test_inline_renders_emphasis_links_and_language_spans():
    html = render_inline("Say [sextorsion]{lang=fr}, **now**: [help](https://x.ca)", "en")
    assert html == ('Say <span lang="fr">sextorsion</span>, <strong>now</strong>: '
                    '<a href="https://x.ca">help</a>')


@pytest.mark.parametrize("text", [
    "<img src=x onerror=alert(1)>", "a <script>x</script>", "[x](javascript:alert(1))",
    "[x](http://plain.example)", "[x](data:text/html,hi)", "[x]{lang=\"fr onclick=a\"}",
])
def test_unsafe_inline_is_refused(text):
    with pytest.raises(MarkupError):
        check_inline(text)


def test_rendering_never_emits_a_link_the_checker_would_refuse():
    assert render_inline("[x](javascript:alert(1))", "en") == "[x](javascript:alert(1))"
    assert "&lt;b&gt;" in render_inline("<b>bold</b>", "en")


def test_other_attributes_than_lang_are_dropped():
    assert render_inline("[x]{lang=fr onclick=evil}", "en") == '<span lang="fr">x</span>'


def test_french_spacing_uses_no_break_spaces_and_none_before_question_marks():
    french = typography("Attention : « l'heure » ou non ?", "fr")
    assert french == "Attention\u00a0: «\u00a0l\u2019heure\u00a0» ou non?"
    assert typography("Note: yes ?", "en") == "Note: yes ?"


def test_french_spacing_leaves_link_targets_alone():
    html = render_inline("Voir [le site](https://www.cyberaide.ca/fr) : merci", "fr")
    assert 'href="https://www.cyberaide.ca/fr"' in html
    assert "</a>\u00a0: merci" in html


def test_plain_text_drops_markup():
    assert plain_text("A **bold** [link](https://x.ca)") == "A bold link"


def test_plain_text_keeps_a_space_at_line_breaks():
    assert plain_text("two\nlines and **three\nmore**") == "two lines and three more"


def test_links_give_each_link_text_and_target():
    assert links("[click\n**here**](https://x.ca), [](tel:+1911) and [Kids](mailto:a@b.ca)") == [
        ("click here", "https://x.ca"), ("", "tel:+1911"), ("Kids", "mailto:a@b.ca")]
