"""A fictitious district at any scale, for benchmarks and scale tests.

Why it exists: `sitegen check` and the renderers must stay fast on a real district
(about a thousand branches of thirty members), and the tests need content that exercises
every rule — ranged items, grouped caps, `全体` with absences, deductions, 一票否决,
corrections, appeals, exempt and floating members — without anyone's real data. Every
name is drawn from surname/given-name pools; every organization is made up.

What it writes is a district as it stands on 20 November of the year (SNAPSHOT): each
branch announced and posted its items early in the year, the ledger runs from January
to mid-November, Q1–Q3 have been reviewed, fed back, confirmed and published, and Q4 is
still being recorded. Checked with `--today <year>-11-23` it raises no deadline warning.

Determinism: one `random.Random(seed)` drives every choice in a fixed order and nothing
iterates a set or reads the clock, so the same arguments give byte-identical files —
benchmarks compare like with like, and a failing test can be reproduced.

YAML is written as text, not with `yaml.dump`: it is several times faster at this size,
and the layout (one key per line, ids in flow lists) is the one a secretary would type.
Every value goes through `sitegen.yamltext`, the project's one YAML writer.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from pathlib import Path

import sitegen.yamltext
from sitegen.rules.periods import quarter_of
from sitegen.yamltext import Value, block, flow, scalar, value

SNAPSHOT = (11, 20)  # (month, day): the last day the generated ledger reaches

FULL, PROBATIONARY, ACTIVIST = "正式", "预备", "积极分子"
GOVERNMENT, COMMUNITY, SCHOOL, NEW_ORG = "机关", "社区", "学校", "两新"
BASE, BONUS, DEDUCTION, VETO = "基础积分", "贡献加分", "违规扣分", "一票否决"

# --------------------------------------------------------------------------- pools

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Common surnames are much more common: weight by rank, roughly as in the census.
_SURNAME_WEIGHTS = tuple(accumulate(1.0 / (rank + 6) for rank in range(len(_SURNAMES))))
_GIVEN_FIRST = "建国志文明晓丽秀海红永玉春金淑德俊雪宏婷嘉欣子浩宇思梓雨佳一诗晨家振立新敏慧少光学正天"
_GIVEN_SECOND = "华平军英强伟芳娟敏静丽磊洋勇艳杰涛明超霞刚兰辉鹏飞琳颖婷轩涵萱睿博宁东峰燕红梅洁斌凯琪林"

_DISTRICTS = ("青松区", "云溪区", "松涛区", "明湖区", "清河区", "翠屏区")
_STREETS = (
    "东湖",
    "西城",
    "南苑",
    "北关",
    "青松",
    "柳荫",
    "桂园",
    "枫林",
    "白沙",
    "金桥",
    "银河",
    "翠竹",
    "望江",
    "临川",
    "清溪",
    "石门",
    "长安",
    "和平",
    "新华",
    "朝阳",
    "丰乐",
    "安澜",
    "锦江",
    "兴隆",
)
_COMMUNITIES = (
    "幸福里",
    "阳光",
    "康乐",
    "花园",
    "锦绣",
    "春晖",
    "丰泽",
    "景园",
    "书香",
    "怡和",
    "明珠",
    "安居",
    "润泽",
    "紫荆",
    "馨苑",
    "东篱",
    "百合",
    "海棠",
    "长青",
    "德馨",
    "滨河",
    "龙泉",
    "秀水",
    "映月",
)
_UNITS = (
    "区委办公室",
    "区政府办公室",
    "区人大常委会机关",
    "区政协机关",
    "区发展和改革委员会",
    "区财政局",
    "区教育委员会",
    "区卫生健康委员会",
    "区人力资源和社会保障局",
    "区市场监督管理局",
    "区住房和城乡建设委员会",
    "区民政局",
    "区司法局",
    "区统计局",
    "区审计局",
    "区文化和旅游局",
    "区生态环境局",
    "区应急管理局",
    "区商务局",
    "区科学技术委员会",
    "区退役军人事务局",
    "区医疗保障局",
    "区城市管理委员会",
    "区水务局",
    "区农业农村局",
    "区信访办公室",
    "区档案馆",
    "区融媒体中心",
    "区人民法院",
    "区人民检察院",
)
_SCHOOL_KINDS = ("中学", "实验中学", "小学", "实验小学", "中心小学", "幼儿园", "职业技术学校", "特殊教育学校")
_FIRMS = (
    "恒信",
    "华源",
    "博瑞",
    "鼎盛",
    "康达",
    "天成",
    "德润",
    "联创",
    "智远",
    "新程",
    "宏图",
    "盛世",
    "汇通",
    "永安",
    "启明",
    "星辰",
    "嘉禾",
    "远航",
    "泰和",
    "瑞丰",
    "中科",
    "云帆",
    "铭泰",
    "安信",
)
_TRADES = (
    "科技有限公司",
    "物流有限公司",
    "建设工程有限公司",
    "医药有限公司",
    "信息技术有限公司",
    "食品有限公司",
    "律师事务所",
    "会计师事务所",
    "社会工作服务中心",
    "养老服务中心",
    "物业管理有限公司",
    "文化传媒有限公司",
)
_TRADE_SHORT = {
    "律师事务所": "律所",
    "会计师事务所": "会计所",
    "社会工作服务中心": "社工中心",
    "养老服务中心": "养老中心",
}
_OUTSIDE_ORGS = (
    "江南市高新区创业街道党工委",
    "北海市滨江区人才服务中心党委",
    "东川省西岭市经开区党工委",
    "南岭市望海区流动党员党委",
    "西平市城关区新兴产业园区党委",
)

_MEETINGS = ("支部党员大会", "支部委员会和党小组会", "党课")
_THEMES = (
    "重温入党誓词",
    "学习党章党规",
    "学习贯彻全会精神",
    "参观红色教育基地",
    "开展“我为群众办实事”",
    "观看警示教育片",
    "学习先进典型事迹",
    "开展主题研讨",
    "参加“七一”主题活动",
    "开展廉洁文化教育",
    "学习《中国共产党纪律处分条例》",
    "开展安全生产大检查",
)
_VOLUNTEERING = (
    "到包联社区开展环境整治志愿服务",
    "参加文明交通劝导志愿服务",
    "慰问社区独居老人",
    "参加无偿献血",
    "参加垃圾分类宣传志愿服务",
    "参加社区疫苗接种引导服务",
    "到敬老院开展志愿服务",
    "参加防汛值守",
    "参加“学雷锋”志愿服务",
    "参加社区义诊、义剪",
)
_HELPED = (
    "帮助独居老人购买生活用品",
    "为邻里调解纠纷",
    "帮助困难家庭孩子辅导功课",
    "协助社区照看走失老人",
    "帮助邻居维修水电",
)
_COMMUNITY_WORK = {
    "A02": ("到居住地社区报到并参加社区服务", "参加社区“双报到”服务活动"),
    "A03": ("参与网格巡查和矛盾调解", "结对帮扶辖区困难群众", "参与老旧小区改造协商议事"),
    "A04": ("带头攻关关键技术难题", "牵头完成技术革新项目", "在重点项目建设中攻坚克难"),
    "A05": ("指导学生竞赛获奖", "承担区级公开课并获好评", "主持校本课程开发", "开展送教下乡"),
}
_EXEMPT_KINDS = ("年满70周岁", "年满70周岁", "年满70周岁", "年老体弱", "长期患病", "行动不便")


# --------------------------------------------------------------------------- the scheme


@dataclass(frozen=True, slots=True)
class _Spec:
    """An item as the generator needs it. Points are in halves (3 = 1.5 points), so
    ranged items can be drawn in steps of 0.5 with integer arithmetic."""

    code: str
    part: str
    name: str
    points: int | None = None
    lo: int | None = None
    hi: int | None = None
    cap: int | None = None
    group: str = ""
    applies_to: tuple[str, ...] = ()
    evidence: str = ""

    @property
    def ranged(self) -> bool:
        return self.points is None and self.lo is not None


_ITEMS = (
    _Spec("B01", BASE, "按时参加“三会一课”", points=3, cap=36, evidence="会议记录、签到表"),
    _Spec("B02", BASE, "参加支部主题党日活动", points=3, cap=36, evidence="活动记录、签到表"),
    _Spec("B03", BASE, "按时足额交纳党费", points=2, cap=24, evidence="党费收缴登记表"),
    _Spec("B04", BASE, "参加集中学习培训，完成学习任务", points=6, cap=24, evidence="学习记录、培训签到表"),
    _Spec("B05", BASE, "参加组织生活会和民主评议党员", points=8, cap=8, evidence="会议记录"),
    _Spec("B06", BASE, "公开承诺并践诺", points=4, cap=8, evidence="承诺书、践诺评议记录"),
    _Spec("A01", BONUS, "参加志愿服务活动", lo=2, hi=6, cap=20, evidence="服务记录或受益群众证明"),
    _Spec(
        "A02",
        BONUS,
        "在职党员到社区报到并参加服务",
        points=4,
        cap=16,
        applies_to=(GOVERNMENT, SCHOOL),
        evidence="社区报到服务记录",
    ),
    _Spec(
        "A03",
        BONUS,
        "参与网格治理、结对帮扶困难群众",
        lo=2,
        hi=6,
        cap=16,
        applies_to=(COMMUNITY,),
        evidence="网格工作记录、帮扶记录",
    ),
    _Spec(
        "A04",
        BONUS,
        "立足岗位攻坚克难、技术革新成效显著",
        lo=4,
        hi=12,
        cap=24,
        applies_to=(NEW_ORG,),
        evidence="单位证明、成果材料",
    ),
    _Spec(
        "A05",
        BONUS,
        "教书育人、教研教改成果突出",
        lo=4,
        hi=12,
        cap=24,
        applies_to=(SCHOOL,),
        evidence="获奖证书、成果材料",
    ),
    _Spec("A06", BONUS, "建言献策被采纳", lo=2, hi=8, cap=16, evidence="采纳证明"),
    _Spec("A07", BONUS, "党员示范岗、党员责任区作用突出", lo=4, hi=10, cap=20, evidence="支部评议记录"),
    _Spec("A08", BONUS, "在急难险重任务中表现突出", lo=6, hi=20, cap=20, evidence="单位或社区证明"),
    _Spec("A11", BONUS, "获得国家级表彰", points=30, group="G1", evidence="表彰文件"),
    _Spec("A12", BONUS, "获得省级表彰", points=20, group="G1", evidence="表彰文件"),
    _Spec("A13", BONUS, "获得市级表彰", points=12, group="G1", evidence="表彰文件"),
    _Spec("A14", BONUS, "获得区级表彰", points=6, group="G1", evidence="表彰文件"),
    _Spec("D01", DEDUCTION, "无故不参加组织生活", points=4, evidence="签到表"),
    _Spec("D02", DEDUCTION, "无故不按时交纳党费", points=4, evidence="党费收缴登记表"),
    _Spec("D03", DEDUCTION, "违反社会公德、家庭美德，造成不良影响", lo=4, hi=20, evidence="核实材料"),
    _Spec("D04", DEDUCTION, "受到诫勉谈话或通报批评", points=20, evidence="处理决定"),
    _Spec("V01", VETO, "受到留党察看以上党纪处分", evidence="处分决定"),
    _Spec("V02", VETO, "违反国家法律法规受到刑事处罚", evidence="司法文书"),
    _Spec("V03", VETO, "无正当理由连续6个月不参加组织生活、不交纳党费或不做党所分配的工作", evidence="支部核实记录"),
    _Spec("V04", VETO, "信仰宗教或参与邪教、封建迷信活动", evidence="核实材料"),
)
_GROUP = ("G1", "获得表彰（各级表彰合计）", 30)

# Committee 细则 by kind: an added item, or a narrowed range (the generator then draws within it).
_COMMITTEE_ITEMS = {
    "街道": _Spec("C01", BONUS, "参与文明城区创建志愿服务", lo=2, hi=4, cap=12, evidence="创建办证明"),
    "教育": _Spec(
        "C02", BONUS, "承担课后服务、家访工作", points=2, cap=12, applies_to=(SCHOOL,), evidence="学校考勤记录"
    ),
}
_COMMITTEE_NARROW = {"机关": ("A01", 2, 4), "两新": ("A04", 4, 10)}  # code, lo, hi (halves)

# Branch 年初设定: an item of its own, by category.
_BRANCH_ITEMS = {
    GOVERNMENT: _Spec("Z01", BONUS, "完成本单位中心工作任务表现突出", lo=2, hi=6, cap=12, evidence="单位证明"),
    COMMUNITY: _Spec("Z01", BONUS, "参与社区议事协商", points=2, cap=8, evidence="议事记录"),
    SCHOOL: _Spec("Z01", BONUS, "指导青年教师成长", lo=2, hi=6, cap=12, evidence="师徒结对记录"),
    NEW_ORG: _Spec("Z01", BONUS, "参与企业党建品牌创建", points=4, cap=8, evidence="活动记录"),
}


def _pts(halves: int) -> str:
    return value(Decimal(halves) / 2)


# --------------------------------------------------------------------------- the organizations


@dataclass(slots=True)
class _Person:
    id: str
    name: str
    status: str
    diligence: float  # chance of attending a meeting
    activity: float  # how much the member volunteers and contributes (about 0.4–3; 1 is typical)
    exempt: tuple[date, date, date] | None = None
    exempt_kind: str = ""
    floating: tuple[str, str, str] | None = None  # (流入/流出, branch id, outside organization)

    @property
    def scored(self) -> bool:
        return self.exempt is None and not (self.floating and self.floating[0] == "流出")

    @property
    def plain(self) -> bool:
        return self.status == FULL and self.exempt is None and self.floating is None


@dataclass(slots=True)
class _Branch:
    id: str
    committee: _Committee
    category: str
    name: str
    short_name: str
    leader: str
    recorder: str
    general_branch: str = ""
    people: list[_Person] = field(default_factory=list)
    own_item: _Spec | None = None
    fixed_a01: int | None = None  # the branch fixed 志愿服务 at these points (halves)


@dataclass(slots=True)
class _Committee:
    id: str
    kind: str
    name: str
    short_name: str
    leader: str
    street: str = ""
    branches: list[_Branch] = field(default_factory=list)
    item: _Spec | None = None
    narrow: tuple[str, int, int] | None = None


# Committee kinds in the order they are created: a single committee is a 街道 党工委
# (its branches then cover all four categories); larger districts get the usual mix.
_KIND_CYCLE = ("街道", "机关", "教育", "两新", "街道", "街道", "机关", "两新", "街道", "教育")


class _Names:
    """Fictitious people and organizations, unique where the reader would expect it."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[str, int] = {}
        self.general: dict[str, bool] = {}  # 机关 unit -> has a 党总支

    def person(self) -> str:
        rng = self.rng
        surname = rng.choices(_SURNAMES, cum_weights=_SURNAME_WEIGHTS)[0]
        if rng.random() < 0.35:
            return surname + rng.choice(_GIVEN_SECOND)
        return surname + rng.choice(_GIVEN_FIRST) + rng.choice(_GIVEN_SECOND)

    def fresh(self, pool: tuple[str, ...], scope: str, suffixes: str) -> str:
        """A name from `pool` not yet used in `scope`. When the pool runs short, a used
        name grows as real ones do: a suffix (百合东, 百合新) or, without suffixes, a
        place in front (东湖恒信); past that, a number keeps it unique at any scale."""
        rng = self.rng
        for attempt in range(12):
            base = rng.choice(pool)
            if attempt < 4:
                name = base
            elif suffixes:
                name = base + rng.choice(suffixes)
            else:
                name = rng.choice(_STREETS) + base
            if self.unique(f"{scope}:{name}") == 0:
                return name
        return f"{name}{self.unique(scope) + 2}"

    def unique(self, text: str) -> int:
        """How many times `text` was asked for before (0 the first time)."""
        n = self.used.get(text, 0)
        self.used[text] = n + 1
        return n


_ORDINALS = "一二三四五六七八九十"


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if n <= 10 else str(n)


def _committees(rng: random.Random, names: _Names, district: str, branches: int) -> list[_Committee]:
    count = max(1, round(branches / 25))
    out = []
    for i in range(count):
        kind = _KIND_CYCLE[i % len(_KIND_CYCLE)]
        leader = names.person()
        cid = f"c{i + 1:02d}"
        if kind == "街道":
            street = _STREETS[names.unique("street") % len(_STREETS)]
            n = names.unique(f"街道{street}")
            street = street if n == 0 else f"{street}{_ordinal(n + 1)}"
            c = _Committee(cid, kind, f"中共{district}{street}街道工作委员会", f"{street}街道党工委", leader, street)
        elif kind == "机关":
            n = names.unique("机关工委")
            suffix = "" if n == 0 else f"第{_ordinal(n + 1)}"
            c = _Committee(cid, kind, f"中共{district}直属机关{suffix}工作委员会", f"区直机关{suffix}工委", leader)
        elif kind == "教育":
            n = names.unique("教育工委")
            suffix = "" if n == 0 else f"第{_ordinal(n + 1)}"
            c = _Committee(cid, kind, f"中共{district}教育{suffix}工作委员会", f"区教育{suffix}工委", leader)
        else:
            n = names.unique("两新工委")
            suffix = "" if n == 0 else f"第{_ordinal(n + 1)}"
            c = _Committee(
                cid,
                kind,
                f"中共{district}非公有制经济组织和社会组织{suffix}工作委员会",
                f"区两新组织{suffix}党委",
                leader,
            )
        if rng.random() < 0.6:
            c.item = _COMMITTEE_ITEMS.get(kind)
            c.narrow = _COMMITTEE_NARROW.get(kind)
        out.append(c)
    return out


def _category(rng: random.Random, committee: _Committee, index: int, single: bool) -> str:
    if single and index < 4:
        return (GOVERNMENT, COMMUNITY, SCHOOL, NEW_ORG)[index]
    if committee.kind == "机关":
        return GOVERNMENT
    if committee.kind == "教育":
        return SCHOOL
    if committee.kind == "两新":
        return NEW_ORG
    if index == 0:
        return GOVERNMENT  # the 街道办事处's own 机关支部
    r = rng.random()
    return COMMUNITY if r < 0.62 else NEW_ORG if r < 0.92 else SCHOOL if r < 0.97 else GOVERNMENT


def _branch_names(
    rng: random.Random, names: _Names, district: str, committee: _Committee, category: str
) -> tuple[str, str, str]:
    """(full name, short name, 党总支 or '')."""
    street = committee.street or rng.choice(_STREETS)
    if category == GOVERNMENT:
        if committee.kind == "街道":
            full = short = f"{street}街道办事处"
        else:
            unit = rng.choice(_UNITS)  # "区财政局": full 青松区财政局, short 财政局; "区委办公室" stays whole
            full, short = unit[1:], (unit if unit[1] in "委政人" else unit[1:])
        n = names.unique(f"unit:{full}") + 1
        # A unit with several 支部 has a 党总支 over them; decided when the unit first appears.
        if n == 1:
            names.general[full] = rng.random() < 0.3
        general = f"中共{district}{full}机关总支部委员会" if names.general[full] else ""
        return (f"中共{district}{full}机关第{_ordinal(n)}支部委员会", f"{short}第{_ordinal(n)}支部", general)
    if category == COMMUNITY:
        community = names.fresh(_COMMUNITIES, f"community:{street}", "东西南北中新")
        return (f"中共{district}{street}街道{community}社区支部委员会", f"{community}社区支部", "")
    if category == SCHOOL:
        kind = rng.choice(_SCHOOL_KINDS)
        place = rng.choice(_STREETS)
        n = names.unique(f"school:{place}{kind}")
        school = f"{place}{kind}" if n == 0 else f"{place}第{_ordinal(n + 1)}{kind}"
        return (f"中共{district}{school}支部委员会", f"{school}支部", "")
    trade = rng.choice(_TRADES)
    firm = names.fresh(_FIRMS, f"firm:{trade}", "")
    short = _TRADE_SHORT.get(trade) or trade.removesuffix("有限公司")[:2]
    return (f"中共{district}{firm}{trade}支部委员会", f"{firm}{short}支部", "")


def _organizations(rng: random.Random, names: _Names, district: str, branches: int) -> list[_Committee]:
    committees = _committees(rng, names, district, branches)
    sizes = [branches // len(committees) + (1 if i < branches % len(committees) else 0) for i in range(len(committees))]
    width = max(4, len(str(branches)))
    number = 0
    for committee, size in zip(committees, sizes):
        for index in range(size):
            number += 1
            category = _category(rng, committee, index, len(committees) == 1)
            name, short, general = _branch_names(rng, names, district, committee, category)
            leader, recorder = names.person(), names.person()
            b = _Branch(f"b{number:0{width}d}", committee, category, name, short, leader, recorder, general)
            if rng.random() < 0.15:
                b.own_item = _BRANCH_ITEMS[category]
            if rng.random() < 0.15:
                b.fixed_a01 = 4
            committee.branches.append(b)
    return committees


# --------------------------------------------------------------------------- rosters


def _roster(rng: random.Random, names: _Names, branch: _Branch, number: int, members: int, year: int) -> None:
    width = max(2, len(str(members)))
    elderly = 0.06 if branch.category == COMMUNITY else 0.012
    people = []
    for k in range(1, members + 1):
        r = rng.random()
        status = ACTIVIST if r < 0.04 else PROBATIONARY if r < 0.10 else FULL
        if members < 5:
            status = FULL
        # Most members attend nearly everything; a few are often away (shifts, travel, illness).
        d = rng.random()
        diligence = 0.985 if d < 0.55 else 0.94 if d < 0.85 else 0.85 if d < 0.97 else 0.6
        activity = rng.choice((0.4, 0.7, 0.9, 1.0, 1.2, 1.4, 1.6, 2.0, 2.5))
        if status == ACTIVIST:
            activity *= 1.3  # applicants want to show what they can do
        p = _Person(f"M{number:04d}-{k:0{width}d}", names.person(), status, diligence, activity)
        if status == FULL and members >= 6 and rng.random() < elderly:
            applied = date(year, 1, rng.randint(3, 15))
            approved = applied + timedelta(days=rng.randint(2, 10))
            filed = approved + timedelta(days=rng.randint(3, 12))
            p.exempt = (applied, approved, filed)
            p.exempt_kind = rng.choice(_EXEMPT_KINDS)
        people.append(p)
    if members >= 4 and rng.random() < 0.03:
        candidates = [p for p in people if p.plain]
        if candidates:
            rng.choice(candidates).floating = ("流出", "", rng.choice(_OUTSIDE_ORGS))
    if members >= 4 and rng.random() < 0.03:
        candidates = [p for p in people if p.plain]
        if candidates:
            rng.choice(candidates).floating = ("流入", "", rng.choice(_OUTSIDE_ORGS))
    branch.people = people


def _floating_pairs(rng: random.Random, branches: list[_Branch], members: int) -> None:
    """Members who moved to another branch of the district: the outflow branch lists them
    as 流出, the inflow branch (which scores them) lists the same id as 流入. The inflow
    member takes the place of one of the inflow branch's own members, so every roster keeps
    the requested length."""
    if len(branches) < 2 or members < 4:
        return
    for _ in range(max(1, len(branches) // 8)):
        a, b = rng.sample(branches, 2)
        leaving = [p for p in a.people if p.plain]
        replaceable = [i for i, p in enumerate(b.people) if p.plain]
        if not leaving or len(replaceable) < 2:
            continue
        person = rng.choice(leaving)
        person.floating = ("流出", b.id, "")
        slot = replaceable[-1]
        del b.people[slot]
        b.people.append(
            _Person(person.id, person.name, FULL, person.diligence, person.activity, floating=("流入", a.id, ""))
        )


# --------------------------------------------------------------------------- the ledger


@dataclass(eq=False, slots=True)
class _Entry:
    day: date
    seq: int
    item: str = ""
    members: list[str] | None = None  # None: 全体
    excluding: list[str] = field(default_factory=list)
    points: int | None = None  # halves; None: the item's points
    source: str = ""  # '' is the default, 支部登记
    evidence: str = ""
    note: str = ""
    corrects: _Entry | None = None
    reason: str = ""
    void: bool = False
    id: str = ""


@dataclass(slots=True)
class _Appeal:
    id: str
    member: str
    filed: date
    decided: date
    outcome: str
    reason: str
    entry: _Entry | None = None
    matter: str = ""
    correction: _Entry | None = None


@dataclass(slots=True)
class _Quarter:
    reviewed: date
    feedback: date
    confirmed: date
    start: date
    end: date
    reported: date
    scope: str
    contact: str
    appeals: list[_Appeal] = field(default_factory=list)


@dataclass(slots=True)
class _Private:
    """What goes into restricted/<branch>/<year>.yaml."""

    reminders: list[tuple[str, date, str]] = field(default_factory=list)
    talks: list[tuple[str, date, str, str]] = field(default_factory=list)
    mentoring: list[tuple[str, str, date, str]] = field(default_factory=list)


class _BranchYear:
    """One branch's year: the ledger, the quarterly cycle and the private records."""

    def __init__(self, rng: random.Random, year: int, branch: _Branch, items: dict[str, _Spec], veto: bool = False):
        self.rng = rng
        self.force_veto = veto  # this branch carries the district's one guaranteed 一票否决
        self.year = year
        self.branch = branch
        self.items = items
        self.entries: list[_Entry] = []
        self.quarters: dict[int, _Quarter] = {}
        self.private = _Private()
        self.everyone = [p for p in branch.people if p.scored and p.status != ACTIVIST]
        self.activists = [p for p in branch.people if p.scored and p.status == ACTIVIST]
        self.bonus_pool = self.everyone + self.activists
        self.corrected: set[int] = set()  # seq of entries already corrected
        self.absences: dict[str, int] = {}
        last_month, last_day = SNAPSHOT
        self.last = date(year, last_month, last_day)

    def add(self, day: date, item: str, **kw) -> _Entry:
        e = _Entry(day, len(self.entries), item, **kw)
        self.entries.append(e)
        return e

    def day(self, month: int, lo: int, hi: int) -> date:
        top = SNAPSHOT[1] if month == SNAPSHOT[0] else 28
        return date(self.year, month, min(self.rng.randint(lo, hi), top))

    def draw(self, spec: _Spec) -> int | None:
        """Points for a new entry: None for a fixed item, else a value within its range."""
        if spec.points is not None or spec.lo is None or spec.hi is None:
            return None
        step = 1 if spec.hi - spec.lo <= 6 else 2
        return spec.lo + step * self.rng.randint(0, (spec.hi - spec.lo) // step)

    def build(self) -> None:
        months = range(1, SNAPSHOT[0] + 1)
        meeting_day = self.rng.randint(8, 20)
        for m in months:
            self.meetings(m, meeting_day)
            self.volunteering(m)
        self.awards()
        self.contributions()
        self.misconduct()
        self.corrections()
        for q in (1, 2, 3):
            self.quarter(q)
        self.number()

    # -- 基础积分: meetings, fees, study, with `全体` and the absences
    def attendance(self, day: date, item: str, note: str, lateness: float = 1.0) -> None:
        rng = self.rng
        absent = [p for p in self.everyone if rng.random() > 1 - (1 - p.diligence) * lateness]
        self.add(day, item, excluding=[p.id for p in absent], evidence=self.items[item].evidence, note=note)
        unexcused = [p for p in absent if rng.random() < 0.1]
        if unexcused and item in ("B01", "B02"):
            self.add(
                day,
                "D01",
                members=[p.id for p in unexcused],
                evidence="签到表、请假记录",
                note=f"未请假缺席{note.split('：')[0]}",
            )
        for p in absent:
            self.absences[p.id] = self.absences.get(p.id, 0) + 1
        if self.activists and item in ("B01", "B02", "B04"):
            present = [p.id for p in self.activists if rng.random() < p.diligence]
            if present:
                self.add(
                    day,
                    item,
                    members=present,
                    evidence=self.items[item].evidence,
                    note=f"入党积极分子参加（参照积分）：{note}",
                )

    def meetings(self, m: int, meeting_day: int) -> None:
        rng = self.rng
        kind = _MEETINGS[m % 3]
        self.attendance(self.day(m, 2, 12), "B01", f"{m}月{kind}：{rng.choice(_THEMES)}")
        self.attendance(self.day(m, meeting_day, meeting_day), "B02", f"{m}月主题党日：{rng.choice(_THEMES)}")
        day = self.day(m, 5, 10)
        late = [p for p in self.everyone if rng.random() < 0.008]
        self.add(day, "B03", excluding=[p.id for p in late], evidence="党费收缴登记表", note=f"{m}月党费")
        if late and rng.random() < 0.4:
            self.add(day, "D02", members=[late[0].id], evidence="党费收缴登记表", note=f"{m}月党费逾期未交且未说明原因")
        if m % 3 == 2:
            self.attendance(self.day(m, 20, 26), "B04", f"第{_ordinal((m + 2) // 3)}季度集中学习培训", lateness=1.5)
        if m == 2:
            self.attendance(self.day(m, 15, 26), "B05", f"{self.year - 1}年度组织生活会和民主评议党员", lateness=0.5)
        if m in (3, 9):
            what = "公开承诺" if m == 3 else "践诺情况评议"
            self.attendance(self.day(m, 20, 28), "B06", f"{m}月党员{what}", lateness=0.5)

    # -- 贡献加分
    def group(self, rate: float) -> list[str]:
        rng = self.rng
        return [p.id for p in self.bonus_pool if rng.random() < rate * p.activity]

    def volunteering(self, m: int) -> None:
        rng = self.rng
        a01 = self.items["A01"]
        if rng.random() < 0.8:
            who = self.group(0.5)
            if who:
                self.add(
                    self.day(m, 1, 28),
                    "A01",
                    members=who,
                    points=self.draw(a01),
                    evidence="志愿服务签到表",
                    note=rng.choice(_VOLUNTEERING),
                )
        for p in self.bonus_pool:
            if rng.random() < 0.05 * p.activity:
                self.add(
                    self.day(m, 1, 28),
                    "A01",
                    members=[p.id],
                    points=self.draw(a01),
                    source="群众证实",
                    evidence="受益群众签字证明",
                    note=rng.choice(_HELPED),
                )
        if m % 3 == 1:  # the category's own work, once a quarter
            for code in ("A02", "A03", "A04", "A05"):
                if code in self.items:
                    who = self.group(0.6)
                    if who:
                        self.add(
                            self.day(m + 1, 1, 28),
                            code,
                            members=who,
                            points=self.draw(self.items[code]),
                            evidence=self.items[code].evidence,
                            note=rng.choice(_COMMUNITY_WORK[code]),
                        )
        for code in ("C01", "C02", "Z01"):
            spec = self.items.get(code)
            if spec and rng.random() < 0.25:
                who = self.group(0.25)
                if who:
                    self.add(
                        self.day(m, 1, 28),
                        code,
                        members=who,
                        points=self.draw(spec),
                        evidence=spec.evidence,
                        note=spec.name,
                    )

    def contributions(self) -> None:
        rng = self.rng
        for p in self.bonus_pool:
            if rng.random() < 0.3 * p.activity:
                m = rng.randint(1, SNAPSHOT[0])
                self.add(
                    self.day(m, 1, 28),
                    "A06",
                    members=[p.id],
                    points=self.draw(self.items["A06"]),
                    source="党员申报",
                    evidence="采纳证明",
                    note="关于改进为民服务工作的建议被单位采纳",
                )
        for m in (6, 11):  # 示范岗 reviewed twice a year
            best = sorted(self.everyone, key=lambda p: -p.activity - rng.random())[: max(1, len(self.everyone) // 8)]
            for p in best:
                if rng.random() < 0.6:
                    self.add(
                        self.day(m, 10, 20),
                        "A07",
                        members=[p.id],
                        points=self.draw(self.items["A07"]),
                        evidence="支部委员会评议记录",
                        note="党员示范岗半年评议成绩突出",
                    )
        if rng.random() < 0.3:
            who = [p for p in self.bonus_pool if p.activity >= 1.5 and rng.random() < 0.5]
            if who:
                self.add(
                    self.day(rng.choice((7, 8)), 1, 28),
                    "A08",
                    members=[p.id for p in who],
                    points=self.draw(self.items["A08"]),
                    evidence="防汛指挥部证明",
                    note="参加汛期抢险救灾",
                )

    def awards(self) -> None:
        """表彰 around 七一: mostly 区级, rarely higher; all share one group cap."""
        rng = self.rng
        for code, rate, note in (
            ("A14", 0.03, "区级优秀共产党员"),
            ("A13", 0.006, "市级优秀共产党员"),
            ("A12", 0.001, "省级先进工作者"),
            ("A11", 0.0002, "全国先进个人"),
        ):
            who = [p.id for p in self.everyone if rng.random() < rate * p.activity]
            if who:
                self.add(self.day(7, 1, 5), code, members=who, evidence="表彰文件", note=f"被评为{note}")

    # -- 违规扣分 and 一票否决
    def misconduct(self) -> None:
        rng = self.rng
        forced = rng.choice(self.everyone) if self.force_veto and self.everyone else None
        for p in self.everyone:
            r = 0.0045 if p is forced else rng.random()
            if r < 0.003:
                self.add(
                    self.day(rng.randint(1, SNAPSHOT[0]), 1, 28),
                    "D03",
                    members=[p.id],
                    points=self.draw(self.items["D03"]),
                    evidence="社区核实材料",
                    note="邻里纠纷中言行失当，经核实",
                )
            elif r < 0.004:
                self.add(
                    self.day(rng.randint(1, SNAPSHOT[0]), 1, 28),
                    "D04",
                    members=[p.id],
                    evidence="处理决定",
                    note="工作失职受到通报批评",
                )
            elif r < 0.0047:
                code = rng.choice(("V01", "V01", "V02", "V03", "V04"))
                day = self.day(rng.randint(1, SNAPSHOT[0] - 1), 1, 28)
                self.add(day, code, members=[p.id], evidence=self.items[code].evidence, note="经上级党组织核实认定")
                talk = day + timedelta(days=rng.randint(3, 10))
                self.private.talks.append(
                    (p.id, talk, self.branch.leader, "支部书记与其谈话，指出问题，提出改正要求。")
                )
                helpers = [h for h in self.everyone if h is not p] or [p]
                self.private.mentoring.append(
                    (p.id, rng.choice(helpers).name, talk, "每月谈心一次，督促参加组织生活和学习。")
                )
        for p in self.everyone:
            if self.absences.get(p.id, 0) >= 5:
                self.private.reminders.append(
                    (p.id, date(self.year, 10, rng.randint(10, 20)), "前三季度多次缺席组织生活，已督促提醒。")
                )

    # -- corrections the branch made on its own (not from an appeal)
    def corrections(self) -> None:
        rng = self.rng
        if rng.random() < 0.3:
            groups = [
                e
                for e in self.entries
                if e.item == "A01" and e.members and len(e.members) >= 2 and e.day <= self.last - timedelta(days=14)
            ]
            if groups:
                target = rng.choice(groups)
                day = target.day + timedelta(days=rng.randint(2, 12))
                spec = self.items["A01"]
                lo, hi = spec.lo, spec.hi
                if spec.ranged and target.points is not None and lo is not None and hi is not None and hi > lo:
                    points = lo if target.points != lo else hi
                    self.correct(target, day, points=points, reason=f"经核实服务时长，按{_pts(points)}分计。")
                else:
                    who = (target.members or [])[:-1]
                    self.correct(target, day, members=who, reason="经核实，名单中一人当日未参加，予以更正。")
        if rng.random() < 0.1:
            singles = [e for e in self.entries if e.item == "A06" and e.day <= self.last - timedelta(days=14)]
            if singles:
                original = rng.choice(singles)
                twin = self.add(
                    original.day,
                    "A06",
                    members=list(original.members or ()),
                    points=original.points,
                    source=original.source,
                    evidence=original.evidence,
                    note=original.note,
                )
                self.correct(
                    twin,
                    original.day + timedelta(days=rng.randint(1, 10)),
                    void=True,
                    reason="与同日同一事项重复登记，予以撤销。",
                )

    def correct(self, target: _Entry, day: date, **kw) -> _Entry:
        self.corrected.add(target.seq)
        return self.add(min(day, self.last), "", corrects=target, **kw)

    # -- the quarterly cycle: 汇总审核 → 逐人反馈 → 申辩 → 确认 → 公示 → 报备
    def quarter(self, q: int) -> None:
        rng = self.rng
        end = date(self.year, 3 * q + 1, 1) - timedelta(days=1)
        reviewed = end + timedelta(days=rng.randint(3, 8))
        feedback = reviewed + timedelta(days=rng.randint(1, 3))
        appeals: list[_Appeal] = []
        if rng.random() < 0.12:
            appeal = self.appeal(q, len(appeals) + 1, feedback)
            if appeal:
                appeals.append(appeal)
        last = max([feedback] + [a.decided for a in appeals])
        confirmed = last + timedelta(days=rng.randint(1, 2))
        start = confirmed + timedelta(days=1)
        stop = start + timedelta(days=6)
        self.quarters[q] = _Quarter(
            reviewed,
            feedback,
            confirmed,
            start,
            stop,
            stop + timedelta(days=rng.randint(1, 5)),
            rng.choice(("支部党务公开栏", "支部党务公开栏和党员微信群", "单位党务公开栏")),
            rng.choice(("支部委员会办公室", "党群服务中心一楼", "单位党办")),
            appeals,
        )

    def appeal(self, q: int, n: int, feedback: date) -> _Appeal | None:
        rng = self.rng
        filed = feedback + timedelta(days=rng.randint(1, 2))
        decided = filed + timedelta(days=rng.randint(1, 4))
        aid = f"S{q}-{n:02d}"
        in_quarter = [
            e for e in self.entries if quarter_of(e.day) == q and e.seq not in self.corrected and not e.corrects
        ]
        deductions = [(e, e.members) for e in in_quarter if e.item == "D01" and e.members]
        meetings = [e for e in in_quarter if e.item in ("B01", "B02") and e.members is None and e.excluding]
        r = rng.random()
        if deductions and r < 0.4:
            target, named = rng.choice(deductions)
            who = rng.choice(named)
            if rng.random() < 0.6:
                others = [m for m in named if m != who]
                reason = "经申辩核实，当日因公出差，事前已请假，撤销扣分。"
                fix = (
                    self.correct(target, decided, members=others, reason=reason)
                    if others
                    else self.correct(target, decided, void=True, reason=reason)
                )
                return _Appeal(
                    aid,
                    who,
                    filed,
                    decided,
                    "更正",
                    "本人当日因公出差，已向支部书记请假。",
                    entry=target,
                    correction=fix,
                )
            return _Appeal(aid, who, filed, decided, "维持", "本人认为当日已电话请假。", entry=target)
        if meetings and r < 0.8:
            target = rng.choice(meetings)
            who = rng.choice(target.excluding)
            if rng.random() < 0.5:
                others = [m for m in target.excluding if m != who]
                fix = self.correct(
                    target, decided, excluding=others, reason="经申辩核实，当日因公请假并已补学会议精神，补记。"
                )
                return _Appeal(
                    aid, who, filed, decided, "更正", "本人当日因公请假，事后已补学。", entry=target, correction=fix
                )
            return _Appeal(aid, who, filed, decided, "维持", "本人当日家中有事，认为不应记为缺席。", entry=target)
        if self.everyone:
            who = rng.choice(self.everyone).id
            return _Appeal(
                aid,
                who,
                filed,
                decided,
                "维持",
                "询问志愿服务积分的计算方法。",
                matter=f"对第{_ordinal(q)}季度志愿服务积分的计算方法有疑问",
            )
        return None

    def number(self) -> None:
        """Ids in date order, as a secretary numbers the ledger: 2026-001, 2026-002, …"""
        self.entries.sort(key=lambda e: (e.day, e.seq))
        width = max(3, len(str(len(self.entries))))
        for i, e in enumerate(self.entries, start=1):
            e.id = f"{self.year}-{i:0{width}d}"


def _effective_items(branch: _Branch) -> dict[str, _Spec]:
    """The items this branch's entries may use, with the ranges after 细则 and 年初设定."""
    items = {s.code: s for s in _ITEMS}
    committee = branch.committee
    if committee.item:
        items[committee.item.code] = committee.item
    if committee.narrow:
        code, lo, hi = committee.narrow
        s = items[code]
        items[code] = _Spec(s.code, s.part, s.name, None, lo, hi, s.cap, s.group, s.applies_to, s.evidence)
    if branch.own_item:
        items[branch.own_item.code] = branch.own_item
    if branch.fixed_a01 is not None:
        s = items["A01"]
        items["A01"] = _Spec(
            s.code, s.part, s.name, branch.fixed_a01, None, None, s.cap, s.group, s.applies_to, s.evidence
        )
    return {code: s for code, s in items.items() if not s.applies_to or branch.category in s.applies_to}


# --------------------------------------------------------------------------- YAML text


def _site(district: str) -> str:
    return f"name: {district}\norganization: 中共{district}委组织部\n"


def _scheme(district: str, year: int) -> str:
    out = [
        f"title: {district}党员积分管理考核表（{year}年）",
        "caps:",
        "  base: 60",
        "  bonus: 40",
        "groups:",
        f"  - code: {_GROUP[0]}",
        f"    name: {_GROUP[1]}",
        f"    cap: {_pts(_GROUP[2])}",
        "items:",
    ]
    for s in _ITEMS:
        out += _item(s)
    return "\n".join(out) + "\n"


def _item(s: _Spec, indent: str = "  ") -> list[str]:
    out = [f"{indent}- code: {s.code}", f"{indent}  part: {s.part}", f"{indent}  name: {scalar(s.name)}"]
    if s.points is not None:
        out.append(f"{indent}  points: {_pts(s.points)}")
    if s.lo is not None and s.hi is not None:
        out += [f"{indent}  min: {_pts(s.lo)}", f"{indent}  max: {_pts(s.hi)}", f"{indent}  step: 0.5"]
    if s.cap is not None:
        out.append(f"{indent}  cap: {_pts(s.cap)}")
    if s.group:
        out.append(f"{indent}  group: {s.group}")
    if s.applies_to:
        out.append(f"{indent}  applies_to: {flow(list(s.applies_to))}")
    if s.evidence:
        out.append(f"{indent}  evidence: {scalar(s.evidence)}")
    return out


def _committee_yaml(c: _Committee) -> str:
    return f"name: {c.name}\nshort_name: {c.short_name}\nleader: {c.leader}\n"


def _rules_yaml(c: _Committee, year: int) -> str:
    out = [f"title: {c.short_name}党员积分管理实施细则（{year}年）"]
    if c.item:
        out.append("items:")
        out += _item(c.item)
    if c.narrow:
        code, lo, hi = c.narrow
        out += ["narrow:", f"  - code: {code}", f"    min: {_pts(lo)}", f"    max: {_pts(hi)}"]
    return "\n".join(out) + "\n"


def _branch_yaml(b: _Branch) -> str:
    out = [
        f"name: {b.name}",
        f"short_name: {b.short_name}",
        f"category: {b.category}",
        f"leader: {b.leader}",
        f"recorder: {b.recorder}",
    ]
    if b.general_branch:
        out.append(f"general_branch: {b.general_branch}")
    return "\n".join(out) + "\n"


def _roster_yaml(b: _Branch) -> str:
    out = ["members:"]
    for p in b.people:
        out += [f"  - id: {p.id}", f"    name: {p.name}", f"    status: {p.status}"]
        if p.exempt:
            applied, approved, filed = p.exempt
            out += ["    exempt:", f"      applied: {applied}", f"      approved: {approved}", f"      filed: {filed}"]
        if p.floating:
            direction, branch, org = p.floating
            out += [
                "    floating:",
                f"      direction: {direction}",
                f"      branch: {branch}" if branch else f"      org: {org}",
            ]
    return "\n".join(out) + "\n"


def _plan_yaml(rng: random.Random, b: _Branch, year: int) -> str:
    announced = date(year, 1, 10) + timedelta(days=rng.randint(0, 45))
    posted = announced + timedelta(days=rng.randint(1, 5))
    out = [f"announced: {announced}", f"posted: {posted}"]
    if b.own_item:
        out.append("items:")
        out += _item(b.own_item)
    if b.fixed_a01 is not None:
        out += ["narrow:", "  - code: A01", f"    points: {_pts(b.fixed_a01)}"]
    return "\n".join(out) + "\n"


def _ledger_yaml(entries: list[_Entry]) -> str:
    out = ["entries:"]
    for e in entries:
        pairs: list[tuple[str, Value]] = [("id", e.id), ("date", e.day)]
        if e.corrects is not None:
            pairs += [("corrects", e.corrects.id), ("reason", e.reason)]
            if e.void:
                pairs.append(("void", True))
        if e.item:
            pairs.append(("item", e.item))
        if e.members is None:
            if not e.void:
                pairs.append(("members", "全体"))
                if e.excluding:
                    pairs.append(("excluding", e.excluding))
        else:
            pairs.append(("members", e.members))
        if e.points is not None:
            pairs.append(("points", Decimal(e.points) / 2))
        for key, text in (("source", e.source), ("evidence", e.evidence), ("note", e.note)):
            if text:
                pairs.append((key, text))
        out += block(pairs, "  ", item=True)
    return "\n".join(out) + "\n"


def _quarter_yaml(q: _Quarter) -> str:
    out = [f"reviewed: {q.reviewed}", f"feedback: {q.feedback}"]
    if q.appeals:
        out.append("appeals:")
        for a in q.appeals:
            out += [f"  - id: {a.id}", f"    member: {a.member}"]
            if a.entry is not None:
                out.append(f"    entry: {a.entry.id}")
            if a.matter:
                out.append(f"    matter: {scalar(a.matter)}")
            out += [f"    filed: {a.filed}", f"    outcome: {a.outcome}", f"    decided: {a.decided}"]
            if a.correction is not None:
                out.append(f"    correction: {a.correction.id}")
    out += [
        f"confirmed: {q.confirmed}",
        "publicity:",
        f"  start: {q.start}",
        f"  end: {q.end}",
        f"  scope: {q.scope}",
        f"  contact: {q.contact}",
        f"reported: {q.reported}",
    ]
    return "\n".join(out) + "\n"


def _restricted_yaml(b: _Branch, by: _BranchYear) -> str | None:
    out = []
    exempt = [p for p in b.people if p.exempt]
    if exempt:
        out.append("exemptions:")
        for p in exempt:
            out += [f"  {p.id}:", f"    kind: {p.exempt_kind}"]
    appeals = [a for q in sorted(by.quarters) for a in by.quarters[q].appeals]
    if appeals:
        out.append("appeals:")
        out += [f"  {a.id}: {scalar(a.reason)}" for a in appeals]
    private = by.private
    if private.talks:
        out.append("talks:")
        for mid, day, by_whom, summary in private.talks:
            out += [f"  - member: {mid}", f"    date: {day}", f"    by: {by_whom}", f"    summary: {scalar(summary)}"]
    if private.mentoring:
        out.append("mentoring:")
        for mid, helper, start, plan in private.mentoring:
            out += [f"  - member: {mid}", f"    helper: {helper}", f"    start: {start}", f"    plan: {scalar(plan)}"]
    if private.reminders:
        out.append("reminders:")
        for mid, day, summary in private.reminders:
            out += [f"  - member: {mid}", f"    date: {day}", f"    summary: {scalar(summary)}"]
    return "\n".join(out) + "\n" if out else None


def _notice(title: str, day: date, body: str) -> str:
    return f"---\ntitle: {title}\ndate: {day}\n---\n{body}\n"


class _Writer:
    """Writes files under `dest`, creating each folder once."""

    def __init__(self, dest: Path):
        self.dest = dest
        self.made: set[str] = set()
        self.files = 0

    def write(self, rel: str, text: str) -> None:
        folder = rel.rpartition("/")[0]
        if folder and folder not in self.made:
            (self.dest / folder).mkdir(parents=True, exist_ok=True)
            self.made.add(folder)
        (self.dest / rel).write_bytes(text.encode("utf-8"))
        self.files += 1


# --------------------------------------------------------------------------- entry point


def code_hash() -> hashlib._Hash:
    """A hash of the code that decides the generated bytes (this module and the YAML
    writer), for caches of generated districts (benchmarks/) to tell when they are stale."""
    h = hashlib.sha256(Path(__file__).read_bytes())
    h.update(Path(sitegen.yamltext.__file__).read_bytes())
    return h


def generate(dest: Path, branches: int, members: int, seed: int, year: int) -> dict:
    """Write a fictitious district of `branches` branches with `members` on each roster.

    Returns counts: branches, members (roster lines: a member floated between two
    branches of the district is on both rosters and counted twice, once per branch),
    persons (distinct member ids), committees, entries (ledger entries, corrections
    included), appeals and files.
    """
    if branches < 1 or members < 1:
        raise ValueError("branches and members must be at least 1")
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    names = _Names(rng)
    district = rng.choice(_DISTRICTS)
    committees = _organizations(rng, names, district, branches)
    all_branches = [b for c in committees for b in c.branches]
    for number, b in enumerate(all_branches, start=1):
        _roster(rng, names, b, number, members, year)
    _floating_pairs(rng, all_branches, members)

    out = _Writer(dest)
    out.write("site.yaml", _site(district))
    out.write(f"scheme/{year}.yaml", _scheme(district, year))
    out.write(
        f"notices/{year}-01-06-jifen-guanli.md",
        _notice(
            f"关于开展{year}年度党员积分管理工作的通知",
            date(year, 1, 6),
            f"各党（工）委：\n\n请按照《{district}党员积分管理考核表（{year}年）》，组织各党支部于3月底前完成年初设定积分项目，"
            "召开党员大会通报并在党务公开栏公开；每季度结束后30日内完成汇总审核、逐人反馈和公示。",
        ),
    )
    # Vetoes are rare (about 1 in 1,500 members); make sure a district of some size has one,
    # so every run exercises the rule.
    veto_branch = all_branches[rng.randrange(len(all_branches))] if branches * members >= 100 else None
    entries = appeals = 0
    for c in committees:
        crel = f"committees/{c.id}"
        out.write(f"{crel}/committee.yaml", _committee_yaml(c))
        if c.item or c.narrow:
            out.write(f"{crel}/scheme/{year}.yaml", _rules_yaml(c, year))
        if rng.random() < 0.5:
            out.write(
                f"{crel}/notices/{year}-10-08-q3-gongshi.md",
                _notice(
                    f"关于做好{year}年第三季度党员积分公示工作的通知",
                    date(year, 10, 8),
                    "各党支部：请于10月底前完成第三季度积分汇总审核、逐人反馈和公示，并将台账报党（工）委备案。",
                ),
            )
        for b in c.branches:
            brel = f"{crel}/branches/{b.id}"
            yrel = f"{brel}/{year}"
            by = _BranchYear(rng, year, b, _effective_items(b), veto=b is veto_branch)
            by.build()
            out.write(f"{brel}/branch.yaml", _branch_yaml(b))
            out.write(f"{yrel}/roster.yaml", _roster_yaml(b))
            out.write(f"{yrel}/scheme.yaml", _plan_yaml(rng, b, year))
            for q in (1, 2, 3, 4):
                part = [e for e in by.entries if quarter_of(e.day) == q]
                if part:
                    out.write(f"{yrel}/ledger/q{q}.yaml", _ledger_yaml(part))
            for q, record in sorted(by.quarters.items()):
                out.write(f"{yrel}/quarters/q{q}.yaml", _quarter_yaml(record))
            private = _restricted_yaml(b, by)
            if private:
                out.write(f"restricted/{b.id}/{year}.yaml", private)
            entries += len(by.entries)
            appeals += sum(len(r.appeals) for r in by.quarters.values())
    persons = len({p.id for b in all_branches for p in b.people})
    return {
        "branches": len(all_branches),
        "members": sum(len(b.people) for b in all_branches),
        "persons": persons,
        "committees": len(committees),
        "entries": entries,
        "appeals": appeals,
        "files": out.files,
    }
