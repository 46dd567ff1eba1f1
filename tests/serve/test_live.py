"""The live site behind `sitegen serve` must serve, after every edit, exactly the files a
fresh `sitegen build` of the same content writes — rendering only what it is asked for —
and bring output/ up to date when asked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sitegen.live import LiveSite
from sitegen.render.html.urls import BranchUnit, Owner, SiteUnit
from sitegen.render.run import Site
from sitegen.write import MANIFEST
from tests.render.helpers import build_ok
from tests.support import B1_2026, MINI, ROOT, wait_until

# the demo district, where a fresh build is the thing compared with (slow)
BRANCH = "committees/jyw/branches/dyzx"
LEDGER = f"{BRANCH}/2026/ledger/q1.yaml"
ROSTER = f"{BRANCH}/2026/roster.yaml"
# the mini district, for everything else
MINI_ROSTER = f"{B1_2026}/roster.yaml"


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != MANIFEST
    }


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def _started(source: Path, tmp_path: Path) -> LiveSite:
    content = tmp_path / "content"
    shutil.copytree(source, content)
    site = LiveSite(content, tmp_path / "out", pdf=False, history=False, cache_dir=None)
    outcome = site.start()
    assert outcome.problems == [] and site.output_current
    return site


@pytest.fixture
def live(tmp_path):
    """The mini district, served."""
    return _started(MINI, tmp_path)


@pytest.fixture
def live_demo(tmp_path):
    """The whole demo district, served: every kind of page, two years, two committees."""
    return _started(ROOT / "content", tmp_path)


def _same_as_fresh(live: LiveSite, tmp_path: Path, name: str) -> None:
    fresh = tmp_path / name
    build_ok(live.content, fresh)
    expected = _files(fresh)
    for path, data in expected.items():
        if path == "build-info.json":
            continue  # serve's says how many pages nobody counted
        assert live.get(path) == data, path
    for path in _files(live.output):  # pages the edit removed are gone from the live site too
        if path not in expected:
            assert live.get(path) is None, path


@pytest.mark.slow
def test_edits_served_as_a_fresh_build_would_write_them(live_demo, tmp_path):
    live = live_demo
    content = live.content
    _edit(content / ROSTER, "name: 黄国华", "name: 黄国强")
    outcome = live.refresh([(ROSTER, False)])
    assert outcome.changed and not outcome.problems and not live.output_current
    rendered_before = len(live._cache)
    assert b"\xe9\xbb\x84\xe5\x9b\xbd\xe5\xbc\xba" in live.get("2026/b/dyzx/index.html")  # 黄国强
    assert len(live._cache) == rendered_before + 1  # rendered when asked, not before
    # an unchanged branch's page comes from output/ as it is
    assert live.get("2026/b/kjy/index.html") == (live.output / "2026/b/kjy/index.html").read_bytes()

    (content / LEDGER).write_text(
        (content / LEDGER).read_text("utf-8")
        + ("  - id: LIVE-1\n    date: 2026-03-30\n    item: B03\n    members: 全体\n"),
        "utf-8",
    )
    assert live.refresh([(LEDGER, False)]).changed
    shutil.rmtree(content / "committees/jyw/branches/syxx2")  # a whole branch gone
    assert live.refresh([("committees/jyw/branches/syxx2", True)]).changed
    _same_as_fresh(live, tmp_path, "fresh")


def test_bad_save_keeps_the_last_version_and_recovers(live):
    content = live.content
    before = live.get("2026/b/b1/index.html")
    good = (content / MINI_ROSTER).read_text("utf-8")
    (content / MINI_ROSTER).write_text(good.replace("status: 正式", "status: 正式党", 1), "utf-8")
    outcome = live.refresh([(MINI_ROSTER, False)])
    assert outcome.problems and MINI_ROSTER in str(outcome.problems[0].pos)
    assert live.get("2026/b/b1/index.html") == before  # the last good version still served
    (content / MINI_ROSTER).write_text(good, "utf-8")
    outcome = live.refresh([(MINI_ROSTER, False)])
    assert not outcome.problems and not live.problems


@pytest.mark.slow
def test_sync_writes_output(live_demo, tmp_path):
    live = live_demo
    _edit(live.content / ROSTER, "name: 黄国华", "name: 黄国强")
    live.refresh([(ROSTER, False)])
    assert not live.output_current
    assert live.sync() == "current" and live.output_current
    assert "黄国强" in (live.output / "2026/b/dyzx/index.html").read_text("utf-8")
    fresh = tmp_path / "fresh"
    build_ok(live.content, fresh)
    assert _files(fresh) == _files(live.output)


@pytest.mark.parametrize(
    "pdf",
    [
        pytest.param(False, id="html", marks=pytest.mark.slow),
        pytest.param(True, id="with-pdfs", marks=pytest.mark.pdf),
    ],
)
def test_every_file_has_its_unit(tmp_path, pdf):
    """Serve finds the unit that makes a file from its path; the build's manifest says
    which unit made it."""
    out = tmp_path / "out"
    source = MINI if pdf else ROOT / "content"  # PDFs of the small district: seconds, not minutes
    build_ok(source, out, pdf=pdf)
    live = LiveSite(source, out, pdf=pdf, history=False, cache_dir=None)
    live.refresh(None)
    site: Site = live.current.site
    import json

    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    in_units = {path: unit for unit, (_, paths) in manifest["units"].items() for path in paths}
    for path in manifest["pages"]:
        unit = site.unit_of(path)
        assert isinstance(unit, (SiteUnit, BranchUnit)), path
        assert unit.id == in_units[path], path
    assert set(in_units) == set(manifest["pages"])  # every file made by exactly one unit
    assert site.unit_of("assets/style.css") is Owner.ASSET and site.unit_of("build-info.json") is Owner.ASSET
    assert site.unit_of("2026/b/nosuchbranch/index.html") is Owner.NOWHERE
    assert site.unit_of("\u00b2/b/x/index.html") is Owner.NOWHERE  # a digit, but not a year: no such page
    if not pdf:
        assert site.unit_of("1999/b/dyzx/index.html") is Owner.NOWHERE  # a year that is not there
        assert site.unit_of("2026/b/dyzx/m/M0101.html") == BranchUnit(2026, "jyw", "dyzx")
        assert site.unit_of("screen/b/dyzx.html") == BranchUnit(2026, "jyw", "dyzx")  # the latest year's
    if pdf:
        assert any(p.endswith(".pdf") and "/pdf/b/" in p for p in in_units)


def test_misplaced_file_reported_and_cleared(live):
    """A file where no file belongs is an error (E101) as in a fresh build, and removing it
    clears the error."""
    stray = f"{B1_2026}/roster (copy).yaml"
    shutil.copy(live.content / MINI_ROSTER, live.content / stray)
    outcome = live.refresh([(stray, False)])
    assert [p.code for p in outcome.problems] == ["E101"]
    (live.content / stray).unlink()
    assert live.refresh([(stray, False)]).problems == [] and live.problems == []


def test_output_swapped_by_another_build_is_seen(live, tmp_path):
    """When output/ is replaced behind serve's back (its own sync, or `sitegen build` by
    hand), serve reads the new one before serving from it."""
    good = (live.content / MINI_ROSTER).read_text("utf-8")
    _edit(live.content / MINI_ROSTER, "name: 赵一", "name: 赵一帆")
    live.refresh([(MINI_ROSTER, False)])
    build_ok(live.content, live.output)  # output/ now holds the edited version
    assert "赵一帆" in (live.output / "2026/b/b1/index.html").read_text("utf-8")
    (live.content / MINI_ROSTER).write_text(good, "utf-8")  # and the edit is undone
    live.refresh([(MINI_ROSTER, False)])
    page = live.get("2026/b/b1/index.html").decode()
    assert "赵一" in page and "赵一帆" not in page


def test_theme_read_once_and_temporary_files_ignored(tmp_path):
    from sitegen.render.theme import Theme

    content = tmp_path / "content"
    (content / "theme" / "templates").mkdir(parents=True)
    (content / "theme" / "templates" / "probe.html").write_text("A{{ v }}", "utf-8")
    theme = Theme(content)
    (content / "theme" / "templates" / "probe.html").write_text("B{{ v }}", "utf-8")
    assert theme.render("probe.html", 1) == b"A1"  # what the fingerprint was taken of
    assert Theme(content).fingerprint() != theme.fingerprint()
    again = Theme(content)
    (content / "theme" / "templates" / ".probe.html.swp").write_bytes(b"\0vim")
    (content / "theme" / "templates" / "probe.html~").write_text("old", "utf-8")
    assert Theme(content).fingerprint() == again.fingerprint()


def test_output_swapped_while_a_page_is_worked_out(live, tmp_path, monkeypatch):
    """The background build may swap output/ (and delete the old one) between serve's
    look at output/ and its read of the file: serve decides again on the new output/."""
    from sitegen.live import Version

    _edit(live.content / MINI_ROSTER, "name: 赵一", "name: 赵一帆")
    live.refresh([(MINI_ROSTER, False)])
    real_jobs = Version.jobs
    swapped = []

    def jobs_then_swap(self, unit):
        if not swapped:
            swapped.append(True)
            build_ok(live.content, live.output)  # the sync's build swaps output/ in…
            for old in live.output.parent.glob(f".{live.output.name}.old-*"):
                shutil.rmtree(old, ignore_errors=True)  # …and the old one is deleted (the build's own
                wait_until(lambda old=old: not old.exists(), f"{old} removed")  # removal runs beside this one)
        return real_jobs(self, unit)

    monkeypatch.setattr(Version, "jobs", jobs_then_swap)
    fresh = tmp_path / "fresh"
    build_ok(live.content, fresh)
    # archive.html: made by the site unit (whose jobs are worked out first), unchanged by the edit
    for path in ("archive.html", "2026/b/b2/index.html", "2026/b/b1/index.html", "index.html"):
        assert live.get(path) == (fresh / path).read_bytes(), path
    assert swapped


def test_editor_files_are_not_content(live, tmp_path):
    (live.content / "notices" / "2026-01-01-hello.md~").write_text("备份", "utf-8")
    (live.content / "site.yaml.tmp").write_text("临时", "utf-8")
    assert live.refresh(None).problems == []
    build_ok(live.content, tmp_path / "fresh")  # no E101 for them


def test_theme_template_errors_are_problems(live):
    templates = live.content / "theme" / "templates"
    templates.mkdir(parents=True)
    (templates / "branch.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}\n{% if %}\n{% endblock %}\n", "utf-8"
    )
    outcome = live.refresh(None)
    [problem] = outcome.problems
    assert problem.code == "E961" and str(problem.pos).startswith("theme/templates/branch.html:3")
    (templates / "branch.html").write_text("{# 党员 #}", "gbk")
    [problem] = live.refresh(None).problems
    assert problem.code == "E961" and "UTF-8" in problem.message
    (templates / "branch.html").unlink()
    assert live.refresh(None).problems == []
