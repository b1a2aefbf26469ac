"""What a PDF is made from, without rendering one: the print HTML and the footer's CSS."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from factsheets.config import load_config
from factsheets.pdf.jobs import counter_content, css_string
from factsheets.pdf.plan import print_html


def test_print_html_makes_links_absolute(project: Callable[..., Path]) -> None:
    config = load_config(project())
    page = ('<html lang="en-CA"><head><link rel="stylesheet" href="../assets/site.css"></head>'
            '<body><a href="../fr/webcameras.html">Français</a><a href="#tips">Tips</a>'
            '<img src="../media/sheets/figures/p2p.svg" alt="x"></body></html>')
    html = print_html(page, "en/webcams.html", config)
    assert 'href="https://example.org/fr/webcameras.html"' in html
    assert 'href="#tips"' in html
    assert f'src="{(config.sheets_dir / "figures" / "p2p.svg").as_uri()}"' in html
    assert "stylesheet" not in html


def test_footer_label_becomes_css_counters() -> None:
    assert counter_content("Page {page} of {pages}") == (
        '"Page " counter(page) " of " counter(pages)')
    assert counter_content("{page}/{pages}") == 'counter(page) "/" counter(pages)'
    assert css_string('Say "hi" \\ now') == '"Say \\"hi\\" \\\\ now"'
