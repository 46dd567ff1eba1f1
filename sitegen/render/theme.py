"""The theme: Jinja2 templates and static assets, with the content's own overrides.

Like MkDocs's `custom_dir`: a content repository may have a `theme/` folder whose
`templates/` override the default theme's templates file by file (looked up there
first) and whose `assets/` are copied over the default assets; an
`assets/extra.css` there is linked from every page after the default stylesheet.
"""

from __future__ import annotations

import hashlib
import operator
import os
import re
import stat
import traceback
import types
from collections.abc import Iterator
from pathlib import Path

import jinja2
import markupsafe
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from sitegen.load.layout import temporary
from sitegen.problems import Pos, Problem

DEFAULT_THEME = Path(__file__).resolve().parents[2] / "themes" / "default"
MAX_THEME_FILE = 20 * 1024 * 1024  # bytes; a theme file larger than this is not a template or a stylesheet
MAX_RANGE = 10_000  # items a template's range() may make (the default theme needs 4)
MAX_SEQUENCE = 1_000_000  # characters or items a template may make with * or % in one step


_SANDBOX_HINT = (
    "主题模板只能使用页面提供的字段和 Jinja2 的普通写法，不能访问程序内部（以 _ 开头的属性、"
    "函数的内部对象等）。删去这一行；如果这个模板来自别人的合并请求，不要合并它。"
)


_escape_text = getattr(markupsafe, "_escape_inner", None)  # str -> escaped str, without making a Markup


def _output_escape(value) -> str:
    """What autoescape does to a value a template writes out (`{{ x }}`), as markupsafe's
    escape does it, but as a plain str: Jinja only ever joins these into the page (or
    into a block, macro or `set` buffer, which it wraps as Markup itself), so making a
    Markup of each of them — most of the cost of escaping — changes nothing."""
    kind = type(value)
    if kind is str and _escape_text is not None:
        return _escape_text(value)
    if kind is int:
        return str(value)  # digits and a sign: nothing to escape
    return markupsafe.escape(value)


class _Template(jinja2.Template):
    """A theme template whose output escaping is `_output_escape` (the same text)."""

    @classmethod
    def from_code(cls, environment, code, globals, uptodate=None):
        template = super().from_code(environment, code, globals, uptodate)
        # the name the generated code calls for every `{{ … }}`, in the template module's globals
        template.root_render_func.__globals__["escape"] = _output_escape
        return template


class _Sandbox(SandboxedEnvironment):
    """Jinja2's sandbox (no attribute starting with `_`, no unsafe methods, no format
    string tricks), and no cheap way to make the build run out of memory either: range()
    is smaller, and `*`, `**` and `%` refuse results that would be huge."""

    intercepted_binops = frozenset(["*", "**", "%"])
    template_class = _Template

    def __init__(self, **options):
        super().__init__(**options)
        self.globals["range"] = _small_range
        self._plain: set[type] = set()  # types for which the sandbox's only rule is "no leading _"
        self._seen: set[type] = set()

    def getattr(self, obj, attribute: str):
        """Jinja's sandboxed getattr, with a short way for the common case (a field of a view,
        a plain value): for an object that is not a function, method, class, code, frame,
        traceback or generator, the sandbox refuses only names starting with `_`, and wraps
        only methods named `format`; anything else is the attribute itself. The rest, and
        every refusal, goes through Jinja's own checks, so what is allowed is exactly the same."""
        if type(obj) in self._plain and attribute[:1] != "_":
            value = getattr(obj, attribute, _MISSING)
            if value is not _MISSING and type(value) not in _METHODS:
                return value
        elif type(obj) not in self._seen:
            self._seen.add(type(obj))
            if not issubclass(type(obj), _INTERNAL):
                self._plain.add(type(obj))
        return super().getattr(obj, attribute)

    def call_binop(self, context, operator_: str, left, right):
        if operator_ == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, (str, bytes, list, tuple))
                    and isinstance(count, int)
                    and len(seq) * count > MAX_SEQUENCE
                ):
                    raise SecurityError("“*” 生成的内容过大")
        elif operator_ == "**":
            if (
                isinstance(right, (int, float))
                and abs(right) > 100
                or isinstance(left, (int, float))
                and abs(left) > 10**100
            ):
                raise SecurityError("“**” 的数过大")
        elif operator_ == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise SecurityError("“%” 格式里的宽度或精度过大")
        return super().call_binop(context, operator_, left, right)


# objects whose attributes Jinja's sandbox checks one by one (is_internal_attribute)
_INTERNAL = (
    types.FunctionType,
    types.MethodType,
    type,
    types.CodeType,
    types.TracebackType,
    types.FrameType,
    types.GeneratorType,
    types.CoroutineType,
    types.AsyncGeneratorType,
)
# what the sandbox looks at more closely when an attribute is one (a str's format is wrapped);
# neither type can be subclassed, so the exact type is enough
_METHODS = frozenset({types.MethodType, types.BuiltinMethodType})
_MISSING = object()
_WIDE_FORMAT = re.compile(r"%[-+ #0]*(\*|\d{4,})|%[-+ #0]*\d*\.(\*|\d{4,})")


def _small_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(f"range() 最多生成 {MAX_RANGE} 个数")
    return numbers


def _attempt(exc: SecurityError) -> str:
    """What the sandbox refused, in Chinese (Jinja's own messages are English)."""
    text = str(exc)
    found = re.search(r"attribute '([^']{1,40})'", text)
    if found:
        return f"属性 {found.group(1)}"
    if re.search(r"[\u4e00-\u9fff]", text):  # our own limits (range, * ** %) are Chinese already
        return text
    return "程序内部的对象或方法"


def _is_dir_no_follow(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _walk(folder: Path) -> Iterator[tuple[Path, os.stat_result]]:
    """Every entry under `folder` with its lstat, sorted, never following a symbolic link
    (a linked folder is reported as the link, not entered)."""
    try:
        entries = sorted(os.scandir(folder), key=operator.attrgetter("name"))
    except OSError:
        return
    for entry in entries:
        path = folder / entry.name
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path)
        else:
            yield path, st


def _read_regular(path: Path) -> bytes:
    """A regular file's bytes, opened without following a link (O_NOFOLLOW) and checked
    again on the open descriptor, so a file swapped for a link or a pipe after it was
    listed is refused too."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(0, "不是普通文件")
        if st.st_size > MAX_THEME_FILE:
            raise OSError(0, f"文件过大（超过 {MAX_THEME_FILE // 1024 // 1024} MB）")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(MAX_THEME_FILE + 1)
    finally:
        os.close(fd)


def _refused(path: Path, shown: str, st: os.stat_result) -> Problem:
    """A symbolic link or another non-regular file in a content repository's theme."""
    if stat.S_ISLNK(st.st_mode):
        try:
            link = os.readlink(path)
            target = f"（指向 {link}）" if link.isprintable() and len(link) < 200 else ""
        except OSError:
            target = ""
        what = f"是符号链接{target}"
    elif stat.S_ISFIFO(st.st_mode):
        what = "是命名管道"
    elif stat.S_ISSOCK(st.st_mode):
        what = "是套接字"
    elif stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        what = "是设备文件"
    elif stat.S_ISREG(st.st_mode):
        what = "是一个文件，不是文件夹"
    else:
        what = "不是普通文件"
    return Problem(
        "E963",
        f"主题里的 {shown} {what}：主题只能包含普通文件，不能有链接，已停止生成。",
        Pos(shown),
        "把真正的文件放进主题（复制一份，而不是链接）；如果这个链接来自别人的合并请求，不要合并它——"
        "它可能把不公开的记录或服务器上的文件发布出去。",
    )


class TemplateFailed(Exception):
    """A template failed while rendering a page; `problem` says where and what to do."""

    def __init__(self, problem: Problem):
        super().__init__(problem)  # the only argument: it survives pickling between processes
        self.problem = problem


class Theme:
    """The theme as it was when this object was made: every template and asset is read
    once, here, so the fingerprint and what is rendered can never disagree, however the
    files change afterwards (a long-running `serve` makes a new Theme when they do).

    A content repository's theme arrives by pull request: it is data, never code or a
    link. Its files are read without following any symbolic link (a link to
    `restricted/` or to a file of the build machine would otherwise be published), only
    regular files are read at all (a pipe would hang the build), and every template,
    the default theme's included, runs in Jinja2's sandbox."""

    def __init__(self, content_root: Path | None = None, default: Path = DEFAULT_THEME):
        self.folders = [default]
        self._root = content_root.resolve() if content_root else Path("/nonexistent")
        override = content_root / "theme" if content_root else None
        self._files: dict[str, dict[str, bytes]] = {}  # "templates"/"assets" -> name -> bytes; overrides win
        self._paths: dict[str, Path] = {}  # template name -> the file it was read from
        self._refused: list[Problem] = []  # symlinks and other non-regular files in the override
        self._read: set[Path] = set()  # every file read
        self._content = content_root
        h = hashlib.sha256()
        if override is not None and os.path.lexists(override):
            if _is_dir_no_follow(override):
                self.folders.insert(0, override)
            else:
                self._refused.append(_refused(override, self._shown_path(override), os.lstat(override)))
        for folder in self.folders:
            trusted = folder == default
            for path, st in _walk(folder):
                rel = path.relative_to(folder)
                if any(temporary(part) for part in rel.parts):
                    continue
                if not stat.S_ISREG(st.st_mode):
                    if not trusted:
                        self._refused.append(_refused(path, self._shown_path(path), st))
                    continue
                try:
                    data = _read_regular(path)
                except OSError as exc:
                    self._refused.append(
                        Problem(
                            "E963",
                            f"无法读取主题文件 {self._shown_path(path)}：{exc.strerror}。",
                            Pos(self._shown_path(path)),
                            "检查这个文件的权限，或删去它。",
                        )
                    )
                    continue
                self._read.add(path)
                h.update(rel.as_posix().encode())
                h.update(data)
                if len(rel.parts) > 1 and rel.parts[0] in ("templates", "assets"):
                    name = rel.relative_to(rel.parts[0]).as_posix()
                    if name not in self._files.setdefault(rel.parts[0], {}):
                        self._files[rel.parts[0]][name] = data
                        if rel.parts[0] == "templates":
                            self._paths[name] = path
        for problem in self._refused:  # a refused file changes the inputs: the build must look again
            h.update(f"refused\0{problem.pos.file}".encode())
        self._fingerprint = h.hexdigest()[:16]
        self.env = _Sandbox(
            loader=jinja2.FunctionLoader(self._source),
            autoescape=True,
            undefined=jinja2.StrictUndefined,  # a typo in a template fails the build, not the page
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.extra_css = (
            override is not None and override in self.folders and (override / "assets" / "extra.css") in self._read
        )
        self._problems: list[Problem] | None = None

    def _source(self, name: str):
        data = self._files.get("templates", {}).get(name)
        if data is None:
            return None
        # the file's name in Jinja's errors; never reloaded: this Theme is a snapshot
        return data.decode("utf-8"), str(self._paths[name]), lambda: True

    def problems(self) -> list[Problem]:
        """Theme files that cannot be used (symlinks and other non-regular files, templates
        not UTF-8 or with Jinja syntax errors), as problems that stop a build before
        anything is rendered or written."""
        if self._problems is None:
            self._problems = list(self._refused)
            for name in sorted(self._files.get("templates", {})):
                where = self._shown(self._paths[name])
                try:
                    self.env.get_template(name)
                except UnicodeDecodeError:
                    self._problems.append(
                        Problem("E961", f"主题模板 {name} 不是 UTF-8 编码。", Pos(where), "用 UTF-8 编码另存这个文件。")
                    )
                except jinja2.TemplateSyntaxError as exc:
                    self._problems.append(
                        Problem(
                            "E961",
                            f"主题模板 {name} 有语法错误：{exc.message}",
                            Pos(where, exc.lineno or 0),
                            "改正这一行（Jinja2 模板语法），或删去这个覆盖模板，使用默认主题的。",
                        )
                    )
                else:
                    self._problems += self._reaching_inside(name, where)
        return self._problems

    def _reaching_inside(self, name: str, where: str) -> list[Problem]:
        """Attributes starting with `_` named in a template (`x.__class__`, `x['__globals__']`):
        the sandbox refuses them when the page is rendered; found here, before anything is
        rendered, they stop the build (and `check`, where it asks) with the line."""
        tree = self.env.parse(self._files["templates"][name].decode("utf-8"))
        found = []
        for node in tree.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
            attr: object = None
            if isinstance(node, jinja2.nodes.Getattr):
                attr = node.attr
            elif isinstance(node, jinja2.nodes.Getitem) and isinstance(node.arg, jinja2.nodes.Const):
                attr = node.arg.value
            if isinstance(attr, str) and attr.startswith("_"):
                found.append(
                    Problem(
                        "E964",
                        f"主题模板 {name} 试图访问模板不允许使用的内容（属性 {attr[:40]}），已停止生成。",
                        Pos(where, node.lineno),
                        _SANDBOX_HINT,
                    )
                )
        return found[:1]  # one is enough to refuse the template

    def render(self, template: str, view) -> bytes:
        return self.text(template, v=view, page=getattr(view, "page", None)).encode("utf-8")

    def text(self, template: str, **values) -> str:
        """A template rendered; a failure inside it (an override asking for a field that
        does not exist, an include that is missing…) becomes TemplateFailed with its place."""
        try:
            return self.env.get_template(template).render(**values)
        except Exception as exc:
            raise TemplateFailed(self._failure(template, exc)) from None

    def _failure(self, template: str, exc: Exception) -> Problem:
        where = Pos(template)
        paths = {str(path) for path in self._paths.values()}
        for frame in traceback.extract_tb(exc.__traceback__):
            if frame.filename in paths:  # Jinja puts the template's own lines in the traceback
                where = Pos(self._shown(Path(frame.filename)), frame.lineno or 0)
        if isinstance(exc, SecurityError):
            # never echo what was attempted beyond Jinja's own short reason: it is the attacker's text
            return Problem(
                "E964",
                f"主题模板 {template} 试图访问模板不允许使用的内容（{_attempt(exc)}），已停止生成。",
                where,
                _SANDBOX_HINT,
            )
        reason = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        return Problem(
            "E962",
            f"用主题模板 {template} 生成页面时出错：{reason}",
            where,
            "检查模板里这一行用到的字段和文件名（可用字段见默认主题的同名模板）；或删去这个覆盖模板，使用默认主题的。",
        )

    def _shown_path(self, path: Path) -> str:
        """A theme file as the user knows it, without following links: relative to the
        content folder when it is inside it."""
        if self._content is not None:
            try:
                return path.relative_to(self._content).as_posix()
            except ValueError:
                pass
        return str(path)

    def _shown(self, path: Path) -> str:
        """A template file as the user knows it: inside the content folder, relative to it."""
        path = path.resolve()
        return path.relative_to(self._root).as_posix() if self._root in path.parents else str(path)

    def assets(self) -> dict[str, bytes]:
        """Asset path (relative to the output root) → bytes; overrides win."""
        return {f"assets/{name}": data for name, data in sorted(self._files.get("assets", {}).items())}

    def fingerprint(self) -> str:
        """Changes whenever any template or asset changes (part of every page's inputs)."""
        return self._fingerprint
