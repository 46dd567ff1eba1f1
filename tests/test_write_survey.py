"""The output's files looked at in another process while the build reads the content
(issue 17, `sitegen.write.Survey`): the survey vouches for an output only when every
file, every folder and the manifest are exactly as the state beside it records them, and
only for the very state the build itself read; anything else leaves the looking to the
build, as without a survey."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from sitegen import write
from tests.render.helpers import build_ok
from tests.test_output import quick
from tests.test_write_incremental import output_with

FILES = {"a.html": b"<p>a</p>", "b/c.html": b"<p>c</p>", "b/d/e.html": b"<p>e</p>"}


def made(tmp_path: Path) -> Path:
    dest = tmp_path / "out"
    output_with(dest, FILES)
    output_with(dest, FILES)  # the state recorded by a build that kept every file
    return dest


def answer(dest: Path) -> bool:
    survey = write.Survey(dest)
    try:
        return survey.exact(write._read_state(dest.resolve()))
    finally:
        survey.close()


def same_size_edit_keeping_mtime(dest: Path) -> None:
    page = dest / "b" / "c.html"
    st = page.stat()
    page.write_bytes(b"<p>C</p>")
    os.utime(page, ns=(st.st_atime_ns, st.st_mtime_ns))


def replaced_by_a_link(dest: Path) -> None:
    page = dest / "b" / "c.html"
    page.unlink()
    page.symlink_to(dest / "a.html")


def second_link(dest: Path) -> None:
    os.link(dest / "b" / "c.html", dest.parent / "elsewhere.html")


def folder_replaced(dest: Path) -> None:
    (dest / "b" / "d").rename(dest.parent / "d-moved")
    (dest / "b" / "d").mkdir()
    (dest / "b" / "d" / "e.html").write_bytes(FILES["b/d/e.html"])


def folder_for_a_file(dest: Path) -> None:
    (dest / "a.html").unlink()
    (dest / "a.html").mkdir()


CHANGES: dict[str, Callable[[Path], None]] = {
    "a page edited by hand, same size, its modification time put back": same_size_edit_keeping_mtime,
    "a page deleted": lambda dest: (dest / "a.html").unlink(),
    "a page replaced by a symlink": replaced_by_a_link,
    "a page given a second link": second_link,
    "someone's file added to a folder": lambda dest: (dest / "b" / "notes.txt").write_text("x", "utf-8"),
    "a folder replaced by another with the same files": folder_replaced,
    "a folder where a page was": folder_for_a_file,
    "a page's permissions changed": lambda dest: (dest / "a.html").chmod(0o600),
    "the manifest touched": lambda dest: os.utime(dest / write.MANIFEST),
}


def test_an_output_as_recorded_is_vouched_for(tmp_path):
    dest = made(tmp_path)
    assert answer(dest)
    assert write.Output(dest, write.Survey(dest)).intact and write.Output.unchanged(dest, write.Survey(dest))


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_any_change_to_the_output_is_not(tmp_path, change):
    dest = made(tmp_path)
    CHANGES[change](dest)
    assert not answer(dest)
    # and with the survey's answer, the build's view of the output is the walk's
    walked = write.Output(dest, None)
    walked_files = dict(walked._seen[0])
    surveyed = write.Output(dest, write.Survey(dest))
    assert surveyed._seen[0] == walked_files and set(surveyed.sound) == set(walked.sound)


def test_the_answer_counts_only_for_the_state_it_looked_at(tmp_path):
    dest = made(tmp_path)
    survey = write.Survey(dest)
    assert survey._result() is not None and survey._result()[0] == "1"  # it looked at this state
    output_with(dest, {**FILES, "a.html": b"<p>A</p>"})  # another build since: another state
    state = write._read_state(dest.resolve())
    assert not survey.exact(state)
    assert write.Survey(dest).exact(state)  # a survey of that one does vouch


@pytest.mark.parametrize(
    "record", [b"", b"sitegen-state\n", b"not a state at all", b"sitegen-state\n\0\0\0\0\0\0\0\5abcde"]
)
def test_a_record_it_cannot_read_is_no_answer(tmp_path, record):
    dest = made(tmp_path)
    with open(write._lock_path(dest), "wb") as f:
        f.write(record)
    survey = write.Survey(dest)
    result = survey._result()  # none started (nothing to check), failed, or "not as recorded"
    assert result is None or result == [] or result[0] == "0"
    assert not survey.exact({"paths": [], "facts": []})
    survey.close()


def test_a_survey_stopped_early_leaves_no_process(tmp_path):
    dest = made(tmp_path)
    survey = write.Survey(dest)
    proc = survey._proc
    assert proc is not None
    survey.close()
    assert proc.returncode is not None and survey._proc is None
    assert not survey.exact(write._read_state(dest.resolve()))  # stopped: no answer


def test_a_survey_that_fails_is_no_answer(tmp_path):
    """The output gone while its record stays (a folder deleted by hand): the survey's
    process fails; the build goes on without its answer."""
    dest = made(tmp_path)
    state = write._read_state(dest.resolve())
    for name in ("a.html", "b/c.html", "b/d/e.html", write.MANIFEST):
        (dest / name).unlink()
    survey = write.Survey(dest)
    assert survey._result() == []  # it failed
    assert not survey.exact(state)
    output_with(dest, FILES)  # and a build there is as without it
    assert write.Output(dest, write.Survey(dest)).intact and answer(dest)


@pytest.mark.parametrize("surveyed", [True, False])
def test_someones_file_put_where_a_new_page_goes_during_the_build_is_never_written_over(
    mini, tmp_path, monkeypatch, surveyed
):
    """The survey looks at the output while the content is read: a file someone puts
    after that, where this build makes a new page, is still seen and never written over
    (E971), the last output left as it was."""
    from sitegen import build as building

    out = tmp_path / "out"
    build_ok(mini, out)
    (mini / "notices" / "2026-01-04-fourth.md").write_text(
        "---\ntitle: 第四号通知\ndate: 2026-01-04\n---\n正文。\n", "utf-8"
    )
    theirs = out / "2026" / "notices" / "2026-01-04-fourth.html"
    read_inputs = building.read_inputs

    def then_someone_writes(*args, **kwargs):
        inputs = read_inputs(*args, **kwargs)
        theirs.write_text("别人的文件", "utf-8")
        return inputs

    monkeypatch.setattr(building, "read_inputs", then_someone_writes)
    if surveyed:  # the survey's look over before the content is read (not left to chance)
        start = write.Survey.__init__

        def looked(survey, dest):
            start(survey, dest)
            assert survey._result()[0] == "1"

        monkeypatch.setattr(write.Survey, "__init__", looked)
    else:
        monkeypatch.setattr(write.sys, "executable", "")
    result = quick(mini, out)
    assert not result.ok and [p.code for p in result.problems] == ["E971"]
    assert "2026/notices/2026-01-04-fourth.html" in result.problems[0].message
    assert theirs.read_text("utf-8") == "别人的文件"


def test_the_answer_is_for_the_bytes_the_build_read(tmp_path):
    """Paired with the record by the lock file's status and the CRC-32 of its bytes: a
    record that parsed to the same state from other bytes (as if rewritten within one
    tick of a coarse clock) gets no answer."""
    dest = made(tmp_path)
    state = write._read_state(dest.resolve())
    survey = write.Survey(dest)
    assert survey._result()[0] == "1"
    crc = write._last_state[2]
    write._last_state[2] = crc ^ 1
    try:
        assert not survey.exact(state)
    finally:
        write._last_state[2] = crc
    assert survey.exact(state)
