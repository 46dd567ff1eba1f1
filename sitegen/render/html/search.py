"""The name search's index: every member of the district on the roster of their branch's
latest year, findable by name, by pinyin and by pinyin initials, with no server.

The index is a script file (`search-index.js`) assigning one global; the search box on
every page loads it only when the box is first used, so pages stay light and it works
from file:// and under any sub-path (a script tag, unlike fetch, may load a file from
disk). Pinyin is worked out here, at build time, with pypinyin.

Compact, because a district of a thousand branches has thirty thousand members:
- `c`: every character used in a name, and `p`: each character's pinyin (one syllable,
  the one usual in names), so a name is stored once, as its characters;
- `o`: the few names whose pinyin differs from their characters' usual readings
  (polyphonic surnames: 单 shàn, 曾 zēng …), name index → syllables;
- `b`: per branch [year, branch id, branch name, [names], [member ids] ("" for those
  without a member page: not scored here — exempt, floating out), statuses (one
  character each, an index into `s`)];
- `s`: the status texts.

Only what the board already publishes goes in: names, the branch, the member's status
and role as the board lists them. Never a restricted value (reasons, notes, dates of an
exemption).
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from sitegen.model.scored import BranchYearResult, MemberResult, Role, YearResult
from sitegen.model.site import Branch, District
from sitegen.render.jobs import RenderJob
from sitegen.rules.membership import last_day, status_on

PATH = "search-index.js"
TEMPLATE = "search-index.js"
GLOBAL = "SITEGEN_SEARCH"

# Surnames whose reading as a surname differs from pypinyin's everyday reading.
SURNAMES = {
    "单": "shan",
    "曾": "zeng",
    "仇": "qiu",
    "解": "xie",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "乐": "yue",
    "缪": "miao",
    "覃": "qin",
    "尉": "yu",
    "盖": "ge",
    "种": "chong",
    "召": "shao",
    "员": "yun",
    "黑": "he",
    "秘": "bi",
    "长": "chang",
    "重": "chong",
    "翟": "zhai",
    "宓": "mi",
    "蕃": "pi",
    "繁": "po",
    "能": "nai",
    "万": "wan",
    "柏": "bai",
    "句": "gou",
    "卜": "bu",
    "折": "she",
}
STATUS_CODES = "0123456789abcdefghijklmnopqrstuvwxyz"  # read back with parseInt(c, 36)


@dataclass(frozen=True, slots=True)
class SearchIndexView:
    """The index as text (its repr is the file's inputs key)."""

    js: str


def _other_letters(chars: str) -> list[str]:
    return []


@lru_cache(maxsize=50_000)
def _reading(char: str) -> tuple[str, ...]:
    """A Chinese character's usual reading (nothing for other characters)."""
    # names are read character by character: pypinyin's phrase dictionary (seconds to load)
    # is never needed, and nothing else in sitegen uses pypinyin
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "1")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(char, style=Style.NORMAL, errors=_other_letters))  # type: ignore[arg-type]


def name_pinyin(name: str) -> list[str]:
    """The name's syllables: one per Chinese character (its usual reading, a surname's own
    reading for the first), one per run of other letters or digits (Anna 孙: anna sun).
    Character by character: names are not phrases, and it is fast on thirty thousand."""
    syllables: list[str] = []
    for token in re.findall(r"[0-9A-Za-z]+|.", name, flags=re.S):
        if token.isascii():
            if token.isalnum():
                syllables.append(token.lower())
        elif not syllables and token in SURNAMES:
            syllables.append(SURNAMES[token])
        else:
            syllables.extend(s.replace("ü", "v") for s in _reading(token))
    return syllables


def spellings(text: str) -> str:
    """What a person may type to find `text` (an item's name, say): its full pinyin and its
    initials, read character by character as names are ("参加三会一课" → "canjiasanhuiyike cjshyk")."""
    syllables = [s for s in name_pinyin(text) if _spelled(s)]
    return f"{''.join(syllables)} {''.join(s[0] for s in syllables)}"


def _spelled(syllable: str) -> bool:
    return syllable.isascii() and syllable.isalnum()


def status_text(r: MemberResult, year: int) -> str:
    """What the board says about the member: status, and role when not simply scored."""
    if r.member.left is not None and r.member.left.year <= year:
        return "已离开本支部"
    status = status_on(r.member, last_day(r.member, year)).value
    if r.role is Role.EXEMPT:
        return f"{status}，不纳入积分管理"
    if r.role is Role.FLOATING_OUT:
        return f"{status}，流出党员"
    if r.floating_from:
        return f"{status}，流入党员"
    return status


def entries(
    district: District,
    years: dict[int, YearResult],
    kept: Callable[[Branch, int, Callable[[], tuple]], tuple] | None = None,
) -> tuple[tuple, ...]:
    """What the index shows of each branch, in the district's order: (year, branch id,
    branch name, ((member name, member id or "", status text), …)) of the branch's latest
    year. The index is a function of these alone (:func:`index_from`), so they are also
    its inputs key (sitegen.render.run). `kept(branch, year, make)`: a branch's part as
    kept from an earlier build, or `make()` (sitegen.render.run: an unchanged branch's
    result is then not read)."""
    latest = latest_years(years)
    out = []
    for branch in district.branches():
        year = latest.get(branch.id)
        if year is None:
            continue

        def make(branch: Branch = branch, year: int = year) -> tuple:
            return branch_entry(branch, year, years[year].branches[branch.id])

        out.append(kept(branch, year, make) if kept is not None else make())
    return tuple(out)


def latest_years(years: Mapping[int, YearResult]) -> dict[str, int]:
    """Each branch's latest year (the one the index shows)."""
    return {bid: year for year in sorted(years) for bid in years[year].branches}


def branch_entry(branch: Branch, year: int, bres: BranchYearResult) -> tuple:
    """What the index shows of one branch (:func:`entries`)."""
    members = tuple((r.member.name, r.member.id if r.listed else "", status_text(r, year)) for r in bres.members)
    return (year, branch.id, branch.info.short_name, members)


def index_data(district: District, years: dict[int, YearResult]) -> dict:
    """The index's content (see the module docstring)."""
    return index_from(entries(district, years))


def index_from(shown: tuple[tuple, ...]) -> dict:
    """The index's content from :func:`entries`."""
    statuses: dict[str, int] = {}
    branches = []
    names: list[str] = []
    for year, bid, short_name, members in shown:
        member_names, ids, codes = [], [], []
        for name, mid, text in members:
            code = statuses.setdefault(text, len(statuses))
            member_names.append(name)
            ids.append(mid)
            codes.append(STATUS_CODES[code])
            names.append(name)
        branches.append([year, bid, short_name, member_names, ids, "".join(codes)])
    # each character's usual reading: the commonest among the names using it
    readings: dict[str, Counter] = {}
    spelled = []
    for name in names:
        syllables = name_pinyin(name)
        spelled.append(syllables)
        if len(syllables) == len(name):
            for ch, s in zip(name, syllables):
                if _spelled(s) and s != ch.lower():  # a Chinese character: letters and digits stand for themselves
                    readings.setdefault(ch, Counter())[s] += 1
    chars = sorted(readings)
    usual = {ch: readings[ch].most_common(1)[0][0] for ch in chars}
    overrides = {}
    for i, (name, syllables) in enumerate(zip(names, spelled)):
        if len(syllables) != len(name) or any(usual.get(ch, ch.lower()) != s for ch, s in zip(name, syllables)):
            overrides[str(i)] = " ".join(s for s in syllables if _spelled(s))
    return {
        "c": "".join(chars),
        "p": " ".join(usual[ch] for ch in chars),
        "o": overrides,
        "s": list(statuses),
        "b": branches,
    }


def index_js(district: District, years: dict[int, YearResult], shown: tuple[tuple, ...] | None = None) -> str:
    """The index file's text (`shown`: its :func:`entries`, when already made)."""
    data = index_from(shown if shown is not None else entries(district, years))
    return f"window.{GLOBAL}={json.dumps(data, ensure_ascii=False, separators=(',', ':'))};\n"


def search_jobs(
    district: District, years: dict[int, YearResult], shown: tuple[tuple, ...] | None = None
) -> list[RenderJob]:
    return [RenderJob(TEMPLATE, SearchIndexView(index_js(district, years, shown)), PATH)]
