#!/usr/bin/env bash
# ./run.sh demo   set everything up, then build the demo district from content/ into output/
# ./run.sh test   set everything up, then run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"
case "${1:-}" in
  demo)
    bash scripts/setup.sh
    .venv/bin/sitegen build content -o output
    ;;
  test)
    bash scripts/setup.sh
    echo "ruff check（代码检查）、ruff format --check（格式）、mypy（类型检查），然后运行测试"
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    .venv/bin/mypy
    .venv/bin/python -m pytest -q
    ;;
  *)
    echo "用法：./run.sh demo（生成示例站点）或 ./run.sh test（运行测试）" >&2
    exit 2
    ;;
esac
