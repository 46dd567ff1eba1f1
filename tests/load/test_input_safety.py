"""Input bounds and exact positions (issue 12, item 6): invisible characters raw or
escaped, YAML errors where they start, nulls, full-width digits, sizes far beyond a real
district, links and special files, what Windows and macOS leave behind, names too long
to be file names, and the error locator's one index per file."""

from __future__ import annotations

import os
import time

import pytest

from sitegen.check import check
from sitegen.load import MAX_FILE_BYTES
from sitegen.load.parse import parse
from sitegen.problems import Pos, Problem
from tests.support import B1_2026

ROSTER = f"{B1_2026}/roster.yaml"
LEDGER_Q1 = f"{B1_2026}/ledger/q1.yaml"


def plant(root, rel, old, new):
    path = root / rel
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def errors(root, code=None):
    found = [p for p in check(root, cache_dir=None).problems if p.is_error]
    return [p for p in found if code is None or p.code == code]


def line_col(root, rel, needle):
    """1-based line and column of the first `needle` in the file."""
    for i, line in enumerate((root / rel).read_text("utf-8").split("\n"), start=1):
        if needle in line:
            return i, line.index(needle) + 1
    raise AssertionError(needle)


# --------------------------------------------------------------------------- invisible characters


@pytest.mark.parametrize(
    "ch", ["\x07", "\x1b", "\x00", "\x7f", "\x85", "\u202e", "\u2066", "\u200b", "\ufeff", "\u00ad"]
)
def test_raw_invisible_character_refused_at_its_line_and_column(mini, ch):
    plant(mini, ROSTER, "name: 孙三", f"name: 孙{ch}三")
    found = errors(mini, "E018")
    line, col = line_col(mini, ROSTER, "孙")
    assert [(p.pos.file, p.pos.line, p.pos.col) for p in found] == [(ROSTER, line, col + 1)]
    assert f"U+{ord(ch):04X}" in found[0].message and ch not in found[0].format()


@pytest.mark.parametrize(
    "escape, code",
    [(r"Q\x01Z\x1b[2J", 0x01), (r"\u202e", 0x202E), (r"\e[31m", 0x1B), (r"ab\U00002066", 0x2066), (r"\0", 0)],
)
def test_escaped_invisible_character_refused_at_the_escape(mini, escape, code):
    plant(mini, ROSTER, "name: 孙三", f'name: "{escape}"')
    found = errors(mini, "E018")
    line, _ = line_col(mini, ROSTER, '"' + escape[:2])
    text = (mini / ROSTER).read_text("utf-8").split("\n")[line - 1]
    assert len(found) == 1 and (found[0].pos.line, found[0].pos.col) == (line, text.index("\\") + 1)
    assert f"U+{code:04X}" in found[0].message and "转义" in found[0].message


def test_invisible_character_in_a_notice_and_a_file_name(mini):
    notice = mini / "notices/2026-01-01-hello.md"
    notice.write_text(notice.read_text("utf-8") + "\n正文\u202e反转\n", "utf-8")
    (mini / "notices/2026-02-01-x\x1by.md").write_text("---\ntitle: 甲\ndate: 2026-02-01\n---\n", "utf-8")
    found = errors(mini, "E018")
    assert {p.pos.file for p in found} == {"notices/2026-01-01-hello.md", "notices/2026-02-01-x‹U+001B›y.md"}
    assert all("\x1b" not in p.format() and "\u202e" not in p.format() for p in found)


def test_control_character_on_line_10_is_reported_at_line_10_in_chinese():
    text = (
        "members:\n" + "".join(f"  - id: M{i}\n    name: 甲\n    status: 正式\n" for i in range(3)) + "  - id: M9\x07\n"
    )
    _, problems = parse("roster", "r.yaml", text.encode())
    assert [(p.code, p.pos.line, p.pos.col) for p in problems] == [("E018", 11, 11)]
    assert "unacceptable" not in problems[0].message


# --------------------------------------------------------------------------- YAML errors where they start


def test_unclosed_quote_is_reported_where_it_opens(mini):
    plant(mini, LEDGER_Q1, "item: B02", 'item: "B02')
    found = errors(mini, "E006")
    line, col = line_col(mini, LEDGER_Q1, '"B02')
    assert [(p.pos.line, p.pos.col) for p in found] == [(line, col)] and "引号" in found[0].message


def test_unclosed_bracket_is_reported_where_it_opens():
    _, problems = parse("ledger", "q.yaml", b"entries:\n  - id: E1\n    members: [M1, M2\n    item: B01\n")
    assert [(p.code, p.pos.line, p.pos.col) for p in problems] == [("E006", 3, 14)]


def test_missing_space_after_a_colon_is_reported_on_its_own_line():
    _, problems = parse("roster", "r.yaml", "members:\n  - id: M2\n    name:钱二\n    status: 正式\n".encode())
    assert [(p.code, p.pos.line, p.pos.col) for p in problems] == [("E006", 3, 5)]


def test_every_yaml_message_is_chinese():
    for text in ['a: "\\q"\n', "a: @x\n", "a: &\n", "a: |x\n", "- a\nb: c\n", "a: *nothing\n", "a: [1\n"]:
        _, problems = parse("site", "site.yaml", text.encode())
        assert problems and all(p.code == "E006" for p in problems), text
        assert not any(c.isascii() and c.isalpha() for c in problems[0].message.replace("YAML", "")), problems[0]


# --------------------------------------------------------------------------- values


def test_null_in_a_required_field_is_an_error(mini):
    plant(mini, ROSTER, "name: 孙三", "name: ~")
    found = errors(mini, "E015")
    assert len(found) == 1 and found[0].pos.line == line_col(mini, ROSTER, "name: ~")[0]


@pytest.mark.parametrize("null", ["~", "null", ""])
def test_null_names_are_never_published_as_text(mini, null):
    plant(mini, ROSTER, "name: 孙三", f"name: {null}")
    assert [p.code for p in errors(mini)][:1] == ["E015"]


def test_full_width_digits_are_not_numbers(mini):
    plant(mini, LEDGER_Q1, "points: 2", "points: ４")
    found = errors(mini, "E012")
    assert len(found) == 1 and "４" in found[0].message


def test_full_width_digits_in_dates_are_not_dates(mini):
    plant(mini, LEDGER_Q1, "date: 2026-01-10", "date: ２０２６-01-10")
    assert len(errors(mini, "E011")) == 1


# --------------------------------------------------------------------------- sizes


def test_file_over_the_size_limit_is_refused_without_reading_it(mini):
    path = mini / f"{B1_2026}/ledger/q3.yaml"
    with open(path, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is really there to read
    found = errors(mini, "E019")
    assert [p.pos.file for p in found] == [f"{B1_2026}/ledger/q3.yaml"] and "MB" in found[0].message


def test_roster_over_a_few_thousand_people_is_refused(mini):
    people = "".join(f"  - id: X{i}\n    name: 甲\n    status: 正式\n" for i in range(5001))
    (mini / ROSTER).write_text("members:\n" + people, "utf-8")
    found = errors(mini, "E021")
    assert [(p.pos.file, p.pos.line) for p in found] == [(ROSTER, 2)] and "5001" in found[0].message


def test_text_longer_than_a_spreadsheet_cell_holds_is_refused(mini):
    plant(mini, ROSTER, "name: 钱二", "name: " + "长" * 40000)
    found = errors(mini, "E021")
    assert len(found) == 1 and found[0].pos.file == ROSTER and "40000" in found[0].message


def test_aliases_that_expand_far_beyond_the_file_are_refused(mini):
    members = "[" + ", ".join(["M1"] * 1000) + "]"
    # 1,000 entries, each an alias of one with 1,000 members: a million members from 8 KB
    doc = f"entries:\n  - &e {{id: E1, date: 2026-07-01, item: B01, members: &m {members}}}\n" + "".join(
        "  - *e\n" for _ in range(1000)
    )
    (mini / f"{B1_2026}/ledger/q3.yaml").write_text(doc, "utf-8")
    started = time.perf_counter()
    found = errors(mini, "E020")
    assert [p.pos.file for p in found] == [f"{B1_2026}/ledger/q3.yaml"]
    assert time.perf_counter() - started < 60  # was minutes; refused after one pass over the nodes


def test_a_few_aliases_are_fine():
    doc = "entries:\n  - {id: E1, date: 2026-07-01, item: B01, members: &m [M1, M2]}\n" + "".join(
        f"  - {{id: E{i}, date: 2026-07-01, item: B01, members: *m}}\n" for i in range(2, 40)
    )
    value, problems = parse("ledger", "q.yaml", doc.encode())
    assert not [p for p in problems if p.is_error] and len(value.entries) == 39


# --------------------------------------------------------------------------- links, special files, leftovers


def test_symlinks_are_refused_and_never_followed(mini):
    os.symlink("/dev/zero", mini / f"{B1_2026}/ledger/q3.yaml")
    os.symlink("../../../../../restricted/b1/2026.yaml", mini / f"{B1_2026}/ledger/q4.yaml")
    os.symlink(mini / "committees/c1/branches/b2", mini / "committees/c1/branches/b3")
    found = errors(mini, "E104")
    assert sorted(p.pos.file for p in found) == sorted(
        ["committees/c1/branches/b3", f"{B1_2026}/ledger/q3.yaml", f"{B1_2026}/ledger/q4.yaml"]
    )


def test_named_pipe_is_refused_without_hanging(mini):
    os.mkfifo(mini / f"{B1_2026}/ledger/q3.yaml")
    found = errors(mini, "E104")
    assert [p.pos.file for p in found] == [f"{B1_2026}/ledger/q3.yaml"]


def test_a_symlinked_site_yaml_is_not_read(mini):
    real = mini.parent / "elsewhere.yaml"
    (mini / "site.yaml").rename(real)
    os.symlink(real, mini / "site.yaml")
    codes = {p.code for p in errors(mini)}
    assert "E104" in codes and "E102" in codes


@pytest.mark.parametrize("name", ["Thumbs.db", "desktop.ini", "Desktop.ini", ".DS_Store", "._q1.yaml", "ehthumbs.db"])
def test_files_windows_and_macos_leave_behind_are_ignored(mini, name):
    for folder in ("", "committees/c1", B1_2026, f"{B1_2026}/ledger", "restricted/b1", "notices"):
        (mini / folder / name).write_bytes(b"\x00\x01binary")
    assert errors(mini) == []


# --------------------------------------------------------------------------- what build will need


def test_member_id_too_long_for_a_file_name(mini):
    long_id = "M" * 260
    plant(mini, ROSTER, "id: M3", f"id: {long_id}")
    found = errors(mini, "E022")
    assert len(found) == 1 and found[0].pos.file == ROSTER and long_id not in found[0].message


def test_notice_name_too_long_for_a_file_name(mini):
    name = "2026-03-01-" + "通" * 80 + ".md"
    (mini / "notices" / name).write_text("---\ntitle: 通知\ndate: 2026-03-01\n---\n正文\n", "utf-8")
    found = errors(mini, "E022")
    assert [p.pos.file for p in found] == [f"notices/{name}"]


# --------------------------------------------------------------------------- messages are always printable


def test_problem_fields_never_carry_invisible_characters():
    p = Problem("E013", "“Q\x01Z\x1b[2J”\u202e", Pos("a\x07.yaml", 1, 1), "\x00")
    for text in (p.format(), str(p.as_dict())):
        assert not any(ch in text for ch in "\x00\x01\x07\x1b\u202e")
    assert "‹U+001B›" in p.message and p.pos.file == "a‹U+0007›.yaml"


# --------------------------------------------------------------------------- the locator


def test_locator_parses_each_file_once_however_many_errors(mini, monkeypatch):
    from sitegen.validate import Locator

    built: list[str] = []
    original = Locator._build

    def counting(self, file):
        built.append(file)
        return original(self, file)

    monkeypatch.setattr(Locator, "_build", counting)
    entries = "".join(
        f"  - id: X{i}\n    date: 2026-01-{i % 28 + 1:02d}\n    item: B01\n    members: [M9, M8]\n" for i in range(300)
    )
    (mini / LEDGER_Q1).write_text((mini / LEDGER_Q1).read_text("utf-8") + entries, "utf-8")
    found = errors(mini, "E402")
    assert len(found) == 600
    assert len({(p.pos.line, p.pos.col) for p in found}) == 600  # each at its own member
    assert built.count(LEDGER_Q1) == 1
    assert len(built) == len(set(built))


def test_locator_uses_the_bytes_the_load_read_not_the_disk(mini, monkeypatch):
    """A check reads each file once: errors are located in the bytes the load kept."""
    import sitegen.load as load_module
    import sitegen.validate as validate_module

    plant(mini, LEDGER_Q1, "members: [M1]\n", "members: [M1, M9]\n")
    reads: list[str] = []
    original = load_module.read_source

    def counting(root, rel):
        reads.append(rel)
        return original(root, rel)

    monkeypatch.setattr(load_module, "read_source", counting)
    monkeypatch.setattr(validate_module, "read_source", counting)
    found = errors(mini, "E402")
    assert found and all(p.pos.file == LEDGER_Q1 for p in found)
    assert found[0].pos.line == line_col(mini, LEDGER_Q1, "M9")[0]  # located below the entry, at the member
    assert reads.count(LEDGER_Q1) == 1  # the scan's read; the locator used its bytes
