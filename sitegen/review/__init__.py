"""`sitegen diff BASE [HEAD]`: what a pull request does, for the reviewer.

Both versions of the content folder are written out of git (`git archive`) and put
through the same `check` — load, validate, score — as the working tree; the report
compares the results:

    exported(base), exported(head) → check each → compare → markdown | json

BASE is compared from its merge base with HEAD (like `git diff BASE...HEAD`), so a
pull request shows only its own changes even when the main branch has moved on.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitegen.check import check
from sitegen.history.extract import SHALLOW
from sitegen.history.git import GitError, locate, resolve, run
from sitegen.review.compare import Review, compare
from sitegen.review.report import as_dict, markdown
from sitegen.review.trees import exported

__all__ = ["Review", "as_dict", "markdown", "review"]


def review(content_root: Path | str, base: str, head: str = "HEAD", *, today: date | None = None, cache_dir=True,
           jobs: int | None = None, merge_base: bool = True) -> Review:
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
    today = today or date.today()
    with exported(repo, old_id) as old_dir:
        before = check(old_dir, today=today, cache_dir=cache_dir, jobs=jobs)
    with exported(repo, head_id) as new_dir:
        after = check(new_dir, today=today, cache_dir=cache_dir, jobs=jobs)
    return compare(before, after, old_id, head_id, base, head)
