"""Cross-file validation: the rules a single file cannot check on its own.

Each check reads the loaded model (and, for year-end grades, the scored model) and
returns problems; none changes anything. `Locator` turns "member 3 of this entry" into
a line and column by composing that one file again from the bytes the load read (the
disk is read only for a file the load did not keep), which only happens when there is
an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from sitegen.load import Unreadable, read_source
from sitegen.load.yamlio import compose, descend, node_pos
from sitegen.problems import Pos


class Locator:
    """Positions below the mapping level, found on demand (error path only).

    The first question about a file parses it once more and indexes every mapping in it
    by where it starts; every later question about that file is a dictionary lookup, so
    5,000 errors in one file cost one parse, not 5,000 walks of its tree."""

    def __init__(self, root: Path, sources: Mapping[str, bytes] | None = None):
        """`sources`: the files' bytes as the load read them (`Loaded.raw`), by path."""
        self.root = root
        self.sources = sources or {}
        self._index: dict[str, dict[tuple[int, int], yaml.MappingNode]] = {}
        self.parses = 0  # files parsed (tests assert one per file)

    def find(self, at: Pos, *path: str | int) -> Pos:
        """The position of `path` (keys, list indexes) inside the mapping that starts at `at`."""
        node = self._mapping_at(at)
        if node is None:
            return at
        return node_pos(descend(node, path), at.file)

    def _mapping_at(self, at: Pos) -> yaml.MappingNode | None:
        index = self._index.get(at.file)
        if index is None:
            index = self._index[at.file] = self._build(at.file)
        return index.get((at.line, at.col))

    def _build(self, file: str) -> dict[tuple[int, int], yaml.MappingNode]:
        self.parses += 1
        try:
            raw = self.sources.get(file)
            if raw is None:
                raw = read_source(self.root, file)
            text = raw.decode("utf-8").lstrip("\ufeff")
        except (Unreadable, UnicodeDecodeError):
            return {}
        root = compose(text.replace("\r\n", "\n").replace("\r", "\n"), file)[0]
        index: dict[tuple[int, int], yaml.MappingNode] = {}
        seen: set[int] = set()
        stack = [root] if root is not None else []
        while stack:
            node = stack.pop()
            if id(node) in seen:  # an alias: already indexed
                continue
            seen.add(id(node))
            if isinstance(node, yaml.MappingNode):
                mark = node.start_mark
                index.setdefault((mark.line + 1, mark.column + 1), node)
                stack.extend(v for _, v in node.value)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
        return index
