"""Which kind of content file a path names, from the path alone (the file may exist only
in some commit, so the folder cannot be listed as `sitegen.load.layout` does)."""

from __future__ import annotations

import re

from sitegen.load.layout import FileKind, SourceFile

_BRANCH_YEAR = r"committees/([^/]+)/branches/([^/]+)/(20\d\d)/"
_QUARTERLY = re.compile(_BRANCH_YEAR + r"(ledger|quarters)/q([1-4])\.yaml")
_ROSTER = re.compile(_BRANCH_YEAR + r"roster\.yaml")


def classify(path: str) -> SourceFile | None:
    """The ledger, quarter and roster files of a branch year (the ones the history reads)."""
    m = _QUARTERLY.fullmatch(path)
    if m:
        kind = FileKind.LEDGER if m.group(4) == "ledger" else FileKind.QUARTER
        return SourceFile(
            kind, path, committee=m.group(1), branch=m.group(2), year=int(m.group(3)), quarter=int(m.group(5))
        )
    m = _ROSTER.fullmatch(path)
    if m:
        return SourceFile(FileKind.ROSTER, path, committee=m.group(1), branch=m.group(2), year=int(m.group(3)))
    return None


def roster_path(sf: SourceFile) -> str:
    return f"committees/{sf.committee}/branches/{sf.branch}/{sf.year}/roster.yaml"


def ledger_path(committee: str, branch: str, year: int, quarter: int) -> str:
    return f"committees/{committee}/branches/{branch}/{year}/ledger/q{quarter}.yaml"
