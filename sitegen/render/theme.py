"""The theme: Jinja2 templates and static assets, with the content's own overrides.

Like MkDocs's `custom_dir`: a content repository may have a `theme/` folder whose
`templates/` override the default theme's templates file by file (a ChoiceLoader looks
there first) and whose `assets/` are copied over the default assets; an
`assets/extra.css` there is linked from every page after the default stylesheet.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2

DEFAULT_THEME = Path(__file__).resolve().parents[2] / "themes" / "default"


class Theme:
    def __init__(self, content_root: Path | None = None, default: Path = DEFAULT_THEME):
        self.folders = [default]
        override = content_root / "theme" if content_root else None
        if override is not None and override.is_dir():
            self.folders.insert(0, override)
        loaders = [jinja2.FileSystemLoader(str(f / "templates")) for f in self.folders]
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,  # a typo in a template fails the build, not the page
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self._fingerprint = ""
        self.extra_css = override is not None and (override / "assets" / "extra.css").is_file()

    def render(self, template: str, view) -> bytes:
        return self.env.get_template(template).render(v=view, page=getattr(view, "page", None)).encode("utf-8")

    def assets(self) -> dict[str, bytes]:
        """Asset path (relative to the output root) → bytes; overrides win."""
        out: dict[str, bytes] = {}
        for folder in reversed(self.folders):
            base = folder / "assets"
            if base.is_dir():
                for path in sorted(base.rglob("*")):
                    if path.is_file():
                        out["assets/" + path.relative_to(base).as_posix()] = path.read_bytes()
        return dict(sorted(out.items()))

    def fingerprint(self) -> str:
        """Changes whenever any template or asset changes (part of every page's inputs).
        Read once per Theme: a build makes its own Theme, so an edited theme is seen."""
        if self._fingerprint:
            return self._fingerprint
        h = hashlib.sha256()
        for folder in self.folders:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    h.update(path.relative_to(folder).as_posix().encode())
                    h.update(path.read_bytes())
        self._fingerprint = h.hexdigest()[:16]
        return self._fingerprint
