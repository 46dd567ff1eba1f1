"""The policy's fixed vocabularies. Values are the Chinese words users write and read."""

from __future__ import annotations

from enum import Enum


class Vocabulary(str, Enum):
    """An enum whose members may also be written by a few accepted aliases."""

    @classmethod
    def aliases(cls) -> dict[str, Vocabulary]:
        return {}

    @classmethod
    def _missing_(cls, value: object) -> Vocabulary | None:
        if isinstance(value, str):
            return cls.aliases().get(value.strip())
        return None

    def __str__(self) -> str:
        return str(self.value)


class Category(Vocabulary):
    """党员类别, by the kind of the branch (policy 三(一))."""

    GOVERNMENT = "机关"
    COMMUNITY = "社区"
    SCHOOL = "学校"
    NEW_ORG = "两新"

    @classmethod
    def aliases(cls) -> dict[str, Vocabulary]:
        return {"“两新”": cls.NEW_ORG, "两新组织": cls.NEW_ORG}


class Status(Vocabulary):
    FULL = "正式党员"
    PROBATIONARY = "预备党员"
    ACTIVIST = "入党积极分子"

    @classmethod
    def aliases(cls) -> dict[str, Vocabulary]:
        return {"正式": cls.FULL, "预备": cls.PROBATIONARY, "积极分子": cls.ACTIVIST}


class Part(Vocabulary):
    """The four parts of the 百分制 (policy 四(一)). Glossary: base, bonus, deduction, veto."""

    BASE = "基础积分"
    BONUS = "贡献加分"
    DEDUCTION = "违规扣分"
    VETO = "一票否决"


class Method(Vocabulary):
    """How the year's score is made: the sum over the year (default), or the mean of the
    four quarters' scores, a variant some districts use."""

    SUM = "全年累计"
    QUARTER_MEAN = "四季度平均"


class Source(Vocabulary):
    """Where a ledger entry comes from (policy 四(二)2)."""

    BRANCH = "支部登记"
    DECLARED = "党员申报"
    CONFIRMED = "群众证实"


class Grade(Vocabulary):
    EXCELLENT = "优秀"
    GOOD = "良好"
    PASS = "合格"
    FAIL = "不合格"


class Rating(Vocabulary):
    """民主测评 result."""

    EXCELLENT = "优秀"
    PASS = "合格"
    BASIC = "基本合格"
    FAIL = "不合格"


class Outcome(Vocabulary):
    """An appeal's outcome: 维持 (appeal rejected) or 更正 (appeal upheld, with a correction)."""

    KEPT = "维持"
    CORRECTED = "更正"


class JoinKind(Vocabulary):
    """How a member came onto the branch's roster during the year (roster `join:`)."""

    ADMITTED = "入党"  # admitted as 预备党员 (or an 积极分子 newly listed)
    TRANSFER_IN = "转入"  # organizational relation transferred in
    RESTORED = "恢复"  # 恢复党籍

    @classmethod
    def aliases(cls) -> dict[str, Vocabulary]:
        return {"接收": cls.ADMITTED, "吸收入党": cls.ADMITTED, "恢复党籍": cls.RESTORED}


class LeaveKind(Vocabulary):
    """How a member left the branch's roster during the year (roster `leave:`). Pages
    publish every kind neutrally as 离开本支部."""

    TRANSFER_OUT = "转出"
    LEFT_PARTY = "出党"
    DIED = "去世"


class Appellant(Vocabulary):
    """Who raised an appeal or objection: a member (申辩、问询) or the public (群众监督,
    who may stay anonymous: who they are is never written in a public file)."""

    MEMBER = "党员"
    PUBLIC = "群众"


class Direction(Vocabulary):
    IN = "流入"
    OUT = "流出"


class ExemptKind(Vocabulary):
    """Why a member is not scored (policy 三(二)). Restricted: never published."""

    AGE = "年满70周岁"
    FRAIL = "年老体弱"
    ILL = "长期患病"
    IMMOBILE = "行动不便"
    OTHER = "其他特殊情况"


class Paper(Vocabulary):
    """Paper for printed boards (posters); forms are always A4."""

    A4 = "A4"
    A3 = "A3"
