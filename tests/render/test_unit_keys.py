"""A branch unit whose inputs are unchanged is linked from the last build without its
views being built (issue 17, item 1); one whose inputs changed is looked at again."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path
from unittest import mock

import sitegen.render.run as run
from sitegen.build import build
from tests.render.helpers import tree_digest
from tests.support import MINI

B1 = "committees/c1/branches/b1"


def _looked_at(content: Path, out: Path, cache: Path | None) -> tuple[list[str], object]:
    """Build; the ids of the units whose jobs (views) were made, and the result."""
    seen: list[str] = []
    real = run.html_jobs

    def recording(ctx, district, years, unit):
        seen.append(unit.id)
        return real(ctx, district, years, unit)

    with mock.patch.object(run, "html_jobs", recording):
        result = build(content, out, quiet=True, cache_dir=cache, pdf=False, history=False, today=date(2026, 11, 1))
    assert result.ok, [p.format() for p in result.problems]
    return seen, result


def _set_points(content: Path, value: str) -> None:
    ledger = content / B1 / "2026/ledger/q1.yaml"
    text = re.sub(
        r"(- id: E04\n(?:    .*\n)*?    points: ).*$", rf"\g<1>{value}", ledger.read_text("utf-8"), count=1, flags=re.M
    )
    ledger.write_text(text, "utf-8")


def test_only_the_edited_branch_and_the_site_unit_are_looked_at(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(MINI, content)
    first, made = _looked_at(content, out, tmp_path / "cache")
    branch_units = sorted(u for u in first if u.startswith("branch/"))
    assert len(branch_units) >= 2 and "site" in first
    units = json.loads((out / ".sitegen-manifest.json").read_text("utf-8"))["units"]
    assert all(units[u][0] for u in branch_units), "every branch unit's key is recorded"
    assert units["site"][0] == "", "the site unit has no key: its pages are compared one by one"

    _set_points(content, "1.5")
    again, result = _looked_at(content, out, tmp_path / "cache")
    assert sorted(again) == ["branch/2026/c1/b1", "site"]
    assert result.rendered and any(p.startswith("2026/b/b1/") for p in result.rendered_files)
    assert not any("/b2" in p for p in result.rendered_files), "nothing of the unchanged branch is rendered"
    fresh = tmp_path / "fresh"
    build(content, fresh, quiet=True, cache_dir=None, pdf=False, history=False, today=date(2026, 11, 1))
    assert tree_digest(out) == tree_digest(fresh)

    # nothing changed: the whole build is skipped; a deleted file of a unit makes it looked at again
    (out / "2026/b/b2/index.html").unlink()
    third, _ = _looked_at(content, out, tmp_path / "cache")
    assert "branch/2026/c1/b2" in third and "branch/2026/c1/b1" not in third
    assert tree_digest(out) == tree_digest(fresh)


def test_a_changed_rank_across_branches_changes_the_other_branchs_key(tmp_path):
    """Ranks across branches are in every unit's key: an edit in b1 that moves a b2 member's
    rank in the committee or the district makes b2 looked at again (the same output as a
    fresh build either way: test_incremental_property.py)."""
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    from sitegen.build import prepare, read_inputs

    def keys() -> dict[str, str | None]:
        inputs = read_inputs(content, pdf=False, history=False, today=date(2026, 11, 1))
        prepared = prepare(content, inputs, cache_dir=None, today=date(2026, 11, 1))
        assert not isinstance(prepared, list)
        site = run.Site(prepared)
        return {u.id: site.unit_key(u) for u in site.units()}

    before = keys()
    assert before["site"] is None and all(k for u, k in before.items() if u != "site")
    assert keys() == before, "the same content, the same keys"
    _set_points(content, "1.5")
    after = keys()
    assert after["branch/2026/c1/b1"] != before["branch/2026/c1/b1"]
