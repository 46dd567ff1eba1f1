"""What git history lets `sitegen check` enforce (SPEC 2.9: the published record is never
silently rewritten).

- **Published numbers.** For every quarter (and year end) whose 公示 has started, the
  published table — scored from the content as it was when the 公示 began — must equal
  the table scored from the content now, but for the corrections made since
  (sitegen.history.published: E1008 names the file and record that moved a number,
  E1009 a 公示 withdrawn or re-dated).
- **Published entries.** Each entry of a published quarter's ledger file is compared, by
  id, with its state at that reference: an entry edited or removed since (E1002, E1003),
  or any new entry in it (E1004) — a correction made after the 公示 began is dated then,
  so it belongs to a later quarter's file (only a fourth-quarter correction made in
  January stays in q4.yaml).
- **Rewritten history.** The commit the last published site was built from (the
  previous build's build-info.json) must still be an ancestor of HEAD; if not, the
  branch was force-pushed, rebased or reset over published records (E1005); a
  --published-info file that does not exist is an error, not silence (E1007).

A shallow clone cannot show any of it, and is refused with what to do about it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from sitegen.history.blobs import Blobs, Cache, logged
from sitegen.history.entries import FIELD_NAMES, changed_fields, from_row, to_row
from sitegen.history.git import (
    NULL,
    CatFile,
    GitError,
    LogCommit,
    Repo,
    is_ancestor,
    locate,
    object_ids,
    rev_list,
)
from sitegen.history.model import describe_fields
from sitegen.history.paths import ledger_path
from sitegen.history.published import _RECORD, Publication, _day, publications, published_by_branch
from sitegen.load import Loaded
from sitegen.load.cache import results_fingerprint, sources_hash
from sitegen.load.layout import FileKind
from sitegen.model.ledger import Entry
from sitegen.problems import Pos, Problem
from sitegen.rules.periods import quarter_name
from sitegen.rules.published import YEAR_END
from sitegen.validate import Locator

NO_FILE = Pos("")
FIX_SHALLOW = (
    "取完整历史后再检查：Gitea/GitHub Actions 的 actions/checkout 写 fetch-depth: 0，GitLab CI 设变量 "
    "GIT_DEPTH: 0，本地运行 git fetch --unshallow。确实不需要核对历史时，加 --no-history。"
)


def check_history(
    loaded: Loaded,
    today: date,
    published_info: Path | None = None,
    cache_dir=True,
    years: dict | None = None,
    *,
    repo: Repo | None = None,
) -> list[Problem]:
    """Problems only history can show; nothing when the content folder is not in a git repository.
    `years`: the scored years of `loaded` (what the published tables are compared with).
    `repo`: the repository, with the commit to take as HEAD (`sitegen diff` checks a
    revision without checking it out); by default the one holding the content folder."""
    try:
        repo = repo or locate(loaded.root)
        if repo is None:
            return []
        if repo.shallow:
            return [
                Problem(
                    "E1001",
                    "内容目录所在的 git 仓库是浅克隆（只取了最近的提交），无法核对已公示季度有没有被改动，"
                    "变更记录也会把所有内容算作最后一次提交所加。",
                    NO_FILE,
                    FIX_SHALLOW,
                )
            ]
        if not repo.head:
            return []
        site, problems = published_site(repo, published_info)
        if loaded.district is not None:
            # every path of every commit: the content folder may have lived elsewhere before
            commits, roots = logged(repo, cache_dir, prefix="")
            cache = Cache.at(cache_dir, roots, repo.prefix)
            with CatFile(repo.top) as cat:
                blobs = Blobs(cat, cache)
                pubs, texts = _publications(repo, commits, blobs, today, {b.id for b in loaded.district.branches()})
                origin = _site_references(loaded, repo, pubs, site)
                seen = list(origin)
                blobs.passing = frozenset(p.ref for p in seen)
                known = _origin_ids(repo, [p for s, p in origin.items() if _in_place(p, s)], cache, cat)
                contents = _contents(repo, seen, cache, commits, cat, known)
                same = _same_as_origin(origin, contents, known)
                problems += _by_branch(loaded, repo, commits, blobs, pubs + seen, years, contents, texts, same)
            cache.save()
        return problems
    except GitError as exc:
        return [
            Problem(
                "E1006",
                f"无法读取 git 历史：{exc}",
                NO_FILE,
                "按上面的说明处理后再检查；确实不需要核对历史时，加 --no-history。",
            )
        ]


def _publications(
    repo: Repo, commits: list, blobs: Blobs, today: date, branches: set[str]
) -> tuple[list[Publication], dict[str, str]]:
    """`publications(...)`, with each branch's as its key has them (:func:`_idents`),
    remembered in the history cache (a file of its own) under everything it depends on:
    HEAD (which fixes the commits and every blob they name), the content folder's place,
    the district's branch ids (and, through the cache's folder, the parser's and the
    history's code) — and, kept with them, the days they hold for: all they read of the
    day is whether each 公示 start in the history has come (:func:`_days`), so they are
    found again on any day from the latest start up to `today` to the day before the next
    one. Only the last few are kept.

    A HEAD not seen yet whose commits since one that was (`_since`) are a line of plain
    commits that touch no 公示 record has the same publications (and the same starts),
    unless one of them is read from that earlier HEAD itself and the line now goes on
    before its 公示 began (its reference is the last commit of its line before that day:
    `_Lines.reference`); they are kept under the new HEAD only when that ancestor is far
    back (a few hundred kilobytes written on each commit otherwise, for a district of
    1,000 branches)."""

    def key(head: str) -> str:
        h = hashlib.sha256(f"{head}\0{repo.prefix}\0".encode())
        h.update("\0".join(sorted(branches)).encode())
        return h.hexdigest()[:32]

    kept = _kept_publications(blobs, key(repo.head), today)
    if kept is None:
        far = _SINCE
        for n, (earlier, after) in enumerate(_since(commits, repo.head)):
            kept = _kept_publications(blobs, key(earlier.sha), today)
            if kept is not None:
                far = n
                if any(p.ref == earlier.sha and _moves(earlier, after, p.start) for p in kept[0]):
                    kept = None
                break
        if kept is None:
            starts: set[date] = set()
            made = publications(repo, commits, blobs, today, branches, starts)
            kept = (made, _idents(made), *_days(starts, today))
            far = _SINCE
            # what they read at their own reference, asked with them (a published site
            # built later is compared with it: `_same_as_origin`)
            _origin_ids(repo, [p for p in made if p.prefix == repo.prefix], blobs.cache, blobs.cat)
        if far >= _SINCE // 2:  # (those of an ancestor close by are found there again)
            blobs.cache.keep_one("publications", key(repo.head), kept)
    return kept[0], kept[1]


def _days(starts: set[date], today: date) -> tuple[int, int]:
    """The days (ordinals, the second not included) that fall on the side of every start
    in `starts` that `today` does: from the latest start up to today to the next after it."""
    day = today.toordinal()
    ordinals = [s.toordinal() for s in starts]
    return max((s for s in ordinals if s <= day), default=0), min((s for s in ordinals if s > day), default=_NEVER)


_NEVER = date.max.toordinal() + 1


def _kept_publications(
    blobs: Blobs, key: str, today: date
) -> tuple[list[Publication], dict[str, str], int, int] | None:
    """The publications kept under `key`, when they hold for `today`."""
    found = blobs.cache.one("publications", key)
    if (
        isinstance(found, tuple)
        and len(found) == 4
        and isinstance(found[0], list)
        and isinstance(found[1], dict)
        and isinstance(found[2], int)
        and isinstance(found[3], int)
        and found[2] <= today.toordinal() < found[3]
        and all(isinstance(p, Publication) for p in found[0])
        and found[1].keys() == {p.branch for p in found[0]}
    ):
        return found
    return None


_SINCE = 20  # commits looked back for a HEAD whose publications are kept


def _since(commits: list, head: str) -> Iterator[tuple[LogCommit, LogCommit]]:
    """First-parent ancestors of `head`, nearest first, each with its child on the way,
    such that every commit after one up to `head` has one parent and touches no 公示
    record (at most _SINCE). What `head` reaches is then what the ancestor reaches and
    that line."""
    by_sha = {c.sha: c for c in commits}
    c = by_sha.get(head)
    for _ in range(_SINCE):
        if c is None or len(c.parents) != 1 or any(_RECORD.fullmatch(t.path) for t in c.touched):
            return
        parent = by_sha.get(c.parents[0])
        if parent is None:
            return
        yield parent, c
        c = parent


def _moves(ref: LogCommit, after: LogCommit, start: date) -> bool:
    """Whether a publication read from `ref`, the end of its line before, now reads from
    `after`, its child (as `_Lines.reference` walks: a commit of a day before the start,
    not dated before its parent)."""
    return not (_day(after) >= start or after.committed < ref.committed)


def _idents(pubs: list[Publication], contents: dict[Publication, str] | None = None) -> dict[str, str]:
    """Each branch's publications as its key has them: their fields, sorted."""
    by: dict[str, list[str]] = {}
    for pub in pubs:
        by.setdefault(pub.branch, []).append(_ident(pub, contents or {}))
    return {bid: repr(sorted(idents)) for bid, idents in by.items()}


def _by_branch(
    loaded: Loaded,
    repo: Repo,
    commits: list,
    blobs: Blobs,
    pubs: list[Publication],
    years: dict | None,
    contents: dict[Publication, str] | None = None,
    texts: dict[str, str] | None = None,
    same: frozenset[Publication] = frozenset(),
) -> list[Problem]:
    """The published entries (closed_quarters) and numbers (check_published) of each branch
    with a publication, remembered in the history cache (pack `checked`) under a hash of
    everything they depend on: the branch's files and those above it (its scope, as
    `sitegen.memo.branch_scopes` has it), its publications (each names the commit its
    content is read from, which never changes — or, for the published site's reference,
    whose commit moves with every build, the ids of the folders it is read from there:
    `contents`), the repository's place and the code. A commit that touches one branch
    checks that branch again, no other. Problems that name the published site's commit
    (the one way its id shows) are kept under that commit too. `texts`: the branches'
    publications in `pubs` but those in `contents` as :func:`_idents` has them, when made
    before (the published site's, in `contents`, are added by :class:`_Keys`).

    Not the day: all a branch's check reads of the build's date is which of its 公示 have
    begun by then — its publications (`pubs`, found as of that day), in the key. The rest
    reads the same on any day: the ledger files' rows then and now (closed_quarters), the
    records' 公示 now (E1009), and the published tables, scored now (`years`, as of that
    day) and at the reference — a table holds the members' numbers, which never depend on
    the build's date (sitegen.rules.score.score_branch_year; tests/history/test_days.py
    holds it to that). So a new day checks again only the branches one of whose 公示
    began since (or, going back, had not begun yet): until then a branch's remembered
    check is found under the same key from day to day.

    `same`: the published site's references that read what the publication each was made
    from reads at its own reference (:func:`_same_as_origin`). Such a reference checks
    nothing its publication does not: the published entries are the same rows (closed_quarters
    compares each version once) and the published table is scored from the same files, so
    its problems are the publication's again — unless that table could not be scored and
    the check went on to the commits after the reference, which differ. It is left out of
    the branch's key and check (a branch whose site references are all such has the key a
    check without a published site gives it: the published site moving to a new commit
    checks again only the branches it changed), and put back for a branch whose check went
    on to later commits."""
    contents = contents or {}
    texts = texts or {}
    shown = {p.ref[:7] for p in contents}  # the published site's commit, as a problem names it
    scopes = loaded.scopes()
    unreadable = sorted({p.pos.file for p in loaded.problems if p.is_error})
    mine: dict[str, list[Publication]] = {}
    left: dict[str, list[Publication]] = {}  # branch → its site references left out (`same`)
    for pub in pubs:
        (left if pub in same else mine).setdefault(pub.branch, []).append(pub)
    pack = blobs.cache.pack("checked")
    used: dict[str, list[Problem]] = {}
    todo: dict[
        str, tuple[str, str]
    ] = {}  # branch → its keys, by content and by commit ('' when it cannot be remembered)
    problems: list[Problem] = []
    keys = _Keys(loaded, repo, unreadable, years is not None, contents)
    for bid, own in mine.items():
        key = keys.of(bid, own, scopes.get(bid), texts.get(bid))
        exact = _exact(key, own, contents)
        if key and key in pack:
            used[key] = pack[key]
            problems += pack[key]
        elif exact and exact in pack:
            used[exact] = pack[exact]
            problems += pack[exact]
        else:
            todo[bid] = (key, exact)
    if not todo:
        return problems
    wanted = [p for p in pubs if p.branch in todo and p not in same]
    entries: dict[str, list[Problem]] = {}
    for p in closed_quarters(loaded, wanted, blobs):
        entries.setdefault(_branch_of(p.pos.file), []).append(p)
    published = published_by_branch(loaded, years, repo, commits, blobs, wanted) if years is not None else {}
    # a check that went on past a reference that could not be scored: the references left
    # out go on from their own commit, so they are checked after all (never kept)
    again = {bid for bid in todo if bid in left and not published.get(bid, ([], True))[1]}
    if again and years is not None:
        wanted = [p for p in pubs if p.branch in again]
        published.update(published_by_branch(loaded, years, repo, commits, blobs, wanted))
    for bid, (key, exact) in todo.items():
        found = entries.get(bid, [])
        # a ledger file whose published entries were edited is reported entry by entry already
        said = {p.pos.file for p in found}
        numbers, kept = published.get(bid, ([], True))
        found = found + [p for p in numbers if p.pos.file not in said]
        problems += found
        if key and kept:
            names_site = exact and any(sha in p.message or sha in p.hint for p in found for sha in shown)
            used[exact if names_site else key] = found
    if used.keys() - pack.keys() or len(pack) > 2 * len(used) + 100:
        pack.update(used)
        if len(pack) > 2 * len(used) + 100:  # what no branch of this run asked for: dropped
            for key in [k for k in pack if k not in used]:
                del pack[key]
        blobs.cache.changed("checked")
    return problems


class _Keys:
    """What a branch's history problems depend on, hashed (:meth:`of`), with what every
    branch shares made once: a run asks for every branch's."""

    def __init__(
        self,
        loaded: Loaded,
        repo: Repo,
        unreadable: list[str],
        numbers: bool,
        contents: dict[Publication, str] | None,
    ):
        self.loaded, self.contents = loaded, contents or {}
        self.root = os.fspath(loaded.root)
        self.common = "\0".join((_code(), repo.prefix, repr(numbers)))  # (not the day: see _by_branch)
        self.unreadable: dict[str, list[str]] = {}  # a branch's folder → its files that could not be read
        for f in unreadable:
            parts = f.split("/")
            if len(parts) > 4 and parts[0] == "committees" and parts[2] == "branches":
                self.unreadable.setdefault("/".join(parts[:4]) + "/", []).append(f)

    def of(self, bid: str, pubs: list[Publication], scope: str | None, text: str | None = None) -> str:
        """'' when they cannot be kept: a branch without a scope (an id found under two
        committees). `text`: the branch's publications not in `contents` as :func:`_idents`
        has them (made here when None); one in `contents` (the published site's) counts by
        what it is read from, not by its commit, in a list of its own."""
        district = self.loaded.district
        if scope is None or district is None:
            return ""
        branch = district.branch(bid)
        folder = f"committees/{branch.committee_id}/branches/{bid}/" if branch is not None else "\0"
        files = [
            ledger_path(branch.committee_id, bid, p.year, p.quarter)
            for p in pubs
            if branch is not None and p.quarter != YEAR_END
        ]
        # a file read is there (its path and bytes are in the scope); any other is looked for
        hashes = self.loaded.hashes
        text = "\0".join(
            (
                self.common,
                scope,
                self._text(bid, pubs, text),
                repr(self.unreadable.get(folder, [])),
                repr([f in hashes or os.path.isfile(os.path.join(self.root, f)) for f in files]),
            )
        )
        return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()

    def _text(self, bid: str, pubs: list[Publication], text: str | None) -> str:
        contents = self.contents
        seen = [p for p in pubs if p in contents] if contents else []
        if text is None:
            text = _idents([p for p in pubs if p not in contents] if seen else pubs).get(bid, "[]")
        if not seen:
            return text
        # (the commit it is read from counts by its content, in `contents`)
        marks = sorted(
            f"{p.prefix}\0{p.committee}\0{p.year}\0{p.quarter}\0{p.start}\0{p.commit}\0{contents[p]}" for p in seen
        )
        return f"{text}\0published site\0{marks!r}"


def _ident(pub: Publication, contents: dict[Publication, str]) -> str:
    content = contents.get(pub) if contents else None
    return "\0".join(map(str, pub if content is None else pub._replace(ref=content)))


def _exact(key: str, pubs: list[Publication], contents: dict[Publication, str]) -> str:
    """The key for problems that name the published site's commit: `key` and the commit
    ('' when no publication of the branch is read from it)."""
    if not contents or not key:
        return ""
    commits = sorted({p.ref for p in pubs if p in contents})
    return f"{key}@{','.join(commits)}" if commits else ""


def _contents(
    repo: Repo,
    pubs: list[Publication],
    cache: Cache | None = None,
    commits: list[LogCommit] | None = None,
    cat: CatFile | None = None,
    known: dict[str, str] | None = None,
) -> dict[Publication, str]:
    """For each publication, what its check reads at its reference, by git's ids: the
    branch's folder (its branch.yaml and years), the district's and its committee's
    scheme folders (None where a folder is not there). Kept in the history cache (a file
    for the references asked, the newest few kept: a name `commit:path` always names the
    same object). What is not kept is derived, when `commits` (every path, prefix '') lead
    from a reference kept before — or one of `known`'s, the ids at the publications' own
    references (:func:`_origin_ids`) — to this one (:func:`_derived`), and the rest asked
    of git in one batch (of `cat`, the run's reader, when given)."""
    if not pubs:
        return {}
    wanted = {pub: _names(pub) for pub in pubs}
    names = sorted({name for three in wanted.values() for name in three})
    refs = sorted({pub.ref for pub in pubs})
    key = _contents_key(refs)
    kept = cache.one("contents", key) if cache is not None else None
    ids = dict(kept) if isinstance(kept, dict) else {}
    missing = [name for name in names if not isinstance(ids.get(name), str)]
    if missing:
        if cache is not None and commits and len(refs) == 1:
            ids.update(_derived(refs[0], missing, cache, commits, known or {}))
            missing = [name for name in missing if not isinstance(ids.get(name), str)]
        if missing:
            found = cat.ids(missing) if cat is not None else object_ids(repo, missing)
            ids.update({name: found.get(name, "") for name in missing})
        if cache is not None:
            cache.keep_one("contents", key, ids)
    return {pub: "tree:" + ",".join(ids.get(name, "") for name in three) for pub, three in wanted.items()}


def _same_as_origin(
    origin: dict[Publication, Publication], contents: dict[Publication, str], known: dict[str, str]
) -> frozenset[Publication]:
    """The published site's references (`origin`: each with the publication it was made
    from, `contents`: what each reads there) that read what their publication reads at its
    own reference (`known`: :func:`_origin_ids`), under the same folder and committee: the
    same git ids of the branch's folder and of the district's and its committee's scheme
    folders — every file a check of the branch year reads
    (:data:`sitegen.history.published.COMPONENTS`) is in one of them, at the same path."""
    same = set()
    for site, pub in origin.items():
        if site in contents and _in_place(pub, site):
            names = _names(pub)
            if all(name in known for name in names) and contents[site] == "tree:" + ",".join(known[n] for n in names):
                same.add(site)
    return frozenset(same)


def _in_place(pub: Publication, site: Publication) -> bool:
    """Whether a site reference reads its publication's files where that read them."""
    return pub.prefix == site.prefix and pub.committee == site.committee


def _origin_ids(
    repo: Repo, pubs: list[Publication], cache: Cache | None = None, cat: CatFile | None = None
) -> dict[str, str]:
    """The git ids of what `pubs` read at their own references (:func:`_names`), which never
    change: kept in the history cache (one file, asked with the publications when they are
    found and kept for the published site's references; a name not there yet asked of git
    in one batch, of `cat` when given)."""
    if not pubs:
        return {}
    names = sorted({name for pub in pubs for name in _names(pub)})
    kept = cache.one("origins", _ORIGINS) if cache is not None else None
    ids = dict(kept) if isinstance(kept, dict) else {}
    missing = [name for name in names if not isinstance(ids.get(name), str)]
    if missing:
        found = cat.ids(missing) if cat is not None else object_ids(repo, missing)
        ids.update({name: found.get(name, "") for name in missing})
        if len(ids) > 2 * len(names) + 100:  # names no publication of this run has: dropped
            ids = {name: ids[name] for name in names}
        if cache is not None:
            cache.keep_one("origins", _ORIGINS, ids, keep=1)
    return ids


_ORIGINS = "publications"  # the file of the folders' ids at the publications' own references


def _names(pub: Publication) -> tuple[str, str, str]:
    """The `commit:path` names of what a check of `pub` reads at its reference: the branch's
    folder, the district's scheme folder and its committee's."""
    return (
        f"{pub.ref}:{pub.prefix}committees/{pub.committee}/branches/{pub.branch}",
        f"{pub.ref}:{pub.prefix}scheme",
        f"{pub.ref}:{pub.prefix}committees/{pub.committee}/scheme",
    )


def _contents_key(refs: list[str]) -> str:
    return hashlib.sha256("\0".join(refs).encode()).hexdigest()[:32]


def _derived(
    ref: str, names: list[str], cache: Cache, commits: list[LogCommit], known: dict[str, str] | None = None
) -> dict[str, str]:
    """The ids of `names` (`ref:path`) known without asking git: `ref`'s first-parent
    ancestors are walked back (at most _SINCE, each with one parent: a merge's combined
    diff does not list all it changed against its first parent) to the nearest whose ids
    are kept (or in `known`, names at other commits); a path no commit on the way touched
    — neither a file in it, nor the path itself, nor a folder above it — has the id it had
    there (git's id of a folder is a hash of what it holds). The rest are not answered."""
    known = known or {}
    known_at = {name.partition(":")[0] for name in known}
    by_sha = {c.sha: c for c in commits}
    touched: set[str] = set()
    c = by_sha.get(ref)
    for _ in range(_SINCE):
        if c is None or len(c.parents) != 1:
            return {}
        touched.update(t.path for t in c.touched)
        parent = c.parents[0]
        kept = cache.one("contents", _contents_key([parent]))
        if isinstance(kept, dict) and kept:
            break
        if parent in known_at:
            kept = known
            break
        c = by_sha.get(parent)
    else:
        return {}
    moved: set[str] = set()  # every touched path and every folder above one
    for path in touched:
        moved.add(path)
        cut = path.rfind("/")
        while cut > 0:
            path = path[:cut]
            if path in moved:
                break
            moved.add(path)
            cut = path.rfind("/")
    out: dict[str, str] = {}
    cut = len(ref) + 1
    for name in names:
        path = name[cut:]
        if path in moved or _above(path, touched):
            continue
        was = kept.get(f"{parent}:{path}")
        if isinstance(was, str):
            out[name] = was
    return out


def _above(path: str, files: set[str]) -> bool:
    """Whether a file of `files` is at a folder above `path` (the folder was a file)."""
    cut = path.rfind("/")
    while cut > 0:
        path = path[:cut]
        if path in files:
            return True
        cut = path.rfind("/")
    return False


@lru_cache(maxsize=1)
def _code() -> str:
    """sitegen's version and the code the history problems come from (their words too)."""
    return results_fingerprint() + sources_hash("history checks", ("history", "render/format.py"), 16)


def _branch_of(path: str) -> str:
    """The branch id of a path in a branch's folder (closed_quarters names no other)."""
    parts = path.split("/")
    return parts[3] if len(parts) > 3 and parts[0] == "committees" and parts[2] == "branches" else ""


@dataclass(frozen=True, slots=True)
class PublishedSite:
    """What the published site's build-info.json says: the commit it was built from, the day
    it was built (`as_of`, None in an older file), whether that commit had uncommitted
    changes beside it, and whether it is still an ancestor of HEAD."""

    commit: str
    as_of: date | None
    clean: bool
    ancestor: bool


def published_site(repo: Repo, info_path: Path | None) -> tuple[PublishedSite | None, list[Problem]]:
    """The published site (read once), and what is wrong: the file missing (E1007) or
    unreadable, or its commit no longer an ancestor of HEAD — history rewritten (E1005)."""
    if info_path is None:
        return None, []
    if not Path(info_path).is_file():
        return None, [
            Problem(
                "E1007",
                f"找不到上次发布的网站信息 {info_path}，无法核对历史有没有被改写。",
                NO_FILE,
                "用 --published-info 指向正式发布的网站目录里的 build-info.json（检查路径是否写错）；"
                "第一次发布、还没有发布过的网站，去掉 --published-info。",
            )
        ]
    try:
        info = json.loads(Path(info_path).read_text("utf-8"))
        content = info.get("content") or {}
        commit = content.get("commit", "") if content.get("git") else ""
        clean = not content.get("uncommitted_changes")
    except (OSError, ValueError, AttributeError):
        return None, [
            Problem(
                "E1005",
                f"读不懂上次发布的 {info_path}，无法核对历史有没有被改写。",
                NO_FILE,
                "用 --published-info 指向正式发布的网站目录里的 build-info.json，或加 --no-history。",
            )
        ]
    if not re.fullmatch(r"[0-9a-f]{40}", commit or "") or commit == NULL:
        return None, []
    try:
        as_of = date.fromisoformat(info.get("as_of") or "")
    except (ValueError, TypeError):
        as_of = None
    # every commit HEAD reaches, which the history reads anyway: one git call fewer
    reached = commit in rev_list(repo.top, repo.head)[0] if repo.head else bool(is_ancestor(repo, commit))
    site = PublishedSite(commit, as_of, clean, reached)
    if site.ancestor:
        return site, []
    return site, [
        Problem(
            "E1005",
            f"上次发布的网站（{info_path}）来自提交 {commit[:7]}，但它已不在当前的历史里："
            "历史被改写了（强制推送、变基或重置），已公示的记录可能被悄悄改动。",
            NO_FILE,
            f"不要改写已发布的历史：用 git reflog 或服务器上的原分支找回提交 {commit[:7]}，在它的基础上用新的提交改正。"
            "如果只是检出了较早的分支来检查，用 --published-info 指向正式发布的网站，或加 --no-history。",
        )
    ]


def _site_references(
    loaded: Loaded, repo: Repo, pubs: list[Publication], site: PublishedSite | None
) -> dict[Publication, Publication]:
    """The published site itself as one more reference, for each publication: its
    build-info.json names the commit it was built from and the day it was built (`as_of`);
    every 公示 that had begun by then was on it as that commit has it. Commit dates can be
    set to anything; this cannot. Each reference with the publication it was made from."""
    district = loaded.district
    if site is None or not site.ancestor or not site.clean or site.as_of is None or district is None:
        return {}
    seen: dict[tuple[str, int, int], tuple[Publication, Publication]] = {}
    committees: dict[str, str] = {}  # branch → its committee now ('' for a branch not here)
    for p in pubs:
        if p.start > site.as_of or p.ref == site.commit:
            continue
        key = (p.branch, p.year, p.quarter)
        if key in seen:
            continue
        committee = committees.get(p.branch)
        if committee is None:
            branch = district.branch(p.branch)
            committee = committees[p.branch] = branch.committee_id if branch is not None else ""
        if committee:
            seen[key] = (p._replace(ref=site.commit, prefix=repo.prefix, committee=committee), p)
    return dict(seen.values())


def closed_quarters(loaded: Loaded, pubs: list[Publication], blobs: Blobs) -> list[Problem]:
    """Each published quarter's ledger file, entry by entry, against its state at the reference."""
    district = loaded.district
    quarters = [p for p in pubs if p.quarter != YEAR_END]
    if not quarters or district is None:
        return []
    names = [f"{p.ref}:{p.prefix}{ledger_path(p.committee, p.branch, p.year, p.quarter)}" for p in quarters]
    frozen = blobs.at(FileKind.LEDGER, names, [ledger_path(p.committee, p.branch, p.year, p.quarter) for p in quarters])
    unreadable = {p.pos.file for p in loaded.problems if p.is_error}
    locate = Locator(loaded.root, loaded.raw)
    problems: list[Problem] = []
    seen: set[tuple] = set()
    for pub, then in zip(quarters, frozen):
        branch = district.branch(pub.branch)
        if then is None or branch is None:
            continue  # a version that does not parse (its own errors were reported), or withdrawn (E1009)
        path = ledger_path(branch.committee_id, branch.id, pub.year, pub.quarter)
        if path in unreadable or (pub.branch, pub.year, pub.quarter, then) in seen:
            continue
        seen.add((pub.branch, pub.year, pub.quarter, then))
        current = [e for q, e in loaded.ledgers.get((branch.committee_id, branch.id, pub.year), []) if q == pub.quarter]
        problems += _compare(then, current, path, (loaded.root / path).is_file(), pub, locate)
    return problems


def _compare(
    then: tuple, current: list[Entry], path: str, exists: bool, pub: Publication, locate: Locator
) -> list[Problem]:
    """`then`: the ledger file's rows when its 公示 began; `current`: its entries now."""
    qname = quarter_name(pub.quarter)
    closed = f"{pub.year}年{qname}已于 {pub.start} 开始公示（提交 {pub.commit[:7]}）"
    fix = (
        f"已公示的台账不能改动：把它恢复成公示时的样子（git show {pub.ref[:7]}:{pub.prefix}{path} 可以看到原样）。"
        f"确需更正的，在当前季度的台账里新增一条更正条目，写 corrects: 原条目编号 和 reason: 更正理由。"
    )
    if not exists and then:
        return [Problem("E1003", f"{closed}，它的台账文件却被删除了（公示时有 {len(then)} 个条目）。", Pos(path), fix)]
    problems = []
    before = {r[0]: r for r in then}
    now_ids = set()
    for e in current:
        now_ids.add(e.id)
        was = before.get(e.id)
        if was is None:
            if e.corrects and e.reason.strip() and e.date >= pub.start:
                continue  # a fourth-quarter correction made in January, after the 公示 began
            what = "更正条目" if e.corrects else "条目"
            problems.append(
                Problem(
                    "E1004",
                    f"{closed}，{what}“{e.id}”（日期 {e.date}）却是之后补记进来的。",
                    e.pos,
                    "已公示的季度不能再补记条目，更正也不能倒填日期。漏记的活动记到当前季度的台账里"
                    "（日期写登记的日期，note 里说明原因）；更正已公示的条目，在当前季度的台账里写更正条目，"
                    "日期写更正当天，并写 corrects 和 reason。",
                )
            )
        elif was != to_row(e):
            old = from_row(was)
            fields = changed_fields(old, e)
            at = locate.find(e.pos, fields[0]) if fields[0] in _KEYS else e.pos
            problems.append(
                Problem("E1002", f"{closed}，条目“{e.id}”此后却被改动：{describe_fields(old, e, fields)}。", at, fix)
            )
    for eid, was in before.items():
        if eid not in now_ids:
            problems.append(
                Problem(
                    "E1003",
                    f"{closed}，条目“{eid}”（{date.fromordinal(was[1])}，{was[3] or '更正'}）此后却被删除了。",
                    Pos(path, 1, 1),
                    fix,
                )
            )
    return problems


_KEYS = set(FIELD_NAMES)
