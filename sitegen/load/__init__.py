"""Stage 1 of the pipeline: content folder → typed model, with every problem found.

    discover (layout) → read bytes once → parse each file (cached by content hash,
    in worker processes when many files miss the cache) → assemble the District.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.load.assemble import assemble
from sitegen.load.cache import ParseCache, default_dir
from sitegen.load.layout import SourceFile, discover
from sitegen.load.parse import parse
from sitegen.model.ledger import Entry
from sitegen.model.restricted import RestrictedYear
from sitegen.model.site import District
from sitegen.problems import Pos, Problem

PARALLEL_FROM = 400  # cache misses below this are parsed in-process: workers cost more to start


@dataclass
class Loaded:
    root: Path
    district: District | None
    problems: list[Problem]
    ledgers: dict[tuple[str, int], list[tuple[int, Entry]]] = field(default_factory=dict)
    restricted: dict[tuple[str, int], RestrictedYear] = field(default_factory=dict)
    files: int = 0
    cache_hits: int = 0
    hashes: dict[str, str] = field(default_factory=dict)  # path -> sha256 of the bytes read

    def content_hash(self) -> str:
        """One hash over every file read (paths and bytes): the data version of a build."""
        h = hashlib.sha256()
        for path, digest in sorted(self.hashes.items()):
            h.update(f"{path}\0{digest}\n".encode())
        return h.hexdigest()

    @property
    def ok(self) -> bool:
        return self.district is not None and not any(p.is_error for p in self.problems)


def load(root: Path | str, *, cache_dir: Path | None | bool = True, jobs: int | None = None,
         restricted: bool = False) -> Loaded:
    """Load a content folder. `restricted=True` also loads content/restricted/ (for `check`
    only: the build never asks for it, so it cannot publish it)."""
    root = Path(root)
    if not root.is_dir():
        return Loaded(root, None, [Problem("E102", f"内容目录“{root}”不存在。", Pos(str(root)),
                                           "检查路径；默认读取当前目录下的 content/。")])
    sources, problems = discover(root)
    if not restricted:
        sources = [s for s in sources if s.kind != "restricted"]
    cache = ParseCache(default_dir() if cache_dir is True else (cache_dir or None))
    hashes: dict[str, str] = {}
    parsed = _parse_all(root, sources, cache, problems, jobs, hashes)
    district, more = assemble([(sf, value) for sf, value in parsed if sf.kind != "restricted"])
    problems += more
    ledgers: dict[tuple[str, int], list[tuple[int, Entry]]] = {}
    records: dict[tuple[str, int], RestrictedYear] = {}
    for sf, value in parsed:
        if value is None:
            continue
        if sf.kind == "ledger":
            ledgers.setdefault((sf.branch, sf.year), []).extend((sf.quarter, e) for e in value.entries)
        elif sf.kind == "restricted":
            records[(sf.branch, sf.year)] = value
    return Loaded(root, district, problems, ledgers, records, files=len(sources), cache_hits=cache.hits,
                  hashes=hashes)


def _parse_all(root: Path, sources: list[SourceFile], cache: ParseCache, problems: list[Problem], jobs, hashes):
    results: list = [None] * len(sources)
    misses: list[tuple[int, str, str, str, bytes]] = []
    for i, sf in enumerate(sources):
        try:
            raw = (root / sf.path).read_bytes()
        except OSError as exc:
            problems.append(Problem("E102", f"无法读取文件：{exc.strerror}。", Pos(sf.path), "检查文件权限。"))
            results[i] = (None, [])
            continue
        hashes[sf.path] = hashlib.sha256(raw).hexdigest()
        key = cache.key(sf.kind, sf.path, raw)
        hit = cache.get(key)
        if hit is not None:
            results[i] = hit
        else:
            misses.append((i, key, sf.kind, sf.path, raw))
    jobs = jobs or os.cpu_count() or 1
    if len(misses) >= PARALLEL_FROM and jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            chunk = max(1, len(misses) // (jobs * 8))
            outs = list(pool.map(_parse_one, [m[2:] for m in misses], chunksize=chunk))
    else:
        outs = [_parse_one(m[2:]) for m in misses]
    for (i, key, *_), out in zip(misses, outs):
        results[i] = out
        cache.put(key, out)
    parsed = []
    for sf, (value, found) in zip(sources, results):
        problems.extend(found)
        parsed.append((sf, value))
    return parsed


def _parse_one(args):
    kind, path, raw = args
    return parse(kind, path, raw)
