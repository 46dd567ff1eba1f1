"""`sitegen check` problems in the formats CI systems show next to the changed lines.

- `github`: workflow commands, `::error file=…,line=…,col=…,title=…::message`, which
  GitHub Actions and Gitea Actions runners turn into annotations;
- `gitlab`: a Code Quality report (JSON array), shown in the merge request;
- `junit`: JUnit XML, one test case per file checked (a failure lists its errors), shown
  by GitLab's test report and most CI servers.

Paths are the repository's (the content folder's prefix added) so the host can place
them on the diff; `to_path` makes them.
"""

from __future__ import annotations

import hashlib
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path

from sitegen.problems import Problem, visible

PathOf = Callable[[str], str]


def _safe(to_path: PathOf) -> PathOf:
    """Paths as the reports show them: a file name with a control character (refused by
    check, but still named) must not break the XML or act on a terminal."""
    return lambda rel: visible(to_path(rel))


def repository_paths(content: Path) -> PathOf:
    """Content-relative path → the path CI hosts use: relative to the repository's top
    level when the content folder is in a git repository, else to the current folder.
    The empty path names the content folder itself."""
    from sitegen.history.git import GitError, locate

    try:
        repo = locate(content)
    except GitError:
        repo = None
    if repo is not None:
        prefix = repo.prefix
        return lambda rel: (prefix + rel) if rel else (prefix.rstrip("/") or ".")
    base = os.path.relpath(content)
    return lambda rel: os.path.normpath(os.path.join(base, rel)) if rel else base


def _text(p: Problem) -> str:
    return f"[{p.code}] {p.message}" + (f"\n提示：{p.hint}" if p.hint else "")


# --------------------------------------------------------------------------- GitHub / Gitea


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(problems: Iterable[Problem], to_path: PathOf) -> str:
    to_path = _safe(to_path)
    lines = []
    for p in problems:
        props = []
        if p.pos.file:
            props.append(f"file={_escape_property(to_path(p.pos.file))}")
            if p.pos.line:
                props.append(f"line={p.pos.line}")
                if p.pos.col:
                    props.append(f"col={p.pos.col}")
        props.append(f"title={_escape_property(f'sitegen {p.code}')}")
        command = "error" if p.is_error else "warning"
        lines.append(f"::{command} {','.join(props)}::{_escape_data(_text(p))}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- GitLab Code Quality


def fingerprint(p: Problem, path: str) -> str:
    """Stable across runs and unaffected by lines moving, so GitLab can tell which
    problems a merge request introduced and which it fixed."""
    return hashlib.md5(f"{p.code}\0{path}\0{p.message}".encode()).hexdigest()


def gitlab(problems: Iterable[Problem], to_path: PathOf, root_path: str = ".") -> str:
    to_path = _safe(to_path)
    report = []
    seen: dict[str, int] = {}
    for p in problems:
        path = to_path(p.pos.file) if p.pos.file else root_path
        fp = fingerprint(p, path)
        seen[fp] = seen.get(fp, 0) + 1
        if seen[fp] > 1:  # the same problem twice in a file: still two distinct findings
            fp = hashlib.md5(f"{fp}\0{seen[fp]}".encode()).hexdigest()
        report.append(
            {
                "type": "issue",
                "description": _text(p),
                "check_name": p.code,
                "fingerprint": fp,
                "severity": "major" if p.is_error else "minor",
                "categories": ["Bug Risk"] if p.is_error else ["Style"],
                "location": {"path": path, "lines": {"begin": max(p.pos.line, 1)}},
            }
        )
    return json.dumps(report, ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- JUnit XML


def junit(problems: Iterable[Problem], files: Iterable[str], to_path: PathOf, root_path: str = ".") -> str:
    """One test case per file checked: failed when the file has errors (all of them in
    the failure's text), passed otherwise (warnings in its output). Always well-formed
    XML: no text reaches it that XML 1.0 cannot hold (`Problem` and `_safe`)."""
    to_path = _safe(to_path)
    by_file: dict[str, list[Problem]] = {to_path(f): [] for f in files}
    for p in problems:
        by_file.setdefault(to_path(p.pos.file) if p.pos.file else root_path, []).append(p)
    failures = sum(1 for found in by_file.values() if any(p.is_error for p in found))
    suites = ET.Element("testsuites", name="sitegen check", tests=str(len(by_file)), failures=str(failures), errors="0")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name="sitegen check",
        tests=str(len(by_file)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for path in sorted(by_file):
        found = by_file[path]
        case = ET.SubElement(suite, "testcase", classname="sitegen.check", name=path, file=path)
        errors = [p for p in found if p.is_error]
        warnings = [p for p in found if not p.is_error]
        if errors:
            first = errors[0]
            failure = ET.SubElement(case, "failure", message=f"[{first.code}] {first.message}", type=first.code)
            failure.text = "\n\n".join(_located(p, path) for p in errors)
        if warnings:
            ET.SubElement(case, "system-out").text = "\n\n".join(_located(p, path) for p in warnings)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _located(p: Problem, path: str) -> str:
    where = f"{path}:{p.pos.line}:{p.pos.col}" if p.pos.line else path
    return f"{where}: {_text(p)}"
