"""Which version of the content a build came from (an edge: it asks git, read-only).

Every page's footer names it, so a printed or photographed board can be traced to the
commit that made it. A content folder that is not a git repository says so plainly.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from sitegen.load.layout import temporary


@dataclass(frozen=True)
class Provenance:
    is_git: bool
    commit: str = ""
    date: str = ""  # committer date, YYYY-MM-DD
    dirty: bool = False

    @property
    def short(self) -> str:
        return self.commit[:7]

    def footer(self) -> str:
        if not self.is_git:
            return "数据版本：内容目录不是 git 仓库，无法标明数据版本。"
        text = f"数据版本：提交 {self.short}（{self.date}）"
        if self.dirty:
            text += "，另含尚未提交的修改"
        return text + "。"

    def as_dict(self) -> dict:
        return {"git": self.is_git, "commit": self.commit, "date": self.date, "uncommitted_changes": self.dirty}


_QUESTIONS = {
    "inside": ("rev-parse", "--is-inside-work-tree"),
    "head": ("log", "-1", "--format=%H %cs"),
    "status": ("status", "--porcelain", "-z", "--untracked-files=normal", "--", "."),
}


# git's answers as text whatever bytes a path holds (an untracked file named in another
# encoding must not stop the build: it is the scan's to report)
_TEXT: dict = {"encoding": "utf-8", "errors": "surrogateescape"}


def _command(root: Path, args: tuple[str, ...]) -> list[str]:
    # read-only: no optional locks (`git status` would otherwise write .git/index.lock)
    return ["git", "--no-optional-locks", "-C", str(root), *args]


def _git(root: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(_command(root, args), capture_output=True, timeout=30, **_TEXT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout if out.returncode == 0 else None


class Reading:
    """The provenance being asked of git in the background: :func:`start` returns at
    once, :meth:`result` waits. A build scans the content folder meanwhile (`git status`
    walks the same files: the two run on two cores instead of one after the other)."""

    def __init__(self, root: Path) -> None:
        self._procs: dict[str, subprocess.Popen[str] | None] = {}
        for name, args in _QUESTIONS.items():
            try:
                self._procs[name] = subprocess.Popen(
                    _command(root, args),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    **_TEXT,
                )
            except OSError:
                self._procs[name] = None
        self._done: Provenance | None = None

    def _answer(self, name: str) -> str | None:
        proc = self._procs[name]
        if proc is None:
            return None
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            return None
        return out if proc.returncode == 0 else None

    def result(self) -> Provenance:
        if self._done is None:
            answers = {name: self._answer(name) for name in self._procs}  # every process waited for
            self._done = _provenance(answers["inside"], answers["head"], answers["status"])
        return self._done


def start(root: Path) -> Reading:
    """Ask git for the provenance of `root` in the background (:class:`Reading`)."""
    return Reading(root)


def read(root: Path) -> Provenance:
    return start(root).result()


def _provenance(inside: str | None, head: str | None, status: str | None) -> Provenance:
    if not inside or inside.strip() != "true":
        return Provenance(is_git=False)
    if not head:  # a repository with no commits yet
        return Provenance(is_git=True, commit="0" * 40, date="尚无提交", dirty=True)
    commit, date = head.split()
    return Provenance(is_git=True, commit=commit, date=date, dirty=_changed(status or ""))


def _changed(porcelain: str) -> bool:
    """Whether `git status --porcelain -z` lists a change that matters: editors' temporary
    and hidden files (which serve ignores) do not make the content uncommitted."""
    fields = iter(porcelain.split("\0"))
    for entry in fields:
        if len(entry) < 4:
            continue
        if entry[0] in "RC":
            next(fields, None)  # a rename's or copy's original path
        if not any(temporary(part) for part in entry[3:].split("/")):
            return True
    return False


def git_dir(root: Path) -> Path | None:
    """The git folder of the repository `root` is in (None outside git): `serve` watches
    its log of HEAD to notice commits and checkouts."""
    out = _git(root, "rev-parse", "--absolute-git-dir")
    return Path(out.strip()).resolve() if out and out.strip() else None
