"""Cross-file validation: the rules a single file cannot check on its own.

Each check reads the loaded model (and, for year-end grades, the scored model) and
returns problems; none changes anything. `Locator` turns "member 3 of this entry" into
a line and column by re-reading that one file, which only happens when there is an error.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from sitegen.load.yamlio import compose, descend, node_pos
from sitegen.problems import Pos


class Locator:
    """Positions below the mapping level, found on demand (error path only)."""

    def __init__(self, root: Path):
        self.root = root
        self._nodes: dict[str, yaml.Node | None] = {}

    def find(self, at: Pos, *path) -> Pos:
        """The position of `path` (keys, list indexes) inside the mapping that starts at `at`."""
        node = self._mapping_at(at)
        if node is None:
            return at
        return node_pos(descend(node, path), at.file)

    def _mapping_at(self, at: Pos):
        if at.file not in self._nodes:
            try:
                text = (self.root / at.file).read_text("utf-8").lstrip("\ufeff")
                self._nodes[at.file] = compose(text, at.file)[0]
            except (OSError, UnicodeDecodeError):
                self._nodes[at.file] = None
        root = self._nodes[at.file]
        if root is None:
            return None
        stack = [root]
        while stack:
            node = stack.pop()
            mark = node.start_mark
            if isinstance(node, yaml.MappingNode) and (mark.line + 1, mark.column + 1) == (at.line, at.col):
                return node
            if isinstance(node, yaml.MappingNode):
                stack.extend(v for _, v in node.value)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
        return None
