"""The theme's compiled templates kept in the cache folder (sitegen.load.cache
_bytecode_cache) are a cache like the others: an entry cut short or scribbled over is
compiled again, never a failed page — found by review: a cut file made every build fail
with E962 (or a traceback, with the theme's findings lost too) until the cache was deleted."""

from __future__ import annotations

import shutil

from sitegen.build import build
from tests.render.helpers import tree_digest
from tests.support import MINI


def _build(content, out, cache):
    result = build(content, out, quiet=True, cache_dir=cache, pdf=False, history=False)
    assert result.ok, [p.format() for p in result.problems]


def test_a_damaged_compiled_template_is_compiled_again(tmp_path):
    content, cache = tmp_path / "content", tmp_path / "cache"
    shutil.copytree(MINI, content)
    _build(content, tmp_path / "first", cache)
    compiled = [p for p in cache.rglob("*") if p.is_file() and p.parent.name == "templates"]
    assert len(compiled) > 3
    for path in compiled:
        path.write_bytes(path.read_bytes()[:40])  # the header whole, the body cut
    _build(content, tmp_path / "second", cache)  # every page rendered: a new output folder
    _build(content, tmp_path / "fresh", None)
    assert tree_digest(tmp_path / "second") == tree_digest(tmp_path / "fresh")
    # and every file of the cache folder cut: the theme's findings are worked out again too
    for path in cache.rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes()[:40])
    _build(content, tmp_path / "third", cache)
    assert tree_digest(tmp_path / "third") == tree_digest(tmp_path / "fresh")
