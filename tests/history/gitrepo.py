"""Real git repositories in temp folders, with named people and a fixed clock.

Every commit gets its author and committer from the call and its dates from a clock that
moves one hour per commit (or the date given), so ids are the same on every run; the
user's own git configuration is never read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.support import MINI

CST = timezone(timedelta(hours=8))
SECRETARY = ("王书记", "wang@b1.example.org")
MEMBER_CLERK = ("李委员", "li@b1.example.org")
REVIEWER = ("张审核", "zhang@c1.example.org")
B1 = "committees/c1/branches/b1/2026"


class Repo:
    def __init__(self, path: Path, content: str = "content"):
        self.path = path
        self.content = path / content if content else path
        self.clock = datetime(2026, 1, 21, 9, 0, tzinfo=CST)
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def env(self, who=SECRETARY, committer=None, when: datetime | None = None) -> dict:
        when = when or self.clock
        committer = committer or who
        stamp = when.isoformat()
        return {
            **os.environ,
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": who[0],
            "GIT_AUTHOR_EMAIL": who[1],
            "GIT_AUTHOR_DATE": stamp,
            "GIT_COMMITTER_NAME": committer[0],
            "GIT_COMMITTER_EMAIL": committer[1],
            "GIT_COMMITTER_DATE": stamp,
        }

    def git(self, *args, who=SECRETARY, committer=None, when=None, check=True) -> str:
        out = subprocess.run(
            ["git", *args], cwd=self.path, capture_output=True, text=True, env=self.env(who, committer, when)
        )
        if check and out.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed: {out.stderr}")
        return out.stdout.strip()

    def tick(self, when: datetime | None) -> datetime:
        self.clock = when or self.clock + timedelta(hours=1)
        return self.clock

    def commit(self, message: str, who=SECRETARY, committer=None, when=None) -> str:
        when = self.tick(when)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, who=who, committer=committer, when=when)
        return self.git("rev-parse", "HEAD")

    def merge(self, branch: str, message: str, who=REVIEWER, when=None) -> str:
        """A pull request merged on the host: a --no-ff merge made by the reviewer."""
        when = self.tick(when)
        self.git("checkout", "-q", "main")
        self.git("merge", "-q", "--no-ff", branch, "-m", message, who=who, when=when)
        return self.git("rev-parse", "HEAD")

    # files, relative to the content folder
    def read(self, rel: str) -> str:
        return (self.content / rel).read_text("utf-8")

    def write(self, rel: str, text: str) -> None:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def append(self, rel: str, text: str) -> None:
        self.write(rel, self.read(rel) + text)


def branch_history(path: Path, content: str = "content") -> Repo:
    """The mini district's first half-year as it would happen in a repository:

    1. 王书记 commits the district, b1's items and its Q1 ledger (no quarter record yet);
    2. pull request `b1-q1`: 王书记 records the Q1 review, the appeal S1 decided on
       5 April with its correction E06 (dated then, so in ledger/q2.yaml, counting in
       Q1, whose 公示 had not begun) and the 公示 (7–13 April); 张审核 merges it;
    3. pull request `b1-q2`: 李委员 records the rest of the Q2 ledger; 张审核 merges it.
    """
    repo = Repo(path, content)
    shutil.copytree(MINI, repo.content, dirs_exist_ok=True)
    q1_record = repo.read(f"{B1}/quarters/q1.yaml")
    q2_ledger = repo.read(f"{B1}/ledger/q2.yaml")
    (repo.content / f"{B1}/quarters/q1.yaml").unlink()
    (repo.content / f"{B1}/ledger/q2.yaml").unlink()
    repo.commit("2026年积分项目和第一季度台账", when=datetime(2026, 3, 31, 17, 0, tzinfo=CST))

    repo.git("checkout", "-q", "-b", "b1-q1")
    repo.write(f"{B1}/quarters/q1.yaml", q1_record)
    repo.write(f"{B1}/ledger/q2.yaml", q2_ledger[: q2_ledger.index("  - id: E07")])
    repo.commit("第一季度汇总审核、申辩 S1 更正和公示", when=datetime(2026, 4, 6, 10, 0, tzinfo=CST))
    repo.merge(
        "b1-q1",
        "Merge pull request '第一季度公示' (#1) from b1-q1 into main",
        when=datetime(2026, 4, 6, 16, 0, tzinfo=CST),
    )

    repo.git("checkout", "-q", "-b", "b1-q2")
    repo.write(f"{B1}/ledger/q2.yaml", q2_ledger)
    repo.commit("登记第二季度台账", who=MEMBER_CLERK, when=datetime(2026, 6, 5, 11, 0, tzinfo=CST))
    repo.merge(
        "b1-q2",
        "Merge pull request '第二季度台账' (#2) from b1-q2 into main",
        when=datetime(2026, 6, 6, 9, 30, tzinfo=CST),
    )
    return repo
