"""An incremental rebuild must give exactly what a build from scratch gives.

Each change below is made to a copy of the demo district; the output rebuilt in place
(reusing unchanged units and pages) is compared file by file with a fresh build.
"""

from __future__ import annotations

import shutil

import pytest

from tests.render.helpers import build_ok, tree_digest
from tests.support import ROOT

pytestmark = pytest.mark.slow  # three builds of the whole demo district in each test


def edit(path, old, new):
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def rename(folder, old, new):
    """`old` replaced by `new` everywhere in the folder's YAML files."""
    for path in sorted(folder.rglob("*.yaml")):
        text = path.read_text("utf-8")
        if old in text:
            path.write_text(text.replace(old, new), "utf-8")


CHANGES = {
    # a ledger entry's points in one branch: its pages, and ranks across the committee and district
    "ledger": lambda c: edit(
        next(c.glob("committees/qsjd/branches/kjy/2025/ledger/q2.yaml")), "points: 2", "points: 3"
    ),
    # another branch's name shows on pages of branches its floating members move between
    "branch name": lambda c: edit(c / "committees/qsjd/branches/kjy/branch.yaml", "short_name: ", "short_name: 新"),
    "committee name": lambda c: edit(c / "committees/jyw/committee.yaml", "short_name: ", "short_name: 新"),
    "district scheme": lambda c: edit(c / "scheme/2025.yaml", "cap: 24", "cap: 20"),
    # last year's caps change last year's grades, and so the 光荣榜 on this year's branch screens
    "last year's part caps": lambda c: (
        edit(c / "scheme/2025.yaml", "  bonus: 40", "  bonus: 15"),
        edit(c / "scheme/2025.yaml", "  base: 60", "  base: 85"),
    ),  # still 百分制
    # the branch screens show district notices and the previous year's 光荣榜
    "district notice": lambda c: (c / "notices/2026-06-01-extra.md").write_text(
        "---\ntitle: 全区通知\ndate: 2026-06-01\n---\n正文\n", "utf-8"
    ),
    "last year's final grade": lambda c: edit(
        c / "committees/jyw/branches/syxx1/2025/year-end.yaml", "grade: 良好", "grade: 优秀"
    ),
    "branch notice": lambda c: (c / "committees/qsjd/branches/lysq/notices/2026-05-01-extra.md").write_text(
        "---\ntitle: 新通知\ndate: 2026-05-01\n---\n正文\n", "utf-8"
    ),
    # what the district's and committees' pages show of a branch (sitegen.render.run
    # Site._aggregate_part), each found missing once by leaving it out of the part:
    # last year's rankings link each member by id
    "last year's member id": lambda c: rename(c / "committees/qsjd/branches/shzz/2025", "M0907", "M0997"),
    # the dashboards' year-end cell
    "last year's assessment date": lambda c: edit(
        c / "committees/qsjd/branches/shzz/2025/year-end.yaml", "assessed: 2026-01-05", "assessed: 2026-01-04"
    ),
    # the 统计表's date
    "last year's year-end publicity": lambda c: edit(
        c / "committees/qsjd/branches/shzz/2025/year-end.yaml", "  start: 2026-01-05", "  start: 2026-01-06"
    ),
    # the dashboards' 积分项目 column
    "items announced": lambda c: edit(
        c / "committees/qsjd/branches/shzz/2026/scheme.yaml", "announced: 2026-02-12", "announced: 2026-02-13"
    ),
    # the dashboards' quarter cell
    "quarter reported": lambda c: edit(
        c / "committees/qsjd/branches/shzz/2026/quarters/q3.yaml", "reported: 2026-10-22", "reported: 2026-10-23"
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_incremental_equals_fresh(change, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    out = tmp_path / "out"
    first = build_ok(content, out)
    CHANGES[change](content)
    again = build_ok(content, out)
    assert not again.unchanged and again.rendered < first.pages
    fresh = tmp_path / "fresh"
    build_ok(content, fresh)
    assert tree_digest(out) == tree_digest(fresh)


def test_swapped_branch_names_reach_the_branch_their_members_float_between(tmp_path):
    """lysq has one member floating out to kjy and one floating in from jdjg; swapping the
    two other branches' names must change lysq's pages although the set of names is the same."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    lysq = content / "committees/qsjd/branches/lysq/2026/roster.yaml"
    lysq.write_text(
        lysq.read_text("utf-8")
        + (
            "  - id: M0599\n    name: 测试员\n    status: 正式党员\n    floating:\n      direction: 流入\n"
            "      branch: jdjg\n"
        ),
        "utf-8",
    )
    jdjg = content / "committees/qsjd/branches/jdjg/2026/roster.yaml"
    jdjg.write_text(
        jdjg.read_text("utf-8")
        + (
            "  - id: M0599\n    name: 测试员\n    status: 正式党员\n    floating:\n      direction: 流出\n"
            "      branch: lysq\n"
        ),
        "utf-8",
    )
    out = tmp_path / "out"
    build_ok(content, out)
    edit(
        content / "committees/qsjd/branches/kjy/branch.yaml",
        "short_name: 科技园企业联合支部",
        "short_name: 青松街道机关支部",
    )
    edit(
        content / "committees/qsjd/branches/jdjg/branch.yaml",
        "short_name: 青松街道机关支部",
        "short_name: 科技园企业联合支部",
    )
    build_ok(content, out)
    fresh = tmp_path / "fresh"
    build_ok(content, fresh)
    assert tree_digest(out) == tree_digest(fresh)


def test_a_unit_with_a_file_missing_is_rendered_without_touching_the_live_output(tmp_path):
    """One page of a unit deleted from the output by hand: the unit is made again, and the
    files of the live output it shared by hard link are not written through."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    out = tmp_path / "out"
    build_ok(content, out)
    board = out / "screen/b/dyzx.html"  # the unit's last file: the others are linked before it is missed
    member = next((out / "2026/b/dyzx/m").iterdir())
    keep = tmp_path / "kept.html"
    keep.hardlink_to(member)  # another name for the live file
    before = keep.stat().st_mtime_ns, keep.read_bytes()
    board.unlink()
    CHANGES["branch notice"](content)  # something else changes, so the build runs
    build_ok(content, out)
    assert (keep.stat().st_mtime_ns, keep.read_bytes()) == before
    fresh = tmp_path / "fresh"
    build_ok(content, fresh)
    assert tree_digest(out) == tree_digest(fresh)
