"""Property: with the change history shown, an incremental build equals a fresh build, over
random sequences of edits, each committed or left in the working tree.

The district of test_incremental_property.py (tests/fixtures/mini with a second committee,
丙支部's first quarter published from 11 April) in a git repository: the change log's indexes (changes.html, each committee's
changes/c/<id>/) are units keyed on what they show of each branch — the commits behind
its changes and the quarters it has published — so a build's date that moves past a 公示's
start, or a commit, must re-make them, and an edit of an unpublished quarter need not.
The incremental builds keep a cache folder (changes.html is made from each branch's
count and latest changes kept there, sitegen.render.pieces); the fresh ones have none.
The edits are those the history checks allow: nothing published is changed (so no commit
adds a row to a published quarter here: tests/render/test_incremental_changes.py does).
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import build
from tests.history.gitrepo import Repo
from tests.render.helpers import add_second_committee, tree_digest
from tests.render.test_incremental_property import DAYS, apply
from tests.support import MINI

MEMBERS = st.sampled_from(["[M1]", "[M1, M2]"])
EDITS = st.one_of(
    st.tuples(st.just("q2 members"), MEMBERS),
    st.tuples(st.just("b3 q2 members"), MEMBERS),
    st.tuples(st.just("b1 name"), st.sampled_from(["甲支部", "甲一支部"])),
    st.tuples(st.just("c2 name"), st.sampled_from(["第二工委", "第二街道工委"])),
    st.tuples(st.just("notice"), st.sampled_from(["", "全区通知"])),
    st.tuples(st.just("c1 notice"), st.sampled_from(["", "工委通知"])),
)


def _build(content: Path, out: Path, today: date, cache: Path | None = None):
    result = build(content, out, quiet=True, cache_dir=cache, pdf=False, history=True, today=today)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    return result


@settings(max_examples=8, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(EDITS, DAYS, st.booleans()), min_size=1, max_size=4))
def test_incremental_build_with_history_equals_fresh_build(steps):
    with tempfile.TemporaryDirectory(prefix="sitegen-prop-history-") as tmp:
        root = Path(tmp)
        repo = Repo(root / "repo")
        shutil.copytree(MINI, repo.content)
        add_second_committee(repo.content)
        apply(repo.content, ("b3 publicity start", "2026-04-11"))  # published as of 6月1日, not 4月10日
        repo.commit("全区数据")
        out = root / "out"
        _build(repo.content, out, date(2026, 6, 1), root / "cache")
        for i, (edit, today, commit) in enumerate(steps):
            apply(repo.content, edit)
            if commit:
                repo.commit(f"第 {i} 次修改")
            again = _build(repo.content, out, today, root / "cache")
            fresh = root / f"fresh{i}"
            made = _build(repo.content, fresh, today)
            assert tree_digest(out) == tree_digest(fresh), (i, edit, today, commit)
            assert set(again.rendered_files) <= set(made.rendered_files)
            shutil.rmtree(fresh)
