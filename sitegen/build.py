"""`sitegen build`: the whole pipeline, in order: read_inputs → prepare → write.

    read the files and what else the output depends on (theme, fonts, provenance):
        unchanged since the last build → nothing to do
    → load + validate (every problem, as `check` reports them; restricted/ is never read)
    → score every year (the rules engine)
    → render every page (html) — unchanged pages are reused from the last build
    → write atomically (staging folder swapped in only when complete)

Reading and scoring everything before rendering anything means every page sees the
same, consistent data; an error anywhere stops the build before output/ is touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import __version__, gcpolicy, installed, provenance
from sitegen.load import Scan, Unreadable, scan
from sitegen.load.cache import cache_folder, sitegen_fingerprint, theme_problems
from sitegen.memo import MISSING, NO_MEMO, Memo, Remembered
from sitegen.problems import Pos, Problem
from sitegen.write import Output, OutputError, Survey, check_output, finish_pending, os_problem, output_lock

# A build whose inputs are unchanged (the common case) reads the inputs, compares a key
# and returns: what only loading, checking, scoring and rendering need (the model, the
# rules, the renderers, openpyxl, markdown) is imported where it is used, not here.
if TYPE_CHECKING:
    from sitegen.check import Report
    from sitegen.model.scored import YearResult
    from sitegen.model.site import District
    from sitegen.render.html.common import SiteFacts
    from sitegen.render.pdf.fonts import Fonts
    from sitegen.render.run import Pdf
    from sitegen.render.screen.pages import ScreenSettings
    from sitegen.render.theme import Theme

BEIJING = timezone(timedelta(hours=8))


def build_day(given: date | None = None) -> date:
    """sitegen.check.build_day (the one meaning of "today": --today, or the date in
    Beijing), here so that a build with nothing to do need not import the checks; a test
    holds the two equal."""
    return given if given is not None else datetime.now(BEIJING).date()


@dataclass
class BuildResult:
    ok: bool
    problems: list[Problem] = field(default_factory=list)
    pages: int = 0
    rendered: int = 0
    rendered_files: list[str] = field(default_factory=list)  # the files rendered anew (the rest reused), sorted
    reused: int = 0
    seconds: float = 0.0
    unchanged: bool = False  # the inputs equal the last build's: nothing was touched
    # by kind (sitegen.memo.BRANCH_KEYS): each branch's results computed in this run, and
    # those found from the last run in the cache folder (Report.computed, .remembered)
    computed: dict[str, int] = field(default_factory=dict)
    remembered: dict[str, int] = field(default_factory=dict)


class Progress:
    """Progress on the terminal for long builds; silent with quiet=True."""

    def __init__(self, quiet: bool, stream=None):
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._last = 0.0

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    def done(self) -> None:
        """End the progress line (the command prints the summary)."""
        if not self.quiet and self.tty:
            print(" " * 40, end="\r", file=self.stream)

    def tick(self, done: int, label: str) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if now - self._last < (0.2 if self.tty else 5.0):
            return
        self._last = now
        end = "\r" if self.tty else "\n"
        print(f"{label}：已完成 {done} 页", end=end, file=self.stream, flush=True)


def build_key(content_hash: str, theme: str, footer: str) -> str:
    """Everything a build's output depends on, in one hash (sitegen's code and the
    installed libraries too: an upgrade is a rebuild, even one that keeps the version
    number)."""
    code = f"{__version__}\0{sitegen_fingerprint()}\0{installed.libraries()}"
    return hashlib.sha256(f"{code}\0{content_hash}\0{theme}\0{footer}".encode()).hexdigest()


def _previous_info(output: Path) -> dict:
    try:
        return json.loads((output / "build-info.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}


@dataclass
class Inputs:
    """What a build's output depends on, read cheaply before anything is parsed: the
    content's files and hashes, its provenance, the theme and the fonts. `key` hashes
    them all: equal keys, equal output."""

    scanned: Scan
    origin: provenance.Provenance
    theme: Theme
    fonts: Fonts | None  # PDF fonts, None without PDFs
    history: bool
    key: str


@dataclass
class Prepared:
    """One consistent version of the content, read, checked and scored: everything the
    renderers need. `build` writes all of it; `serve` renders what is asked for."""

    inputs: Inputs
    ctx: SiteFacts
    report: Report
    pdf_run: Pdf | None
    screen: ScreenSettings
    cache: Path | None = None  # the cache folder: the aggregates' per-branch parts are kept there

    @property
    def district(self) -> District:
        district = self.report.loaded.district
        assert district is not None, "a Prepared version always has its district"
        return district

    @property
    def years(self) -> dict[int, YearResult]:
        return self.report.years

    @property
    def key(self) -> str:
        return self.inputs.key


def read_inputs(
    content: Path,
    *,
    pdf: bool = True,
    history: bool = True,
    scanned: Scan | None = None,
    theme: Theme | None = None,
    fonts: Fonts | None = None,
    today: date,
    cache_dir=None,
) -> Inputs:
    """`theme` and `fonts`: the ones a long-running process already has; kept when the
    theme's files are unchanged (its compiled templates are worth keeping). `today`: the
    build's date, an input too (a 公示 shows from its start date on). `cache_dir`: where
    the scan's stat cache is (an unchanged file is then not read again)."""
    from sitegen.render.theme import Theme

    asking = provenance.start(content)  # git works on the other core while the folder is scanned
    scanned = scanned or scan(content, restricted=False, cache_dir=cache_dir)
    origin = asking.result()
    fresh = Theme(content)
    if theme is None or theme.fingerprint() != fresh.fingerprint() or theme.folders != fresh.folders:
        theme = fresh
    if pdf and fonts is None:
        fonts = _fonts()
    fonts = fonts if pdf else None
    key = build_key(
        scanned.content_hash(),
        theme.fingerprint(),
        repr(sorted(origin.as_dict().items()))  # the commit: build-info.json and the change log name it
        + (fonts.fingerprint if fonts else "no-pdf")
        + ("" if history else "no-history")
        + f"as of {today.isoformat()}",
    )
    return Inputs(scanned, origin, theme, fonts, history, key)


def prepare(
    content: Path,
    inputs: Inputs,
    *,
    cache_dir=True,
    jobs: int | None = None,
    memo: Memo = NO_MEMO,
    today: date,
    verify_history: bool = False,
    published_info: Path | None = None,
) -> Prepared | list[Problem]:
    """Load, check and score (and read the git history): the Prepared version, or the
    errors that stop it. With a `memo` (serve) only what changed is done again.

    verify_history=True runs the same history checks as `sitegen check` (the published
    record unchanged since each 公示, history not rewritten since `published_info`), so
    that `build && publish` can never publish what `check` refuses."""
    from sitegen.check import check
    from sitegen.render import format as fmt
    from sitegen.render.html.common import SiteFacts
    from sitegen.render.run import Pdf
    from sitegen.render.screen.pages import ScreenSettings
    from sitegen.render.versions import DataVersions

    report = check(
        content,
        cache_dir=cache_dir,
        jobs=jobs,
        restricted=False,
        scanned=inputs.scanned,
        memo=memo,
        today=today,
        history=verify_history,
        published_info=published_info,
    )
    errors = list(dict.fromkeys(report.errors + inputs.theme.problems()))  # check reports the theme's too
    if errors or report.loaded.district is None:
        return errors
    origin, theme, fonts = inputs.origin, inputs.theme, inputs.fonts
    trail = None
    if inputs.history:
        from sitegen.history.extract import history as read_history

        # the history is that of the commits: the same while HEAD is the same (a history
        # that could not be read, e.g. of a shallow clone, is read again next time)
        trail = memo.lookup(("history",), (origin.is_git, origin.commit))
        if trail is MISSING:
            trail = read_history(content, cache_dir=cache_dir, jobs=jobs)
            if trail.available and not trail.shallow:
                memo.put(("history",), (origin.is_git, origin.commit), trail)
        if trail.shallow:
            return [
                Problem(
                    "E1001",
                    trail.reason,
                    Pos(str(content)),
                    "取完整历史后再生成（fetch-depth: 0 / GIT_DEPTH: 0 / git fetch --unshallow）；"
                    "或加 --no-history，生成不含变更记录的网站。",
                )
            ]
    district = report.loaded.district
    if fonts is not None:
        kept = report.memo  # the caller's memo, or check's over the cache folder
        preflight = _pdf_preflight(district, fonts, kept)
        if isinstance(kept, Remembered):
            kept.flush()  # the branches' findings, kept for the next run (check flushed before)
        if preflight:
            return preflight
    # every page names the version of its own data (never the repository's commit, which
    # would make every commit change every page); the change log, which lists commits,
    # says which commit it goes up to
    versions = DataVersions(
        report.years,
        changes_note=f"本页数据：截至{fmt.day(date.fromisoformat(origin.date))}的提交 {origin.short}。"
        if origin.is_git and origin.date[:1].isdigit()
        else "",
    )
    ctx = SiteFacts(
        site_name=f"{district.info.name}党务公开",
        versions=versions,
        years=tuple(sorted(report.years)),
        extra_css=theme.extra_css,
        pdf=fonts is not None,
        today=today,
    )
    if trail is not None and trail.available:
        ctx.history = trail
    else:
        ctx.history_note = trail.reason if trail is not None else "本次生成未包含变更记录（--no-history）。"
    pdf_run = None
    if fonts is not None:
        from sitegen.render.pdf.documents import Settings

        # a printed sheet carries its own date (the data's): no repository commit
        pdf_run = Pdf(Settings(district.info.paper.value, ""), fonts.fingerprint)
    screen = ScreenSettings(versions.screen_time)
    gcpolicy.settled()  # the history too: a batch run's collector leaves it alone from here
    return Prepared(inputs, ctx, report, pdf_run, screen, cache_folder(cache_dir))


def build(
    content: Path,
    output: Path,
    *,
    quiet: bool = False,
    jobs: int | None = None,
    cache_dir=True,
    progress: Progress | None = None,
    pdf: bool = True,
    history: bool = True,
    today: date | None = None,
    published_info: Path | None = None,
) -> BuildResult:
    """`today` is the build's date (deadlines, which 公示 have started); `published_info`
    the build-info.json of the site last published (default: the one in `output`).

    The output folder is checked to be ours before anything else (`check_output`), and
    locked for the whole build: a second build into it waits, then finds the first one's
    output and, its inputs being the same, has nothing to do."""
    started = time.monotonic()
    progress = progress or Progress(quiet)
    refused = check_output(output, content)
    if refused is not None:
        return BuildResult(ok=False, problems=[refused])
    try:
        with output_lock(output, _waiting(progress)):
            return _build_locked(
                content,
                output,
                started,
                progress,
                jobs=jobs,
                cache_dir=cache_dir,
                pdf=pdf,
                history=history,
                today=today,
                published_info=published_info,
            )
    except OutputError as exc:
        return BuildResult(ok=False, problems=[exc.problem])


def _build_locked(
    content: Path,
    output: Path,
    started: float,
    progress: Progress,
    *,
    jobs,
    cache_dir,
    pdf,
    history,
    today,
    published_info,
) -> BuildResult:
    progress.say(f"读取并检查 {content} …")
    try:
        finish_pending(output)  # a build interrupted while moving its files into place: finished first
    except OSError as exc:  # e.g. the output no longer writable: a problem, not a traceback
        return BuildResult(ok=False, problems=[os_problem(exc, output)])
    # the output's files looked at on the other core while the content is read and checked
    with Survey(output) as survey:
        today = build_day(today)
        inputs = read_inputs(content, pdf=pdf, history=history, today=today, cache_dir=cache_dir)
        theme_problems(inputs.theme, cache_folder(cache_dir))  # remembered by the theme's fingerprint
        previous = _previous_info(output)
        if previous.get("build_key") == inputs.key and not inputs.scanned.problems and not inputs.theme.problems():
            # the output records the inputs that made it: same inputs, nothing to do — if the
            # output is still what its manifest says (a file deleted or edited by hand is made
            # again): one lstat per file against the state recorded when it was written, or,
            # if that is not certain, the full walk (whose finding is then recorded)
            same = Output.unchanged(output, survey)
            if not same:
                seen = Output(output, survey)
                if seen.intact:
                    seen.remember()
                    same = True
            if same:
                pages = previous.get("pages", 0)
                return BuildResult(
                    ok=True, pages=pages, reused=pages, seconds=time.monotonic() - started, unchanged=True
                )
            progress.say(f"{output} 里有文件被删除或改动过，重新生成这些文件…")
        if published_info is None and (output / "build-info.json").is_file():
            published_info = output / "build-info.json"
        try:
            prepared = prepare(
                content,
                inputs,
                cache_dir=cache_dir,
                jobs=jobs,
                today=today,
                verify_history=history,
                published_info=published_info,
            )
        except Unreadable as exc:  # a file the scan hashed (from the stat cache) changed before it was read (E1161)
            return BuildResult(ok=False, problems=[exc.problem])
        if isinstance(prepared, list):
            return BuildResult(ok=False, problems=prepared)
        result = write(prepared, output, jobs=jobs, progress=progress, survey=survey)
        result.computed, result.remembered = prepared.report.computed, prepared.report.remembered
        result.seconds = time.monotonic() - started
        return result


def write(
    prepared: Prepared,
    output: Path,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    survey: Survey | None = None,
) -> BuildResult:
    """Render every file of a Prepared version into `output`, atomically, reusing what the
    last build there made from the same inputs (and still on disk as it was written).
    Takes the output's lock (re-entrant: `build` already holds it); a full disk, a
    read-only file system or a missing permission is a problem, never a traceback, and
    leaves the last good output as it was. `survey`: the output's files looked at since
    the build took the lock (:class:`sitegen.write.Survey`)."""
    from sitegen.render.pdf.render import MissingGlyphError
    from sitegen.render.theme import TemplateFailed

    progress = progress or Progress(True)
    result = BuildResult(ok=True, problems=prepared.report.warnings)
    refused = check_output(output, prepared.inputs.scanned.root)
    if refused is not None:
        return BuildResult(ok=False, problems=[refused])
    try:
        with output_lock(output, _waiting(progress)), Output(output, survey) as out:
            _write_all(out, prepared, result, jobs, progress)
    except OutputError as exc:
        return BuildResult(ok=False, problems=[exc.problem])
    except OSError as exc:
        return BuildResult(ok=False, problems=[os_problem(exc, output)])
    except TemplateFailed as exc:
        return BuildResult(ok=False, problems=[exc.problem])
    except MissingGlyphError as exc:
        return BuildResult(
            ok=False,
            problems=[
                Problem(
                    "E952",
                    f"生成 PDF 时出现了字体里没有的字符：{exc}",
                    Pos(str(output)),
                    "改正该字符，或安装包含它的字体；可用 --no-pdf 只生成网站。",
                )
            ],
        )
    progress.done()
    return result


def _fonts():
    from sitegen.render.pdf.fonts import load_fonts

    return load_fonts()


def _pdf_preflight(district, fonts, memo: Memo) -> list[Problem]:
    """Characters the PDF fonts cannot draw: branch by branch (each remembered in `memo`
    while the branch is unchanged), then what lies above the branches."""
    from sitegen.render.pdf.fonts import missing_glyphs

    if fonts.missing:
        return [
            Problem(
                "E953",
                f"没有安装生成 PDF 所需的字体：{'、'.join(fonts.missing)}。",
                Pos("site.yaml"),
                "在 Debian/Ubuntu 上运行 apt-get install fonts-noto-cjk；或用 --no-pdf 只生成网站。",
            )
        ]
    problems = []
    for branch in district.branches():
        # kept in the branch's bundle under its scope and the fonts' fingerprint: an
        # unchanged branch is not walked (nor its ledger entries read)
        problems += memo.get(("glyphs", branch.id), (branch, fonts.fingerprint), lambda: missing_glyphs(branch, fonts))
    above = replace(district, committees=tuple(replace(c, branches=()) for c in district.committees))
    return list(dict.fromkeys(problems + missing_glyphs(above, fonts)))


def build_info(prepared: Prepared, pages: int | None) -> bytes:
    """build-info.json: what made this output (the lobby screens poll it for a new build).
    `pages` is None where nobody counted them (serve renders only what is asked for)."""
    inputs, pdf_run = prepared.inputs, prepared.pdf_run
    info = {
        "generator": f"sitegen {__version__}",
        "content": inputs.origin.as_dict(),
        "content_hash": prepared.report.loaded.content_hash(),
        "theme": inputs.theme.fingerprint(),
        "build_key": inputs.key,
        "years": list(prepared.ctx.years),
        "as_of": prepared.ctx.today.isoformat()
        if prepared.ctx.today
        else None,  # the build's date: which 公示 it showed
        "pages": pages,
        "settings": {"pdf": pdf_run is not None, "paper": pdf_run.settings.paper if pdf_run else None},
    }
    return (json.dumps(info, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _write_all(out: Output, prepared: Prepared, result: BuildResult, jobs: int | None, progress: Progress) -> None:
    from sitegen.render.run import Site, render_site

    for rel, data in prepared.inputs.theme.assets().items():
        out.write(rel, data)
    label = "生成页面和 PDF" if prepared.pdf_run else "生成页面"
    stats = render_site(Site(prepared), out, jobs or os.cpu_count() or 1, lambda done: progress.tick(done, label))
    result.pages, result.rendered, result.rendered_files = stats.files, len(stats.rendered), stats.rendered
    result.reused = result.pages - result.rendered
    out.write("build-info.json", build_info(prepared, result.pages))


def _waiting(progress: Progress):
    """Where the lock's "waiting for another build" goes: the progress stream, or stderr
    when progress is off (-q, serve) — a build that seems to hang must say why."""
    return None if progress.quiet else progress.say
