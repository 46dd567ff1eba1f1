"""A unit's files are made from its own part of the district: rendering a branch's unit
never walks the district, and a committee's unit walks only its own branches (issue 17,
growth). A walk per branch or per committee made the full build grow with the square of
the district — the lobby screens' names and 备案 and each branch 统计表's scope were found
by walking every branch, once for every branch (or committee)."""

from __future__ import annotations

import dataclasses
import shutil
from collections import Counter
from datetime import date

import sitegen.render.run as run
from sitegen.build import build
from tests.support import ROOT

WALKS: Counter[tuple[str, str]] = Counter()  # (unit being rendered, what was walked) → times
NOW = [""]  # the unit being rendered


class _Walked(tuple):
    """A tuple that counts the walks over it: the district's committees ("district") or a
    committee's branches (that committee's id)."""

    def __iter__(self):
        WALKS[NOW[0], self.owner] += 1  # type: ignore[attr-defined]
        return super().__iter__()


def _walked(items: tuple, owner: str) -> _Walked:
    out = _Walked(items)
    out.owner = owner  # type: ignore[attr-defined]
    return out


def test_a_unit_walks_only_its_own_part_of_the_district(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content, ignore=shutil.ignore_patterns(".sitegen-cache*"))
    real_init, real_render = run.Site.__init__, run._render_units

    def init(self, prepared):
        real_init(self, prepared)
        d = self.district
        committees = tuple(dataclasses.replace(c, branches=_walked(c.branches, c.id)) for c in d.committees)
        self.district = dataclasses.replace(d, committees=_walked(committees, "district"))
        self.district.short_names()  # the lookups by id, made once a build (not per unit)

    def render(items):
        ((unit, _key),) = items
        NOW[0] = unit.id
        try:
            return real_render(items)
        finally:
            NOW[0] = ""

    monkeypatch.setattr(run.Site, "__init__", init)
    monkeypatch.setattr(run, "_render_units", render)
    WALKS.clear()
    result = build(
        content,
        tmp_path / "out",
        quiet=True,
        cache_dir=None,
        pdf=False,
        history=False,
        jobs=1,
        today=date(2026, 11, 23),
    )
    assert result.ok, [p.format() for p in result.problems]
    units = {unit for unit, _ in WALKS}
    committee_units = {u for u in units if u.startswith("site/committee/")}
    assert len(committee_units) >= 2 and "site/district/2026" in units  # (the district's units walk it all)
    branch_walks = {(u, what): n for (u, what), n in WALKS.items() if u.startswith("branch/")}
    assert branch_walks == {}
    others = {
        (u, what): n
        for (u, what), n in WALKS.items()
        if u in committee_units and what not in ("district", u.rsplit("/", 1)[1])
    }
    assert others == {}, "a committee's unit walked another committee's branches"
    # (and the branch units were rendered: each made its files)
    assert any(p.name == "index.html" for p in (tmp_path / "out").glob("2026/b/*/index.html"))
