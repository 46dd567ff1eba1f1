"""Parsed blobs, by blob id: a blob never changes, so neither does what it parses to.

Each blob is parsed with the project's own parser (`sitegen.load.parse.parse`) and kept
in the parse cache under a key made of the blob id, the kind and the parser's code
fingerprint. Only what the history needs is kept: a ledger's entries, a quarter record,
a roster's `全体`. Many misses at once are read in one pass of `git cat-file` and parsed
in worker processes, as `sitegen.load` does for a folder.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable

from sitegen.history.git import NULL, CatFile
from sitegen.load import PARALLEL_FROM
from sitegen.load.assemble import everyone
from sitegen.load.cache import ParseCache, default_dir
from sitegen.load.parse import parse

# what an absent file (the null blob) stands for, by kind
EMPTY = {"ledger": (), "quarter": None, "roster": ()}


def reduce(kind: str, value):
    """The part of a parsed file the history keeps (None: the file did not parse)."""
    if value is None:
        return None
    if kind == "ledger":
        return value.entries
    if kind == "roster":
        return everyone(value.members)
    return value


def _parse_reduced(args):
    kind, path, raw = args
    value, _problems = parse(kind, path, raw)
    return reduce(kind, value)


class Blobs:
    def __init__(self, cat: CatFile, cache_dir=True, jobs: int | None = None):
        self.cat = cat
        self.cache = ParseCache(default_dir() if cache_dir is True else (cache_dir or None))
        self.jobs = jobs or os.cpu_count() or 1
        self._memo: dict[tuple[str, str], object] = {}
        self.parsed = 0  # blobs parsed in this run (cache misses)

    @staticmethod
    def _key(kind: str, sha: str) -> str:
        return ParseCache.key(f"git-{kind}", "", sha)

    def get(self, kind: str, sha: str, path: str):
        """The reduced parse of blob `sha` (a `kind` file at `path`); EMPTY[kind] for the
        null blob, None when the blob does not parse."""
        if sha == NULL:
            return EMPTY[kind]
        memo = self._memo.get((kind, sha), self)
        if memo is not self:
            return memo
        self.load([(kind, sha, path)])
        return self._memo[(kind, sha)]

    def load(self, wanted: Iterable[tuple[str, str, str]]) -> None:
        """Make sure every (kind, blob, path) is parsed, reading and parsing misses in bulk."""
        misses: dict[tuple[str, str], str] = {}
        for kind, sha, path in wanted:
            if sha == NULL or (kind, sha) in self._memo or (kind, sha) in misses:
                continue
            hit = self.cache.get(self._key(kind, sha))
            if hit is not None:
                self._memo[(kind, sha)] = hit[0]
            else:
                misses[(kind, sha)] = path
        if not misses:
            return
        keys = list(misses)
        raws = self.cat.get_many([sha for _, sha in keys])
        jobs = [(kind, misses[(kind, sha)], raw[1] if raw else b"") for (kind, sha), raw in zip(keys, raws)]
        if len(jobs) >= PARALLEL_FROM and self.jobs > 1:
            with ProcessPoolExecutor(max_workers=self.jobs) as pool:
                values = list(pool.map(_parse_reduced, jobs, chunksize=max(1, len(jobs) // (self.jobs * 8))))
        else:
            values = [_parse_reduced(job) for job in jobs]
        for key, raw, value in zip(keys, raws, values):
            if raw is None:
                value = None
            self._memo[key] = value
            self.cache.put(self._key(*key), (value,))
        self.parsed += len(keys)

    def at(self, kind: str, names: list[str], paths: list[str]) -> list:
        """Reduced parses of `commit:path` names (absent files give EMPTY[kind]), in one pass."""
        found = self.cat.get_many(names)
        out = []
        for got, path in zip(found, paths):
            if got is None:
                out.append(EMPTY[kind])
                continue
            sha, raw = got
            if (kind, sha) not in self._memo:
                hit = self.cache.get(self._key(kind, sha))
                if hit is None:
                    hit = (_parse_reduced((kind, path, raw)),)
                    self.cache.put(self._key(kind, sha), hit)
                    self.parsed += 1
                self._memo[(kind, sha)] = hit[0]
            out.append(self._memo[(kind, sha)])
        return out
