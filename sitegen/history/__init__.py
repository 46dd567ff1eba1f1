"""The audit trail from git: who changed whose points, when, in which commit, why.

An edge around the pipeline (like `sitegen.provenance`): it asks `git`, read-only, and
parses old versions of ledger files with the same parser as the content folder.

    from sitegen.history import history
    h = history("content")          # History; h.available, h.reason
    h.for_member("czj1", 2026, "M0101")   # tuple[MemberChange, ...], newest first
    h.recent(50)                    # tuple[BranchChanges, ...]
    h.branch_changes("czj1", keep)  # tuple[Change, ...], every year, newest first; keep(year, quarter)

`sitegen.history.frozen` checks closed quarters and rewritten history for `sitegen check`.
"""

from sitegen.history.entries import Kind
from sitegen.history.extract import history
from sitegen.history.model import BranchChanges, Change, Commit, History, MemberChange

__all__ = ["BranchChanges", "Change", "Commit", "History", "Kind", "MemberChange", "history"]
