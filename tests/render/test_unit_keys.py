"""A branch unit whose inputs are unchanged is linked from the last build without its
views being built (issue 17, item 1); one whose inputs changed is looked at again."""

from __future__ import annotations

import json
import os
import re
import shutil
from datetime import date
from pathlib import Path
from unittest import mock

import sitegen.render.run as run
from sitegen.build import build
from tests.render.helpers import add_second_committee, tree_digest
from tests.render.test_incremental_property import apply
from tests.support import MINI

B1 = "committees/c1/branches/b1"


def _looked_at(content: Path, out: Path, cache: Path | None) -> tuple[list[str], object]:
    """Build; the ids of the units whose jobs (views) were made, and the result."""
    seen: list[str] = []
    real = run.html_jobs

    def recording(ctx, district, years, unit, *rest):
        seen.append(unit.id)
        return real(ctx, district, years, unit, *rest)

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


def test_only_the_edited_branch_and_the_aggregates_over_it_are_looked_at(tmp_path):
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(MINI, content)
    first, made = _looked_at(content, out, tmp_path / "cache")
    branch_units = sorted(u for u in first if u.startswith("branch/"))
    assert len(branch_units) >= 2 and "site/district/2026" in first and "site/committee/2026/c1" in first
    units = json.loads((out / ".sitegen-manifest.json").read_text("utf-8"))["units"]
    assert all(units[u][0] for u in first), "every unit's key is recorded"

    _set_points(content, "1.5")
    again, result = _looked_at(content, out, tmp_path / "cache")
    # the branch only: what the aggregates show of it (the quarters' procedure and 公示,
    # the counts, no grade before the year end, no half-year rows before the second
    # quarter's 公示) is unchanged, so its committee's year, the district's year and the
    # archive are not looked at; nor the search index (no name or status changed) nor the
    # change log (no published quarter changed)
    assert sorted(again) == ["branch/2026/c1/b1"]
    assert result.rendered and any(p.startswith("2026/b/b1/") for p in result.rendered_files)
    assert not any("/b2" in p for p in result.rendered_files), "nothing of the unchanged branch is rendered"
    fresh = tmp_path / "fresh"
    build(content, fresh, quiet=True, cache_dir=None, pdf=False, history=False, today=date(2026, 11, 1))
    assert tree_digest(out) == tree_digest(fresh)

    # what they show changes — the second quarter published: the dashboards and the half
    # year's 统计表 — and they are looked at again
    apply(content, ("q2 publicity", "2026-07-07"))
    again, result = _looked_at(content, out, tmp_path / "cache")
    assert sorted(again) == [
        "branch/2026/c1/b1",
        "site/archive",
        "site/changes",  # a quarter newly published
        "site/committee/2026/c1",
        "site/district/2026",
    ]
    assert "2026/xlsx/district-stats2-h1.xlsx" in result.rendered_files
    # and once the half year's rows are shown, a change of a first-quarter entry changes them
    _set_points(content, "2")
    again, result = _looked_at(content, out, tmp_path / "cache")
    assert "site/district/2026" in again and "2026/xlsx/district-stats2-h1.xlsx" in result.rendered_files
    shutil.rmtree(fresh)
    build(content, fresh, quiet=True, cache_dir=None, pdf=False, history=False, today=date(2026, 11, 1))
    assert tree_digest(out) == tree_digest(fresh)

    # nothing changed: the whole build is skipped; a deleted file of a unit makes it looked at again
    (out / "2026/b/b2/index.html").unlink()
    (out / "2026/c/c1/index.html").unlink()
    third, _ = _looked_at(content, out, tmp_path / "cache")
    assert sorted(third) == ["branch/2026/c1/b2", "site/committee/2026/c1"]
    assert tree_digest(out) == tree_digest(fresh)


def test_an_edit_of_one_committees_branch_builds_no_view_of_another_committee(tmp_path):
    """Counted: after one branch's edit, the other committee's page, 统计表 and screen are
    not built (their unit's key is unchanged); before the site level had keys, every
    committee's were built and compared on every edit."""
    content, out = tmp_path / "content", tmp_path / "out"
    shutil.copytree(MINI, content)
    add_second_committee(content)
    import sitegen.render.downloads as downloads
    import sitegen.render.html.site_pages as site_pages
    import sitegen.render.screen.pages as screen_pages

    built: list[tuple[str, str]] = []
    real_view, real_sheets, real_screen = site_pages.committee_view, downloads.xlsx_documents, screen_pages._org_slides

    def view(ctx, district, committee, result, branch_results):
        built.append(("page", committee.id))
        return real_view(ctx, district, committee, result, branch_results)

    def sheets(year, results, committee="", branch=""):
        built.append(("sheets", committee or branch or "district"))  # the 统计表 a scope has
        return real_sheets(year, results, committee=committee, branch=branch)

    def slides(o, current, ids, *args, **kwargs):
        built.append(("screen", ",".join(ids)))
        return real_screen(o, current, ids, *args, **kwargs)

    def counted() -> list[tuple[str, str]]:
        built.clear()
        with (
            mock.patch.object(site_pages, "committee_view", view),
            mock.patch.object(downloads, "xlsx_documents", sheets),
            mock.patch.object(screen_pages, "_org_slides", slides),
        ):
            result = build(
                content,
                out,
                quiet=True,
                cache_dir=tmp_path / "cache",
                pdf=False,
                history=False,
                today=date(2026, 11, 1),
            )
        assert result.ok, [p.format() for p in result.problems]
        return sorted(set(built))

    first = counted()
    assert ("page", "c1") in first and ("page", "c2") in first and ("sheets", "c2") in first
    assert ("screen", "b3,b4") in first
    _set_points(content, "1.5")  # nothing the aggregates show: none of them built
    assert counted() == [("sheets", "b1")]
    apply(content, ("q2 publicity", "2026-07-07"))  # the dashboards, the half year's 统计表
    again = counted()
    assert ("page", "c1") in again and ("sheets", "c1") in again and ("screen", "b1,b2") in again
    assert not [b for b in again if "c2" in b or "b3" in b], again  # nothing of c2's is built
    fresh = tmp_path / "fresh"
    build(content, fresh, quiet=True, cache_dir=None, pdf=False, history=False, today=date(2026, 11, 1))
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
    assert all(before.values()), "every unit has a key"
    assert keys() == before, "the same content, the same keys"
    _set_points(content, "1.5")
    after = keys()
    assert after["branch/2026/c1/b1"] != before["branch/2026/c1/b1"]


def test_an_upgraded_library_changes_every_key(tmp_path):
    """The installed libraries (Jinja2, Markdown, pypinyin, openpyxl, WeasyPrint…) are in
    the build's key and in every unit's and file's: after an upgrade nothing made by the
    old version is reused unseen (found by review: the search index and notice pages kept
    the old library's output)."""
    import sitegen.installed

    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    out, cache = tmp_path / "out", tmp_path / "cache"
    _looked_at(content, out, cache)
    seen, result = _looked_at(content, out, cache)
    assert seen == [] and result.unchanged, "nothing changed: nothing to do"
    real = sitegen.installed.libraries()
    with mock.patch.object(sitegen.installed, "libraries", lambda: real + "+upgraded"):
        seen, result = _looked_at(content, out, cache)
    assert "site/search" in seen and any(u.startswith("branch/") for u in seen)
    # every unit looked at again, every file made again (its key names the libraries)
    assert len(seen) == len(set(seen)) and result.rendered == result.pages > 0


def test_the_libraries_key_is_the_same_from_any_folder(tmp_path):
    """The same installation gives the same key whatever the current folder and
    PYTHONPATH (a build run from another folder must not make every page again)."""
    import subprocess
    import sys

    import sitegen.installed
    from tests.support import ROOT

    there = subprocess.run(
        [sys.executable, "-c", "import sitegen.installed as i; print(i.libraries())"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert there == sitegen.installed.libraries()
    (tmp_path / "other-1.0.dist-info").mkdir()  # a metadata folder in the current folder is not an installation
    again = subprocess.run(
        [sys.executable, "-c", "import sitegen.installed as i; print(i.libraries())"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": f"{ROOT}:{tmp_path}"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert again == there
