"""Stage 4: writing the output, only what changed, never leaving a mix nobody finishes.

A build renders the files that changed into a temporary folder beside the output (inside
it when the output is a mount point), with the new manifest; files whose inputs are
unchanged stay where they are, untouched. Then it writes a roll-forward journal (which
new files to move into place, which of the last build's files to remove), durably,
beside the lock; then moves and removes (one rename per file: a visitor gets the old
page or the new one, never part of one), records the state, and drops the journal. A
build killed before the journal leaves the last good output as it was; one killed after
it leaves work that the next build, `serve` or `publish` finishes first (`finish_pending`)
— publish and serve never read an output with a journal pending. Each output file is
recorded in a manifest with the hash of the inputs that made it (Lektor's idea). A file's
inputs key is the hash of what it shows (its view, template and theme: sitegen.render.run),
so a file is rendered again exactly when what it shows changed.

The output folder is sitegen's alone, and this module makes sure of it:

- `check_output` refuses a folder that is not ours before anything is read or written:
  the content folder, any folder holding it (the repository root, `.`), a folder inside
  it, a git repository, a file, or a folder holding files that no sitegen manifest lists
  (`-o docs`). Only files the last manifest lists are ever removed, and a new file is
  never moved over one it does not list (E971).
- `output_lock` lets one build at a time write a given output (an flock on a hidden file
  beside it); a second build waits, saying so, and gives up after a long while.
- The manifest records every file's size and the sha256 of its bytes as written (which
  `sitegen publish` checks while it copies: a file edited by hand, whatever its size, is
  never published); the lock file records every file's (ours and anyone else's) size,
  modification time, inode and (with one link) change time, each folder's times and the
  manifest's own status. `Output.unchanged` compares them with one lstat each; `Output`
  itself does too (`_look`), reading again only the folders whose times moved (a file
  added or removed), and walks the whole output only when nothing is recorded or a
  recorded folder is gone — so a file deleted or edited by hand is noticed and made
  again, never trusted, and someone's file is never written over, without a walk of
  35,000 files on every build. The commit records the new state from the old one and
  its own moves, and writes the manifest spliced from the last one (sitegen.manifest).
- Errors of the file system (full disk, read-only, permission denied) become
  `OutputError` with a Chinese problem; before the journal is written the temporary
  folder is removed and the last good output is left as it was.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import marshal
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator, KeysView
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from itertools import chain, repeat
from operator import attrgetter, methodcaller
from pathlib import Path

from sitegen.manifest import SECTIONS, encode_manifest, places
from sitegen.problems import Pos, Problem

MANIFEST = ".sitegen-manifest.json"
INSIDE_PREFIX = ".sitegen-"  # staging, old entries and the lock when they live inside the output (a mount point)
LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})  # what Finder and Explorer leave in any folder they open
LOCK_TIMEOUT = 30 * 60.0  # seconds a build waits for another one writing the same output


class OutputError(Exception):
    """The output folder cannot be written; `problem` says why and what to do (Chinese)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


# -- whose folder is it ----------------------------------------------------------------


def check_output(dest: Path, content: Path | None = None) -> Problem | None:
    """Why `dest` must not be written as sitegen's output, or None if it may: missing,
    empty, or holding an earlier sitegen output and nothing else. Nothing is touched."""
    shown = str(dest)
    real = Path(os.path.realpath(dest))
    if content is not None:
        home = Path(os.path.realpath(content))
        if real == home or real in home.parents or home in real.parents:
            where = (
                "内容目录本身"
                if real == home
                else "内容目录的上级目录（包含内容目录）"
                if real in home.parents
                else "内容目录里面的目录"
            )
            return Problem(
                "E970",
                f"不能把网站写进“{shown}”：它是{where}。写入时会把整个目录换成网站，"
                "内容和其他文件都会丢失；什么也没有改动。",
                Pos(shown),
                "换一个专用的输出目录，例如 -o output（默认）。",
            )
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return _os_problem(exc, real, "检查输出目录")
    if not stat.S_ISDIR(st.st_mode):
        return Problem(
            "E971",
            f"“{shown}”是一个文件，不是目录；不能把网站写在那里，什么也没有改动。",
            Pos(shown),
            "换一个不存在的或空的目录作为输出目录，例如 -o output。",
        )
    if os.path.lexists(real / ".git"):
        return Problem(
            "E970",
            f"不能把网站写进“{shown}”：它是一个 git 仓库（有 .git）。写入时会把整个目录换成网站，"
            "仓库和未提交的改动都会丢失；什么也没有改动。",
            Pos(shown),
            "换一个专用的输出目录，例如 -o output。",
        )
    try:
        names = sorted(name for name in os.listdir(real) if not _ours(name) and name not in LITTER)
    except OSError as exc:
        return _os_problem(exc, real, "读取输出目录")
    if not names:
        return None
    if _read_journal(real) is not None:
        return None  # our own output, a build's moves not finished yet (the next build finishes them)
    state = _read_state(real)
    if state is not None and isinstance(state.get("tops"), list):
        # the manifest as the last build wrote it (its status recorded beside the output):
        # the top-level names it lists are recorded there too, no need to read it
        try:
            written = _same(state.get("manifest"), _facts(os.lstat(real / MANIFEST)))
        except OSError:
            written = False
        if written:
            tops = set(state["tops"])
            extra = [name for name in names if name not in tops and name != MANIFEST]
            return _extra_problem(shown, extra) if extra else None
    manifest = read_manifest(real)
    if manifest is None:
        listed = "、".join(names[:5]) + ("等" if len(names) > 5 else "")
        return Problem(
            "E971",
            f"“{shown}”里已经有不是 sitegen 生成的文件（{listed}），写入时会把它们删掉，所以没有写入，什么也没有改动。",
            Pos(shown),
            "换一个不存在的或空的目录作为输出目录（例如 -o output）；确实要用这个目录，先把里面的文件移走。",
        )
    files = manifest.get("files")
    if isinstance(files, dict):
        tops = {rel.split("/", 1)[0] for rel in files}
        extra = [name for name in names if name not in tops and name != MANIFEST]
        if extra:
            return _extra_problem(shown, extra)
    return None


def _extra_problem(shown: str, extra: list[str]) -> Problem:
    listed = "、".join(extra[:5]) + ("等" if len(extra) > 5 else "")
    return Problem(
        "E971",
        f"“{shown}”是以前生成的网站，但里面多了不是 sitegen 生成的文件（{listed}），"
        "写入时会把它们删掉，所以没有写入，什么也没有改动。",
        Pos(shown),
        "把这些文件移到输出目录以外，再运行。",
    )


def _ours(name: str) -> bool:
    """Entries of an output folder that are not part of the site: our own hidden staging,
    lock and leftovers (when the output is a mount point), and a file system's lost+found."""
    return name.startswith(INSIDE_PREFIX) or name == "lost+found"


def read_manifest(dest: Path) -> dict | None:
    return _read_manifest(dest)[0]


def _read_manifest(dest: Path) -> tuple[dict | None, str]:
    """The manifest, and its text (which the next one is spliced from: sitegen.manifest)."""
    try:
        text = (dest / MANIFEST).read_text("utf-8")
        data = json.loads(text)
    except (OSError, ValueError):
        return None, ""
    return (data, text) if isinstance(data, dict) else (None, "")


# -- one build at a time -----------------------------------------------------------------

_held: dict[tuple[str, int], list] = {}  # (lock file, thread) -> [fd, depth]: a build's own write() re-enters
_held_guard = threading.Lock()


def _lock_path(dest: Path) -> Path:
    real = Path(os.path.realpath(dest))
    if _inside(real):
        return real / f"{INSIDE_PREFIX}lock"
    return real.parent / f".{real.name}.lock"


@contextmanager
def output_lock(dest: Path, say: Callable[[str], None] | None = None, timeout: float | None = None) -> Iterator[None]:
    """Hold the output's lock (flock on a hidden file beside it) while a build reads what is
    there and writes the next one. A second build waits, says so once, and after `timeout`
    seconds raises OutputError (E972). Re-entrant within one thread."""
    path = _lock_path(dest)
    key = (str(path), threading.get_ident())
    with _held_guard:
        if key in _held:
            _held[key][1] += 1
            mine = False
        else:
            mine = True
    if not mine:
        try:
            yield
        finally:
            with _held_guard:
                _held[key][1] -= 1
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputError(_os_problem(exc, path, "建立输出目录的锁文件")) from None
    try:
        patience = LOCK_TIMEOUT if timeout is None else timeout
        deadline = time.monotonic() + patience
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    (say or _say)(f"另一个生成正在写入 {dest}，等待它完成…")
                    waited = True
                if time.monotonic() >= deadline:
                    raise OutputError(
                        Problem(
                            "E972",
                            f"另一个 sitegen 生成一直在写入“{dest}”，等了 {patience:.0f} 秒还没有写完，这次没有生成。",
                            Pos(str(dest)),
                            f"看看是否有卡住的 sitegen build 或 sitegen serve 进程，结束它后再运行（锁文件：{path}）。",
                        )
                    ) from None
                time.sleep(0.1)
        with _held_guard:
            _held[key] = [fd, 1]
        try:
            yield
        finally:
            with _held_guard:
                del _held[key]
    finally:
        os.close(fd)  # releases the flock


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- the output folder -------------------------------------------------------------------


class Output:
    """One build's view of the output folder: what the last build left (its manifest,
    checked against the disk) and the staging folder the next one is written into."""

    def __init__(self, dest: Path, survey: Survey | None = None):
        """`survey`: the output's files looked at in the background since the build began
        (:class:`Survey`); without one, or when it cannot vouch for the state read here,
        they are looked at now."""
        self.dest = Path(os.path.realpath(dest))  # a symlinked output: its target is swapped, the link stays
        self.staging = self.dest  # set in __enter__
        self.previous: dict[str, str] = {}  # page path -> inputs key, from the last build
        self.manifest: dict[str, str] = {}
        self.units: dict[str, list] = {}  # unit id -> [its inputs key or "", [its files]]
        self.previous_units: dict[str, tuple[str, list[str]]] = {}  # the same, from the last build
        self.inside = False  # staging inside the output (a mount point) instead of beside it
        found, text = _read_manifest(self.dest)
        data = found or {}
        previous, sizes = data.get("pages"), data.get("files")
        if not (isinstance(previous, dict) and isinstance(sizes, dict)):
            previous, sizes = {}, None
        state = _read_state(self.dest)
        exact = survey is not None and state is not None and survey.exact(state)
        seen = _look(self.dest, state, sizes, exact) if sizes and state is not None else None
        # the last manifest's text, to splice the next one from: only one our own commit
        # wrote (canonical), as the state vouches (a manifest rewritten by hand is not)
        self._last_text = ""
        self._last = data
        self.sound: AbstractSet[str]  # the files the manifest lists, exactly as the last build wrote them
        if seen is not None:  # the state recorded beside the output, checked file by file
            on_disk, dirs, self.sound = seen
            if state is not None and state.get("canonical") is True:
                self._last_text = text
        else:  # nothing recorded to go by (or a folder gone or replaced): the full walk
            dirs = {}
            on_disk = _record(self.dest, dirs) if sizes is not None else {}
            recorded = _state_files(state) if state is not None else None
            # only files exactly as the last build wrote them may be linked into the next one:
            # the size the manifest records, and the modification and change times and inode
            # recorded beside the output when it was written (only the size if that record is lost)
            self.sound = (
                {
                    rel
                    for rel, (size, *facts) in on_disk.items()
                    if sizes.get(rel) == size and (recorded is None or _same(recorded.get(rel), [size, *facts]))
                }
                if sizes
                else set()
            )
        # every file the manifest lists as written (a file someone added deeper inside is
        # not ours: never removed, never written over, no reason to build again)
        self.intact = sizes is not None and len(self.sound) == len(sizes)
        # (every file sound, the usual case: the last manifest's own dicts, not copies)
        every = self.intact and previous.keys() <= self.sound
        self.previous = previous if every else {rel: key for rel, key in previous.items() if rel in self.sound}
        self._seen = (on_disk, dirs)  # what the disk holds now: remember() records it
        self._sizes: dict[str, int] = sizes or {}  # the files the last build made (only these are ever removed)
        self._kept: set[str] = set()  # files left in place as the last build wrote them
        # the sha256 of each file's bytes as written (publish verifies them while copying):
        # the last build's, then this build's own writes
        hashes = data.get("hashes")
        self._old_hashes: dict[str, str] = {}
        if isinstance(hashes, dict):
            if every and hashes.keys() <= self.sound and set(map(type, hashes.values())) <= {str}:
                self._old_hashes = hashes
            else:
                self._old_hashes = {rel: h for rel, h in hashes.items() if rel in self.sound and h.__class__ is str}
        self._state = state
        self._vouched = state is not None  # the sound files' times and inodes checked, not sizes alone
        self._hashes: dict[str, str] = {}
        units = data.get("units")
        if isinstance(units, dict) and sizes is not None:
            for uid, entry in units.items():
                if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str) and entry[0]:
                    if isinstance(entry[1], list) and all(map(isinstance, entry[1], repeat(str))):
                        self.previous_units[uid] = (entry[0], entry[1])

    def remember(self) -> None:
        """Record the output as it is now (an `intact` one, as `_look` or the walk found
        it: e.g. a file manager's litter added) as the state the next `unchanged` compares
        with."""
        if self.intact:
            files, dirs = self._seen
            state = _state(self.dest, files, dirs, self._sizes)
            if state is not None and self._last_text:
                state["canonical"] = True  # the same manifest the last state vouched for
            _write_state(self.dest, state)

    @staticmethod
    def unchanged(dest: Path, survey: Survey | None = None) -> bool:
        """Whether the output is, cheaply seen, exactly as the last build left it: every
        file and folder with the size, times and inode recorded beside the output when it
        was written, and the manifest too (one lstat each, no walk, the manifest not
        read). A file deleted, replaced or edited by hand changes its own times (an edit
        that restores the modification time still changes the change time); a file
        added or removed changes its folder's. False: not certain — ask `Output(dest)`
        (which reads those folders again, or walks, and forgives a file manager's litter).
        With a `survey` that vouches for the state read here, its answer is this one."""
        real = os.path.realpath(dest)
        state = _read_state(Path(real))
        if state is None:
            return False
        paths, facts, dirs, manifest = state["paths"], state["facts"], state.get("dirs"), state.get("manifest")
        if not (isinstance(dirs, dict) and isinstance(manifest, list)):
            return False
        if survey is not None and survey.exact(state):
            return True
        base = real + "/"
        lstat, isreg = os.lstat, stat.S_ISREG
        try:
            if not _same(manifest, _facts(lstat(base + MANIFEST))):
                return False
            for rel, known in dirs.items():
                st = lstat(base + rel if rel else real)
                if not stat.S_ISDIR(st.st_mode) or [st.st_mtime_ns, st.st_ctime_ns, st.st_ino] != known:
                    return False
            i = 0
            for rel in paths:
                st = lstat(base + rel)
                if (
                    st.st_size != facts[i]
                    or st.st_mtime_ns != facts[i + 1]
                    or st.st_ino != facts[i + 3]
                    or (facts[i + 2] != -1 and (st.st_ctime_ns != facts[i + 2] or st.st_nlink != 1))
                    or not isreg(st.st_mode)
                ):
                    return False
                i += 4
        except (OSError, TypeError, ValueError, IndexError):
            return False
        return True

    def __enter__(self) -> Output:  # noqa: PYI034 (not subclassed)
        finish_pending(self.dest)  # a build interrupted after its journal: finished first
        self.inside = _inside(self.dest)
        if self.inside:
            for leftover in self.dest.glob(f"{INSIDE_PREFIX}staging-*"):
                shutil.rmtree(leftover, ignore_errors=True)  # left by an interrupted build (we hold the lock)
            for leftover in self.dest.glob(f"{INSIDE_PREFIX}old-*"):
                _remove_later(leftover)
            self.staging = Path(tempfile.mkdtemp(prefix=f"{INSIDE_PREFIX}staging-", dir=self.dest))
        else:
            parent, name = self.dest.parent, self.dest.name
            parent.mkdir(parents=True, exist_ok=True)
            for leftover in list(parent.glob(f".{name}.building*")):
                shutil.rmtree(leftover, ignore_errors=True)
            for leftover in parent.glob(f".{name}.old-*"):
                _remove_later(leftover)  # a previous output (of an older sitegen) whose removal did not finish
            self.staging = Path(tempfile.mkdtemp(prefix=f".{name}.building-", dir=parent))
        os.chmod(self.staging, 0o755)  # mkdtemp's 0700 would hide the site from the web server
        self._made: set[str] = set()
        self._journaled = False
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        try:
            self._commit()
        except BaseException:
            if not self._journaled:  # the output untouched: nothing to finish
                shutil.rmtree(self.staging, ignore_errors=True)
                try:
                    os.unlink(_journal_path(self.dest))
                except OSError:
                    pass
            # else the journal and the temporary folder stay: the next build (or serve,
            # publish) finishes moving the new files into place before anything else
            raise

    def reuse(self, rel: str, key: str) -> bool:
        """If `rel` was made from the same inputs last time (and is still on disk as it was
        written), leave it in place and say so."""
        if self.previous.get(rel) != key:
            return False
        self._kept.add(rel)
        return True

    def reuse_unit(self, uid: str, key: str) -> dict[str, str] | None:
        """If the unit `uid` was made from the same inputs (`key`) last time and every file
        it made is still on disk as written, leave them all in place: its files and their
        inputs keys. None: it must be looked at (a file it made was deleted or edited by
        hand)."""
        last = self.previous_units.get(uid)
        if last is None or last[0] != key:
            return None
        previous = self.previous  # the last build's files still on disk as written, with their keys
        try:
            files = {rel: previous[rel] for rel in last[1]}
        except KeyError:
            return None  # one is not: the unit is rendered instead
        self._kept.update(files)
        return files

    def write(self, rel: str, data: bytes) -> None:
        self._kept.discard(rel)
        target = self._prepare(rel)
        with open(target, "wb") as f:
            f.write(data)
        self._hashes[rel] = hashlib.sha256(data).hexdigest()

    def _prepare(self, rel: str) -> Path:
        target = self.staging / rel
        parent = os.path.dirname(rel)
        if parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(parent)
        return target

    def _commit(self) -> None:
        """Move the new files into place with a roll-forward journal: the new manifest and
        every new file are in the temporary folder (written and flushed: a full disk shows
        here, with the output untouched); the journal — which files to move into place,
        which of the last build's files to remove — is written durably; then the moves and
        removals, the state, and the journal dropped. A crash after the journal leaves
        work that `finish_pending` completes, never a mix that nobody finishes."""
        written = _record(self.staging)
        on_disk = self._seen[0]
        # not ours, where this build writes: there when the output was looked at, or put
        # there since (the look may be the survey's, made while the content was read:
        # each new path looked at again now, one lstat per file the last build did not make)
        lexists, base = os.path.lexists, str(self.dest) + "/"
        in_the_way = sorted(
            rel for rel in written if rel not in self._sizes and (rel in on_disk or lexists(base + rel))
        )
        if in_the_way:
            raise OutputError(_extra_problem(str(self.dest), in_the_way))  # never written over: not ours
        # left in place: by this process, and by forked render workers (whose `reuse` this
        # process never saw: the files they listed in the manifest without writing them)
        # (set operations on the keys, and the last manifest's dicts changed where this
        # build changed something: no Python-level loop over every file)
        kept = ((self.manifest.keys() & self.previous.keys()) | self._kept) - written.keys()
        gone = self._sizes.keys() - kept - written.keys()  # the last build's files no longer made
        sizes = dict(self._sizes)  # a kept file is sound: the size the manifest records
        for rel in gone:
            del sizes[rel]
        sizes.update((rel, fact[0]) for rel, fact in written.items())
        hashes = self._file_hashes(kept, written, gone)
        # a folder on the way replaced by a link would take the writes and removals outside
        # the output: never followed, nothing changed
        removes = sorted(gone)
        linked = sorted(rel for rel in [*written, *removes] if _linked(self.dest, rel))
        if linked:
            raise OutputError(_extra_problem(str(self.dest), linked))
        # deterministic (the same content, byte-identical output): sizes only; the times and
        # inodes go into the state beside the output
        # (one line: json's C encoder; an indent takes its Python one, 5× slower), spliced
        # from the last one's text where that is ours: only the changed entries encoded
        data = self._manifest_text(
            {"pages": self.manifest, "units": self.units, "files": sizes, "hashes": hashes}, kept
        )
        with open(self.staging / MANIFEST, "w", encoding="utf-8") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())  # a full disk shows here, before the last good output is touched
        journal = {
            "format": JOURNAL_FORMAT,
            "staging": os.fspath(self.staging),
            "moves": sorted(written) + [MANIFEST],  # the manifest last
            "removes": removes,
        }
        _write_durably(_journal_path(self.dest), json.dumps(journal, ensure_ascii=False).encode("utf-8"))
        self._journaled = True
        _write_state(self.dest, None)  # from here until the new state is written, trust sizes only
        self._swap()
        _write_state(self.dest, self._written_state(sizes, written, removes))
        _drop_journal(self.dest, self.staging)

    def _manifest_text(self, sections: dict[str, dict], kept: set[str]) -> str:
        """The new manifest: `sections` encoded as `json.dumps` of them sorted would,
        spliced from the last manifest's text when it is one our commit wrote. The entries
        of the `kept` files are the last manifest's (left in place: the same inputs key,
        size and hash), so only the others are compared."""
        where = places(self._last_text) if self._last_text else None
        old = {name: self._last.get(name) for name in SECTIONS}
        if where is None or not all(isinstance(value, dict) for value in old.values()):
            return encode_manifest(sections)
        texts = {name: self._last_text[where[2 * i] : where[2 * i + 1]] for i, name in enumerate(SECTIONS)}
        return encode_manifest(
            sections, {name: value for name, value in old.items() if isinstance(value, dict)}, texts, kept
        )

    def _file_hashes(self, kept: set[str], written: dict[str, list[int]], gone: set[str]) -> dict[str, str]:
        """The sha256 of every file of the new output as written: this process's writes
        hashed as they were written; a forked render worker's read back from the temporary
        folder; a kept file's from the last manifest — or, from a manifest that had none
        (an older sitegen), read from the output once, only when the recorded state
        vouches that it is exactly as written (times and inode, not the size alone: a file
        edited by hand is never taken as written). Files without one are checked by size."""
        old = self._old_hashes
        hashes = dict(old)  # the sound files' (every one kept, made again, or `gone`)
        for rel in gone:
            hashes.pop(rel, None)
        missing = kept - old.keys()
        if missing and self._state is not None:
            recorded = _state_files(self._state)
            for rel in missing:
                try:
                    fd = os.open(self.dest / rel, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
                    with os.fdopen(fd, "rb") as f:
                        if _same(recorded.get(rel), _facts(os.fstat(f.fileno()))):
                            hashes[rel] = file_sha256(f)
                except OSError:
                    pass
        for rel in written:
            known = self._hashes.get(rel)
            if known is None:
                with open(self.staging / rel, "rb") as f:
                    known = file_sha256(f)
            hashes[rel] = known
        return hashes

    def _written_state(self, sizes: dict[str, int], written: dict[str, list[int]], removes: list[str]) -> dict | None:
        """The state of the output just written, from what the start saw (`_seen`: the
        walk's or `_look`'s finding) and what this build changed, with no second walk:
        the moved files and the removed ones looked at again, and the folders on their
        way (whose entries those changed); every other file and folder is as seen."""
        on_disk, seen_dirs = self._seen
        files = dict(on_disk)
        dirs = dict(seen_dirs)
        base = os.fspath(self.dest) + "/"
        folders = {""}
        try:
            for rel in removes:
                try:
                    st = os.lstat(base + rel)
                except FileNotFoundError:
                    files.pop(rel, None)
                else:  # left where it was (a link on its way, a folder in its place)
                    if stat.S_ISDIR(st.st_mode):
                        files.pop(rel, None)
                    else:
                        files[rel] = _facts(st) if stat.S_ISREG(st.st_mode) else [-1, -1, -1, -1]
                folders.add(rel.rpartition("/")[0])
            for rel in written:
                st = os.lstat(base + rel)
                files[rel] = _facts(st) if stat.S_ISREG(st.st_mode) else [-1, -1, -1, -1]
                dirs.pop(rel, None)  # a folder of the last build where this file now is (emptied, removed)
                folders.add(rel.rpartition("/")[0])
            for rel in list(folders):
                while rel:
                    rel = rel.rpartition("/")[0]
                    folders.add(rel)
            for rel in sorted(folders):
                try:
                    st = os.lstat(base + rel if rel else self.dest)
                except FileNotFoundError:
                    dirs.pop(rel, None)  # emptied by the removals, and removed
                    continue
                if not stat.S_ISDIR(st.st_mode):
                    return None
                dirs[rel] = [st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        except OSError:
            return None  # not certain: the next build walks the output
        tops = None
        last = self._state.get("tops") if self._state is not None else None
        if isinstance(last, list) and self._last_text and not removes:
            # the top-level names of a manifest the state vouched for only grow (no file is gone)
            tops = sorted({*last, *(rel.partition("/")[0] for rel in written)})
        state = _state(self.dest, files, dirs, sizes, tops)
        if state is not None:
            state["canonical"] = True  # the manifest just written is ours, canonical: the next splices from it
        return state

    def _swap(self) -> None:
        """The journal's moves and removals (it is written: a crash from here on is finished
        by the next build)."""
        journal = _read_journal(self.dest)
        if journal is None:
            raise OutputError(
                _os_problem(OSError(errno.EIO, "日志文件读不回来"), _journal_path(self.dest), "写入输出目录")
            )
        _apply(self.dest, journal)


JOURNAL_FORMAT = 1


def _journal_path(dest: Path) -> Path:
    """The roll-forward journal of a build moving its files into place: beside the lock."""
    lock = _lock_path(dest)
    return lock.with_name(lock.name + ".journal")


def pending(dest: Path) -> bool:
    """Whether the output has a build's moves not yet finished (publish and serve must not
    read it before `finish_pending`)."""
    return os.path.lexists(_journal_path(Path(os.path.realpath(dest))))


def finish_pending(dest: Path) -> bool:
    """Finish the moves of a build that was interrupted after writing its journal (the
    caller holds the output's lock). True if there was one. The moves and removals are
    done again where not yet done; the state is forgotten (sizes alone are trusted until
    the next build records it)."""
    real = Path(os.path.realpath(dest))
    path = _journal_path(real)
    if not os.path.lexists(path):
        return False
    journal = _read_journal(real)
    if journal is None:  # written by os.replace, so whole or absent: not ours; the output was never touched by it
        os.unlink(path)
        return True
    _write_state(real, None)
    _apply(real, journal)
    _drop_journal(real, Path(journal["staging"]))
    return True


def _read_journal(dest: Path) -> dict | None:
    try:
        data = json.loads(_journal_path(dest).read_bytes())
    except (OSError, ValueError):
        return None
    if (
        isinstance(data, dict)
        and data.get("format") == JOURNAL_FORMAT
        and isinstance(data.get("staging"), str)
        and all(
            isinstance(data.get(k), list) and all(isinstance(r, str) for r in data[k]) for k in ("moves", "removes")
        )
    ):
        return data
    return None


def _drop_journal(dest: Path, staging: Path) -> None:
    try:
        os.unlink(_journal_path(dest))
    except FileNotFoundError:
        pass
    shutil.rmtree(staging, ignore_errors=True)  # empty folders left by the moves


def _safe_rel(rel: str) -> bool:
    return bool(rel) and not rel.startswith("/") and ".." not in rel.split("/")


def _linked(dest: Path, rel: str) -> bool:
    """Whether a folder on the way from `dest` to `rel` is not a real folder (a link
    someone put there): writing or removing through it would reach outside the output."""
    here = dest
    for part in rel.split("/")[:-1]:
        here = here / part
        try:
            if not stat.S_ISDIR(os.lstat(here).st_mode):
                return True
        except FileNotFoundError:
            return False  # made by the move, a real folder
        except OSError:
            return True
    return False


def _apply(dest: Path, journal: dict) -> None:
    """Do what a journal says, again if need be: remove the last build's files no longer
    made (and folders they leave empty), then move every new file into place (one rename
    each: a visitor gets the old page or the new one, never part of one)."""
    staging = Path(journal["staging"])
    os.makedirs(dest, exist_ok=True)
    for rel in journal["removes"]:
        if not _safe_rel(rel) or _linked(dest, rel):
            continue
        try:
            os.unlink(dest / rel)
        except FileNotFoundError:
            pass
        except IsADirectoryError:
            continue
        parent = (dest / rel).parent
        while parent != dest:
            try:
                os.rmdir(parent)  # only when empty
            except OSError:
                break
            parent = parent.parent
    for rel in journal["moves"]:
        if not _safe_rel(rel) or _linked(dest, rel):
            continue
        source, target = staging / rel, dest / rel
        if not os.path.lexists(source):
            continue  # moved already (the journal is being finished)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)
        except IsADirectoryError:
            os.rmdir(target)  # a folder of the last build, emptied by the removals
            os.replace(source, target)
    sync_dir(dest)


def file_sha256(f) -> str:
    """The sha256 of what is left to read of an open binary file, in hex."""
    h = hashlib.sha256()
    for chunk in iter(lambda: f.read(1 << 20), b""):
        h.update(chunk)
    return h.hexdigest()


def sync_dir(path: Path) -> None:
    """fsync a folder, so a rename in it is on disk (best effort: not every file system can)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_durably(target: Path, data: bytes) -> None:
    """`data` in `target`, whole or not at all, and on disk before this returns (a
    temporary file flushed, renamed into place, the folder flushed)."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=target.name + ".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    sync_dir(target.parent)


STATE_FORMAT = 3  # [size, mtime_ns, ctime_ns, inode] per file, folders' times, the manifest's: every file and folder
STATE_MAGIC = b"sitegen-state\n"  # then the payload's length (8 bytes) and the state, marshalled


def _facts(st: os.stat_result) -> list[int]:
    """[size, mtime_ns, ctime_ns, inode] of a file as written. The change time (which an
    edit changes even when it puts the modification time back) only of a file with one
    link, as every file a build writes is: one linked from elsewhere (an older sitegen's
    hard links, someone's copy) changes its change time again when that link goes, so
    its is not recorded (-1)."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns if st.st_nlink == 1 else -1, st.st_ino]


def _same(recorded: object, now: list[int]) -> bool:
    """Whether a file's facts now (`_facts`) are those `recorded` (the change time compared
    only where it was recorded)."""
    if not isinstance(recorded, list) or len(recorded) != 4:
        return False
    if recorded[2] == -1:
        return recorded[0] == now[0] and recorded[1] == now[1] and recorded[3] == now[3]
    return recorded == now


def _state(
    dest: Path, files: dict[str, list[int]], dirs: dict[str, list[int]], ours: dict[str, int], tops: list | None = None
) -> dict | None:
    """What the lock file beside the output records of it: `files` and `dirs` as `_record`
    gives them — every file and folder, ours and anyone else's (a folder as recorded then
    holds the same entries: `_look`) — the files as two flat lists, paths and facts; the
    top-level names of the files the manifest lists (`ours`; `tops` if known); and the
    manifest's own status. None if the manifest cannot be seen."""
    try:
        manifest = _facts(os.lstat(dest / MANIFEST))
    except OSError:
        return None
    paths = list(files)
    facts = list(chain.from_iterable(files.values()))
    if tops is None:  # for check_output, without reading the manifest (map: no Python-level call per file)
        tops = sorted({top for top, _, _ in map(methodcaller("partition", "/"), ours)})
    return {"format": STATE_FORMAT, "manifest": manifest, "dirs": dirs, "tops": tops, "paths": paths, "facts": facts}


def _state_files(state: dict) -> dict[str, list[int]]:
    """The files of a state, by path: [size, mtime_ns, ctime_ns or -1, inode]."""
    facts = state["facts"]
    return {rel: facts[4 * i : 4 * i + 4] for i, rel in enumerate(state["paths"])}


# [the lock file's status, its state, the CRC-32 of the bytes it was parsed from]:
# check_output and the build read it once
_last_state: list = [None, None, None]


def _read_state(dest: Path) -> dict | None:
    """Every file's and folder's status as the last build left them (`_state`), kept in
    the lock file beside the output (not in the output: its bytes must not depend on
    the clock). None when there is no such record, or one of another format (an older
    sitegen's, JSON: then the next build walks the output once). Parsed
    once while the lock file's own status is the same (a stale answer could only make
    `Output.unchanged` compare with an older record, which the disk then contradicts)."""
    try:
        with open(_lock_path(dest), "rb") as f:
            st = os.fstat(f.fileno())
            seen = (f.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
            if _last_state[0] == seen:
                return _last_state[1]
            raw = f.read()
    except OSError:
        return None
    data = _unpack_state(raw)
    if not (
        isinstance(data, dict)
        and data.get("format") == STATE_FORMAT
        and isinstance(data.get("paths"), list)
        and isinstance(data.get("facts"), list)
        and len(data["facts"]) == 4 * len(data["paths"])
        and all(isinstance(rel, str) for rel in data["paths"])
    ):
        data = None
    _last_state[:] = [seen, data, zlib.crc32(raw)]
    return data


# What a Survey's process runs (`python -I -S -c`: the standard library only, no sitegen:
# it starts in about 10 ms). Arguments: the lock file (the state), the output's real path,
# the manifest's name, the state's mark. It answers "1" when the manifest, every folder
# and every file are exactly as the state records them (`_look`'s usual case, `_facts`
# with the change time recorded for every file, one link each), else "0"; then the
# status of the lock file it read (size, mtime_ns, ctime_ns, inode, device) and the
# CRC-32 of its bytes, so that the build uses the answer only for the state it read itself.
_SURVEY = """
import marshal, os, stat, sys, zlib
lock, real, manifest, mark = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].encode()
with open(lock, "rb") as f:
    st = os.fstat(f.fileno())
    raw = f.read()
seen = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, zlib.crc32(raw)]
ok = raw.startswith(mark) and int.from_bytes(raw[len(mark) : len(mark) + 8], "big") == len(raw) - len(mark) - 8
state = marshal.loads(raw[len(mark) + 8 :]) if ok else None
ok = isinstance(state, dict) and isinstance(state.get("dirs"), dict) and isinstance(state.get("paths"), list)
if ok:
    def facts(st):
        return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    m = os.lstat(real + "/" + manifest)
    ok = stat.S_ISREG(m.st_mode) and m.st_nlink == 1 and facts(m) == state.get("manifest")
if ok:
    for rel, known in state["dirs"].items():
        d = os.lstat(real + "/" + rel if rel else real)
        if not stat.S_ISDIR(d.st_mode) or [d.st_mtime_ns, d.st_ctime_ns, d.st_ino] != known:
            ok = False
            break
if ok:
    stats = list(map(os.lstat, map((real + "/").__add__, state["paths"])))
    ok = (
        not set(map(stat.S_IFMT, (s.st_mode for s in stats))) - {stat.S_IFREG}
        and not {s.st_nlink for s in stats} - {1}
        and [x for s in stats for x in facts(s)] == state.get("facts")
    )
print("1" if ok else "0", *seen)
"""


class Survey:
    """The output's files looked at in another process while the build loads and checks
    the content (one lstat per file: 35,000 at 1,000 branches, a fifth of a second that
    would otherwise come after the check, on the same core): started by the build once
    it holds the output's lock, asked by `Output` and `Output.unchanged`. Its answer
    counts only when it is "exactly as recorded" for the very state those read (the lock
    file's status and the CRC-32 of its bytes compared); anything else, or no answer (no
    Python to run, a failure), and they look at the files themselves, as without it.
    Someone's file put since where the build writes a new one is still never written
    over (`_commit` looks at each new path again). A hand edit of one of our files made
    after the survey looked is one made during the build: a page it would make again
    anyway is made again; one whose unit is unchanged (or a no-change rebuild) keeps it
    until the next build, which sees it and makes the page again."""

    def __init__(self, dest: Path) -> None:
        self._answer: list[str] | None = None
        self._proc: subprocess.Popen[str] | None = None
        lock = _lock_path(dest)
        try:
            if not sys.executable or os.lstat(lock).st_size <= len(STATE_MAGIC) + 8:
                return  # no state to check (a first build, or the state forgotten)
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    "-I",
                    "-S",
                    "-c",
                    _SURVEY,
                    str(lock),
                    os.path.realpath(dest),
                    MANIFEST,
                    STATE_MAGIC.decode(),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
        except (OSError, ValueError):
            self._proc = None

    def exact(self, state: dict) -> bool:
        """Whether the survey found the output exactly as `state` (just read by
        `_read_state`) records it."""
        seen, data, crc = _last_state
        if data is not state or seen is None:
            return False
        answer = self._result()
        if not answer or answer[0] != "1":
            return False
        return answer[1:] == [str(x) for x in (*seen[1:], crc)]

    def _result(self) -> list[str] | None:
        if self._answer is None and self._proc is not None:
            proc, self._proc = self._proc, None
            try:
                out, _ = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                out = ""
            self._answer = out.split() if proc.returncode == 0 else []
        return self._answer

    def __enter__(self) -> Survey:  # noqa: PYI034 (not subclassed)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the survey if it is still running (a build that ended early)."""
        if self._proc is not None:
            proc, self._proc = self._proc, None
            proc.kill()
            proc.communicate()


def _unpack_state(raw: bytes) -> object:
    """The state in the lock file's bytes, or None: marshal (several times faster than
    JSON both ways; only sitegen reads it), after a header that says how long it is, so
    a record cut short by a crash is never taken (nor one of another Python's marshal)."""
    head = len(STATE_MAGIC)
    if not raw.startswith(STATE_MAGIC) or len(raw) < head + 8:
        return None
    if int.from_bytes(raw[head : head + 8], "big") != len(raw) - head - 8:
        return None
    try:
        return marshal.loads(raw[head + 8 :])
    except (EOFError, ValueError, TypeError):
        return None


def _pack_state(state: dict) -> bytes:
    payload = marshal.dumps(state, 4)
    return STATE_MAGIC + len(payload).to_bytes(8, "big") + payload


def _write_state(dest: Path, state: dict | None) -> None:
    """Record (or with None forget) the output as written, in place in the lock file we
    hold (renaming over it would split the lock). A failure only forgets: the next build
    then trusts sizes alone. A record cut short by a crash is shorter than its header
    says: forgotten too."""
    try:
        fd = os.open(_lock_path(dest), os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    except OSError:
        return
    try:
        os.ftruncate(fd, 0)
        if state is not None:
            with os.fdopen(fd, "wb", closefd=False) as f:
                f.write(_pack_state(state))
    except OSError:
        try:
            os.ftruncate(fd, 0)
        except OSError:
            pass
    finally:
        os.close(fd)


def _inside(dest: Path) -> bool:
    """Whether the output must be staged inside itself: it is a mount point (a Docker
    volume, a bind mount), which cannot be renamed, or its parent is not writable."""
    if not dest.is_dir():
        return False
    if os.path.ismount(dest) or str(dest) in _mount_points():
        return True
    return not os.access(dest.parent, os.W_OK)


def _mount_points() -> set[str]:
    """Every mount point (from /proc/self/mountinfo: bind mounts of the same file system
    included, which os.path.ismount cannot see)."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as f:
            lines = f.readlines()
    except OSError:
        return set()
    points = set()
    for line in lines:
        fields = line.split()
        if len(fields) > 4:
            points.add(_unescape(fields[4]))
    return points


def _unescape(text: str) -> str:
    """mountinfo writes space, tab, newline and backslash as octal escapes."""
    for code in ("\\040", "\\011", "\\012", "\\134"):
        text = text.replace(code, chr(int(code[1:], 8)))
    return text


def _record(root: Path, dirs: dict[str, list[int]] | None = None, top_only: bool = False):
    """Every file under `root` (the site, not our own hidden entries, the manifest, nor the
    files a file manager leaves behind when someone looks at the site):
    [size, mtime_ns, ctime_ns, inode] as the build left it. Symlinks and other non-regular
    files are recorded as [-1, -1, -1, -1], so they never match what a build wrote.
    `dirs`, if given, receives every folder's [mtime_ns, ctime_ns, inode] ("" for `root`):
    a file added or removed changes its folder's times. `top_only`: `root` and its own
    entries only, not what lies deeper; then (files, dirs) is returned."""
    found: dict[str, list[int]] = {}
    folders: dict[str, list[int]] = {} if dirs is None else dirs

    def walk(folder: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for entry in entries:
            if not prefix and (_ours(entry.name) or entry.name == MANIFEST) or entry.name in LITTER:
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            mode = st.st_mode
            if stat.S_ISDIR(mode):
                folders[prefix + entry.name] = [st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
                if not top_only:
                    walk(entry.path, prefix + entry.name + "/")
            elif stat.S_ISREG(mode):
                found[prefix + entry.name] = _facts(st)
            else:
                found[prefix + entry.name] = [-1, -1, -1, -1]

    try:
        st = os.lstat(root)
        folders[""] = [st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    except OSError:
        pass
    walk(str(root), "")
    if top_only:
        return found, folders
    return dict(sorted(found.items()))


def _look(
    dest: Path, state: dict, sizes: dict[str, int], exact: bool = False
) -> tuple[dict[str, list[int]], dict[str, list[int]], KeysView[str]] | None:
    """What `_record` would find under `dest`, without the walk, from the `state` the last
    build (or walk) recorded: the same (files, dirs). A folder whose times and inode are
    as recorded holds the same entries (adding, removing or renaming one changes its
    times; the change time cannot be put back), so only its recorded files are looked at,
    one lstat each (an edit by hand changes a file's own times); a folder whose times
    moved (a file manager's litter, someone's file) has its entries read again, and a
    folder new since is walked. Also which of the files `sizes` lists (the manifest's)
    are exactly as recorded, with that size: sound, as the walk would judge. None — walk
    instead — when the manifest is not the one recorded or a recorded folder is gone or
    replaced (rare: not worth a finer answer). The state must list every file and folder
    (format 3): an older one, listing only ours, would hide someone's file in a folder
    recorded after it was put there.

    `exact`: a :class:`Survey` found the manifest, every folder and every file exactly as
    the state records them (the usual case): what the lstats would show is the state."""
    rdirs, paths, facts = state.get("dirs"), state["paths"], state["facts"]
    if not isinstance(rdirs, dict) or "" not in rdirs:
        return None
    if exact and sizes.items() <= dict(zip(paths, facts[0::4])).items():
        found = dict(zip(paths, map(list, zip(facts[0::4], facts[1::4], facts[2::4], facts[3::4]))))
        return found, {rel: list(known) for rel, known in rdirs.items()}, sizes.keys()
    real = os.fspath(dest)
    base = real + "/"
    lstat, isreg, isdir = os.lstat, stat.S_ISREG, stat.S_ISDIR
    try:
        if not _same(state.get("manifest"), _facts(lstat(base + MANIFEST))):
            return None
        dirs: dict[str, list[int]] = {}
        moved: list[str] = []
        # every recorded folder is still the same real folder (its inode), so no path
        # below goes through a link
        for rel, known in rdirs.items():
            st = lstat(base + rel if rel else real)
            if not isdir(st.st_mode) or not isinstance(known, list) or len(known) != 3 or st.st_ino != known[2]:
                return None
            now = [st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
            if now != known:
                moved.append(rel)
            dirs[rel] = now
    except OSError:
        return None
    everything = _all_as_recorded(real, paths, facts, sizes)
    if everything is not None:
        found, sound = everything
    else:
        found, sound = _each_as_recorded(real, paths, facts, sizes)
    for rel in moved:
        prefix = rel + "/" if rel else ""
        try:
            entries = list(os.scandir(base + rel if rel else real))
        except OSError:
            return None
        for entry in entries:
            name = entry.name
            if not prefix and (_ours(name) or name == MANIFEST) or name in LITTER:
                continue
            here = prefix + name
            if here in found or here in dirs:
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if isdir(st.st_mode):
                folders: dict[str, list[int]] = {}
                deeper = _record(Path(entry.path), folders)
                found.update((here + "/" + r, f) for r, f in deeper.items())
                dirs.update((here + "/" + r if r else here, f) for r, f in folders.items())
            elif isreg(st.st_mode):
                found[here] = _facts(st)
            else:
                found[here] = [-1, -1, -1, -1]
    return found, dirs, sound


_FACTS = attrgetter("st_size", "st_mtime_ns", "st_ctime_ns", "st_ino")
_KIND = attrgetter("st_mode")
_LINKS = attrgetter("st_nlink")


def _all_as_recorded(
    real: str, paths: list[str], facts: list[int], sizes: dict[str, int]
) -> tuple[dict[str, list[int]], KeysView[str]] | None:
    """The usual answer of `_look`'s file-by-file part, with no Python-level step per
    file (35,000 at 1,000 branches: the loop of `_each_as_recorded` took as long as the
    lstats themselves): every recorded file there, a regular file with one link, with
    the size, times and inode recorded, and every file the manifest lists among them with
    its size. None when anything is otherwise: then `_each_as_recorded` says what."""
    try:
        stats = list(map(os.lstat, map((real + "/").__add__, paths)))
    except OSError:
        return None  # a file gone
    if set(map(stat.S_IFMT, map(_KIND, stats))) - {stat.S_IFREG} or set(map(_LINKS, stats)) - {1}:
        return None  # a folder or a link where a file was, or a file with several links
    now = list(map(_FACTS, stats))
    if now != list(zip(facts[0::4], facts[1::4], facts[2::4], facts[3::4])):
        return None
    if not sizes.items() <= dict(zip(paths, facts[0::4])).items():
        return None
    return dict(zip(paths, map(list, now))), sizes.keys()


def _each_as_recorded(
    real: str, paths: list[str], facts: list[int], sizes: dict[str, int]
) -> tuple[dict[str, list[int]], KeysView[str]]:
    """`_look`'s file-by-file part, one file at a time: what `_record` would find of the
    recorded files (those gone left out), and which of the files the manifest lists are
    sound (exactly as recorded, with the size it lists)."""
    base = real + "/"
    lstat = os.lstat
    found: dict[str, list[int]] = {}
    same: dict[str, list[int]] = {}  # as recorded, with the size the manifest lists: sound
    # (the loop makes one call per file, the lstat: it runs 35,000 times at 1,000 branches)
    for i, rel in enumerate(paths):
        try:
            st = lstat(base + rel)
        except OSError:
            continue  # gone (its folder's times moved: read again below)
        kind = st.st_mode & 0o170000  # stat.S_IFMT
        if kind == 0o100000:  # stat.S_IFREG
            j = 4 * i
            known = facts[j : j + 4]
            now = [st.st_size, st.st_mtime_ns, st.st_ctime_ns if st.st_nlink == 1 else -1, st.st_ino]
            if now == known:
                found[rel] = known
                if rel in sizes and sizes[rel] == known[0]:
                    same[rel] = known
            else:
                found[rel] = now
                if known[2] == -1 and now[0] == known[0] and now[1] == known[1] and now[3] == known[3]:
                    if rel in sizes and sizes[rel] == now[0]:
                        same[rel] = now  # the change time compared only where recorded (`_same`)
        elif kind != 0o040000:  # not a folder (a folder where a file was: its parent is read again below)
            found[rel] = [-1, -1, -1, -1]
    return found, same.keys()


def _remove_later(path: Path) -> None:
    """Delete the previous output without making the user wait for it: tens of thousands
    of files take seconds to unlink. A detached `rm` does it; if that cannot start, we do."""
    try:
        subprocess.Popen(
            ["rm", "-rf", "--", str(path)],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        shutil.rmtree(path, ignore_errors=True)


# -- errors of the file system, in Chinese -------------------------------------------------


def _os_problem(exc: OSError, where: Path | str, doing: str) -> Problem:
    """A file-system error while writing the output, as a problem that says what to do."""
    place = str(getattr(exc, "filename", None) or where)
    shown = Pos(str(where))
    if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
        return Problem(
            "E973",
            f"{doing}时磁盘空间不足（{place}）；没有生成，上一次的网站保持不变，临时文件已清理。",
            shown,
            "清理磁盘空间（或换一个更大的磁盘）后再运行。",
        )
    if exc.errno == errno.EROFS:
        return Problem(
            "E974",
            f"{doing}时发现“{place}”所在的文件系统是只读的；没有生成，上一次的网站保持不变。",
            shown,
            "换一个可写的输出目录，或请管理员把这个文件系统改为可写。",
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return Problem(
            "E975",
            f"{doing}时没有权限写入“{place}”；没有生成，上一次的网站保持不变。",
            shown,
            "用有权限的用户运行，或换一个自己能写的输出目录。",
        )
    reason = exc.strerror or type(exc).__name__
    return Problem(
        "E976",
        f"{doing}时出错：{reason}（{place}）；没有生成，上一次的网站保持不变，临时文件已清理。",
        shown,
        "按这个原因排除问题后再运行。",
    )


def os_problem(exc: OSError, where: Path | str) -> Problem:
    """The problem for a file-system error while a build writes `where`."""
    return _os_problem(exc, where, "写入输出目录")
