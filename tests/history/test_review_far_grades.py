"""The review report lists, on their own and with their reason, the final grades a change
writes that are more than one step from the score's grade or above a 不合格 民主测评
(issue 14, item 5); a one-step change and a grade already in the base are not listed."""

from __future__ import annotations

import json
import shutil
from datetime import date

from sitegen.check import check
from sitegen.review import as_dict, markdown
from sitegen.review.compare import compare
from tests.support import ROOT

TODAY = date(2026, 12, 5)
KJY = "committees/qsjd/branches/kjy/2025/year-end.yaml"
FAR = (
    "2025年上半年受组织选派参加抗洪抢险突击队，连续四十天驻守堤坝，受到区委通报表扬，经支部委员会综合分析研判评为优秀。"
)
AGAINST = "民主测评不合格主要因与同事争执一事，经核实系对方过错，本人已主动和解；经支部委员会综合分析研判评为合格。"
NEAR = "民主测评为优秀，全年带头参加志愿服务，经支部委员会研判评为优秀。"


def test_far_and_contrary_final_grades_are_listed_with_their_reason(tmp_path):
    base_dir, head_dir = tmp_path / "base", tmp_path / "head"
    shutil.copytree(ROOT / "content", base_dir)
    shutil.copytree(ROOT / "content", head_dir)
    year_end = head_dir / KJY
    text = year_end.read_text("utf-8")
    # 夏天 (M0810, 71 分, 合格): 测评 不合格, yet 评定 合格 — against the 测评
    text = text.replace("  M0810: 合格\n", "  M0810: 不合格\n")
    text = text.replace(
        "assessed: 2026-01-05\n",
        "final:\n"
        f"  - member: M0807\n    grade: 优秀\n    reason: {FAR}\n"  # 石晓峰 64 分 合格 → 优秀: two steps
        f"  - member: M0810\n    grade: 合格\n    reason: {AGAINST}\n"
        f"  - member: M0808\n    grade: 优秀\n    reason: {NEAR}\n"  # 廖婷婷 83 分 良好 → 优秀: one step
        "assessed: 2026-01-05\n",
    )
    year_end.write_text(text, "utf-8")
    base = check(base_dir, today=TODAY, cache_dir=None, history=False)
    head = check(head_dir, today=TODAY, cache_dir=None, history=False)
    assert not head.errors, [p.format() for p in head.errors]
    r = compare(base, head, "a" * 40, "b" * 40, "main", "HEAD", today=TODAY)

    far = [(g.name, g.grade, g.rating, g.final, g.why, g.reason) for g in r.far_grades]
    assert far == [
        ("石晓峰", "合格", "合格", "优秀", "相差 2 个等次", FAR),
        ("夏天", "合格", "不合格", "合格", "民主测评为不合格", AGAINST),
    ]  # not 廖婷婷 (one step), not jdjg's or syxx1's final grades already in the base

    md = markdown(r)
    assert "2 名党员的评定等次与积分等次相差一个等次以上或与民主测评“不合格”相反" in md
    section = md[md.index("### ⚠ 需要重点审核的评定等次") :]
    assert (
        f"| 2025年 | 科技园企业联合支部（kjy） | 石晓峰（M0807） | 64 | 合格 | 合格 | 优秀 | 相差 2 个等次 | {FAR} |"
        in section
    )
    assert (
        f"| 2025年 | 科技园企业联合支部（kjy） | 夏天（M0810） | 71 | 合格 | 不合格 | 合格 | 民主测评为不合格 | {AGAINST} |"
        in section
    )
    assert "廖婷婷" not in section.split("###")[1]

    data = json.loads(json.dumps(as_dict(r), ensure_ascii=False))
    assert data["summary"]["far_grades"] == 2
    assert [(g["member"], g["total"], g["why"]) for g in data["far_grades"]] == [
        ("M0807", 64, "相差 2 个等次"),
        ("M0810", 71, "民主测评为不合格"),
    ]

    # the same content on both sides: nothing to review again
    again = compare(head, head, "b" * 40, "b" * 40, "main", "HEAD", today=TODAY)
    assert again.far_grades == () and "需要重点审核的评定等次" not in markdown(again)
