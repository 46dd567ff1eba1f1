"""Which libraries are installed beside sitegen: their output (templates, Markdown, the
pinyin of the search index, spreadsheets, PDFs and their fonts) is in the files, so an
upgrade must change every inputs key — of the build, of each unit and file, of each kept
piece — as a change of sitegen's own code does.

One listing of each folder packages are installed into (`site-packages` on `sys.path`):
the names of the installed distributions' metadata folders (`Jinja2-3.1.6.dist-info`)
carry their versions. Any upgrade changes it, not only of the libraries that render
(conservative: a rebuild, never a stale file), and it costs about a millisecond, where
asking `importlib.metadata` for each version would cost the no-change build some 50 ms."""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def libraries() -> str:
    names: set[str] = set()
    for folder in sys.path:
        # the folders packages are installed into; not the current folder or PYTHONPATH's
        # (which differ between runs of the same installation), and only the names count
        if os.path.basename(os.path.normpath(folder)) not in ("site-packages", "dist-packages"):
            continue
        try:
            names.update(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info")))
        except OSError:  # a zip, a missing folder
            continue
    return hashlib.sha256("\0".join(sorted(names)).encode()).hexdigest()[:24]
