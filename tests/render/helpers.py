"""Building real sites into temp folders and reading them back."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from bs4 import BeautifulSoup

from sitegen.build import build


def build_ok(content: Path, output: Path, pdf: bool = False, history: bool = False):
    """Build and insist it worked. PDFs only when asked: they take seconds each. History
    only when asked: the demo lives in this project's own repository (maybe a shallow clone)."""
    result = build(content, output, quiet=True, cache_dir=None, pdf=pdf, history=history)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    return result


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def table_rows(table) -> list[list[str]]:
    return [
        [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])] for tr in table.find("tbody").find_all("tr")
    ]


URL_ATTRS = re.compile(r"^(href|src)$")
