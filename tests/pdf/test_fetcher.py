"""The sandboxed URL fetcher: project files in, remote and escaping addresses refused.

The tests that lay a page out through WeasyPrint are `slow`, like every test that renders a PDF.
"""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from weasyprint import HTML

from conftest import PNG
from factsheets.config import Config
from factsheets.errors import FetchError
from factsheets.pdf.fetcher import SandboxFetcher, project_fetcher


@pytest.fixture
def tree(tmp_path: Path) -> Config:
    """A project with a figure, a template and a secret file beside them."""
    root = tmp_path / "project"
    (root / "sheets" / "figures").mkdir(parents=True)
    (root / "templates").mkdir()
    (root / "sheets" / "figures" / "dot.png").write_bytes(PNG)
    (root / "templates" / "print.css").write_text("p { color: black }", encoding="utf-8")
    (root / "secret.png").write_bytes(PNG)
    return Config(root=root)


def render(config: Config, body: str) -> SandboxFetcher:
    """Render a page through the sandbox, as pdf.py does, and return the fetcher."""
    fetcher = project_fetcher(config, config.sheets_dir / "webcams.yaml")
    page = f'<html lang="en"><head><title>t</title></head><body>{body}</body></html>'
    base = (config.sheets_dir / "index.html").as_uri()
    HTML(string=page, base_url=base, url_fetcher=fetcher).write_pdf()
    return fetcher


@pytest.mark.slow
def test_project_figure_is_served(tree: Config) -> None:
    fetcher = render(tree, '<img src="figures/dot.png" alt="dot">')
    assert fetcher.refusals == []


@pytest.mark.slow
def test_remote_url_refused_and_never_requested(
        tree: Config, server: tuple[str, list[str]]) -> None:
    url, hits = server
    fetcher = render(tree, f'<img src="{url}/x.png" alt="x">'
                           f'<link rel="stylesheet" href="{url}/x.css">')
    with pytest.raises(FetchError) as info:
        fetcher.raise_refusals()
    message = str(info.value)
    assert "webcams.yaml" in message
    assert f"{url}/x.png" in message and "never fetched" in message
    assert hits == []


@pytest.mark.slow
def test_parent_escape_refused(tree: Config) -> None:
    fetcher = render(tree, '<img src="../secret.png" alt="secret">')
    assert len(fetcher.refusals) == 1
    assert "outside the folders" in fetcher.refusals[0].message
    assert "secret.png" in fetcher.refusals[0].message


@pytest.mark.slow
def test_file_url_outside_project_refused(tree: Config) -> None:
    fetcher = render(tree, '<img src="file:///etc/hostname" alt="host">')
    assert "outside the folders" in fetcher.refusals[0].message


@pytest.mark.slow
def test_symlink_out_of_the_project_refused(tree: Config) -> None:
    (tree.sheets_dir / "figures" / "link.png").symlink_to(tree.root / "secret.png")
    fetcher = render(tree, '<img src="figures/link.png" alt="link">')
    assert "outside the folders" in fetcher.refusals[0].message


@pytest.mark.slow
def test_sheet_file_itself_is_not_served(tree: Config) -> None:
    (tree.sheets_dir / "webcams.yaml").write_text("id: webcams\n", encoding="utf-8")
    fetcher = render(tree, '<link rel="stylesheet" href="webcams.yaml">')
    assert "outside the folders" in fetcher.refusals[0].message


@pytest.mark.slow
def test_oversized_data_url_refused(tree: Config) -> None:
    big = base64.b64encode(b"\0" * 200_000).decode()
    fetcher = render(tree, f'<img src="data:image/png;base64,{big}" alt="big">')
    assert "data: address longer" in fetcher.refusals[0].message


@pytest.mark.slow
def test_small_data_url_allowed(tree: Config) -> None:
    small = base64.b64encode(PNG).decode()
    fetcher = render(tree, f'<img src="data:image/png;base64,{small}" alt="small">')
    assert fetcher.refusals == []


def test_oversized_file_refused(tree: Config) -> None:
    fetcher = SandboxFetcher([tree.sheets_dir / "figures"], "webcams.yaml", max_bytes=10)
    with pytest.raises(ValueError, match="larger than 10 bytes"):
        fetcher.fetch((tree.sheets_dir / "figures" / "dot.png").as_uri())


@pytest.mark.slow
def test_refusals_are_listed_once_each(tree: Config) -> None:
    fetcher = render(tree, '<img src="../secret.png" alt="a"><img src="../secret.png" alt="b">')
    assert len(fetcher.refusals) == 1
