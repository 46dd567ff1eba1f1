"""Parsed blobs by blob id, and the history cache they live in.

A blob never changes, so neither does what it parses to; a commit never changes, so
neither do the entry changes it makes. Both are kept in the history cache, under the
parse cache folder (`sitegen.load.cache.default_dir()/history/<repository>/`), as a few
pickled dictionaries ("packs", each in 17 parts by the first character of its keys, or
in 256 by branch, so that a run reads what it needs; what a run adds to a part is written
in a small file beside it, the part written whole again only every few runs: see Pack)
rather than one file per blob: a district's history has
thousands of ledger versions, and opening thousands of small files costs more than
everything else a cached run does.

    ledger   "blob:branch" (the blob id alone outside a branch's folder) → the entries as rows
             (sitegen.history.entries.ROW), None if it does not parse
    quarter  blob id → (publicity start, end) as day ordinals, () without publicity, None
    roster   blob id → what `全体` needs of it: (member id, spans of days in 全体), None
             (sitegen.rules.membership.reduce_roster; expanded per entry date)
    paths    "commit:path" → the blob id there ('' if there is none)
    parsed   "blob:path" → the file as the project's parser reads it (published tables' snapshots)
    runs     commit id → a summary of the entry changes it made, by branch year; changes
             "commit:branch" → those of the branch (sitegen.history.extract.Trail)
    log      commit id → the commit as `git log` shows it, every path (sitegen.history.git.read_log):
             a run reads only the commits it has not seen (in the cache of prefix '')
    site-published-site  (one file) what the last check read at the published site's commit:
             its paths, parses and tables (sitegen.history.published.Snapshots)
    publications-<key>  (a file each, the newest few kept) the publications of a HEAD, with
             the days they hold for (sitegen.history.frozen._publications)
    contents-<key>  (likewise) "commit:path" → the object id there, '' for none, for the
             published site's commit (sitegen.history.frozen._contents)
    origins-publications  (one file) "commit:path" → the object id there, '' for none, at the
             publications' own references: what a published site's reference is compared
             with (sitegen.history.frozen._origin_ids)
    checked  key → a branch's history problems (sitegen.history.frozen.check_history), the key
             a hash of everything they depend on: the branch's files and those above it, its
             publications and the code (not the day: sitegen.history.frozen._by_branch)

Blobs are parsed with the project's own parser (`sitegen.load.parse.parse`); many
misses at once are read in one pass of `git cat-file` and parsed in worker processes.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import sitegen
from sitegen.history.entries import to_row
from sitegen.history.git import NULL, CatFile, LogCommit, Repo, read_log, rev_list
from sitegen.load import PARALLEL_FROM
from sitegen.load.cache import code_fingerprint, default_dir
from sitegen.load.layout import FileKind
from sitegen.load.parse import Parsed, parse
from sitegen.model.ledger import LedgerFile, QuarterRecord, YearEnd
from sitegen.model.org import Roster
from sitegen.rules.membership import reduce_roster

# what an absent file (the null blob) stands for, by kind
EMPTY: dict[FileKind, tuple[()]] = {
    FileKind.LEDGER: (),
    FileKind.QUARTER: (),
    FileKind.YEAR_END: (),
    FileKind.ROSTER: (),
}


def reduce(kind: FileKind, value: Parsed | None) -> object:
    """The part of a parsed file the history keeps (None: the file did not parse)."""
    if value is None:
        return None
    if isinstance(value, LedgerFile):
        return tuple(to_row(e) for e in value.entries)
    if isinstance(value, Roster):
        return reduce_roster(value.members)
    assert isinstance(value, (QuarterRecord, YearEnd)), f"no reduced form for {kind}"
    p = value.publicity
    return () if p is None else (p.start.toordinal(), p.end.toordinal())


def _parse_reduced(args):
    kind, path, raw = args
    value, _problems = parse(kind, path, raw)
    return reduce(kind, value)


def _history_fingerprint() -> str:
    """The parser's code and the history's own: a change to either starts a new cache."""
    h = hashlib.sha256(code_fingerprint().encode())
    for sub in ("history", "rules"):  # rules: the published tables kept here are scored
        for path in sorted((Path(sitegen.__file__).parent / sub).glob("*.py")):
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


class Cache:
    """The packs of one repository (identified by its root commits and the content
    folder's place in it, so every clone of it shares them). directory=None: in memory."""

    def __init__(self, directory: Path | None, roots: Iterable[str] = (), prefix: str = ""):
        self.directory = None
        if directory is not None:
            key = hashlib.sha256(f"{_history_fingerprint()}\0{prefix}\0{','.join(sorted(roots))}".encode())
            self.directory = Path(directory) / key.hexdigest()[:24]
        self._packs: dict[str, dict] = _shared(self.directory)
        self._dirty: set[str] = set()
        self._names: dict[str, list[str]] | None = None

    @classmethod
    def at(cls, cache_dir, roots: Iterable[str], prefix: str) -> Cache:
        """cache_dir as the loader takes it: True for the default folder, a path, or None."""
        base = default_dir() / "history" if cache_dir is True else (Path(cache_dir) if cache_dir else None)
        return cls(base, roots, prefix)

    def pack(self, name: str) -> dict:
        if name not in self._packs:
            if self.directory is None:
                self._packs[name] = {}
            elif name in _WHOLE:
                self._packs[name] = _load(self.directory / f"{name}.pickle")
            else:
                self._packs[name] = Pack(self.directory, name, self._listed)
        return self._packs[name]

    def _listed(self) -> dict[str, list[str]]:
        """The files beside each pack's part (`name-part` → their names, sorted), from the
        cache's folder listed once: one added since by another run is only not read."""
        if self._names is None:
            self._names = _listing(self.directory) if self.directory is not None else {}
        return self._names

    def changed(self, name: str) -> None:
        self._dirty.add(name)

    def one(self, family: str, key: str) -> object | None:
        """The value kept under `key` in a file of its own (None: none, or unreadable)."""
        if self.directory is None:
            return self._packs.get(family, {}).get(key)
        return _load(self.directory / f"{family}-{key}.pickle").get(key)

    def keep_one(self, family: str, key: str, value: object, keep: int = 4) -> None:
        """`value` kept under `key` in a file of its own, with the `keep` newest of its family
        (the older removed)."""
        if self.directory is None:
            self._packs.setdefault(family, {})[key] = value
            return
        _dump(self.directory, f"{family}-{key}.pickle", {key: value})
        try:
            kept = sorted(self.directory.glob(f"{family}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in kept[keep:]:
                old.unlink()
        except OSError:
            pass  # another run removed it first

    def save(self) -> None:
        """Each changed pack written: `_WHOLE` ones in one file, the others by what they
        gained (see Pack). Every file is written to a temporary
        file and renamed into place, so a crash leaves each whole or as it was — and any
        mix of them is right, an entry never changing."""
        if self.directory is None:
            return
        for name in sorted(self._dirty):
            pack = self._packs[name]
            if isinstance(pack, Pack):
                pack.save()
            else:
                _dump(self.directory, f"{name}.pickle", pack)
        self._dirty.clear()


_SHARED: dict[Path, dict[str, dict]] = {}  # the packs of the cache folder used last in this process


def _shared(directory: Path | None) -> dict[str, dict]:
    """The packs read so far of `directory` in this process (`sitegen diff` checks two
    commits, each with a Cache of its own: the second finds what the first read). An
    entry never changes, so an entry read earlier is as good as one read now; only the
    last folder is kept."""
    if directory is None:
        return {}
    if directory not in _SHARED:
        _SHARED.clear()
        _SHARED[directory] = {}
    return _SHARED[directory]


class Pack(dict):
    """A pack that only grows, in files by a part of its keys (`_shard`), each read when a
    key of it is first asked for: a run that needs one branch's entries reads a few
    files, not the district's whole history. Iterating reads every file.

    A part's entries are in its file and in the files added beside it (`name-part+token`):
    a run that adds entries to a part writes them alone to one more file, not the part again
    (a build after a commit adds one ledger version, one set of published tables, to parts
    of a few hundred kilobytes); every few of them (`_deltas`) the part is written whole and those
    read removed. An entry removed (a pack that drops what no run asks for) writes its part
    whole at once. An entry never changes, so any mix of these files is right."""

    def __init__(self, directory: Path, name: str, listing=None):
        super().__init__()
        self.directory, self.name = directory, name
        self.read: dict[str, int] = {}  # part → entries it had when read (-1: to be written whole)
        self.deltas: dict[str, list[str]] = {}  # part → the added files read with it
        self.added: dict[str, set] = {}  # part → keys added since it was read
        self._listing = listing or (lambda: _listing(directory))

    def _need(self, key) -> None:
        shard = _shard(self.name, key)
        if shard not in self.read:
            self._read(shard)

    def _read(self, shard: str) -> None:
        found = _load(self.directory / f"{self.name}-{shard}.pickle")
        deltas = list(self._listing().get(f"{self.name}-{shard}", ()))
        for n in deltas:
            for k, v in _load(self.directory / n).items():
                found.setdefault(k, v)
        self.read[shard] = len(found)
        self.deltas[shard] = deltas
        for k, v in found.items():
            dict.setdefault(self, k, v)

    def _all(self) -> None:
        for shard in _all_shards(self.name):
            if shard not in self.read:
                self._read(shard)

    def __contains__(self, key) -> bool:
        self._need(key)
        return dict.__contains__(self, key)

    def __getitem__(self, key):
        self._need(key)
        return dict.__getitem__(self, key)

    def get(self, key, default=None):
        self._need(key)
        return dict.get(self, key, default)

    def __setitem__(self, key, value) -> None:
        self._need(key)
        shard = _shard(self.name, key)
        if not dict.__contains__(self, key):
            self.added.setdefault(shard, set()).add(key)
        elif dict.__getitem__(self, key) is not value:
            self.read[shard] = -1  # (an entry never changes; if one did, its part is written whole)
        dict.__setitem__(self, key, value)

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return dict.__getitem__(self, key)

    def __delitem__(self, key) -> None:
        self._need(key)
        dict.__delitem__(self, key)
        self.read[_shard(self.name, key)] = -1  # written again, whatever it holds

    def update(self, other=(), **kw) -> None:  # type: ignore[override]
        for k, v in dict(other, **kw).items():
            self[k] = v

    def __iter__(self):
        self._all()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._all()
        return dict.__len__(self)

    def keys(self):
        self._all()
        return dict.keys(self)

    def values(self):
        self._all()
        return dict.values(self)

    def items(self):
        self._all()
        return dict.items(self)

    def save(self) -> None:
        whole = {s for s, n in self.read.items() if n == -1}
        whole |= {
            s
            for s, keys in self.added.items()
            if keys and (len(self.deltas.get(s, ())) >= _deltas(self.name, s) or not self.read.get(s))
        }
        parts: dict[str, dict] = {s: {} for s in whole}
        if whole:
            for k, v in dict.items(self):
                part = parts.get(_shard(self.name, k))
                if part is not None:
                    part[k] = v
        for shard, part in parts.items():  # (a part with every entry removed: emptied)
            _dump(self.directory, f"{self.name}-{shard}.pickle", part)
            for n in self.deltas.get(shard, ()):
                try:
                    os.unlink(self.directory / n)
                except OSError:
                    pass  # another run removed it first
            self.read[shard], self.deltas[shard] = len(part), []
        for shard, keys in self.added.items():
            if keys and shard not in parts:
                n = f"{self.name}-{shard}+{os.urandom(6).hex()}.pickle"
                _dump(self.directory, n, {k: dict.__getitem__(self, k) for k in keys if dict.__contains__(self, k)})
                self.read[shard] += len(keys)
                self.deltas.setdefault(shard, []).append(n)
        self.added.clear()


_DELTAS = 8


def _deltas(name: str, shard: str) -> int:
    """How many files beside a part before it is written whole again: 8 to 15, by part, so
    that the packs' parts of one branch (each gaining an entry on each commit to it) are
    not all written whole by the same run."""
    return _DELTAS + zlib.crc32(f"{name}-{shard}".encode()) % _DELTAS


def _listing(directory: Path) -> dict[str, list[str]]:
    """The files beside the packs' parts in `directory`, by part (`name-part`)."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return {}
    out: dict[str, list[str]] = {}
    for n in names:
        part, plus, _ = n.partition("+")
        if plus and n.endswith(".pickle") and not n.startswith("."):
            out.setdefault(part, []).append(n)
    return out


_WHOLE: set[str] = set()  # packs kept in one file (none now: `checked`, whose entries are also removed
# wholesale, is in files by its keys' first character like the others, so that a build that checks
# one branch again writes one of them, not the district's)
_HEX = "0123456789abcdef"
_BRANCHES = 256  # a branch's part of a pack: a few branches' (a check of one branch reads its published tables)
_IN_BRANCH = re.compile(r"/branches/([^/]+)/")


def _shard(name: str, key: object) -> str:
    """Which file of pack `name` keeps `key`: published tables, paths, parsed snapshot
    files, ledgers and a commit's changes by branch (a branch's are read together),
    anything else (keyed by commit or blob id) by its first character."""
    if not isinstance(key, str):
        return "x"
    branch = None
    if name == "published":
        parts = key.split(":")
        branch = parts[3] if len(parts) > 4 else None
    elif name in ("paths", "parsed"):
        m = _IN_BRANCH.search(key)
        branch = m.group(1) if m else None
    elif name in (FileKind.LEDGER, "changes") and ":" in key:  # Blobs.key: "blob:branch"; "commit:branch"
        branch = key.split(":", 1)[1]
    if branch is not None:
        return f"b{zlib.crc32(branch.encode('utf-8', 'surrogateescape')) % _BRANCHES:03d}"
    c = key[:1]
    return c if c and c in _HEX else "x"


def _all_shards(name: str) -> list[str]:
    by_branch = name in ("published", "paths", "parsed", FileKind.LEDGER, "changes")
    return [*_HEX, "x", *(f"b{i:03d}" for i in range(_BRANCHES) if by_branch)]


def _load(path: Path) -> dict:
    try:
        with open(path, "rb") as f:
            value = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return {}
    return value if isinstance(value, dict) else {}


def _dump(directory: Path, name: str, value: dict) -> None:
    tmp = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}-")
        with os.fdopen(fd, "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, directory / name)
        tmp = None
    except OSError:
        pass  # a cache that cannot be written only makes the next run slower
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


class Blobs:
    def __init__(self, cat: CatFile, cache: Cache, jobs: int | None = None):
        self.cat = cat
        self.cache = cache
        self.jobs = jobs or os.cpu_count() or 1
        self.parsed = 0  # blobs parsed in this run (cache misses)
        # the published site's commit (a new one with each build): what is read there is
        # kept apart from the packs (sitegen.history.published.Snapshots)
        self.passing: frozenset[str] = frozenset()

    @staticmethod
    def key(kind: FileKind, sha: str, path: str) -> str:
        """A blob's key in its kind's pack: the blob id; a ledger's with its branch (a
        branch's ledgers in its own part of the pack: checking one branch's published
        ledgers reads that part, not the district's history)."""
        if kind is FileKind.LEDGER:
            m = _IN_BRANCH.search(path)
            if m:
                return f"{sha}:{m.group(1)}"
        return sha

    def get(self, kind: FileKind, sha: str, path: str = ""):
        """The reduced parse of a blob already loaded (`path`: where it is, for a ledger);
        EMPTY[kind] for the null blob."""
        if sha == NULL:
            return EMPTY[kind]
        return self.cache.pack(kind)[self.key(kind, sha, path)]

    def load(self, kind: FileKind, wanted: Iterable[tuple[str, str]]) -> None:
        """Make sure every (blob, path) is parsed, reading and parsing the misses in bulk."""
        pack = self.cache.pack(kind)
        misses: dict[str, tuple[str, str]] = {}
        for sha, path in wanted:
            if sha != NULL:
                key = self.key(kind, sha, path)
                if key not in pack:
                    misses.setdefault(key, (sha, path))
        if not misses:
            return
        raws = self.cat.get_many([sha for sha, _ in misses.values()])
        self._parse(kind, [(sha, path, raw[1] if raw else None) for (sha, path), raw in zip(misses.values(), raws)])

    def _parse(self, kind: FileKind, found: list[tuple[str, str, bytes | None]]) -> None:
        jobs = [(kind, path, raw) for _, path, raw in found if raw is not None]
        if len(jobs) >= PARALLEL_FROM and self.jobs > 1:
            from concurrent.futures import ProcessPoolExecutor  # (a first read of the history only)

            with ProcessPoolExecutor(max_workers=self.jobs) as pool:
                values = iter(list(pool.map(_parse_reduced, jobs, chunksize=max(1, len(jobs) // (self.jobs * 8)))))
        else:
            values = iter(_parse_reduced(job) for job in jobs)
        pack = self.cache.pack(kind)
        for sha, path, raw in found:
            pack[self.key(kind, sha, path)] = next(values) if raw is not None else None
        self.parsed += len(found)
        self.cache.changed(kind)

    def at(self, kind: FileKind, names: list[str], paths: list[str]) -> list:
        """Reduced parses of `commit:path` names (EMPTY[kind] where there is no such file),
        with the blob each name points to remembered, so a cached run asks git nothing."""
        where = self.cache.pack("paths")
        unknown = [i for i, name in enumerate(names) if name not in where]
        if unknown:
            found = self.cat.get_many([names[i] for i in unknown])
            pack = self.cache.pack(kind)
            fresh = {}
            for i, got in zip(unknown, found):
                where[names[i]] = got[0] if got else ""
                if got:
                    key = self.key(kind, got[0], paths[i])
                    if key not in pack:
                        fresh[key] = (got[0], paths[i], got[1])
            self.cache.changed("paths")
            if fresh:
                self._parse(kind, list(fresh.values()))
        pack = self.cache.pack(kind)
        missing = [(where[n], p) for n, p in zip(names, paths) if where[n] and self.key(kind, where[n], p) not in pack]
        self.load(kind, missing)  # known blob ids whose parse was not kept (another kind's cache was cleared)
        return [self.get(kind, where[n], p) if where[n] else EMPTY[kind] for n, p in zip(names, paths)]


_LOGS: dict[Path, dict] = {}  # the log pack of each cache folder read in this process (a commit never changes)


def logged(repo: Repo, cache_dir, rev: str = "", prefix: str | None = None) -> tuple[list[LogCommit], list[str]]:
    """`read_log(repo, rev)` (prefix: the content folder's, or the one given: '' for every
    path) with the commits read before kept in the history cache: only new ones are read.
    Also the root commits (the cache's key). cache_dir as Cache.at takes it."""
    rev = rev or repo.head
    if not rev:
        return [], []
    roots = rev_list(repo.top, rev)[1]
    cache = Cache.at(cache_dir, roots, "")
    target = repo if prefix is None or prefix == repo.prefix else Repo(repo.top, prefix, repo.shallow, repo.head)
    if cache.directory is None:
        return read_log(target, rev), roots
    known = _LOGS.get(cache.directory)
    if known is None:
        known = _LOGS[cache.directory] = cache.pack("log")
    else:
        cache._packs["log"] = known
    before = len(known)
    commits = read_log(target, rev, known)
    if len(known) != before:
        if len(known) > 2 * len(commits) + 1000:  # unreachable ones (rewritten history) no longer kept
            reachable = {c.sha for c in commits}
            for sha in [s for s in known if s not in reachable]:
                del known[sha]
        cache.changed("log")
        cache.save()
    return commits, roots
