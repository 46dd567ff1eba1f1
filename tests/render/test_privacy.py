"""Nothing private is ever published: every restricted value is planted as a unique
string, the site is built, and no output file may contain any of them."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml

from sitegen.model.enums import ExemptKind
from tests.render.helpers import build_ok
from tests.support import MINI, ROOT

FREE_TEXT_SKIP = {"member", "date", "start", "kind"}  # ids, dates and vocabularies keep their form


def plant_tokens(root: Path) -> list[str]:
    """Rewrite every free-text value in restricted/ to a unique marker; return the markers."""
    tokens: list[str] = []

    def mark(value, key):
        if isinstance(value, dict):
            return {k: mark(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v, key) for v in value]
        if key in FREE_TEXT_SKIP or not isinstance(value, str):
            return value
        token = f"机密标记{len(tokens):04d}"
        tokens.append(token)
        return token

    for path in sorted((root / "restricted").rglob("*.yaml")):
        data = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)
        path.write_text(yaml.safe_dump(mark(data, ""), allow_unicode=True, sort_keys=False), "utf-8")
    return tokens


def public_notes(root: Path) -> list[str]:
    """The public `note` of every ledger entry (longest first)."""
    notes: set[str] = set()
    for path in root.glob("committees/*/branches/*/*/ledger/*.yaml"):
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        notes.update(str(e["note"]) for e in data.get("entries") or () if e.get("note"))
    return sorted(notes, key=len, reverse=True)


def readable_text(path: Path) -> str:
    """What a reader could see in a file: xlsx files are zips of XML, read every member."""
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return "\n".join(z.read(name).decode("utf-8") for name in z.namelist())
    if path.suffix == ".pdf":
        return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return path.read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    "source, pdf",
    [
        pytest.param(MINI, False, id="mini"),
        pytest.param(MINI, True, id="mini-with-pdfs", marks=pytest.mark.pdf),  # PDFs too where it is quick
        pytest.param(ROOT / "content", False, id="demo", marks=pytest.mark.slow),
    ],
)
def test_no_restricted_value_reaches_the_output(source, pdf, tmp_path):
    if not (source / "restricted").is_dir():
        pytest.fail(f"{source} has no restricted/ records to test with")
    content = tmp_path / "content"
    shutil.copytree(source, content)
    tokens = plant_tokens(content)
    assert len(tokens) >= 6  # every kind of restricted record is present
    out = tmp_path / "output"
    build_ok(content, out, pdf=pdf)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 10
    kinds = [k.value for k in ExemptKind]
    notes = public_notes(content)  # a ledger note is public, and may use the same words
    for path in files:
        text = readable_text(path)
        leaked = [t for t in tokens if t in text]
        assert not leaked, f"{path.relative_to(out)} contains restricted values {leaked}"
        if "/b/" in path.as_posix() or path.name == "search-index.js":
            for note in notes:
                text = text.replace(note, "")
            assert not [k for k in kinds if k in text], f"{path.relative_to(out)} names an exemption reason"
    # the name search's index lists the exempt by name and status only
    index = (out / "search-index.js").read_text("utf-8")
    assert "不纳入积分管理" in index and not [t for t in tokens if t in index]
