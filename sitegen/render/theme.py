"""The theme: Jinja2 templates and static assets, with the content's own overrides.

Like MkDocs's `custom_dir`: a content repository may have a `theme/` folder whose
`templates/` override the default theme's templates file by file (looked up there
first) and whose `assets/` are copied over the default assets; an
`assets/extra.css` there is linked from every page after the default stylesheet.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2

DEFAULT_THEME = Path(__file__).resolve().parents[2] / "themes" / "default"


def temporary(name: str) -> bool:
    """Hidden files and editors' temporary files (`.x.swp`, `x~`, `x.tmp`): never part of
    a theme, and saving them is not a change anybody means (serve ignores them too)."""
    return name.startswith((".", "~")) or name.endswith(("~", ".swp", ".swx", ".tmp"))


class Theme:
    """The theme as it was when this object was made: every template and asset is read
    once, here, so the fingerprint and what is rendered can never disagree, however the
    files change afterwards (a long-running `serve` makes a new Theme when they do)."""

    def __init__(self, content_root: Path | None = None, default: Path = DEFAULT_THEME):
        self.folders = [default]
        override = content_root / "theme" if content_root else None
        if override is not None and override.is_dir():
            self.folders.insert(0, override)
        self._files: dict[str, dict[str, bytes]] = {}  # "templates"/"assets" -> name -> bytes; overrides win
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
                    self._files.setdefault(rel.parts[0], {}).setdefault(rel.relative_to(rel.parts[0]).as_posix(), data)
        self._fingerprint = h.hexdigest()[:16]
        templates = {name: data.decode("utf-8") for name, data in self._files.get("templates", {}).items()}
        self.env = jinja2.Environment(
            loader=jinja2.DictLoader(templates),
            autoescape=True,
            undefined=jinja2.StrictUndefined,  # a typo in a template fails the build, not the page
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.extra_css = override is not None and (override / "assets" / "extra.css").is_file()

    def render(self, template: str, view) -> bytes:
        return self.env.get_template(template).render(v=view, page=getattr(view, "page", None)).encode("utf-8")

    def assets(self) -> dict[str, bytes]:
        """Asset path (relative to the output root) → bytes; overrides win."""
        return {f"assets/{name}": data for name, data in sorted(self._files.get("assets", {}).items())}

    def fingerprint(self) -> str:
        """Changes whenever any template or asset changes (part of every page's inputs)."""
        return self._fingerprint
