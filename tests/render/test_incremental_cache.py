"""Property: an incremental build with the persistent cache folder equals a fresh build
without one, over random sequences of edits and of crashes between writes.

Like test_incremental_property.py (the same edits of tests/fixtures/mini with a second
committee), but every
build keeps its parse cache, remembered results, theme problems and compiled templates
in a cache folder, and the output's manifest keeps each unit's key (a unit whose key is
unchanged is linked unseen). Between edits a step may also break something the way a
crash or a hand would: a build killed after the cache was written but before the output
was swapped in, or after the swap but before the files' state was recorded; a cache
file cut short, or replaced by another entry's bytes. The next build must still equal a
build from scratch, byte for byte.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sitegen.write
from sitegen.build import build
from tests.render.helpers import add_second_committee, tree_digest
from tests.render.test_incremental_property import DAYS, EDITS, apply
from tests.support import MINI

CRASHES = st.sampled_from(["none", "before swap", "before state", "truncate", "swap entries"])


class Crash(Exception):
    """The process dying at that point (nothing after it runs)."""


def _build(content: Path, out: Path, today: date, cache: Path | None):
    result = build(content, out, quiet=True, cache_dir=cache, pdf=False, history=False, today=today)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    return result


def _cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file() and not p.name.startswith(".tmp-"))


def _mtimes(cache: Path) -> dict[Path, int]:
    found = {}
    for p in _cache_files(cache):
        try:
            found[p] = p.stat().st_mtime_ns
        except FileNotFoundError:  # renamed over meanwhile
            pass
    return found


def crash(kind: str, pick: int, content: Path, out: Path, today: date, cache: Path) -> None:
    """Break the cache or the output as `kind` says (`pick` chooses which cache file)."""
    if kind == "before swap":  # killed after every cache write, before the new output is swapped in
        with mock.patch.object(sitegen.write.Output, "_swap", side_effect=Crash), pytest.raises(Crash):
            build(content, out, quiet=True, cache_dir=cache, pdf=False, history=False, today=today)
    elif kind == "before state":  # swapped in, killed before the files' times and inodes were recorded
        real = sitegen.write._write_state
        calls = []

        def dies_second_time(dest, files):
            calls.append(files)
            if len(calls) == 2:
                raise Crash
            real(dest, files)

        with mock.patch.object(sitegen.write, "_write_state", dies_second_time), pytest.raises(Crash):
            build(content, out, quiet=True, cache_dir=cache, pdf=False, history=False, today=today)
    elif kind in ("truncate", "swap entries"):
        files = _cache_files(cache)
        if len(files) < 2:
            return
        victim = files[pick % len(files)]
        if kind == "truncate":
            data = victim.read_bytes()
            victim.write_bytes(data[: len(data) // 2])
        else:  # another entry's bytes under this one's name (a file copied by hand)
            other = files[(pick + 1) % len(files)]
            victim.write_bytes(other.read_bytes())


@settings(max_examples=10, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(EDITS, DAYS, CRASHES, st.integers(0, 10_000)), min_size=1, max_size=4))
def test_incremental_build_with_the_cache_equals_fresh_build(steps):
    with tempfile.TemporaryDirectory(prefix="sitegen-prop-cache-") as tmp:
        root = Path(tmp)
        content, out, cache = root / "content", root / "out", root / "cache"
        shutil.copytree(MINI, content)
        add_second_committee(content)
        _build(content, out, date(2026, 6, 1), cache)
        for i, (edit, today, kind, pick) in enumerate(steps):
            apply(content, edit)
            crash(kind, pick, content, out, today, cache)
            again = _build(content, out, today, cache)
            fresh = root / f"fresh{i}"
            made = _build(content, fresh, today, None)
            assert tree_digest(out) == tree_digest(fresh), (i, edit, today, kind)
            assert set(again.rendered_files) <= set(made.rendered_files)
            shutil.rmtree(fresh)


def test_a_build_killed_midway_leaves_nothing_that_makes_a_wrong_page(tmp_path):
    """A real kill (SIGKILL) of `sitegen build` once it has written part of the cache: the
    next build, after an edit, equals a fresh one."""
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(MINI, content)
    _build(content, out, date(2026, 6, 1), cache)
    apply(content, ("points", "1.5"))
    apply(content, ("b2 name", "乙二支部"))
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    args = [sys.executable, "-m", "sitegen", "build", str(content), "-o", str(out), "-q", "--no-pdf"]
    args += ["--no-history", "--today", "2026-06-01", "--jobs", "1"]
    # the CLI's cache folder is $XDG_CACHE_HOME/sitegen/parsed: point it at ours
    (tmp_path / "xdg" / "sitegen").mkdir(parents=True)
    (tmp_path / "xdg" / "sitegen" / "parsed").symlink_to(cache, target_is_directory=True)
    before = _mtimes(cache)
    child = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # kill it as soon as it has written a new cache entry (or at the latest when it ends)
        while child.poll() is None:
            if any(before.get(p) != t for p, t in _mtimes(cache).items()):
                child.send_signal(signal.SIGKILL)
                break
            try:
                child.wait(timeout=0.02)  # polls the cache folder while the build runs
            except subprocess.TimeoutExpired:
                pass
    finally:
        child.wait()
    apply(content, ("member name", "赵一帆"))
    _build(content, out, date(2026, 6, 1), cache)
    _build(content, tmp_path / "fresh", date(2026, 6, 1), None)
    assert tree_digest(out) == tree_digest(tmp_path / "fresh")
