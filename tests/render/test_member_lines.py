"""What a member's page says of each activity (a cap's effect, in words) and the name
search's index (pinyin, who is in it, how big it is)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from decimal import Decimal

import pytest

from sitegen.check import check
from sitegen.model.enums import Method, Part
from sitegen.model.scheme import Caps, Group, Item, Scheme
from sitegen.model.scored import LedgerLine
from sitegen.render.html.branch_pages import _cap_remarks_replay, cap_remarks
from sitegen.render.html.search import GLOBAL, index_data, index_js, name_pinyin
from tests.support import MINI
from tools.synth import generate

D = Decimal


def scheme(method=Method.SUM, base_cap=D("60")) -> Scheme:  # noqa: B008 (a constant)
    items = (
        Item("B01", Part.BASE, "参加组织生活", points=D(2), cap=D(6)),
        Item("B02", Part.BASE, "交纳党费", points=D(3)),
        Item("A01", Part.BONUS, "志愿服务", min=D(1), max=D(3), cap=D(5)),
        Item("A02", Part.BONUS, "区级表彰", points=D(4), group="G1"),
        Item("A03", Part.BONUS, "市级表彰", points=D(5), group="G1"),
    )
    return Scheme(
        year=2026,
        title="t",
        method=method,
        caps=Caps(base=base_cap, bonus=D(40)),
        items={i.code: i for i in items},
        groups={"G1": Group("G1", "获得表彰", D(6))},
    )


def line(entry: str, month: int, item: str, points: int, quarter: int = 0, **kw) -> LedgerLine:
    return LedgerLine(entry, date(2026, month, 1), quarter or (month - 1) // 3 + 1, item, D(points), **kw)


def test_item_cap_reached_says_so_and_counts_nothing():
    lines = tuple(line(f"E{i}", i, "B01", 2) for i in range(1, 5))
    assert cap_remarks(scheme(), lines) == {3: ("本项全年已达上限 6 分，本次不计分", True)}


def test_item_cap_cut_says_what_counted():
    lines = (line("E1", 1, "A01", 3), line("E2", 2, "A01", 3))
    assert cap_remarks(scheme(), lines) == {1: ("本项全年上限 5 分，本次计 2 分", False)}


def test_group_and_part_caps():
    lines = (line("E1", 1, "A02", 4), line("E2", 2, "A03", 5))
    assert cap_remarks(scheme(), lines) == {1: ("“获得表彰”各项全年合计上限 6 分，本次计 2 分", False)}
    lines = (line("E1", 1, "B02", 3), line("E2", 2, "B02", 3))
    assert cap_remarks(scheme(base_cap=D(4)), lines) == {1: ("基础积分全年上限 4 分，本次计 1 分", False)}


def test_a_reversal_frees_the_cap_and_quarter_mean_caps_per_quarter():
    lines = (
        line("E1", 1, "B01", 2),
        line("E2", 2, "B01", 2),
        line("E3", 3, "B01", 2),
        line("E4", 3, "B01", -2, reversal=True, corrects="E3"),
        line("E5", 3, "B01", 2),
    )
    assert cap_remarks(scheme(), lines) == {}
    quarterly = tuple(line(f"E{i}", m, "B01", 2) for i, m in enumerate((1, 1, 1, 1, 4), 1))
    assert cap_remarks(scheme(Method.QUARTER_MEAN), quarterly) == {3: ("本项本季度已达上限 6 分，本次不计分", True)}


@pytest.mark.parametrize("method", [Method.SUM, Method.QUARTER_MEAN])
def test_kept_up_caps_say_what_the_engines_own_replay_says(method):
    """cap_remarks keeps the capped parts up to date line by line; on random ledgers
    (negative lines, reversals, groups, part caps, unknown items) it says exactly what
    replaying the rules engine's _capped_parts for every line says."""
    import random

    rng = random.Random(17)
    codes = ["B01", "B02", "A01", "A02", "A03", "X99"]
    seen = 0
    for _ in range(300):
        lines = tuple(
            line(
                f"E{i}",
                rng.randint(1, 12),
                rng.choice(codes),
                rng.choice([1, 2, 3, 4, 5, -2]),
                reversal=rng.random() < 0.1,
            )
            for i in range(rng.randint(1, 25))
        )
        for caps in (scheme(method), scheme(method, base_cap=D(7))):
            fast = cap_remarks(caps, lines)
            assert fast == _cap_remarks_replay(caps, lines)
            seen += len(fast)
    assert seen > 100  # the ledgers did run into caps


def people(data: dict) -> list[tuple[str, str, str, str, str]]:
    """The index read back as search.js reads it: (name, pinyin, branch, status, member id)."""
    reading = dict(zip(data["c"], data["p"].split(" ")))
    out, n = [], 0
    for _year, _bid, branch, names, ids, codes in data["b"]:
        for name, mid, code in zip(names, ids, codes):
            syllables = (
                data["o"][str(n)].split(" ") if str(n) in data["o"] else [reading.get(c, c.lower()) for c in name]
            )
            out.append((name, " ".join(syllables), branch, data["s"][int(code, 36)], mid))
            n += 1
    return out


def test_pinyin_of_names():
    assert name_pinyin("邹建平") == ["zou", "jian", "ping"]
    assert name_pinyin("单田芳") == ["shan", "tian", "fang"]  # a surname's own reading
    assert name_pinyin("吕丽") == ["lv", "li"]


def test_index_finds_everyone_by_pinyin(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(MINI, content)
    roster = content / "committees/c1/branches/b1/2026/roster.yaml"
    text = roster.read_text("utf-8").replace("name: 赵一", "name: 单田芳").replace("name: 孙三", "name: Anna 孙")
    roster.write_text(text, "utf-8")
    report = check(content, cache_dir=None)
    assert not report.errors
    district = report.loaded.district
    assert district is not None
    data = index_data(district, report.years)
    everyone = people(data)
    found = {p[0]: p for p in everyone}
    assert found["单田芳"][1] == "shan tian fang"
    assert found["Anna 孙"][1] == "anna sun"
    assert found["周五"][3].endswith("不纳入积分管理") and found["周五"][4] == ""  # exempt: no member page
    assert found["李四"][3] == "入党积极分子" and found["李四"][4] == "M4"
    # floated from 甲支部 to 乙支部: found in both, as the two boards list them
    wu = sorted((p[2], p[3], p[4]) for p in everyone if p[0] == "吴六")
    assert wu == [("乙支部", "正式党员，流入党员", "M6"), ("甲支部", "正式党员，流出党员", "")]
    js = index_js(district, report.years)
    assert js.startswith(f"window.{GLOBAL}=") and json.loads(js[len(f"window.{GLOBAL}=") : -2]) == data


@pytest.mark.parametrize("branches,members", [(40, 30)])
def test_index_stays_small(tmp_path, branches, members):
    """About 25 bytes a member: a district of 1,000 branches × 30 stays well under 1 MB
    (benchmarks/bench_search.py measures that district itself)."""
    generate(tmp_path / "d", branches=branches, members=members, seed=5, year=2026)
    report = check(tmp_path / "d", cache_dir=None)
    assert report.loaded.district is not None
    size = len(index_js(report.loaded.district, report.years).encode("utf-8"))
    per_member = size / (branches * members)
    assert per_member * 30_000 < 0.9 * 1024 * 1024, per_member


def test_search_script_is_plain_es5():
    """Like the lobby screen's script: old Android WebViews run it too."""
    import pyjsparser

    from tests.support import ROOT

    source = (ROOT / "themes/default/assets/search.js").read_text("utf-8")
    pyjsparser.parse(source)  # raises on arrow functions, classes, template strings, let/const …
