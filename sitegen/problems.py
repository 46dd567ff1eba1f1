"""One type for every problem sitegen reports, and the catalogue of stable codes.

Everything that finds something wrong with the content — the text lint, the YAML
reader, the typed loader, the cross-file validation, the deadline checks — reports a
:class:`Problem`. A problem names the file (relative to the content folder), the line
and column (1-based), a stable code (``E…`` errors, ``W…`` warnings), a message in
Chinese and a hint that says what to do. Codes never change meaning once released;
``docs/errors.md`` lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

# Characters that must never reach a terminal, a CI annotation or an XML report: C0/C1
# controls (ESC starts terminal escape sequences; most are not even legal in XML 1.0),
# bidi overrides and every other invisible format character (Unicode category Cf: they
# make text read differently from what it is), line/paragraph separators, lone
# surrogates (undecodable file names) and the non-characters U+FFFE/U+FFFF. Tab and
# newline are ordinary. The class is Unicode 14's Cc, Cf, Zl, Zp, Cs, written out so
# that scanning is one regular-expression search.
UNSAFE_CHARS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e"
    "\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
UNSAFE = re.compile(f"[{UNSAFE_CHARS}]")


def describe(ch: str) -> str:
    """How a message names an invisible character: ‹U+202E›."""
    return f"‹U+{ord(ch):04X}›"


def visible(text: str) -> str:
    """`text` with every control or invisible format character written as ‹U+XXXX›, so a
    message can say which character it is without sending it to the reader's screen."""
    if not UNSAFE.search(text):
        return text
    return UNSAFE.sub(lambda m: describe(m.group(0)), text)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Pos:
    """Where a value stands: file relative to the content folder, 1-based line and column."""

    file: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}"
        return self.file


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    message: str
    pos: Pos
    hint: str = ""

    def __post_init__(self) -> None:
        # Every output (terminal, json, CI annotations, JUnit XML, review comments) is made
        # from these fields: making them safe here makes them safe everywhere.
        for name in ("code", "message", "hint"):
            value = getattr(self, name)
            safe = visible(value)
            if safe is not value:
                object.__setattr__(self, name, safe)
        file = visible(self.pos.file)
        if file is not self.pos.file:
            object.__setattr__(self, "pos", Pos(file, self.pos.line, self.pos.col))

    @property
    def severity(self) -> Severity:
        return Severity.WARNING if self.code.startswith("W") else Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple:
        return (self.pos.file, self.pos.line, self.pos.col, self.code, self.message)

    def format(self) -> str:
        label = "错误" if self.is_error else "警告"
        text = f"{self.pos}: " if self.pos.file else ""  # some problems concern the repository, not a file
        text += f"{label}[{self.code}] {self.message}"
        if self.hint:
            text += f"\n    提示：{self.hint}"
        return text

    def as_dict(self) -> dict:
        return {
            "file": self.pos.file,
            "line": self.pos.line,
            "column": self.pos.col,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
        }


# The catalogue: code -> short title (Chinese), used by docs/errors.md and `--format json`.
CODES: dict[str, str] = {
    # text and YAML (E0xx)
    "E001": "文件不是 UTF-8 编码",
    "E002": "缩进里有制表符（Tab）",
    "E003": "键名后用了全角冒号",
    "E004": "用了全角空格",
    "E005": "列表用了全角减号",
    "E006": "YAML 格式错误",
    "E007": "重复的键",
    "E008": "未知字段",
    "E009": "缺少必填字段",
    "E010": "类型不对（应为映射、列表或单个值）",
    "E011": "日期写法不对",
    "E012": "数字写法不对",
    "E013": "取值不在允许范围内",
    "E014": "编号写法不对",
    "E015": "值为空",
    "E016": "公开文件里出现了不公开信息",
    "E017": "文件为空",
    "E018": "文件里有控制字符或不可见的格式字符",
    "E019": "文件太大",
    "E020": "YAML 别名（* 和 &）展开后内容过多",
    "E021": "人数、条目数或文字长度超出合理规模",
    "E022": "编号或文件名太长",
    # layout and organizations (E1xx)
    "E101": "文件或文件夹不在约定位置",
    "E102": "缺少必需的文件",
    "E103": "编号重复",
    "E104": "不是普通文件（符号链接、设备或管道）",
    # scheme (E2xx)
    "E201": "积分项目编号重复",
    "E202": "积分项目分值设置不对",
    "E203": "引用了不存在的积分项目或分组",
    "E204": "下级不得提高分项上限",
    "E205": "细化超出上级范围",
    "E206": "不得删除一票否决项目",
    "E207": "缺少年度考核表",
    "E208": "通报或公开日期不对",
    "E209": "同一分组里的项目属于不同分项",
    "E210": "年内加入党员的评定设置不对",
    "E211": "督促提醒的进度线设置不对",
    "E212": "全区考核表的分项上限不是百分制",
    # roster (E3xx)
    "E301": "党员编号重复",
    "E302": "不纳入积分管理的手续不全",
    "E303": "流动党员登记不一致",
    "E304": "同一党员被两个支部积分",
    "E305": "名册里的日期不在本年度内",
    "E306": "加入或离开缺少日期或方式",
    "E307": "加入日期不早于离开日期",
    "E308": "身份变化没有按日期排列",
    "E309": "身份变化不在本支部期间内",
    "E310": "身份变化与之前身份相同",
    "E311": "不允许的身份变化",
    "E312": "两个支部登记的流动起始日期不一致",
    # ledger (E4xx)
    "E401": "台账条目编号重复",
    "E402": "台账引用了不存在的党员",
    "E403": "台账引用了不存在的积分项目",
    "E404": "积分项目不适用于该类别党员",
    "E405": "分值超出项目范围",
    "E406": "日期不在本年度或本季度内",
    "E407": "该党员不参加本支部积分",
    "E408": "更正条目不对",
    "E409": "同一条目重复列出党员",
    "E410": "活动当天该党员不在本支部",
    "E411": "分值不在项目的分档上",
    "E412": "党员申报、群众证实的条目没有写依据",
    # quarterly cycle (E5xx)
    "E501": "有未决申辩，不能确认公示",
    "E502": "申辩记录不对",
    "E503": "公示期不对",
    "E504": "季度记录日期顺序不对",
    "E505": "党(工)委的审核备案记录不对",
    # year end (E6xx)
    "E601": "评定等次与积分等次不同但未写理由",
    "E602": "一票否决的党员只能评为不合格",
    "E603": "年终记录引用了不存在或不参加积分的党员",
    "E604": "年度评定日期早于本年度第四季度",
    "E605": "年度评定缺少民主测评结果或日期",
    "E606": "评定等次与积分等次相差较大或与民主测评相反，理由不充分",
    # restricted records (E7xx)
    "E701": "不公开记录引用了不存在的党员或申辩",
    # notices (E8xx)
    "E801": "通知缺少文件头或文件头不对",
    # the ledger brought in from a spreadsheet (E90x; sitegen/xlsxio)
    "E901": "不是台账模板（打不开，或找不到“台账”工作表）",
    "E902": "台账表头不对，或多出了模板没有的列",
    "E903": "台账数据区有合并单元格",
    "E904": "台账数据中间有空行",
    "E905": "与已有台账条目重复，或编号已被占用",
    "E906": "台账文件无法追加（内容目录本身有错误）",
    "E907": "表格属于另一个支部或年度",
    "E908": "表格行数超出合理规模",
    "E909": "内容目录里的名册或考核表无法读取",
    # printing (E95x)
    "E951": "打印用字体里没有这个字",
    "E952": "生成 PDF 时出现缺字",
    "E953": "没有安装打印用字体",
    # the theme (E96x)
    "E961": "主题模板不能使用（编码或语法错误）",
    "E962": "用主题模板生成页面时出错",
    "E963": "主题里有符号链接或不是普通文件的东西",
    "E964": "主题模板试图访问不允许使用的内容",
    # the output folder (E97x; sitegen/write.py)
    "E970": "输出目录不能是内容目录、它的上级目录或其中的目录、仓库根目录",
    "E971": "输出目录里有不是 sitegen 生成的文件，或输出路径是一个文件",
    "E972": "等待另一个生成写完输出目录超时",
    "E973": "磁盘空间不足，无法写入输出目录",
    "E974": "输出目录所在的文件系统是只读的",
    "E975": "没有写入输出目录的权限",
    "E976": "写入输出目录时出错",
    "E977": "内部材料不能写进内容目录或网站输出目录",
    # history and closed quarters (E10xx; only when the content folder is in a git repository)
    "E1001": "仓库是浅克隆，无法核对历史",
    "E1002": "已公示的季度台账条目被改动",
    "E1003": "已公示的季度台账条目被删除",
    "E1004": "条目（包括更正条目）补记进已公示的季度",
    "E1005": "已发布的提交不在当前历史中（历史被改写）",
    "E1006": "无法读取 git 历史",
    "E1007": "找不到指定的已发布网站信息（--published-info）",
    "E1008": "已公示的积分被更正条目以外的改动改变",
    "E1009": "已公示的季度或年度结果被撤回或改了公示日期",
    # reading the content (E116x)
    "E1161": "文件在这次运行读取它的过程中被改动",
    # warnings
    "W001": "文件开头有 BOM",
    "W101": "积分项目尚未通报公开",
    "W102": "季度积分尚未公示",
    "W103": "年度评定尚未完成",
    "W104": "未记录不纳入积分管理的原因",
    "W501": "公示期间提出的申辩或群众意见在公示结束后仍未处理",
    "W602": "评为不合格的党员还没有谈话、帮教记录",
    "W701": "公开文字里像是有电话号码",
    "W702": "公开文字里像是有身份证号",
    "W703": "公开文字里像是有健康状况",
    "W801": "通知所在年份没有页面，不会显示",
    "W802": "通知文件名里的日期与文件头不一致",
    "W901": "补记到已公示的季度",
}
