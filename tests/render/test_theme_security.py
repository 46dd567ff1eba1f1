"""A theme arrives by pull request: it is data, never code or links (issue 12, item 1).
Templates run in Jinja2's sandbox; symlinks and other non-regular files in the theme
stop the build, naming the file, and nothing is published."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sitegen.build import build
from sitegen.render.theme import Theme
from tests.render.helpers import build_ok, tree_digest

ATTACKS = {
    "os.popen through a global's __globals__": "{{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "a dunder chain from a string": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "format string reaching attributes": "{{ '{0.__class__}'.format(v) }}",
    "a huge range": "{% for i in range(10**7) %}{% endfor %}",
    "a huge repeated string": "{{ 'x' * 100000000 }}",
    "a huge power": "{{ 7 ** 123456789 }}",
    "a huge % width": "{{ '%099999999d' % 1 }}",
}


def override(content, name: str, body: str) -> None:
    folder = content / "theme" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(body, "utf-8")


@pytest.mark.parametrize("case", sorted(ATTACKS))
def test_a_template_cannot_run_code_or_exhaust_the_machine(mini, tmp_path, case):
    marker = tmp_path / "pwned"
    out = tmp_path / "out"
    build_ok(mini, out)
    before = tree_digest(out)
    default = (Theme().folders[-1] / "templates" / "base.html").read_text("utf-8")
    # the attack on line 2 of an override of base.html, which every page extends
    override(mini, "base.html", "<!-- 主题 -->\n" + ATTACKS[case].replace("MARKER", str(marker)) + "\n" + default)
    proc = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", str(mini), "-o", str(out), "--no-pdf", "--no-history", "--no-cache"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "theme/templates/base.html:2" in proc.stderr and "错误[E964]" in proc.stderr
    assert not marker.exists()  # the command never ran
    assert tree_digest(out) == before  # nothing published


def test_the_sandbox_error_names_file_line_in_process(mini, tmp_path):
    override(
        mini,
        "member.html",
        "{% extends 'base.html' %}\n{% block main %}\n\n{{ v.__class__.__init__.__globals__ }}\n{% endblock %}\n",
    )
    result = build(mini, tmp_path / "out", quiet=True, cache_dir=None, pdf=False, history=False)
    [problem] = result.problems
    assert (problem.code, problem.pos.file, problem.pos.line) == ("E964", "theme/templates/member.html", 4)
    assert "属性 __" in problem.message and not (tmp_path / "out").exists()


def test_ordinary_overrides_still_work_in_the_sandbox(mini, tmp_path):
    override(
        mini,
        "branch.html",
        "{% extends 'base.html' %}\n{% block main %}\n<p class='mine'>{{ v.name | upper }}"
        "{% for i in range(3) %}{{ loop.index }}{% endfor %}{{ '%5d' % 7 }}</p>\n"
        "{% endblock %}\n",
    )
    build_ok(mini, tmp_path / "out")
    assert "class='mine'" in (tmp_path / "out/2026/b/b1/index.html").read_text("utf-8")


def _links(content):
    assets = content / "theme" / "assets"
    assets.mkdir(parents=True)
    return {
        "to a restricted record": (assets / "notes.txt", "../../restricted/b1/2026.yaml"),
        "to a file of the build machine": (assets / "host.txt", "/etc/hostname"),
        "to a folder": (assets / "etc", "/etc"),
        "a template that is a link": (content / "theme" / "templates" / "member.html", "/etc/hostname"),
    }


@pytest.mark.parametrize(
    "case", ["to a restricted record", "to a file of the build machine", "to a folder", "a template that is a link"]
)
def test_a_symlink_in_the_theme_stops_the_build(mini, tmp_path, case):
    link, target = _links(mini)[case]
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    out = tmp_path / "out"
    result = build(mini, out, quiet=True, cache_dir=None, pdf=False, history=False)
    shown = link.relative_to(mini).as_posix()
    assert [(p.code, p.pos.file) for p in result.problems] == [("E963", shown)]
    assert "符号链接" in result.problems[0].message
    assert not out.exists()  # nothing published


def test_a_symlink_added_after_a_good_build_is_not_called_up_to_date(mini, tmp_path):
    out = tmp_path / "out"
    build_ok(mini, out)
    before = tree_digest(out)
    (mini / "theme" / "assets").mkdir(parents=True)
    (mini / "theme" / "assets" / "notes.txt").symlink_to("../../restricted/b1/2026.yaml")
    result = build(mini, out, quiet=True, cache_dir=None, pdf=False, history=False)
    assert not result.ok and [p.code for p in result.problems] == ["E963"]
    assert tree_digest(out) == before


def test_the_theme_folder_itself_a_link_and_a_named_pipe(mini, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "assets").mkdir(parents=True)
    (mini / "theme").symlink_to(elsewhere)
    result = build(mini, tmp_path / "out", quiet=True, cache_dir=None, pdf=False, history=False)
    assert [(p.code, p.pos.file) for p in result.problems] == [("E963", "theme")]
    (mini / "theme").unlink()
    (mini / "theme" / "assets").mkdir(parents=True)
    os.mkfifo(mini / "theme" / "assets" / "pipe.css")  # reading it would hang the build
    result = build(mini, tmp_path / "out", quiet=True, cache_dir=None, pdf=False, history=False)
    assert [(p.code, p.pos.file) for p in result.problems] == [("E963", "theme/assets/pipe.css")]
    assert "命名管道" in result.problems[0].message and not (tmp_path / "out").exists()


def test_regular_assets_are_still_copied(mini, tmp_path):
    (mini / "theme" / "assets" / "img").mkdir(parents=True)
    (mini / "theme" / "assets" / "img" / "logo.svg").write_text("<svg/>", "utf-8")
    (mini / "theme" / "assets" / "extra.css").write_text("body{}", "utf-8")
    build_ok(mini, tmp_path / "out")
    assert (tmp_path / "out/assets/img/logo.svg").read_text("utf-8") == "<svg/>"
    assert "assets/extra.css" in (tmp_path / "out/index.html").read_text("utf-8")


@pytest.mark.pdf
def test_a_pdf_template_cannot_embed_a_file_of_the_build_machine(mini, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MACHINE-SECRET-4711\n", "utf-8")
    default = (Theme().folders[-1] / "templates" / "pdf" / "items.html").read_text("utf-8")
    planted = (
        f'<link rel="attachment" href="file://{secret}"><a rel="attachment" href="file://{secret}">附件</a>'
        f'<img src="file://{secret}"><style>@import url("file://{secret}");</style>'
    )
    (mini / "theme" / "templates" / "pdf").mkdir(parents=True)
    (mini / "theme" / "templates" / "pdf" / "items.html").write_text(
        default.replace("<h1>积分项目公示</h1>", "<h1>积分项目公示</h1>" + planted), "utf-8"
    )
    out = tmp_path / "out"
    build_ok(mini, out, pdf=True)
    pdfs = sorted(out.rglob("items.pdf"))
    assert pdfs
    for pdf in pdfs:
        data = pdf.read_bytes()
        assert b"MACHINE-SECRET" not in data and b"/EmbeddedFile" not in data


def test_reaching_inside_is_found_before_anything_is_rendered(mini, tmp_path):
    # a template no page uses: only the check before rendering can see it
    override(mini, "unused.html", "<p>\n</p>\n{{ lipsum['__globals__'] }}\n")
    theme = Theme(mini)
    assert [(p.code, p.pos.file, p.pos.line) for p in theme.problems()] == [("E964", "theme/templates/unused.html", 3)]
    result = build(mini, tmp_path / "out", quiet=True, cache_dir=None, pdf=False, history=False)
    assert [p.code for p in result.problems] == ["E964"] and not (tmp_path / "out").exists()


def test_check_refuses_a_theme_that_build_would_refuse(mini):
    """A theme pull request fails `sitegen check` in CI, not only the build."""
    from sitegen.check import check

    (mini / "theme" / "templates").mkdir(parents=True)
    (mini / "theme" / "templates" / "base.html").write_text(
        '{{ cycler.__init__.__globals__.os.popen("id").read() }}\n', "utf-8"
    )
    (mini / "theme" / "assets").mkdir()
    (mini / "theme" / "assets" / "notes.txt").symlink_to("../../restricted/b1/2026.yaml")
    codes = sorted(p.code for p in check(mini, cache_dir=None).errors)
    assert "E963" in codes and "E964" in codes
