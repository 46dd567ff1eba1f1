"""Where sitegen keeps its own files on this machine: `$XDG_CACHE_HOME/sitegen`, or
`~/.cache/sitegen` (the parse cache and remembered results, the content folders' locks)."""

from __future__ import annotations

import os
from pathlib import Path


def sitegen_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")) / "sitegen"
