"""Restricted records must refer to real members and appeals of that branch and year.

Messages about restricted files say where and what is wrong, never a value from the
file (not even a member id: together with the record's kind it says too much), since
`check` output goes to CI annotations and review comments on the pull request."""

from __future__ import annotations

from sitegen.load.digest import RosterView
from sitegen.model.restricted import RestrictedYear
from sitegen.problems import Pos, Problem


def check_restricted(record: RestrictedYear, by: RosterView | None, branch_id: str, year: int) -> list[Problem]:
    """`by`: what the checks read of the branch's roster and quarters that year
    (sitegen.load.digest.roster_view), None when it has no roster that year."""
    if by is None:
        return [
            Problem(
                "E701",
                f"不公开记录对应的支部“{branch_id}”在 {year} 年没有名册。",
                record.pos,
                "restricted/ 下的文件夹名是支部编号，文件名是年度；检查两者。",
            )
        ]
    problems: list[Problem] = []
    members, appeals = by.ids, by.appeals

    def unknown(mid: str, pos: Pos, what: str) -> None:
        if mid not in members:
            problems.append(
                Problem(
                    "E701",
                    f"{what}里这一条的党员编号不在 {branch_id} 的 {year} 年名册里。",
                    pos,
                    "检查党员编号（见本年度 roster.yaml）。",
                )
            )

    for mid, reason in record.exemptions.items():
        unknown(mid, reason.pos, "exemptions")
        if mid in members and mid not in by.exempt_ids:
            problems.append(
                Problem(
                    "E701",
                    "exemptions 里这一条的党员在名册里没有登记不纳入积分管理。",
                    reason.pos,
                    "在名册里为该党员写 exempt 的三个日期，或删去这一条。",
                )
            )
    for aid in record.appeals:
        if aid not in appeals:
            problems.append(
                Problem(
                    "E701",
                    f"appeals 里有一条申辩理由（第 {list(record.appeals).index(aid) + 1} 条）"
                    "对应的申辩编号在本年度季度记录里不存在。",
                    record.pos,
                    "键名写 quarters/q*.yaml 里申辩的 id。",
                )
            )
    for mid, contact in record.contacts.items():
        unknown(mid, contact.pos, "contacts")
    for talk in record.talks:
        unknown(talk.member, talk.pos, "谈话记录")
    for m in record.mentoring:
        unknown(m.member, m.pos, "帮教记录")
    for r in record.reminders:
        unknown(r.member, r.pos, "督促提醒记录")
    return problems


def missing_reasons(by: RosterView, record: RestrictedYear | None, branch_id: str, year: int) -> list[Problem]:
    """W104: an exempt member whose reason is not recorded in the restricted file."""
    have = record.exemptions if record else {}
    return [
        Problem(
            "W104",
            f"{m.name}（{m.id}）不纳入积分管理，但没有在 restricted/{branch_id}/{year}.yaml 里记录原因。",
            m.exempt.pos,
            "在不公开记录的 exemptions 里写明原因（年满70周岁、长期患病等），以备上级备案核查。",
        )
        for m in by.exempt
        if m.exempt is not None and m.id not in have
    ]
