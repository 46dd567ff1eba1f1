"""Scoring a whole district year: every branch independently, then the rankings that
cross branches (by category within each committee and across the district)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date

from sitegen.memo import NO_MEMO, Memo
from sitegen.model.enums import Category
from sitegen.model.scheme import Scheme
from sitegen.model.scored import BranchYearResult, GradedMember, Role, YearResult
from sitegen.model.site import Branch, Committee, District
from sitegen.problems import Problem
from sitegen.rules.grades import rank_key
from sitegen.rules.rank import competition_ranks
from sitegen.rules.scheme import effective_scheme
from sitegen.rules.score import score_branch_year
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
    build's date, from which each 公示 shows (sitegen.rules.score.score_branch_year)."""
    problems: list[Problem] = []
    results: dict[str, BranchYearResult] = {}
    if year not in district.schemes:
        raise ValueError(f"no scheme for {year}")
    for committee in district.committees:
        for branch in committee.branches:
            by = branch.years.get(year)
            if by is None:
                continue
            scheme, found = memo.get(
                ("scheme", year, branch.id),
                (district.schemes[year], committee.rules.get(year), by.plan, branch.category),
                lambda: branch_scheme(district, committee, branch, year),
            )
            problems += found
            results[branch.id] = memo.get(
                ("score", year, branch.id),
                (scheme, by, committee.id, branch.category, district.schemes[year].partial_year, as_of),
                lambda: score_branch_year(
                    branch.id, committee.id, branch.category, scheme, by, district.schemes[year].partial_year, as_of
                ),
            )
    results = cross_branch_ranks(results, memo)
    committees = {
        c.id: combine(r.stats for r in results.values() if r.committee_id == c.id) for c in district.committees
    }
    year_result = YearResult(
        year=year, branches=results, committees=committees, district=combine(r.stats for r in results.values())
    )
    return year_result, list(dict.fromkeys(problems))


def cross_branch_ranks(results: dict[str, BranchYearResult], memo: Memo = NO_MEMO) -> dict[str, BranchYearResult]:
    """Rank 正式/预备党员 by category across each committee and across the district (those
    graded: not members who left or joined too late)."""
    scored = [
        (bid, r)
        for bid, res in results.items()
        for r in res.members
        if r.role is Role.SCORED and isinstance(r, GradedMember)
    ]
    district_ranks: dict[tuple[str, str], int] = {}  # (branch, member) -> rank
    committee_ranks: dict[tuple[str, str], int] = {}
    # category -> members; (category, committee) -> members
    pools: defaultdict[Category | tuple[Category, str], list[tuple[str, GradedMember]]] = defaultdict(list)
    for bid, r in scored:
        pools[r.category].append((bid, r))
        pools[(r.category, results[bid].committee_id)].append((bid, r))
    for key, pool in pools.items():
        # ranks across branches exist only once every branch of the pool (its category, in
        # the committee or the district) has published its year end: before that a rank
        # would change later, and one page would show what another withholds
        category, committee = key if isinstance(key, tuple) else (key, None)
        if not all(
            res.year_end_done
            for res in results.values()
            if res.category is category and committee in (None, res.committee_id)
        ):
            continue
        # a pool's ranks depend on its branches' scores only: unchanged branches, same ranks
        branches = tuple({id(results[bid]): results[bid] for bid, _ in pool}.values())
        pool_ranks = memo.get(
            ("pool", branches[0].year, key),
            branches,
            lambda: competition_ranks(((bid, r.member.id), rank_key(r.total, r.vetoed)) for bid, r in pool),
        )
        (committee_ranks if isinstance(key, tuple) else district_ranks).update(pool_ranks)
    out = {}
    for bid, res in results.items():
        ranks: tuple[tuple[int | None, int | None] | None, ...] = tuple(
            (committee_ranks.get((bid, r.member.id)), district_ranks.get((bid, r.member.id)))
            if r.role is Role.SCORED and isinstance(r, GradedMember)
            else None
            for r in res.members
        )
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
