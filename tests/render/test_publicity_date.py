"""A 公示 shows on the site from its start date (issue 14): the build's date (--today)
decides, and an incremental build the day it starts equals a fresh one."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

from tests.support import ROOT

BRANCH_PAGE = "2026/b/b1/index.html"


def build(content: Path, out: Path, today: str) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sitegen",
            "build",
            str(content),
            "-o",
            str(out),
            "--no-pdf",
            "--no-cache",
            "--no-history",
            "-q",
            "--today",
            today,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr


def same_tree(a: Path, b: Path) -> bool:
    left = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and not p.name.startswith("."))
    right = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file() and not p.name.startswith("."))
    return left == right and all(filecmp.cmp(a / p, b / p, shallow=False) for p in left)


def test_a_publicity_shows_from_its_start_date(mini, tmp_path):
    site = tmp_path / "site"
    build(mini, site, "2026-04-06")  # b1's first quarter: 公示 7–13 April
    page = (site / BRANCH_PAGE).read_text("utf-8")
    assert 'id="q1"' not in page and "E01" not in (site / "2026/b/b1/m/M1.html").read_text("utf-8")
    build(mini, site, "2026-04-07")
    page = (site / BRANCH_PAGE).read_text("utf-8")
    assert 'id="q1"' in page
    fresh = tmp_path / "fresh"
    build(mini, fresh, "2026-04-07")
    assert same_tree(site, fresh)
