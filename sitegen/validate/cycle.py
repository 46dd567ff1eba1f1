"""The quarterly cycle and the year end (SPEC 2.5, 2.6)."""

from __future__ import annotations

from datetime import date

from sitegen.memo import NO_MEMO, Memo
from sitegen.model.enums import Appellant, Grade, Outcome, Rating
from sitegen.model.ledger import QuarterRecord
from sitegen.model.scored import BranchYearResult, GradedMember, Role
from sitegen.model.site import Branch, BranchYear, District
from sitegen.problems import Problem
from sitegen.rules.periods import quarter_end, quarter_name
from sitegen.validate import Locator


def check_quarter(by: BranchYear, quarter: int, record: QuarterRecord, locate: Locator) -> list[Problem]:
    problems: list[Problem] = []
    entries = {e.id: e for e in by.entries}
    members = {m.id for m in by.members}
    name = f"{by.year}年{quarter_name(quarter)}"
    for a in record.appeals:
        if a.by is Appellant.MEMBER and not a.member:
            problems.append(
                Problem(
                    "E502",
                    f"申辩“{a.id}”没有写提出申辩的党员 member。",
                    a.pos,
                    "党员的申辩、问询写 member: 党员编号；群众在公示期间提出的意见写 by: 群众"
                    "（是谁不必写，也不要写在公开文件里）。",
                )
            )
        elif a.member and a.member not in members:
            problems.append(
                Problem(
                    "E502",
                    f"申辩“{a.id}”的党员“{a.member}”不在本年度名册里。",
                    locate.find(a.pos, "member"),
                    "写名册里的党员编号。",
                )
            )
        if a.entry and a.entry not in entries:
            problems.append(
                Problem(
                    "E502",
                    f"申辩“{a.id}”所指的台账条目“{a.entry}”不存在。",
                    locate.find(a.pos, "entry"),
                    "写台账条目的编号；不针对具体条目时改写 matter: 事项说明。",
                )
            )
        if not a.entry and not a.matter.strip():
            problems.append(
                Problem(
                    "E502",
                    f"申辩“{a.id}”没有写针对哪个条目（entry）或什么事项（matter）。",
                    a.pos,
                    "加上 entry: 条目编号，或 matter: 事项说明。",
                )
            )
        if a.outcome is None:
            if a.decided is not None:
                problems.append(
                    Problem(
                        "E502",
                        f"申辩“{a.id}”写了处理日期，但没有写处理结果 outcome。",
                        a.pos,
                        "加上 outcome: 维持 或 outcome: 更正。",
                    )
                )
            continue
        if a.decided is None:
            problems.append(
                Problem(
                    "E502", f"申辩“{a.id}”已有处理结果，但没有写处理日期 decided。", a.pos, "加上 decided: 处理日期。"
                )
            )
        elif a.decided < a.filed:
            problems.append(
                Problem(
                    "E502",
                    f"申辩“{a.id}”的处理日期早于提出日期。",
                    locate.find(a.pos, "decided"),
                    "检查 filed 和 decided。",
                )
            )
        if a.outcome is Outcome.CORRECTED:
            fix = entries.get(a.correction) if a.correction else None
            if fix is None or not fix.corrects:
                problems.append(
                    Problem(
                        "E502",
                        f"申辩“{a.id}”结果为更正，但没有指向一条更正条目。",
                        locate.find(a.pos, "correction") if a.correction else a.pos,
                        "在台账里加一条 corrects: 原条目 的更正条目，并在这里写 correction: 更正条目编号。",
                    )
                )
            elif a.entry and fix.corrects != a.entry:
                problems.append(
                    Problem(
                        "E502",
                        f"申辩“{a.id}”针对“{a.entry}”，但更正条目“{fix.id}”更正的是“{fix.corrects}”。",
                        locate.find(a.pos, "correction"),
                        "检查 entry 和 correction。",
                    )
                )
        elif a.correction:
            problems.append(
                Problem(
                    "E502",
                    f"申辩“{a.id}”结果为维持，不应写更正条目。",
                    locate.find(a.pos, "correction"),
                    "删去 correction，或把结果改为 更正。",
                )
            )
    # what was raised before the 公示 must be settled before confirming; what is raised during
    # it is what the 公示 is for: shown as 受理中, it blocks nothing (see deadlines for after it)
    start = record.publicity.start if record.publicity else None
    undecided = [a.id for a in record.appeals if a.outcome is None and (start is None or a.filed < start)]
    if undecided and (record.confirmed or record.publicity):
        problems.append(
            Problem(
                "E501",
                f"{name}还有公示前提出、未处理的申辩（{'、'.join(undecided)}），不能确认公示。",
                locate.find(record.pos, "publicity") if record.publicity else record.pos,
                "先处理申辩并写上 outcome 和 decided，再写 confirmed 和 publicity。"
                "公示期间提出的申辩、意见不影响确认，处理后再写结果。",
            )
        )
    if record.publicity is not None:
        p = record.publicity
        if p.end < p.start:
            problems.append(Problem("E503", f"{name}公示期结束日期早于开始日期。", p.pos, "检查 start 和 end。"))
        if p.start <= quarter_end(by.year, quarter):
            problems.append(
                Problem(
                    "E503",
                    f"{name}还没结束就开始公示（{p.start}）。",
                    p.pos,
                    f"公示开始日期应在 {quarter_end(by.year, quarter)} 之后。",
                )
            )
        missing = [
            label
            for key, label in (("reviewed", "汇总审核"), ("feedback", "逐人反馈"), ("confirmed", "确认"))
            if getattr(record, key) is None
        ]
        if missing:
            problems.append(
                Problem(
                    "E504",
                    f"{name}公示前没有写{'、'.join(missing)}的日期。",
                    p.pos,
                    "公示前要依次完成汇总审核（reviewed）、逐人反馈（feedback）、确认（confirmed），并写上各自的日期。",
                )
            )
    steps = [("reviewed", "汇总审核"), ("feedback", "逐人反馈"), ("confirmed", "确认")]
    dated = [(label, getattr(record, key)) for key, label in steps if getattr(record, key) is not None]
    if record.publicity is not None:
        dated.append(("公示开始", record.publicity.start))
    if record.reported is not None:
        dated.append(("报上级备案", record.reported))
    for (a_label, a_day), (b_label, b_day) in zip(dated, dated[1:]):
        if b_day < a_day:
            problems.append(
                Problem(
                    "E504",
                    f"{name}的{b_label}日期 {b_day} 早于{a_label}日期 {a_day}。",
                    record.pos,
                    "按 汇总审核 → 逐人反馈 → 确认 → 公示 → 报上级备案 的顺序填写日期。",
                )
            )
    return problems


def check_appeal_ids(by: BranchYear, locate: Locator) -> list[Problem]:
    """Appeal ids are unique across the branch's whole year (the restricted file keys reasons by them)."""
    seen: set[str] = set()
    problems = []
    for q in sorted(by.quarters):
        for a in by.quarters[q].appeals:
            if a.id in seen:
                problems.append(
                    Problem(
                        "E502",
                        f"申辩编号“{a.id}”在 {by.year} 年重复使用。",
                        locate.find(a.pos, "id"),
                        "全年的申辩各用不同编号，例如 2026-S01、2026-S02。",
                    )
                )
            seen.add(a.id)
    return problems


def check_year_end(by: BranchYear, result: BranchYearResult, locate: Locator) -> list[Problem]:
    ye = by.year_end
    if ye is None:
        return []
    problems: list[Problem] = []
    q4 = date(by.year, 10, 1)
    for key, label, day in (("evaluated", "民主测评", ye.evaluated), ("assessed", "综合评定", ye.assessed)):
        if day is not None and day < q4:
            problems.append(
                Problem(
                    "E604",
                    f"{by.year} 年度的{label}日期 {day} 早于本年度第四季度，全年积分那时还没有记完。",
                    locate.find(ye.pos, key),
                    f"年底（{by.year} 年 12 月至次年 1 月 10 日）完成后再写日期；"
                    "如果这个文件是从上一年复制来的，请改正日期。",
                )
            )
    scored = {r.member.id: r for r in result.members if isinstance(r, GradedMember)}  # those this branch grades
    problems += _ratings_complete(by, result, locate)
    for mid in ye.ratings:
        if mid not in scored:
            problems.append(
                Problem(
                    "E603",
                    f"民主测评里的“{mid}”不是本支部参加积分管理的党员。",
                    locate.find(
                        ye.pos,
                        "ratings",
                    ),
                    "只为参加积分的党员记录民主测评结果。",
                )
            )
    for f in ye.final:
        r = scored.get(f.member)
        if r is None:
            problems.append(
                Problem(
                    "E603",
                    f"综合评定里的“{f.member}”不是本支部参加积分管理的党员。",
                    locate.find(f.pos, "member"),
                    "检查党员编号。",
                )
            )
            continue
        if r.vetoed and f.grade is not Grade.FAIL:
            problems.append(
                Problem(
                    "E602",
                    f"{r.member.name}（{f.member}）有一票否决事项，只能评为不合格。",
                    locate.find(f.pos, "grade"),
                    "把 grade 改为 不合格。",
                )
            )
        elif f.grade is not r.grade and not f.reason.strip():
            problems.append(
                Problem(
                    "E601",
                    f"{r.member.name}（{f.member}）积分 {r.total} 分对应“{r.grade.value}”，"
                    f"评定为“{f.grade.value}”却没有写理由。",
                    f.pos,
                    "加上 reason: 综合分析研判的理由（如民主测评情况），或删去这一条按积分等次评定。",
                )
            )
        elif (
            # also a final grade equal to the score's set against a 不合格 测评
            _needs_substance(r.grade, f.grade, ye.ratings.get(f.member)) and len(f.reason.strip()) < SUBSTANTIVE
        ):
            problems.append(
                Problem(
                    "E606",
                    f"{r.member.name}（{f.member}）积分等次“{r.grade.value}”，评定为“{f.grade.value}”"
                    f"{_why_substance(r.grade, f.grade, ye.ratings.get(f.member))}，理由太简单。",
                    locate.find(f.pos, "reason"),
                    f"写明综合分析研判的具体依据（至少 {SUBSTANTIVE} 个字）：民主测评情况、具体表现、支部委员会的意见；"
                    "这条理由会和评定结果一起公示。",
                )
            )
    for r in scored.values():
        rating = ye.ratings.get(r.member.id)
        if (
            rating is Rating.FAIL
            and ye.assessed
            and r.grade is not None
            and r.grade is not Grade.FAIL
            and r.member.id not in {f.member for f in ye.final}
        ):
            problems.append(
                Problem(
                    "E606",
                    f"{r.member.name}（{r.member.id}）民主测评为不合格，年度评定却按积分评为"
                    f"“{r.grade.value}”，没有综合分析研判的理由。",
                    locate.find(ye.pos, "ratings"),
                    "民主测评不合格的党员，要在 final 里写明评定等次和具体理由（至少 "
                    f"{SUBSTANTIVE} 个字），或评为不合格。",
                )
            )
    return problems


SUBSTANTIVE = 15  # characters: "表现好" is no 综合分析研判
_ORDER = (Grade.FAIL, Grade.PASS, Grade.GOOD, Grade.EXCELLENT)


def _needs_substance(score: Grade, final: Grade, rating: Rating | None) -> bool:
    """A final grade more than one step from the score's, or above 不合格 against a 不合格 测评."""
    return abs(_ORDER.index(score) - _ORDER.index(final)) > 1 or (rating is Rating.FAIL and final is not Grade.FAIL)


def _why_substance(score: Grade, final: Grade, rating: Rating | None) -> str:
    if rating is Rating.FAIL and final is not Grade.FAIL:
        return "，而民主测评为不合格"
    return f"，相差 {abs(_ORDER.index(score) - _ORDER.index(final))} 个等次"


def _ratings_complete(by: BranchYear, result: BranchYearResult, locate: Locator) -> list[Problem]:
    """Once the year end is assessed, every graded member has a 民主测评 result, and its date."""
    ye = by.year_end
    if ye is None or ye.assessed is None:
        return []
    problems = []
    if ye.evaluated is None:
        problems.append(
            Problem(
                "E605",
                f"{by.year} 年度已写综合评定日期，却没有写民主测评日期 evaluated。",
                ye.pos,
                "年度评定要结合民主测评：加上 evaluated: 民主测评的日期。",
            )
        )
    # 民主评议 is of party members: 积极分子 (scored 参照) are not rated
    missing = [
        r
        for r in result.members
        if r.role is Role.SCORED and isinstance(r, GradedMember) and r.member.id not in ye.ratings
    ]
    if missing:
        names = "、".join(f"{r.member.name}（{r.member.id}）" for r in missing[:10])
        more = f"等 {len(missing)} 人" if len(missing) > 10 else ""
        problems.append(
            Problem(
                "E605",
                f"{by.year} 年度的民主测评结果缺少 {names}{more}。",
                locate.find(ye.pos, "ratings") if ye.ratings else ye.pos,
                "在 ratings 里为每名参加评定的党员写民主测评结果（优秀/合格/基本合格/不合格）。",
            )
        )
    return problems


def check_filings(district: District, memo: Memo = NO_MEMO) -> list[Problem]:
    """The committee's 审核备案 (committees/<c>/filings/<year>.yaml): of its own branches, of a
    quarter the branch has published and reported (or of a year end it has assessed), once each,
    not before the branch reported it. (The dates of a branch taken from the district digest
    are kept there: `memo.digest_of`.)"""
    problems: list[Problem] = []
    for committee in district.committees:
        own = {b.id: b for b in committee.branches}
        for year, record in committee.filings.items():
            seen: set[tuple[str, int | None]] = set()
            for f in record.filings:
                what = f"{year}年{quarter_name(f.quarter)}" if f.quarter else f"{year}年度评定结果"
                branch = own.get(f.branch)
                dates = _filed_dates(memo, branch, year) if branch else None
                if branch is None:
                    problems.append(
                        Problem(
                            "E505",
                            f"备案记录里的支部“{f.branch}”不是本党(工)委的支部。",
                            f.pos,
                            "写本党(工)委 branches/ 下的支部编号。",
                        )
                    )
                    continue
                if f.quarter is not None and not 1 <= f.quarter <= 4:
                    problems.append(
                        Problem(
                            "E505",
                            f"备案记录的季度 {f.quarter} 不对。",
                            f.pos,
                            "quarter 写 1 到 4；年度评定结果的备案不写 quarter。",
                        )
                    )
                    continue
                if (f.branch, f.quarter) in seen:
                    problems.append(
                        Problem(
                            "E505",
                            f"{branch.info.short_name}{what}的备案记录重复。",
                            f.pos,
                            "每个支部每个季度（和年度）只写一条备案记录。",
                        )
                    )
                seen.add((f.branch, f.quarter))
                if dates is None:
                    reported = None
                elif f.quarter is None:
                    reported = dates[0]
                else:
                    reported = dict(dates[1]).get(f.quarter)
                if reported is None:
                    problems.append(
                        Problem(
                            "E505",
                            f"{branch.info.short_name}{what}还没有公示报备，党(工)委却已备案。",
                            f.pos,
                            "支部公示并报备后再写备案记录；检查支部和季度是否写错。",
                        )
                    )
                elif f.filed < reported:
                    problems.append(
                        Problem(
                            "E505",
                            f"{branch.info.short_name}{what}的备案日期 {f.filed} 早于支部报备（{reported}）。",
                            f.pos,
                            "检查 filed 日期。",
                        )
                    )
    return problems


def _filed_dates(memo: Memo, branch: Branch, year: int) -> tuple | None:
    """sitegen.load.digest.filed_dates of the branch's year (None: no such year)."""
    from sitegen.load.digest import filed_dates

    digest = memo.digest_of(branch.id)
    if digest is not None:
        yd = digest.year(year)
        return yd.filed if yd is not None else None
    by = branch.years.get(year)
    return filed_dates(by) if by is not None else None
