"""The Nu HTML checker (vnu, Java) over every page of the demo site and its style sheets:
no error, no warning. One run over the whole output folder (Java is slow to start), on the
demo built with a change history, so the change log's pages are full."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.render.changes_demo import build_with_history, demo_repo
from tests.support import ROOT

pytestmark = pytest.mark.slow  # the whole demo with its history, then vnu over it

VNU = ROOT / "tests/a11y/node_modules/vnu-jar/build/dist/vnu.jar"  # npm ci in tests/a11y (scripts/setup.sh)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    repo = demo_repo(tmp_path_factory.mktemp("vnu") / "repo")
    out = repo.path / "out"
    build_with_history(repo.content, out)
    return out


def vnu(*args: str) -> tuple[int, str]:
    assert VNU.is_file(), "vnu.jar is missing: run scripts/setup.sh (npm ci in tests/a11y)"
    java = shutil.which("java")
    assert java, "Java is missing: run scripts/setup.sh"
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "text", *args], capture_output=True, text=True, timeout=900
    )
    return run.returncode, run.stdout + run.stderr


def test_every_page_and_style_sheet_is_valid(site):
    pages = list(site.rglob("*.html"))
    assert len(pages) > 300 and (site / "changes/b/kjy/4.html").is_file()  # change logs paged, screens, notices…
    code, report = vnu("--skip-non-html", str(site))
    assert code == 0 and "No errors found" in report and "Error:" not in report and "Warning:" not in report, report[
        :3000
    ]
    code, report = vnu("--css", *(str(p) for p in sorted((site / "assets").glob("*.css"))))
    assert code == 0 and "No errors found" in report and "Error:" not in report, report[:3000]


def test_the_checker_finds_errors(tmp_path):
    """The run above can fail: a page with a duplicate id and a stray end tag is reported."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head>'
        '<body><main><p id="a">x</p><p id="a">y</p></div></main></body></html>',
        "utf-8",
    )
    code, report = vnu("--skip-non-html", str(tmp_path))
    assert code != 0 and report.count("Error:") == 2 and "Duplicate ID" in report and "Stray end tag" in report, report
