"""提交审核: the branch's changed files committed to a new git branch and pushed.

The commit is made with git's plumbing on a temporary index (read-tree HEAD, the changed
files added, write-tree, commit-tree, update-ref): the working tree, its index and its
checked-out branch are never touched, so nothing is ever committed to main and two
secretaries on one server cannot step on each other's checkout. Only this branch's files
(its folder and its restricted/ file) go into the commit.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, urlsplit

from sitegen.edit.workspace import EditorError, Workspace
from sitegen.history.git import GitError, locate, run


@dataclass
class Submitted:
    branch: str
    commit: str
    base: str  # the branch the pull request should go into
    message: str
    remote: str
    links: list[tuple[str, str]] = field(default_factory=list)
    report: str = ""


def _repo(ws: Workspace):
    repo = locate(ws.root)
    if repo is None:
        raise EditorError("内容目录不在 git 仓库里，无法提交审核。请先把内容目录放进 git 仓库（git init）。")
    if not repo.head:
        raise EditorError("git 仓库里还没有任何提交，无法提交审核。请先提交一次现有内容。")
    return repo


def _paths(ws: Workspace) -> list[str]:
    return [ws.folder, f"restricted/{ws.branch_id}"]


def changed_files(ws: Workspace) -> list[str]:
    """This branch's files that differ from HEAD (or are new), relative to the content folder."""
    repo = locate(ws.root)
    if repo is None or not repo.head:
        return []
    out = run(
        repo.top,
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
        *[repo.prefix + p for p in _paths(ws)],
    )
    files = []
    for record in out.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if len(record) > 3:
            path = record[3:]
            if path.startswith(repo.prefix):
                rel = path[len(repo.prefix) :]
                if ws.owns(rel) and not Path(rel).name.startswith(".sitegen-edit-"):
                    files.append(rel)
    return sorted(set(files))


def remote_links(url: str, branch: str, base: str) -> list[tuple[str, str]]:
    """Where to open the pull request, for Gitea and GitLab, from the remote's URL."""
    web = web_url(url)
    if not web:
        return []
    b, t = quote(branch, safe=""), quote(base, safe="")
    return [
        ("Gitea", f"{web}/compare/{t}...{b}"),
        (
            "GitLab",
            f"{web}/-/merge_requests/new?merge_request%5Bsource_branch%5D={b}&merge_request%5Btarget_branch%5D={t}",
        ),
    ]


def web_url(url: str) -> str:
    """https://host/owner/repo for an http(s), ssh:// or scp-like (git@host:owner/repo) remote."""
    url = url.strip()
    m = re.match(r"^[\w.-]+@([\w.-]+):(?!//)(.+)$", url)
    if m:
        host, path = m.group(1), m.group(2)
        scheme = "https"
    else:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https", "ssh", "git"):
            return ""
        host = parts.hostname or ""
        if parts.scheme in ("http", "https") and parts.port:
            host = f"{host}:{parts.port}"
        path = parts.path
        scheme = parts.scheme if parts.scheme in ("http", "https") else "https"
    path = path.strip("/").removesuffix(".git")
    if not host or not path:
        return ""
    return f"{scheme}://{host}/{path}"


def submit(
    ws: Workspace,
    message: str,
    *,
    author: tuple[str, str] | None = None,
    push: bool = True,
    today: datetime | None = None,
) -> Submitted:
    """Commit this branch's changed files onto HEAD in a new branch `edit/<branch>-<time>`
    and push it to origin. Raises EditorError with what to do."""
    repo = _repo(ws)
    files = changed_files(ws)
    if not files:
        raise EditorError("没有尚未提交的修改。")
    now = today or datetime.now(timezone.utc)
    name = f"edit/{ws.branch_id}-{now.strftime('%Y%m%d-%H%M%S')}"
    n = 1
    while run(repo.top, "rev-parse", "-q", "--verify", f"refs/heads/{name}", check=False).returncode == 0:
        n += 1  # two submissions in one second
        name = f"edit/{ws.branch_id}-{now.strftime('%Y%m%d-%H%M%S')}-{n}"
    env = dict(os.environ)
    if author:
        env.update(
            GIT_AUTHOR_NAME=author[0],
            GIT_AUTHOR_EMAIL=author[1],
            GIT_COMMITTER_NAME=author[0],
            GIT_COMMITTER_EMAIL=author[1],
        )
    else:
        who = ws.branch().info.leader or ws.branch().info.short_name
        for key, value in (("user.name", who), ("user.email", f"{ws.branch_id}@sitegen-edit.invalid")):
            have = run(repo.top, "config", key, check=False).stdout.strip()
            if not have:
                upper = "NAME" if key == "user.name" else "EMAIL"
                env.setdefault(f"GIT_AUTHOR_{upper}", value)
                env.setdefault(f"GIT_COMMITTER_{upper}", value)
    try:
        with tempfile.TemporaryDirectory(prefix="sitegen-edit-index-") as tmp:
            env["GIT_INDEX_FILE"] = str(Path(tmp) / "index")
            _git(repo.top, env, "read-tree", repo.head)
            for rel in files:
                full = ws.root / rel
                path = repo.prefix + rel
                if full.is_file():
                    blob = _git(repo.top, env, "hash-object", "-w", "--", str(full)).strip()
                    _git(repo.top, env, "update-index", "--add", "--cacheinfo", f"100644,{blob},{path}")
                else:
                    _git(repo.top, env, "update-index", "--force-remove", "--", path)
            tree = _git(repo.top, env, "write-tree").strip()
            commit = _git(repo.top, env, "commit-tree", tree, "-p", repo.head, "-m", message).strip()
        _git(repo.top, env, "update-ref", f"refs/heads/{name}", commit, "")
    except GitError as exc:
        raise EditorError(f"提交失败：{exc}") from None
    base = run(repo.top, "symbolic-ref", "--short", "-q", "HEAD", check=False).stdout.decode().strip() or "main"
    remote = run(repo.top, "remote", "get-url", "origin", check=False).stdout.decode().strip()
    if push:
        if not remote:
            raise EditorError(
                f"已提交到本地分支 {name}，但仓库没有名为 origin 的远程仓库，无法推送。请联系管理员配置。"
            )
        out = run(repo.top, "push", "origin", f"refs/heads/{name}:refs/heads/{name}", check=False, timeout=120)
        if out.returncode != 0:
            err = out.stderr.decode("utf-8", "replace").strip().splitlines()
            raise EditorError(
                f"已提交到本地分支 {name}，但推送到 origin 失败：{err[-1] if err else ''}。检查网络和账号后再点“提交审核”。"
            )
    return Submitted(name, commit, base, message, remote, remote_links(remote, name, base))


def _git(top: Path, env: dict[str, str], *args: str) -> str:
    import subprocess

    out = subprocess.run(["git", "-C", str(top), *args], capture_output=True, env=env, timeout=120)
    if out.returncode != 0:
        text = out.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git {args[0]}：{text.splitlines()[-1] if text else '出错'}")
    return out.stdout.decode("utf-8", "replace")


def review_report(ws: Workspace, base: str, head: str) -> str:
    """`sitegen diff base head` for the submitted commit, as Markdown text."""
    from sitegen.review import markdown, review

    try:
        return markdown(review(ws.root, base, head, today=ws.today))
    except GitError as exc:
        return f"无法生成审核报告：{exc}"
