"""The review as a pull-request comment (Chinese Markdown) and as JSON.

Readable for one entry and for a whole quarter alike: a short summary first, then per
branch a line of counts, and the long lists folded in `<details>` blocks (open when
they are short). Gitea and GitLab both render `<details>`; cell text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sitegen.history.entries import FIELD_NAMES, Kind
from sitegen.model.ledger import EVERYONE, Entry
from sitegen.render.format import points as fmt_points
from sitegen.render.format import quarter as fmt_quarter
from sitegen.review.compare import BranchReview, Delta, EntryDiff, MemberDiff, Review
from sitegen.review.published import LISTED, PUBLICITY, Newcomer, PublishedChange
from sitegen.review.records import RecordChange
from sitegen.review.trees import FileChange
from sitegen.rules.published import YEAR_END

OPEN_UP_TO = 10  # a folded list with at most this many rows starts open
MAX_CHARS = 60_000  # a comment every host accepts (GitHub's limit is 65,536; the JSON has everything)
# (rows per table, branch sections in full) tried in turn until the comment fits
LIMITS = ((300, 40), (100, 20), (30, 10), (10, 5), (0, 5))
KIND_WORDS = {Kind.ADDED: "新增", Kind.REMOVED: "删除", Kind.CHANGED: "修改", Kind.CORRECTION: "更正"}


def markdown(r: Review, max_chars: int = MAX_CHARS) -> str:
    """The report as a comment; long tables are cut (saying so) until it fits `max_chars`."""
    for rows, branches in LIMITS:
        text = _markdown(r, rows, branches)
        if len(text) <= max_chars:
            break
    return text


def _markdown(r: Review, max_rows: int, max_branches: int) -> str:
    out = ["## 积分变更审核报告", "", f"对比：`{r.base_name}`（{r.base[:7]}）→ `{r.head_name}`（{r.head[:7]}）", ""]
    out += _summary(r)
    out += _published_record(r, max_rows)
    out += _far_grades(r, max(max_rows, 30))
    out += _theme(r, max(max_rows, 30))
    others = [p for p in r.new_problems if p not in r.history_problems]
    if others:
        out += _problems(others, max(max_rows, 10))
    for b in r.branches[:max_branches]:
        out += _branch(b, max_rows)
    if len(r.branches) > max_branches:
        rest = r.branches[max_branches:]
        rows = [
            (
                f"{b.name or b.branch}（{b.branch}）",
                str(len(b.entries)),
                str(sum(1 for m in b.members if m.total or m.quarters or m.status)),
                str(sum(1 for m in b.members if m.grade)),
            )
            for b in rest
        ]
        out += [f"### 其余 {len(rest)} 个支部", ""] + _fold(
            f"{len(rest)} 个支部的变化",
            _table(("支部", "台账条目变化", "积分变化的党员", "等次变化的党员"), rows, max(max_rows, 50)),
            len(rows),
        )
    if r.schemes:
        out += ["### 积分项目变化", ""]
        for s in r.schemes:
            lines = [f"- {_cell(c.detail)}" for c in s.changes]
            out += _fold(f"{s.layer}：{len(s.changes)} 处（`{s.path}`）", _cut(lines, max(max_rows, 30)), len(lines))
    if r.other_files:
        lines = [f"- `{p}`：{k}" for p, k in r.other_files]
        out += ["### 其他文件", ""] + _fold(f"{len(lines)} 个文件", _cut(lines, max(max_rows, 30)), len(lines))
    out += ["", "<sub>由 sitegen diff 生成。积分、排名、等次按两个版本分别计算后对比。</sub>", ""]
    return "\n".join(out)


def _cut(lines: list[str], limit: int) -> list[str]:
    if len(lines) <= limit:
        return lines
    return lines[:limit] + ["", f"另有 {len(lines) - limit} 项未列出；完整内容见 `sitegen diff --format json`。"]


def _summary(r: Review) -> list[str]:
    n = r.entry_counts
    published = sum(1 for b in r.branches for e in b.entries if e.published)
    lines = ["**概要**", ""]
    if not r.branches and not r.schemes:
        lines.append("- 没有改动台账、名册或积分项目。")
    else:
        names = "、".join(f"{b.name or b.branch}（{b.branch}）" for b in r.branches[:5])
        more = f" 等 {len(r.branches)} 个" if len(r.branches) > 5 else ""
        lines.append(f"- 涉及支部：{len(r.branches)} 个" + (f"（{names}{more}）" if r.branches else ""))
        entry_line = (
            f"- 台账条目：新增 {n[Kind.ADDED]} 条，更正 {n[Kind.CORRECTION]} 条，"
            f"修改 {n[Kind.CHANGED]} 条，删除 {n[Kind.REMOVED]} 条"
        )
        if published:
            entry_line += f"（⚠️ 其中 {published} 条属于已公示的季度，请核对是否符合“只能以更正条目改动已公示记录”）"
        lines.append(entry_line)
        lines.append(
            f"- 党员积分：{r.members_changed} 名党员的积分有变化，其中 {r.grades_changed} 名等次变化"
            + (f"；另有 {r.ranks_elsewhere} 名党员的党(工)委或全区排名随之变动" if r.ranks_elsewhere else "")
        )
        lines.append(f"- 积分项目：{sum(len(s.changes) for s in r.schemes)} 处变化")
    if r.far_grades:
        lines.append(
            f"- ⚠ 评定等次：{len(r.far_grades)} 名党员的评定等次与积分等次相差一个等次以上或与民主测评“不合格”相反，"
            "请核对理由，详见下面“需要重点审核的评定等次”"
        )
    if r.breaks_record:
        lines.append(
            f"- ⚠ 已公示的记录：{len(r.published)} 个已公布的数字会被改变，"
            f"历史检查发现 {r.new_history_errors} 个错误（E10xx），详见下面“改动了已公示的记录”"
        )
    elif r.history_checked:
        lines.append("- 已公示的记录：没有改动")
    if not r.history_checked:
        lines.append(
            "- ⚠ 仓库是浅克隆，没有做历史检查（E10xx）；已公布的数字仍逐一对比过。"
            "请在 CI 里取完整历史（fetch-depth: 0 / GIT_DEPTH: 0）"
        )
    if r.theme_files or r.symlinks:
        lines.append(
            f"- ⚠ 主题、模板和资源：{len(r.theme_files)} 个文件改动"
            + (f"，{len(r.symlinks)} 个符号链接或子模块" if r.symlinks else "")
            + "，须逐行审查"
        )
    if r.new_problems:
        errors = r.new_errors
        history = f"（其中 {r.new_history_errors} 个是已公示记录的历史检查错误）" if r.new_history_errors else ""
        lines.append(
            f"- 检查：新出现 {errors} 个错误{history}、{len(r.new_problems) - errors} 个提醒"
            + (f"；改正了 {r.fixed_problems} 个原有问题" if r.fixed_problems else "")
        )
    else:
        lines.append(
            "- 检查：没有新问题"
            + (f"，改正了 {r.fixed_problems} 个原有问题" if r.fixed_problems else "")
            + (f"（合并后版本共有 {r.head_errors} 个错误，都是原来就有的）" if r.head_errors else "")
        )
    lines.append("")
    if r.new_errors:
        lines += [f"> ❗ **本次修改带来 {r.new_errors} 个错误，合并前必须改正。**", ""]
    return lines


def _far_grades(r: Review, limit: int) -> list[str]:
    """Final grades far from the score's, or above a 不合格 民主测评: each with its reason,
    on its own, never folded (the reason is public: it is published with the grade)."""
    if not r.far_grades:
        return []
    rows = [
        (
            f"{g.year}年",
            f"{g.branch_name}（{g.branch}）",
            f"{g.name}（{g.member}）",
            _num(g.total),
            g.grade,
            g.rating or "—",
            g.final,
            g.why,
            g.reason,
        )
        for g in r.far_grades
    ]
    return [
        "### ⚠ 需要重点审核的评定等次",
        "",
        "评定等次与积分等次相差一个等次以上，或民主测评为不合格却评为合格以上：请核对综合分析研判的理由"
        "是否具体、充分（理由会和评定结果一起公示）。",
        "",
        *_table(("年度", "支部", "党员", "年度积分", "积分等次", "民主测评", "评定等次", "情形", "理由"), rows, limit),
        "",
    ]


def _problem_line(p) -> str:
    where = f"`{p.pos}` " if p.pos.file else ""
    label = "错误" if p.is_error else "提醒"
    text = f"- {where}{label}[{p.code}] {_cell(p.message)}"
    if p.hint:
        text += f"<br>提示：{_cell(p.hint)}"
    return text


def _problems(problems: list, limit: int) -> list[str]:
    lines = [_problem_line(p) for p in problems]
    return [f"### 新出现的问题（{len(lines)}）", ""] + _fold("问题清单", _cut(lines, limit), len(lines))


def _published_record(r: Review, max_rows: int) -> list[str]:
    """The section a reviewer must not miss: what was already on the board and would change.
    Never dropped when the comment is too long, only shortened (the JSON has it all)."""
    if not r.breaks_record:
        return []
    out = [
        "### ⚠ 改动了已公示的记录",
        "",
        (
            "> 公示开始以后，公示的数字只能通过日期在公示开始以后的更正条目改变（更正计入当前季度）。"
            "下面的改动会改变已经公布的内容，合并前必须核实：确属错误的，请提交人恢复原样，改为新增更正条目。"
        ),
        "",
    ]
    if r.history_problems:
        lines = [_shorten(_problem_line(p)) for p in r.history_problems]
        out += [f"**历史检查发现的问题（{len(lines)}）**", ""] + _cut(lines, max(max_rows, 3)) + [""]
    if r.published:
        rows = [_published_row(c) for c in r.published]
        out += [f"**会被改变的已公布数字（{len(rows)} 处）**", ""]
        out += _table(("支部", "公示", "党员", "项目", "原来", "改后"), rows, max(max_rows, 10)) + [""]
    return out


def _shorten(line: str, limit: int = 800) -> str:
    """A history problem may name every member of a branch; the comment keeps its start."""
    return line if len(line) <= limit else line[:limit] + "……（完整内容见 `sitegen check`）"


def _published_row(c: PublishedChange) -> tuple[str, ...]:
    when = (
        f"{c.year}年年终评定" if c.quarter == YEAR_END else fmt_quarter(c.year, c.quarter)
    ) + f"（{c.start} 起公示）"
    if c.what == LISTED:
        old, new = ("列出" if c.old else "未列出"), ("列出" if c.new else "未列出")
    else:
        old, new = _value(c.old), _value(c.new)
    if c.what == PUBLICITY:
        old, new = str(c.old), str(c.new) if c.new else "撤回"
    who = f"{c.name}（{c.member}）" if c.member else "—"
    return (f"{c.branch_name or c.branch}（{c.branch}）", when, who, c.what, old, new)


def _value(value) -> str:
    if isinstance(value, bool):
        return "有" if value else "无"
    return _num(value)


THEME_WARNING = (
    "> ⚠ 模板可以改变每一页显示的内容（包括隐藏或改写积分、排名、等次），资源文件可以改变页面的样子，"
    "必须像审查程序代码一样逐行审查；不认识的改动不要合并。"
)


def _theme(r: Review, limit: int) -> list[str]:
    if not (r.theme_files or r.symlinks):
        return []
    out = ["### ⚠ 主题、模板和资源文件", ""]
    if r.theme_files:
        out += [THEME_WARNING, ""] + _cut([_file_line(c) for c in r.theme_files], limit) + [""]
    if r.symlinks:
        out += [
            (
                "> ⚠ 符号链接和子模块不是内容：sitegen 不读取它们，但它们可能指向仓库以外的文件。"
                "请确认为什么需要它；一般应改成普通文件。"
            ),
            "",
        ]
        out += _cut([_file_line(c) for c in r.symlinks], limit) + [""]
    return out


def _file_line(c: FileChange) -> str:
    kind = "" if c.kind == "文件" else f"（{c.kind}）"
    path = _cell(c.path)
    code = f"`` {path} ``" if "`" in path else f"`{path}`"  # a file name may hold a backtick
    return f"- {code}：{c.change}{kind}"


def _branch(b: BranchReview, max_rows: int) -> list[str]:
    n = b.counts
    counts = "，".join(
        f"{KIND_WORDS[k]} {n[k]} 条" for k in (Kind.ADDED, Kind.CORRECTION, Kind.CHANGED, Kind.REMOVED) if n[k]
    )
    grades = sum(1 for m in b.members if m.grade)
    points = sum(1 for m in b.members if m.total or m.quarters or m.status)
    head = [f"### {b.name or b.branch}（{b.branch}）", ""]
    bits = []
    if counts:
        bits.append(f"台账条目：{counts}")
    if b.members:
        bits.append(
            f"积分有变化的党员 {points} 名"
            + (f"，等次变化 {grades} 名" if grades else "")
            + (f"，只有排名变化的 {len(b.members) - points} 名" if len(b.members) > points else "")
        )
    if b.newcomers:
        bits.append(f"新增党员 {len(b.newcomers)} 名")
    if b.records:
        bits.append(f"季度记录 {len(b.records)} 处变化")
    if b.files:
        bits.append(f"其他文件 {len(b.files)} 个")
    head += ["；".join(bits) + "。", ""]
    if b.entries:
        rows = [_entry_row(e, b.names) for e in b.entries]
        head += _fold(
            f"台账条目（{len(rows)} 条）",
            _table(("季度", "条目", "变化", "日期", "项目", "党员", "分值", "说明"), rows, max_rows),
            len(rows),
        )
    if b.members:
        rows = [_member_row(m) for m in b.members]
        head += _fold(
            f"党员积分和排名变化（{len(rows)} 名）",
            _table(("党员", "季度积分", "全年积分", "支部排名", "等次", "党(工)委/全区排名"), rows, max_rows),
            len(rows),
        )
    if b.newcomers:
        rows = [_newcomer_row(n) for n in b.newcomers]
        note = (
            "名册上新出现的党员在各季度的积分；“⚠”表示这个季度已经公示、他却有积分："
            "请核对入党、转入日期，公示以前的季度不应有他的积分。"
        )
        head += _fold(
            f"新增党员的各季度积分（{len(rows)} 名）",
            [note, ""]
            + _table(("党员", "身份", "第一季度", "第二季度", "第三季度", "第四季度", "全年"), rows, max_rows),
            len(rows),
        )
    if b.records:
        rows = [_record_row(c) for c in b.records]
        head += _fold(
            f"季度记录变化（{len(rows)} 处）", _table(("季度", "项目", "原来", "改后"), rows, max_rows), len(rows)
        )
    if b.files:
        lines = [f"- `{p}`：{k}" for p, k in b.files]
        head += _fold(f"其他文件（{len(lines)} 个）", _cut(lines, max(max_rows, 10)), len(lines))
    return head


def _newcomer_row(n: Newcomer) -> tuple[str, ...]:
    cells = []
    for q in n.quarters:
        if not q.listed:
            cells.append("未列入")
            continue
        if q.points is None:
            text = "不积分"
        else:
            base, bonus, deduction = q.points
            text = fmt_points(base + bonus - deduction) + ("，一票否决" if q.veto else "")
            if any(p != 0 for p in q.points) or q.veto:
                text += f"（基础 {fmt_points(base)}，加分 {fmt_points(bonus)}，扣分 {fmt_points(deduction)}）"
        if q.published:
            moved = q.points is not None and (any(p != 0 for p in q.points) or q.veto)
            text = ("⚠ " if moved else "") + text + "（已公示）"
        cells.append(text)
    return (f"{n.name}（{n.member}）", n.role, *cells, _num(n.total))


def _record_row(c: RecordChange) -> tuple[str, ...]:
    when = f"{c.year}年年终评定" if c.quarter == YEAR_END else fmt_quarter(c.year, c.quarter)
    what = c.what + (f" {c.appeal}" if c.appeal else "")
    return (when, what, c.old or "无", c.new or "无")


def _entry_row(e: EntryDiff, names: dict[str, str]) -> tuple[str, ...]:
    cur = e.current
    if e.kind is Kind.CHANGED:
        note = "；".join(_field_change(f, e, names) for f in e.fields)
    elif e.kind is Kind.CORRECTION:
        note = f"更正 {cur.corrects}" + ("（作废）" if cur.void else "") + f"：{cur.reason}"
    else:
        note = cur.note
    quarter = fmt_quarter(e.year, e.quarter) + ("（已公示）" if e.published else "")
    if e.kind is Kind.REMOVED:
        pts = _points(e.old, e.old_points)
    elif e.kind is Kind.CHANGED and e.old_points != e.new_points:
        pts = f"{_points(e.old, e.old_points)} → {_points(e.new, e.new_points)}"
    else:
        pts = _points(e.new, e.new_points)
    if e.part == "违规扣分":
        pts = "扣 " + pts
    elif e.part == "一票否决":
        pts = "一票否决"
    return (
        quarter,
        e.entry,
        KIND_WORDS[e.kind],
        str(cur.date),
        cur.item or "（沿用）",
        _members(cur, names),
        pts,
        note,
    )


def _field_change(field: str, e: EntryDiff, names: dict[str, str]) -> str:
    old, new = e.old, e.new
    assert old is not None and new is not None  # a changed field: the entry is on both sides
    a, b = getattr(old, field), getattr(new, field)
    if field in ("members", "excluding"):
        return f"党员 {_members(old, names)} → {_members(new, names)}"
    if field == "points":
        return f"分值 {_points(old, e.old_points)} → {_points(new, e.new_points)}"
    if field in ("date", "item", "corrects", "source"):
        return f"{FIELD_NAMES[field]} {_plain(a)} → {_plain(b)}"
    if field == "void":
        return "改为作废" if b else "取消作废"
    return f"{FIELD_NAMES[field]}改为“{_plain(b)}”"


def _members(e: Entry, names: dict[str, str]) -> str:
    def name(mid: str) -> str:
        return names.get(mid, mid)

    if e.members == (EVERYONE,):
        return EVERYONE + (f"（除 {'、'.join(name(m) for m in e.excluding)}）" if e.excluding else "")
    if not e.members:
        return "（沿用）" if e.corrects else "—"
    shown = "、".join(name(m) for m in e.members[:8])
    return shown + (f" 等 {len(e.members)} 人" if len(e.members) > 8 else "")


def _points(e: Entry | None, effective: Decimal | None) -> str:
    if e is None:
        return "—"
    if e.void:
        return "作废"
    if effective is None:
        return "按项目"
    return fmt_points(effective) + ("" if e.points is not None else "（按项目）")


def _member_row(m: MemberDiff) -> tuple[str, ...]:
    name = f"{m.name}（{m.member}）" + (f" {m.status}" if m.status else "")
    quarters = "；".join(f"{fmt_quarter(m.year, q)[5:]} {_num(d.old)} → {_num(d.new)}" for q, d in m.quarters)
    wider = "；".join(
        f"{label} {_num(d.old)} → {_num(d.new)}"
        for label, d in (("党(工)委", m.rank_committee), ("全区", m.rank_district))
        if d
    )
    return (name, quarters or "—", _arrow(m.total), _arrow(m.rank), _arrow(m.grade), wider or "—")


def _arrow(d: Delta | None) -> str:
    return f"{_num(d.old)} → {_num(d.new)}" if d else "—"


def _num(value) -> str:
    if value is None:
        return "无"
    if isinstance(value, Decimal):
        return fmt_points(value)
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


def _plain(value) -> str:
    if value is None or value == "":
        return "无"
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)


def _table(head: tuple[str, ...], rows: Sequence[tuple[str, ...]], limit: int) -> list[str]:
    if not limit:
        return [f"（共 {len(rows)} 行，太长没有列出；完整内容见 `sitegen diff --format json`。）"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows[:limit]:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    if len(rows) > limit:
        lines += ["", f"另有 {len(rows) - limit} 行未列出；完整内容见 `sitegen diff --format json`。"]
    return lines


def _fold(summary: str, lines: list[str], rows: int) -> list[str]:
    opened = " open" if rows <= OPEN_UP_TO else ""
    return [f"<details{opened}><summary>{_cell(summary)}</summary>", "", *lines, "", "</details>", ""]


def _cell(text) -> str:
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


# --------------------------------------------------------------------------- JSON


def as_dict(r: Review) -> dict:
    n = r.entry_counts
    return {
        "base": {"name": r.base_name, "commit": r.base},
        "head": {"name": r.head_name, "commit": r.head},
        "today": r.today.isoformat() if r.today else None,
        "summary": {
            "branches": len(r.branches),
            "entries": {
                "added": n[Kind.ADDED],
                "corrections": n[Kind.CORRECTION],
                "changed": n[Kind.CHANGED],
                "removed": n[Kind.REMOVED],
            },
            "entries_in_published_quarters": sum(1 for b in r.branches for e in b.entries if e.published),
            "members_changed": r.members_changed,
            "grades_changed": r.grades_changed,
            "far_grades": len(r.far_grades),
            "ranks_changed_elsewhere": r.ranks_elsewhere,
            "scheme_changes": sum(len(s.changes) for s in r.schemes),
            "new_errors": r.new_errors,
            "new_history_errors": r.new_history_errors,
            "published_numbers_changed": len(r.published),
            "theme_files_changed": len(r.theme_files),
            "symlinks_changed": len(r.symlinks),
            "history_checked": r.history_checked,
            "new_warnings": len(r.new_problems) - r.new_errors,
            "fixed_problems": r.fixed_problems,
            "errors_at_head": r.head_errors,
        },
        "branches": [
            {
                "committee": b.committee,
                "branch": b.branch,
                "name": b.name,
                "entries": [_entry_dict(e) for e in b.entries],
                "members": [_member_dict(m) for m in b.members],
                "files": [{"path": p, "change": k} for p, k in b.files],
                "newcomers": [_newcomer_dict(n) for n in b.newcomers],
                "records": [
                    {
                        "year": c.year,
                        "quarter": _quarter_key(c.quarter),
                        "what": c.what,
                        "appeal": c.appeal,
                        "old": c.old or None,
                        "new": c.new or None,
                        "path": c.path,
                    }
                    for c in b.records
                ],
            }
            for b in r.branches
        ],
        "published_changes": [_published_dict(c) for c in r.published],
        "far_grades": [
            {
                "year": g.year,
                "branch": g.branch,
                "member": g.member,
                "name": g.name,
                "total": _jnum(g.total),
                "grade": g.grade,
                "rating": g.rating or None,
                "final": g.final,
                "why": g.why,
                "reason": g.reason,
            }
            for g in r.far_grades
        ],
        "history_problems": [p.as_dict() for p in r.history_problems],
        "theme_files": [_file_dict(c) for c in r.theme_files],
        "symlinks": [_file_dict(c) for c in r.symlinks],
        "schemes": [
            {
                "layer": s.layer,
                "path": s.path,
                "changes": [{"change": c.kind, "what": c.what, "code": c.code, "detail": c.detail} for c in s.changes],
            }
            for s in r.schemes
        ],
        "new_problems": [p.as_dict() for p in r.new_problems],
        "other_files": [{"path": p, "change": k} for p, k in r.other_files],
    }


def _entry_json(e: Entry | None) -> dict | None:
    if e is None:
        return None
    return {
        "id": e.id,
        "date": e.date.isoformat(),
        "item": e.item,
        "points": _jnum(e.points),
        "members": list(e.members),
        "excluding": list(e.excluding),
        "corrects": e.corrects,
        "reason": e.reason,
        "void": e.void,
        "source": e.source.value,
        "evidence": e.evidence,
        "note": e.note,
    }


def _entry_dict(e: EntryDiff) -> dict:
    return {
        "change": KIND_WORDS[e.kind],
        "kind": e.kind.name.lower(),
        "year": e.year,
        "quarter": e.quarter,
        "entry": e.entry,
        "published_quarter": e.published,
        "fields": list(e.fields),
        "part": e.part,
        "points": {"old": _jnum(e.old_points), "new": _jnum(e.new_points)},
        "old": _entry_json(e.old),
        "new": _entry_json(e.new),
    }


def _member_dict(m: MemberDiff) -> dict:
    def pair(d: Delta | None):
        return None if d is None else {"old": _jnum(d.old), "new": _jnum(d.new)}

    return {
        "year": m.year,
        "member": m.member,
        "name": m.name,
        "status": m.status,
        "quarters": {str(q): pair(d) for q, d in m.quarters},
        "total": pair(m.total),
        "rank": pair(m.rank),
        "grade": pair(m.grade),
        "rank_committee": pair(m.rank_committee),
        "rank_district": pair(m.rank_district),
    }


def _jnum(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def _quarter_key(quarter: int):
    return "year_end" if quarter == YEAR_END else quarter


def _published_dict(c: PublishedChange) -> dict:
    return {
        "committee": c.committee,
        "branch": c.branch,
        "year": c.year,
        "quarter": _quarter_key(c.quarter),
        "publicity_start": c.start.isoformat(),
        "member": c.member,
        "name": c.name,
        "what": c.what,
        "old": _jnum(c.old),
        "new": _jnum(c.new),
    }


def _newcomer_dict(n: Newcomer) -> dict:
    return {
        "year": n.year,
        "member": n.member,
        "name": n.name,
        "role": n.role,
        "total": _jnum(n.total),
        "quarters": [
            {
                "quarter": q.quarter,
                "listed": q.listed,
                "published": q.published,
                "veto": q.veto,
                "points": None if q.points is None else dict(zip(("base", "bonus", "deduction"), map(_jnum, q.points))),
            }
            for q in n.quarters
        ],
    }


def _file_dict(c: FileChange) -> dict:
    return {"path": c.path, "change": c.change, "kind": c.kind, "old_mode": c.old_mode, "new_mode": c.new_mode}
