"""`sitegen diff BASE [HEAD]`: what a pull request does, for the reviewer.

Both versions of the content folder are put through the same `check` — load, validate,
score, and the history checks (E10xx: the published record) with each version as HEAD —
as the working tree; the report compares the results, and adds what only git shows
(theme files, symbolic links):

    head's tree, base's tree → check each → compare → markdown | json

Head's tree is the content folder itself when it is exactly head (the usual case: CI
checks out the pull request), else a checkout (`git clone --shared`). Base is head's
scan with the changed files' bytes read from git when the pull request only edits YAML
files, else head's tree linked file by file with the files the pull request changed put
back as base has them (sitegen.review.trees) — as a checkout has them: through the
conversions .gitattributes (or core.autocrlf) ask of git (end of line, filters); when the
.gitattributes files differ between the two commits or the working tree, both sides are
checked out. The two checks share one memo, and find the
branches' results of earlier runs in the cache folder as `check` does: the files that
did not change are parsed, checked and scored once, and only the branches whose files
changed (and the ranks across branches) are computed again. The history checks are
asked of the repository itself with each commit as HEAD.

A shallow clone has no history to check: the versions are exported (`git archive`)
instead, and the report says that the published record could not be checked.

BASE is compared from its merge base with HEAD (like `git diff BASE...HEAD`), so a
pull request shows only its own changes even when the main branch has moved on.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import replace
from datetime import date
from pathlib import Path

from sitegen.check import Report, build_day, check
from sitegen.history.extract import SHALLOW
from sitegen.history.frozen import check_history
from sitegen.history.git import GitError, Repo, locate, resolve, run
from sitegen.load import Scan, scan
from sitegen.load.cache import ResultStore, cache_folder
from sitegen.memo import Memo, Remembered, branch_scopes
from sitegen.problems import Problem
from sitegen.review.compare import Review, compare
from sitegen.review.report import as_dict, markdown
from sitegen.review.trees import (
    changed_files,
    checked_out,
    clean_worktree,
    exported,
    patched,
    same_attributes,
    swapped,
)

__all__ = ["Review", "as_dict", "markdown", "review"]


def review(
    content_root: Path | str,
    base: str,
    head: str = "HEAD",
    *,
    today: date | None = None,
    cache_dir=True,
    jobs: int | None = None,
    merge_base: bool = True,
) -> Review:
    """Raises GitError (a Chinese message saying what to do) when it cannot compare."""
    repo = locate(Path(content_root))
    if repo is None:
        raise GitError("内容目录不在 git 仓库里，无法对比两个版本。")
    try:
        head_id = resolve(repo, head)
        base_id = resolve(repo, base)
    except GitError:
        if repo.shallow:
            raise GitError(SHALLOW) from None
        raise
    old_id = base_id
    if merge_base:
        out = run(repo.top, "merge-base", base_id, head_id, check=False)
        if out.returncode == 0 and out.stdout.strip():
            old_id = out.stdout.decode().strip()
        elif repo.shallow:
            raise GitError(SHALLOW)
    today = build_day(today)
    history = not repo.shallow
    changes = changed_files(repo, old_id, head_id)
    if history:
        before, after = _both(repo, old_id, head_id, changes, today, cache_dir, jobs)
    else:
        with exported(repo, old_id) as old_dir:
            before = check(old_dir, today=today, cache_dir=cache_dir, jobs=jobs)
        with exported(repo, head_id) as new_dir:
            after = check(new_dir, today=today, cache_dir=cache_dir, jobs=jobs)
    return compare(
        before,
        after,
        old_id,
        head_id,
        base,
        head,
        today=today,
        changes=changes,
        history_checked=history,
    )


def _both(repo: Repo, old_id: str, head_id: str, changes, today: date, cache_dir, jobs) -> tuple[Report, Report]:
    """Base's and head's reports, each as `check` of a checkout of it would give."""
    directory = cache_folder(cache_dir)
    memo: Memo = Remembered(ResultStore(directory)) if directory is not None else Memo()
    with ExitStack() as stack:
        if same_attributes(repo, old_id, head_id):
            new_dir = clean_worktree(repo, head_id)
            if new_dir is not None:  # the content folder itself: its stat cache is check's and build's
                head_scan = scan(new_dir, restricted=True, cache_dir=cache_dir)
            else:
                new_dir = stack.enter_context(checked_out(repo, head_id))
                head_scan = scan(new_dir, restricted=True)
            base_scan = swapped(repo, old_id, head_scan, changes)
            if base_scan is None:
                base_scan = scan(stack.enter_context(patched(repo, old_id, new_dir, changes)), restricted=True)
        else:  # .gitattributes differ: git converts files differently on each side's checkout
            head_scan = scan(stack.enter_context(checked_out(repo, head_id)), restricted=True)
            base_scan = scan(stack.enter_context(checked_out(repo, old_id)), restricted=True)
        before = _checked(base_scan, replace(repo, head=old_id), today, cache_dir, jobs, memo)
        after = _checked(head_scan, replace(repo, head=head_id), today, cache_dir, jobs, memo)
    return before, after


def _checked(scanned: Scan, repo: Repo, today: date, cache_dir, jobs, memo: Memo) -> Report:
    """`check(folder, history=True)` as if the scanned folder were the content folder of
    `repo` with `repo.head` checked out."""
    if isinstance(memo, Remembered):
        memo.scopes = branch_scopes(scanned.hashes)
    report = check(scanned.root, today=today, cache_dir=cache_dir, jobs=jobs, scanned=scanned, memo=memo)
    if report.loaded.root.is_dir():
        found = check_history(report.loaded, today, None, cache_dir, report.years, repo=repo)
        report.problems = sorted(dict.fromkeys(report.problems + found), key=Problem.sort_key)
    return report
