"""The `git` command line, read-only: where the repository is, one log pass, one blob reader.

Why the command line and not a library: it is on every machine that has the content
repository, it reads packs, shallow clones and worktrees exactly as the user's git does,
and two long-lived processes are enough:

- `git log --raw -z -c --no-renames` once, for every commit reachable from HEAD: its
  parents, author, committer, dates, subject and the blobs of the files it changed
  (merges: the combined diff, i.e. only what the merge itself introduced);
- `git cat-file --batch` once, kept open, to read any number of blobs (or `commit:path`).

No pathspec limits the log: git's history simplification would drop the merges and the
side-branch commits that tell us which pull request brought a change. Paths outside the
content folder are filtered out here instead.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

NULL = "0" * 40
_FIELDS = ("%H", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%s")
_FORMAT = "%x1e" + "%x00".join(_FIELDS)


# git's own messages untranslated, so that "not a git repository" can be recognized
def _env() -> dict:
    return {**os.environ, "LANGUAGE": "C"}


class GitError(Exception):
    """git could not do what was asked; the message is Chinese and says what to do."""


@dataclass(frozen=True, slots=True)
class Repo:
    """The repository that holds a content folder."""

    top: Path  # the working tree's top level
    prefix: str  # the content folder relative to `top`, '' or ending in '/'
    shallow: bool
    head: str  # the HEAD commit, '' when the repository has no commit yet


class Touched(NamedTuple):
    """One file a commit changed, relative to the content folder. `old` has one blob per
    parent (a merge's combined diff lists all of them); NULL means absent. A named tuple:
    a district's first commit has tens of thousands, made from the kept log on every run."""

    path: str
    old: tuple[str, ...]
    new: str


@dataclass(frozen=True, slots=True)
class LogCommit:
    sha: str
    parents: tuple[str, ...]
    author: str
    email: str
    date: datetime  # author date
    committer: str
    committer_email: str
    committed: datetime
    subject: str
    touched: tuple[Touched, ...]


def run(
    cwd: Path, *args: str, check: bool = True, timeout: float = 600, input: bytes | None = None
) -> subprocess.CompletedProcess:
    try:
        out = subprocess.run(
            ["git", "-C", str(cwd), *args], capture_output=True, timeout=timeout, env=_env(), input=input
        )
    except FileNotFoundError:
        raise GitError("找不到 git 命令。请安装 git（Debian/Ubuntu：apt-get install git）。") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git {args[0]} 运行超时。") from None
    if check and out.returncode != 0:
        raise GitError(f"git {args[0]} 出错：{_first_line(out.stderr)}")
    return out


def _first_line(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else "（没有输出）"


def locate(content_root: Path) -> Repo | None:
    """The repository holding `content_root`, or None when it is not in one.
    Raises GitError when it is in one that git refuses to read (e.g. dubious ownership)."""
    root = Path(content_root)
    if not root.is_dir():
        return None
    out = run(
        root,
        "rev-parse",
        "--show-toplevel",
        "--show-prefix",
        "--is-shallow-repository",
        "-q",
        "--verify",
        "HEAD^{commit}",
        check=False,
    )
    if out.returncode == 1 and not out.stderr.strip() and len(out.stdout.split(b"\n")) >= 3:
        pass  # no commit yet: the folder's place is known, HEAD is not
    elif out.returncode != 0:
        message = out.stderr.decode("utf-8", "replace")
        if "not a git repository" in message or "不是 git 仓库" in message or not message.strip():
            return None
        if "dubious ownership" in message:
            raise GitError(
                "git 拒绝读取这个仓库（目录属主与当前用户不同，dubious ownership）。"
                f"运行 git config --global --add safe.directory {root.resolve()} 后再试。"
            )
        raise GitError(f"git 无法读取内容目录所在的仓库：{_first_line(out.stderr)}")
    lines = out.stdout.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 3:
        return None  # e.g. inside .git itself
    top, prefix, shallow = lines[0], lines[1], lines[2]
    if len(lines) > 3 and _SHA.fullmatch(lines[3].strip()):
        head = lines[3].strip()  # asked together (a repository with no commit yet answers 1, without it)
    else:
        found = run(root, "rev-parse", "-q", "--verify", "HEAD^{commit}", check=False)
        head = found.stdout.decode().strip() if found.returncode == 0 else ""
    return Repo(top=Path(top), prefix=prefix, shallow=shallow.strip() == "true", head=head)


_LOG_ARGS = (
    "--raw",
    "-z",
    "-c",
    "--no-renames",
    "--root",
    "--no-abbrev",
    "--no-show-signature",
    "--no-color",
    f"--format={_FORMAT}",
)


def read_log(repo: Repo, rev: str = "HEAD", known: dict[str, tuple] | None = None) -> list[LogCommit]:
    """Every commit reachable from `rev`, oldest first (parents before children, in the
    order of `git log --topo-order`), with the files under the content folder each one changed.

    `known` (commit id → the commit as read with prefix '', i.e. every path, as a plain
    tuple, which a pickle reads several times faster than the dataclasses): commits
    already read in an earlier run. A commit never changes, so only the ones missing are
    read (`git log --no-walk --stdin`) and added to it; the order and the set of commits
    always come from `git rev-list` now, so a rewritten history is read as it is."""
    if not repo.head:
        return []
    if known is None:
        out = run(repo.top, "-c", "core.quotepath=false", "log", *_LOG_ARGS, "--topo-order", rev, "--")
        commits = parse_log(out.stdout, repo.prefix)
        commits.reverse()
        return commits
    order = rev_list(repo.top, rev)[0]
    missing = [sha for sha in order if not isinstance(known.get(sha), tuple)]
    if missing:
        for c in parse_log(_log_of(repo.top, missing), ""):
            known[c.sha] = _row(c)
    made = _MADE.setdefault(repo.prefix, {})
    if len(made) > 4 * len(order) + 1000:
        made.clear()  # commits of another history (or many rewritten ones): not kept
    found: list[LogCommit] = []
    for sha in order:
        row = known[sha]
        kept = made.get(sha)
        if kept is None or kept[0] is not row:
            kept = made[sha] = (row, _commit(row, repo.prefix))
        found.append(kept[1])
    return found


_REVS: dict[tuple[str, str], tuple[list[str], list[str]]] = {}  # rev_list's of commit ids, in this process


def rev_list(top: Path, rev: str) -> tuple[list[str], list[str]]:
    """Every commit reachable from `rev`, oldest first (parents before children, the
    reverse of `git rev-list --topo-order`), and the root commits among them, in one
    `git rev-list --parents`. Remembered in this process when `rev` is a commit id: what
    a commit reaches never changes (a build asks twice: the history and its checks)."""
    key = (str(top), rev)
    found = _REVS.get(key)
    if found is not None:
        return found
    lines = run(top, "rev-list", "--topo-order", "--parents", rev, "--").stdout.decode().splitlines()
    lines.reverse()
    order = [line.split(" ", 1)[0] for line in lines if line]
    roots = [line for line in lines if line and " " not in line]
    if _SHA.fullmatch(rev):
        if len(_REVS) > 8:
            _REVS.clear()
        _REVS[key] = (order, roots)
    return order, roots


_SHA = re.compile(r"[0-9a-f]{40}")


# commits as `_commit` made them from their kept rows, by prefix, in this process (a build
# reads the log twice, `sitegen diff` once per side): a commit with thousands of paths
# (a district's first) is not made again
_MADE: dict[str, dict[str, tuple[tuple, LogCommit]]] = {}


def _log_of(top: Path, shas: list[str]) -> bytes:
    """`git log` of exactly these commits (each with its own diff against its parents)."""
    try:
        out = subprocess.run(
            ["git", "-C", str(top), "-c", "core.quotepath=false", "log", *_LOG_ARGS, "--no-walk=unsorted", "--stdin"],
            input="".join(f"{sha}\n" for sha in shas).encode(),
            capture_output=True,
            timeout=600,
            env=_env(),
        )
    except FileNotFoundError:
        raise GitError("找不到 git 命令。请安装 git（Debian/Ubuntu：apt-get install git）。") from None
    except subprocess.TimeoutExpired:
        raise GitError("git log 运行超时。") from None
    if out.returncode != 0:
        raise GitError(f"git log 出错：{_first_line(out.stderr)}")
    return out.stdout


def _row(c: LogCommit) -> tuple:
    files = tuple((t.path, t.old, t.new) for t in c.touched)
    return (c.sha, c.parents, c.author, c.email, c.date, c.committer, c.committer_email, c.committed, c.subject, files)


def _commit(row: tuple, prefix: str) -> LogCommit:
    """A commit kept by `_row`, as `parse_log` with `prefix` would have read it."""
    cut = len(prefix)
    if cut:
        touched = tuple(Touched(path[cut:], old, new) for path, old, new in row[-1] if path.startswith(prefix))
    else:
        touched = tuple(map(Touched._make, row[-1]))
    sha, parents, author, email, adate, committer, cemail, committed, subject, _ = row
    return LogCommit(sha, parents, author, email, adate, committer, cemail, committed, subject, touched)


def parse_log(data: bytes, prefix: str) -> list[LogCommit]:
    """Parse `git log -z --raw -c` output in the format above (newest first, as git prints)."""
    tokens = data.decode("utf-8", "surrogateescape").split("\0")
    commits: list[LogCommit] = []
    i, n = 0, len(tokens)
    cut = len(prefix)
    while i < n:
        token = tokens[i].lstrip("\n")
        if not token.startswith("\x1e"):
            i += 1
            continue
        fields = [token[1:], *tokens[i + 1 : i + len(_FIELDS)]]
        i += len(_FIELDS)
        touched: list[Touched] = []
        while i < n:
            meta = tokens[i].lstrip("\n")
            if meta.startswith("\x1e"):
                break
            i += 1
            if not meta.startswith(":"):
                continue
            path = tokens[i] if i < n else ""
            i += 1
            if not path.startswith(prefix):
                continue
            colons = len(meta) - len(meta.lstrip(":"))
            parts = meta[colons:].split(" ")
            # `colons` parents: parent modes, result mode, parent blobs, result blob, status
            blobs = parts[colons + 1 : 2 * colons + 2]
            touched.append(Touched(path[cut:], tuple(blobs[:-1]), blobs[-1]))
        sha, parents, author, email, adate, committer, cemail, cdate, subject = fields
        commits.append(
            LogCommit(
                sha,
                tuple(parents.split()),
                author,
                email,
                datetime.fromisoformat(adate),
                committer,
                cemail,
                datetime.fromisoformat(cdate),
                subject,
                tuple(touched),
            )
        )
    return commits


def object_ids(repo: Repo, names: list[str]) -> dict[str, str]:
    """The object id of each `commit:path` name that exists (one `git cat-file --batch-check`)."""
    if not names:
        return {}
    if any("\n" in name for name in names):
        raise GitError("路径里有换行符，无法读取。")
    payload = "".join(f"{name}\n" for name in names).encode("utf-8", "surrogateescape")
    out = run(repo.top, "cat-file", "--batch-check=%(objectname)", input=payload)
    found = {}
    for name, line in zip(names, out.stdout.decode("utf-8", "surrogateescape").split("\n")):
        if line and not line.endswith(" missing") and " " not in line:
            found[name] = line
    return found


class CatFile:
    """One `git cat-file --batch` process for the whole run. Ask for blob ids or
    `commit:path` names; many names are written by a helper thread while the answers
    are read, so a long list never deadlocks on full pipes."""

    def __init__(self, top: Path):
        self.top = top
        self._proc: subprocess.Popen[bytes] | None = None  # started when first asked (a cached run asks nothing)
        self.reads = 0

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None:
            try:
                self._proc = subprocess.Popen(
                    ["git", "-C", str(self.top), "cat-file", "--batch"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    bufsize=1 << 16,
                    env=_env(),
                )
            except FileNotFoundError:
                raise GitError("找不到 git 命令。请安装 git（Debian/Ubuntu：apt-get install git）。") from None
            assert self._proc.stdin is not None and self._proc.stdout is not None  # both are pipes
        return self._proc

    def __enter__(self) -> CatFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        proc = self._proc
        if proc is None:
            return
        assert proc.stdin is not None and proc.stdout is not None
        if proc.poll() is None:
            try:
                proc.stdin.close()
            except OSError:
                pass
            proc.wait()
        proc.stdout.close()

    def get(self, name: str) -> tuple[str, bytes] | None:
        """(object id, contents) of a blob, or None when there is no such blob."""
        return self.get_many([name])[0]

    def get_many(self, names: list[str]) -> list[tuple[str, bytes] | None]:
        return self._ask(names, blobs=True)

    def ids(self, names: list[str]) -> dict[str, str]:
        """The object id of each `commit:path` name that exists, whatever the object (a
        folder's too: `object_ids` without starting another git)."""
        return {name: got[0] for name, got in zip(names, self._ask(names, blobs=False)) if got is not None}

    def _ask(self, names: list[str], blobs: bool) -> list[tuple[str, bytes] | None]:
        if not names:
            return []
        if any("\n" in name for name in names):
            raise GitError("路径里有换行符，无法读取。")
        payload = "".join(f"{name}\n" for name in names).encode("utf-8", "surrogateescape")
        failure: list[BaseException] = []
        proc = self._start()
        stdin, stdout = proc.stdin, proc.stdout
        assert stdin is not None and stdout is not None

        def write() -> None:
            try:
                stdin.write(payload)
                stdin.flush()
            except OSError as exc:
                failure.append(exc)

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        out: list[tuple[str, bytes] | None] = []
        for _ in names:
            header = stdout.readline()
            if not header:
                writer.join()
                raise GitError("git cat-file 意外退出。")
            parts = header.split()
            if len(parts) != 3 or not parts[2].isdigit():  # "<name> missing" or "<name> ambiguous"
                out.append(None)
                continue
            size = int(parts[2])
            data = stdout.read(size)
            stdout.read(1)  # the newline after the contents
            self.reads += 1
            out.append((parts[0].decode(), data) if parts[1] == b"blob" or not blobs else None)
        writer.join()
        if failure:
            raise GitError(f"无法向 git cat-file 写入：{failure[0]}")
        return out


def is_ancestor(repo: Repo, commit: str, of: str = "HEAD") -> bool | None:
    """Whether `commit` is an ancestor of `of`; None when `commit` is not in the repository."""
    out = run(repo.top, "merge-base", "--is-ancestor", commit, of, check=False)
    if out.returncode in (0, 1):
        return out.returncode == 0
    known = run(repo.top, "cat-file", "-e", f"{commit}^{{commit}}", check=False)
    if known.returncode != 0:
        return None
    raise GitError(f"git merge-base 出错：{_first_line(out.stderr)}")


def resolve(repo: Repo, rev: str) -> str:
    """The commit id a revision names; GitError in Chinese when there is none."""
    out = run(repo.top, "rev-parse", "-q", "--verify", f"{rev}^{{commit}}", check=False)
    if out.returncode != 0:
        raise GitError(
            f"找不到提交或分支“{rev}”。检查名字；在 CI 里先取回它（例如 git fetch origin main），"
            "并且取完整历史（fetch-depth: 0 / GIT_DEPTH: 0）。"
        )
    return out.stdout.decode().strip()
