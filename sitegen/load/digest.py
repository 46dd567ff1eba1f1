"""The district digest: what the steps across branches need of each unchanged branch,
in one file, so that `check` after a one-file edit opens no other branch's bundle.

A branch's bundle (sitegen.memo.Remembered) holds the branch as assembled, its roster,
scheme and score results and its checks: about 9 KB to unpickle per branch, 1,000 of them
on every run. What `check` reads of an unchanged branch is much less — the problems its
own steps found, its years, the member ids its rosters list (for the checks across
rosters), its score summary (for the ranks and totals across branches), the dates the
committee's 审核备案 are compared with, and what the restricted records' checks ask of
its rosters (its exempt members, its appeal ids). The digest keeps exactly that for
every branch, each entry under the branch's scope (sitegen.memo.branch_scopes: the hashes
of its files and of those above it), the whole file under the build's date and the code's
fingerprint (sitegen.load.cache.results_fingerprint). A branch whose scope is the one
in the digest is taken from it: its `Branch` in the district is lazy (its years and
notices are read from its bundle, or its files parsed again, when something asks for
them: `build` does, `check` does not), and its score a `Later` whose summary comes from
the digest (sitegen.model.scored).

The file is written whole and atomically, with a mark, its length and a CRC-32; one cut
off, scribbled over, of another date or another code is ignored whole: every branch is
then read from its bundle as before, and the digest written anew. Restricted records
are never in it (their checks are made again every run from the public parts above).
"""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import Any, NamedTuple

from sitegen.load.cache import ResultStore, _dumps, _maker, _write_atomically, framed, unframed
from sitegen.model.lazy import Deferred, deferrable
from sitegen.model.org import Member
from sitegen.model.scored import ScoreSummary
from sitegen.problems import Problem

_MARK = b"sitegen-digest\x01"
FILE = "digest.pickle"

# A summary's fields read by every check (the totals, the follow-up checks): kept as they
# are. Every other field but the scheme (the ranks' inputs, anything the render reads) is
# kept pickled, unpickled the first time one is read; the scheme is the branch's own
# (its plan's items), read with its bundle only when asked for.
# (the renderers' unit keys read `procedure`, `published_quarters` and `ranks` of every
# branch: eager, so that an unchanged branch's other fields are never unpickled)
EAGER = (
    "committee_id",
    "year",
    "category",
    "year_end_done",
    "assessed",
    "stats",
    "failed",
    "published_quarters",
    "procedure",
    "ranks",
)
SCHEME = "scheme"


@cache
def _summary_fields() -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(ScoreSummary))


@cache
def _lazy_fields() -> tuple[str, ...]:
    return tuple(name for name in _summary_fields() if name not in EAGER and name != SCHEME)


for _name in (SCHEME, *_lazy_fields()):
    deferrable(ScoreSummary, _name)


class YearDigest(NamedTuple):
    """One branch year. `ids`: the member ids its roster lists (each once, in order);
    `mobile`: (index in `ids`, member) of those that may be listed by another branch
    too without an error (floating, joined or left during the year), the others being
    read from the branch when another roster lists them; `exempt`: the roster's exempt
    members (each line), `exempt_ids` those whose last line is exempt; `appeals`: the
    year's appeal ids; `filed`: the dates a 审核备案 is compared with (the year end's,
    and each recorded quarter's); `scored`: None when the year has no district scheme,
    else (the scheme's problems, the summary's eager fields, its other fields pickled,
    the checks' problems)."""

    year: int
    ids: tuple[str, ...]
    mobile: tuple[tuple[int, Member], ...]
    exempt: tuple[Member, ...]
    exempt_ids: frozenset[str]
    appeals: frozenset[str]
    filed: tuple[Any, tuple[tuple[int, Any], ...]]
    scored: tuple[tuple[Problem, ...], tuple[Any, ...], bytes, tuple[Problem, ...]] | None


class BranchDigest(NamedTuple):
    committee: str
    scope: str
    info: Any  # BranchInfo
    load_problems: tuple[Problem, ...]  # parsing its files
    ledger_years: tuple[int, ...]  # the years with ledger entries (Loaded.ledgers)
    notice_problems: tuple[Problem, ...]  # W801, W802 of its notices
    roster_problems: tuple[Problem, ...]  # its rosters on their own
    years: tuple[YearDigest, ...]

    def year(self, year: int) -> YearDigest | None:
        for yd in self.years:
            if yd.year == year:
                return yd
        return None


class RosterView(NamedTuple):
    """What the restricted records' checks read of a branch year's roster and quarters."""

    ids: frozenset[str]
    exempt: tuple[Member, ...]
    exempt_ids: frozenset[str]
    appeals: frozenset[str]


def roster_view(by: Any) -> RosterView:
    """The view of a BranchYear."""
    members = {m.id: m for m in by.members}
    return RosterView(
        frozenset(members),
        tuple(m for m in by.members if m.exempt is not None),
        frozenset(mid for mid, m in members.items() if m.exempt is not None),
        frozenset(a.id for q in by.quarters.values() for a in q.appeals),
    )


def view_of(yd: YearDigest) -> RosterView:
    return RosterView(frozenset(yd.ids), yd.exempt, yd.exempt_ids, yd.appeals)


def filed_dates(by: Any) -> tuple[Any, tuple[tuple[int, Any], ...]]:
    """(the year end's reported date, or its 综合评定's; (quarter, its reported date or its
    公示's start) of each recorded quarter): what a committee's 审核备案 must not precede."""
    ye = by.year_end
    year_end = (ye.reported or ye.assessed) if ye is not None else None
    quarters = tuple(
        (q, record.reported or (record.publicity.start if record.publicity else None))
        for q, record in by.quarters.items()
    )
    return year_end, quarters


def is_mobile(m: Member) -> bool:
    return m.floating is not None or m.joined is not None or m.left is not None


def pack_summary(summary: ScoreSummary) -> tuple[tuple[Any, ...], bytes]:
    """The summary's eager fields, and its other fields (but the scheme) pickled."""
    eager = tuple(getattr(summary, name) for name in EAGER)
    rest = tuple(getattr(summary, name) for name in _lazy_fields())
    return eager, _dumps(rest)


class _Rest:
    """A summary's pickled fields, unpickled once when the first of them is read."""

    __slots__ = ("data", "values")

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.values: tuple[Any, ...] | None = None

    def field(self, i: int) -> Any:
        if self.values is None:
            self.values = pickle.loads(self.data)
        return self.values[i]


@cache
def _plan() -> tuple[tuple[int, int], ...]:
    """Where each of a summary's fields comes from, in order: (0, i) the i-th eager field,
    (1, i) the i-th pickled one, (2, 0) the scheme."""
    lazy = _lazy_fields()
    return tuple(
        (0, EAGER.index(name)) if name in EAGER else (1, lazy.index(name)) if name in lazy else (2, 0)
        for name in _summary_fields()
    )


def unpack_summary(eager: tuple[Any, ...], rest: bytes, scheme: Callable[[], Any]) -> ScoreSummary:
    """A summary whose lazy fields are unpickled when first read, its scheme given by
    `scheme` when first read."""
    held = _Rest(rest)
    read = held.field
    args = [
        eager[i] if where == 0 else Deferred(partial(read, i)) if where == 1 else Deferred(scheme)
        for where, i in _plan()
    ]
    return _maker(ScoreSummary)(*args)


class DistrictDigest:
    """The digest read from a cache folder for one build date: branch id → (its scope, its
    committee, its entry pickled on its own), empty when there is none or it cannot be
    trusted. An entry is unpickled when its branch is asked for with its scope (`get`);
    :meth:`write` keeps the bytes of every entry taken as it was, so an edit pickles one
    branch's entry, not the district's."""

    def __init__(self, directory: Path | None, today: str) -> None:
        self.directory = directory
        self.key = ResultStore.key("district digest", today)
        self.stored: dict[str, tuple[str, str, bytes]] = self._read() if directory is not None else {}
        self.taken: dict[str, BranchDigest] = {}  # the entries unpickled, by branch id

    def _read(self) -> dict[str, tuple[str, str, bytes]]:
        assert self.directory is not None
        try:
            with open(self.directory / FILE, "rb") as f:
                data = f.read()
        except OSError:
            return {}
        body = unframed(data, _MARK)
        if body is None:
            return {}  # cut off, grown or scribbled over: never trusted
        try:
            stored = pickle.loads(body)
        except Exception:  # noqa: BLE001 — unreadable or from other code: not trusted
            return {}
        if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == self.key):
            return {}  # another date's, another code's
        entries = stored[1]
        if not isinstance(entries, dict) or not all(
            isinstance(v, tuple) and len(v) == 3 and isinstance(v[2], bytes) for v in entries.values()
        ):
            return {}
        return entries

    def get(self, bid: str, scope: str | None, committee: str) -> BranchDigest | None:
        """Branch `bid`'s entry if it was kept under `scope` and `committee`."""
        stored = self.stored.get(bid)
        if stored is None or scope is None or stored[0] != scope or stored[1] != committee:
            return None
        try:
            found = pickle.loads(stored[2])
        except Exception:  # noqa: BLE001 — from other code after all: not trusted
            return None
        if not isinstance(found, BranchDigest) or found.scope != scope or found.committee != committee:
            return None
        self.taken[bid] = found
        return found

    def write(self, entries: dict[str, BranchDigest]) -> bool:
        """`entries` as the digest, atomically (unless they are what was read)."""
        if self.directory is None:
            return False
        out: dict[str, tuple[str, str, bytes]] = {}
        try:
            for bid, entry in entries.items():
                same = self.taken.get(bid) is entry
                out[bid] = self.stored[bid] if same else (entry.scope, entry.committee, _dumps(entry))
        except (pickle.PicklingError, TypeError, AttributeError):
            return False
        if out.keys() == self.stored.keys() and all(out[bid] is self.stored[bid] for bid in out):
            return False  # every entry as it was
        body = _dumps((self.key, out))
        return _write_atomically(self.directory / FILE, framed(_MARK, body))


def write(memo: Any, district: Any) -> None:
    """The digest of this run (`memo`: a sitegen.memo.Remembered using one): each branch
    taken from the last one as it was, each other branch from what this run's steps
    noted of it (`Remembered.note`); a branch without a scope, or with a step not noted,
    is left out (the next run reads its bundle)."""
    if memo.digest is None or district is None:
        return
    entries: dict[str, BranchDigest] = {}
    for committee in district.committees:
        for branch in committee.branches:
            found = memo.served.get(branch.id) or _entry(memo, district, committee.id, branch)
            if found is not None:
                entries[branch.id] = found
    memo.digest.write(entries)


def _entry(memo: Any, district: Any, committee: str, branch: Any) -> BranchDigest | None:
    scope = memo.scopes.get(branch.id)
    notes = memo.notes.get(branch.id)
    if scope is None or not notes:
        return None
    load, roster, notices = notes.get("load"), notes.get("roster"), notes.get("notices")
    if load is None or roster is None or notices is None:
        return None
    cid, info, load_problems, ledger_years = load
    if cid != committee:
        return None
    own, listed = roster
    by_year: dict[int, list[Member]] = {}
    for year, m in listed:
        by_year.setdefault(year, []).append(m)
    years = []
    for year, by in branch.years.items():
        members = by_year.get(year, [])
        view = roster_view(by)
        scored = None
        if year in district.schemes:
            scheme, summary, checks = (notes.get((kind, year)) for kind in ("scheme", "summary", "checks"))
            if scheme is None or summary is None or checks is None:
                return None
            eager, rest = pack_summary(summary)
            scored = (tuple(scheme), eager, rest, tuple(checks))
        years.append(
            YearDigest(
                year,
                tuple(m.id for m in members),
                tuple((i, m) for i, m in enumerate(members) if is_mobile(m)),
                view.exempt,
                view.exempt_ids,
                view.appeals,
                filed_dates(by),
                scored,
            )
        )
    return BranchDigest(
        cid, scope, info, tuple(load_problems), tuple(ledger_years), tuple(notices), tuple(own), tuple(years)
    )
