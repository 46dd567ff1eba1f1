"""The demo district in a real git repository of its own, so that its build has a change
history: one bulk import (every ledger entry added by one commit, the way a district's
first import of last year's spreadsheets looks), then, when asked, a later commit of one
branch. Shared by the change-log, accessibility and HTML-checker tests."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

from sitegen.build import build
from tests.history.gitrepo import CST, Repo
from tests.support import ROOT

IMPORTED = datetime(2026, 11, 20, 10, 0, tzinfo=CST)
CLERK = ("周组织委员", "zhou@kjy.example.org")
TODAY = date(2026, 11, 25)  # one build date for every build: a build's date is one of its inputs


def demo_repo(path: Path, without: tuple[str, ...] = (), when: datetime = IMPORTED) -> Repo:
    """The demo district committed at once by one person: one bulk import (`without`:
    files, relative to the content folder, left out of it, to be committed later)."""
    repo = Repo(path)
    shutil.copytree(ROOT / "content", repo.content)
    for rel in without:
        (repo.content / rel).unlink()
    repo.commit("批量导入各支部台账", who=CLERK, when=when)
    return repo


def build_with_history(content: Path, out: Path, today: date = TODAY, cache: Path | None = None):
    result = build(content, out, quiet=True, cache_dir=cache, pdf=False, history=True, today=today)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    return result
