"""The CJK fonts the PDFs use, and the promise that no glyph is missing.

Before anything is rendered, every character of the public text is looked up in the
cmaps of the fonts the PDF stylesheet names (one: Noto Sans CJK SC, regular, for
titles and tables alike, so that every PDF embeds one font subset). A character it does
not cover would print as an empty box on the board; the build stops instead, naming the
character and the file:line it came from.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from sitegen.problems import Pos, Problem

FAMILIES = ("Noto Sans CJK SC",)  # the PDF stylesheet's one family (style.css)
SKIP_FIELDS = {"body"}  # notice bodies are shown on the web site, not on the PDFs
# How the fonts are embedded (compact.py): part of the fingerprint, so that PDFs written
# the old way are rendered again, not reused, when this changes.
EMBEDDING = "bare CID-keyed CFF, glyphs drawn only"


@dataclass(frozen=True)
class Fonts:
    files: tuple[tuple[str, int], ...]  # (path, index in the collection)
    codepoints: frozenset[int]  # characters every font has
    fingerprint: str  # changes when a font file changes (part of every PDF's inputs)
    missing: tuple[str, ...] = ()  # families not installed


def _match(family: str) -> tuple[str, int, str] | None:
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}\t%{index}\t%{family}", family], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = out.stdout.split("\t")
    if out.returncode != 0 or len(parts) < 3 or family not in parts[2]:
        return None
    return parts[0], int(parts[1] or 0), parts[2]


@lru_cache(maxsize=4)
def load_fonts(families: tuple[str, ...] = FAMILIES) -> Fonts:
    from fontTools.ttLib import TTCollection, TTFont

    files, sets, missing = [], [], []
    h = hashlib.sha256(EMBEDDING.encode())
    for family in families:
        found = _match(family)
        if found is None:
            missing.append(family)
            continue
        path, index, _ = found
        st = os.stat(path)
        h.update(f"{path}\0{index}\0{st.st_size}\0{int(st.st_mtime)}\n".encode())
        if path.lower().endswith((".ttc", ".otc")):
            font = TTCollection(path, lazy=True).fonts[index]
        else:
            font = TTFont(path, lazy=True)
        sets.append(frozenset(font.getBestCmap()))
        files.append((path, index))
    common = frozenset.intersection(*sets) if sets else frozenset()
    return Fonts(tuple(files), common, h.hexdigest()[:16], tuple(missing))


def missing_glyphs(model, fonts: Fonts) -> list[Problem]:
    """Every character of the model's text that the PDF fonts cannot draw, with where it is."""
    problems: dict[tuple[str, Pos], Problem] = {}
    _walk(model, Pos("site.yaml"), fonts.codepoints, problems, set())
    return list(problems.values())


def _drawable(ch: str, codepoints: frozenset[int]) -> bool:
    return ord(ch) in codepoints or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf")


def _walk(value, pos: Pos, codepoints, problems, seen: set[int]) -> None:
    if isinstance(value, str):
        for ch in value:
            if not _drawable(ch, codepoints):
                key = (ch, pos)
                if key not in problems:
                    problems[key] = Problem(
                        "E951",
                        f"“{value}”中的字符“{ch}”（U+{ord(ch):04X}）在打印用字体里没有字形，印出来会是空框。",
                        pos,
                        "如果是生僻字，请联系管理员安装包含该字的字体并在主题中配置；如果是误输入的符号，请改正。"
                        "在此之前不能生成 PDF（可用 --no-pdf 只生成网站）。",
                    )
        return
    if isinstance(value, (tuple, list)):
        for item in value:
            _walk(item, pos, codepoints, problems, seen)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _walk(key, pos, codepoints, problems, seen)
            _walk(item, pos, codepoints, problems, seen)
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if id(value) in seen:
            return
        seen.add(id(value))
        here = getattr(value, "pos", None)
        if isinstance(here, Pos) and here.file:
            pos = here
        for f in dataclasses.fields(value):
            if f.name in ("pos",) or f.name in SKIP_FIELDS:
                continue
            _walk(getattr(value, f.name), pos, codepoints, problems, seen)
