#!/usr/bin/env python3
"""Generate the bulk of the demo district (青松区, fictitious) in content/.

    .venv/bin/python tools/demo/generate.py    # rewrites the generated files (git diff content/ stays empty), then run:
    python3 -m sitegen check content --today 2026-11-23 --no-cache

The committed YAML under content/ is the source of truth; this script only produced its
bulk, deterministically (fixed seeds), and is kept so the demo can be regrown after a
schema change. Edit by hand or here — but if you edit here, regenerate and review the diff.

Hand-written, never touched here: site.yaml, scheme/, committees/*/committee.yaml,
committees/*/scheme/, and every notices/ folder. Two notices quote numbers from the
generated data (notices/2026-01-12-results-2025.md, syxx1's 2025 result notice): if a
change here moves the 2025 grades, update them (tools/demo/summary.py prints the numbers).
Written here: committees/*/branches/*/branch.yaml, each branch's <year>/ folder (roster,
年初设定 scheme.yaml, ledger/, quarters/, year-end.yaml) and restricted/<branch>/. Branches
added by hand (jyw's dezx and jsjx, founded in 2026 to show a late quarter and an appeal
受理中 during a 公示) are not generated here and are left as they are.

How the ledger is grown, per branch and year:
1. the regular calendar — 党费, 主题党日, 党小组会, 党员大会, 党课 (三会一课), quarterly
   learning, 组织生活会, pledges, visits, organized volunteering, 社区报到, 防汛 — with
   absences drawn from each member's tier (A 优秀 / B 良好 / C 合格 / L lagging);
2. the scripted special cases (appeals, corrections, 一票否决, caps, …), each with a
   Chinese comment in the YAML saying what it demonstrates;
3. individual bonus entries (党员申报 / 群众证实 / 支部登记) until the member's estimated
   score reaches a target drawn from their tier, so the grade spread is believable.
"""

from __future__ import annotations

import random
import shutil
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sitegen.load.parse import parse  # noqa: E402
from sitegen.model.enums import Category, Part  # noqa: E402
from sitegen.model.scheme import BranchPlan  # noqa: E402
from sitegen.rules.periods import quarter_name, quarter_of  # noqa: E402
from sitegen.rules.scheme import effective_scheme  # noqa: E402
from sitegen.rules.score import _capped_parts, _total  # noqa: E402 (the engine's own caps, for the fill)
from sitegen.yamltext import Value, block, scalar  # noqa: E402

CONTENT = ROOT / "content"
YEARS = (2025, 2026)
CUTOFF = date(2026, 11, 20)  # 2026 is in progress: nothing after this date
ALL = "全体"
D0 = Decimal(0)

# ───────────────────────────── organizations and members ─────────────────────────────


@dataclass
class MemberSpec:
    id: str
    name: str
    tier: str  # A 优秀, B 良好, C 合格, L 落后 (drives absences and the fill target)
    status: dict = field(default_factory=dict)  # year -> 正式党员/预备党员/入党积极分子 (default 正式党员)
    exempt: dict = field(default_factory=dict)  # year -> (applied, approved, filed, kind, note)
    floating: dict = field(default_factory=dict)  # year -> (direction, branch, org)
    years: tuple = YEARS
    tier_by_year: dict = field(default_factory=dict)
    comment: dict = field(default_factory=dict)  # year -> roster comment

    def st(self, year):
        return self.status.get(year, "正式党员")

    def tier_in(self, year):
        return self.tier_by_year.get(year, self.tier)


@dataclass
class BranchSpec:
    id: str
    num: str
    committee: str
    name: str
    short: str
    category: str
    general_branch: str
    scope: str  # 公示范围
    contact: str  # 公开的意见受理地点
    members: list
    extras: dict  # year -> [(month, day, title)] 另加的支部党员大会
    plan: dict  # year -> extra YAML text for <year>/scheme.yaml (年初设定)
    plan_dates: dict  # year -> (announced, posted)


def d(s: str) -> date:
    return date.fromisoformat(s)


def M(bnum, seq, name, tier, **kw) -> MemberSpec:
    return MemberSpec(id=f"M{bnum}{seq:02d}", name=name, tier=tier, **kw)


EX = "exempt"

BRANCHES: list[BranchSpec] = []


def branch(**kw):
    BRANCHES.append(BranchSpec(**kw))


# ── 区委教育工委 (jyw) ──
branch(
    id="jyjjg",
    num="01",
    committee="jyw",
    name="中共青松区教育局机关支部委员会",
    short="区教育局机关支部",
    category="机关",
    general_branch="",
    scope="区教育局机关党务公开栏",
    contact="区教育局机关党支部办公室（办公楼305室）",
    members=[
        M("01", 1, "刘卫东", "A"),
        M("01", 2, "孙晓梅", "B"),
        M("01", 3, "周国强", "A"),
        M("01", 4, "吴静怡", "B"),
        M("01", 5, "张𠮷", "B", comment={"all": "姓名含生僻字“𠮷”（U+20BB7，不在基本多文种平面），用于检验字体和排版"}),
        M("01", 6, "郑海燕", "A"),
        M("01", 7, "冯建军", "C"),
        M("01", 8, "陈思远", "B"),
        M("01", 9, "褚丽娟", "B"),
        M("01", 10, "卫志刚", "C"),
        M(
            "01",
            11,
            "蒋一鸣",
            "B",
            status={2025: "预备党员"},
            comment={
                2025: "预备党员：参加积分管理和排名，积分作为预备期满转正的重要依据",
                2026: "2025年11月按期转为正式党员",
            },
        ),
    ],
    extras={
        2025: [(4, 16, "支部党员大会：支部委员会换届选举"), (11, 13, "支部党员大会：讨论预备党员蒋一鸣转正")],
        2026: [(7, 15, "支部党员大会：研究下半年重点工作")],
    },
    plan={},
    plan_dates={2025: ("2025-02-12", "2025-02-13"), 2026: ("2026-02-11", "2026-02-12")},
)
branch(
    id="syxx1",
    num="02",
    committee="jyw",
    name="中共青松区实验小学第一支部委员会",
    short="实验小学第一支部",
    category="学校",
    general_branch="中共青松区实验小学总支部委员会",
    scope="实验小学党建宣传栏",
    contact="实验小学党总支办公室（行政楼204室）",
    members=[
        M("02", 1, "王春华", "A"),
        M("02", 2, "李文博", "B"),
        M(
            "02",
            3,
            "赵丽华",
            "A",
            comment={2025: "2025年同时获省级、市级表彰：演示“获得表彰”分组上限和贡献加分40分封顶"},
        ),
        M("02", 4, "钱雨萱", "B"),
        M("02", 5, "孙明辉", "A"),
        M("02", 6, "胡佳琪", "B"),
        M("02", 7, "朱宏伟", "C"),
        M("02", 8, "高晓燕", "B"),
        M(
            "02",
            9,
            "林志远",
            "S",
            comment={2025: "2025年3—6月赴对口帮扶学校支教：积分等次为合格，综合评定为良好（见 year-end.yaml）"},
        ),
        M("02", 10, "何雪梅", "A"),
        M("02", 11, "郭俊杰", "B"),
        M("02", 12, "马欣怡", "B"),
        M(
            "02",
            13,
            "罗子涵",
            "B",
            status={2025: "入党积极分子", 2026: "入党积极分子"},
            comment={"all": "入党积极分子：参照党员考核项目积分，单独排名；不在“全体”之内，台账中单独登记"},
        ),
    ],
    extras={
        2025: [
            (1, 22, "支部党员大会：研究年度工作要点"),
            (4, 23, "支部党员大会：讨论确定入党积极分子"),
            (7, 9, "支部党员大会：暑期师德师风专题学习"),
            (10, 22, "支部党员大会：学习传达上级会议精神"),
        ],
        2026: [(1, 21, "支部党员大会：研究年度工作要点"), (4, 22, "支部党员大会：学习传达上级会议精神")],
    },
    plan={
        2026: """\
# 本支部2026年新增项目：青年教师“青蓝工程”师徒结对
items:
  - code: A81
    part: 贡献加分
    name: 担任“青蓝工程”导师，结对培养青年教师
    points: 2
    cap: 4
    evidence: 青蓝工程结对协议、听课记录
"""
    },
    plan_dates={2025: ("2025-02-19", "2025-02-20"), 2026: ("2026-02-25", "2026-02-26")},
)
branch(
    id="syxx2",
    num="03",
    committee="jyw",
    name="中共青松区实验小学第二支部委员会",
    short="实验小学第二支部",
    category="学校",
    general_branch="中共青松区实验小学总支部委员会",
    scope="实验小学党建宣传栏",
    contact="实验小学党总支办公室（行政楼204室）",
    members=[
        M("03", 1, "徐建华", "A"),
        M("03", 2, "沈玉兰", "B"),
        M("03", 3, "韩立新", "B"),
        M("03", 4, "杨静", "A"),
        M("03", 5, "秦晨曦", "B"),
        M(
            "03",
            6,
            "许天佑",
            "B",
            comment={2025: "9月护学岗志愿服务漏记，第三季度公示后补记，计入第四季度（见 ledger/q4.yaml）"},
        ),
        M("03", 7, "尤志强", "C"),
        M("03", 8, "施若琳", "B"),
        M("03", 9, "吕明轩", "A"),
        M(
            "03",
            10,
            "曹淑珍",
            "B",
            exempt={y: ("2024-12-09", "2024-12-16", "2025-01-07", "长期患病", "长期病休治疗") for y in YEARS},
            comment={"all": "长期患病，不纳入积分管理：三个步骤的日期写在这里，原因只写在不公开记录里"},
        ),
        M(
            "03",
            11,
            "严嘉怡",
            "A",
            status={2025: "入党积极分子", 2026: "预备党员"},
            comment={
                2025: "入党积极分子，2026年1月经支部党员大会讨论接收为预备党员",
                2026: "2026年1月接收为预备党员（2025年为入党积极分子）",
            },
        ),
    ],
    extras={
        2025: [
            (5, 21, "支部党员大会：学习传达上级会议精神"),
            (10, 15, "支部党员大会：讨论确定发展对象"),
            (11, 19, "支部党员大会：研究年终民主评议工作"),
        ],
        2026: [(1, 14, "支部党员大会：讨论接收严嘉怡为预备党员"), (5, 20, "支部党员大会：学习传达上级会议精神")],
    },
    plan={},
    plan_dates={2025: ("2025-02-19", "2025-02-21"), 2026: ("2026-02-25", "2026-02-27")},
)
branch(
    id="dyzx",
    num="04",
    committee="jyw",
    name="中共青松区第一中学支部委员会",
    short="区第一中学支部",
    category="学校",
    general_branch="",
    scope="第一中学党务公开栏",
    contact="第一中学党支部办公室（综合楼301室）",
    members=[
        M("04", 1, "黄国华", "A"),
        M("04", 2, "曾美玲", "B"),
        M("04", 3, "彭振华", "B"),
        M("04", 4, "陈䶮", "A", comment={"all": "姓名含生僻字“䶮”（U+4DAE，扩展A区）"}),
        M("04", 5, "董德明", "C"),
        M("04", 6, "袁卫红", "B"),
        M("04", 7, "潘文静", "A"),
        M(
            "04",
            8,
            "于宇航",
            "B",
            comment={2025: "12月主题党日申辩成立，更正日期在次年1月，仍记入第四季度（见 quarters/q4.yaml）"},
        ),
        M("04", 9, "蔡秀兰", "B"),
        M("04", 10, "余建国", "C"),
        M("04", 11, "杜梓轩", "B"),
        M(
            "04",
            12,
            "叶凤英",
            "B",
            status={2025: "预备党员"},
            comment={2025: "预备党员，2025年11月经支部党员大会讨论按期转正", 2026: "2025年11月转为正式党员"},
        ),
        M("04", 13, "程浩然", "C", status={2025: "入党积极分子", 2026: "入党积极分子"}),
    ],
    extras={
        2025: [
            (2, 19, "支部党员大会：研究年度工作要点"),
            (5, 14, "支部党员大会：学习传达上级会议精神"),
            (10, 15, "支部党员大会：讨论确定入党积极分子"),
            (11, 12, "支部党员大会：讨论预备党员叶凤英转正"),
        ],
        2026: [(4, 15, "支部党员大会：学习传达上级会议精神")],
    },
    plan={
        2026: """\
# 本支部2026年细化：A09“岗位建功”每次2—4分（全区为2—5分）
narrow:
  - code: A09
    min: 2
    max: 4
"""
    },
    plan_dates={2025: ("2025-02-20", "2025-02-21"), 2026: ("2026-02-26", "2026-02-27")},
)

# ── 青松街道党工委 (qsjd) ──
branch(
    id="jdjg",
    num="05",
    committee="qsjd",
    name="中共青松区青松街道机关支部委员会",
    short="青松街道机关支部",
    category="机关",
    general_branch="",
    scope="街道机关党务公开栏",
    contact="街道党群服务中心二楼党建办",
    members=[
        M("05", 1, "苏建明", "A"),
        M("05", 2, "魏丽", "B"),
        M("05", 3, "丁文斌", "A", comment={2026: "第一季度公示期间提出异议，更正计入第二季度（见 quarters/q1.yaml）"}),
        M("05", 4, "任小红", "B"),
        M("05", 5, "姚卫国", "C"),
        M("05", 6, "卢春燕", "B"),
        M(
            "05",
            7,
            "姜立军",
            "A",
            comment={2025: "积分等次为优秀，民主测评基本合格，综合评定为良好（见 year-end.yaml）"},
        ),
        M("05", 8, "崔雅琴", "B"),
        M("05", 9, "钟永刚", "A"),
        M("05", 10, "谭晓丽", "B"),
        M("05", 11, "陆志华", "C"),
        M("05", 12, "汪敏", "B"),
        M(
            "05",
            13,
            "范思琪",
            "B",
            status={2026: "入党积极分子"},
            years=(2026,),
            comment={2026: "2026年4月确定为入党积极分子"},
        ),
    ],
    extras={
        2025: [
            (1, 15, "支部党员大会：研究年度工作要点"),
            (7, 16, "支部党员大会：学习传达上级会议精神"),
            (10, 22, "支部党员大会：讨论确定入党积极分子"),
        ],
        2026: [(2, 11, "支部党员大会：研究年度工作要点"), (8, 19, "支部党员大会：学习传达上级会议精神")],
    },
    plan={
        2026: """\
# 本支部2026年细化：A07“建言献策被采纳”每次2—4分（全区为1—5分）
narrow:
  - code: A07
    min: 2
    max: 4
"""
    },
    plan_dates={2025: ("2025-01-15", "2025-01-16"), 2026: ("2026-01-21", "2026-01-22")},
)

LYSQ_EXEMPT = {
    # 年满70周岁 / 年老体弱 / 行动不便：三个步骤的日期在名册里，原因在 restricted/
    "M0612": ("2023-12-04", "2023-12-11", "2023-12-20", "行动不便", "腿部残疾，长期卧床，支部定期送学上门"),
    "M0613": ("2022-11-07", "2022-11-14", "2022-11-25", "年满70周岁", "1951年出生"),
    "M0614": ("2023-03-06", "2023-03-13", "2023-03-24", "年满70周岁", "1953年出生"),
    "M0615": ("2024-11-04", "2024-11-11", "2024-11-22", "年老体弱", "68岁，多病体弱，本人申请"),
}
branch(
    id="lysq",
    num="06",
    committee="qsjd",
    name="中共青松区青松街道柳荫社区支部委员会",
    short="柳荫社区支部",
    category="社区",
    general_branch="",
    scope="柳荫社区党务公开栏、社区党群服务中心",
    contact="柳荫社区党群服务中心一楼服务窗口",
    members=[
        M("06", 1, "宋桂芳", "A"),
        M("06", 2, "唐德福", "B"),
        M("06", 3, "许秀珍", "A"),
        M("06", 4, "邓国庆", "B"),
        M("06", 5, "曹玉梅", "C"),
        M("06", 6, "彭建设", "B"),
        M("06", 7, "肖淑芬", "B"),
        M("06", 8, "田志红", "A"),
        M("06", 9, "董桂英", "C"),
        M(
            "06",
            10,
            "袁福生",
            "B",
            exempt={2026: ("2026-01-05", "2026-01-12", "2026-01-20", "年满70周岁", "1956年出生，2026年年满70周岁")},
            comment={2026: "2026年年满70周岁，本人申请不纳入积分管理（2025年正常积分）"},
        ),
        M(
            "06",
            11,
            "潘宇",
            "B",
            floating={y: ("流出", "kjy", "") for y in YEARS},
            comment={"all": "流动党员：在科技园企业工作，由流入地科技园企业联合支部积分（流入地为主）"},
        ),
        M(
            "06",
            12,
            "蒋德胜",
            "B",
            exempt={y: LYSQ_EXEMPT["M0612"] for y in YEARS},
            comment={
                "all": "以下四人不纳入积分管理（年满70周岁、年老体弱、行动不便），三个步骤的日期齐全，原因在不公开记录里"
            },
        ),
        M("06", 13, "于秀英", "B", exempt={y: LYSQ_EXEMPT["M0613"] for y in YEARS}),
        M("06", 14, "杜守业", "B", exempt={y: LYSQ_EXEMPT["M0614"] for y in YEARS}),
        M("06", 15, "叶兰芝", "B", exempt={y: LYSQ_EXEMPT["M0615"] for y in YEARS}),
    ],
    extras={
        2025: [(4, 17, "支部党员大会：学习传达上级会议精神"), (10, 23, "支部党员大会：研究“红色楼栋”建设")],
        2026: [(4, 16, "支部党员大会：学习传达上级会议精神")],
    },
    plan={
        2026: """\
# 本支部2026年细化：
#   A01 志愿服务每次1—2分、全年最多10分（全区为1—3分、12分）；
#   新增 A82，鼓励党员参与楼栋议事协商。
items:
  - code: A82
    part: 贡献加分
    name: 参与“红色楼栋”议事协商
    points: 1
    cap: 4
    evidence: 楼栋议事会记录
narrow:
  - code: A01
    max: 2
    cap: 10
"""
    },
    plan_dates={2025: ("2025-01-16", "2025-01-17"), 2026: ("2026-01-22", "2026-01-23")},
)
branch(
    id="hxsq",
    num="07",
    committee="qsjd",
    name="中共青松区青松街道和西社区支部委员会",
    short="和西社区支部",
    category="社区",
    general_branch="",
    scope="和西社区党务公开栏",
    contact="和西社区党群服务中心服务窗口",
    members=[
        M("07", 1, "邹建平", "A"),
        M("07", 2, "孟凤兰", "B"),
        M("07", 3, "熊志勇", "B"),
        M(
            "07",
            4,
            "秦玉珍",
            "B",
            comment={2025: "第一季度申辩成立，公示前更正，仍计入第一季度（见 quarters/q1.yaml）"},
        ),
        M("07", 5, "邱文华", "A"),
        M("07", 6, "江海波", "C"),
        M("07", 7, "尹春梅", "B"),
        M("07", 8, "薛国栋", "A"),
        M("07", 9, "闫小军", "C"),
        M("07", 10, "段丽萍", "B"),
        M("07", 11, "雷振东", "C"),
        M(
            "07",
            12,
            "侯佳慧",
            "B",
            floating={y: ("流入", "", "中共云岚市翠湖区湖滨街道湖滨社区委员会") for y in YEARS},
            comment={"all": "流动党员：从区外（虚构的云岚市）流入，由本支部积分"},
        ),
        M(
            "07",
            13,
            "龙守仁",
            "B",
            exempt={y: ("2024-01-08", "2024-01-15", "2024-01-26", "年满70周岁", "1953年出生") for y in YEARS},
            comment={"all": "年满70周岁，不纳入积分管理"},
        ),
    ],
    extras={
        2025: [
            (1, 16, "支部党员大会：研究年度工作要点"),
            (5, 15, "支部党员大会：学习传达上级会议精神"),
            (8, 14, "支部党员大会：研究社区“微更新”议事"),
            (11, 13, "支部党员大会：研究冬季关爱行动"),
        ],
        2026: [(5, 14, "支部党员大会：学习传达上级会议精神"), (8, 13, "支部党员大会：研究社区“微更新”议事")],
    },
    plan={},
    plan_dates={2025: ("2025-01-16", "2025-01-20"), 2026: ("2026-01-22", "2026-01-26")},
)
branch(
    id="kjy",
    num="08",
    committee="qsjd",
    name="中共青松科技园企业联合支部委员会",
    short="科技园企业联合支部",
    category="两新",
    general_branch="",
    scope="科技园党群服务站公开栏",
    contact="科技园党群服务站（园区服务中心一楼）",
    members=[
        M("08", 1, "钟伟", "A"),
        M("08", 2, "谭欣", "B"),
        M("08", 3, "陆浩", "A"),
        M("08", 4, "汪雨婷", "B"),
        M("08", 5, "范磊", "B"),
        M("08", 6, "金志成", "B", comment={2025: "2025年8月受到留党察看一年处分（一票否决），年度等次为不合格"}),
        M("08", 7, "石晓峰", "C"),
        M("08", 8, "廖婷婷", "B"),
        M("08", 9, "贾明", "A"),
        M("08", 10, "夏天", "C"),
        M(
            "08",
            11,
            "韦思雨",
            "A",
            status={2025: "入党积极分子", 2026: "预备党员"},
            comment={
                2025: "入党积极分子，2025年12月经支部党员大会讨论接收为预备党员",
                2026: "2025年12月接收为预备党员",
            },
        ),
        M("08", 12, "付博文", "B", status={2025: "入党积极分子", 2026: "入党积极分子"}),
        MemberSpec(
            id="M0611",
            name="潘宇",
            tier="B",
            floating={y: ("流入", "lysq", "") for y in YEARS},
            comment={"all": "流入党员：组织关系在柳荫社区支部（同一编号），在本支部积分"},
        ),
    ],
    extras={
        2025: [
            (4, 17, "支部党员大会：学习传达上级会议精神"),
            (8, 21, "支部党员大会：通报党员受处分情况"),
            (12, 11, "支部党员大会：讨论接收韦思雨为预备党员"),
        ],
        2026: [(3, 19, "支部党员大会：研究年度工作要点"), (9, 17, "支部党员大会：学习传达上级会议精神")],
    },
    plan={
        2026: """\
# 本支部2026年细化：
#   新增 A83，鼓励企业党员在技术攻关中当先锋；
#   D03“违反工作纪律”每次1—3分（全区为1—5分）。
items:
  - code: A83
    part: 贡献加分
    name: 技术攻关取得成果或获得发明专利
    min: 2
    max: 5
    cap: 10
    evidence: 专利证书、项目验收报告
narrow:
  - code: D03
    max: 3
"""
    },
    plan_dates={2025: ("2025-02-13", "2025-02-14"), 2026: ("2026-02-12", "2026-02-13")},
)
branch(
    id="shzz",
    num="09",
    committee="qsjd",
    name="中共青松街道社会组织联合支部委员会",
    short="社会组织联合支部",
    category="两新",
    general_branch="",
    scope="街道社会组织服务中心公开栏",
    contact="街道社会组织服务中心一楼接待室",
    members=[
        M("09", 1, "戴文涛", "A"),
        M("09", 2, "莫晓雯", "B"),
        M("09", 3, "孔令辉", "B"),
        M("09", 4, "向丽君", "A"),
        M(
            "09",
            5,
            "汤振宇",
            "L",
            tier_by_year={2026: "C"},
            comment={
                2025: "多次无故缺席、未按时交纳党费，积分不足60分，年度等次为不合格；谈话和帮教记录在不公开记录里"
            },
        ),
        M("09", 6, "武晓琳", "B"),
        M("09", 7, "殷国庆", "C"),
        M("09", 8, "罗晨", "B"),
        M(
            "09",
            9,
            "黎建峰",
            "B",
            floating={y: ("流出", "", "中共云岚市高新区流动党员服务中心委员会") for y in YEARS},
            comment={"all": "流动党员：外出到区外（虚构的云岚市）工作，由流入地党组织积分"},
        ),
        M("09", 10, "白雪", "B", status={2025: "入党积极分子", 2026: "入党积极分子"}),
    ],
    extras={
        2025: [(6, 18, "支部党员大会：学习传达上级会议精神")],
        2026: [(6, 17, "支部党员大会：学习传达上级会议精神")],
    },
    plan={},
    plan_dates={2025: ("2025-02-13", "2025-02-17"), 2026: ("2026-02-12", "2026-02-24")},
)

BY_ID = {b.id: b for b in BRANCHES}

# ───────────────────────────── calendar helpers ─────────────────────────────


def wd(y: int, m: int, day: int) -> date:
    """The working day nearest to the given day (Saturday → Friday, Sunday → Monday)."""
    dt = date(y, m, day)
    if dt.weekday() == 5:
        return dt - timedelta(days=1)
    if dt.weekday() == 6:
        return dt + timedelta(days=1)
    return dt


def next_wd(dt: date, n: int = 1) -> date:
    while n:
        dt += timedelta(days=1)
        if dt.weekday() < 5:
            n -= 1
    return dt


def last_wd(y: int, m: int) -> date:
    dt = date(y, m % 12 + 1, 1) - timedelta(days=1) if m < 12 else date(y, 12, 31)
    while dt.weekday() >= 5:
        dt -= timedelta(days=1)
    return dt


CN_MONTH = "一二三四五六七八九十"


THEME_DAYS = {
    1: "新年第一课——学习党章，重温入党誓词",
    2: "学习《中国共产党纪律处分条例》",
    3: "“学雷锋”主题党日",
    4: "清明缅怀革命先烈",
    5: "劳动最光荣，走进一线学习先进",
    6: "安全生产月，学习应急避险知识",
    7: "庆祝建党纪念日，重温入党誓词",
    8: "廉洁文化主题学习",
    9: "“我为群众办实事”主题实践",
    10: "国庆主题教育“我和我的祖国”",
    11: "法治教育主题学习",
    12: "宪法宣传日主题学习",
}
GROUP_TOPICS = [
    "学习上级会议精神",
    "交流学习体会",
    "党史专题学习",
    "讨论支部工作安排",
    "典型案例警示教育",
    "学习先进典型事迹",
    "学习党内法规",
    "交流岗位履职情况",
    "学习意识形态工作要求",
    "交流“我为群众办实事”情况",
    "学习安全生产和应急管理知识",
    "开展谈心谈话、批评与自我批评",
]
LECTURES = {
    2: "党课：牢记初心使命，争做合格党员",
    5: "党课：从党史中汲取奋进力量",
    7: "七一专题党课：践行全心全意为人民服务宗旨",
    8: "党课：严守纪律规矩，涵养清风正气",
    11: "党课：以实干担当践行初心",
}
VOLUNTEER = {
    "common": [
        (3, 5, "“学雷锋”志愿服务", 2),
        (4, 3, "清明文明祭扫引导志愿服务", 1),
        (6, 14, "创建文明城区志愿服务", 2),
        (10, 17, "重阳节敬老志愿服务", 2),
        (12, 5, "国际志愿者日集中志愿服务", 1),
    ],
    "学校": [(9, 3, "开学季护学岗志愿服务", 2)],
    "社区": [(7, 12, "社区环境整治志愿服务", 2), (9, 20, "邻里节志愿服务", 1), (11, 8, "冬季送温暖志愿服务", 2)],
    "机关": [(9, 19, "包联社区文明创建志愿服务", 2)],
    "两新": [(8, 23, "园区“企业开放日”志愿服务", 1)],
}

# tier → probabilities: absent from a meeting, absence without leave, late dues, misses a quarter's learning,
# joins an organized activity, visits constituents in a quarter
P = {
    "A": dict(absent=0.02, unexcused=0.0, late=0.0, nolearn=0.0, join=0.9, visit=0.95),
    "B": dict(absent=0.05, unexcused=0.0, late=0.01, nolearn=0.03, join=0.65, visit=0.75),
    "C": dict(absent=0.10, unexcused=0.12, late=0.03, nolearn=0.15, join=0.35, visit=0.45),
    "L": dict(absent=0.15, unexcused=0.2, late=0.0, nolearn=0.5, join=0.12, visit=0.15),
    "S": dict(absent=0.03, unexcused=0.0, late=0.0, nolearn=0.0, join=0.7, visit=0.8),
}
TARGET_2025 = {"A": (90, 97), "B": (80, 88), "C": (64, 78), "L": (47, 51), "S": (76, 78)}
BONUS_2026 = {"A": (30, 36), "B": (21, 27), "C": (11, 17), "L": (6, 9), "S": (21, 27)}  # year to date (11-20)

# ───────────────────────────── ledger entries ─────────────────────────────


class Entry:
    def __init__(
        self,
        dt,
        item,
        members,
        *,
        excluding=(),
        points=None,
        source="",
        evidence="",
        note="",
        comment=(),
        corrects=None,
        reason="",
        void=False,
        file_q=None,
    ):
        self.date = dt
        self.item = item
        self.members = members  # ALL or list of ids
        self.excluding = list(excluding)
        self.points = points
        self.source = source
        self.evidence = evidence
        self.note = note
        self.comment = list(comment) if not isinstance(comment, str) else [comment]
        self.corrects = corrects  # an Entry
        self.reason = reason
        self.void = void
        self.file_q = file_q  # ledger file quarter when it differs from the date's (January corrections)
        self.id = ""


# ───────────────────────────── one branch-year ─────────────────────────────


class BranchYear:
    def __init__(self, spec: BranchSpec, year: int, district_scheme, committee_rules):
        self.b = spec
        self.year = year
        self.i = BRANCHES.index(spec)
        self.rng = random.Random(f"qingsong-{spec.id}-{year}")
        self.members = [m for m in spec.members if year in m.years]
        self.category = spec.category
        plan_text = self.plan_text()
        plan, problems = parse("plan", f"{spec.id}/{year}/scheme.yaml", plan_text.encode())
        assert isinstance(plan, BranchPlan) and not problems, problems
        self.scheme, problems = effective_scheme(year, district_scheme, committee_rules, plan, Category(spec.category))
        assert not problems, problems
        self.entries: list[Entry] = []
        self.appeals: dict[int, list[dict]] = {}
        self.restricted: dict[str, Any] = {
            "exemptions": {},
            "appeals": {},
            "contacts": {},
            "talks": [],
            "mentoring": [],
            "reminders": [],
        }
        self.final: list[tuple[str, str, str]] = []
        self.rating_override: dict[str, str] = {}
        self.absent_windows: dict[str, tuple[date, date]] = {}
        self.forced: dict[tuple[str, date], str] = {}  # (member, date) -> 'leave' | 'unexcused'
        self.quarter_dates: dict[int, dict] = {}
        self.review_day: date | None = None

    # who is who this year
    def full(self):
        """正式/预备党员 scored here (what 全体 means)."""
        return [m for m in self.members if self.scored(m) and m.st(self.year) != "入党积极分子"]

    def activists(self):
        return [m for m in self.members if self.scored(m) and m.st(self.year) == "入党积极分子"]

    def scored(self, m):
        if self.year in m.exempt:
            return False
        fl = m.floating.get(self.year)
        return not (fl and fl[0] == "流出")

    def tier(self, m):
        return m.tier_in(self.year)

    def last_day(self):
        return CUTOFF if self.year == 2026 else date(self.year, 12, 31)

    def ok_date(self, dt):
        return dt <= self.last_day()

    def plan_text(self) -> str:
        ann, post = self.b.plan_dates[self.year]
        head = (
            f"# {self.b.short} {self.year}年初设定积分项目\n"
            f"# 按区考核表和党(工)委细则执行；{ann} 支部党员大会通报，{post} 在党务公开栏公开。\n"
            f"announced: {ann}\nposted: {post}\n"
        )
        extra = self.b.plan.get(self.year, "")
        return head + ("\n" + extra if extra else "")

    # absences
    def attendance(self, dt: date, pool) -> tuple[list[str], list[str], list[str]]:
        """(present, on leave, absent without leave) among `pool` for a meeting on `dt`."""
        present: list[str] = []
        leave: list[str] = []
        unexcused: list[str] = []
        for m in pool:
            forced = self.forced.get((m.id, dt))
            if forced not in ("leave", "unexcused"):
                forced = None
            win = self.absent_windows.get(m.id)
            if forced:
                (leave if forced == "leave" else unexcused).append(m.id)
            elif win and win[0] <= dt <= win[1]:
                leave.append(m.id)
            elif self.rng.random() < P[self.tier(m)]["absent"]:
                (unexcused if self.rng.random() < P[self.tier(m)]["unexcused"] else leave).append(m.id)
            else:
                present.append(m.id)
        return present, leave, unexcused

    def add(self, e: Entry) -> Entry:
        if self.ok_date(e.date) or e.file_q:
            self.entries.append(e)
        return e

    def meeting(self, dt: date, item: str, note: str, with_activists: bool, points=None):
        """A meeting-type activity: 全体 minus absentees, a D01 line for each absence without leave,
        and a separate line for the 入党积极分子 who attended."""
        if not self.ok_date(dt):
            return None
        present, leave, unexcused = self.attendance(dt, self.full())
        excl = leave + unexcused
        who = ([f"{'、'.join(leave)} 请假"] if leave else []) + ([f"{'、'.join(unexcused)} 缺席"] if unexcused else [])
        text = note + (f"（{'；'.join(who)}）" if who else "")
        main = self.add(Entry(dt, item, ALL, excluding=excl, note=text, points=points))
        for mid in unexcused:
            self.add(Entry(dt, "D01", [mid], note=f"无故缺席{note}"))
        if with_activists and self.activists():
            ap, al, au = self.attendance(dt, self.activists())
            if ap:
                self.add(Entry(dt, item, ap, note=f"{note}（入党积极分子）", points=points))
        return main

    # ── the regular calendar ──
    def calendar(self):
        y, i, rng = self.year, self.i, self.rng
        last_month = 12 if y == 2025 else 11
        for m in range(1, last_month + 1):
            # 党费: 每月上旬
            dt = self.fee_date(m)
            late = [
                x.id
                for x in self.full()
                if self.forced.get((x.id, dt)) == "late"
                or (rng.random() < P[self.tier(x)]["late"] and not self.in_window(x.id, dt))
            ]
            self.add(
                Entry(
                    dt,
                    "B03",
                    ALL,
                    excluding=late,
                    note=f"按月交纳{m}月党费" + (f"（{'、'.join(late)} 未按时交纳）" if late else ""),
                )
            )
            # 主题党日
            self.meeting(self.theme_date(m), "B02", f"主题党日：{THEME_DAYS[m]}", True)
            # 党小组会
            self.meeting(self.group_date(m), "B01", f"党小组会：{GROUP_TOPICS[(m + i) % 12]}", True)
            # 支部党员大会 (quarterly)
            if m % 3 == 0:
                self.meeting(wd(y, m, 24 + i % 3), "B01", f"支部党员大会：{quarter_name(m // 3)}工作通报和学习", False)
            # 党课
            if m in LECTURES:
                dt = date(y, 7, 1) if m == 7 else wd(y, m, 26 - i % 3)
                if dt.weekday() >= 5:
                    dt = wd(y, m, 1)
                self.meeting(dt, "B01", LECTURES[m], True)
            # 学习任务 (quarterly)
            if m % 3 == 0:
                dt = last_wd(y, m)
                if self.ok_date(dt):
                    miss = [x.id for x in self.full() if rng.random() < P[self.tier(x)]["nolearn"]]
                    self.add(
                        Entry(
                            dt,
                            "B04",
                            ALL,
                            excluding=miss,
                            note=f"完成{quarter_name(m // 3)}理论学习和网上党校学时"
                            + (f"（{'、'.join(miss)} 未完成）" if miss else ""),
                        )
                    )
                    acts = [x.id for x in self.activists() if rng.random() > P[self.tier(x)]["nolearn"]]
                    if acts:
                        self.add(Entry(dt, "B04", acts, note=f"入党积极分子完成{quarter_name(m // 3)}学习任务"))
        for m, day, title in self.b.extras.get(y, []):
            self.meeting(wd(y, m, day), "B01", title, False)
        # 公开承诺 / 践诺
        dt = wd(y, 3, 12 + i % 3)
        self.add(Entry(dt, "B07", ALL, note="年初公开承诺，在党务公开栏亮明身份"))
        if self.activists():
            self.add(Entry(dt, "B07", [a.id for a in self.activists()], note="入党积极分子年初公开承诺"))
        if y == 2025:
            dt = wd(y, 12, 16 + i % 4)
            self.review_day = dt
            absent = [x.id for x in self.full() if self.tier(x) in "L"]
            self.add(
                Entry(
                    dt,
                    "B05",
                    ALL,
                    excluding=absent,
                    note="2025年度组织生活会和民主评议党员" + (f"（{'、'.join(absent)} 请假）" if absent else ""),
                )
            )
            no = [x.id for x in self.full() if self.tier(x) in "CL" and rng.random() < 0.5]
            self.add(
                Entry(
                    wd(y, 12, 22 + i % 3),
                    "B07",
                    ALL,
                    excluding=no,
                    note="年终践诺评议" + (f"（{'、'.join(no)} 承诺事项未完成）" if no else ""),
                )
            )
        # 联系服务群众 (member-declared, each quarter)
        for q in range(1, 5):
            dt = wd(y, 3 * q, 15 + i % 4) if q < 4 or y == 2025 else wd(y, 11, 13)
            who = [
                x.id
                for x in self.full() + self.activists()
                if rng.random() < P[self.tier(x)]["visit"] and not self.in_window(x.id, dt)
            ]
            if who and self.ok_date(dt):
                self.add(
                    Entry(
                        dt,
                        "B06",
                        who,
                        source="党员申报",
                        evidence="走访联系户记录表",
                        note=f"{quarter_name(q)}走访联系户、收集反映群众诉求",
                    )
                )
        # organized volunteering
        events = VOLUNTEER["common"] + VOLUNTEER[self.category]
        amax = self.scheme.items["A01"].max
        for m, day, title, pts in events:
            dt = wd(y, m, day)
            who = [
                x.id
                for x in self.full() + self.activists()
                if rng.random() < P[self.tier(x)]["join"] and not self.in_window(x.id, dt)
            ]
            if who and self.ok_date(dt):
                self.add(Entry(dt, "A01", who, points=min(Decimal(pts), amax), note=title, evidence="志愿服务签到表"))
        # 在职党员到社区报到 (机关、学校)
        if "A02" in self.scheme.items:
            for q in range(1, 5):
                dt = wd(y, 3 * q, 21 + i % 3) if q < 4 else wd(y, 11, 20 - i % 3)
                who = [
                    x.id
                    for x in self.full() + self.activists()
                    if rng.random() < P[self.tier(x)]["join"] + 0.15 and not self.in_window(x.id, dt)
                ]
                if who and self.ok_date(dt):
                    self.add(
                        Entry(
                            dt,
                            "A02",
                            who,
                            note=f"到居住地社区报到并参加服务（{quarter_name(q)}）",
                            evidence="社区报到服务记录",
                        )
                    )
        # 防汛
        if y == 2025:
            dt = wd(2025, 7, 22 + i % 3)
            who = [x.id for x in self.full() if rng.random() < P[self.tier(x)]["join"] - 0.1]
            if who:
                self.add(
                    Entry(
                        dt,
                        "A08",
                        who,
                        points=Decimal(4),
                        note="参加主汛期防汛抢险值守",
                        evidence="区防汛指挥部值守排班表",
                    )
                )
        else:
            dt = wd(2026, 6, 23 + i % 3)
            who = [x.id for x in self.full() if rng.random() < P[self.tier(x)]["join"] - 0.2]
            if who:
                self.add(
                    Entry(dt, "A08", who, points=Decimal(3), note="参加防汛备汛值守", evidence="区防汛指挥部值守排班表")
                )

    def fee_date(self, m):
        """党费: 每月上旬（避开五一、国庆假期）."""
        return wd(self.year, m, (9 if m == 10 else 6 if m == 5 else 5) + self.i % 4)

    def theme_date(self, m):
        """主题党日: 每月中旬."""
        return wd(self.year, m, 10 + self.i % 5)

    def group_date(self, m):
        """党小组会: 每月下旬（2月避开春节假期）."""
        return wd(self.year, m, (24 + self.i % 3) if m == 2 else (18 + self.i % 5))

    def in_window(self, mid, dt):
        w = self.absent_windows.get(mid)
        return bool(w and w[0] <= dt <= w[1])

    def window_members(self, dt, back=0):
        out = []
        for mid, (a, b) in self.absent_windows.items():
            if a <= dt <= b + timedelta(days=back):
                out.append(mid)
        return out

    # ── scoring estimate for the fill: raw sums here, caps by sitegen.rules.score ──
    def raw_sums(self):
        ids_all = [m.id for m in self.full()]
        sums: dict[str, dict[str, Decimal]] = {}
        vetoes: set[str] = set()

        def give(e: Entry, sign):
            if e.void:
                return
            item = self.scheme.items[e.item]
            pts = e.points if e.points is not None else (item.points or D0)
            members = [x for x in ids_all if x not in e.excluding] if e.members == ALL else e.members
            for mid in members:
                if item.part is Part.VETO:
                    vetoes.add(mid)
                else:
                    s = sums.setdefault(mid, {})
                    s[e.item] = s.get(e.item, D0) + sign * pts

        for e in self.entries:
            if e.corrects is not None:
                give(e.corrects, -1)
            give(e, +1)
        return sums, vetoes

    def estimate(self, sums: dict[str, Decimal]):
        """(base, bonus, deduction, total) of a member's raw item sums, by the rules
        engine's own caps (item, group, part) and clamp."""
        parts = _capped_parts(self.scheme, sums, False)
        return parts.base, parts.bonus, parts.deduction, _total(parts)

    # ── individual bonus entries until each member reaches the tier's target ──
    FILL: dict[str, tuple[str, list[str], list[str] | dict[str, list[str]]]] = {  # item -> (source, [evidence], notes)
        "A01": (
            "党员申报",
            ["志愿服务时长证明（青松志愿服务平台）", "服务单位出具的志愿服务证明"],
            [
                "参加社区垃圾分类督导志愿服务",
                "参加“文明交通”路口劝导志愿服务",
                "到区社会福利院开展助老志愿服务",
                "参加区图书馆周末志愿讲解",
                "参加无偿献血志愿服务",
                "参加城市马拉松赛事志愿服务",
                "参加“银龄课堂”智能手机教学志愿服务",
                "参加防范电信诈骗宣传志愿服务",
                "参加区博物馆周末讲解志愿服务",
            ],
        ),
        "A07": (
            "支部登记",
            ["采纳单位书面回复"],
            {
                "机关": [
                    "关于优化“一件事一次办”流程的建议被单位采纳",
                    "关于规范公文处理的建议被单位采纳",
                    "关于精简会议文件的建议被单位采纳",
                    "关于窗口延时服务的建议被单位采纳",
                ],
                "学校": [
                    "关于优化课后服务安排的建议被学校采纳",
                    "关于校园周边交通疏导的建议被区交警大队采纳",
                    "关于作业分层设计的建议被学校采纳",
                    "关于家校沟通平台的建议被学校采纳",
                ],
                "社区": [
                    "关于老旧小区加装电梯协商机制的建议被街道采纳",
                    "关于增设社区助餐点的建议被街道采纳",
                    "关于非机动车集中充电点选址的建议被社区采纳",
                ],
                "两新": [
                    "关于园区党建联建的建议被街道党工委采纳",
                    "关于员工通勤班车线路的建议被园区管委会采纳",
                    "关于园区食堂错峰就餐的建议被园区管委会采纳",
                ],
            },
        ),
        "A09": (
            "支部登记",
            ["单位通报表扬文件", "获奖证书复印件"],
            {
                "机关": [
                    "获评本单位季度“党员示范岗”",
                    "牵头完成的重点工作受到区政府通报表扬",
                    "在全区政务服务技能比武中获奖",
                    "承办的群众来信办结率和满意度名列前茅，受到通报表扬",
                ],
                "学校": [
                    "获评校级“优秀班主任”",
                    "在全区教学基本功比赛中获奖",
                    "所带班级获评区级“优秀班集体”",
                    "承担的区级课题按期结题并获优秀等次",
                ],
                "社区": [
                    "获评社区“党员先锋岗”",
                    "协助调解邻里纠纷受到街道通报表扬",
                    "牵头楼道环境整治受到街道通报表扬",
                ],
                "两新": [
                    "获评企业“党员先锋岗”",
                    "在行业技能竞赛中获奖",
                    "牵头项目按期交付受到客户书面表扬",
                    "带领班组实现全年安全生产无事故，受到企业表彰",
                ],
            },
        ),
        "A10": (
            "群众证实",
            ["受帮扶群众签字证实", "受帮扶群众及社区证明"],
            [
                "结对帮扶困难家庭，定期上门走访",
                "帮助结对的独居老人办理医保报销",
                "为结对困难学生辅导功课",
                "帮助结对的残疾人家庭申请临时救助",
            ],
        ),
        "A11": (
            "党员申报",
            ["宣讲通知及现场照片", "刊发文章复印件"],
            [
                "在社区“板凳课堂”开展理论宣讲",
                "在区级刊物发表理论学习文章",
                "为青年同事宣讲党的创新理论",
                "在“党员讲堂”作专题分享",
            ],
        ),
        "A12": (
            "群众证实",
            ["受助群众及居委会证明材料", "受助群众感谢信及证明"],
            [
                "雨天护送走失老人回家",
                "拾到钱包归还失主",
                "协助将突发疾病的邻居送医",
                "帮助行动不便的邻居代购生活物资",
                "协助扑灭楼道电动车起火",
                "在公交车上救助突发疾病的乘客",
            ],
        ),
        "A51": (
            "党员申报",
            ["获奖证书复印件"],
            [
                "指导学生在区科技创新大赛中获奖",
                "在区优质课评比中获奖",
                "指导学生社团获区级表彰",
                "指导学生在市中小学生书法比赛中获奖",
            ],
        ),
        "A61": (
            "支部登记",
            ["社区网格服务记录"],
            ["担任楼栋长，参与网格巡查", "参与“红色物业”共建议事", "协助网格员开展入户信息核查"],
        ),
        "A81": ("支部登记", ["青蓝工程结对协议、听课记录"], ["担任“青蓝工程”导师，结对培养青年教师"]),
        "A82": ("支部登记", ["楼栋议事会记录"], ["参加“红色楼栋”议事协商会"]),
        "A83": (
            "党员申报",
            ["专利证书", "项目验收报告"],
            ["参与研发项目通过验收", "获得实用新型专利授权", "牵头技术攻关解决产线难题"],
        ),
    }
    WEIGHTS = {
        "机关": {"A01": 4, "A07": 2, "A09": 3, "A11": 2, "A12": 1},
        "学校": {"A01": 3, "A07": 1, "A09": 3, "A11": 2, "A12": 1, "A51": 3, "A81": 2},
        "社区": {"A01": 5, "A07": 1, "A09": 1, "A10": 3, "A11": 1, "A12": 3, "A61": 3, "A82": 2},
        "两新": {"A01": 4, "A07": 1, "A09": 3, "A10": 1, "A12": 2, "A61": 2, "A83": 3},
    }

    def fill(self, targets: dict[str, tuple[str, Decimal]]):
        """targets: member id -> ('total' | 'bonus', value)."""
        rng = self.rng
        weights = {c: w for c, w in self.WEIGHTS[self.category].items() if c in self.scheme.items}
        for m in self.full() + self.activists():
            if m.id not in targets:
                continue
            kind, goal = targets[m.id]
            for _ in range(40):
                sums, _v = self.raw_sums()
                base, bonus, ded, total = self.estimate(sums.get(m.id, {}))
                have = (
                    total
                    if kind == "total"
                    else (
                        bonus
                        if kind == "bonus"
                        else sum(v for c, v in sums.get(m.id, {}).items() if self.scheme.items[c].part is Part.BONUS)
                    )
                )
                if have >= goal or (kind != "raw" and bonus >= self.scheme.caps.bonus):
                    break
                need = goal - have
                mine = sums.get(m.id, {})
                choices = [
                    c for c in weights if self.scheme.items[c].cap is None or mine.get(c, D0) < self.scheme.items[c].cap
                ]
                if not choices:
                    break
                code = rng.choices(choices, [weights[c] for c in choices])[0]
                item = self.scheme.items[code]
                if item.points is not None:
                    pts = None
                else:
                    assert item.min is not None and item.max is not None  # a ranged item
                    hi = min(item.max, max(item.min, need.to_integral_value()) + (1 if kind == "raw" else 0))
                    pts = Decimal(rng.randint(int(item.min), int(hi)))
                    if item.cap is not None:
                        pts = max(item.min, min(pts, item.cap - mine.get(code, D0)))
                source, evidences, notes = self.FILL[code]
                evidence = rng.choice(evidences)
                if isinstance(notes, dict):
                    notes = notes[self.category]
                dt = self.random_day(m.id)
                self.add(
                    Entry(
                        dt,
                        code,
                        [m.id],
                        points=pts,
                        source="" if source == "支部登记" else source,
                        evidence=evidence,
                        note=rng.choice(notes),
                    )
                )

    def random_day(self, mid):
        start = date(self.year, 1, 6)
        span = (self.last_day() - start).days
        for _ in range(50):
            dt = start + timedelta(days=self.rng.randint(0, span))
            if dt.weekday() < 5 and not self.in_window(mid, dt):
                return dt
        return wd(self.year, 11, 10)

    def targets(self) -> dict[str, tuple[str, Decimal]]:
        out = {}
        for m in self.full() + self.activists():
            t = self.tier(m)
            if self.year == 2025:
                lo, hi = TARGET_2025[t]
                if m.st(self.year) == "入党积极分子":  # no 党费 or 民主评议: a lower, 参照 target
                    lo, hi = lo - 12, hi - 12
                out[m.id] = ("total", Decimal(self.rng.randint(lo, hi)))
            else:
                lo, hi = BONUS_2026[t]
                if m.st(self.year) == "入党积极分子":
                    lo, hi = lo + 6, hi + 6
                out[m.id] = ("bonus", Decimal(self.rng.randint(lo, hi)))
        return out

    # ── quarter records ──
    def default_quarter_dates(self, q: int) -> dict:
        y, i = self.year, self.i
        if q == 4:
            rev = date(y, 12, 29) if i % 2 == 0 else date(y, 12, 30)
            return dict(
                reviewed=rev,
                feedback=next_wd(rev),
                confirmed=date(y + 1, 1, 2),
                start=date(y + 1, 1, 5),
                end=date(y + 1, 1, 9),
                reported=date(y + 1, 1, 9),
            )
        month = 3 * q + 1
        day0 = 9 if q == 3 else 1
        rev = wd(y, month, day0 + i % 4)
        if rev.day < day0:
            rev = next_wd(rev)
        fb = next_wd(rev)
        conf = next_wd(fb, 2)
        start = conf + timedelta(days=1)
        end = start + timedelta(days=6)
        return dict(reviewed=rev, feedback=fb, confirmed=conf, start=start, end=end, reported=next_wd(end))

    def qdates(self, q):
        if q not in self.quarter_dates:
            self.quarter_dates[q] = self.default_quarter_dates(q)
        return self.quarter_dates[q]

    def published_quarters(self):
        return (1, 2, 3, 4) if self.year == 2025 else (1, 2, 3)


# ───────────────────────────── the scripted special cases ─────────────────────────────


def find(by: BranchYear, item: str, month: int, *, note_has: str = "", members_all=None) -> Entry:
    for e in by.entries:
        if e.item == item and e.date.month == month and note_has in e.note and not e.corrects:
            if members_all is None or (e.members == ALL) == members_all:
                return e
    raise LookupError(f"{by.b.id} {by.year}: no {item} in month {month} ({note_has})")


def before(by: BranchYear):
    """Special cases that shape the regular calendar (forced absences)."""
    b, y = by.b.id, by.year
    if b == "jyjjg" and y == 2025:
        # M0107 无故缺席5月党小组会（后来申辩，维持）
        by.forced[("M0107", by.group_date(5))] = "unexcused"
    if b == "syxx1" and y == 2025:
        by.absent_windows["M0209"] = (date(2025, 3, 1), date(2025, 6, 30))
    if b == "dyzx" and y == 2025:
        by.forced[("M0408", by.theme_date(12))] = "leave"
    if b == "hxsq" and y == 2025:
        by.forced[("M0704", by.theme_date(3))] = "leave"
    if b == "shzz" and y == 2025:
        for m in (3, 5, 8):
            by.forced[("M0905", by.group_date(m))] = "unexcused"
        for m in (4, 5, 6, 8):
            by.forced[("M0905", by.fee_date(m))] = "late"


def after(by: BranchYear):
    """Scripted entries, appeals, corrections and restricted records (before the fill)."""
    b, y = by.b.id, by.year
    R = by.restricted
    if b == "jyjjg" and y == 2025:
        d01 = next(e for e in by.entries if e.item == "D01" and e.members == ["M0107"] and e.date.month == 5)
        d01.comment.append(
            "下面这条扣分，M0107 在第二季度反馈时提出申辩，经核实维持原登记（申辩结果“维持”，见 quarters/q2.yaml）"
        )
        qd = by.qdates(2)
        by.appeals.setdefault(2, []).append(
            dict(
                id="2025-S01",
                member="M0107",
                entry=d01,
                filed=qd["feedback"],
                outcome="维持",
                decided=qd["confirmed"],
                comment="申辩不成立：维持原登记，不写 correction",
            )
        )
        R["appeals"]["2025-S01"] = (
            "本人称会前已向党小组长口头请假。经向党小组长核实，会前未收到请假，会后也未补办请假手续，维持原登记。"
        )
        R["reminders"].append(
            dict(
                member="M0107",
                date=d("2025-10-16"),
                summary="前三季度两次缺席组织生活，支部书记当面提醒其严格遵守请假制度，本人表示接受。",
            )
        )
    if b == "jyjjg" and y == 2026:
        R["reminders"].append(
            dict(
                member="M0110",
                date=d("2026-07-09"),
                summary="上半年学习任务完成不及时，组织委员提醒其按期完成网上党校学时。",
            )
        )
        R["reminders"].append(
            dict(
                member="M0107",
                date=d("2026-10-15"),
                summary="前三季度积分在支部排名靠后，支部书记谈心提醒，帮助其分析原因、制定第四季度改进安排。",
            )
        )

    if b == "syxx1" and y == 2025:
        by.add(
            Entry(
                d("2025-06-27"),
                "A05",
                ["M0203"],
                note="获评全市优秀共产党员",
                evidence="青松市委表彰决定（虚构）",
                comment=[
                    "M0203 同年获得市级（6分）和省级（10分）表彰，合计16分；",
                    "两项同属“获得表彰”分组（G01），分组上限15分，只计15分",
                ],
            )
        )
        by.add(Entry(d("2025-09-10"), "A04", ["M0203"], note="获评全省优秀教师", evidence="省教育厅表彰文件（虚构）"))
        by.add(
            Entry(
                d("2025-03-03"),
                "A07",
                ["M0209"],
                points=Decimal(2),
                note="关于对口帮扶学校课程共建的建议被区教育局采纳",
                evidence="区教育局书面回复",
            )
        )
        by.final.append(
            (
                "M0209",
                "良好",
                "2025年3月至6月受组织选派赴对口帮扶学校支教，期间按规定请假、未能参加本支部组织生活"
                "（在支教地临时党支部参加活动），积分等次为合格；民主测评为优秀。经支部委员会综合分析研判，"
                "评定为良好。",
            )
        )
        by.rating_override["M0209"] = "优秀"
        R["reminders"].append(
            dict(
                member="M0207",
                date=d("2025-07-08"),
                summary="上半年志愿服务和联系群众积分偏少，支部书记提醒其积极参加社区报到服务。",
            )
        )
    if b == "syxx1" and y == 2026:
        for mid, dt in (("M0201", "2026-03-10"), ("M0205", "2026-03-10"), ("M0210", "2026-03-10")):
            by.add(
                Entry(
                    d(dt),
                    "A81",
                    [mid],
                    note="担任“青蓝工程”导师，结对培养青年教师",
                    evidence="青蓝工程结对协议",
                    comment="本支部年初设定的新增项目 A81（见 2026/scheme.yaml）" if mid == "M0201" else (),
                )
            )
        by.add(
            Entry(
                d("2026-06-30"),
                "A13",
                ["M0201"],
                note="担任入党积极分子罗子涵的培养联系人，按期完成考察记录",
                evidence="培养考察记录",
            )
        )

    if b == "syxx2" and y == 2025:
        e = find(by, "A01", 9, note_has="护学岗")
        if "M0306" in e.members:
            e.members.remove("M0306")
        e.note += "（出勤按签到表登记）"
        fix = Entry(
            d("2025-10-24"),
            "A01",
            sorted(e.members + ["M0306"]),
            points=e.points,
            corrects=e,
            reason="核对护学岗签到表，发现漏记许天佑（M0306），补记",
            comment=[
                "更正一条已公示季度的条目：第三季度已于10月公示，已公示的结果不改写；",
                "更正条目写 corrects 和 reason，按本条日期计入第四季度",
            ],
        )
        by.add(fix)
        by.add(Entry(d("2025-04-22"), "A06", ["M0304"], note="获评区优秀共产党员", evidence="区委表彰决定（虚构）"))
    if b == "syxx2" and y == 2026:
        by.add(
            Entry(
                d("2026-06-30"),
                "A13",
                ["M0301"],
                note="担任发展对象严嘉怡的培养联系人，按期完成考察记录",
                evidence="培养考察记录",
            )
        )

    if b == "dyzx" and y == 2025:
        e = find(by, "B02", 12, members_all=True)
        qd = by.qdates(4)
        fix = Entry(
            d("2026-01-02"),
            "B02",
            ALL,
            excluding=[x for x in e.excluding if x != "M0408"],
            corrects=e,
            reason="经申辩核实，于宇航当日带队参加全市中学生科技竞赛，已书面请假并按要求补学，视同参加",
            note="更正12月主题党日出勤",
            file_q=4,
            comment=[
                "第四季度申辩成立（见 quarters/q4.yaml）。更正日期在次年1月，按规定仍写在 2025 年 q4.yaml，",
                "并且第四季度公示尚未开始，所以计入第四季度",
            ],
        )
        by.add(fix)
        by.appeals.setdefault(4, []).append(
            dict(
                id="2025-S01",
                member="M0408",
                entry=e,
                filed=d("2025-12-31"),
                outcome="更正",
                decided=d("2026-01-02"),
                correction=fix,
                comment="申辩成立：correction 指向台账里的更正条目（日期在次年1月，仍写在 2025 年 q4.yaml）",
            )
        )
        R["appeals"]["2025-S01"] = (
            "本人12月带队参加全市中学生科技竞赛，事前已书面请假，返校后按要求补学，认为应视同参加。"
        )
        by.add(Entry(d("2025-06-27"), "A06", ["M0401"], note="获评区优秀党务工作者", evidence="区委表彰决定（虚构）"))
    if b == "dyzx" and y == 2026:
        R["reminders"].append(
            dict(
                member="M0410",
                date=d("2026-07-10"),
                summary="上半年两次因个人事务请假缺席组织生活，支部书记提醒其合理安排时间。",
            )
        )

    if b == "jdjg" and y == 2025:
        by.final.append(
            (
                "M0507",
                "良好",
                "民主测评中群众对其窗口服务态度意见较多，测评结果为基本合格。经支部委员会综合分析研判，"
                "年度评定为良好，并已当面反馈、督促改进。",
            )
        )
        by.rating_override["M0507"] = "基本合格"
        by.add(Entry(d("2025-06-27"), "A06", ["M0501"], note="获评区优秀共产党员", evidence="区委表彰决定（虚构）"))
        R["reminders"].append(
            dict(
                member="M0505",
                date=d("2025-10-14"),
                summary="前三季度贡献加分较少，支部书记与其谈心，鼓励积极参加包联社区服务。",
            )
        )
    if b == "jdjg" and y == 2026:
        R["reminders"].append(
            dict(
                member="M0505",
                date=d("2026-10-13"),
                summary="前三季度积分在支部末位，支部书记提醒其按时参加组织生活、积极参加包联社区服务。",
            )
        )
        e = by.add(
            Entry(
                wd(2026, 3, 27),
                "A08",
                ["M0501", "M0509", "M0502", "M0506"],
                points=Decimal(3),
                note="清明前森林防火值守",
                evidence="街道森林防火值守排班表",
            )
        )
        qd = by.qdates(1)
        filed = qd["start"] + timedelta(days=3)
        decided = next_wd(filed)
        fix = Entry(
            decided,
            "A08",
            ["M0501", "M0502", "M0503", "M0506", "M0509"],
            points=Decimal(3),
            corrects=e,
            reason="经核实排班表，丁文斌（M0503）参加了3月27日值守，原登记漏记，补记",
            comment=[
                "第一季度公示期间（公示已开始）提出的异议：申辩成立，但第一季度已公示，",
                "更正计入本条日期所在的第二季度（见 quarters/q1.yaml 申辩 2026-S01）",
            ],
        )
        by.add(fix)
        by.appeals.setdefault(1, []).append(
            dict(
                id="2026-S01",
                member="M0503",
                entry=e,
                filed=filed,
                outcome="更正",
                decided=decided,
                correction=fix,
                comment="公示期间提出的异议：处理后更正条目计入第二季度",
            )
        )
        R["appeals"]["2026-S01"] = "本人3月27日参加了森林防火值守，排班表有签名，公示名单中漏记。"

    if b == "lysq":
        for m in by.members:
            if y in m.exempt:
                a, ap, f, kind, note = m.exempt[y]
                R["exemptions"][m.id] = dict(kind=kind, note=note)
        R["contacts"]["M0611"] = dict(phone="13800000611", address="科技园区员工公寓3号楼")
        R["contacts"]["M0612"] = dict(phone="13800000612", address="柳荫社区5栋2单元101室（送学上门）")
        if y == 2025:
            R["reminders"].append(
                dict(member="M0609", date=d("2025-07-10"), summary="上半年两次缺席主题党日，社区党支部书记上门提醒。")
            )
        else:
            R["reminders"].append(
                dict(
                    member="M0605",
                    date=d("2026-10-16"),
                    summary="前三季度多次请假、一次无故缺席，积分在支部靠后，支部书记上门谈心提醒。",
                )
            )
    if b == "hxsq" and y == 2025:
        e = find(by, "B02", 3, members_all=True)
        qd = by.qdates(1)
        fix = Entry(
            qd["confirmed"],
            "B02",
            ALL,
            excluding=[x for x in e.excluding if x != "M0704"],
            corrects=e,
            reason="经申辩核实，秦玉珍当日参加了主题党日，签到表有本人签名，原登记有误",
            note="更正3月主题党日出勤",
            comment=[
                "第一季度申辩成立（见 quarters/q1.yaml）：更正日期在公示开始之前，",
                "所以虽然写在第二季度台账里，仍计入第一季度",
            ],
        )
        by.add(fix)
        by.appeals.setdefault(1, []).append(
            dict(
                id="2025-S01",
                member="M0704",
                entry=e,
                filed=qd["feedback"],
                outcome="更正",
                decided=qd["confirmed"],
                correction=fix,
                comment="申辩成立：correction 指向台账里的更正条目；公示前处理完毕，更正计入本季度",
            )
        )
        R["appeals"]["2025-S01"] = "本人3月主题党日到场参加，签到表上有本人签名，请予核实。"
        # 重复登记，作废
        fee = find(by, "B03", 5)
        dup = by.add(
            Entry(
                fee.date,
                "B03",
                ALL,
                note=fee.note + "（重复）",
                comment="这一条与上一条重复登记，已由下面的更正条目作废（void）",
            )
        )
        by.add(
            Entry(
                wd(2025, 5, 26),
                "",
                [],
                corrects=dup,
                void=True,
                reason="与同日党费登记重复，作废",
                comment="作废更正：void: true，被作废条目的积分全部收回",
            )
        )
        R["reminders"].append(
            dict(
                member="M0709",
                date=d("2025-07-11"),
                summary="上半年积分在支部靠后，支部书记谈心提醒，帮助其安排参加志愿服务。",
            )
        )
        by.add(Entry(d("2025-06-27"), "A06", ["M0701"], note="获评区优秀共产党员", evidence="区委表彰决定（虚构）"))
    if b == "hxsq" and y == 2026:
        R["reminders"].append(
            dict(
                member="M0709",
                date=d("2026-10-14"),
                summary="前三季度两次无故缺席组织生活，积分在支部末位，支部书记再次谈心提醒。",
            )
        )
    if b == "hxsq":
        R["exemptions"]["M0713"] = dict(kind="年满70周岁", note="1953年出生")
        R["contacts"]["M0712"] = dict(phone="13800000712", address="和西社区8栋1单元602室")

    if b == "kjy" and y == 2025:
        by.add(
            Entry(
                d("2025-08-15"),
                "V01",
                ["M0806"],
                note="区纪委监委处分决定：给予留党察看一年处分",
                evidence="青纪处〔2025〕21号（虚构）",
                comment=["一票否决：V01 记入台账即判定年度等次为不合格，不论积分多少；", "一票否决项目不写 points"],
            )
        )
        R["talks"].append(
            dict(
                member="M0806",
                date=d("2025-08-20"),
                by="钟伟",
                summary="处分决定宣布后，支部书记与其谈心谈话，讲明留党察看期间的权利义务和改正要求。",
            )
        )
        R["talks"].append(
            dict(
                member="M0806",
                date=d("2026-01-08"),
                by="钟伟",
                summary="年度评定为不合格，支部书记与其谈话，指出问题，明确整改要求，本人表示接受。",
            )
        )
        R["mentoring"].append(
            dict(
                member="M0806",
                helper="陆浩",
                start=d("2026-01-08"),
                plan="每月谈心一次，督促按时参加组织生活、完成学习任务，每季度向支部报告思想和工作情况。",
            )
        )
        by.add(
            Entry(
                d("2025-11-14"),
                "A05",
                ["M0801"],
                note="获评全市非公企业优秀党务工作者",
                evidence="市委两新工委表彰文件（虚构）",
            )
        )
    if b == "kjy" and y == 2026:
        by.add(
            Entry(
                d("2026-06-30"),
                "A13",
                ["M0801"],
                note="担任入党积极分子付博文的培养联系人，按期完成考察记录",
                evidence="培养考察记录",
            )
        )
        R["talks"].append(
            dict(
                member="M0806",
                date=d("2026-07-09"),
                by="钟伟",
                summary="帮教半年回访：按时参加组织生活，完成学习任务，思想认识有明显提高。",
            )
        )
        R["mentoring"].append(
            dict(member="M0806", helper="陆浩", start=d("2026-01-08"), plan="延续2025年度帮教安排，至留党察看期满。")
        )
        by.add(
            Entry(
                wd(2026, 9, 8),
                "D03",
                ["M0810"],
                points=Decimal(1),
                note="承担的党建联络工作未按时完成，受到支部通报",
                evidence="支部通报",
                comment="D03 按本支部细化后的范围（1—3分）取值",
            )
        )
    if b == "kjy":
        R["contacts"]["M0611"] = dict(phone="13800000611", address="科技园区员工公寓3号楼")

    if b == "shzz" and y == 2025:
        by.add(
            Entry(
                wd(2025, 9, 16),
                "D03",
                ["M0905"],
                points=Decimal(2),
                note="承担的党建联络工作多次未按时完成，受到支部通报",
                evidence="支部通报",
            )
        )
        for dt, note in (("2025-06-09", "无正当理由拖欠4月、5月党费"), ("2025-09-08", "无正当理由拖欠8月党费")):
            by.add(Entry(d(dt), "D02", ["M0905"], note=note, evidence="党费收缴登记表"))
        qd = by.qdates(2)
        by.appeals.setdefault(2, []).append(
            dict(
                id="2025-S01",
                member="M0905",
                matter="对第二季度积分偏低提出问询",
                filed=qd["feedback"],
                outcome="维持",
                decided=qd["confirmed"],
                comment="不针对具体条目的问询：写 matter，不写 entry",
            )
        )
        R["appeals"]["2025-S01"] = "本人认为工作繁忙，缺席应当算请假。经核对，缺席前后均未请假，党费逾期未交，维持。"
        R["reminders"].append(
            dict(
                member="M0905",
                date=d("2025-05-14"),
                summary="一季度起多次缺席党小组会，组织委员电话提醒其按时参加组织生活、按月交纳党费。",
            )
        )
        R["reminders"].append(
            dict(
                member="M0905",
                date=d("2025-08-27"),
                summary="支部书记当面督促提醒：上半年积分不足，如不改进年度可能评为不合格。",
            )
        )
        R["talks"].append(
            dict(
                member="M0905",
                date=d("2026-01-07"),
                by="戴文涛",
                summary="年度评定为不合格，支部书记与其谈话，分析原因，本人承认问题并作出书面承诺。",
            )
        )
        R["mentoring"].append(
            dict(
                member="M0905",
                helper="向丽君",
                start=d("2026-01-07"),
                plan="结对帮教一年：每月提醒组织生活和党费，每季度谈心一次，帮助其制定改进计划。",
            )
        )
    if b == "shzz" and y == 2026:
        e = by.add(
            Entry(
                wd(2026, 6, 19),
                "A01",
                ["M0901", "M0904", "M0906"],
                points=Decimal(2),
                note="协助社区转移低洼地带群众",
                evidence="社区证明",
            )
        )
        fix = Entry(
            wd(2026, 7, 21),
            "A08",
            ["M0901", "M0904", "M0906"],
            points=Decimal(4),
            corrects=e,
            reason="经街道防汛办核实，该任务属于防汛抢险，应按“参加急难险重任务”（A08）登记",
            comment=[
                "更正已公示季度的条目并改换积分项目：第二季度已公示，",
                "A01 的2分在第三季度收回，A08 的4分计入第三季度",
            ],
        )
        by.add(fix)
        R["mentoring"].append(
            dict(member="M0905", helper="向丽君", start=d("2026-01-07"), plan="延续2025年度帮教安排。")
        )
        R["talks"].append(
            dict(
                member="M0905",
                date=d("2026-07-08"),
                by="戴文涛",
                summary="帮教半年回访：上半年未再出现无故缺席和拖欠党费，但请假次数仍较多，提醒其合理安排工作时间。",
            )
        )
    if b == "shzz":
        R["contacts"]["M0909"] = dict(phone="13800000909", address="云岚市高新区（虚构）人才公寓")

    if b == "syxx2":
        R["exemptions"]["M0310"] = dict(kind="长期患病", note="长期病休治疗")


# ───────────────────────────── later in the year ─────────────────────────────
# What branches recorded in autumn 2026, after the ledgers above were grown: a member
# exempted, floated out, left, admitted or transferred, and a 群众意见 during a 公示.
# None of it changes a generated ledger or a published quarter; it is written into the
# roster, the quarter record and the restricted file as the secretary added it.

Fields = list[tuple[str, Any]]  # a mapping: key, then a Value, a mapping or a list of mappings


@dataclass
class Later:
    """Roster lines added to one member: `comment` above their entry, then `fields`
    (a nested mapping when the value is a list of pairs, e.g. exempt:) after status."""

    comment: list[str]
    fields: Fields


@dataclass
class Joined:
    """A member added at the end of a roster during the year."""

    comment: list[str]
    fields: Fields


def _field_lines(key: str, v, indent: str) -> list[str]:
    if isinstance(v, list) and v and isinstance(v[0], list):  # a list of mappings
        return [f"{indent}{key}:"] + [line for item in v for line in block(item, indent + "  ", item=True)]
    if isinstance(v, list) and v and isinstance(v[0], tuple):  # a mapping
        return [f"{indent}{key}:"] + block(v, indent + "  ")
    return block([(key, v)], indent)


ROSTER_LATER: dict[tuple[str, int], dict[str, Later]] = {
    ("dyzx", 2026): {
        "M0410": Later(
            [
                "年内不纳入积分管理：2026年10月本人申请（长期患病），支部研究同意，11月10日上级党委备案。",
                "从备案之日起不纳入积分管理：第一至三季度的积分照常公示、不变；从第四季度起列为“不纳入积分管理”，不评定等次。",
            ],
            [("exempt", [("applied", d("2026-10-26")), ("approved", d("2026-11-03")), ("filed", d("2026-11-10"))])],
        )
    },
    ("jdjg", 2026): {
        "M0511": Later(
            [
                "年内流出：2026年11月1日起外出务工，在科技园企业联合支部参加组织生活（那边写流入，同一编号、同一个 since）。",
                "11月1日以前由本支部积分，第一至三季度照常公示；此后由流入支部积分，本支部列为“流出”，不评定等次。",
            ],
            [("floating", [("direction", "流出"), ("branch", "kjy"), ("since", d("2026-11-01"))])],
        )
    },
    ("kjy", 2026): {
        "M0804": Later(
            [
                "年内离开：2026年10月10日组织关系转往区外单位。此前的积分照常公示；",
                "离开之后的活动不再记分，不参加本支部年度评定（页面上写“离开本支部”）。",
            ],
            [("left", d("2026-10-10")), ("leave", "转出")],
        ),
        "M0812": Later(
            [
                "年内吸收入党：入党积极分子，2026年10月20日经支部党员大会讨论接收为预备党员。",
                "此前参照积分、单独排名；此后按预备党员积分，“全体”活动从这一天起包括他。",
            ],
            [("changes", [[("date", d("2026-10-20")), ("status", "预备党员")]])],
        ),
    },
    ("lysq", 2026): {
        "M0609": Later(
            [
                "年内转出：2026年10月12日组织关系转往科技园企业联合支部（那边写 joined 和 join: 转入，用同一编号）。",
                "转出当天起由科技园支部积分，两段时间不重叠；第一至三季度照常在本支部公示。不参加本支部年度评定。",
                "（转接发生在已公示的季度里时也这样写日期，但要在那个季度公示之前登记；公示之后再补登，",
                " 已公示的名单就变了，sitegen check 会报 E1008。）",
            ],
            [("left", d("2026-10-12")), ("leave", "转出")],
        )
    },
}
ROSTER_JOINED: dict[tuple[str, int], list[Joined]] = {
    ("kjy", 2026): [
        Joined(
            [
                "年内转入：原在柳荫社区支部，2026年10月12日组织关系转入本支部（柳荫社区支部名册写 left 和 leave: 转出）。",
                "从这一天起由本支部积分；第一至三季度不在本支部的公示表里。在本支部不足 6 个月，不参加本年度评定。",
            ],
            [
                ("id", "M0609"),
                ("name", "董桂英"),
                ("status", "正式党员"),
                ("joined", d("2026-10-12")),
                ("join", "转入"),
            ],
        ),
        Joined(
            [
                "年内入党：2026年11月5日经支部党员大会讨论接收为预备党员。加入之前的季度（已公示的第一至三季度）",
                "不列入、不记分；11月5日以后的“全体”活动自动包括她。在本支部不足 6 个月，不参加本年度评定。",
            ],
            [
                ("id", "M0813"),
                ("name", "白晓雪"),
                ("status", "预备党员"),
                ("joined", d("2026-11-05")),
                ("join", "入党"),
            ],
        ),
        Joined(
            [
                "年内流入：机关街道支部的陆志华 2026年11月1日起流入本支部（那边写流出，同一个 since）。",
                "11月1日起由本支部积分；此前不在本支部的公示表里。在本支部不足 6 个月，列为“年内流入，不参加本年度评定”。",
            ],
            [
                ("id", "M0511"),
                ("name", "陆志华"),
                ("status", "正式党员"),
                ("floating", [("direction", "流入"), ("branch", "jdjg"), ("since", d("2026-11-01"))]),
            ],
        ),
    ],
}
# (branch, year, quarter) -> a 群众意见 during the 公示, written after `confirmed:`
QUARTER_LATER: dict[tuple[str, int, int], tuple[list[str], list[Fields]]] = {
    ("hxsq", 2026, 3): (
        [
            "公示期间社区群众反映的意见（群众可以匿名：是谁、理由都不写在这里，理由记在不公开记录里）。",
            "公示期间提出的意见不影响确认和公示，处理期间网站上显示“受理中”；调查核实后写处理结果。",
        ],
        [
            [
                ("id", "2026-Q3-Y1"),
                ("by", "群众"),
                ("member", "M0705"),
                ("matter", "群众对邱文华第三季度志愿服务时长登记提出疑问"),
                ("filed", d("2026-10-18")),
                ("outcome", "维持"),
                ("decided", d("2026-10-21")),
            ]
        ],
    )
}
# (branch, year) -> restricted records added later: section -> (label for a new section, records)
RESTRICTED_LATER: dict[tuple[str, int], dict[str, tuple[str, dict]]] = {
    ("dyzx", 2026): {
        "exemptions": (
            "不纳入积分管理的原因（不公开）",
            {"M0410": dict(kind="长期患病", note="2026年10月确诊需长期治疗，本人申请")},
        )
    },
    ("hxsq", 2026): {
        "appeals": (
            "申辩、群众意见的理由",
            {
                "2026-Q3-Y1": "群众认为国庆期间社区服务站的值守时长登记偏多；经核对签到表和服务站值班记录，登记无误，维持。"
            },
        )
    },
}


# ───────────────────────────── writing files ─────────────────────────────


def write(path: Path, text: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def entry_yaml(e: Entry) -> str:
    out = [f"  # {c}" for c in e.comment]
    pairs: list[tuple[str, Value]] = [("id", e.id), ("date", e.date)]
    if e.corrects is not None:
        pairs.append(("corrects", e.corrects.id))
    if e.void:
        pairs.append(("void", True))
    if e.item and not (e.corrects is not None and e.item == e.corrects.item and e.void):
        pairs.append(("item", e.item))
    if e.members == ALL:
        pairs.append(("members", ALL))
        if e.excluding:
            pairs.append(("excluding", e.excluding))
    elif e.members:
        pairs.append(("members", e.members))
    if e.points is not None:
        pairs.append(("points", Decimal(e.points)))
    for key, text in (("source", e.source), ("evidence", e.evidence), ("note", e.note), ("reason", e.reason)):
        if text:
            pairs.append((key, text))
    return "\n".join(out + block(pairs, "  ", item=True))


def period_yaml(start, end, scope, contact, indent="  "):
    return (
        f"{indent}start: {start}\n{indent}end: {end}\n{indent}scope: {scalar(scope)}\n"
        f"{indent}contact: {scalar(contact)}\n"
    )


def emit(by: BranchYear, folder: Path):
    b, y = by.b, by.year
    # roster
    lines = [f"# {b.short} {y}年党员名册（按党员编号排列）", "members:"]
    later = ROSTER_LATER.get((b.id, y), {})
    for m in by.members:
        comment = m.comment.get(y) or m.comment.get("all")
        if comment:
            lines.append(f"  # {comment}")
        if m.id in later:
            lines += [f"  # {c}" for c in later[m.id].comment]
        lines.append(f"  - id: {m.id}")
        lines.append(f"    name: {m.name}")
        lines.append(f"    status: {m.st(y)}")
        if y in m.exempt:
            a, ap, f, _kind, _note = m.exempt[y]
            lines += ["    exempt:", f"      applied: {a}", f"      approved: {ap}", f"      filed: {f}"]
        if y in m.floating:
            direction, br, org = m.floating[y]
            lines += ["    floating:", f"      direction: {direction}"]
            lines.append(f"      branch: {br}" if br else f"      org: {org}")
        if m.id in later:
            lines += [line for key, v in later[m.id].fields for line in _field_lines(key, v, "    ")]
    for joined in ROSTER_JOINED.get((b.id, y), []):
        lines += [f"  # {c}" for c in joined.comment]
        first, *rest = joined.fields
        lines += block([first], "  ", item=True)
        lines += [line for key, v in rest for line in _field_lines(key, v, "    ")]
    write(folder / "roster.yaml", "\n".join(lines) + "\n")
    write(folder / "scheme.yaml", by.plan_text())

    # ledger
    entries = sorted(by.entries, key=lambda e: (e.date, by.entries.index(e)))
    for n, e in enumerate(entries, start=1):
        e.id = f"{y}-{n:03d}"
    files: dict[int, list[Entry]] = {}
    for e in entries:
        q = e.file_q or quarter_of(e.date)
        files.setdefault(q, []).append(e)
    for q, es in sorted(files.items()):
        head = [
            f"# {b.short} {y}年{quarter_name(q)}积分台账",
            "# members: 全体 = 本支部参加积分管理的正式党员和预备党员（不含入党积极分子、不纳入积分管理和流出的党员）；",
            "# excluding 列出未参加的党员。入党积极分子参加的活动单独登记。",
        ]
        if y == 2026 and q == 4:
            head.append("# 第四季度进行中：台账登记到11月20日，尚未汇总审核。")
        write(
            folder / "ledger" / f"q{q}.yaml",
            "\n".join(head) + "\nentries:\n" + "\n".join(entry_yaml(e) for e in es) + "\n",
        )

    # quarter records
    for q in by.published_quarters():
        qd = by.qdates(q)
        out = [
            f"# {b.short} {y}年{quarter_name(q)}：汇总审核 → 逐人反馈 → 申辩、问询 → 确认 → 公示 → 报党(工)委备案",
            f"reviewed: {qd['reviewed']}",
            f"feedback: {qd['feedback']}",
        ]
        appeals = by.appeals.get(q, [])
        if appeals:
            out.append("appeals:")
            for a in appeals:
                if a.get("comment"):
                    out.append(f"  # {a['comment']}")
                out.append(f"  - id: {a['id']}")
                out.append(f"    member: {a['member']}")
                if a.get("entry") is not None:
                    out.append(f"    entry: {a['entry'].id}")
                if a.get("matter"):
                    out.append(f"    matter: {scalar(a['matter'])}")
                out.append(f"    filed: {a['filed']}")
                out.append(f"    outcome: {a['outcome']}")
                out.append(f"    decided: {a['decided']}")
                if a.get("correction") is not None:
                    out.append(f"    correction: {a['correction'].id}")
        out.append(f"confirmed: {qd['confirmed']}")
        if (b.id, y, q) in QUARTER_LATER:
            comment, later_appeals = QUARTER_LATER[(b.id, y, q)]
            out += [f"# {c}" for c in comment] + ["appeals:"]
            out += [line for a in later_appeals for line in block(a, "  ", item=True)]
        out.append("publicity:")
        out.append(period_yaml(qd["start"], qd["end"], b.scope, b.contact).rstrip("\n"))
        out.append(f"reported: {qd['reported']}")
        write(folder / "quarters" / f"q{q}.yaml", "\n".join(out) + "\n")


def emit_year_end(by: BranchYear, folder: Path, results):
    """2025 year end: 民主测评 for every scored member, 综合评定, 公示, 报备."""
    rng = random.Random(f"rating-{by.b.id}")
    lines = [
        f"# {by.b.short} 2025年度综合评定：民主测评 → 综合分析研判 → 公示 → 报党(工)委备案",
        f"# 民主测评与组织生活会、民主评议党员同日进行（{by.review_day}）。",
        f"evaluated: {by.review_day}",
        "ratings:",
    ]
    notes = []
    for m in by.full() + by.activists():
        r = results[m.id]
        if r.vetoed:
            notes.append(f"# {m.id} 有一票否决事项，积分 {r.total} 分，等次仍为不合格（不需要也不允许改评）")
    if by.activists():
        notes.append("# 入党积极分子参照党员进行测评，结果作为确定发展对象的依据")
    lines[3:3] = notes
    for m in by.full() + by.activists():
        r = results[m.id]
        if m.id in by.rating_override:
            rating = by.rating_override[m.id]
        elif r.vetoed:
            rating = "不合格"
        elif r.grade.value == "优秀":
            rating = "优秀" if rng.random() < 0.85 else "合格"
        elif r.grade.value == "良好":
            rating = "优秀" if rng.random() < 0.3 else "合格"
        elif r.grade.value == "合格":
            rating = "合格" if rng.random() < 0.85 else "基本合格"
        else:
            rating = "基本合格"
        lines.append(f"  {m.id}: {rating}")
    lines.append("assessed: 2026-01-05")
    if by.final:
        lines.append("# 综合评定与积分等次不同的，必须写明理由；一票否决的只能评为不合格")
        lines.append("final:")
        for mid, grade, reason in by.final:
            lines += [f"  - member: {mid}", f"    grade: {grade}", f"    reason: {scalar(reason)}"]
    lines.append("publicity:")
    lines.append(period_yaml("2026-01-05", "2026-01-09", by.b.scope, by.b.contact).rstrip("\n"))
    lines.append("reported: 2026-01-09")
    write(folder / "year-end.yaml", "\n".join(lines) + "\n")


def emit_restricted(by: BranchYear):
    R = by.restricted
    if not any(R.values()):
        return
    labels = {}
    for key, (label, records) in RESTRICTED_LATER.get((by.b.id, by.year), {}).items():
        if not R[key]:
            labels[key] = f"  # {label}"
        R[key].update(records)
    out = [f"# 不公开记录（专卷保存）：{by.b.short} {by.year}年。只供 sitegen check 核对，不会发布。"]
    if R["exemptions"]:
        out.append("exemptions:" + labels.get("exemptions", ""))
        for mid, x in R["exemptions"].items():
            out += [f"  {mid}:", f"    kind: {x['kind']}", f"    note: {scalar(x['note'])}"]
    if R["appeals"]:
        out.append("appeals:" + labels.get("appeals", ""))
        for aid, reason in R["appeals"].items():
            out.append(f"  {aid}: {scalar(reason)}")
    if R["contacts"]:
        out.append("contacts:")
        for mid, c in R["contacts"].items():
            out += [f"  {mid}:", f'    phone: "{c["phone"]}"', f"    address: {scalar(c['address'])}"]
    for key, label in (("talks", "谈话"), ("mentoring", "帮教"), ("reminders", "督促提醒")):
        if R[key]:
            out.append(f"{key}:  # {label}")
            for rec in R[key]:
                first = True
                for k in ("member", "date", "by", "helper", "start", "summary", "plan"):
                    if k in rec:
                        v = rec[k]
                        v = v.isoformat() if isinstance(v, date) else scalar(v)
                        out.append(f"  {'- ' if first else '  '}{k}: {v}")
                        first = False
    write(CONTENT / "restricted" / by.b.id / f"{by.year}.yaml", "\n".join(out) + "\n")


def emit_branch_info(spec: BranchSpec, folder: Path):
    leader = spec.members[0].name
    recorder = spec.members[1].name
    text = [
        f"# {spec.short}（{spec.category}）",
        f"name: {spec.name}",
        f"short_name: {spec.short}",
        f"category: {spec.category}",
        f"leader: {leader}",
        f"recorder: {recorder}",
    ]
    if spec.general_branch:
        text.insert(1, "# 隶属党总支：实验小学第一支部、第二支部同属实验小学党总支（general_branch）")
        text.append(f"general_branch: {spec.general_branch}")
    write(folder / "branch.yaml", "\n".join(text) + "\n")


# ───────────────────────────── main ─────────────────────────────


def load_layers():
    schemes = {}
    for y in YEARS:
        path = f"scheme/{y}.yaml"
        value, problems = parse("scheme", path, (CONTENT / path).read_bytes())
        assert value is not None and not [p for p in problems if p.is_error], problems
        schemes[y] = value
    rules = {}
    for cdir in sorted((CONTENT / "committees").iterdir()):
        for f in sorted((cdir / "scheme").glob("*.yaml")) if (cdir / "scheme").is_dir() else []:
            value, problems = parse("rules", str(f), f.read_bytes())
            assert value is not None and not problems, problems
            rules[(cdir.name, int(f.stem))] = value
    return schemes, rules


def main():
    schemes, rules = load_layers()
    for spec in BRANCHES:
        bdir = CONTENT / "committees" / spec.committee / "branches" / spec.id
        for y in YEARS:
            shutil.rmtree(bdir / str(y), ignore_errors=True)
        shutil.rmtree(CONTENT / "restricted" / spec.id, ignore_errors=True)  # not those of hand-added branches

    made: list[BranchYear] = []
    for spec in BRANCHES:
        bdir = CONTENT / "committees" / spec.committee / "branches" / spec.id
        emit_branch_info(spec, bdir)
        for y in YEARS:
            by = BranchYear(spec, y, schemes[y], rules.get((spec.committee, y)))
            before(by)
            by.calendar()
            after(by)
            targets = by.targets()
            if spec.id == "syxx1" and y == 2025:
                targets["M0203"] = ("raw", Decimal(46))  # well past the 40-point bonus cap
            by.fill(targets)
            emit(by, bdir / str(y))
            made.append(by)

    # year end 2025: ratings follow the computed grades, so score with sitegen first
    from sitegen.check import check

    report = check(CONTENT, cache_dir=None)
    for by in made:
        if by.year != 2025:
            continue
        bres = report.years[2025].branches[by.b.id]
        results = {r.member.id: r for r in bres.members}
        emit_year_end(by, CONTENT / "committees" / by.b.committee / "branches" / by.b.id / "2025", results)
    for by in made:
        emit_restricted(by)
    print("generated", sum(len(by.entries) for by in made), "ledger entries in", len(made), "branch-years")


if __name__ == "__main__":
    if len(sys.argv) > 1:  # another copy of the demo content (the tests regrow a copy)
        CONTENT = Path(sys.argv[1]).resolve()
    main()
