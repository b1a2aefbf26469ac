"""pdf/typeset.py: what print HTML keeps whole, and the space it sets apart."""

from __future__ import annotations

import lxml.html

from factsheets.pdf.typeset import typeset


def _typeset(body: str) -> str:
    root = lxml.html.document_fromstring(f"<html><body>{body}</body></html>")
    typeset(root)
    return lxml.html.tostring(root.find("body"), encoding="unicode")


def test_addresses_names_numbers_and_months_are_kept_whole() -> None:
    html = _typeset("<p>Call 1 866 658-9022, write to help@kids.ca or see Cybertip.ca "
                    "and getcybersafe.gc.ca/en/tips from November on, today</p>")
    assert '<span class="nobreak">1 866 658-9022</span>' in html
    for whole in ("help@kids.ca", "Cybertip.ca", "getcybersafe.gc.ca/en/tips", "November"):
        assert f'<span class="nohyphen">{whole}</span>' in html
    assert html.endswith('<span class="nohyphen">today</span></p></body>')


def test_plain_words_and_abbreviations_are_left_alone() -> None:
    html = _typeset("<p>Programs, e.g. file sharing, etc. are everywhere: see p. 3 now.</p>")
    assert html.count("nohyphen") == 1 and '<span class="nohyphen">now.</span>' in html


def test_links_and_headings_are_not_touched() -> None:
    html = _typeset('<h2>See Cybertip.ca</h2><p>Read <a href="x">Cybertip.ca</a> first</p>')
    assert "<h2>See Cybertip.ca</h2>" in html
    assert '<a href="x">Cybertip.ca</a>' in html


def test_the_space_before_an_inline_element_gets_a_span_of_its_own() -> None:
    """The text before <em> no longer ends in a space (WeasyPrint's stray line break)."""
    html = _typeset("<p>It is called a <em>deepfake</em> in English</p>")
    assert 'a<span class="space"> \u200b</span><em>deepfake</em>' in html


def test_short_hyphenated_words_never_break_at_their_hyphen() -> None:
    """"Wi-" / "Fi" split across two lines in every French wireless handout."""
    html = _typeset("<p>Le réseau Wi-Fi du voisin, un peer-to-peer et un e-mail, enfin</p>")
    assert '<span class="nobreak">Wi-Fi</span>' in html
    assert html.count("nobreak") == 1  # peer-to-peer and e-mail may break at a hyphen


def test_a_name_with_a_capital_inside_is_not_hyphenated() -> None:
    """"LégisQué-bec" was hyphenated in the French references."""
    html = _typeset("<p>Site LégisQuébec du gouvernement, puis NeedHelpNow, la GRC et Québec, "
                    "enfin</p>")
    for whole in ("LégisQuébec", "NeedHelpNow"):
        assert f'<span class="nohyphen">{whole}</span>' in html
    assert html.count("nohyphen") == 3  # the two names and the last word, not Québec


def test_a_whole_date_never_breaks() -> None:
    """"(consulté le 2" / "décembre 2026)" split a date across lines in the references."""
    html = _typeset("<p>Consulté le 2 décembre 2026, accessed December 2, 2026, en mai</p>")
    for whole in ("2 décembre 2026", "December 2, 2026"):
        assert f'<span class="nobreak">{whole}</span>' in html
    assert '<span class="nohyphen">mai</span>' in html
