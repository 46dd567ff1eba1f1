"""`sitegen generate`: a fictitious district of any size, for tests and benchmarks.

The generator is a development tool that lives in the source repository
(tools/synth.py), not in the sitegen package; this command finds it there.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]


def add(sub) -> None:
    p = sub.add_parser("generate", help="生成一个虚构的大规模区（用于测试和性能评估）")
    p.add_argument("dest", help="写到哪个目录（必须不存在或为空）")
    p.add_argument("--branches", type=int, default=1000, help="支部数（默认 1000）")
    p.add_argument("--members", type=int, default=30, help="每支部党员数（默认 30）")
    p.add_argument("--seed", type=int, default=1, help="随机种子（相同种子生成相同内容）")
    p.add_argument("--year", type=int, default=2026, help="年度（默认 2026）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    dest = Path(args.dest)
    if dest.exists() and any(dest.iterdir()):
        print(f"sitegen：目录“{dest}”不是空的，为避免覆盖，请换一个目录。", file=sys.stderr)
        return 2
    source = REPOSITORY / "tools" / "synth.py"
    if not source.is_file():
        print(
            "sitegen generate 是开发工具，只能在 sitegen 的源码仓库里运行（需要 tools/synth.py）。",
            file=sys.stderr,
        )
        return 2
    # loaded from its file, so a `tools` package elsewhere on the path cannot stand in for it
    spec = importlib.util.spec_from_file_location("tools.synth", source)
    assert spec is not None and spec.loader is not None
    synth = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = synth  # dataclasses look their module up there
    spec.loader.exec_module(synth)
    stats = synth.generate(dest, branches=args.branches, members=args.members, seed=args.seed, year=args.year)
    print(f"已生成：{stats['branches']} 个支部，{stats['members']} 名党员，{stats['entries']} 条台账，写入 {dest}。")
    return 0
