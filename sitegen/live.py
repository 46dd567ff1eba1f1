"""The site behind `sitegen serve`: kept in memory, brought up to date after every save,
rendered page by page as the browser asks for it.

After a save, `refresh` re-reads the saved files only (`load.rescan`), and checks and
scores the district again with a :class:`Memo`, so only the branch that changed is
parsed, assembled, scored and checked again; ranks across branches are recomputed (they
are cheap). That makes a new *version*: everything the renderers need, consistent, or
the errors that stop it (the last good version stays).

Nothing is rendered until asked for (Hugo's fast render): `get(path)` finds the unit that
makes the file and the file's job, and computes the file's inputs key exactly as the
build does. When output/ (the *base*, the last full build on disk) has that file from
the same inputs, it is served from disk; otherwise it is rendered, once, and kept in
memory under its key. So a save costs the re-check plus the page being looked at.

Output/ itself is brought up to date by a full `sitegen build` in a child process once
the edits pause (`sync`), so the server stays responsive and output/ is always a
complete build, swapped in atomically.
"""

from __future__ import annotations

import gc
import json
import os
import stat
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.build import Prepared, build_info, prepare, read_inputs, write
from sitegen.check import build_day
from sitegen.load import Scan, rescan, scan
from sitegen.memo import Memo
from sitegen.problems import Problem
from sitegen.render.html.urls import Owner, Unit
from sitegen.render.jobs import JobKind, RenderJob
from sitegen.render.run import Site
from sitegen.render.theme import Theme
from sitegen.write import MANIFEST, pending

if TYPE_CHECKING:
    from sitegen.render.pdf.fonts import Fonts

CACHE_BYTES = 256 * 1024 * 1024  # rendered files kept in memory, least recently used dropped first


@dataclass
class Outcome:
    """What a refresh did: `changed` (a new version), `problems` (errors: the last good
    version stays), or neither (the save did not change any input)."""

    changed: bool = False
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


class Sync(str, Enum):
    """What bringing output/ up to date did."""

    CURRENT = "current"  # output/ holds the current version
    BUSY = "busy"  # a sync is under way
    BEHIND = "behind"  # written, but the content changed meanwhile
    FAILED = "failed"


class Version:
    """One prepared version of the content and the jobs of the units asked for so far."""

    def __init__(self, prepared: Prepared):
        self.prepared = prepared
        self.key = prepared.key
        self.site = Site(prepared)
        self.info = build_info(prepared, None)
        self._assets: dict[str, bytes] | None = None
        self._jobs: dict[Unit, dict[str, RenderJob]] = {}

    def assets(self) -> dict[str, bytes]:
        if self._assets is None:
            self._assets = self.prepared.inputs.theme.assets()
        return self._assets

    def jobs(self, unit: Unit) -> dict[str, RenderJob]:
        if unit not in self._jobs:
            self._jobs[unit] = {job.path: job for job in self.site.jobs(unit)}
        return self._jobs[unit]


@dataclass(frozen=True)
class Ready:
    """The file's bytes, from output/ or from memory (None: there is no such file)."""

    data: bytes | None


@dataclass(frozen=True)
class Render:
    """The file is to be rendered from `job` of `version`, and kept under `key`."""

    version: Version
    job: RenderJob
    key: str


@dataclass(frozen=True)
class Moved:
    """output/ lost a file its manifest lists: another build swapped it in meanwhile."""


Plan = Ready | Render | Moved


class LiveSite:
    def __init__(
        self,
        content: Path,
        output: Path,
        *,
        pdf: bool = False,
        history: bool = True,
        jobs: int | None = None,
        cache_dir=True,
        today: date | None = None,
    ):
        """`today`: the date to build as (--today); None: the real date, read at every refresh."""
        self.content, self.output = content, output
        self.today = today
        self.pdf, self.history, self.jobs, self.cache_dir = pdf, history, jobs, cache_dir
        self.memo = Memo()
        self.lock = threading.RLock()  # held while a version is made and while a file is served
        self.current: Version | None = None
        self.problems: list[Problem] = []  # the last attempt's errors
        self._scanned: Scan | None = None
        self._theme: Theme | None = None
        self._fonts: Fonts | None = None
        self._cache: OrderedDict[str, bytes] = OrderedDict()
        self._cached_bytes = 0
        self._base_fd: int | None = None
        self._base_ino: tuple | None = None
        self._base_key = ""
        self._base_pages: dict[str, str] = {}
        self._pdf_lock = threading.Lock()
        self._sync: subprocess.Popen | None = None
        self._load_base()

    # -- making versions ---------------------------------------------------------------

    def start(self) -> Outcome:
        """The first version; output/ is written when it was not made from these inputs."""
        outcome = self.refresh(None)
        if self.current is not None and self.current.key != self._base_key:
            with self.lock:
                result = write(self.current.prepared, self.output, jobs=self.jobs)
                if not result.ok:
                    self.problems = result.problems
                    return Outcome(problems=result.problems, seconds=outcome.seconds)
                self._load_base()
        return outcome

    def refresh(self, changed: list[tuple[str, bool]] | None) -> Outcome:
        """A new version after the files in `changed` were saved ((path relative to the
        content folder, is a folder); None: anything may have changed, scan everything)."""
        started = time.monotonic()
        with self.lock:
            scanned = rescan(self._scanned, changed) if self._scanned is not None and changed is not None else None
            # always the latest bytes, even if they do not check: the next save is compared with them
            self._scanned = scanned = scanned or scan(self.content, restricted=False)
            fonts = self._fonts if self._fonts is not None and not self._fonts.missing else None  # installed since?
            today = build_day(self.today)  # as the build: which 公示 have begun, which deadlines have passed
            inputs = read_inputs(
                self.content,
                pdf=self.pdf,
                history=self.history,
                scanned=scanned,
                today=today,
                theme=self._theme,
                fonts=fonts,
            )
            self._theme, self._fonts = inputs.theme, inputs.fonts
            if (
                self.current is not None
                and inputs.key == self.current.key
                and not self.problems
                and not scanned.problems
            ):
                return Outcome(seconds=time.monotonic() - started)
            prepared = prepare(
                self.content, inputs, cache_dir=self.cache_dir, jobs=self.jobs, memo=self.memo, today=today
            )
            if isinstance(prepared, list):
                self.problems = prepared
                return Outcome(problems=prepared, seconds=time.monotonic() - started)
            self.problems = []
            was = self.current.key if self.current is not None else None
            self.current = Version(prepared)
            # the model lives as long as the server: keep the collector from rescanning it
            gc.collect()
            gc.freeze()
            return Outcome(changed=prepared.key != was, seconds=time.monotonic() - started)

    # -- serving files -----------------------------------------------------------------

    def get(self, path: str) -> bytes | None:
        """The current version's file at `path` (relative to the site root), or None."""
        if path.startswith("/") or ".." in path.split("/"):
            return None
        with self.lock:  # waits while a version is being made
            plan = self._plan(path)
            if isinstance(plan, Moved):  # output/ was swapped meanwhile: decide again on the new one
                self._load_base()
                plan = self._plan(path)
        if isinstance(plan, Ready):
            return plan.data
        if isinstance(plan, Moved):
            return None
        # rendered outside the lock: a slow file (a PDF) holds up neither other requests nor
        # the next refresh; the version it comes from is complete and never changes
        if plan.job.kind is JobKind.PDF:
            with self._pdf_lock:  # one WeasyPrint document at a time
                data = plan.version.site.render(plan.job)
        else:
            data = plan.version.site.render(plan.job)
        with self.lock:
            self._remember(plan.key, data)
        return data

    def _plan(self, path: str) -> Plan:
        """How to answer for `path`: bytes at hand, a file to render, or output/ moved."""
        self._check_base()
        version = self.current
        if version is None or version.key == self._base_key:
            return self._from_disk(path)
        if path == "build-info.json":
            return Ready(version.info)
        unit = version.site.unit_of(path)
        if unit is Owner.ASSET:
            return Ready(version.assets().get(path))
        if unit is Owner.NOWHERE:
            return Ready(None)
        # the unit's views are built (once per version): a file whose view is that of the
        # build on disk is served from disk
        job = version.jobs(unit).get(path)
        if job is None:
            return Ready(None)
        file_key = version.site.file_key(job)
        if self._base_pages.get(path) == file_key:
            return self._from_disk(path)
        data = self._cache.get(file_key)
        if data is not None:
            self._cache.move_to_end(file_key)
            return Ready(data)
        return Render(version, job, file_key)

    def _from_disk(self, path: str) -> Plan:
        data = self._disk(path)
        return Moved() if data is None and path in self._base_pages else Ready(data)

    def _disk(self, path: str) -> bytes | None:
        """A file of output/ as it was when its manifest was read (through the folder's
        descriptor: a build swapping output/ meanwhile cannot mix two builds)."""
        if self._base_fd is None:
            return None
        try:
            fd = os.open(path, os.O_RDONLY, dir_fd=self._base_fd)
        except (OSError, ValueError):
            return None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            chunks = []
            while chunk := os.read(fd, 1 << 20):
                chunks.append(chunk)
            if pending(self.output):  # a build is moving its files into place: maybe not this build's
                return None
            return b"".join(chunks)
        except OSError:
            return None
        finally:
            os.close(fd)

    def _remember(self, key: str, data: bytes) -> None:
        self._cache[key] = data
        self._cached_bytes += len(data)
        while self._cached_bytes > CACHE_BYTES and len(self._cache) > 1:
            _, dropped = self._cache.popitem(last=False)
            self._cached_bytes -= len(dropped)

    # -- output/ on disk -----------------------------------------------------------------

    def _load_base(self) -> None:
        """What output/ holds: its inputs key and the key of every file and unit, read
        through a descriptor of the folder that stays with that build."""
        if self._base_fd is not None:
            os.close(self._base_fd)
        self._base_fd, self._base_ino = None, None
        self._base_key, self._base_pages = "", {}
        try:
            self._base_fd = os.open(self.output, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return
        self._base_ino = self._identity(self._base_fd)
        if pending(self.output):  # a build's moves not finished: nothing of it is read (all rendered)
            return
        try:
            info = json.loads(self._disk("build-info.json") or b"")
            manifest = json.loads(self._disk(MANIFEST) or b"")
            self._base_key, self._base_pages = info["build_key"], manifest["pages"]
        except (ValueError, KeyError, TypeError):
            pass

    def _identity(self, fd: int | None = None) -> tuple | None:
        """Which build output/ holds: the folder's inode (a build swaps the folder) and its
        manifest's (an output that is a mount point has its entries swapped instead);
        through `fd`, the folder we read from, when given."""
        try:
            if fd is not None:
                return os.fstat(fd).st_ino, os.stat(MANIFEST, dir_fd=fd).st_ino
            return os.stat(self.output).st_ino, os.stat(os.path.join(self.output, MANIFEST)).st_ino
        except OSError:
            return None

    def _check_base(self) -> None:
        """Read output/ again if another build (serve's own sync, or `sitegen build` run by
        hand) has swapped a new one in."""
        ino = self._identity()
        if ino != self._base_ino or (self._base_key and pending(self.output)):
            self._load_base()

    @property
    def output_current(self) -> bool:
        """Whether output/ holds the current version."""
        with self.lock:
            self._check_base()
            return self.current is not None and self.current.key == self._base_key

    def sync(self) -> Sync:
        """Bring output/ up to date: a full, incremental `sitegen build` in a child process
        (the server keeps answering meanwhile; the build swaps output/ in atomically).
        Says what it did (`Sync`)."""
        with self.lock:
            if self.current is None or self.output_current:
                return Sync.CURRENT
            if self._sync is not None:
                return Sync.BUSY
            wanted = self.current.key
            command = [
                sys.executable,
                "-m",
                "sitegen",
                "build",
                str(self.content),
                "-o",
                str(self.output),
                "--quiet",
                "--jobs",
                "1",
            ]
            command += [] if self.pdf else ["--no-pdf"]
            command += [] if self.history else ["--no-history"]
            if self.today is not None:
                command += ["--today", self.today.isoformat()]  # the same date as this version's
            # its own session: Ctrl-C in the terminal stops the server, which stops the child
            self._sync = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:  # behind the next save's refresh in the queue for the processor
                os.setpriority(os.PRIO_PROCESS, self._sync.pid, 10)
            except (OSError, AttributeError):
                pass
        try:
            code = self._sync.wait()
        finally:
            with self.lock:
                self._sync = None
                self._load_base()
        if code != 0:
            return Sync.FAILED
        if self.output_current:
            return Sync.CURRENT
        # edited while it was written: once more; else the build made another version
        # than serve's (it should not happen): say so rather than build again and again
        return Sync.BEHIND if self.current is not None and self.current.key != wanted else Sync.FAILED

    def stop(self) -> None:
        """Stop a sync under way (output/ keeps the last complete build)."""
        proc = self._sync
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
