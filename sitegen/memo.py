"""What a long-running process keeps between two checks of the same content folder.

`sitegen serve` checks the whole district again after every save. Almost nothing has
changed: one file, so one branch. A :class:`Memo` lets every stage skip the work whose
inputs are the very same objects as last time — a file's parse (same path and bytes),
a branch's assembled year, its effective scheme, its score, its checks. Unchanged files
keep their parsed objects, so everything derived from them keeps its identity too, and
a save costs the one branch it touches plus the few district-wide steps (ranks across
branches, the rosters' cross-checks).

Inputs are compared by identity (`is`), which is exact for the immutable model objects:
the memo holds on to them, so an id can never be reused by a different object. Plain
values (strings, numbers, dates, and tuples of them) are compared by equality; a tuple
compares its items by identity first, so a tuple of unchanged model objects is cheap.
The batch commands (`check`, `build`) use a :class:`Remembered` memo: the same, kept on
disk between runs (in the parse cache's folder), keyed by the hashes of the files a
branch's results come from instead of by identity; without a cache folder they use
:data:`NO_MEMO`, which always computes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from sitegen.load.cache import ResultStore

T = TypeVar("T")
MISSING = object()
_PLAIN = (str, int, float, bool, bytes, date, Enum, type(None), tuple, frozenset)


def _same(a: object, b: object) -> bool:
    if a is b:
        return True
    return isinstance(a, _PLAIN) and type(a) is type(b) and a == b


class Memo:
    # whether `deferred` may hand out a result to be read later (Remembered)
    defers = False

    def __init__(self) -> None:
        self._store: dict[tuple[Any, ...], tuple[tuple[Any, ...], object]] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[Any, ...], inputs: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """`compute()`, or its last result for `key` if `inputs` are the same as then."""
        value = self.lookup(key, inputs)
        if value is MISSING:
            value = compute()
            self.put(key, inputs, value)
        return cast(T, value)  # what compute() returned for this key, then or now

    def lookup(self, key: tuple[Any, ...], inputs: tuple[Any, ...]) -> Any:
        """The remembered result for `key` if `inputs` are the same as then, else MISSING.
        (Any: what the caller put under `key`; `get` types it by its `compute`.)"""
        hit = self._store.get(key)
        if hit is not None and len(hit[0]) == len(inputs) and all(_same(a, b) for a, b in zip(hit[0], inputs)):
            self.hits += 1
            return hit[1]
        self.misses += 1
        return MISSING

    def put(self, key: tuple[Any, ...], inputs: tuple[Any, ...], value: object) -> None:
        self._store[key] = (inputs, value)

    def deferred(
        self, key: tuple[Any, ...], inputs: tuple[Any, ...], compute: Callable[[], T]
    ) -> Callable[[], T] | None:
        """A function giving `get(key, inputs, compute)` later, when that can be read later
        more cheaply than now (Remembered); None: call `get`."""
        return None

    def digest_of(self, bid: str) -> Any:
        """The district digest's entry for branch `bid` when this run takes the branch from
        it (sitegen.load.digest.BranchDigest: `Remembered`, its scope unchanged), else None."""
        return None

    def note(self, bid: str, what: Any, value: object) -> None:
        """What a step found for branch `bid` (`what`: the step, with its year), for the
        district digest this run writes (`Remembered`); nothing otherwise."""

    def took(self, kind: str, n: int = 1) -> None:
        """Count `n` results of `kind` taken from the district digest (`Remembered`)."""


class _NoMemo(Memo):
    def lookup(self, key: tuple[Any, ...], inputs: tuple[Any, ...]) -> Any:
        return MISSING

    def put(self, key: tuple[Any, ...], inputs: tuple[Any, ...], value: object) -> None:
        pass


NO_MEMO: Memo = _NoMemo()


# What a batch run keeps on disk: the key kinds (their first item) whose result depends
# only on one branch's files (and those above it: the scheme, the committee's rules), and
# where the branch id is in such a key. The cross-branch steps (pools of ranks, the
# ranked results) are not kept: they are done again from the kept scores every run.
BRANCH_KEYS = {
    "branch_year": 2,
    "scheme": 2,
    "score": 2,
    "score summary": 2,
    "checks": 2,
    "roster": 1,
    "glyphs": 1,  # characters the PDF fonts lack (sitegen.build._pdf_preflight)
}
# kept, but not counted as results (Remembered.computed, .remembered): what the steps across
# branches read of a score, computed with it (sitegen.rules.district), and the PDF
# preflight's findings
UNCOUNTED = frozenset({"score summary", "glyphs"})


def branch_scopes(hashes: dict[str, str]) -> dict[str, str]:
    """Branch id → one hash of every file its remembered results may depend on: its own
    files, its committee's (outside committees/<c>/branches/) and everything above the
    committees (site.yaml, scheme/, notices/), never restricted/. A branch id found under
    two committees has no scope (its results are never kept)."""
    # each group's text (its files' "path\0hash\0", in path order) hashed once, as one
    # update per file would (the same digests): a run after a one-file edit makes every
    # branch's scope again, 10,000 files at 1,000 branches
    above: list[str] = []
    committees: dict[str, list[str]] = {}
    branches: dict[tuple[str, str], list[str]] = {}
    for path in sorted(hashes):
        if path.startswith("committees/"):
            c = path.find("/", 11)  # committees/<c>/...
            if c < 0:
                group = above
            elif path.startswith("branches/", c + 1) and (b := path.find("/", c + 10)) >= 0:
                key = (path[11:c], path[c + 10 : b])  # committees/<c>/branches/<b>/<x>/...
                group = branches.get(key)  # type: ignore[assignment]
                if group is None:
                    group = branches[key] = []
            else:
                group = committees.setdefault(path[11:c], [])
        elif path.startswith("restricted/") or path == "restricted":
            continue
        else:
            group = above
        group.append(f"{path}\0{hashes[path]}\0")
    top = _sha256("".join(above))
    empty = _sha256("")
    committee_digests = {cid: _sha256("".join(texts)) for cid, texts in committees.items()}
    seen: Counter[str] = Counter(bid for _, bid in branches)
    out = {}
    for (cid, bid), texts in branches.items():
        if seen[bid] == 1:
            committee = committee_digests.get(cid, empty)
            out[bid] = _sha256(f"{top}\0{cid}\0{committee}\0{_sha256(''.join(texts))}")
    return out


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _token(value: object) -> str | None:
    """A plain input as text stable across runs; None for a model object (which the
    branch's scope covers)."""
    if value is None or isinstance(value, (str, int, float, bool, date, Enum)):
        return repr(value)
    if isinstance(value, tuple):
        items = [_token(v) for v in value]
        return "(" + ",".join("·" if t is None else t for t in items) + ")"
    return None


class _Bundle:
    """One branch's remembered entries, as read from its bundle (or none).

    `entries`: slot -> (entry key, value), every slot read so far. A bundle is stored in
    two layers (sitegen.load.cache.ResultStore.put_layered): the head, with every slot
    but the scores, and the tail, the scores (most of a bundle's bytes and objects). The
    tail is unpickled only when one of its slots is asked for: `later` holds the entry
    keys of the tail's slots, `read_tail` reads them (None once read, or without one)."""

    __slots__ = ("scope", "entries", "later", "read_tail")

    def __init__(self, scope: str, entries: dict[str, tuple[str, object]], later: dict[str, str], read_tail) -> None:
        self.scope = scope
        self.entries = entries
        self.later = later
        self.read_tail: Callable[[], object] | None = read_tail


# the kinds kept in a bundle's tail, read only when asked for (Remembered.deferred)
TAIL_KINDS = frozenset({"score"})


class Remembered(Memo):
    """The memo of a batch run: what `serve` keeps in memory, kept in a cache folder for
    the next run. Entries of the branch-scoped kinds (:data:`BRANCH_KEYS`) are kept in
    one bundle per branch (one file, read with one open, its shared objects pickled
    once), stored under the branch's scope (:func:`branch_scopes`: the hashes of the
    files it depends on); in the bundle each entry is stored with the hash of its key,
    its plain inputs (dates, ids, flags) and the scope, and found only under that hash.
    The code's fingerprint and sitegen's version are in every key
    (sitegen.load.cache.ResultStore). Other kinds are kept in memory only, as in
    :class:`Memo`. A bundle also keeps the branch as assembled from its files, with the
    problems parsing them found (:meth:`assembled`): the loader then does not parse an
    unchanged branch's files at all.

    The scores (:data:`TAIL_KINDS`) are in a second layer of the bundle, unpickled only
    when something asks for one: :meth:`deferred` hands out a function that reads it
    when called (sitegen.rules.district scores a district with a summary of each branch's
    score, kept in the head; `check` then never reads an unchanged branch's score).
    `tails_read` counts the tails unpickled.

    What this run computed is written by :meth:`flush` (each changed bundle whole,
    atomically: a crash leaves the last run's bundle, or none, never part of one).
    `computed` counts, by kind, the results computed in this run (not found): after a
    one-file edit, one branch's."""

    ASSEMBLED = "assembled"
    defers = True

    def __init__(self, store: ResultStore, scopes: dict[str, str] | None = None) -> None:
        super().__init__()
        self.store = store
        self.scopes: dict[str, str] = dict(scopes or {})
        self.computed: Counter[str] = Counter()
        self.remembered: Counter[str] = Counter()
        self._bundles: dict[str, _Bundle] = {}  # branch id -> its bundle for the scope last asked for
        self._changed: set[str] = set()
        self.bundles_read = 0
        self.tails_read = 0
        self.digest: Any = None  # sitegen.load.digest.DistrictDigest, once use_digest is called
        self.served: dict[str, Any] = {}  # branch id -> its digest entry, for the branches taken from it
        self.notes: dict[str, dict[Any, object]] = {}

    def use_digest(self, today: object) -> None:
        """Read the district digest kept for the build's date `today` (sitegen.load.digest)
        and make this run's: `serve` takes a branch from it, `note` collects the others'."""
        from sitegen.load.digest import DistrictDigest

        self.digest = DistrictDigest(self.store.directory, repr(today))

    def serve(self, committee: str, bid: str) -> Any:
        """The digest's entry for branch `bid` of `committee` if its scope is unchanged
        (then taken from it for the whole run: `digest_of`), else None."""
        if self.digest is None:
            return None
        found = self.digest.get(bid, self.scopes.get(bid), committee)
        if found is not None:
            self.served[bid] = found
        return found

    def digest_of(self, bid: str) -> Any:
        return self.served.get(bid)

    def note(self, bid: str, what: Any, value: object) -> None:
        if self.digest is not None and bid not in self.served:
            self.notes.setdefault(bid, {})[what] = value

    def took(self, kind: str, n: int = 1) -> None:
        self.remembered[kind] += n

    def add_scopes(self, scopes: dict[str, str]) -> None:
        self.scopes.update(scopes)

    def _bundle(self, bid: str, scope: str) -> _Bundle:
        held = self._bundles.get(bid)
        if held is not None and held.scope == scope:
            return held
        found, head, read_tail = self.store.get_layered(self.store.key("branch bundle", bid, scope))
        self.bundles_read += 1
        if found and isinstance(head, tuple) and len(head) == 2 and isinstance(head[0], dict):
            bundle = _Bundle(scope, head[0], dict(head[1]), read_tail)
        else:
            bundle = _Bundle(scope, {}, {}, None)
        self._bundles[bid] = bundle
        return bundle

    def _read_tail(self, bundle: _Bundle) -> None:
        """The tail's entries into `entries` (none if it cannot be read whole: they are
        computed again, and the bundle written anew)."""
        read, bundle.read_tail = bundle.read_tail, None
        later, bundle.later = bundle.later, {}
        if read is None:
            return
        try:
            tail = read()
        except Exception:  # noqa: BLE001 — unreadable: as if not stored
            return
        self.tails_read += 1
        if isinstance(tail, dict):
            for slot, entry in later.items():
                hit = tail.get(slot)
                if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == entry and slot not in bundle.entries:
                    bundle.entries[slot] = hit

    def _where(self, key: tuple[Any, ...], inputs: tuple[Any, ...]) -> tuple[str, str, str, str] | None:
        """(branch id, its scope, slot in its bundle, entry key), or None: not kept on disk."""
        where = BRANCH_KEYS.get(key[0]) if key and isinstance(key[0], str) else None
        if where is None or len(key) <= where or not isinstance(key[where], str):
            return None
        bid = key[where]
        scope = self.scopes.get(bid)
        if scope is None:
            return None
        plain = [_token(k) for k in key]
        if any(t is None for t in plain):
            return None
        slot = repr(plain)
        return bid, scope, slot, self.store.key(scope, slot, "".join(_token(v) or "·" for v in inputs))

    def _found(self, bundle: _Bundle, slot: str, entry: str) -> tuple[str, object] | None:
        if slot in bundle.later and bundle.later[slot] == entry:
            self._read_tail(bundle)
        hit = bundle.entries.get(slot)
        return hit if hit is not None and hit[0] == entry else None

    def lookup(self, key: tuple[Any, ...], inputs: tuple[Any, ...]) -> Any:
        value = super().lookup(key, inputs)
        if value is not MISSING:
            return value
        where = self._where(key, inputs)
        if where is not None:
            bid, scope, slot, entry = where
            hit = self._found(self._bundle(bid, scope), slot, entry)
            if hit is not None:
                self._count(self.remembered, key[0])
                Memo.put(self, key, inputs, hit[1])
                return hit[1]
        if key and key[0] in BRANCH_KEYS:
            self._count(self.computed, key[0])
        return MISSING

    @staticmethod
    def _count(counter: Counter[str], kind: str) -> None:
        if kind not in UNCOUNTED:
            counter[kind] += 1

    def deferred(
        self, key: tuple[Any, ...], inputs: tuple[Any, ...], compute: Callable[[], T]
    ) -> Callable[[], T] | None:
        """A function giving what `get(key, inputs, compute)` gives, without reading it
        now: when the remembered result is in a bundle's tail not yet read (None
        otherwise: call `get`). Calling it reads the tail (once, for every slot in it);
        a tail that cannot be read after all is computed, and its bundle written anew."""
        where = self._where(key, inputs)
        if where is None or super().lookup(key, inputs) is not MISSING:
            return None
        bid, scope, slot, entry = where
        bundle = self._bundle(bid, scope)
        if bundle.later.get(slot) != entry or bundle.read_tail is None:
            return None
        self._count(self.remembered, key[0])

        def later() -> T:
            value = Memo.lookup(self, key, inputs)
            if value is MISSING:
                hit = self._found(bundle, slot, entry)
                if hit is not None:
                    value = hit[1]
                    Memo.put(self, key, inputs, value)
                else:
                    self._count(self.computed, key[0])
                    value = compute()
                    self.put(key, inputs, value)
            return cast(T, value)

        return later

    def put(self, key: tuple[Any, ...], inputs: tuple[Any, ...], value: object) -> None:
        super().put(key, inputs, value)
        where = self._where(key, inputs)
        if where is not None:
            bid, scope, slot, entry = where
            bundle = self._bundle(bid, scope)
            self._read_tail(bundle)  # written whole at the end: nothing of it may be lost
            bundle.entries[slot] = (entry, value)
            self._changed.add(bid)

    def assembled(self, committee: str, bid: str, count: bool = True) -> tuple[Any, list[Any], dict[int, Any]] | None:
        """(the branch as assembled from its files, the problems parsing them found, its
        ledgers' entries by year), as remembered for its scope (sitegen.load); None when
        its files must be parsed."""
        scope = self.scopes.get(bid)
        if scope is None:
            return None
        hit = self._bundle(bid, scope).entries.get(self.ASSEMBLED)
        if hit is None or hit[0] != self.store.key(scope, self.ASSEMBLED, committee):
            return None
        if count:
            self.remembered[self.ASSEMBLED] += 1
        return cast(tuple[Any, list[Any], dict[int, Any]], hit[1])

    def remember_assembled(self, committee: str, bid: str, value: tuple[Any, list[Any], dict[int, Any]]) -> None:
        scope = self.scopes.get(bid)
        if scope is None:
            return
        self.computed[self.ASSEMBLED] += 1
        bundle = self._bundle(bid, scope)
        self._read_tail(bundle)
        bundle.entries[self.ASSEMBLED] = (self.store.key(scope, self.ASSEMBLED, committee), value)
        self._changed.add(bid)

    def flush(self) -> None:
        """Write the bundles this run changed (each whole, atomically): the scores in the
        tail, everything else in the head, with the tail's entry keys."""
        for bid in sorted(self._changed):
            bundle = self._bundles[bid]
            self._read_tail(bundle)
            head: dict[str, tuple[str, object]] = {}
            tail: dict[str, tuple[str, object]] = {}
            for slot, hit in bundle.entries.items():
                (tail if _kind(slot) in TAIL_KINDS else head)[slot] = hit
            later = {slot: hit[0] for slot, hit in tail.items()}
            key = self.store.key("branch bundle", bid, bundle.scope)
            self.store.put_layered(key, (head, later), tail, _entries(head.get(self.ASSEMBLED)))
        self._changed.clear()


def _entries(assembled: tuple[str, object] | None) -> list[object]:
    """The ledger entries of a remembered branch (its years' and its ledgers' as parsed):
    most of its bytes, and not read by `check` for an unchanged branch; kept in the
    bundle's tail (read when something reads them: sitegen.model.lazy)."""
    if assembled is None or not isinstance(assembled[1], tuple) or len(assembled[1]) != 3:
        return []
    from sitegen.model.lazy import Deferred

    branch, _, ledgers = assembled[1]
    out: list[object] = [by.entries for by in getattr(branch, "years", {}).values() if by.entries]
    if isinstance(ledgers, dict):
        for year, rows in list(ledgers.items()):
            if type(rows) is Deferred:  # remembered, not read this run: read now, to be kept again
                rows = ledgers[year] = rows.read()
            if rows:
                out.append(rows)
    return out


def _kind(slot: str) -> str:
    """The kind of a bundle's slot (its memo key's first item, as _where wrote it)."""
    return slot[3 : slot.find("'\"", 3)] if slot.startswith("[\"'") else slot
