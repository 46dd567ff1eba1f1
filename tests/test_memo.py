"""`check` with a memo (as `sitegen serve` runs it after every save) must report exactly
what a fresh `check` reports: the same problems and the same scores, after every kind of
edit — and it must actually reuse what did not change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.check import check
from sitegen.load import rescan, scan
from sitegen.memo import Memo
from tests.support import ROOT

BRANCH = "committees/jyw/branches/dyzx"
LEDGER = f"{BRANCH}/2026/ledger/q1.yaml"
ROSTER = f"{BRANCH}/2026/roster.yaml"


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text("utf-8") + text, "utf-8")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


# (what the edit does, the paths a watcher would report as (path, is a folder), the edit)
EDITS = [
    (
        "one more ledger entry for the whole branch",
        [(LEDGER, False)],
        lambda c: _append(c / LEDGER, "  - id: MEMO-1\n    date: 2026-03-30\n    item: B03\n    members: 全体\n"),
    ),
    ("a member renamed", [(ROSTER, False)], lambda c: _replace(c / ROSTER, "name: 黄国华", "name: 黄国强")),
    ("an invalid status", [(ROSTER, False)], lambda c: _replace(c / ROSTER, "status: 正式党员", "status: 正式党")),
    ("the status fixed", [(ROSTER, False)], lambda c: _replace(c / ROSTER, "status: 正式党\n", "status: 正式党员\n")),
    (
        "an entry naming an unknown member",
        [(LEDGER, False)],
        lambda c: _append(c / LEDGER, "  - id: MEMO-2\n    date: 2026-03-30\n    item: B02\n    members: [M9999]\n"),
    ),
    (
        "the unknown member fixed",
        [(LEDGER, False)],
        lambda c: _replace(c / LEDGER, "members: [M9999]", "members: [M0401]"),
    ),
    (
        "the district scheme changed",
        [("scheme/2026.yaml", False)],
        lambda c: _replace(
            c / "scheme/2026.yaml",
            "name: 按月足额交纳党费\n    points: 1\n    cap: 12",
            "name: 按月足额交纳党费\n    points: 1\n    cap: 6",
        ),
    ),
    (
        "a new notice (a new file: scanned again)",
        [("notices/2026-11-20-memo.md", False)],
        lambda c: (c / "notices/2026-11-20-memo.md").write_text(
            "---\ntitle: 测试通知\ndate: 2026-11-20\n---\n正文。\n", "utf-8"
        ),
    ),
    (
        "a whole branch removed (a folder)",
        [("committees/qsjd/branches/kjy", True)],
        lambda c: shutil.rmtree(c / "committees/qsjd/branches/kjy"),
    ),
    (
        "site.yaml changed",
        [("site.yaml", False)],
        lambda c: _replace(c / "site.yaml", "name: 青松区", "name: 青松新区"),
    ),
]


@pytest.fixture(scope="module")
def steps(tmp_path_factory):
    """Run every edit in turn, keeping one memo and one scan as serve does; yield each
    step's (description, memo report, fresh report, memo)."""
    content = tmp_path_factory.mktemp("memo") / "content"
    shutil.copytree(ROOT / "content", content)
    memo = Memo()
    scanned = scan(content)
    check(content, restricted=False, scanned=scanned, memo=memo, cache_dir=False)
    out = []
    for what, changed, edit in EDITS:
        edit(content)
        scanned = rescan(scanned, changed) or scan(content)
        memo.hits = memo.misses = 0
        live = check(content, restricted=False, scanned=scanned, memo=memo, cache_dir=False)
        fresh = check(content, restricted=False, cache_dir=False)
        out.append((what, live, fresh, (memo.hits, memo.misses)))
    return out


@pytest.mark.parametrize("index", range(len(EDITS)), ids=[e[0] for e in EDITS])
def test_same_as_fresh(steps, index):
    what, live, fresh, _ = steps[index]
    assert [p.format() for p in live.problems] == [p.format() for p in fresh.problems]
    assert live.years == fresh.years
    assert live.loaded.content_hash() == fresh.loaded.content_hash()


def test_edits_do_break_and_mend(steps):
    """The sequence is not vacuous: the invalid edits are errors, the fixes clear them."""
    codes = {what: {p.code for p in live.errors} for what, live, _, _ in steps}
    assert codes["an invalid status"] and codes["an entry naming an unknown member"]
    assert not codes["the status fixed"] and not codes["one more ledger entry for the whole branch"]


def test_one_file_reuses_the_rest(steps):
    hits, misses = steps[0][3]
    assert hits > 10 * misses  # one ledger of one branch: everything else comes from the memo


def test_rescan_gives_up_on_new_and_deleted_files(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    first = scan(content)
    assert rescan(first, [(LEDGER, False)]) is not None
    assert rescan(first, [(f"{BRANCH}/2026/ledger/.q1.yaml.swp", False)]) is not None  # a temporary file, gone
    (content / f"{BRANCH}/2026/ledger/q9.yaml").write_text("entries: []\n", "utf-8")
    assert rescan(first, [(f"{BRANCH}/2026/ledger/q9.yaml", False)]) is None  # a new file: scan again
    (content / LEDGER).unlink()
    assert rescan(first, [(LEDGER, False)]) is None
    assert rescan(first, [(BRANCH, True)]) is None
