"""A revision's content folder, written out to a temp folder with `git archive`, so that
the same loader, checks and rules engine read it as they read the working tree."""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from sitegen.history.git import GitError, Repo, run


@contextmanager
def exported(repo: Repo, commit: str):
    """A temp folder holding the content folder as it is at `commit` (empty when the
    content folder did not exist then); removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="sitegen-review-") as tmp:
        dest = Path(tmp) / "content"
        dest.mkdir()
        tree = f"{commit}:{repo.prefix.rstrip('/')}" if repo.prefix else commit
        kind = run(repo.top, "cat-file", "-t", tree, check=False)
        if kind.returncode == 0 and kind.stdout.strip() == b"tree":
            _extract(repo, tree, dest)
        yield dest


def _extract(repo: Repo, tree: str, dest: Path) -> None:
    proc = subprocess.Popen(["git", "-C", str(repo.top), "archive", "--format=tar", tree],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        with tarfile.open(fileobj=proc.stdout, mode="r|") as tar:
            for member in tar:
                if not (member.isfile() or member.isdir()):
                    continue  # symlinks and the like are not content
                if hasattr(tarfile, "data_filter"):
                    tar.extract(member, dest, filter="data")
                else:  # Python before 3.11.4: the names come from our own repository's tree
                    tar.extract(member, dest)
    except tarfile.TarError as exc:
        proc.kill()
        raise GitError(f"无法取出提交 {tree} 的内容：{exc}") from None
    finally:
        err = proc.stderr.read()
        proc.wait()
    if proc.returncode != 0:
        raise GitError(f"git archive 出错：{err.decode('utf-8', 'replace').strip()}")
