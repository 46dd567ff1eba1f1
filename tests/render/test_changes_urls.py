"""Where a branch's change log and a committee's change index live, which unit makes it and what its footer names: fast
checks of urls.py and versions.py, no build."""

from __future__ import annotations

from sitegen.render.html import urls
from sitegen.render.html.urls import CHANGES, BranchUnit, Owner, Scope, ScopeKind, committee_changes_unit, unit_of
from sitegen.render.versions import DataVersions


def test_branch_change_log_paths_units_and_scopes():
    assert urls.branch_changes("kjy") == "changes/b/kjy/index.html"
    assert urls.branch_changes("kjy", 3) == "changes/b/kjy/3.html"
    committee_of = {(2025, "kjy"): "qsjd", (2026, "kjy"): "qsjd", (2025, "old"): "qsjd"}
    assert unit_of(urls.branch_changes("old"), committee_of) == BranchUnit(2025, "qsjd", "old")
    assert unit_of(urls.branch_changes("gone"), committee_of) is Owner.NOWHERE  # no board: no change log
    for page in (1, 2):
        path = urls.branch_changes("kjy", page)
        # made with the unit of the branch's board (its latest year): an unchanged branch's is not looked at
        assert unit_of(path, committee_of) == BranchUnit(2026, "qsjd", "kjy")
        assert urls.branch_of(path, 2026) is None
        assert urls.scope_of(path, 2026) == Scope(ScopeKind.CHANGES, id="kjy")
        assert urls.root_of(path) == "../../../"
    assert urls.committee_changes("qsjd") == "changes/c/qsjd/index.html"
    path = urls.committee_changes("qsjd")
    assert unit_of(path, committee_of) == committee_changes_unit("qsjd") and urls.branch_of(path, 2026) is None
    assert urls.scope_of(path, 2026) == Scope(ScopeKind.CHANGES, id="qsjd")
    assert urls.root_of(path) == "../../../"
    assert unit_of("changes.html", committee_of) == CHANGES and unit_of("assets/style.css", committee_of) is Owner.ASSET


def test_a_branch_change_log_does_not_name_the_repository_commit():
    """changes.html says which commit the log goes up to; a branch's log and a committee's
    index name their own latest change (set by the page), so another branch's commit leaves
    them alone."""
    versions = DataVersions({}, changes_note="本页数据：截至2026年6月1日的提交 abcdef0。")
    assert versions.note("changes.html") == "本页数据：截至2026年6月1日的提交 abcdef0。"
    assert versions.note(urls.branch_changes("kjy")) == ""
    assert versions.note(urls.branch_changes("kjy", 2)) == ""
    assert versions.note(urls.committee_changes("qsjd")) == ""  # a committee's index: its branches' latest
