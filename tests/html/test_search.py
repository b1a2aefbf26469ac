"""Search in Chromium: a real query in each language finds the sheet, the audience filter,
announced results, nothing fetched from elsewhere, a page that says so without JavaScript,
and an index made again only when a page changed."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import CHROMIUM, NODE_MODULES, ROOT, require_tools, skeleton
from factsheets.build.site import build_site
from factsheets.config import load_config

pytestmark = pytest.mark.browser
DRIVER = Path(__file__).parents[1] / "browser" / "search.mjs"


def _only_for(slug: str, audience: str) -> str:
    text = skeleton(slug).replace("status: draft", "status: published")
    text = text.replace("audiences: [parents, educators, youth, law_enforcement]",
                        f"audiences: [{audience}]")
    return text.replace("tips:\n  parents:", f"tips:\n  {audience}:").replace(
        "Talk with your child", "Zorblax. Talk with your child")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sheets and catalogs, plus two sheets for one audience each."""
    root = tmp_path_factory.mktemp("search")
    for name in ("sheets", "templates", "locales"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "factsheets.toml", root / "factsheets.toml")
    (root / "sheets" / "youth-only.yaml").write_text(_only_for("youth-only", "youth"))
    (root / "sheets" / "parents-only.yaml").write_text(
        _only_for("parents-only", "parents"))
    report = build_site(load_config(root), allow_incomplete=True)
    assert not report.failed, report.problems
    return root


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site / "dist"))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def searched(server: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    require_tools(browser=True)
    cases = [{"url": server + "en/search.html", "query": "webcam"},
             {"url": server + "fr/search.html", "query": "webcaméras"},
             {"url": server + "en/search.html", "query": "zorblax"},
             {"url": server + "en/search.html", "query": "zorblax", "audience": "youth"}]
    job = tmp_path_factory.mktemp("search-job") / "job.json"
    job.write_text(json.dumps({"nodeModules": str(NODE_MODULES), "chromium": str(CHROMIUM),
                               "base": server, "cases": cases}), encoding="utf-8")
    run = subprocess.run(["node", str(DRIVER), str(job)], capture_output=True, text=True,
                         timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_a_query_in_each_language_finds_the_sheet_and_leads_to_it(searched, server):
    english, french = searched["cases"][:2]
    assert english["label"] == "Words to search for" and english["live"] == "polite"
    assert english["results"][0] == server + "en/webcams.html"
    assert english["landed"]["url"] == server + "en/webcams.html"
    assert english["status"].endswith("match “webcam”.")
    assert french["results"][0] == server + "fr/webcameras.html"
    assert all(url.startswith(server + "fr/") for url in french["results"])
    assert french["landed"]["h1"] == "Les webcaméras et la vidéo en direct"
    assert all(case["external"] == [] for case in searched["cases"])


def test_the_audience_filter_keeps_only_that_audiences_sheets(searched, server):
    everyone, youth = searched["cases"][2:]
    assert sorted(everyone["results"]) == [server + "en/parents-only.html",
                                           server + "en/youth-only.html"]
    assert youth["results"] == [server + "en/youth-only.html"]
    assert youth["status"] == "1 fact sheet matches “zorblax”."


def test_without_javascript_the_page_says_so_and_links_the_index(searched, server):
    assert searched["nojs"] == {"visible": [server + "en/index.html"], "formShown": False}


def test_the_index_is_made_again_only_when_a_page_changed(site):
    entry = site / "dist" / "pagefind" / "pagefind-entry.json"
    assert entry.is_file() and (site / "dist" / "pagefind" / "pagefind.js").is_file()
    report = build_site(load_config(site), allow_incomplete=True, force=False)
    assert "pagefind/pagefind-entry.json" in report.skipped
    sheet = site / "sheets" / "youth-only.yaml"
    sheet.write_text(sheet.read_text().replace("Zorblax", "Quuxly"), encoding="utf-8")
    report = build_site(load_config(site), allow_incomplete=True)
    assert "pagefind/pagefind-entry.json" in report.written
