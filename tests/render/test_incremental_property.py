"""Property: an incremental build equals a fresh build, over random sequences of edits.

The small district of tests/fixtures/mini, with a second committee (c2: b3 and b4, copies
of b1 and b2), is copied once per example; each step sets one input (a ledger entry's
points in either committee, a branch's, a member's or a committee's name, a 公示's start
in either committee, a district or a committee notice, the build's date) and builds again
into the same output, which must then hold exactly what a build from scratch of the same
content makes. The edits reach every unit: each branch's, each committee's year, the
district's year, the archive, the search index and the change log.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import build
from tests.render.helpers import add_second_committee, tree_digest
from tests.support import MINI

B1 = "committees/c1/branches/b1"
B2 = "committees/c1/branches/b2"
B3 = "committees/c2/branches/b3"


def _set(path: Path, pattern: str, value: str) -> None:
    text = path.read_text("utf-8")
    new, n = re.subn(pattern, value, text, count=1, flags=re.MULTILINE)
    assert n == 1, (path, pattern)
    path.write_text(new, "utf-8")


def apply(content: Path, edit: tuple) -> None:
    kind, value = edit
    if kind == "points":  # E04 of 甲支部's first quarter (A01: 1–2 as 街道党工委 narrows it, step 0.5)
        _set(content / B1 / "2026/ledger/q1.yaml", r"(- id: E04\n(?:    .*\n)*?    points: ).*$", rf"\g<1>{value}")
    elif kind == "b1 name":
        _set(content / B1 / "branch.yaml", r"^short_name: .*$", f"short_name: {value}")
    elif kind == "b2 name":
        _set(content / B2 / "branch.yaml", r"^short_name: .*$", f"short_name: {value}")
    elif kind == "member name":  # M1 of 甲支部
        _set(content / B1 / "2026/roster.yaml", r"(- id: M1\n    name: ).*$", rf"\g<1>{value}")
    elif kind == "b3 points":  # the same entry of 丙支部, in the second committee
        _set(content / B3 / "2026/ledger/q1.yaml", r"(- id: E04\n(?:    .*\n)*?    points: ).*$", rf"\g<1>{value}")
    elif kind == "c2 name":
        _set(content / "committees/c2/committee.yaml", r"^short_name: .*$", f"short_name: {value}")
    elif kind == "publicity start":
        _set(content / B1 / "2026/quarters/q1.yaml", r"^(  start: ).*$", rf"\g<1>{value}")
    elif kind == "b3 publicity start":
        _set(content / B3 / "2026/quarters/q1.yaml", r"^(  start: ).*$", rf"\g<1>{value}")
    elif kind == "q2 members":  # E09 of 甲支部's second quarter (not published: history allows it)
        _set(content / B1 / "2026/ledger/q2.yaml", r"(- id: E09\n(?:    .*\n)*?    members: ).*$", rf"\g<1>{value}")
    elif kind == "b3 q2 members":
        value = value.replace("M", "N")
        _set(content / B3 / "2026/ledger/q2.yaml", r"(- id: E09\n(?:    .*\n)*?    members: ).*$", rf"\g<1>{value}")
    elif kind in ("q2 publicity", "b3 q2 publicity"):  # the second quarter's record: the half year's 统计表
        record = content / (B1 if kind == "q2 publicity" else B3) / "2026/quarters/q2.yaml"
        if value:
            record.write_text(
                f"reviewed: 2026-07-01\nfeedback: 2026-07-02\nconfirmed: 2026-07-06\n"
                f"publicity:\n  start: {value}\n  end: 2026-07-20\n  scope: 支部党务公开栏\n",
                "utf-8",
            )
        else:
            record.unlink(missing_ok=True)
    elif kind == "c1 notice":
        notice = content / "committees/c1/notices/2026-06-02-c1.md"
        notice.parent.mkdir(exist_ok=True)
        if value:
            notice.write_text(f"---\ntitle: {value}\ndate: 2026-06-02\n---\n正文\n", "utf-8")
        else:
            notice.unlink(missing_ok=True)
    elif kind == "m2 status":  # 钱二 of 甲支部: the counts the committee's page shows change
        _set(content / B1 / "2026/roster.yaml", r"(- id: M2\n    name: 钱二\n    status: ).*$", rf"\g<1>{value}")
    elif kind == "q1 reported":  # 报备: the dashboards' quarter cells
        record = content / B1 / "2026/quarters/q1.yaml"
        text = re.sub(r"^reported: .*\n", "", record.read_text("utf-8"), flags=re.M)
        record.write_text(text + (f"reported: {value}\n" if value else ""), "utf-8")
    elif kind == "notice":
        notice = content / "notices/2026-06-01-extra.md"
        if value:
            notice.write_text(f"---\ntitle: {value}\ndate: 2026-06-01\n---\n正文\n", "utf-8")
        else:
            notice.unlink(missing_ok=True)
    else:
        raise AssertionError(kind)


EDITS = st.one_of(
    st.tuples(st.just("points"), st.sampled_from(["1", "1.5", "2"])),
    st.tuples(st.just("b1 name"), st.sampled_from(["甲支部", "甲一支部"])),
    st.tuples(st.just("b2 name"), st.sampled_from(["乙支部", "乙二支部"])),
    st.tuples(st.just("member name"), st.sampled_from(["赵一", "赵一帆"])),
    st.tuples(st.just("publicity start"), st.sampled_from(["2026-04-07", "2026-04-08"])),
    st.tuples(st.just("b3 points"), st.sampled_from(["1", "1.5", "2"])),
    st.tuples(st.just("c2 name"), st.sampled_from(["第二工委", "第二街道工委"])),
    st.tuples(st.just("b3 publicity start"), st.sampled_from(["2026-04-07", "2026-04-11"])),  # after 4月10日: not yet
    st.tuples(st.just("c1 notice"), st.sampled_from(["", "工委通知"])),
    st.tuples(st.just("q2 publicity"), st.sampled_from(["", "2026-07-07", "2026-07-08"])),
    st.tuples(st.just("b3 q2 publicity"), st.sampled_from(["", "2026-07-07"])),
    st.tuples(st.just("notice"), st.sampled_from(["", "全区通知", "全区通知（更正）"])),
    st.tuples(st.just("m2 status"), st.sampled_from(["正式", "积极分子"])),
    st.tuples(st.just("q1 reported"), st.sampled_from(["", "2026-04-20", "2026-04-21"])),
)
DAYS = st.sampled_from([date(2026, 4, 10), date(2026, 6, 1), date(2026, 11, 1)])  # the build's date


def _build(content: Path, out: Path, today: date):
    result = build(content, out, quiet=True, cache_dir=None, pdf=False, history=False, today=today)
    assert result.ok, "\n".join(p.format() for p in result.problems)
    return result


@settings(max_examples=12, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(st.tuples(EDITS, DAYS), min_size=1, max_size=4))
def test_incremental_build_equals_fresh_build(steps):
    with tempfile.TemporaryDirectory(prefix="sitegen-prop-") as tmp:
        root = Path(tmp)
        content = root / "content"
        shutil.copytree(MINI, content)
        add_second_committee(content)
        out = root / "out"
        _build(content, out, date(2026, 6, 1))
        for i, (edit, today) in enumerate(steps):
            apply(content, edit)
            again = _build(content, out, today)
            fresh = root / f"fresh{i}"
            made = _build(content, fresh, today)
            assert tree_digest(out) == tree_digest(fresh), (i, edit, today)
            # nothing rendered that a fresh build would not make
            assert set(again.rendered_files) <= set(made.rendered_files)
            shutil.rmtree(fresh)
