"""Scoring a whole district year: every branch independently, then the rankings that
cross branches (by category within each committee and across the district)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal

from sitegen.memo import NO_MEMO, Memo
from sitegen.model.enums import Category
from sitegen.model.lazy import replace_unread
from sitegen.model.scheme import Scheme
from sitegen.model.scored import BranchYearResult, Later, Results, ScoreSummary, YearResult, summarize
from sitegen.model.site import Branch, Committee, District
from sitegen.problems import Problem
from sitegen.rules.grades import rank_key
from sitegen.rules.rank import competition_ranks
from sitegen.rules.scheme import effective_scheme
from sitegen.rules.score import day_phase, score_branch_year
from sitegen.rules.stats import combine


def branch_scheme(district: District, committee: Committee, branch: Branch, year: int) -> tuple[Scheme, list[Problem]]:
    """The effective scheme of `branch` in `year`, with the problems folding it found."""
    by = branch.years.get(year)
    return effective_scheme(
        year, district.schemes[year], committee.rules.get(year), by.plan if by else None, branch.category
    )


def score_year(
    district: District, year: int, memo: Memo = NO_MEMO, as_of: date | None = None
) -> tuple[YearResult, list[Problem]]:
    """Every branch's year, then the ranks across branches. With a `memo` (serve), a branch
    whose scheme and year are the same objects as last time keeps its score. `as_of`: the
    build's date, from which each 公示 shows (sitegen.rules.score.score_branch_year).
    A score remembered from an earlier run (sitegen.memo.Remembered) is not read: the
    ranks and totals are made from its summary (kept beside it), and the result is read
    when someone looks it up in the year's `branches` (a :class:`Results`)."""
    problems: list[Problem] = []
    results: dict[str, BranchYearResult | Later] = {}
    if year not in district.schemes:
        raise ValueError(f"no scheme for {year}")
    for committee in district.committees:
        for branch in committee.branches:
            digest = memo.digest_of(branch.id)
            if digest is not None:  # taken from the district digest: its summary, its score read when asked for
                yd = digest.year(year)
                if yd is not None and yd.scored is not None:
                    problems += yd.scored[0]
                    results[branch.id] = _digested(district, committee, branch, year, memo, as_of, yd.scored)
                    memo.took("scheme")
                    memo.took("score")
                continue
            if year not in branch.years:
                continue
            scheme, found = _scheme(district, committee, branch, year, memo)
            problems += found
            memo.note(branch.id, ("scheme", year), found)
            res, summary = _scored(
                memo, year, branch.id, *_score_inputs(district, committee, branch, year, as_of, scheme)
            )
            results[branch.id] = res
            memo.note(branch.id, ("summary", year), summary)
    results = cross_branch_ranks(results, memo)
    # (committee, stats) of each branch: read from its summary if the result is not read
    stats = [
        (r.summary.committee_id, r.summary.stats) if isinstance(r, Later) else (r.committee_id, r.stats)
        for r in results.values()
    ]
    by_committee: defaultdict[str, list] = defaultdict(list)
    for cid, s in stats:
        by_committee[cid].append(s)
    committees = {c.id: combine(by_committee.get(c.id, ())) for c in district.committees}
    year_result = YearResult(
        year=year,
        branches=Results(results),
        committees=committees,
        district=combine(s for _, s in stats),
    )
    return year_result, list(dict.fromkeys(problems))


def _scheme(
    district: District, committee: Committee, branch: Branch, year: int, memo: Memo
) -> tuple[Scheme, list[Problem]]:
    by = branch.years[year]
    return memo.get(
        ("scheme", year, branch.id),
        (district.schemes[year], committee.rules.get(year), by.plan, branch.category),
        lambda: branch_scheme(district, committee, branch, year),
    )


def _score_inputs(
    district: District, committee: Committee, branch: Branch, year: int, as_of: date | None, scheme: Scheme
) -> tuple[tuple, Callable[[], BranchYearResult]]:
    """What a branch's score is remembered under, and the function that computes it."""
    by = branch.years[year]
    partial = district.schemes[year].partial_year
    # the date only as the score reads it (which 公示 have begun): kept across days
    inputs = (scheme, by, committee.id, branch.category, partial, day_phase(by, as_of))

    def compute() -> BranchYearResult:
        return score_branch_year(branch.id, committee.id, branch.category, scheme, by, partial, as_of)

    return inputs, compute


def _digested(
    district: District,
    committee: Committee,
    branch: Branch,
    year: int,
    memo: Memo,
    as_of: date | None,
    scored: tuple,
) -> Later:
    """A branch year taken from the district digest (sitegen.load.digest): its summary
    from there, its scheme and its score read (from its bundle, or computed) when asked for."""
    from sitegen.load.digest import unpack_summary

    def scheme() -> Scheme:
        return _scheme(district, committee, branch, year, memo)[0]

    def read() -> BranchYearResult:
        inputs, compute = _score_inputs(district, committee, branch, year, as_of, scheme())
        return memo.get(("score", year, branch.id), inputs, compute)

    _, eager, rest, _ = scored
    return Later(unpack_summary(eager, rest, scheme), read)


def _scored(
    memo: Memo, year: int, bid: str, inputs: tuple, compute: Callable[[], BranchYearResult]
) -> tuple[BranchYearResult | Later, ScoreSummary | None]:
    """A branch's score — remembered, computed, or (its summary remembered, its score in a
    bundle's tail) to be read when asked for — and its summary (before the ranks)."""
    if not memo.defers:  # (serve: nothing noted)
        return memo.get(("score", year, bid), inputs, compute), None
    summary = memo.lookup(("score summary", year, bid), inputs)
    if isinstance(summary, ScoreSummary):
        later = memo.deferred(("score", year, bid), inputs, compute)
        if later is not None:
            return Later(summary, later), summary
    res = memo.get(("score", year, bid), inputs, compute)
    if not isinstance(summary, ScoreSummary):
        summary = summarize(res)
        memo.put(("score summary", year, bid), inputs, summary)
    return res, summary


def _summary(res: BranchYearResult | Later) -> ScoreSummary:
    return res.summary if isinstance(res, Later) else summarize(res)


def _pool_ranks(pool: list[tuple[str, str, Decimal, bool]]) -> dict[tuple[str, str], int]:
    """Competition ranks of a pool's members: (branch, member id) -> rank."""
    return competition_ranks(((bid, mid), rank_key(total, vetoed)) for bid, mid, total, vetoed in pool)


def cross_branch_ranks(
    results: Mapping[str, BranchYearResult | Later], memo: Memo = NO_MEMO
) -> dict[str, BranchYearResult | Later]:
    """Rank 正式/预备党员 by category across each committee and across the district (those
    graded: not members who left or joined too late). A result not read yet (:class:`Later`)
    is ranked from its summary, and given its ranks when it is read.

    Ranks across branches exist only once every branch of the pool (its category, in the
    committee or the district) has published its year end: before that a rank would
    change later, and one page would show what another withholds. Every member a branch
    ranks is of the branch's category (sitegen.rules.score gives each the branch's), so a
    branch whose two pools are not complete has no ranks, and its summary's ranks'
    inputs are not even read (a summary from the district digest keeps them unread)."""
    summaries = {bid: _summary(res) for bid, res in results.items()}
    pending: set[Category | tuple[Category, str]] = set()
    for s in summaries.values():
        if not s.year_end_done:
            pending.update((s.category, (s.category, s.committee_id)))
    ranked_here = {
        bid for bid, s in summaries.items() if s.category not in pending or (s.category, s.committee_id) not in pending
    }
    district_ranks: dict[tuple[str, str], int] = {}  # (branch, member) -> rank
    committee_ranks: dict[tuple[str, str], int] = {}
    # category -> members; (category, committee) -> members: (branch, member id, total, vetoed)
    pools: defaultdict[Category | tuple[Category, str], list[tuple[str, str, Decimal, bool]]] = defaultdict(list)
    for bid, summary in summaries.items():
        if bid not in ranked_here:
            continue
        for ranked in summary.ranked:
            if ranked is not None:
                mid, category, total, vetoed = ranked
                pools[category].append((bid, mid, total, vetoed))
                pools[(category, summary.committee_id)].append((bid, mid, total, vetoed))
    for key, pool in pools.items():
        if key in pending:
            continue
        # a pool's ranks depend on its branches' scores only: unchanged branches, same ranks
        # (results not read yet are not kept in memory between runs: ranked again)
        branches = tuple({id(results[bid]): results[bid] for bid, _, _, _ in pool}.values())
        pool_ranks = (
            memo.get(("pool", next(iter(branches)).year, key), branches, lambda: _pool_ranks(pool))  # type: ignore[union-attr]
            if not any(isinstance(b, Later) for b in branches)
            else _pool_ranks(pool)
        )
        (committee_ranks if isinstance(key, tuple) else district_ranks).update(pool_ranks)
    out: dict[str, BranchYearResult | Later] = {}
    for bid, res in results.items():
        summary = summaries[bid]
        if bid not in ranked_here:  # no pool of its complete: no member ranked across branches
            out[bid] = res
            continue
        ranks: tuple[tuple[int | None, int | None] | None, ...] = tuple(
            (committee_ranks.get((bid, ranked[0])), district_ranks.get((bid, ranked[0]))) if ranked else None
            for ranked in summary.ranked
        )
        if isinstance(res, Later):
            if all(rank is None or rank == have for rank, have in zip(ranks, summary.ranks)):
                out[bid] = res
            else:
                out[bid] = Later(
                    replace_unread(summary, ranks=tuple(r or h for r, h in zip(ranks, summary.ranks))),
                    lambda res=res, ranks=ranks: _with_ranks(res.read(), ranks),  # type: ignore[misc]
                )
        else:
            out[bid] = memo.get(("ranked", res.year, bid), (res, ranks), lambda: _with_ranks(res, ranks))
    return out


def _with_ranks(res: BranchYearResult, ranks: tuple[tuple[int | None, int | None] | None, ...]) -> BranchYearResult:
    """`res` with its members' ranks set; `res` itself when they are what it has already
    (before every pool's year end is published, no member has a rank: nothing is copied)."""
    if all(
        rank is None or (getattr(r, "rank_committee", None), getattr(r, "rank_district", None)) == rank
        for r, rank in zip(res.members, ranks)
    ):
        return res
    members = tuple(
        replace(r, rank_committee=rank[0], rank_district=rank[1]) if rank else r for r, rank in zip(res.members, ranks)
    )
    return replace(res, members=members)
