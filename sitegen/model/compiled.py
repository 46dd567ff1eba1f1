"""The methods `dataclasses` writes, compiled once and kept, like Python's own `.pyc` files.

`dataclasses` (CPython 3.11) makes every method of a dataclass — __init__, __repr__,
__eq__, __hash__, and a frozen one's __setattr__ and __delattr__ — by writing its source
and compiling it with `exec`, every time the class is made: sitegen's ~120 dataclasses
cost ~730 compilations, about 70 ms of every run's start-up, though the source is the
same every time. :func:`install` puts a stand-in for `exec` in the `dataclasses`
module's namespace that compiles each source text once and keeps its code object by its
text, in a file next to sitegen's compiled modules (where Python keeps the `.pyc` files:
`__pycache__`, or under PYTHONPYCACHEPREFIX; nothing is written when Python writes no
bytecode). A code object is what compiling that very text gives, and running it is what
`exec` of the text does, so every class gets the very same methods.

The file names the Python build it was compiled by (its magic number and cache tag) and
carries the SHA-256 of its contents; one of another Python, cut off, or scribbled over is
ignored whole (every method is compiled again and the file written anew). It is written
atomically, at exit, only when a source not in it was compiled; one grown past `LIMIT`
entries (sources of older code are never taken out one by one) is written with this
process's only.
"""

from __future__ import annotations

import atexit
import builtins
import dataclasses
import hashlib
import importlib.util
import marshal
import os
import sys
from types import CodeType
from typing import Any

_MARK = b"sitegen-compiled\x01" + importlib.util.MAGIC_NUMBER
LIMIT = 5000  # entries kept (sitegen's and its libraries' dataclasses: about 1,000)
_codes: dict[str, CodeType] = {}
_used: set[str] = set()  # the sources this process asked for
_state: dict[str, Any] = {"path": None, "added": 0, "installed": False}


def _where() -> str | None:
    """Where Python keeps sitegen's compiled modules (None: nowhere)."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        pyc = importlib.util.cache_from_source(os.path.join(package, "__init__.py"))
    except (NotImplementedError, ValueError):
        return None
    return os.path.join(os.path.dirname(pyc), f"dataclass-methods.{tag}.marshal")


def _read(path: str) -> dict[str, CodeType]:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return {}
    head = len(_MARK) + 32
    if (
        len(data) < head
        or not data.startswith(_MARK)
        or hashlib.sha256(data[head:]).digest() != data[len(_MARK) : head]
    ):
        return {}  # another Python's, cut off or scribbled over
    try:
        found = marshal.loads(data[head:])
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(found, dict) or not all(type(k) is str and type(v) is CodeType for k, v in found.items()):
        return {}
    return found


def compiled(source: str) -> CodeType:
    """`source` compiled as `exec` compiles it (file name "<string>", no inherited
    future statements), once."""
    code = _codes.get(source)
    _used.add(source)
    if code is None:
        code = _codes[source] = compile(source, "<string>", "exec", dont_inherit=True)
        _state["added"] += 1
    return code


def run(source: str, globals: dict[str, Any], locals: dict[str, Any] | None = None) -> None:
    """`exec(source, globals, locals)`, with `source` compiled once."""
    exec(compiled(source), globals, globals if locals is None else locals)  # noqa: S102


def _exec(source: Any, globals: Any = None, locals: Any = None, /) -> None:
    """The stand-in for `exec` inside `dataclasses`."""
    if type(source) is not str or type(globals) is not dict:
        if globals is None:  # exec's defaults: the caller's namespaces
            caller = sys._getframe(1)
            globals, locals = caller.f_globals, caller.f_locals if locals is None else locals
        builtins.exec(source, globals, locals)  # noqa: S102
        return
    run(source, globals, locals)


def _save() -> None:
    path = _state["path"]
    if path is None or not _state["added"] or sys.dont_write_bytecode:
        return
    kept = _codes if len(_codes) <= LIMIT else {source: _codes[source] for source in _used}
    body = marshal.dumps(kept)
    data = _MARK + hashlib.sha256(body).digest() + body
    import tempfile  # (at exit only)

    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".dataclass-methods-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, os.stat(__file__).st_mode & 0o666)  # as Python's .pyc files: the source's
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return  # a read-only installation: compiled again next time
    _state["added"] = 0


def install() -> None:
    """Compile the methods `dataclasses` writes once and keep them (see the module). Once
    per process; a no-op where `dataclasses` does not make them with `exec`."""
    if _state["installed"] or "exec" in vars(dataclasses) or "_create_fn" not in vars(dataclasses):
        return
    _state["installed"] = True
    path = _state["path"] = _where()
    if path is not None:
        _codes.update(_read(path))
    dataclasses.exec = _exec  # type: ignore[attr-defined]
    atexit.register(_save)
