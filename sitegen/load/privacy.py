"""W701–W703: public text that looks private.

Everything in a public file is published: ledger notes, correction reasons, names,
notices. A phone number, an ID-card number or a word about someone's health written
there by mistake would go onto the board and the intranet; its place is
`restricted/`. These are warnings (a note may rightly say 慰问生病党员), at the line and
column of the text, and they never repeat the text itself.
"""

from __future__ import annotations

import re

import yaml

from sitegen.problems import Pos, Problem

# A mainland mobile number (11 digits from 13–19), possibly written 138-0000-0001, or a
# landline with its area code (010-12345678, 0571 8888 1234).
_PHONE = re.compile(r"(?<![\dA-Za-z])(?:1[3-9]\d[ -]?\d{4}[ -]?\d{4}|0\d{2,3}[ -]\d{7,8})(?![\dA-Za-z])", re.ASCII)
# A resident ID-card number: 17 digits and a digit or X.
_ID_CARD = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])", re.ASCII)
# Words that say something about a person's health (what 长期患病 exemptions are about).
# Not 疾病/残疾 alone: "救助突发疾病的乘客", "帮助残疾人家庭" are public good deeds. The
# policy's own wording of the exemption (长期患病) is not about anyone in particular.
_HEALTH = re.compile(
    r"(?<!长期)患病|住院|手术|诊断|确诊|生病|病重|病情|病休|病假|因病|重病|大病|病历|病逝|癌|化疗|透析"
    r"|高血压|糖尿病|心脏病|抑郁症|精神病|瘫痪|痴呆"
)

# Fields that are private by their name wherever they appear (E016 in a public file).
PRIVATE_FIELDS = {"phone", "mobile", "tel", "address", "contact", "id_card", "id_number", "birthday", "birth"}

MAX_PER_FILE = 10  # one look is enough to find the others

_CHECKS = (
    (
        _PHONE,
        "W701",
        "这里像是写了电话号码。",
        "联系方式属于不公开信息，不能写在公开文件里：删除它，需要时写进 restricted/<支部编号>/<年度>.yaml 的 contacts。",
    ),
    (_ID_CARD, "W702", "这里像是写了身份证号码。", "积分管理用不到身份证号，公开文件里更不能出现：请删除。"),
    (
        _HEALTH,
        "W703",
        "这里像是写了个人的健康状况（疾病、住院、手术等）。",
        (
            "个人健康状况属于不公开信息：公开的说明里不要写，需要记录时写进 restricted/<支部编号>/<年度>.yaml"
            "（例如 exemptions 的 note）。如果写的不是某个人的健康状况（例如“慰问生病党员”的活动），可以不改。"
        ),
    ),
)


def scan_text(text: str, file: str, line: int, col: int = 1) -> list[Problem]:
    """Warnings for one piece of text that starts at line:col (its later lines start at
    column 1)."""
    found = []
    for pattern, code, message, hint in _CHECKS:
        m = pattern.search(text)
        if m:
            before = text[: m.start()]
            at_line = line + before.count("\n")
            at_col = (col + len(before)) if "\n" not in before else len(before) - before.rfind("\n")
            found.append(Problem(code, message, Pos(file, at_line, at_col), hint))
    return found


_ANY = re.compile("|".join(f"(?:{p.pattern})" for p, *_ in _CHECKS))


def suspicious(text: str) -> bool:
    """Whether anything in `text` could be warned about: one search over a whole file
    lets the clean files (nearly all) skip the walk over their values."""
    return _ANY.search(text) is not None


def scan_nodes(root: yaml.Node, file: str, first_line: int = 1) -> list[Problem]:
    """Warnings for every text value in a public YAML file (keys are field names or ids)."""
    problems: list[Problem] = []
    seen: set[int] = set()
    stack = [root]
    while stack and len(problems) < MAX_PER_FILE:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            value = node.value
            if len(value) >= 11 or not value.isascii():  # shorter ASCII: ids, dates, numbers
                mark = node.start_mark
                quoted = 1 if node.style in ('"', "'") else 0
                problems += scan_text(value, file, mark.line + first_line, mark.column + 1 + quoted)
        elif isinstance(node, yaml.MappingNode):
            # a field that is private by name is refused already (E016): no second message
            stack.extend(v for k, v in reversed(node.value) if getattr(k, "value", None) not in PRIVATE_FIELDS)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return problems[:MAX_PER_FILE]


def scan_lines(text: str, file: str, first_line: int = 1) -> list[Problem]:
    """Warnings for Markdown text (a notice's body), line by line."""
    problems: list[Problem] = []
    for i, line in enumerate(text.split("\n")):
        if line:
            problems += scan_text(line, file, first_line + i)
        if len(problems) >= MAX_PER_FILE:
            break
    return problems[:MAX_PER_FILE]
