"""Parsed files, and each branch's checks and score, cached by content hash.

A file's parse result depends only on its kind, its path (positions name it) and its
bytes, and on sitegen's own loader and model code; the key covers all of these, so a
cache entry can never be stale. Entries are pickles under $XDG_CACHE_HOME/sitegen.

The same folder keeps what `sitegen serve` keeps in memory between two checks, for the
batch commands (`check`, `build`) to find on their next run: one bundle per branch of
its assembled years, effective schemes, scores, roster checks and checks, and the branch
as assembled with its parse problems and ledger entries (sitegen.memo.Remembered), keyed
by the hashes of the files they come from and of the code that made them
(:func:`results_fingerprint`, with sitegen's version).

Every entry is written to a temporary file and renamed into place (os.replace), so a
crash leaves either the whole entry or none; an entry stores its own key next to its
value, and one that cannot be read whole, or names another key, is ignored (the value
is computed again and the entry written anew) — never trusted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import pickle
import struct
import tempfile
import zlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import sitegen
from sitegen.home import sitegen_home
from sitegen.model import compiled

PICKLE_FORMAT = "frozen-slots-4"  # 2: a parse entry stores its key; 3, 4: bundles in two layers  # in every key


_MAKERS: dict[type, Any] = {}
_NAMES: dict[type, tuple[str, ...]] = {}  # the fields a maker takes, in order


def _maker(cls: type) -> Any:
    """A function that makes a `cls` from its fields' values, in order, without calling
    __init__ (frozen: each field is set as object.__setattr__ would). It is one of this
    module's attributes (see __getattr__), so a pickle names it, and the fields are set
    without the loop and the field lookup of dataclasses' __setstate__."""
    made = _MAKERS.get(cls)
    if made is not None:
        return made
    names = [f.name for f in dataclasses.fields(cls)]
    args = [f"v{i}" for i in range(len(names))]
    body = "".join(f"    _set(o, {name!r}, {arg})\n" for name, arg in zip(names, args))
    namespace: dict[str, Any] = {"_set": object.__setattr__, "_new": object.__new__, "_cls": cls}
    compiled.run(f"def make({', '.join(args)}):\n    o = _new(_cls)\n{body}    return o\n", namespace)
    made = namespace["make"]
    made.__name__ = made.__qualname__ = (
        "_make|" + cls.__module__.replace(".", "/") + "|" + cls.__qualname__.replace(".", "/")
    )
    made.__module__ = __name__
    _MAKERS[cls], _NAMES[cls] = made, tuple(names)
    globals()[made.__name__] = made
    return made


def __getattr__(name: str) -> Any:
    """The maker a pickle names (`_make|module|class`), made on first use."""
    if name.startswith("_make|"):
        import importlib

        _, module, qualname = name.split("|")
        target: Any = importlib.import_module(module.replace("/", "."))
        for part in qualname.split("/"):
            target = getattr(target, part)
        return _maker(target)
    raise AttributeError(name)


def _reduce_fields(obj: Any) -> tuple[Any, ...]:
    cls = type(obj)
    made = _MAKERS.get(cls) or _maker(cls)
    return (made, tuple(getattr(obj, name) for name in _NAMES[cls]))


class _Reducers(dict):
    """The pickler's dispatch table: frozen slotted dataclasses (the model's) are written
    as their fields' values, read back by :func:`_rebuild`, several times faster than
    the __setstate__ dataclasses gives them (which looks up the fields for every object)."""

    def __missing__(self, cls: type) -> Any:
        params = getattr(cls, "__dataclass_params__", None)
        if params is not None and params.frozen and "__slots__" in cls.__dict__:
            self[cls] = _reduce_fields
            return _reduce_fields
        raise KeyError(cls)


_REDUCERS = _Reducers()


def _dumps(value: object) -> bytes:
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    pickler.dump(value)
    return buffer.getvalue()


_FRAME = struct.Struct("<QI")


def framed(mark: bytes, body: bytes) -> bytes:
    """`body` behind `mark`, its length and its CRC-32: what :func:`unframed` reads back."""
    return mark + _FRAME.pack(len(body), zlib.crc32(body)) + body


def unframed(data: bytes, mark: bytes) -> memoryview | None:
    """The body :func:`framed` wrote behind `mark`, or None: another kind of file, or one
    cut off, grown or scribbled over (never trusted)."""
    start = len(mark) + _FRAME.size
    if not data.startswith(mark) or len(data) < start:
        return None
    length, crc = _FRAME.unpack_from(data, len(mark))
    body = memoryview(data)[start:]
    if len(body) != length or zlib.crc32(body) != crc:
        return None
    return body


def _write_atomically(target: Path, data: bytes) -> bool:
    """`data` in `target`, whole or not at all (a temporary file renamed into place)."""
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
        tmp = None
        return True
    except OSError:
        return False  # a cache that cannot be written only makes the next run slower
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def drop_former(path: Path, suffix: str) -> None:
    """Remove the file an earlier sitegen kept beside `path` under another `suffix` (its
    own format, no longer read), if there is one: a cache folder does not keep dead files."""
    try:
        os.unlink(path.with_suffix(suffix))
    except OSError:
        pass  # none (the usual case), or not ours to remove: left as it is


def _read_entry(path: Path, key: str) -> tuple[bool, object]:
    """(True, value) when `path` holds the whole entry for `key`; else (False, None): no
    file, one cut short or from other code, or another entry's bytes under this name
    (copied or renamed by hand) — never trusted, the value is computed again."""
    try:
        with open(path, "rb") as f:
            stored = pickle.load(f)
    except Exception:  # noqa: BLE001 — unreadable, truncated or from other code: not stored
        return False, None
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key):
        return False, None
    return True, stored[1]


def _write_entry(path: Path, key: str, value: object) -> bool:
    """`value` stored at `path` with its key beside it (see _read_entry), atomically."""
    try:
        data = _dumps((key, value))
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return _write_atomically(path, data)


# A layered entry (a branch's bundle): this mark, the lengths of its two pickles and the
# CRC-32 of the second, then the head — (key, value) — and the tail, pickled by one
# pickler so that the tail refers to the head's objects instead of storing them again
# (and is read by the same unpickler, after the head). Objects the writer names
# (`later`: a branch's ledger entries) are left out of the head, each replaced by a
# Deferred (sitegen.model.lazy) that reads the tail, where they are. A file whose
# lengths do not add up (cut off) or whose tail does not match its CRC is ignored whole.
_LAYERED = b"sitegen\x03"
_HEADER = struct.Struct("<QQI")


class _Sink:
    """Where a pickler writes: collects what one dump wrote."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out


def _dumps_layered(key: str, head: object, tail: object, later: list[object]) -> bytes:
    """The layered entry: `head`, with each object of `later` (by identity) left for the
    tail; `tail` and `later` in the tail."""
    sink = _Sink()
    pickler = pickle.Pickler(sink, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS
    index = {id(obj): i for i, obj in enumerate(later)}
    in_head = [True]

    def persistent_id(obj: object) -> int | None:
        return index.get(id(obj)) if in_head[0] else None

    pickler.persistent_id = persistent_id  # type: ignore[method-assign]
    pickler.dump((key, head))
    first = sink.take()
    in_head[0] = False
    pickler.dump((tail, later))  # the memo is kept between the two dumps: shared objects are referred to
    second = sink.take()
    return _LAYERED + _HEADER.pack(len(first), len(second), zlib.crc32(second)) + first + second


class _Stream:
    """What an unpickler reads from, its bytes replaceable between two loads: the tail is
    read later by the same unpickler (its memo holds the head's objects; an unpickler
    given another's memo does not number its own objects right), while only the tail's
    bytes are kept meanwhile."""

    def __init__(self, data: bytes | memoryview) -> None:
        self.buffer = io.BytesIO(data)

    def read(self, n: int = -1) -> bytes:
        return self.buffer.read(n)

    def readline(self) -> bytes:
        return self.buffer.readline()

    def readinto(self, target: Any) -> int:
        return self.buffer.readinto(target)


def _read_layered(path: Path, key: str) -> tuple[bool, object, Callable[[], object] | None]:
    """(True, head value, a function that gives the tail) when `path` holds the whole
    layered entry for `key`; else (False, None, None). The tail is unpickled when the
    function is first called (it raises if the tail cannot be read after all)."""
    from sitegen.model.lazy import Deferred

    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return False, None, None
    start = len(_LAYERED) + _HEADER.size
    if not data.startswith(_LAYERED) or len(data) < start:
        return False, None, None
    first, second, crc = _HEADER.unpack_from(data, len(_LAYERED))
    if start + first + second != len(data) or zlib.crc32(memoryview(data)[start + first :]) != crc:
        return False, None, None  # cut off, grown or scribbled over: never trusted
    stream = _Stream(memoryview(data)[start : start + first])
    unpickler = pickle.Unpickler(stream)
    read: list[Any] = []
    # the unpickler, until the tail is read: its memo holds every object it made (the
    # argument tuples of every model object too), so it is let go as soon as it is done
    held = [unpickler]

    def read_tail() -> object:
        if not read:
            if not held:
                raise pickle.UnpicklingError("the tail could not be read")
            reader = held.pop()
            try:
                read.append(reader.load())
            finally:
                stream.buffer = io.BytesIO()
        return read[0]

    def persistent_load(index: int) -> Deferred:
        return Deferred(lambda: cast(tuple, read_tail())[1][index])

    unpickler.persistent_load = persistent_load  # type: ignore[method-assign]
    try:
        stored = unpickler.load()
    except Exception:  # noqa: BLE001 — unreadable or from other code: not stored
        return False, None, None
    if stream.buffer.tell() != first or not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key):
        return False, None, None
    stream.buffer = io.BytesIO(data[start + first :])
    del data
    return True, stored[1], lambda: cast(tuple, read_tail())[0]


def sources_hash(seed: str, names: tuple[str, ...], length: int) -> str:
    """A hash of `seed` and of sitegen's own source files `names` (modules, or folders
    taken whole), each named by its path in the package: any change to them changes it."""
    root = Path(sitegen.__file__).parent
    h = hashlib.sha256(seed.encode())
    for name in names:
        target = root / name
        for path in sorted(target.rglob("*.py")) if target.is_dir() else [target]:
            h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:length]


@lru_cache(maxsize=1)
def sitegen_fingerprint() -> str:
    """A hash of all of sitegen's code (a few milliseconds): any change to it — a new
    version, or the same version number with other code — changes every output's key."""
    return sources_hash("", (".",), 24)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the code that shapes parse results (loader, model, problems)."""
    return sources_hash(PICKLE_FORMAT, ("load", "model", "problems.py"), 16)


@lru_cache(maxsize=1)
def results_fingerprint() -> str:
    """A hash of sitegen's version and of the code that shapes a branch's remembered
    results: the loader, the model, the rules, the checks (and this cache and the memo)."""
    names = ("__init__.py", "problems.py", "memo.py", "check.py", "load", "model", "rules", "validate")
    return sources_hash(f"sitegen {sitegen.__version__}\0{PICKLE_FORMAT}\0", names, 24)


def default_dir() -> Path:
    return sitegen_home() / "parsed"


def cache_folder(cache_dir: Path | str | bool | None) -> Path | None:
    """The cache folder a `cache_dir` argument names: True the default one, a path that
    folder, None or False none."""
    if cache_dir is True:
        return default_dir()
    return Path(cache_dir) if cache_dir else None


class ParseCache:
    def __init__(self, directory: Path | None):
        self.directory = directory
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(kind: str, path: str, content_sha256: str) -> str:
        h = hashlib.sha256()
        for part in (code_fingerprint(), kind, path, content_sha256):
            h.update(part.encode())
            h.update(b"\0")
        return h.hexdigest()

    def get(self, key: str) -> object:
        """The value stored under `key` (None: not stored, or unreadable)."""
        if self.directory is None:
            return None
        found, value = _read_entry(self.directory / key[:2] / key, key)
        if not found:
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: object) -> None:
        if self.directory is not None:
            _write_entry(self.directory / key[:2] / key, key, value)


class ResultStore:
    """Remembered results (sitegen.memo.Remembered: one entry per branch, its bundle) in a
    cache folder: one pickle per entry, stored with its own key, written atomically.
    `directory=None`: nothing is kept."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self.hits = 0
        self.written = 0

    @staticmethod
    def key(*parts: str) -> str:
        h = hashlib.sha256()
        for part in ("results", results_fingerprint(), *parts):
            h.update(part.encode())
            h.update(b"\0")
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / "results" / key[:2] / key

    def get(self, key: str) -> tuple[bool, object]:
        """(True, value) when an entry for `key` is stored whole; else (False, None)."""
        if self.directory is None:
            return False, None
        found, value = _read_entry(self._path(key), key)
        if found:
            self.hits += 1
        return found, value

    def put(self, key: str, value: object) -> None:
        if self.directory is not None and _write_entry(self._path(key), key, value):
            self.written += 1

    def get_layered(self, key: str) -> tuple[bool, object, Callable[[], object] | None]:
        """(True, head, read the tail) when a layered entry for `key` is stored whole
        (:meth:`put_layered`); else (False, None, None)."""
        if self.directory is None:
            return False, None, None
        found, head, tail = _read_layered(self._path(key), key)
        if found:
            self.hits += 1
        return found, head, tail

    def put_layered(self, key: str, head: object, tail: object, later: list[object]) -> None:
        """`head` and `tail` stored under `key` in one file, atomically; the tail is read
        only when asked for (:meth:`get_layered`), and so is each object of `later` found
        in the head (read as a sitegen.model.lazy.Deferred)."""
        if self.directory is None:
            return
        try:
            data = _dumps_layered(key, head, tail, later)
        except (pickle.PicklingError, TypeError, AttributeError):
            return
        if _write_atomically(self._path(key), data):
            self.written += 1


def _bytecode_cache(folder: Path) -> Any:
    """Jinja2's file bytecode cache, but an entry that cannot be read (cut short, scribbled
    over: Jinja2 catches some errors of its own but not a pickle cut in the middle) is
    compiled again instead of failing the page, like every other cache entry here."""
    import jinja2

    class Cache(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 — unreadable: as if not stored
                bucket.reset()

    return Cache(str(folder))


def theme_problems(theme: Any, directory: Path | None) -> list:
    """`theme.problems()` (sitegen.render.theme.Theme), remembered in the cache folder by
    the theme's fingerprint (every template's and asset's bytes, and the files it
    refused), its folders, Jinja2's version and the theme code: compiling and walking
    every template is a second or more per run at district scale. Also gives the theme's
    Jinja2 environment a bytecode cache in the same folder, so the templates a build
    renders are compiled once per template source, not once per run (Jinja2 keys each
    entry by the template's name and source, and refuses one from another Python)."""
    if directory is None:
        return theme.problems()
    import jinja2

    from sitegen.render import theme as theme_module

    try:
        (directory / "templates").mkdir(parents=True, exist_ok=True)
        theme.env.bytecode_cache = _bytecode_cache(directory / "templates")
    except OSError:
        pass
    store = ResultStore(directory)
    code = hashlib.sha256(Path(theme_module.__file__).read_bytes()).hexdigest()[:16]
    key = store.key("theme problems", theme.fingerprint(), repr(theme.folders), jinja2.__version__, code)
    found, value = store.get(key)
    if found and isinstance(value, list):
        theme._problems = value  # what problems() would find: the same theme, the same code
        return value
    problems = theme.problems()
    store.put(key, problems)
    return problems
