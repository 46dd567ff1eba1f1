"""`sitegen publish` keeps an ordered journal of releases (issue 12, item 5): a rollback
always goes to the release that was live before the current one, however rollbacks and
publishes interleave, and `--list` shows them in Chinese."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from sitegen.publish import PublishError, publish, releases, rollback
from tests.support import ROOT, made_by_build


def site(path, key: str, commit: str = "", date: str = "2026-11-20") -> object:
    path.mkdir(parents=True)
    (path / "index.html").write_text(f"<p>{key}</p>", "utf-8")
    info = {
        "build_key": key * 8,
        "content": {"git": bool(commit), "commit": commit, "date": date, "uncommitted_changes": False},
    }
    (path / "build-info.json").write_text(json.dumps(info), "utf-8")
    return made_by_build(path)


def live(dest) -> str:
    return (dest / "current" / "index.html").read_text("utf-8")


def cli(*args, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "publish", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_rollback_twice_then_publish_then_rollback(tmp_path):
    dest = tmp_path / "www"
    a, b, c, d = (site(tmp_path / name, name * 8, str(n) * 40) for n, name in enumerate("abcd", start=1))
    for built in (a, b, c):
        publish(built, dest, keep=5)
    assert live(dest) == "<p>cccccccc</p>"
    assert rollback(dest).release.endswith("bbbbbbbbbbbb") and live(dest) == "<p>bbbbbbbb</p>"
    assert rollback(dest).release.endswith("aaaaaaaaaaaa") and live(dest) == "<p>aaaaaaaa</p>"
    with pytest.raises(PublishError, match="更早的发布版本"):
        rollback(dest)  # never forward again to the release rolled back from
    assert live(dest) == "<p>aaaaaaaa</p>"
    publish(d, dest, keep=5)
    assert live(dest) == "<p>dddddddd</p>"
    back = rollback(dest)
    assert back.release.endswith("aaaaaaaaaaaa") and live(dest) == "<p>aaaaaaaa</p>"  # the one before D
    journal = json.loads((dest / "releases.json").read_text("utf-8"))
    assert [r[-12:] for r in journal["releases"]] == ["a" * 12, "d" * 12] and journal["current"] == back.release


def test_the_journal_is_written_whole_and_lists_in_chinese(tmp_path):
    dest = tmp_path / "www"
    publish(site(tmp_path / "s1", "aaaaaaaa", "1" * 40, "2026-10-01"), dest)
    publish(site(tmp_path / "s2", "bbbbbbbb"), dest)
    listed = releases(dest)
    assert [(r.id, r.current) for r in listed] == [("b" * 16, True), ("1111111-aaaaaaaaaaaa", False)]
    assert listed[1].version == "提交 1111111（2026-10-01）" and listed[0].version == "内容目录不是 git 仓库"
    assert all(r.published.endswith("+00:00") for r in listed)
    assert not [p for p in dest.iterdir() if p.name.startswith(".releases.json")]  # no temporary file left
    out = cli("--list", "www", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "发布过的版本" in lines[0] and "← 当前" in lines[1] and "b" * 16 in lines[1]
    assert "发布于 20" in lines[2] and "数据版本：提交 1111111（2026-10-01）" in lines[2]
    out = cli("--rollback", "www", cwd=tmp_path)
    assert out.returncode == 0 and "1111111-aaaaaaaaaaaa" in out.stdout
    assert "← 当前" in cli("--list", "www", cwd=tmp_path).stdout.splitlines()[2]
    out = cli("--list", "nowhere", cwd=tmp_path)
    assert out.returncode == 1 and "还没有发布过" in out.stderr and "Traceback" not in out.stderr
    out = cli("--list", "--rollback", "www", cwd=tmp_path)
    assert out.returncode == 2 and "用法" in out.stderr


def test_an_old_journal_without_details_still_works(tmp_path):
    dest = tmp_path / "www"
    publish(site(tmp_path / "s1", "aaaaaaaa"), dest)
    publish(site(tmp_path / "s2", "bbbbbbbb"), dest)
    (dest / "releases.json").write_text(json.dumps({"releases": ["a" * 16, "b" * 16], "current": "b" * 16}), "utf-8")
    assert [r.published for r in releases(dest)] == ["", ""]
    assert rollback(dest).release == "a" * 16


def test_a_destination_that_is_not_ours_is_refused_untouched(tmp_path):
    built = site(tmp_path / "s1", "aaaaaaaa")
    dest = tmp_path / "project"
    (dest / "releases" / "v1.0").mkdir(parents=True)  # somebody's own releases: pruning would delete them
    (dest / "README.md").write_text("说明\n", "utf-8")
    with pytest.raises(PublishError, match="不是 sitegen publish 建立的文件"):
        publish(built, dest)
    assert sorted(p.name for p in dest.rglob("*")) == ["README.md", "releases", "v1.0"]
    with pytest.raises(PublishError, match="不能是同一个目录"):
        publish(built, built / "www")
    assert sorted(p.name for p in built.iterdir()) == [".sitegen-manifest.json", "build-info.json", "index.html"]
