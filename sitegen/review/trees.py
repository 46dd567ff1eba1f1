"""A revision's content folder on disk, for the same loader, checks and rules engine
that read the working tree; and the files a pull request changes, as git sees them.

Two ways to put a revision on disk:

- `exported`: `git archive` into a temp folder — the content only, no history;
- `checked_out`: a `git clone --shared` in a temp folder with the revision checked out —
  the history checks (E10xx: published quarters edited, published numbers moved) need a
  repository whose HEAD is that revision. `--shared` borrows the objects, so nothing is
  copied and the user's repository is not written to.

Either way symbolic links are not content: they are left out (an export) or removed (a
checkout), and `changed_files` lists them for the reviewer instead.

A pull request changes a few files of thousands, so `sitegen diff` does not check out
both sides:

- `clean_worktree`: when head is the commit checked out and the content folder is
  exactly it (nothing modified, untracked or ignored, no empty folder, no symbolic link
  or submodule), the content folder itself is head's tree;
- `swapped`: when the pull request only edits YAML files, base is head's scan with the
  changed files' bytes from git — no tree at all, and no other file read;
- `patched`: else base's tree is head's tree linked file by file (hard links, or copies
  where the file system has none) into a temp folder, with the files the pull request
  changed put back as base has them — what a checkout of base would give, written a few
  files at a time.

Either way the changed files are read as a checkout writes them (`checkout_bytes`): the
blob (`git cat-file --batch`), or, where .gitattributes or core.autocrlf make git
convert it on checkout (end of line, a filter), the blob through those conversions
(`git cat-file --filters`). That takes the working tree's attributes, so it is done only
when the .gitattributes files are the same in both commits and the working tree
(`same_attributes`); else each side is checked out.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sitegen.history.git import CatFile, GitError, Repo, run
from sitegen.load import MAX_FILE_BYTES, Scan

SYMLINK = "120000"
REGULAR = ("100644", "100755")
GITLINK = "160000"  # a submodule


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


@contextmanager
def checked_out(repo: Repo, commit: str):
    """The content folder of a temp clone whose HEAD is `commit` (an empty folder when the
    content folder did not exist then); removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="sitegen-review-") as tmp:
        clone = Path(tmp) / "repo"
        run(Path(tmp), "clone", "-q", "--shared", "--no-checkout", str(repo.top), str(clone))
        # no hooks of the user's configuration run in this throwaway copy
        run(
            clone,
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "advice.detachedHead=false",
            "checkout",
            "-q",
            "--detach",
            commit,
        )
        content = clone / repo.prefix if repo.prefix else clone
        content.mkdir(parents=True, exist_ok=True)
        _drop_symlinks(content)
        yield content


def clean_worktree(repo: Repo, commit: str) -> Path | None:
    """The content folder itself when it is exactly `commit`'s (see the module), else None."""
    if not commit or commit != repo.head:
        return None
    spec = f":(top,literal){repo.prefix}" if repo.prefix else ":(top)"
    status = run(
        repo.top, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored", "--", spec, check=False
    )
    if status.returncode != 0 or status.stdout.strip(b"\0"):
        return None
    tree = run(repo.top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", spec, check=False)
    if tree.returncode != 0 or any(
        entry.startswith((SYMLINK.encode(), GITLINK.encode())) for entry in tree.stdout.split(b"\0")
    ):
        return None
    flags = run(repo.top, "ls-files", "-v", "-z", "--", spec, check=False)  # assume-unchanged, skip-worktree
    if flags.returncode != 0 or any(e[:1] not in (b"H", b"") for e in flags.stdout.split(b"\0")):
        return None
    content = repo.top / repo.prefix if repo.prefix else repo.top
    for top, dirs, files in os.walk(content):
        dirs[:] = [d for d in dirs if not (top == str(repo.top) and d == ".git")]
        if not dirs and not files:
            return None  # an empty folder: git has none, a checkout would not either
    return content


@contextmanager
def patched(repo: Repo, commit: str, tree: Path, changes: list[FileChange]):
    """`commit`'s content folder in a temp folder, made from `tree` (another revision's
    content folder, as a checkout has it) and `changes` (every path that differs between
    the two, as changed_files lists them); removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="sitegen-review-") as tmp:
        dest = Path(tmp) / "content"
        dest.mkdir()
        source, into, cut = str(tree), str(dest), len(str(tree))
        for top, dirs, files in os.walk(source):
            dirs[:] = [d for d in dirs if d != ".git"]  # (hidden: never content)
            there = into + top[cut:]
            if there != into:
                os.mkdir(there)
            for name in files:
                _link(os.path.join(top, name), os.path.join(there, name))
        wanted = [c for c in changes if c.old_mode not in ("000000", SYMLINK, GITLINK)]
        blobs = checkout_bytes(repo, commit, [c.path for c in wanted])
        for c in changes:
            target = dest / c.path
            if target.is_symlink() or target.is_file():
                target.unlink()
            elif target.is_dir() and GITLINK in (c.old_mode, c.new_mode):
                _remove_empty(target, dest)
        for c, blob in zip(wanted, blobs):
            if blob is None:
                raise GitError(f"无法读取提交 {commit[:7]} 里的 {c.path}。")
            target = dest / c.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
        for c in changes:
            if c.old_mode == GITLINK:
                (dest / c.path).mkdir(parents=True, exist_ok=True)  # a checkout leaves a submodule's empty folder
            elif c.old_mode in ("000000", SYMLINK):
                _remove_empty((dest / c.path).parent, dest)
        yield dest


def _link(source: str, target: str) -> None:
    """A hard link (the files are only read, never written through), or a copy."""
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        shutil.copyfile(source, target, follow_symlinks=False)


def _remove_empty(folder: Path, stop: Path) -> None:
    """`folder` and the folders above it, up to `stop`, while they are empty."""
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _drop_symlinks(folder: Path) -> None:
    for top, dirs, files in os.walk(folder):
        for name in [*files, *dirs]:
            path = Path(top) / name
            if path.is_symlink():
                path.unlink()
        dirs[:] = [d for d in dirs if d != ".git" and not (Path(top) / d).is_symlink()]


def _extract(repo: Repo, tree: str, dest: Path) -> None:
    proc = subprocess.Popen(
        ["git", "-C", str(repo.top), "archive", "--format=tar", tree], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
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
        err = proc.stderr.read() if proc.stderr is not None else b""
        proc.wait()
    if proc.returncode != 0:
        raise GitError(f"git archive 出错：{err.decode('utf-8', 'replace').strip()}")


def swapped(repo: Repo, commit: str, head: Scan, changes: list[FileChange]) -> Scan | None:
    """`commit`'s scan made from another revision's (`head`, of a tree as a checkout has it)
    when all `changes` are edits of YAML files, the only files `check` reads through the
    scan alone: the same files, so the same sources and the same names' problems, with the
    changed files' bytes read from git. None when it cannot be (a file added, removed or
    of another type, a notice or a theme file, which are also read from the folder; a
    changed file that one side cannot read): then base needs a tree of its own."""
    if any(
        c.change != "修改"
        or c.old_mode not in REGULAR
        or c.new_mode not in REGULAR
        or not c.path.endswith(".yaml")
        or c.path.startswith("theme/")  # the theme is read from the folder
        for c in changes
    ):
        return None
    refused = {p.pos.file for p in head.problems}
    wanted = [c.path for c in changes if c.path in head.hashes]
    if any(c.path in refused for c in changes):
        return None
    blobs = checkout_bytes(repo, commit, wanted)
    mine: dict[str, bytes] = {}
    hashes = dict(head.hashes)
    for path, blob in zip(wanted, blobs):
        if blob is None or len(blob) > MAX_FILE_BYTES:
            return None
        mine[path] = blob
        hashes[path] = hashlib.sha256(blob).hexdigest()
    return Scan(head.root, list(head.sources), list(head.problems), Swapped(head.raw, mine), hashes)


class Swapped(Mapping[str, bytes]):
    """Head's files' bytes with some files' replaced: the others are read from head's scan
    only when asked for (a scan whose hashes came from the stat cache has not read them)."""

    def __init__(self, head: Mapping[str, bytes], mine: dict[str, bytes]):
        self._head = head
        self._mine = mine

    def __getitem__(self, path: str) -> bytes:
        data = self._mine.get(path)
        return data if data is not None else self._head[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._head)

    def __len__(self) -> int:
        return len(self._head)

    def __contains__(self, path: object) -> bool:
        return path in self._mine or path in self._head


# what makes git change a file's bytes on checkout (gitattributes(5)): anything but these
# left unspecified (or unset) means the blob is the file
CONVERTING = ("text", "eol", "crlf", "filter", "ident", "working-tree-encoding")


def checkout_bytes(repo: Repo, commit: str, paths: list[str]) -> list[bytes | None]:
    """What a checkout of `commit` puts in each file (paths relative to the content folder;
    None: no such file): the blob as it is, or, where the repository's attributes or
    core.autocrlf make git convert it on checkout (end of line, a filter, ident…), the
    blob through those conversions (`git cat-file --filters`, one file at a time: git's
    batch mode misreports a converted file's size). The attributes are the working
    tree's: `same_attributes` says when they are also both commits'."""
    full = [repo.prefix + p for p in paths]
    converted = _converted(repo, full)
    plain = [p for p in full if p not in converted]
    with CatFile(repo.top) as cat:
        found = dict(zip(plain, cat.get_many([f"{commit}:{p}" for p in plain])))
    out: list[bytes | None] = []
    for p in full:
        if p in converted:
            done = run(repo.top, "cat-file", "--filters", f"{commit}:{p}", check=False)
            out.append(done.stdout if done.returncode == 0 else None)
        else:
            blob = found[p]
            out.append(blob[1] if blob is not None else None)
    return out


def _converted(repo: Repo, paths: list[str]) -> set[str]:
    """The paths (relative to the repository) git converts on checkout."""
    if not paths:
        return set()
    autocrlf = run(repo.top, "config", "--get", "core.autocrlf", check=False).stdout.strip().lower()
    if autocrlf == b"true":
        return set(paths)
    payload = b"".join(p.encode("utf-8", "surrogateescape") + b"\0" for p in paths)
    out = run(repo.top, "check-attr", "-z", "--stdin", *CONVERTING, input=payload)
    fields = out.stdout.split(b"\0")
    found: set[str] = set()
    for path, _attr, value in zip(fields[0::3], fields[1::3], fields[2::3]):
        if value not in (b"unspecified", b"unset"):
            found.add(path.decode("utf-8", "surrogateescape"))
    return found


ATTRIBUTES = ":(top,glob)**/.gitattributes"


def same_attributes(repo: Repo, old: str, new: str) -> bool:
    """Whether every .gitattributes file is the same in both commits and in the working
    tree (none modified, removed or untracked there): then the working tree's attributes,
    which `checkout_bytes` applies, are those a checkout of either commit applies. When
    they differ, each side needs a checkout of its own."""
    if run(repo.top, "diff", "--quiet", old, new, "--", ATTRIBUTES, check=False).returncode != 0:
        return False
    if run(repo.top, "diff", "--quiet", new, "--", ATTRIBUTES, check=False).returncode != 0:
        return False
    others = run(repo.top, "ls-files", "-z", "--others", "--", ATTRIBUTES, check=False)
    return others.returncode == 0 and not others.stdout.strip(b"\0")


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file the pull request adds, removes or changes, relative to the content folder."""

    path: str
    change: str  # 新增 / 删除 / 修改
    old_mode: str  # git's mode, '000000' when absent
    new_mode: str

    @property
    def symlink(self) -> bool:
        return SYMLINK in (self.old_mode, self.new_mode)

    @property
    def kind(self) -> str:
        """What the file is, on either side, in the reviewer's words."""
        if self.symlink:
            return "符号链接"
        if GITLINK in (self.old_mode, self.new_mode):
            return "子模块"
        return "文件"


def changed_files(repo: Repo, old: str, new: str) -> list[FileChange]:
    """Every path under the content folder that differs between two commits, with modes."""
    spec = f":(top,literal){repo.prefix}" if repo.prefix else ":(top)"
    out = run(
        repo.top,
        "-c",
        "core.quotepath=false",
        "diff",
        "--raw",
        "-z",
        "--no-renames",
        "--no-abbrev",
        old,
        new,
        "--",
        spec,
    )
    tokens = out.stdout.decode("utf-8", "surrogateescape").split("\0")
    changes = []
    cut = len(repo.prefix)
    for meta, path in zip(tokens[0::2], tokens[1::2]):
        if not meta.startswith(":"):
            continue
        old_mode, new_mode, _, _, status = meta[1:].split(" ")[:5]
        word = {"A": "新增", "D": "删除"}.get(status[:1], "修改")
        changes.append(FileChange(path[cut:], word, old_mode, new_mode))
    return sorted(changes, key=lambda c: c.path)
