"""`sitegen diff BASE [HEAD]`: what a pull request does, for the reviewer.

Both versions of the content folder are checked out of git into temp clones and put
through the same `check` — load, validate, score, and the history checks (E10xx: the
published record) with each version as HEAD — as the working tree; the report compares
the results, and adds what only git shows (theme files, symbolic links):

    checked_out(base), checked_out(head) → check each → compare → markdown | json

A shallow clone has no history to check: the versions are exported (`git archive`)
instead, and the report says that the published record could not be checked.

BASE is compared from its merge base with HEAD (like `git diff BASE...HEAD`), so a
pull request shows only its own changes even when the main branch has moved on.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitegen.check import build_day, check
from sitegen.history.extract import SHALLOW
from sitegen.history.git import GitError, locate, resolve, run
from sitegen.review.compare import Review, compare
from sitegen.review.report import as_dict, markdown
from sitegen.review.trees import changed_files, checked_out, exported

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
    tree = checked_out if history else exported
    with tree(repo, old_id) as old_dir:
        before = check(old_dir, today=today, cache_dir=cache_dir, jobs=jobs, history=history)
    with tree(repo, head_id) as new_dir:
        after = check(new_dir, today=today, cache_dir=cache_dir, jobs=jobs, history=history)
    return compare(
        before,
        after,
        old_id,
        head_id,
        base,
        head,
        today=today,
        changes=changed_files(repo, old_id, head_id),
        history_checked=history,
    )
