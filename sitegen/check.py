"""`sitegen check`: load, validate and score everything, and report every problem at once."""

from __future__ import annotations

import gc
import re
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sitegen import gcpolicy
from sitegen.load import Loaded, Unreadable, load, scan
from sitegen.load.cache import ResultStore, cache_folder, theme_problems
from sitegen.load.digest import roster_view, view_of
from sitegen.load.digest import write as write_digest
from sitegen.memo import NO_MEMO, Memo, Remembered, branch_scopes
from sitegen.model.scored import BranchYearResult, Results, ScoreSummary, YearResult, summarize
from sitegen.problems import Pos, Problem
from sitegen.rules.district import score_year
from sitegen.validate import Locator
from sitegen.validate.cycle import check_appeal_ids, check_filings, check_quarter, check_year_end
from sitegen.validate.deadlines import deadline_warnings
from sitegen.validate.ledger import check_ledger
from sitegen.validate.roster import check_rosters
from sitegen.validate.site import check_site

BEIJING = timezone(timedelta(hours=8), "北京时间")


def build_day(given: date | None = None) -> date:
    """The one meaning of "today" for build, check and serve: the date given (--today),
    or else the real date in Beijing time (the district's, whatever the machine's zone):
    which 公示 have started, which deadlines have passed."""
    return given if given is not None else datetime.now(BEIJING).date()


@dataclass
class Report:
    loaded: Loaded
    problems: list[Problem]
    years: dict[int, YearResult] = field(default_factory=dict)
    # by kind (sitegen.memo.BRANCH_KEYS): the results computed in this run, and those
    # found from the last run in the cache folder (empty without one)
    computed: dict[str, int] = field(default_factory=dict)
    remembered: dict[str, int] = field(default_factory=dict)
    # the memo the run kept its results in (a Remembered over the cache folder, or the
    # caller's): the build keeps its PDF preflight's findings there too
    memo: Memo = NO_MEMO

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


@contextmanager
def _few_collections():
    """Loading and scoring make millions of long-lived objects and no cycles worth finding;
    the default collector rescans them all the time (about a third of the run)."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def check(
    root: Path | str,
    *,
    today: date | None = None,
    cache_dir=True,
    jobs: int | None = None,
    restricted: bool = True,
    scanned=None,
    history: bool = False,
    published_info: Path | None = None,
    memo: Memo = NO_MEMO,
) -> Report:
    with _few_collections():
        try:
            return _check(
                root,
                today=today,
                cache_dir=cache_dir,
                jobs=jobs,
                restricted=restricted,
                scanned=scanned,
                history=history,
                published_info=published_info,
                memo=memo,
            )
        except Unreadable as exc:  # a file changed while this run read it: say so, no traceback
            return Report(Loaded(Path(root), None, [exc.problem]), [exc.problem])


def _check(
    root: Path | str,
    *,
    today: date | None,
    cache_dir,
    jobs: int | None,
    restricted: bool,
    scanned,
    history: bool = False,
    published_info: Path | None = None,
    memo: Memo = NO_MEMO,
) -> Report:
    """Everything `sitegen check` reports. The build calls this with restricted=False: it
    validates the public content the same way but never reads content/restricted/.
    history=True adds what git history shows (closed quarters edited, history rewritten
    since `published_info`), when the content folder is in a git repository. `memo`
    (serve) keeps what did not change since the last call: the result is the same.
    Without one, what did not change since the last run is found in the cache folder
    (sitegen.memo.Remembered), and the result is the same again."""
    scanned = scanned or scan(root, restricted=restricted, cache_dir=cache_dir)
    scopes = None
    if memo is NO_MEMO:
        directory = cache_folder(cache_dir)
        if directory is not None:
            scopes = branch_scopes(scanned.hashes)
            memo = Remembered(ResultStore(directory), scopes)
            memo.use_digest(today)
    loaded = load(root, cache_dir=cache_dir, jobs=jobs, restricted=restricted, scanned=scanned, memo=memo)
    if scopes is not None and loaded.hashes is scanned.hashes:
        loaded.scopes_made = scopes
    problems = list(loaded.problems)
    years: dict[int, YearResult] = {}
    district = loaded.district
    if district is not None:
        locate = Locator(loaded.root, loaded.raw)
        unreadable = _unreadable_years(loaded.problems)
        problems += check_rosters(district, memo, unreadable)
        problems += check_filings(district, memo)
        problems += check_site(district.info, locate)
        missing = sorted(
            {year for b in district.branches() for year in _years(memo, b) if year not in district.schemes}
        )
        problems += _notice_warnings(district, loaded.root, memo)
        for year in missing:
            problems.append(
                Problem(
                    "E207",
                    f"有支部记录了 {year} 年的积分，但没有 {year} 年的全区考核表。",
                    Pos(f"scheme/{year}.yaml"),
                    f"建立 scheme/{year}.yaml（可以从上一年的复制后修改）。",
                )
            )
        for year in district.years:
            result, found = score_year(district, year, memo, as_of=today)
            years[year] = result
            problems += found
        restricted_present = restricted and (loaded.root / "restricted").is_dir()
        if restricted_present or loaded.restricted:  # (their checks' code: imported only then)
            from sitegen.validate.followup import check_follow_up
            from sitegen.validate.restricted import check_restricted, missing_reasons
        for committee in district.committees:
            for branch in committee.branches:
                digest = memo.digest_of(branch.id)
                if digest is not None:  # taken from the district digest: its checks' problems kept there
                    problems += _digested_checks(
                        digest, years, loaded if restricted_present else None, memo, branch.id, today
                    )
                    continue
                folder = f"committees/{committee.id}/branches/{branch.id}"
                for year, by in branch.years.items():
                    scored = years.get(year)
                    if scored is None or branch.id not in scored.branches:
                        continue
                    # the score itself is read only where a check needs it (a remembered
                    # one is not: sitegen.model.scored.Results); its summary has the scheme
                    results = scored.branches
                    summary = _summary(results, branch.id)
                    # a branch's checks depend on its files (through `by`), its scheme and its
                    # score, which is a function of the two: unchanged objects, same problems
                    # (kept on disk between runs: never those that read restricted records);
                    # not on the date — the deadlines' warnings are made again every run, so
                    # that a new day does not compute (and write) every branch's checks again
                    found = memo.get(
                        ("checks", committee.id, branch.id, year),
                        (branch, by, summary.scheme),
                        lambda: _branch_checks(loaded, locate, branch, by, results[branch.id]),
                    )
                    if today is not None:
                        found = found + deadline_warnings(branch, by, today, f"{folder}/{year}")
                    memo.note(branch.id, ("checks", year), found)  # (the digest is the day's)
                    problems += found
                    if restricted_present:
                        record = loaded.restricted.get((branch.id, year))
                        problems += memo.get(
                            ("restricted checks", committee.id, branch.id, year),
                            (branch, by, summary.scheme, record, today),
                            lambda: (
                                missing_reasons(roster_view(by), record, branch.id, year)
                                # from the summary: a remembered score is not read
                                + check_follow_up(summary, record, today, branch.id)
                            ),
                        )
        for (bid, year), record in sorted(loaded.restricted.items()):
            owner = district.branch(bid)  # indexed: not a walk over the district per file
            digest = memo.digest_of(bid) if owner else None
            if digest is not None:
                yd = digest.year(year)
                problems += check_restricted(record, view_of(yd) if yd else None, bid, year)
                continue
            owned = owner.years.get(year) if owner else None
            problems += memo.get(  # (the memo is never kept on disk for restricted records' checks)
                ("restricted records", bid, year),
                (record, owned),
                lambda: check_restricted(record, roster_view(owned) if owned else None, bid, year),
            )
    if loaded.root.is_dir() and (loaded.root / "theme").exists():
        # a theme pull request is checked like content: links, special files and templates that
        # reach for Python internals are refused here, not only when the site is built
        from sitegen.render.theme import Theme

        problems += theme_problems(Theme(loaded.root), cache_folder(cache_dir))
    if history and loaded.root.is_dir():
        from sitegen.history.frozen import check_history

        problems += check_history(loaded, build_day(today), published_info, cache_dir, years)
    if district is not None:
        problems = [p for p in problems if not _follows_from_unreadable(p, unreadable)]
    unique = sorted(dict.fromkeys(problems), key=Problem.sort_key)
    report = Report(loaded, unique, years, memo=memo)
    gcpolicy.settled()
    if isinstance(memo, Remembered):
        write_digest(memo, district)
        memo.flush()
        report.computed, report.remembered = dict(memo.computed), dict(memo.remembered)
    return report


def _summary(results: Mapping[str, BranchYearResult], bid: str) -> ScoreSummary:
    """What the checks need of a branch's score without reading it, if it is not read."""
    return results.summary(bid) if isinstance(results, Results) else summarize(results[bid])


_BRANCH_YEAR_FILE = re.compile(r"^committees/[^/]+/branches/([^/]+)/(\d{4})/")
_RESTRICTED_FILE = re.compile(r"^restricted/([^/]+)/(\d{4})\.yaml$")
# problems that only say a branch's year is missing: where its files did not parse, they
# repeat that file's own error (the published record not found, no roster for the
# restricted records) and are left out
_MISSING_YEAR_CODES = {"E1009", "E701"}


def _unreadable_years(loaded_problems: list[Problem]) -> frozenset[tuple[str, int]]:
    """(branch, year) with an error reading one of that year's files."""
    found = set()
    for p in loaded_problems:
        m = _BRANCH_YEAR_FILE.match(p.pos.file) if p.is_error else None
        if m:
            found.add((m.group(1), int(m.group(2))))
    return frozenset(found)


def _follows_from_unreadable(problem: Problem, unreadable: frozenset[tuple[str, int]]) -> bool:
    if problem.code not in _MISSING_YEAR_CODES or not unreadable:
        return False
    m = _BRANCH_YEAR_FILE.match(problem.pos.file) or _RESTRICTED_FILE.match(problem.pos.file)
    return m is not None and (m.group(1), int(m.group(2))) in unreadable


def _branch_checks(loaded: Loaded, locate: Locator, branch, by, bres) -> list[Problem]:
    """A branch year's own checks, whatever the date (its deadlines' warnings: see _check)."""
    year = by.year
    problems = check_ledger(
        branch, by, bres.scheme, loaded.ledgers.get((branch.committee_id, branch.id, year), []), locate
    )
    problems += check_appeal_ids(by, locate)
    for q, record_q in by.quarters.items():
        problems += check_quarter(by, q, record_q, locate)
    problems += check_year_end(by, bres, locate)
    if by.plan and by.plan.announced and by.plan.posted and by.plan.posted < by.plan.announced:
        problems.append(
            Problem(
                "E208",
                "积分项目在党员大会通报之前就公开了。",
                by.plan.pos,
                "先通报（announced）后公开（posted），检查两个日期。",
            )
        )
    return problems


_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


def _notice_warnings(district, root: Path, memo: Memo = NO_MEMO) -> list[Problem]:
    """Notices that will not show where their author expects: dated in a year the site has
    no pages for, or with a date that disagrees with the one in the file name. A branch's
    depend on its files and the schemes' years (its scope): kept in the district digest."""
    problems = _notices_problems(
        list(district.notices) + [n for c in district.committees for n in c.notices], district, root
    )
    for b in district.branches():
        digest = memo.digest_of(b.id)
        if digest is not None:
            problems += digest.notice_problems
            continue
        found = _notices_problems(list(b.notices), district, root)
        memo.note(b.id, "notices", found)
        problems += found
    return problems


def _notices_problems(notices: list, district, root: Path) -> list[Problem]:
    problems = []
    for n in notices:
        named = _DATED_NAME.match(n.slug)
        if n.date.year not in district.schemes:
            problems.append(
                Problem(
                    "W801",
                    f"通知“{n.title}”的日期是 {n.date.year} 年，但没有 {n.date.year} 年的全区考核表，"
                    "网站上没有这一年的页面，这条通知不会显示。",
                    _date_line(root, n),
                    f"检查 date 的年份；或建立 scheme/{n.date.year}.yaml。",
                )
            )
        elif named and named.group(1) != n.date.isoformat():
            problems.append(
                Problem(
                    "W802",
                    f"通知文件名里的日期 {named.group(1)} 与文件头的 date: {n.date} 不一致。",
                    _date_line(root, n),
                    "改正其中一个，让两者一致（页面按 date 排序和归入年份）。",
                )
            )
    return problems


def _years(memo: Memo, branch) -> list[int]:
    """A branch's years, from the district digest if it is taken from there."""
    digest = memo.digest_of(branch.id)
    return [yd.year for yd in digest.years] if digest is not None else list(branch.years)


def _digested_checks(
    digest, years: dict[int, YearResult], loaded: Loaded | None, memo: Memo, bid: str, today: date | None
) -> list[Problem]:
    """The checks of a branch taken from the district digest: its own, as kept there; and
    (`loaded` given: restricted records present) those of its restricted records, made
    again from what the digest keeps of its rosters and the summary of its score."""
    problems: list[Problem] = []
    for yd in digest.years:
        scored = years.get(yd.year)
        if yd.scored is None or scored is None or bid not in scored.branches:
            continue
        problems += yd.scored[3]
        memo.took("checks")
        if loaded is not None:
            from sitegen.validate.followup import check_follow_up
            from sitegen.validate.restricted import missing_reasons

            record = loaded.restricted.get((bid, yd.year))
            summary = _summary(scored.branches, bid)
            problems += missing_reasons(view_of(yd), record, bid, yd.year) + check_follow_up(
                summary, record, today, bid
            )
    return problems


def _date_line(root: Path, notice) -> Pos:
    try:
        lines = (root / notice.pos.file).read_text("utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return notice.pos
    line = next((i for i, text in enumerate(lines, start=1) if text.startswith("date:")), 0)
    return Pos(notice.pos.file, line, 1) if line else notice.pos
