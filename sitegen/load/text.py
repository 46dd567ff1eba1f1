"""The text pass that runs before YAML: what secretaries really type.

Windows Notepad saves GBK and adds a BOM; a Chinese input method types a full-width
colon `：`, a full-width space `　` or a full-width minus `－` where YAML needs ASCII.
YAML's own messages for these are cryptic, so we find them first and say plainly what
is wrong and how to fix it.
"""

from __future__ import annotations

import re

from sitegen.problems import UNSAFE, Pos, Problem, describe

BOM = "\ufeff"

_KEY_FULLWIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*)\s*：")
_FULLWIDTH_AFTER_SEPARATOR = re.compile(r"^\s*(?:-\s+)?(?:[A-Za-z_][A-Za-z0-9_-]*:)?(\u3000)|^\s*-(\u3000)")
_FULLWIDTH_LIST_MARKER = re.compile(r"^(\s*)[－—–]\s")
_INDENT = " \t\u3000"  # what a line's indentation may be made of
# a character every check of `lint` needs in a line to report it: a text without any is clean
_SUSPECT = re.compile("[\t\u3000：－—–]")


def decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text. Returns None when the file is not UTF-8 (with the reason why)."""
    problems: list[Problem] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            raw.decode("gb18030")
            guess = "看起来是 GBK（GB2312/GB18030）编码，这是 Windows 记事本的常见默认。"
        except UnicodeDecodeError:
            guess = "无法识别它的编码。"
        problems.append(
            Problem(
                "E001",
                f"文件不是 UTF-8 编码：{guess}",
                Pos(file, line, col),
                "用记事本打开后“另存为”，编码选择“UTF-8”；或在命令行运行 "
                f"iconv -f GB18030 -t UTF-8 {file} -o 新文件 再替换原文件。",
            )
        )
        return None, problems
    if text.startswith(BOM):
        text = text[1:]
        problems.append(
            Problem(
                "W001",
                "文件开头有 BOM（字节顺序标记），已忽略。",
                Pos(file, 1, 1),
                "保存时选择“UTF-8”而不是“UTF-8 with BOM / 带 BOM 的 UTF-8”。",
            )
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, problems


MAX_INVISIBLE_REPORTED = 20  # per file: enough to find them all in a real file, not a flood


def invisible(text: str, file: str, first_line: int = 1) -> list[Problem]:
    """E018 for every control character, bidi override or other invisible format character
    written raw in the text (tab and newline are fine). They make a file read differently
    from what it is (U+202E turns a line around), and ESC sequences would act on the
    terminal of whoever runs `check`; nobody types them on purpose, so they are refused
    before anything else reads the text. The message names the character by code point,
    never by the text around it (which may be private)."""
    problems: list[Problem] = []
    for m in UNSAFE.finditer(text):
        start = m.start()
        line = text.count("\n", 0, start) + first_line
        col = start - (text.rfind("\n", 0, start) + 1) + 1
        problems.append(invisible_problem(m.group(0), Pos(file, line, col)))
        if len(problems) >= MAX_INVISIBLE_REPORTED:
            break
    return problems


def invisible_problem(ch: str, pos: Pos, escaped: bool = False) -> Problem:
    how = "（用转义写法写成）" if escaped else ""
    return Problem(
        "E018",
        f"这里有一个看不见的控制字符或格式字符 {describe(ch)}{how}，不能使用。",
        pos,
        "删除这个字符（它常常是从网页、聊天软件或 Word 里复制文字时带进来的）；"
        "编辑器里打开“显示所有字符/不可见字符”可以看到它。",
    )


def lint(text: str, file: str, first_line: int = 1) -> list[Problem]:
    """Line-by-line checks on YAML text. `first_line` offsets positions (front matter)."""
    if _SUSPECT.search(text) is None:
        return []
    problems: list[Problem] = []
    for index, line in enumerate(text.split("\n")):
        if not line or line.lstrip().startswith("#"):
            continue
        lineno = index + first_line
        leading = line[: len(line) - len(line.lstrip(_INDENT))]
        if "\t" in leading:
            problems.append(
                Problem(
                    "E002",
                    "缩进里有制表符（Tab），YAML 只能用空格缩进。",
                    Pos(file, lineno, leading.index("\t") + 1),
                    "把 Tab 换成空格（每级缩进 2 个空格）；编辑器里可以打开“显示空白字符”查看。",
                )
            )
            continue
        if "\u3000" in leading:
            problems.append(_fullwidth_space(file, lineno, leading.index("\u3000") + 1))
            continue
        m = _KEY_FULLWIDTH_COLON.match(line)
        if m:
            col = line.index("：", m.start(2)) + 1
            problems.append(
                Problem(
                    "E003",
                    f"键名“{m.group(2)}”后面用了全角冒号“：”，YAML 需要半角冒号“:”。",
                    Pos(file, lineno, col),
                    "切换到英文输入法，改为半角冒号加一个空格，例如 `name: 张三`。",
                )
            )
            continue
        m = _FULLWIDTH_AFTER_SEPARATOR.match(line)
        if m:
            col = (m.start(1) if m.group(1) else m.start(2)) + 1
            problems.append(_fullwidth_space(file, lineno, col))
            continue
        m = _FULLWIDTH_LIST_MARKER.match(line)
        if m:
            problems.append(
                Problem(
                    "E005",
                    f"列表项用了全角符号“{line[len(m.group(1))]}”，YAML 的列表项以半角减号“-”开头。",
                    Pos(file, lineno, len(m.group(1)) + 1),
                    "切换到英文输入法，改为半角减号加一个空格，例如 `- M0101`。",
                )
            )
    return problems


def _fullwidth_space(file: str, line: int, col: int) -> Problem:
    return Problem(
        "E004",
        "这里用了全角空格“　”，YAML 的缩进和分隔只能用半角空格。",
        Pos(file, line, col),
        "切换到英文输入法，删除全角空格后输入半角空格。",
    )
