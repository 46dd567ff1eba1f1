"""The methods `dataclasses` writes, compiled once and kept beside sitegen's `.pyc` files
(sitegen.model.compiled): a second process compiles none of them, gets the very code
compiling them gives, and a kept file that is damaged, of another Python, or not to be
written (PYTHONDONTWRITEBYTECODE) changes nothing but the time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import sitegen

ROOT = Path(sitegen.__file__).resolve().parent.parent

# A process as `sitegen` starts: the command line installs the cache, then imports every
# command (and with them the model); it reports what it compiled, what it found kept,
# and whether every kept code object is what compiling its source gives.
PROBE = """
import json, os
import sitegen.cli
import sitegen.check, sitegen.render.run, sitegen.render.html.views
from sitegen.model import compiled
compiled.LIMIT = int(os.environ.get("LIMIT", compiled.LIMIT))
has = os.environ.get("HAS", "") in compiled._codes
if os.environ.get("NEW"):
    compiled.compiled(os.environ["NEW"])
same = all(code == compile(source, "<string>", "exec", dont_inherit=True) for source, code in compiled._codes.items())
print(json.dumps({"added": compiled._state["added"], "kept": len(compiled._codes), "same": same,
                  "path": compiled._state["path"], "has": has}))
"""


def probe(prefix: Path, *, write: bool = True, **more: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "LIMIT", "HAS", "NEW")}
    env.update(PYTHONPYCACHEPREFIX=str(prefix), PYTHONPATH=str(ROOT), **more)
    if not write:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


@pytest.fixture
def prefix(tmp_path) -> Path:
    return tmp_path / "pycache"


def test_a_second_process_compiles_no_dataclass_method(prefix):
    first = probe(prefix)
    assert first["added"] > 500  # the model's, the checks' and the views' methods
    kept = Path(first["path"])
    assert kept.is_file() and kept.is_relative_to(prefix)  # where Python keeps the .pyc files
    second = probe(prefix)
    assert second["added"] == 0 and second["kept"] == first["kept"]
    assert second["same"]  # every kept code object is what compiling its source gives


def test_a_damaged_or_foreign_file_is_compiled_again(prefix):
    kept = Path(probe(prefix)["path"])
    good = kept.read_bytes()
    for damaged in (
        good[: len(good) // 2],  # cut off
        good[:-1] + bytes([good[-1] ^ 1]),  # scribbled over
        good.replace(good[17:21], b"\0\0\r\n", 1),  # another Python's magic number
        b"",
    ):
        kept.write_bytes(damaged)
        found = probe(prefix)
        assert found["added"] > 500 and found["same"]
        assert probe(prefix)["added"] == 0  # written anew, whole


def test_nothing_is_written_when_python_writes_no_bytecode(prefix):
    found = probe(prefix, write=False)
    assert found["added"] > 500
    assert not Path(found["path"]).exists()


def test_a_file_grown_past_its_limit_keeps_what_was_used(prefix):
    first = probe(prefix, NEW="stale = 1")  # a source no later run asks for (older code's)
    assert probe(prefix, HAS="stale = 1")["has"]
    probe(prefix, LIMIT="10", NEW="fresh = 1")  # past the limit: written with this run's sources only
    found = probe(prefix, HAS="stale = 1")
    assert not found["has"] and found["added"] == 0 and found["kept"] == first["kept"]
