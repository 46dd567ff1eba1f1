"""The theme: Jinja2 templates and static assets, with the content's own overrides.

Like MkDocs's `custom_dir`: a content repository may have a `theme/` folder whose
`templates/` override the default theme's templates file by file (looked up there
first) and whose `assets/` are copied over the default assets; an
`assets/extra.css` there is linked from every page after the default stylesheet.
"""

from __future__ import annotations

import hashlib
import traceback
from pathlib import Path

import jinja2

from sitegen.load.layout import temporary
from sitegen.problems import Pos, Problem

DEFAULT_THEME = Path(__file__).resolve().parents[2] / "themes" / "default"


class TemplateFailed(Exception):
    """A template failed while rendering a page; `problem` says where and what to do."""

    def __init__(self, problem: Problem):
        super().__init__(problem)  # the only argument: it survives pickling between processes
        self.problem = problem


class Theme:
    """The theme as it was when this object was made: every template and asset is read
    once, here, so the fingerprint and what is rendered can never disagree, however the
    files change afterwards (a long-running `serve` makes a new Theme when they do)."""

    def __init__(self, content_root: Path | None = None, default: Path = DEFAULT_THEME):
        self.folders = [default]
        self._root = content_root.resolve() if content_root else Path("/nonexistent")
        override = content_root / "theme" if content_root else None
        if override is not None and override.is_dir():
            self.folders.insert(0, override)
        self._files: dict[str, dict[str, bytes]] = {}  # "templates"/"assets" -> name -> bytes; overrides win
        self._paths: dict[str, Path] = {}  # template name -> the file it was read from
        h = hashlib.sha256()
        for folder in self.folders:
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder)
                if any(temporary(part) for part in rel.parts) or not path.is_file():
                    continue
                data = path.read_bytes()
                h.update(rel.as_posix().encode())
                h.update(data)
                if len(rel.parts) > 1 and rel.parts[0] in ("templates", "assets"):
                    name = rel.relative_to(rel.parts[0]).as_posix()
                    if name not in self._files.setdefault(rel.parts[0], {}):
                        self._files[rel.parts[0]][name] = data
                        if rel.parts[0] == "templates":
                            self._paths[name] = path
        self._fingerprint = h.hexdigest()[:16]
        self.env = jinja2.Environment(
            loader=jinja2.FunctionLoader(self._source),
            autoescape=True,
            undefined=jinja2.StrictUndefined,  # a typo in a template fails the build, not the page
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.extra_css = override is not None and (override / "assets" / "extra.css").is_file()
        self._problems: list[Problem] | None = None

    def _source(self, name: str):
        data = self._files.get("templates", {}).get(name)
        if data is None:
            return None
        # the file's name in Jinja's errors; never reloaded: this Theme is a snapshot
        return data.decode("utf-8"), str(self._paths[name]), lambda: True

    def problems(self) -> list[Problem]:
        """Templates that cannot be used (not UTF-8, or Jinja syntax errors), as problems
        that stop a build before anything is rendered."""
        if self._problems is None:
            self._problems = []
            for name in sorted(self._files.get("templates", {})):
                where = self._shown(self._paths[name])
                try:
                    self.env.get_template(name)
                except UnicodeDecodeError:
                    self._problems.append(Problem("E961", f"主题模板 {name} 不是 UTF-8 编码。", Pos(where),
                                                  "用 UTF-8 编码另存这个文件。"))
                except jinja2.TemplateSyntaxError as exc:
                    self._problems.append(Problem("E961", f"主题模板 {name} 有语法错误：{exc.message}",
                                                  Pos(where, exc.lineno or 0),
                                                  "改正这一行（Jinja2 模板语法），或删去这个覆盖模板，使用默认主题的。"))
        return self._problems

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
        reason = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        return Problem("E962", f"用主题模板 {template} 生成页面时出错：{reason}", where,
                       "检查模板里这一行用到的字段和文件名（可用字段见默认主题的同名模板）；"
                       "或删去这个覆盖模板，使用默认主题的。")

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
