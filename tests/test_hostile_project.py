"""Hostile project files and folders: settings, the output folder, special and linked inputs."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from conftest import skeleton
from factsheets.cli import main

PUBLISHED = skeleton().replace("status: draft ", "status: published ")
FIGURE = ("figures:\n  - id: chart\n    src: figures/{}\n    alt: A chart.\n"
          "    after: what-it-is\n")


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def with_figure(name: str) -> str:
    return PUBLISHED.replace("figures: []\n", FIGURE.format(name))


# --- class 5: settings cannot aim outside the project (D13, D14, D15) ------------------------

@pytest.mark.parametrize("output", ["/", "..", ".", "", "sheets", "templates", "locales",
                                    "sheets/out", "../sibling", ".git", "dist/../..",
                                    "factsheets.toml"])
def test_output_must_be_a_folder_of_its_own_inside_the_project(project, tmp_path, output):
    root = project({"sheets/sample.yaml": PUBLISHED,
                    "factsheets.toml": f"output = {output!r}\n".replace("'", '"')})
    decoy = tmp_path / ".editor-swap.tmp"
    decoy.write_text("keep me")
    result = run("build", "--no-pdf", "--project", str(root))
    assert result.exit_code == 2, result.output
    assert "factsheets.toml: output: " in result.output
    assert decoy.exists() and not (tmp_path / "index.html").exists()
    assert not (root / "index.html").exists() and not (root / "sheets" / "en").exists()


def test_an_output_folder_reached_through_a_link_is_refused(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    root = project({"sheets/sample.yaml": PUBLISHED, "factsheets.toml": 'output = "site"\n'})
    (root / "site").symlink_to(elsewhere)
    result = run("build", "--no-pdf", "--project", str(root))
    assert result.exit_code == 2
    assert "output: " in result.output and not list(elsewhere.iterdir())


@pytest.mark.parametrize("output", ["dist", "public/site", "new-folder"])
def test_a_new_or_existing_folder_inside_the_project_is_a_good_output(project, output):
    root = project({"sheets/sample.yaml": PUBLISHED,
                    "factsheets.toml": f'output = "{output}"\n'})
    assert run("build", "--no-pdf", "--project", str(root)).exit_code == 0
    assert (root / output / "en" / "sample.html").is_file()


@pytest.mark.parametrize("setting, message", [
    ('languages = { en = "en-CA", "../../../escape" = "fr-CA" }',
     "languages: '../../../escape' is not a language code"),
    ('languages = { en = "en-CA", "x y" = "fr-CA" }', "languages: 'x y' is not a language code"),
    ('languages = { en = "en-CA", fr = "../fr" }', "languages.fr: '../fr' is not a BCP 47 tag"),
    ('languages = { en = "en-CA", fr = "en-CA" }', "languages.fr: 'en-CA' is not a BCP 47 tag"),
    ('languages = { en = "en CA", fr = "fr-CA" }', "languages.en: 'en CA' is not a BCP 47 tag"),
])
def test_language_codes_and_tags_are_checked(project, setting, message):
    root = project({"sheets/sample.yaml": PUBLISHED, "factsheets.toml": setting + "\n"})
    result = run("build", "--no-pdf", "--project", str(root))
    assert result.exit_code == 2 and f"factsheets.toml: {message}" in result.output
    assert not (root.parent / "escape").exists()


@pytest.mark.parametrize("setting, message", [
    ("output = 5", "output: must be a string, not a number"),
    ('publish_threshold = "x"', "publish_threshold: must be a number, not a string"),
    ("publish_threshold = 150", "publish_threshold: must be a percentage from 0 to 100"),
    ("links = 5", "links: must be a table, not a number"),
    ('languages = "en"', "languages: must be a table, not a string"),
    ("languages = { en = 5 }", "languages.en: must be a string, not a number"),
    ('title = ["a"]', "title: must be a string, not an array"),
    ("page_size = true", "page_size: must be a string, not true/false"),
    ('links = { fr = { "https://a.example" = 5 } }', "links.fr: [links.LANG] maps https://"),
])
def test_a_wrongly_typed_setting_is_a_located_usage_error(project, setting, message):
    root = project({"sheets/sample.yaml": PUBLISHED, "factsheets.toml": setting + "\n"})
    for command in (["validate"], ["build", "--no-pdf"]):
        result = run(*command, "--project", str(root))
        assert result.exit_code == 2, result.output
        assert f"factsheets.toml: {message}" in result.output


# --- class 6: a missing sheets/ is an error, not an empty site (D11) -------------------------

def test_a_missing_sheets_folder_does_not_unpublish_the_site(project):
    root = project({"sheets/sample.yaml": PUBLISHED})
    assert run("build", "--no-pdf", "--project", str(root)).exit_code == 0
    (root / "sheets" / "sample.yaml").rename(root / "sample.yaml")
    (root / "sheets").rmdir()
    result = run("build", "--no-pdf", "--project", str(root))
    assert result.exit_code == 1 and "sheets/: the sheets folder was not found" in result.output
    assert (root / "dist" / "en" / "sample.html").is_file()
    result = run("validate", "--project", str(root))
    assert result.exit_code == 2 and "sheets folder was not found" in result.output


# --- class 2: every input's type and size is checked before it is read (D2) ------------------

@pytest.mark.parametrize("planted", ["sheets/figures/zero.png", "sheets/zero.yaml",
                                     "locales/fr/LC_MESSAGES/sample.po", "locales/sample.pot"])
def test_a_link_to_an_endless_device_is_never_read(project, planted):
    root = project({"sheets/sample.yaml": PUBLISHED})
    (root / planted).parent.mkdir(parents=True, exist_ok=True)
    (root / planted).symlink_to("/dev/zero")
    result = run("build", "--no-pdf", "--project", str(root))  # before: read /dev/zero whole
    assert "Traceback" not in result.output
    if planted.endswith((".yaml", ".po")):
        assert result.exit_code == 1
        assert f"{planted}: " in result.output and "outside the project" in result.output


def test_a_fifo_sheet_is_refused_without_blocking(project):
    root = project({"sheets/sample.yaml": PUBLISHED})
    os.mkfifo(root / "sheets" / "pipe.yaml")
    result = run("validate", "--project", str(root))
    assert result.exit_code == 1
    assert "sheets/pipe.yaml: cannot read: it is a named pipe (FIFO)" in result.output


def test_i18n_stats_reports_a_catalog_linked_to_a_device(project):
    root = project({"sheets/sample.yaml": PUBLISHED})
    (root / "locales/fr/LC_MESSAGES").mkdir(parents=True)
    (root / "locales/fr/LC_MESSAGES/sample.po").symlink_to("/dev/zero")
    assert run("i18n", "extract", "--project", str(root)).exit_code == 0
    result = run("i18n", "stats", "--project", str(root))
    assert result.exit_code == 1
    assert "locales/fr/LC_MESSAGES/sample.po: not read: it is a link to a file outside" in (
        result.output)


# --- class 4: links are located errors, never a traceback (D4, D9) ---------------------------

def test_a_figure_that_is_a_symlink_loop_is_located(project):
    root = project({"sheets/sample.yaml": with_figure("loop.svg")})
    (root / "sheets" / "figures").mkdir()
    (root / "sheets" / "figures" / "loop.svg").symlink_to("loop.svg")
    for command in (["validate"], ["build", "--no-pdf"]):
        result = run(*command, "--project", str(root))
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "figures[0].src: 'figures/loop.svg' is a symbolic link loop" in result.output


def test_a_sheet_that_is_a_symlink_loop_is_located(project):
    root = project({"sheets/sample.yaml": PUBLISHED})
    (root / "sheets" / "loop.yaml").symlink_to("loop.yaml")
    result = run("validate", "--project", str(root))
    assert result.exit_code == 1 and "sheets/loop.yaml: " in result.output


def test_a_linked_figures_folder_is_refused(project, tmp_path):
    outside = tmp_path / "outside-figures"
    outside.mkdir()
    (outside / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" '
                                       'width="10" height="10"/>')
    root = project({"sheets/sample.yaml": with_figure("chart.svg")})
    (root / "sheets" / "figures").symlink_to(outside)
    for command in (["validate"], ["build", "--no-pdf"]):
        result = run(*command, "--project", str(root))
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "sheets/figures/ is a symbolic link" in result.output
    assert not list((root / "dist").rglob("chart.svg"))


def test_validate_names_a_sheet_that_is_a_link_to_a_device(project):
    root = project({"sheets/sample.yaml": PUBLISHED})
    (root / "sheets" / "zero.yaml").symlink_to("/dev/zero")
    result = run("validate", "--project", str(root))
    assert result.exit_code == 1
    assert "sheets/zero.yaml: the sheet is a link to a file outside the project" in result.output


def test_a_fifo_figure_is_refused_without_blocking(project):
    root = project({"sheets/sample.yaml": with_figure("chart.svg")})
    (root / "sheets" / "figures").mkdir()
    os.mkfifo(root / "sheets" / "figures" / "chart.svg")
    result = run("build", "--no-pdf", "--project", str(root))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "'figures/chart.svg' is a named pipe (FIFO), not a figure file" in result.output
