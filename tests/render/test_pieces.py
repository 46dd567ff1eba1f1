"""The aggregates' per-branch parts kept between builds (sitegen/render/pieces.py): after an
edit of one branch only that branch's rows of the committees' and the district's 统计表（二）
are made again, the others are taken as kept, and the site equals a build from scratch; a
kept file cut short or of another kind is ignored."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from unittest import mock

import pytest

from sitegen.build import build
from sitegen.render.pieces import Pieces
from tests.render.helpers import add_second_committee, tree_digest
from tests.render.test_incremental_property import apply
from tests.support import MINI

TODAY = date(2026, 11, 1)  # both committees' first and second quarters published: half-year 统计表


def _build(content: Path, out: Path, cache: Path | None) -> list[tuple[str, str]]:
    """Build; the parts made (kind, name) rather than taken as kept."""
    made: list[tuple[str, str]] = []
    real = Pieces.get

    def get(self, name, key, make):
        def recorded():
            made.append((self.kind, name))
            return make()

        return real(self, name, key, recorded)

    with mock.patch.object(Pieces, "get", get):
        result = build(content, out, quiet=True, cache_dir=cache, pdf=False, history=False, today=TODAY)
    assert result.ok, [p.format() for p in result.problems]
    return sorted(made)


def test_only_the_edited_branchs_rows_are_made_again(tmp_path):
    content, out, cache = tmp_path / "content", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(MINI, content)
    add_second_committee(content)
    apply(content, ("q2 publicity", "2026-07-07"))
    apply(content, ("b3 q2 publicity", "2026-07-07"))
    first = _build(content, out, cache)
    assert ("report-rows-district", "2026/h1/b3") in first and ("report-rows-committee", "2026/h1/b1") in first
    assert len(list((cache / "pieces/report-rows-district").glob("*.pickle"))) >= 2  # in shards

    def same_as_fresh() -> None:
        fresh = tmp_path / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        _build(content, fresh, None)
        assert tree_digest(out) == tree_digest(fresh)

    apply(content, ("points", "1.5"))  # 甲支部's first quarter: its half-year rows change
    again = _build(content, out, cache)
    assert again == [
        ("aggregate-parts", "2026/b1"),  # what the aggregates show of it (sitegen.render.run)
        ("report-rows-committee", "2026/h1/b1"),
        ("report-rows-district", "2026/h1/b1"),
        ("search-digests", "b1"),  # the hash of what the search index shows of it (the index's key)
        ("search-entries", "b1"),  # what the search index shows of it: made again, the others' kept
    ]
    same_as_fresh()
    text = (out / "2026/xlsx/district-stats2-h1.xlsx").read_bytes()

    apply(content, ("member name", "赵一帆"))  # and again, something else of the same branch
    assert _build(content, out, cache) == again
    same_as_fresh()
    assert (out / "2026/xlsx/district-stats2-h1.xlsx").read_bytes() != text

    # kept files cut short, or holding another kind's or shard's parts: ignored, their parts made again
    district, committee = cache / "pieces/report-rows-district", cache / "pieces/report-rows-committee"
    shards = sorted(district.glob("*.pickle"))
    for kept in committee.glob("*.pickle"):
        shutil.copyfile(shards[0], kept)
    for kept in shards:
        kept.write_bytes(kept.read_bytes()[:100])
    apply(content, ("b3 points", "1.5"))
    made = [part for part in _build(content, out, cache) if part[0] != "aggregate-parts"]
    # (第一工委's unit is not even looked at: its key is unchanged)
    assert made == [("report-rows-committee", f"2026/h1/{b}") for b in ("b3", "b4")] + [
        ("report-rows-district", f"2026/h1/{b}") for b in ("b1", "b2", "b3", "b4")
    ] + [("search-digests", "b3"), ("search-entries", "b3")]
    same_as_fresh()


@pytest.mark.parametrize("workers", [False, True])
def test_each_shard_is_written_once_a_build_and_the_workers_parts_are_kept(tmp_path, workers):
    """Each unit used to write again every shard it had added a part to, so a full build
    wrote each shard about as often as there are units — a cost growing with the square
    of the district (a tenth of the full build's CPU at 1,000 branches). The main process
    now saves once, at the end, with the parts forked workers made and handed back: the
    next build over the same cache makes none."""
    import sitegen.render.pieces as pieces
    import sitegen.render.run as run

    content, cache = tmp_path / "content", tmp_path / "cache"
    shutil.copytree(MINI, content)
    add_second_committee(content)
    apply(content, ("q2 publicity", "2026-07-07"))
    apply(content, ("b3 q2 publicity", "2026-07-07"))
    written: list[Path] = []
    real = pieces._write_atomically

    def counted(path, data):
        written.append(path)
        return real(path, data)

    with (
        mock.patch.object(pieces, "_write_atomically", counted),
        mock.patch.object(run, "PARALLEL_FROM", 1 if workers else 10**6),
    ):
        result = build(
            content, tmp_path / "out", quiet=True, cache_dir=cache, pdf=False, history=False, today=TODAY, jobs=2
        )
    assert result.ok
    kinds = {path.parent.name for path in written}
    assert {"aggregate-parts", "report-rows-district", "search-entries"} <= kinds
    assert len(written) == len(set(written)), "a shard written twice in one build"
    assert _build(content, tmp_path / "again", cache) == []  # every part kept, the workers' too
