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


def add_second_committee(content: Path) -> None:
    """Give a copy of tests/fixtures/mini a second committee, c2 (第二工委), with two
    branches b3 and b4 copied from c1's b1 and b2 (members N1… for M1…), so that what one
    committee's edit leaves alone can be seen."""
    renames = [
        (r"\bM(\d+)\b", r"N\1"),
        (r"\bb1\b", "b3"),
        (r"\bb2\b", "b4"),
        ("第一", "第二"),
        ("甲", "丙"),
        ("乙", "丁"),
    ]
    sources = [(content / "committees/c1", content / "committees/c2")]
    if (content / "restricted/b1").is_dir():
        sources.append((content / "restricted/b1", content / "restricted/b3"))
    for src, dest in sources:
        for path in sorted(src.rglob("*")):
            if not path.is_file():
                continue
            rel = path.relative_to(src).as_posix()
            for old, new in renames[1:3]:
                rel = re.sub(old, new, rel)
            text = path.read_text("utf-8")
            for old, new in renames:
                text = re.sub(old, new, text)
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, "utf-8")
