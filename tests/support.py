"""Paths and helpers shared by tests."""

import json
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
MINI = FIXTURES / "mini"
ROOT = Path(__file__).parent.parent
B1 = "committees/c1/branches/b1"
B1_2026 = f"{B1}/2026"

# How long a test waits for something that must happen (a server ready, a page rebuilt,
# output/ written): generous, so that a machine loaded by other work slows a test down
# instead of failing it. The wait ends as soon as the thing has happened.
PATIENCE = 180.0


def sitegen_cli(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m sitegen ARGS` as a user runs it, output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "sitegen", *map(str, args)], capture_output=True, text=True, cwd=cwd or ROOT
    )


def wait_until(condition, what: str, timeout: float = PATIENCE, every: float = 0.05):
    """Poll `condition()` until it returns something true (returned) or `timeout` seconds
    pass (the test fails, saying `what` did not happen). An OSError counts as not yet: a
    file being replaced is briefly missing."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
        except OSError:
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout:.0f} s for {what}: it did not happen")
        time.sleep(every)


def made_by_build(site: Path) -> Path:
    """A hand-made site folder given the manifest `sitegen build` writes (every file in it,
    with its size), so that `publish` takes its files as the build's."""
    from sitegen.write import MANIFEST

    files = {p.relative_to(site).as_posix(): p.stat().st_size for p in sorted(site.rglob("*")) if p.is_file()}
    (site / MANIFEST).write_text(json.dumps({"pages": {}, "units": {}, "files": files}), "utf-8")
    return site
