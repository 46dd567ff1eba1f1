"""Stage 1 of the pipeline: content folder → typed model, with every problem found.

discover (layout) → read bytes once → parse each file (cached by content hash,
in worker processes when many files miss the cache) → assemble the District.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from sitegen.contentlock import content_lock
from sitegen.load.cache import ParseCache, cache_folder
from sitegen.load.layout import FileKind, SourceFile, discover, is_file
from sitegen.load.layoutcache import LayoutCache
from sitegen.load.statcache import StatCache
from sitegen.memo import MISSING, NO_MEMO, Memo, Remembered
from sitegen.model.lazy import Deferred
from sitegen.problems import Pos, Problem

# scan() is all a build with nothing to do needs: the parser, the model and the assembly
# are imported by load() (and the parse workers) when something is loaded
if TYPE_CHECKING:
    from sitegen.load.parse import Parsed
    from sitegen.model.ledger import Entry
    from sitegen.model.restricted import RestrictedYear
    from sitegen.model.site import Branch, District

PARALLEL_FROM = 400  # cache misses below this are parsed in-process: workers cost more to start
# nor fewer bytes than this: the restricted records (never cached, so missed on every run:
# a thousand small files, 0.1 s to parse) would otherwise start the workers on every run
# (0.5 s or more of waiting for them)
PARALLEL_FROM_BYTES = 2 * 1024 * 1024
# The largest real content file (a big branch's quarter ledger) is some tens of KB; a file
# this size is a mistake (a pasted export, a video) or an attack, refused before it is read.
MAX_FILE_BYTES = 4 * 1024 * 1024


class Unreadable(Exception):
    """A source file that is not read: its problem says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def read_source(root: Path, path: str) -> bytes:
    """A source file's bytes, read safely: never through a symbolic link (O_NOFOLLOW),
    never from a device or pipe (opened without blocking, then checked to be a regular
    file), never more than MAX_FILE_BYTES (checked from its size, and by reading no more).
    Raises Unreadable."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(root / path, flags)
    except OSError as exc:
        if os.path.islink(root / path):
            raise Unreadable(
                Problem(
                    "E104",
                    f"“{path}”是符号链接（快捷方式），不会被读取。",
                    Pos(path),
                    "内容目录里只放普通文件：删除它，把真正的文件复制到这里。",
                )
            ) from None
        raise Unreadable(Problem("E102", f"无法读取文件：{exc.strerror}。", Pos(path), "检查文件权限。")) from None
    try:
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        raise
    if not stat.S_ISREG(info.st_mode):  # (a folder named like a file: open() refuses it, os.open does not)
        os.close(fd)
        raise Unreadable(
            Problem(
                "E104",
                f"“{path}”不是普通文件（文件夹、设备、管道或套接字），不会被读取。",
                Pos(path),
                "内容目录里只放普通文件：删除它。",
            )
        )
    with os.fdopen(fd, "rb") as f:
        if info.st_size > MAX_FILE_BYTES:
            raise Unreadable(_too_big(path, info.st_size))
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:  # it grew while being read
        raise Unreadable(_too_big(path, len(data)))
    return data


def _too_big(path: str, size: int) -> Problem:
    return Problem(
        "E019",
        f"文件太大（{size / 1024 / 1024:.1f} MB），超过了 {MAX_FILE_BYTES // 1024 // 1024} MB 的上限，"
        "远远超出一个支部一年的记录，没有读取。",
        Pos(path),
        "检查是否误把导出的表格、图片或其他文件存成了这个名字；一个台账文件通常只有几十 KB。",
    )


class Ledgers(Mapping[tuple[str, str, int], list[tuple[int, "Entry"]]]):
    """(committee, branch, year) -> the year's ledger entries as parsed, (quarter, entry)
    in file order. A remembered branch's are read from its bundle when first looked up
    (`check` of an unchanged branch never does)."""

    def __init__(self, rows: dict[tuple[str, str, int], list[tuple[int, Entry]] | Deferred]) -> None:
        self._rows = rows

    def __getitem__(self, key: tuple[str, str, int]) -> list[tuple[int, Entry]]:
        value = self._rows[key]
        if isinstance(value, Deferred):
            value = self._rows[key] = list(value.read())
        return value

    def __iter__(self) -> Iterator[tuple[str, str, int]]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self.items()),))


def same_unread(a: Mapping[Any, Any], b: Mapping[Any, Any], key: tuple[str, str, int]) -> bool:
    """Whether two loads (of two versions, with one memo: `sitegen diff`) hold the very
    same remembered, still unread entries for `key` — the same bundle's, so the same
    files: equal without reading either."""
    if not isinstance(a, Ledgers) or not isinstance(b, Ledgers):
        return False
    rows = a._rows.get(key)
    return isinstance(rows, Deferred) and rows is b._rows.get(key)


@dataclass
class Loaded:
    root: Path
    district: District | None
    problems: list[Problem]
    ledgers: Mapping[tuple[str, str, int], list[tuple[int, Entry]]] = field(
        default_factory=dict
    )  # (committee, branch, year): a dict or Ledgers
    restricted: dict[tuple[str, int], RestrictedYear] = field(default_factory=dict)
    files: int = 0
    cache_hits: int = 0
    hashes: dict[str, str] = field(default_factory=dict)  # path -> sha256 of the bytes read
    # path -> the bytes read, for locating errors without reading the file again
    # (sitegen.validate.Locator): the scan's (`Sources`: a file the scan did not need
    # to read is read when asked for, and checked against its hash)
    raw: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    # sitegen.memo.branch_scopes of `hashes`, made once (check gives the one it made)
    scopes_made: dict[str, str] | None = field(default=None, repr=False, compare=False)

    def content_hash(self) -> str:
        """One hash over every file read (paths and bytes): the data version of a build."""
        return _content_hash(self.hashes)

    def scopes(self) -> dict[str, str]:
        """Each branch's scope (sitegen.memo.branch_scopes) from the files read."""
        if self.scopes_made is None:
            from sitegen.memo import branch_scopes

            self.scopes_made = branch_scopes(self.hashes)
        return self.scopes_made

    @property
    def ok(self) -> bool:
        return self.district is not None and not any(p.is_error for p in self.problems)


class Sources(Mapping[str, bytes]):
    """The bytes of a scan's files, by path: those the scan read, and the others (whose
    hash the stat cache gave) read when first asked for. A file read later must still
    be the one the scan hashed — the parse cache and every page are keyed by that hash —
    so one whose bytes no longer match raises Unreadable (E1161) instead of giving
    them; a file that cannot be read any more raises Unreadable too."""

    def __init__(self, root: Path, hashes: Mapping[str, str], read: dict[str, bytes]):
        self._root = root
        self._hashes = hashes
        self._read = read

    def __getitem__(self, path: str) -> bytes:
        data = self._read.get(path)
        if data is not None:
            return data
        expected = self._hashes.get(path)
        if expected is None:
            raise KeyError(path)
        data = read_source(self._root, path)
        if hashlib.sha256(data).hexdigest() != expected:
            raise Unreadable(
                Problem(
                    "E1161",
                    f"“{path}”在这次运行读取内容的过程中被改动了，和开始时看到的不一样，这次没有继续。",
                    Pos(path),
                    "等文件保存完毕（或同步、切换分支完成）后再运行一次。",
                )
            )
        self._read[path] = data
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._hashes)

    def __len__(self) -> int:
        return len(self._hashes)

    def __contains__(self, path: object) -> bool:
        return path in self._hashes

    def read(self) -> int:
        """How many files' bytes are held (read by the scan or since)."""
        return len(self._read)


@dataclass
class Scan:
    """Every source file found (and hashed, each read at most once), before anything is
    parsed. The build compares the content hash with the last build's before doing more.
    `raw`: the files' bytes (`Sources`: read when needed if the stat cache gave the
    hash), or a plain dict of the bytes known (the edit workspace's trial scans)."""

    root: Path
    sources: list[SourceFile]
    problems: list[Problem]
    raw: Mapping[str, bytes]
    hashes: dict[str, str]
    read: int = 0  # files read (and hashed) by the scan; the others' hashes came from the stat cache

    def content_hash(self) -> str:
        return _content_hash(self.hashes)

    def data(self, path: str) -> bytes:
        """A source file's bytes: kept from the scan, read when first needed (checked
        against the scan's hash: Unreadable E1161 if it changed since), or read again."""
        try:
            return self.raw[path]
        except KeyError:
            return read_source(self.root, path)


def rescan(previous: Scan, changed: list[tuple[str, bool]]) -> Scan | None:
    """`previous` with the files in `changed` read again, for `sitegen serve` after a save.

    `changed` holds (path relative to the content folder, is a directory) as the file
    watcher reported them. Only when every path is a source file that still exists (an
    edit, or an editor's save-by-rename onto it) is the answer certain; anything else
    (a file or folder created, deleted or moved) can change which files are sources:
    None, and the caller scans everything again. Paths that no longer exist and were
    neither sources nor misplaced files (an editor's temporary file) are ignored.
    """
    known = {sf.path: sf for sf in previous.sources}
    reported = {p.pos.file for p in previous.problems}  # misplaced files: removing one clears its error
    again: list[str] = []
    for path, is_dir in changed:
        if is_dir:
            return None
        exists = is_file(previous.root / path)
        if path in known:
            if not exists:
                return None
            again.append(path)
        elif exists or path in reported:
            return None
    raw: dict[str, bytes] = {}
    hashes = dict(previous.hashes)
    with content_lock(previous.root, exclusive=False):  # never half of an editor's change
        for path in sorted(set(again)):
            try:
                raw[path] = read_source(previous.root, path)
            except Unreadable:
                return None
            hashes[path] = hashlib.sha256(raw[path]).hexdigest()
    # a plain dict: the other files are read again from disk when needed (Scan.data), as
    # before the stat cache (serve's refresh does not expect Unreadable from them)
    return Scan(previous.root, previous.sources, list(previous.problems), raw, hashes)


def _content_hash(hashes: dict[str, str]) -> str:
    h = hashlib.sha256()
    for path, digest in sorted(hashes.items()):
        h.update(f"{path}\0{digest}\n".encode())
    return h.hexdigest()


def scan(root: Path | str, *, restricted: bool = False, cache_dir: Path | str | bool | None = None) -> Scan:
    """Find every source file (`discover`) and hash it. With a cache folder (`cache_dir`,
    as sitegen.load.cache.cache_folder reads it) a file whose status is unchanged since
    the last scan is neither read nor hashed (`StatCache`); its bytes are read only if a
    later stage asks for them (`Sources`). Every file read is read by read_source:
    never through a link, never a device, never more than MAX_FILE_BYTES."""
    root = Path(root)
    if not root.is_dir():
        return Scan(
            root,
            [],
            [Problem("E102", f"内容目录“{root}”不存在。", Pos(str(root)), "检查路径；默认读取当前目录下的 content/。")],
            {},
            {},
        )
    # the content folder's lock, shared: the editor writes a change of several files under
    # it, so the scan sees every file of a change or none (sitegen.contentlock)
    with content_lock(root, exclusive=False):
        folder = cache_folder(cache_dir)
        cache = StatCache(folder, root)  # its stamp: before any file is looked at
        layout = LayoutCache(folder, root, cache.stamp) if folder is not None else None
        stats: dict[str, os.stat_result] = {}
        sources, problems = discover(root, stats, layout, restricted=restricted)
        if layout is not None:
            layout.save()
        if not restricted:
            sources = [s for s in sources if s.kind is not FileKind.RESTRICTED]
        raw: dict[str, bytes] = {}
        hashes: dict[str, str] = {}
        readable = []
        # (discover gives no status of restricted records: never in the stat cache, nor
        # the parse cache, they are read each time)
        known = cache.hashes_of(stats, MAX_FILE_BYTES)
        restricted_kind, vouched = FileKind.RESTRICTED, known.get
        for sf in sources:
            digest = vouched(sf.path)
            if digest is not None:
                hashes[sf.path] = digest
                readable.append(sf)
                continue
            private = sf.kind is restricted_kind
            info = stats.get(sf.path)
            try:
                data = read_source(root, sf.path)
            except Unreadable as exc:
                problems.append(exc.problem)
                continue
            raw[sf.path] = data
            hashes[sf.path] = digest = hashlib.sha256(data).hexdigest()
            readable.append(sf)
            if not private and info is not None:
                cache.record(sf.path, info, digest)
        cache.save()
    return Scan(root, readable, problems, Sources(root, hashes, raw), hashes, read=len(raw))


def load(
    root: Path | str,
    *,
    cache_dir: Path | None | bool = True,
    jobs: int | None = None,
    restricted: bool = False,
    scanned: Scan | None = None,
    memo: Memo = NO_MEMO,
) -> Loaded:
    """Load a content folder. `restricted=True` also loads content/restricted/ (for `check`
    only: the build never asks for it, so it cannot publish it). With a `memo` (serve),
    files whose bytes are unchanged keep their parse, and branches whose files are all
    unchanged keep their assembled objects. With a :class:`Remembered` memo (check, build),
    a branch whose scope (the hashes of its files and those above it) is the same as in
    a past run is taken as assembled then, with its ledgers' entries as parsed (for
    `Loaded.ledgers`), its files not parsed at all."""
    from sitegen.load.assemble import assemble
    from sitegen.model.ledger import LedgerFile

    found = scanned or scan(root, restricted=restricted)
    root = found.root
    if not root.is_dir():
        return Loaded(root, None, list(found.problems))
    sources, problems = found.sources, list(found.problems)
    cache = ParseCache(cache_folder(cache_dir))
    ready: dict[tuple[str, str], Branch] = {}
    skipped: dict[tuple[str, str], list[SourceFile]] = {}
    kept: dict[tuple[str, str], dict[int, tuple[tuple[int, Entry], ...] | Deferred]] = {}
    by_branch = _branch_files(sources)
    top: list[tuple[SourceFile, Parsed]] = []  # the files above the branches, as parsed (filled below)
    if isinstance(memo, Remembered):
        for (cid, bid), files in by_branch.items():
            digest = memo.serve(cid, bid)
            if digest is not None:  # not even its bundle is opened: read when asked for
                ready[(cid, bid)], kept[(cid, bid)] = _lazy_branch(memo, found, cache, top, cid, bid, files, digest)
                problems += digest.load_problems
                memo.took(memo.ASSEMBLED)
                skipped[(cid, bid)] = files
                continue
            got = memo.assembled(cid, bid)
            if got is not None:
                ready[(cid, bid)], found_problems, kept[(cid, bid)] = got
                problems += found_problems
                skipped[(cid, bid)] = files
                memo.note(bid, "load", (cid, ready[(cid, bid)].info, found_problems, tuple(kept[(cid, bid)])))
    if skipped:
        left = {id(sf) for files in skipped.values() for sf in files}
        sources = [sf for sf in sources if id(sf) not in left]
    parsed = _parse_all(found, sources, cache, jobs, memo)
    top += [(sf, value) for sf, value, _ in parsed if value is not None and not sf.branch]
    for _, _, found_problems in parsed:
        problems.extend(found_problems)
    district, more = assemble(
        [(sf, value) for sf, value, _ in parsed if value is not None and sf.kind is not FileKind.RESTRICTED],
        memo,
        ready,
    )
    problems += more
    if isinstance(memo, Remembered) and district is not None:
        _remember_branches(memo, district, by_branch, ready, parsed)
    values = {id(sf): value for sf, value, _ in parsed}
    ledgers: dict[tuple[str, str, int], list[tuple[int, Entry]] | Deferred] = {}
    for sf in found.sources:  # in file order; a remembered branch's entries as they were parsed
        if sf.kind is not FileKind.LEDGER:
            continue
        key = (sf.committee, sf.branch, sf.year)
        if (sf.committee, sf.branch) in kept:
            rows = kept[(sf.committee, sf.branch)].get(sf.year)
            if rows is not None and key not in ledgers:
                # (read from the remembered bundle when asked for: sitegen.model.lazy)
                ledgers[key] = rows if isinstance(rows, Deferred) else list(rows)
            continue
        value = values.get(id(sf))
        if isinstance(value, LedgerFile):
            cast(list, ledgers.setdefault(key, [])).extend((sf.quarter, e) for e in value.entries)
    records = {}
    if any(sf.kind is FileKind.RESTRICTED for sf, _, _ in parsed):  # (a build reads none: not imported)
        from sitegen.model.restricted import RestrictedYear

        records = {(sf.branch, sf.year): value for sf, value, _ in parsed if isinstance(value, RestrictedYear)}
    return Loaded(
        root,
        district,
        problems,
        Ledgers(ledgers),
        records,
        files=len(found.sources),
        cache_hits=cache.hits,
        hashes=found.hashes,
        raw=found.raw,
    )


def _branch_files(sources: list[SourceFile]) -> dict[tuple[str, str], list[SourceFile]]:
    """(committee, branch) -> the files in its folder (committees/<c>/branches/<b>/), the
    files its scope covers (sitegen.memo.branch_scopes)."""
    out: dict[tuple[str, str], list[SourceFile]] = {}
    prefixes: dict[tuple[str, str], str] = {}
    restricted = FileKind.RESTRICTED
    for sf in sources:
        if sf.kind is restricted or not sf.committee or not sf.branch:
            continue
        key = (sf.committee, sf.branch)
        prefix = prefixes.get(key)
        if prefix is None:
            prefix = prefixes[key] = f"committees/{sf.committee}/branches/{sf.branch}/"
        if sf.path.startswith(prefix):
            files = out.get(key)
            if files is None:
                out[key] = [sf]
            else:
                files.append(sf)
    return out


def _remember_branches(
    memo: Remembered,
    district: District,
    by_branch: dict[tuple[str, str], list[SourceFile]],
    ready: dict[tuple[str, str], Branch],
    parsed: list[tuple[SourceFile, Parsed | None, list[Problem]]],
) -> None:
    """Each branch assembled from its files in this run, kept with the problems parsing
    them found and its ledgers' entries as parsed, for the next run to take without
    parsing them (the entries are mostly the very objects of its assembled years: one
    pickle of both stores each once)."""
    from sitegen.model.ledger import LedgerFile

    problems_of = {id(sf): found for sf, _, found in parsed}
    values_of = {id(sf): value for sf, value, _ in parsed}
    for committee in district.committees:
        for branch in committee.branches:
            where = (committee.id, branch.id)
            if where in ready or where not in by_branch:
                continue
            files = by_branch[where]
            if any(id(sf) not in problems_of for sf in files):
                continue
            ledgers: dict[int, list[tuple[int, Entry]]] = {}
            for sf in files:
                value = values_of[id(sf)]
                if isinstance(value, LedgerFile):
                    ledgers.setdefault(sf.year, []).extend((sf.quarter, e) for e in value.entries)
            found = [p for sf in files for p in problems_of[id(sf)]]
            memo.remember_assembled(
                committee.id, branch.id, (branch, found, {year: tuple(rows) for year, rows in ledgers.items()})
            )
            memo.note(branch.id, "load", (committee.id, branch.info, found, tuple(ledgers)))


def _lazy_branch(
    memo: Remembered,
    found: Scan,
    cache: ParseCache,
    top: list[tuple[SourceFile, Parsed]],
    cid: str,
    bid: str,
    files: list[SourceFile],
    digest: Any,
) -> tuple[Branch, dict[int, tuple[tuple[int, Entry], ...] | Deferred]]:
    """A branch taken from the district digest (sitegen.load.digest), and its ledgers'
    entries by year: its years, notices and entries are read when first asked for, from
    its bundle's head — or, if that cannot be read, by parsing its files again (`top`:
    the files above the branches as this run parsed them)."""
    from sitegen.model.site import Branch

    held: list[tuple[Any, list[Problem], dict[int, Any]]] = []

    def assembled() -> tuple[Any, list[Problem], dict[int, Any]]:
        if not held:
            got = memo.assembled(cid, bid, count=False)
            held.append(got if got is not None else _assemble_again(found, cache, top, cid, bid, files))
        return held[0]

    def rows(year: int) -> Any:
        value = assembled()[2].get(year, ())
        return value.read() if isinstance(value, Deferred) else value

    branch = Branch(
        id=bid,
        committee_id=cid,
        info=digest.info,
        years=cast(Any, Deferred(lambda: assembled()[0].years)),
        notices=cast(Any, Deferred(lambda: assembled()[0].notices)),
    )

    def later(year: int) -> Deferred:
        return Deferred(lambda: rows(year))

    return branch, {year: later(year) for year in digest.ledger_years}


def _assemble_again(
    found: Scan, cache: ParseCache, top: list[tuple[SourceFile, Parsed]], cid: str, bid: str, files: list[SourceFile]
) -> tuple[Any, list[Problem], dict[int, Any]]:
    """A branch assembled from its files (parsed again, or found in the parse cache), with
    the files above the branches: what its bundle would have held."""
    from sitegen.load.assemble import assemble
    from sitegen.model.ledger import LedgerFile

    parsed = _parse_all(found, files, cache, 1, NO_MEMO)
    district, _ = assemble(top + [(sf, value) for sf, value, _ in parsed if value is not None])
    branch = district.branch(bid) if district is not None else None
    if branch is None or branch.committee_id != cid:
        raise Unreadable(
            Problem(
                "E1161",
                f"“committees/{cid}/branches/{bid}/”在这次运行读取内容的过程中被改动了，和开始时看到的不一样，这次没有继续。",
                Pos(f"committees/{cid}/branches/{bid}/"),
                "等文件保存完毕（或同步、切换分支完成）后再运行一次。",
            )
        )
    ledgers: dict[int, list[tuple[int, Entry]]] = {}
    for sf, value, _ in parsed:
        if isinstance(value, LedgerFile):
            ledgers.setdefault(sf.year, []).extend((sf.quarter, e) for e in value.entries)
    return branch, [p for _, _, found_problems in parsed for p in found_problems], ledgers


_Result: TypeAlias = "tuple[Parsed | None, list[Problem]]"  # what parse returns


def _parse_all(
    found: Scan, sources: list[SourceFile], cache: ParseCache, jobs: int | None, memo: Memo
) -> list[tuple[SourceFile, Parsed | None, list[Problem]]]:
    """Each of `sources` with its parse (None: it did not parse) and the problems found."""
    results: list[_Result] = [(None, [])] * len(sources)
    misses: list[tuple[int, str, FileKind, str, bytes]] = []
    for i, sf in enumerate(sources):
        digest = found.hashes[sf.path]
        remembered = memo.lookup(("parse", sf.path), (sf.kind, digest))
        if remembered is not MISSING:
            results[i] = cast(_Result, remembered)
            continue
        # Restricted records are never written to the parse cache (nor read from it): the
        # cache is a folder of pickles anyone on the machine, or a CI artifact, may copy.
        key = cache.key(sf.kind, sf.path, digest) if sf.kind is not FileKind.RESTRICTED else ""
        hit = cache.get(key) if key else None
        if hit is not None:
            results[i] = cast(_Result, hit)
            memo.put(("parse", sf.path), (sf.kind, digest), hit)
        else:
            misses.append((i, key, sf.kind, sf.path, found.data(sf.path)))
    workers = jobs or os.cpu_count() or 1
    if len(misses) >= PARALLEL_FROM and sum(len(m[4]) for m in misses) >= PARALLEL_FROM_BYTES and workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunk = max(1, len(misses) // (workers * 8))
            outs = list(pool.map(_parse_one, [m[2:] for m in misses], chunksize=chunk))
    else:
        outs = [_parse_one(m[2:]) for m in misses]
    for (i, key, kind, path, _), out in zip(misses, outs):
        results[i] = out
        if key:
            cache.put(key, out)
        memo.put(("parse", path), (kind, found.hashes[path]), out)
    return [(sf, value, found_problems) for sf, (value, found_problems) in zip(sources, results)]


def _parse_one(args: tuple[FileKind, str, bytes]) -> _Result:
    from sitegen.load.parse import parse

    kind, path, raw = args
    return parse(kind, path, raw)
