"""The preview server: served pages, live reload, the error page and the translator view."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from babel.messages.pofile import read_po, write_po

from conftest import CHROMIUM, NODE_MODULES, require_tools, skeleton
from factsheets.config import load_config
from factsheets.preview.http import make_handler
from factsheets.preview.state import Options, Preview
from factsheets.preview.views import render_translator
from htmlscan import Element, parse

DRIVER = Path(__file__).parents[1] / "browser" / "preview.mjs"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BROKEN_KEY = "<em>x</em>: 1\n"
CATALOG = "locales/fr/LC_MESSAGES/sample.po"


def _french(msgid: str, context: str) -> str:
    """A usable stand-in translation: same Markdown, links and slug rules as the source."""
    if context.endswith(("|slug", "/url")):
        return msgid.replace("sample", "echantillon") if context.endswith("slug") else msgid
    return "FR " + msgid


def _catalogued(root: Path, runner) -> Path:
    """Extract and merge the sample's catalog, then translate it: title fuzzy, summary not,
    the warning sign with HTML (not usable)."""
    for command in ("extract", "update"):
        runner("i18n", command, "--project", str(root))
    path = root / CATALOG
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        field = message.context.split("|", 1)[1]
        message.string = "" if field == "summary" else _french(message.id, message.context)
        if field == "title":
            message.flags.add("fuzzy")
        if field == "warning_signs":
            message.string = "<b>FR</b> " + message.id
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)
    return root


@pytest.fixture
def sample(project, runner) -> Path:
    """A project of two sheets, `sample` with a French catalog partly translated, and `other`."""
    root = project({"sheets/sample.yaml": skeleton("sample"),
                    "sheets/other.yaml": skeleton("other")})
    return _catalogued(root, runner)


@dataclass
class Served:
    preview: Preview
    base: str

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urlopen(self.base + path, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")


@pytest.fixture
def served(sample: Path, tmp_path: Path) -> Iterator[Served]:
    """The preview server in this process, on a free port (rebuilds are called by the test)."""
    preview = Preview(load_config(sample), tmp_path / "out", Options(port=0))
    preview.rebuild()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(preview))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Served(preview, f"http://127.0.0.1:{httpd.server_address[1]}/")
    preview.stop()
    httpd.shutdown()
    httpd.server_close()


def _po_line(root: Path, context: str) -> int:
    """The line of an entry's msgid in the catalog, found by reading the file."""
    lines = (root / CATALOG).read_text(encoding="utf-8").splitlines()
    return lines.index(f'msgctxt "{context}"') + 2


def _rows(html: str) -> list[Element]:
    return parse(html).find("table", class_="translation").find("tbody").iter("tr")


def test_translator_view_labels_fuzzy_and_untranslated_rows_and_gives_their_po_line(
        served, sample):
    status, html = served.get("__translate/fr/sample.html")
    assert status == 200
    rows = {row.iter("td")[0].text: row for row in _rows(html)}
    title = rows["Sample"]
    summary = next(row for text, row in rows.items() if text.startswith("Two or three"))
    for row, label, context in ((title, "Fuzzy", "sample|title"),
                                (summary, "Untranslated", "sample|summary")):
        cells = row.iter("td")
        assert row.has_class(f"state-{label.lower()}")
        assert cells[2].find("strong", class_="state").text == label
        assert cells[2].find("code").text == f"{CATALOG}:{_po_line(sample, context)}"
    assert title.iter("td")[1].text == "FR Sample"
    assert summary.iter("td")[1].text == ""
    facts = {dt.text: dd.text for dt, dd in zip(parse(html).find("dl").iter("dt"),
                                                parse(html).find("dl").iter("dd"), strict=True)}
    assert (facts["Fuzzy:"], facts["Untranslated:"], facts["Not usable:"]) == ("1", "1", "1")


def test_translator_view_shows_why_a_translation_is_not_usable(served, sample):
    _, html = served.get("__translate/fr/sample.html")
    row = next(r for r in _rows(html) if r.iter("td")[0].text.startswith("A sign that"))
    cells = row.iter("td")
    assert row.has_class("state-invalid")
    assert cells[1].text.startswith("<b>FR</b>")  # shown as text, never as markup
    assert cells[2].find("strong", class_="state").text == "Not usable"
    assert "HTML" in cells[2].text
    assert cells[2].find("code").text == f"{CATALOG}:{_po_line(sample, 'sample|warning_signs')}"


def test_translator_view_has_one_row_per_catalog_entry_in_reading_order(served, sample):
    _, html = served.get("__translate/fr/sample.html")
    rows = _rows(html)
    with (sample / CATALOG).open("rb") as handle:
        entries = [m for m in read_po(handle) if m.id]
    assert len(rows) == len(entries)
    assert [r.iter("td")[0].text for r in rows[:2]] == ["sample", "Sample"]
    heading = next(r for r in rows if r.iter("td")[0].text == "What it is")
    cells = heading.iter("td")
    assert (cells[0].lang, cells[1].lang) == ("en-CA", "fr-CA")
    assert cells[1].text == "FR What it is"
    assert cells[2].text.startswith("Translated")


def test_served_pages_get_the_bar_and_reload_script_but_built_files_do_not(served):
    status, html = served.get("en/sample.html")
    assert status == 200
    bar = parse(html).find("aside", class_="preview-bar")
    assert bar.find("a").attrs["href"] == "/__translate/fr/sample.html"
    assert "/__reload?since=1" in html
    built = (served.preview.output / "en" / "sample.html").read_text(encoding="utf-8")
    assert "preview-bar" not in built and "__reload" not in built
    scripts = parse(built).iter("script")  # only the breadcrumbs' structured data
    assert [s.attrs.get("type") for s in scripts] == ["application/ld+json"]
    assert "<script" not in (served.preview.output / "index.html").read_text(encoding="utf-8")


def test_a_broken_sheet_shows_its_located_errors_escaped_and_others_stay_served(served, sample):
    sheet = sample / "sheets" / "sample.yaml"
    good = sheet.read_text(encoding="utf-8")
    sheet.write_text(good + BROKEN_KEY, encoding="utf-8")
    served.preview.rebuild()
    status, html = served.get("en/sample.html")
    assert status == 500
    problem = parse(html).find("ul", class_="problems").find("li").text
    line = len(good.splitlines()) + 1
    assert problem.startswith(f"sheets/sample.yaml:{line}:1: <em>x</em>: unknown field")
    assert "<em>x</em>" not in html and "&lt;em&gt;x&lt;/em&gt;" in html
    assert served.get("en/other.html")[0] == 200
    assert served.get("__translate/fr/sample.html")[0] == 500
    sheet.write_text(good, encoding="utf-8")
    served.preview.rebuild()
    status, html = served.get("en/sample.html")
    assert status == 200 and parse(html).find("h1").text == "Sample"


def test_a_missing_page_says_so_in_the_page_language(served):
    status, html = served.get("fr/nothing-here.html")
    assert status == 404
    assert parse(html).find("html").attrs["lang"] == "fr-CA"
    assert parse(html).find("h1").text


def test_reload_events_announce_each_new_build(served):
    with urlopen(served.base + "__reload?since=0", timeout=5) as stream:
        assert stream.readline() == b"event: reload\n"
    with urlopen(served.base + "__reload?since=1", timeout=5) as stream:
        threading.Timer(0.2, served.preview.rebuild).start()
        assert stream.readline() == b"event: reload\n"
        assert stream.readline() == b"data: 2\n"


# The command itself, in a subprocess: the URL it prints, a busy port, Ctrl-C.


def _start(root: Path, port: int = 0, *extra: str) -> tuple[subprocess.Popen[str], str]:
    """Start `factsheets serve`; return the process and the URL it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "factsheets", "serve", "--project", str(root), "--port",
         str(port), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if "http://127.0.0.1:" in line:
            return process, line.split(" at ", 1)[1].split()[0]
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"the server did not start: {process.communicate()}")


def _interrupt(process: subprocess.Popen[str]) -> tuple[str, str]:
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    return out, err


def test_serve_prints_its_url_refuses_a_busy_port_and_stops_cleanly_on_ctrl_c(sample):
    process, url = _start(sample)
    try:
        with urlopen(url + "en/sample.html", timeout=10) as response:
            assert response.status == 200
        port = url.rsplit(":", 1)[1].strip("/")
        busy = subprocess.run([sys.executable, "-m", "factsheets", "serve", "--project",
                               str(sample), "--port", port], capture_output=True, text=True,
                              timeout=30, check=False)
        assert busy.returncode == 1
        assert f"cannot serve on 127.0.0.1:{port}" in busy.stderr
        assert "Traceback" not in busy.stderr
    finally:
        out, err = _interrupt(process)
    assert process.returncode == 0
    assert out.rstrip().endswith("stopped")
    assert "Traceback" not in err


@pytest.mark.browser
def test_editing_breaking_and_fixing_a_sheet_updates_the_open_page(sample, tmp_path):
    require_tools(browser=True)
    sheet = sample / "sheets" / "sample.yaml"
    original = sheet.read_text(encoding="utf-8")
    process, url = _start(sample)
    job = {"nodeModules": str(NODE_MODULES), "chromium": str(CHROMIUM), "base": url,
           "tags": AXE_TAGS, "sheet": str(sheet), "original": original,
           "edited": original.replace("title: Sample", "title: Sample, revised"),
           "broken": original + BROKEN_KEY}
    (tmp_path / "job.json").write_text(json.dumps(job), encoding="utf-8")
    try:
        run = subprocess.run(["node", str(DRIVER), str(tmp_path / "job.json")],
                             capture_output=True, text=True, timeout=60, check=False)
    finally:
        _, err = _interrupt(process)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["titles"] == ["Sample", "Sample, revised", "Sample"]
    assert result["errors"][0].startswith("sheets/sample.yaml:")
    assert "unknown field '<em>x</em>'" in result["errors"][0]
    assert result["axe"] == {f"{page} ({scheme})": [] for scheme in ("light", "dark") for page in
                             ("sheet page with the preview bar", "error page", "translator view",
                              "list of translator views")}
    assert "Traceback" not in err


def test_locations_link_to_the_editor_only_when_configured(sample, tmp_path):
    preview = Preview(load_config(sample), tmp_path / "out",
                      Options(editor_url="vscode://file/{path}:{line}"))
    preview.rebuild()
    html = render_translator(preview.snapshot.config, preview.snapshot.sheets["sample"], "fr", 1,
                             preview.options.editor_url)
    title = next(r for r in _rows(html) if r.iter("td")[0].text == "Sample")
    line = _po_line(sample, "sample|title")
    assert title.find("a").attrs["href"] == f"vscode://file/{sample / CATALOG}:{line}"
    plain = render_translator(preview.snapshot.config, preview.snapshot.sheets["sample"], "fr", 1)
    assert "vscode:" not in plain and "<a href=\"file:" not in plain


@pytest.mark.parametrize("template", ["javascript://x/{path}", "vscode://file/{line}",
                                      "vscode://file/{path}:{col}", "{path}"])
def test_an_unsafe_or_incomplete_editor_url_is_refused(runner, sample, template):
    result = runner("serve", "--project", str(sample), "--editor-url", template)
    assert result.exit_code == 2
    assert "Invalid value for '--editor-url'" in result.output


def test_a_broken_catalog_holds_back_its_sheet_only(served, sample):
    (sample / CATALOG).write_text('msgid "x"\nmsgstr "y\n', encoding="utf-8")
    served.preview.rebuild()
    status, html = served.get("en/sample.html")
    assert status == 500
    assert parse(html).find("ul", class_="problems").find("li").text.startswith(f"{CATALOG}:2:1:")
    assert served.get("en/other.html")[0] == 200
    assert served.get("en/index.html")[0] == 200


def test_a_broken_template_holds_back_every_page_until_fixed(served, sample):
    base = sample / "templates" / "base.html.j2"
    good = base.read_text(encoding="utf-8")
    base.write_text(good.replace("{% endblock %}", "{% endblock", 1), encoding="utf-8")
    served.preview.rebuild()
    for page in ("en/sample.html", "en/other.html", "en/index.html", ""):
        status, html = served.get(page)
        assert status == 500, page
        assert parse(html).find("ul", class_="problems").iter("li"), page
    base.write_text(good, encoding="utf-8")
    served.preview.rebuild()
    assert [served.get(p)[0] for p in ("en/sample.html", "en/index.html", "")] == [200] * 3


def test_a_broken_project_file_shows_on_every_page_and_the_server_carries_on(served, sample):
    (sample / "factsheets.toml").write_text("page_size = 'tabloid'\n", encoding="utf-8")
    served.preview.rebuild()
    status, html = served.get("fr/echantillon.html")
    assert status == 500
    assert "factsheets.toml: page_size: must be one of" in parse(html).find("ul").text
    (sample / "factsheets.toml").unlink()
    served.preview.rebuild()
    assert served.get("fr/echantillon.html")[0] == 200


def test_the_list_of_translator_views_gives_each_sheets_progress(served):
    _, index = served.get("en/index.html")
    link = parse(index).find("aside", class_="preview-bar").find("a").attrs["href"]
    assert link == "/__translate/fr/index.html"
    status, html = served.get(link.lstrip("/"))
    assert status == 200
    rows = {row.find("th").text: row for row in parse(html).find("tbody").iter("tr")}
    assert set(rows) == {"Other", "Sample"}
    sample = rows["Sample"]
    assert sample.find("a").attrs == {"href": "/__translate/fr/sample.html", "lang": "en-CA"}
    assert [td.text for td in sample.iter("td")][1:] == ["1", "1", "1"]
    translated, fuzzy, untranslated, invalid = [td.text for td in rows["Other"].iter("td")]
    assert (translated, fuzzy, invalid) == ("0", "0", "0") and int(untranslated) > 10


def test_requests_naming_another_host_are_refused(served):
    request = Request(served.base + "en/sample.html", headers={"Host": "attacker.example"})
    with pytest.raises(HTTPError) as refused:
        urlopen(request, timeout=10)
    assert refused.value.code == 403
    refused.value.close()
    local = Request(served.base + "en/sample.html",
                    headers={"Host": served.base.split("/")[2].replace("127.0.0.1", "localhost")})
    with urlopen(local, timeout=10) as response:
        assert response.status == 200


def test_a_project_without_the_preview_templates_gets_a_plain_explanation(served, sample):
    shutil.rmtree(sample / "templates" / "preview")
    status, text = served.get("en/sample.html")
    assert status == 500
    assert text.startswith("templates/preview/bar.html.j2: not found")


def test_a_missing_address_gets_the_sites_own_404_page(served):
    for path, lang, title in (("en/no-such-sheet.html", "en-CA", "We couldn’t find that Web page"),
                              ("fr/gone/deep.html", "fr-CA", "We couldn’t find that Web page"),
                              ("en/no-extension", "en-CA", "We couldn’t find that Web page")):
        status, html = served.get(path)
        page = parse(html)
        assert status == 404, path
        assert page.find("html").attrs["lang"] == lang
        assert page.find("h1").text.startswith(title), path
        assert page.find("base").attrs["href"] == f"/{lang[:2]}/"
    status, html = served.get("nowhere/at-all.html")
    assert status == 404
    assert {p.attrs["lang"] for p in parse(html).iter("div", class_="not-found-part")} == {
        "en-CA", "fr-CA"}


def test_serve_shows_a_draft_with_its_banner(served):
    status, html = served.get("en/sample.html")
    assert status == 200
    banner = parse(html).find("main").find("p", class_="notice-draft")
    assert banner.text.startswith("Draft:")
