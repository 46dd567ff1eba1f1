"""A commit that touches one branch re-renders that branch's files and the aggregates that
show it, and nothing else: a page names the version of its own data, never the
repository's commit (which only build-info.json and the change log name).

A real git repository in a temp folder holding a copy of the demo district; the build's
own report of the files it rendered is checked, and so are the bytes on disk.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

from sitegen.build import build
from sitegen.render.html.urls import branch_of
from tests.history.gitrepo import Repo
from tests.render.helpers import tree_digest
from tests.support import ROOT

TODAY = date(2026, 10, 20)  # one date for every build: a build's date is one of its inputs
LEDGER = "committees/qsjd/branches/kjy/2026/ledger/q1.yaml"  # a published quarter of 科技园企业联合支部


def _build(content: Path, out: Path):
    result = build(content, out, quiet=True, cache_dir=None, pdf=False, history=False, today=TODAY)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    return result


def _digests(root: Path) -> dict[str, str]:
    return {rel: digest for rel, digest in tree_digest(root).items() if not rel.startswith(".")}


def test_one_branch_committed_rerenders_that_branch_and_its_aggregates(tmp_path):
    repo = Repo(tmp_path / "repo")
    shutil.copytree(ROOT / "content", repo.content)
    repo.commit("全区数据")
    out = tmp_path / "out"
    first = _build(repo.content, out)
    before = _digests(out)

    # one ledger entry of one branch changed, and committed
    ledger = repo.content / LEDGER
    text = ledger.read_text("utf-8")
    assert "    points: 4\n" in text
    ledger.write_text(text.replace("    points: 4\n", "    points: 3\n", 1), "utf-8")
    repo.commit("改正一条积分")
    again = _build(repo.content, out)
    after = _digests(out)

    rendered = set(again.rendered_files)
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    # what changed on disk is exactly what the build says it rendered (a page rendered to the
    # same bytes would be a wasted render: none), plus build-info.json, which names the commit
    assert changed == rendered | {"build-info.json"}, changed ^ (rendered | {"build-info.json"})
    assert 0 < len(rendered) < first.pages / 4, len(rendered)

    # the branch's own pages: its board and the member whose points changed
    assert "2026/b/kjy/index.html" in rendered
    assert any(p.startswith("2026/b/kjy/m/") for p in rendered)
    # nothing of any other branch, nor of the other committee
    for path in rendered:
        found = branch_of(path, 2026)
        assert found is None or found[1] == "kjy", path
        assert not path.startswith(("2026/c/jyw/", "2025/")) and path != "screen/c/jyw.html", path
    # the aggregates that show the branch may change; the change log names the commit
    assert "changes.html" in rendered
    assert rendered <= {p for p in rendered if p.startswith(("2026/b/kjy/", "2026/xlsx/b/kjy-", "screen/b/kjy"))} | {
        "index.html",
        "2026/index.html",
        "2026/c/qsjd/index.html",
        "changes.html",
        "screen/index.html",
        "screen/c/qsjd.html",
        "2026/xlsx/district-stats1-h1.xlsx",
        "2026/xlsx/district-stats2-h1.xlsx",
        "2026/xlsx/c/qsjd-stats1-h1.xlsx",
        "2026/xlsx/c/qsjd-stats2-h1.xlsx",
    }, rendered

    # no public page names the repository's commit, save the change log
    head = repo.git("rev-parse", "HEAD")
    for page in out.rglob("*.html"):
        if page.name != "changes.html":
            assert head[:7] not in page.read_text("utf-8"), page

    # the same as a build from scratch
    fresh = tmp_path / "fresh"
    _build(repo.content, fresh)
    assert _digests(out) == _digests(fresh)


def test_committing_an_edit_already_built_rerenders_only_the_change_log(tmp_path):
    """An edit built in a dirty tree, then committed: no page changes but the change log,
    which says up to which commit it goes (before: every page's footer changed)."""
    repo = Repo(tmp_path / "repo")
    shutil.copytree(ROOT / "content", repo.content)
    repo.commit("全区数据")
    out = tmp_path / "out"
    _build(repo.content, out)
    ledger = repo.content / LEDGER
    ledger.write_text(ledger.read_text("utf-8").replace("    points: 4\n", "    points: 3\n", 1), "utf-8")
    dirty = _build(repo.content, out)
    assert "2026/b/kjy/index.html" in dirty.rendered_files
    before = (out / "2026/b/kjy/index.html").read_bytes()
    repo.commit("改正一条积分")
    committed = _build(repo.content, out)
    assert not committed.unchanged and committed.rendered_files == ["changes.html"]
    assert (out / "2026/b/kjy/index.html").read_bytes() == before
    assert repo.git("rev-parse", "HEAD") in (out / "build-info.json").read_text("utf-8")
    assert hashlib.sha256(before).hexdigest() == tree_digest(out)["2026/b/kjy/index.html"]


def test_a_commit_reads_the_changes_of_the_committed_branch_only(tmp_path, monkeypatch):
    """After a commit touching one branch, the change log's index and its committee's
    change index are looked at again (the branch's commits moved), and both take every
    other branch's count and newest changes from the kept parts (`pieces/changes-heads/`):
    the history is asked for the committed branch's changes only; the site equals a
    fresh build's."""
    from sitegen.history.model import History

    repo = Repo(tmp_path / "repo")
    shutil.copytree(ROOT / "content", repo.content)
    repo.commit("全区数据")
    out, cache = tmp_path / "out", tmp_path / "cache"

    def build_with_history(target: Path, cache_dir: Path | None):
        result = build(repo.content, target, quiet=True, cache_dir=cache_dir, pdf=False, history=True, today=TODAY)
        assert result.ok, "\n".join(p.format() for p in result.problems)
        return result

    build_with_history(out, cache)
    ledger = repo.content / "committees/qsjd/branches/kjy/2026/ledger/q4.yaml"  # not yet published
    with open(ledger, "a", encoding="utf-8") as f:
        f.write("  - id: 2026-GIT1\n    date: 2026-10-15\n    item: A10\n    members: [M0802]\n")
    repo.commit("第四季度登记一条")
    asked: list[str] = []
    real = History.branch_changes

    def counted(self, bid, *args, **kwargs):
        asked.append(bid)
        return real(self, bid, *args, **kwargs)

    monkeypatch.setattr(History, "branch_changes", counted)
    build_with_history(out, cache)
    assert set(asked) == {"kjy"}, asked
    monkeypatch.setattr(History, "branch_changes", real)
    fresh = tmp_path / "fresh"
    build_with_history(fresh, None)
    assert _digests(out) == _digests(fresh)


def test_two_content_folders_of_one_repository_share_a_cache(tmp_path):
    """Two districts in one repository (a/ and b/, committed together) built with one cache
    folder, as the default ~/.cache/sitegen is for every content folder: each site equals
    its fresh build. Their commits are the same, their changes are not (b's ledger has an
    entry fewer), so what a branch's changes are made from names the content folder's
    place in the repository too (found by review: b's change indexes showed a's counts)."""
    repo = Repo(tmp_path / "repo", content="")
    for name in ("a", "b"):
        shutil.copytree(ROOT / "content", repo.path / name)
    ledger = repo.path / "b/committees/jyw/branches/dezx/2026/ledger/q1.yaml"
    text = ledger.read_text("utf-8")
    start = text.index("  - id: 2026-006\n")
    end = text.index("  - id:", start + 1)
    ledger.write_text(text[:start] + text[end:], "utf-8")
    repo.commit("两个区")
    cache = tmp_path / "cache"

    def built(name: str, out: Path, cache_dir: Path | None) -> dict[str, str]:
        result = build(repo.path / name, out, quiet=True, cache_dir=cache_dir, pdf=False, history=True, today=TODAY)
        assert result.ok, "\n".join(p.format() for p in result.problems)
        return _digests(out)

    built("a", tmp_path / "out-a", cache)
    b = built("b", tmp_path / "out-b", cache)
    fresh = built("b", tmp_path / "fresh-b", None)
    assert b == fresh, sorted(rel for rel in b if b[rel] != fresh.get(rel))
