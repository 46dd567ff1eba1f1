"""`sitegen build` on real content: numbers, links, privacy, determinism, atomicity."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from sitegen.check import check
from sitegen.render import format as fmt
from tests.render.helpers import build_ok, soup, table_rows, tree_digest
from tests.support import MINI, ROOT


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "output"
    build_ok(MINI, out)
    return out


def html_files(root: Path):
    return sorted(root.rglob("*.html"))


def test_quarter_table_matches_the_rules_engine(site):
    result = check(MINI, cache_dir=None).years[2026].branches["b1"]
    page = soup(site / "2026/b/b1/index.html")
    section = page.find("section", id="q1")
    rows = table_rows(section.find("table"))
    by_name = {row[1]: row for row in rows}
    for r in result.members:
        if r.role.name != "SCORED":
            continue
        q = r.quarters[0]
        row = by_name[r.member.name]
        assert row[0] == str(q.rank)
        assert row[3:6] == [fmt.points(q.points.base), fmt.points(q.points.bonus), fmt.points(q.points.deduction)]
        assert row[9] == fmt.points(q.total)
    assert by_name["赵一"][9] == "13"  # hand-computed: see tests/validate/test_mini_scores.py


def test_member_page_lists_ledger_lines_with_corrections(site):
    page = soup(site / "2026/b/b1/m/M1.html")
    rows = page.select("ol.activities > li")
    entries = [li["data-entry"] for li in rows]
    # only the published quarter (Q1, with the correction E06 that counted in it) is shown
    assert entries == ["E01", "E02", "E03", "E04", "E05", "E06", "E06"]
    reversal = rows[5]
    assert reversal.select_one(".act-points").get_text() == "−2"
    assert "撤回 E02" in reversal.get_text() and "经申辩核实" in reversal.get_text()
    # without a public note, the item's name alone
    assert rows[0].select_one(".act-title").get_text() == "参加组织生活"
    assert "来源：支部登记" in rows[0].get_text()
    quarters = table_rows(page.find("table", class_="quarter"))
    assert [q[0] for q in quarters] == ["第一季度"]  # Q2 not published yet: not on the site


def test_member_page_shows_the_entrys_public_note(mini, tmp_path):
    ledger = mini / "committees/c1/branches/b1/2026/ledger/q1.yaml"
    text = ledger.read_text("utf-8").replace(
        "    members: [M1, M2, M3, M4]\n", "    members: [M1, M2, M3, M4]\n    note: 按月交纳3月党费\n"
    )
    ledger.write_text(text, "utf-8")
    build_ok(mini, tmp_path / "out")
    rows = soup(tmp_path / "out/2026/b/b1/m/M1.html").select("ol.activities > li")
    e03 = next(li for li in rows if li["data-entry"] == "E03")
    assert e03.select_one(".act-title").get_text() == "按月交纳3月党费"
    assert "B02 交纳党费" in e03.select_one(".act-meta").get_text()


def test_unpublished_quarters_stay_off_the_site(site):
    text = "\n".join(p.read_text("utf-8") for p in html_files(site))
    assert "E07" not in text and "E09" not in text  # Q2 entries


def test_exempt_and_floating_listed_without_reasons(site):
    page = (site / "2026/b/b1/index.html").read_text("utf-8")
    assert "不纳入积分管理：周五" in page and "吴六（由乙支部积分）" in page
    assert "长期患病" not in page
    assert not (site / "2026/b/b1/m/M5.html").exists()


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "output"
    build_ok(ROOT / "content", out)
    return out


@pytest.mark.slow
def test_demo_links_resolve_including_spreadsheets(demo_site):
    test_every_internal_link_resolves(demo_site)
    committee = soup(demo_site / "2025/c/qsjd/index.html")
    sheets = [a["href"] for a in committee.select("section.downloads a") if a["href"].endswith(".xlsx")]
    assert len(sheets) == 4  # 统计表（一）（二）, half year and year


def test_every_internal_link_resolves(site):
    checked = 0
    for page in html_files(site):
        doc = soup(page)  # parsed once: the demo has hundreds of pages
        for tag in doc.find_all(href=True) + doc.find_all(src=True):
            url = tag.get("href") or tag.get("src")
            if url == "data:," and tag.name == "link":
                continue  # an empty favicon: stops browsers asking the server for /favicon.ico
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, f"{page}: absolute URL {url}"
            if not parts.path:
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), f"{page.relative_to(site)} links to missing {url}"
            checked += 1
    assert checked > 50


def test_no_absolute_urls_anywhere(site):
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".css", ".json", ".js"):
            assert not re.search(r"https?://", path.read_text("utf-8")), path


def test_lang_and_structure(site):
    for page in html_files(site):
        doc = soup(page)
        assert doc.html["lang"] == "zh-CN"
        footer = doc.find("footer").get_text()
        rel = page.relative_to(site)
        if rel.parts[0] == "screen":
            assert "数据更新时间" in footer  # lobby screens: a footer bar with the data version's date
        elif "notices" not in rel.parts:  # a notice shows its own date and no ledger data
            assert footer.strip().startswith("本页数据："), rel


def test_two_builds_are_byte_identical(tmp_path):
    build_ok(MINI, tmp_path / "a")
    build_ok(MINI, tmp_path / "b")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_failed_build_leaves_the_last_good_site(mini, tmp_path):
    out = tmp_path / "output"
    build_ok(mini, out)
    before = tree_digest(out)
    ledger = mini / "committees/c1/branches/b1/2026/ledger/q1.yaml"
    ledger.write_text(ledger.read_text("utf-8").replace("item: A02", "item: A99"), "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "sitegen", "build", str(mini), "-o", str(out), "--no-cache"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "A99" in proc.stderr and "保持不变" in proc.stderr and "Traceback" not in proc.stderr
    assert tree_digest(out) == before
    assert not any(p.name.startswith(".output.") and p.name != ".output.lock" for p in tmp_path.iterdir())


def test_rebuild_reuses_unchanged_pages_and_drops_stale_ones(mini, tmp_path):
    out = tmp_path / "output"
    first = build_ok(mini, out)
    second = build_ok(mini, out)
    assert second.unchanged and second.rendered == 0 and second.reused == first.pages
    (mini / "notices/2026-01-01-hello.md").write_text(
        (mini / "notices/2026-01-01-hello.md").read_text("utf-8") + "\n补充说明。\n", "utf-8"
    )
    before = tree_digest(out)
    notice_only = build_ok(mini, out)
    after = tree_digest(out)
    changed = {p for p in after if after[p] != before.get(p)}
    # the notice page, and the lobby screens (they show notices and name the build); nothing else
    assert not notice_only.unchanged
    assert {p for p in changed if not p.startswith("screen/")} == {
        "2026/notices/2026-01-01-hello.html",
        "build-info.json",
        ".sitegen-manifest.json",
    }
    assert "补充说明" in (out / "2026/notices/2026-01-01-hello.html").read_text("utf-8")
    roster = mini / "committees/c1/branches/b2/2026/roster.yaml"
    ledger = mini / "committees/c1/branches/b2/2026/ledger/q1.yaml"
    roster.write_text(roster.read_text("utf-8").replace("  - id: M7\n    name: 郑七\n    status: 正式\n", ""), "utf-8")
    ledger.write_text(
        ledger.read_text("utf-8").replace("  - id: F02\n    date: 2026-02-15\n    item: V01\n    members: [M7]\n", ""),
        "utf-8",
    )
    assert (out / "2026/b/b2/m/M7.html").exists()
    third = build_ok(mini, out)
    assert not (out / "2026/b/b2/m/M7.html").exists()
    assert 0 < third.rendered < third.pages
    assert (out / "2026/b/b1/m/M1.html").exists()


def test_notice_and_names_are_sanitized(mini, tmp_path):
    (mini / "notices/2026-02-01-x.md").write_text(
        "---\ntitle: 测试<script>alert(1)</script>\ndate: 2026-02-01\n---\n"
        "正文 <script>alert('x')</script> <img src=x onerror=alert(1)> [链接](javascript:alert(1)) "
        '<a href="http://example.com">外链</a>\n',
        "utf-8",
    )
    roster = mini / "committees/c1/branches/b1/2026/roster.yaml"
    roster.write_text(roster.read_text("utf-8").replace("name: 赵一", "name: 赵<img src=x onerror=alert(1)>"), "utf-8")
    out = tmp_path / "out"
    build_ok(mini, out)
    for page in html_files(out):
        doc = soup(page)
        for script in doc.find_all("script"):  # only the theme's own script files, never inline code
            assert script.get("src", "").endswith(("assets/screen.js", "assets/search.js")) and not script.string, page
        assert not doc.find(attrs={"onerror": True}), page
        assert "javascript:" not in page.read_text("utf-8")
    notice = (out / "2026/notices/2026-02-01-x.html").read_text("utf-8")
    assert "http://example.com" not in notice and "外链" in notice
    # the search index holds the name as data, in a JSON string (search.js shows it as text)
    index = (out / "search-index.js").read_text("utf-8")
    assert '"赵<img src=x onerror=alert(1)>"' in index
    assert "innerHTML = '';" in (out / "assets/search.js").read_text("utf-8")  # its only use of innerHTML
    assert (out / "assets/search.js").read_text("utf-8").count("innerHTML") == 1


def test_theme_override_and_extra_css(mini, tmp_path):
    (mini / "theme/templates").mkdir(parents=True)
    (mini / "theme/assets").mkdir()
    (mini / "theme/assets/extra.css").write_text("body { color: #000; }\n", "utf-8")
    base = (Path(__file__).parents[2] / "themes/default/templates/base.html").read_text("utf-8")
    (mini / "theme/templates/base.html").write_text(
        base.replace("<main", '<div class="local-banner">本地定制</div>\n<main'), "utf-8"
    )
    out = tmp_path / "out"
    build_ok(mini, out)
    page = (out / "2026/b/b1/index.html").read_text("utf-8")
    assert "本地定制" in page and 'href="../../../assets/extra.css"' in page
    assert (out / "assets/extra.css").is_file() and (out / "assets/style.css").is_file()


def test_provenance_in_a_git_repository_and_outside(mini, tmp_path):
    out = tmp_path / "out"
    build_ok(mini, out)
    info = (out / "build-info.json").read_text("utf-8")
    assert '"git": false' in info
    assert "本页数据：" in soup(out / "index.html").find("footer").get_text()
    env = {
        "GIT_AUTHOR_NAME": "书记",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "书记",
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_COMMITTER_DATE": "2026-04-08T10:00:00+08:00",
        "GIT_AUTHOR_DATE": "2026-04-08T10:00:00+08:00",
        "PATH": "/usr/bin:/bin",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "数据"]):
        subprocess.run(["git", "-C", str(mini), *args], check=True, env=env)
    head = subprocess.run(["git", "-C", str(mini), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    build_ok(mini, out)
    footer = soup(out / "2026/b/b1/index.html").find("footer").get_text()
    # a page names its own data's version, never the repository's commit
    assert "本页数据：2026年4月6日支部确认，4月7日起公示。" in footer and head[:7] not in footer
    for page in out.rglob("*.html"):
        if page.name != "changes.html":
            text = page.read_text("utf-8")
            assert head[:7] not in text and "数据版本" not in text and "尚未提交" not in text, page
    # the repository's commit stays in build-info.json and on the change log
    assert f"截至2026年4月8日的提交 {head[:7]}" in soup(out / "changes.html").find("footer").get_text()
    assert head in (out / "build-info.json").read_text("utf-8")


def test_quick_successive_builds_in_one_process(mini, tmp_path):
    out = tmp_path / "out"
    for i in range(3):  # each build swaps out the previous output while its removal may still run
        (mini / "notices/2026-01-01-hello.md").write_text(
            f"---\ntitle: 通知{i}\ndate: 2026-01-01\n---\n正文{i}\n", "utf-8"
        )
        build_ok(mini, out)
    assert "正文2" in (out / "2026/notices/2026-01-01-hello.html").read_text("utf-8")
