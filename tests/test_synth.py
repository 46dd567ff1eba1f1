"""The synthetic district: valid, deterministic, the size asked for, and rich enough to
exercise the rules (exempt and floating members, activists, corrections, appeals)."""

import subprocess
import sys
from datetime import date

import pytest

from sitegen.check import check
from sitegen.model.scored import Role
from tests.support import ROOT
from tools.synth import generate

YEAR = 2026


def tree(root):
    """Every file under `root` as {relative path: bytes}."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    dest = tmp_path_factory.mktemp("synth") / "district"
    stats = generate(dest, branches=12, members=8, seed=3, year=YEAR)
    return dest, stats


def test_small_district_passes_check(small):
    dest, _ = small
    report = check(dest, cache_dir=None)
    assert report.errors == [], "\n".join(p.format() for p in report.errors[:10])


def test_no_warnings_as_of_its_snapshot(small):
    """The district stands on 20 November: items announced, Q1–Q3 published, every
    exemption's reason on file — so a check a few days later has nothing to warn about."""
    dest, _ = small
    report = check(dest, today=date(YEAR, 11, 23), cache_dir=None)
    assert report.problems == [], "\n".join(p.format() for p in report.problems[:10])


def test_requested_counts_are_respected(small):
    dest, stats = small
    district = check(dest, cache_dir=None).loaded.district
    branches = list(district.branches())
    assert len(branches) == stats["branches"] == 12
    assert [len(b.years[YEAR].members) for b in branches] == [8] * 12
    assert stats["members"] == 96
    assert sum(len(b.years[YEAR].entries) for b in branches) == stats["entries"]
    assert {b.category.value for b in branches} == {"机关", "社区", "学校", "两新"}


def test_same_seed_same_bytes_other_seed_other_tree(tmp_path, small):
    dest, _ = small
    again = tmp_path / "again"
    generate(again, branches=12, members=8, seed=3, year=YEAR)
    assert tree(again) == tree(dest)
    other = tmp_path / "other"
    generate(other, branches=12, members=8, seed=4, year=YEAR)
    assert tree(other) != tree(dest)


def test_district_exercises_the_rules(tmp_path):
    dest = tmp_path / "d"
    generate(dest, branches=60, members=20, seed=1, year=YEAR)
    report = check(dest, cache_dir=None)
    assert report.errors == []
    loaded, result = report.loaded, report.years[YEAR]
    roles = [r.role for b in result.branches.values() for r in b.members]
    for role in Role:
        assert role in roles, role
    assert any(r.floating_from.startswith("b") for b in result.branches.values() for r in b.members)
    assert sum(r.vetoed for b in result.branches.values() for r in b.members) >= 1
    entries = [e for by in (b.years[YEAR] for b in loaded.district.branches()) for e in by.entries]
    assert any(e.corrects and e.void for e in entries) and any(e.corrects and not e.void for e in entries)
    assert any(e.points is not None for e in entries)  # ranged items
    appeals = [a for b in result.branches.values() for q in b.quarters for a in q.appeals]
    assert {a.outcome.value for a in appeals} == {"维持", "更正"}
    assert all(b.published_quarters == (1, 2, 3) for b in result.branches.values())
    grades = {r.grade.value for b in result.branches.values() for r in b.members if r.role is Role.SCORED}
    assert grades == {"优秀", "良好", "合格", "不合格"}


def test_tiny_district_is_valid(tmp_path):
    generate(tmp_path / "d", branches=1, members=1, seed=0, year=2027)
    report = check(tmp_path / "d", cache_dir=None)
    assert report.errors == [], "\n".join(p.format() for p in report.errors)


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "sitegen", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_generates_and_refuses_a_non_empty_folder(tmp_path):
    dest = tmp_path / "big"
    # from any folder: the generator lives in the source repository (tools/synth.py), not in the package
    out = run("generate", str(dest), "--branches", "3", "--members", "5", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "3 个支部" in out.stdout and (dest / "site.yaml").is_file()
    before = tree(dest)
    out = run("generate", str(dest), "--branches", "3", "--members", "5")
    assert out.returncode == 2 and "不是空的" in out.stderr
    assert tree(dest) == before
