"""Hostile conditions at the output end: a PDF that never ends, a full or read-only disk,
forged log lines, and what the preview server will not serve."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from conftest import skeleton
from factsheets.config import load_config

PUBLISHED = skeleton().replace("status: draft ", "status: published ")
FIGURE = ("figures:\n  - id: chart\n    src: figures/slow.svg\n    alt: A chart.\n"
          "    after: what-it-is\n")


def factsheets(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "factsheets", *args], capture_output=True,
                          text=True, timeout=timeout)


def slow_svg(levels: int = 5) -> str:
    """10**levels drawn copies: validation's limit raised, WeasyPrint takes minutes."""
    groups = "".join(f'<g id="l{i}">' + "".join(f'<use href="#l{i - 1}" x="{j}"/>'
                                                for j in range(10)) + "</g>"
                     for i in range(1, levels + 1))
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><defs>'
            f'<rect id="l0" width="1" height="1"/>{groups}</defs><use href="#l{levels}"/></svg>')


# --- class 2, last line: each PDF has a wall-clock limit -------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_pdf_over_its_time_limit_is_stopped_and_the_build_goes_on(project, jobs):
    root = project({"sheets/slow.yaml": skeleton("slow").replace("status: draft ",
                                                                 "status: published ")
                    .replace("figures: []\n", FIGURE),
                    "sheets/quick.yaml": skeleton("quick").replace("status: draft ",
                                                                   "status: published "),
                    "sheets/figures/slow.svg": slow_svg(6),
                    "factsheets.toml": "[limits]\nsvg_elements = 10_000_000\npdf_seconds = 8\n"})
    start = time.monotonic()
    result = factsheets("build", "--project", str(root), "--jobs", jobs, "--allow-incomplete")
    assert time.monotonic() - start < 150
    assert result.returncode == 1, result.stderr
    assert ("sheets/slow.yaml: the PDF took longer than 8 s and was stopped (simplify its "
            "figures, or raise limits.pdf_seconds)") in result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "dist" / "en" / "quick.pdf").is_file()
    assert not (root / "dist" / "en" / "slow.pdf").exists()
    assert (root / "dist" / "en" / "slow.html").is_file()


# --- class 7: I/O failures are reported, not raised (D16) ------------------------------------

def in_namespace(script: str) -> subprocess.CompletedProcess[str]:
    """Run a shell script in a private mount namespace (root only), or skip."""
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("needs unshare -m (root)")
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True,
                          text=True, timeout=300)


def build_line(root: Path) -> str:
    return f"{sys.executable} -m factsheets build --no-pdf --project {root}"


@pytest.mark.parametrize("moment", ["before", "existing"])
def test_a_read_only_output_folder_is_one_clear_message(project, moment):
    root = project({"sheets/sample.yaml": PUBLISHED})
    (root / "dist").mkdir()
    if moment == "existing":
        assert factsheets("build", "--no-pdf", "--project", str(root)).returncode == 0
        (root / "sheets" / "sample.yaml").write_text(PUBLISHED.replace("Sample", "Changed"))
    result = in_namespace(f"mount --bind -o ro {root}/dist {root}/dist && "
                          f"mount -o remount,bind,ro {root}/dist && {build_line(root)}")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "dist/.factsheets.lock: cannot take the build lock: Read-only file system" in (
        result.stderr)
    again = factsheets("build", "--no-pdf", "--project", str(root))
    assert again.returncode == 0, again.stderr


def test_a_full_disk_gives_one_message_per_file_and_the_next_build_repairs(project):
    root = project({"sheets/sample.yaml": PUBLISHED})
    (root / "dist").mkdir()
    result = in_namespace(f"mount -t tmpfs -o size=24k tmpfs {root}/dist && "
                          f"{build_line(root)}; echo rc=$?; ls -a {root}/dist")
    assert "rc=1" in result.stdout and "Traceback" not in result.stderr
    full = [line for line in result.stderr.splitlines() if "No space left on device" in line]
    assert full and all(line.startswith("dist/") for line in full)
    assert len(full) == len(set(full))
    assert ".tmp" not in result.stdout
    again = factsheets("build", "--no-pdf", "--project", str(root))
    assert again.returncode == 0, again.stderr
    assert (root / "dist" / "en" / "sample.html").read_text().rstrip().endswith("</html>")


def test_a_stale_file_that_cannot_be_removed_is_removed_by_the_next_build(project):
    root = project({"sheets/sample.yaml": PUBLISHED, "sheets/gone.yaml": skeleton("gone")
                    .replace("status: draft ", "status: published ")})
    assert factsheets("build", "--no-pdf", "--project", str(root)).returncode == 0
    (root / "sheets" / "gone.yaml").unlink()
    result = in_namespace(f"mount --bind -o ro {root}/dist/en {root}/dist/en && "
                          f"mount -o remount,bind,ro {root}/dist/en && {build_line(root)}")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "dist/en/gone.html: cannot remove: Read-only file system" in result.stderr
    assert factsheets("build", "--no-pdf", "--project", str(root)).returncode == 0
    assert not (root / "dist" / "en" / "gone.html").exists()


def test_cleanup_deletes_only_our_temporaries_inside_the_output(project, tmp_path):
    root = project({"sheets/sample.yaml": PUBLISHED})
    (root / "dist").mkdir()
    ours = root / "dist" / ".index.html.1a2b3c4d.tmp"
    ours.write_text("left by a kill")
    notes = [root / "dist" / ".draft-notes.tmp", root / ".editor-swap.tmp",
             tmp_path / ".sibling.tmp"]
    for note in notes:
        note.write_text("keep")
    assert factsheets("build", "--no-pdf", "--project", str(root)).returncode == 0
    assert not ours.exists() and all(note.exists() for note in notes)


# --- class 8: logs cannot be forged (D12) -----------------------------------------------------

def test_a_newline_in_a_file_name_cannot_forge_a_line_of_output(project):
    root = project({"sheets/sample.yaml": PUBLISHED})
    forged = "evil.yaml:1:1: looks fine\nsheets: 1 sheet(s) valid\n\t.yaml"
    (root / "sheets" / forged).write_text("id: [")
    for command in (["validate"], ["build", "--no-pdf"], ["check"]):
        result = factsheets(*command, "--project", str(root))
        assert result.returncode == 1
        lines = (result.stdout + result.stderr).splitlines()
        assert not any(line.startswith(("sheets: 1 sheet", "\t.yaml")) for line in lines)
        assert "evil.yaml:1:1: looks fine\\u000asheets: 1 sheet(s) valid\\u000a\\u0009.yaml" in (
            result.stderr + result.stdout)


# --- class 8: the preview hides internals (D17) ----------------------------------------------

@pytest.fixture
def preview(project, tmp_path):  # type: ignore[no-untyped-def]
    from http.server import ThreadingHTTPServer

    from factsheets.preview.http import make_handler
    from factsheets.preview.state import Options, Preview

    root = project({"sheets/sample.yaml": PUBLISHED})
    state = Preview(load_config(root), tmp_path / "out", Options(port=0))
    state.rebuild()
    (tmp_path / "out" / ".hidden-notes").write_text("secret")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    state.stop()
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("path", ["/.factsheets-manifest.json", "/.factsheets.lock",
                                  "/.hidden-notes", "/%2efactsheets-manifest.json",
                                  "/en/../.factsheets.lock", "/%00", "/en/%00.html"])
def test_the_preview_serves_no_hidden_file_and_no_nul(preview, path):
    with pytest.raises(HTTPError) as caught:
        urlopen(preview + path, timeout=10)
    caught.value.close()
    assert caught.value.code == 404
    with urlopen(preview + "/en/sample.html", timeout=10) as response:
        assert response.status == 200
