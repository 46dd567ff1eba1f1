"""The one YAML text writer (sitegen.yamltext): whatever it writes, the project's own
loader reads back as the same data, and appending keeps the existing text byte for byte."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.load.parse import parse
from sitegen.load.yamlio import compose
from sitegen.model.enums import Source
from sitegen.model.ledger import Entry
from sitegen.problems import UNSAFE
from sitegen.yamltext import append, block, flow, scalar

# Any text but the invisible characters the loader refuses on purpose (sitegen.problems.UNSAFE).
TEXT = st.text(st.characters(codec="utf-8"), max_size=30).filter(lambda t: not UNSAFE.search(t))
KEY = st.from_regex(r"[a-z][a-z_]{0,11}", fullmatch=True)
IDS = st.lists(TEXT.filter(bool), max_size=4)


def data(node):
    """A composed node as plain Python: every scalar the string the loader keeps."""
    if isinstance(node, yaml.MappingNode):
        return {k.value: data(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [data(v) for v in node.value]
    return node.value


def read(text: str):
    node, problems = compose(text, "x.yaml")
    assert problems == [], problems
    return data(node)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_reads_back_as_written(text):
    assert read(f"note: {scalar(text)}\n") == {"note": text}


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEY, st.one_of(TEXT, IDS), min_size=1, max_size=6))
def test_a_mapping_and_a_list_item_read_back_as_written(mapping):
    assert read("\n".join(block(mapping.items())) + "\n") == mapping
    item = "entries:\n" + "\n".join(block(mapping.items(), "  ", item=True)) + "\n"
    assert read(item) == {"entries": [mapping]}


def test_ids_in_a_flow_list_stay_ids():
    # "0\n": found by the mapping property above — a plain-id test with "$" let a trailing
    # newline through, and YAML folded it away
    ids = ["M0101", "a, b", "[x]", "全体", "#1", "-", "0\n", "M0102\n"]
    assert read(f"members: {flow(ids)}\n") == {"members": ids}


ENTRY = st.builds(
    Entry,
    id=st.from_regex(r"2026-[0-9]{3}", fullmatch=True),
    date=st.dates(date(2026, 1, 1), date(2026, 12, 31)),
    members=st.one_of(
        st.just(("全体",)), st.lists(st.from_regex(r"M[0-9]{4}", fullmatch=True), min_size=1, max_size=3).map(tuple)
    ),
    item=st.sampled_from(["A01", "B02", "C03"]),
    points=st.one_of(st.none(), st.decimals(-10, 10, places=1).map(Decimal)),
    source=st.sampled_from(list(Source)),
    evidence=TEXT.map(str.strip),
    note=TEXT.map(str.strip),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(ENTRY, min_size=1, max_size=4), st.lists(ENTRY, min_size=1, max_size=4))
def test_appended_entries_parse_back_and_the_old_text_is_kept(old, new):
    first = append(None, old, "第一次导入", "# 台账").text
    second = append(first, new, "第二次导入", "# 台账").text
    assert second.startswith(first)
    parsed, problems = parse("ledger", "q1.yaml", second.encode())
    assert [p for p in problems if p.is_error] == []
    assert list(parsed.entries) == [*old, *new]
