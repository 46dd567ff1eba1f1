#!/usr/bin/env bash
# ./run.sh demo   set everything up, then build the demo district from content/ into output/
# ./run.sh test   set everything up, then run the whole test suite (what CI runs)
# ./run.sh test-fast   the same without the slow kinds of test (PDFs, LibreOffice, Chromium,
#                      whole-demo builds): for developers between commits
set -euo pipefail
cd "$(dirname "$0")"
case "${1:-}" in
  demo)
    bash scripts/setup.sh
    .venv/bin/sitegen build content -o output
    ;;
  test | test-fast)
    bash scripts/setup.sh
    echo "ruff check（代码检查）、ruff format --check（格式）、mypy（类型检查），然后运行测试"
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    .venv/bin/mypy
    # one test process per CPU (pytest-xdist), each test file in one process
    pytest_args=(-q -n auto --dist loadfile)
    if [ "$1" = test-fast ]; then
      echo "只运行快速测试（不含 PDF、LibreOffice、浏览器和整个示例区的生成）；CI 运行的是全部测试：./run.sh test"
      pytest_args+=(-m "not slow and not pdf and not office and not browser")
    fi
    .venv/bin/python -m pytest "${pytest_args[@]}"
    ;;
  *)
    echo "用法：./run.sh demo（生成示例站点）、./run.sh test（运行全部测试）或 ./run.sh test-fast（只运行快速测试）" >&2
    exit 2
    ;;
esac
