"""The manifest spliced from the last one's text (sitegen.manifest) is byte for byte what
encoding it in full gives, whatever changed; and a build writes it so."""

from __future__ import annotations

import json
import random

import pytest

from sitegen import manifest

ODD = ['a"b', "b", "a\\b", 'x},"units":{"y', "党员/积分.html", "tab\there", "z" * 3, "a", "a/b", "a/b.html", "a.b"]


def full(sections: dict[str, dict]) -> str:
    return json.dumps(
        {name: dict(sorted(sections[name].items())) for name in manifest.SECTIONS},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def sample(rng: random.Random, n: int) -> dict[str, dict]:
    paths = [f"{rng.choice(['2026', '2025', 'c'])}/{rng.randrange(50)}/p{rng.randrange(1000)}.html" for _ in range(n)]
    paths += ODD
    units: dict[str, list] = {}
    for rel in paths:
        units.setdefault(rel.split("/")[0], ["k", []])[1].append(rel)
    return {
        "pages": {rel: f"{rng.getrandbits(64):016x}" for rel in paths},
        "units": units,
        "files": {rel: rng.randrange(10**6) for rel in paths},
        "hashes": {rel: f"{rng.getrandbits(128):032x}" for rel in paths},
    }


def change(rng: random.Random, old: dict[str, dict], count: int) -> dict[str, dict]:
    new = {name: dict(section) for name, section in old.items()}
    for _ in range(count):
        name = rng.choice(manifest.SECTIONS)
        section = new[name]
        what = rng.randrange(3)
        if what == 0 and section:  # taken out
            del section[rng.choice(list(section))]
        elif what == 1 and section:  # changed
            key = rng.choice(list(section))
            section[key] = ["k2", [key]] if name == "units" else 7 if name == "files" else "changed"
        else:  # put in, anywhere in the order (first and last too)
            key = rng.choice(["", "0", "~~~", *ODD, f"new/{rng.randrange(10**6)}.html"])
            section[key] = ["k3", []] if name == "units" else 1 if name == "files" else "added"
    for section in new.values():  # in any order, as a build fills them
        items = list(section.items())
        rng.shuffle(items)
        section.clear()
        section.update(items)
    return new


@pytest.fixture
def spliced(monkeypatch) -> list[str]:
    """Splice whatever the number of changes; each splice's outcome recorded."""
    outcomes: list[str] = []
    splice = manifest._splice

    def counted(*args):
        try:
            text = splice(*args)
        except manifest.Unexpected:
            outcomes.append("unexpected")
            raise
        outcomes.append("spliced")
        return text

    monkeypatch.setattr(manifest, "_splice", counted)
    monkeypatch.setattr(manifest, "SPLICE_AT_MOST", 0)
    return outcomes


@pytest.mark.parametrize("seed", range(40))
def test_a_spliced_manifest_is_the_full_encoding(seed, spliced):
    rng = random.Random(seed)
    old = sample(rng, rng.choice([0, 1, 5, 200]))
    text = full(old)
    where = manifest.places(text)
    assert where is not None
    texts = {name: text[where[2 * i] : where[2 * i + 1]] for i, name in enumerate(manifest.SECTIONS)}
    assert "".join(texts.values()) and all(json.loads(texts[name]) == old[name] for name in manifest.SECTIONS)
    parsed = json.loads(text)  # as the next build reads it: the file's order
    for count in (0, 1, 3, 30):
        new = change(rng, old, count)
        assert manifest.encode_manifest(new, parsed, texts) == full(new)
    assert spliced == ["spliced"] * 16  # four sections, four rounds: none encoded in full


def test_a_text_not_laid_out_as_ours_is_not_spliced_from(spliced):
    rng = random.Random(1)
    old = sample(rng, 50)
    assert manifest.places(json.dumps(old)) is None  # another layout (spaces): encoded in full
    text = full(old)
    where = manifest.places(text)
    assert where is not None
    texts = {name: text[where[2 * i] : where[2 * i + 1]] for i, name in enumerate(manifest.SECTIONS)}
    wrong = {name: dict(section) for name, section in old.items()}
    key = next(iter(wrong["pages"]))
    wrong["pages"][key] = "not what the text says"  # the text and the values disagree: never trusted
    new = change(rng, old, 0)
    new["pages"][key] = "changed"
    assert manifest.encode_manifest(new, wrong, texts) == full(new)
    assert spliced == ["unexpected", "spliced", "spliced", "spliced"]
