"""`sitegen publish`: releases by build id, an atomic switch of `current`, rollback, pruning."""

from __future__ import annotations

import json
import os

import pytest

from sitegen.publish import PublishError, publish, rollback
from tests.history.test_frozen import run_cli
from tests.render.helpers import build_ok
from tests.support import made_by_build
from tests.test_output import retitle


def site(path, key: str, commit: str = "", page: str = "") -> object:
    """A built site as `sitegen build` leaves it: index.html and build-info.json."""
    path.mkdir(parents=True)
    (path / "index.html").write_text(page or f"<p>{key}</p>", "utf-8")
    (path / "2026").mkdir()
    (path / "2026" / "index.html").write_text("年度", "utf-8")
    info = {"build_key": key * 8, "content": {"git": bool(commit), "commit": commit}}
    (path / "build-info.json").write_text(json.dumps(info), "utf-8")
    return made_by_build(path)


def live(dest) -> str:
    return (dest / "current" / "index.html").read_text("utf-8")


def test_publish_switch_rollback_and_prune(tmp_path):
    dest = tmp_path / "www"
    first = publish(site(tmp_path / "s1", "aaaaaaaa", "1" * 40), dest)
    assert first.release == "1111111-aaaaaaaaaaaa" and first.previous == ""
    assert os.readlink(dest / "current") == "releases/1111111-aaaaaaaaaaaa"  # relative: DEST may move
    assert live(dest) == "<p>aaaaaaaa</p>" and (dest / "current/2026/index.html").is_file()

    second = publish(site(tmp_path / "s2", "bbbbbbbb", "2" * 40), dest)
    assert second.previous == first.release and live(dest) == "<p>bbbbbbbb</p>"

    back = rollback(dest)
    assert back.release == first.release and back.previous == second.release and live(dest) == "<p>aaaaaaaa</p>"
    with pytest.raises(PublishError, match="更早的发布版本"):
        rollback(dest)

    for n, key in enumerate(("cccccccc", "dddddddd", "eeeeeeee"), start=3):
        done = publish(site(tmp_path / f"s{n}", key, str(n) * 40), dest)
    assert live(dest) == "<p>eeeeeeee</p>"
    kept = sorted(p.name for p in (dest / "releases").iterdir())
    assert kept == ["3333333-cccccccccccc", "4444444-dddddddddddd", "5555555-eeeeeeeeeeee"]
    assert done.pruned and json.loads((dest / "releases.json").read_text())["releases"] == kept
    assert not any(p.name.startswith(".") for p in (dest / "releases").iterdir())


def test_publishing_the_same_build_again_only_switches(tmp_path):
    dest = tmp_path / "www"
    s1 = site(tmp_path / "s1", "aaaaaaaa")
    publish(s1, dest)
    publish(site(tmp_path / "s2", "bbbbbbbb"), dest)
    again = publish(s1, dest)
    assert not again.copied and live(dest) == "<p>aaaaaaaa</p>" and again.release == "a" * 16


def test_refuses_what_is_not_a_built_site_or_a_real_current_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(PublishError, match="sitegen build"):
        publish(tmp_path / "empty", tmp_path / "www")
    (tmp_path / "www2" / "current").mkdir(parents=True)
    with pytest.raises(PublishError, match="普通目录"):
        publish(site(tmp_path / "s1", "aaaaaaaa"), tmp_path / "www2")
    with pytest.raises(PublishError, match="无法回退"):
        rollback(tmp_path / "www3")


def test_cli(tmp_path):
    site(tmp_path / "s1", "aaaaaaaa", "1" * 40)
    site(tmp_path / "s2", "bbbbbbbb", "2" * 40)
    out = run_cli("publish", "s1", "www", cwd=tmp_path)
    assert out.returncode == 0 and "已发布：www/current → releases/1111111-aaaaaaaaaaaa" in out.stdout
    out = run_cli("publish", "s2", "www", "--keep", "2", cwd=tmp_path)
    assert "--rollback www" in out.stdout
    out = run_cli("publish", "--rollback", "www", cwd=tmp_path)
    assert out.returncode == 0 and "1111111-aaaaaaaaaaaa" in out.stdout and live(tmp_path / "www") == "<p>aaaaaaaa</p>"
    out = run_cli("publish", "nothing", "www", cwd=tmp_path)
    assert out.returncode == 1 and "sitegen build" in out.stderr and "Traceback" not in out.stderr
    out = run_cli("publish", "--rollback", "a", "b", cwd=tmp_path)
    assert out.returncode == 2 and "用法" in out.stderr


def test_only_the_files_the_build_made_are_published(tmp_path):
    s = site(tmp_path / "s1", "aaaaaaaa")
    (s / "2026" / "extra.html").write_text("<p>手工放进来的</p>", "utf-8")  # not in the manifest
    secret = tmp_path / "secret.txt"
    secret.write_text("机密", "utf-8")
    os.symlink(secret, s / "2026" / "link.html")
    done = publish(s, tmp_path / "www")
    release = tmp_path / "www" / "releases" / done.release
    published = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if not p.is_dir())
    assert published == [".sitegen-manifest.json", "2026/index.html", "build-info.json", "index.html"]
    assert not any(p.is_symlink() for p in release.rglob("*"))


@pytest.mark.parametrize("spoil", ["edited", "deleted", "linked", "escaping"])
def test_a_site_changed_after_the_build_is_not_published(tmp_path, spoil):
    s = site(tmp_path / "s1", "aaaaaaaa")
    page = s / "2026" / "index.html"
    if spoil == "edited":
        page.write_text("改过的页面，长度也不同", "utf-8")
    elif spoil == "deleted":
        page.unlink()
    elif spoil == "linked":
        other = tmp_path / "other"
        other.mkdir()
        (other / "index.html").write_text("年度", "utf-8")  # the same size, through a link
        page.unlink()
        page.parent.rmdir()
        os.symlink(other, s / "2026")
    else:
        manifest = json.loads((s / ".sitegen-manifest.json").read_text("utf-8"))
        manifest["files"]["../secret.txt"] = 6
        (tmp_path / "secret.txt").write_text("机密内容", "utf-8")
        (s / ".sitegen-manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(PublishError, match="重新运行 sitegen build"):
        publish(s, tmp_path / "www")
    assert not (tmp_path / "www" / "current").exists()


def _same_size_edit(page) -> None:
    """An edit by hand that keeps the file's size (one character for another of the same length)."""
    data = page.read_bytes()
    spot = data.index(b"<")  # every page has one
    page.write_bytes(data[:spot] + b">" + data[spot + 1 :])
    assert page.stat().st_size == len(data)


def test_a_page_edited_by_hand_to_the_same_size_is_not_published(mini, tmp_path):
    """The manifest records the sha256 of every file as written; publish hashes what it
    copies: an edit that keeps the size (the old check) is refused, naming the file."""
    out, www = tmp_path / "out", tmp_path / "www"
    build_ok(mini, out)
    first = publish(out, www)
    retitle(mini, "新的区名")
    build_ok(mini, out)
    manifest = json.loads((out / ".sitegen-manifest.json").read_text("utf-8"))
    assert set(manifest["hashes"]) == set(manifest["files"])
    _same_size_edit(out / "index.html")
    with pytest.raises(PublishError, match=r"“index\.html”在生成之后被改动过.*重新运行 sitegen build"):
        publish(out, www)
    assert os.readlink(www / "current") == f"releases/{first.release}"  # the live site as it was
    assert sorted(p.name for p in (www / "releases").iterdir()) == [first.release]  # nothing half-copied left
    build_ok(mini, out)  # the build notices the edit and writes the page again
    second = publish(out, www)
    assert second.release != first.release and "新的区名" in live(www)


def test_a_kept_page_edited_by_hand_after_a_later_build_is_not_published(mini, tmp_path):
    """A file the next build left in place keeps the hash it was written with."""
    out, www = tmp_path / "out", tmp_path / "www"
    build_ok(mini, out)
    retitle_notice = mini / "notices" / "2026-06-01-一则通知.md"
    retitle_notice.parent.mkdir(exist_ok=True)
    retitle_notice.write_text("---\ntitle: 一则通知\ndate: 2026-06-01\n---\n正文。\n", "utf-8")
    again = build_ok(mini, out)
    assert 0 < again.rendered < again.pages
    kept = next(p for p in sorted(out.rglob("*.html")) if "通知" not in p.read_text("utf-8") and p.name != "index.html")
    _same_size_edit(kept)
    with pytest.raises(PublishError, match="被改动过"):
        publish(out, www)


def test_a_manifest_without_hashes_is_checked_by_size(mini, tmp_path):
    """An output of an older sitegen (its manifest has sizes only) still publishes; there
    the size is what is checked."""
    out, www = tmp_path / "out", tmp_path / "www"
    build_ok(mini, out)
    manifest_path = out / ".sitegen-manifest.json"
    manifest = json.loads(manifest_path.read_text("utf-8"))
    del manifest["hashes"]
    manifest_path.write_text(json.dumps(manifest), "utf-8")
    done = publish(out, www)
    assert (www / "releases" / done.release / "index.html").read_bytes() == (out / "index.html").read_bytes()
