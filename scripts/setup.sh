#!/usr/bin/env bash
# Everything sitegen needs on a fresh Debian machine: system packages, a virtualenv
# in .venv with sitegen and its pinned dependencies. Safe to run again: it only does
# what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages (Debian): listed in scripts/apt-packages.txt, one per line.
missing=()
while read -r pkg; do
  pkg="${pkg%%#*}"; pkg="${pkg// /}"
  [ -z "$pkg" ] && continue
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done < scripts/apt-packages.txt
if ! python3 -m venv --help >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "安装系统软件包：${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python environment.
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
# Exactly the tested versions: requirements.lock pins every runtime and test dependency
# with its hashes (README, "Dependencies", says how to update it); sitegen itself is then
# installed without letting pip resolve anything else. The lock is complete, so pip
# installs it with --no-deps: resolving again would let a newer release on the index
# meet a dependency's extra (weasyprint needs fonttools[woff]) and fail hash mode;
# `pip check` then proves the locked set satisfies every requirement.
stamp=.venv/.sitegen-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ] || [ requirements.lock -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --no-deps --require-hashes -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps -e .
  .venv/bin/python -m pip check
  touch "$stamp"
fi

# axe-core and the Nu HTML checker (npm registry, pinned in tests/a11y/package-lock.json) for the page tests.
if [ ! -f tests/a11y/node_modules/axe-core/axe.min.js ] || [ ! -f tests/a11y/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  if command -v npm >/dev/null 2>&1; then
    (cd tests/a11y && npm ci --no-audit --no-fund --silent)
  else
    echo "没有 npm：页面检查（axe-core、Nu HTML checker）需要它，请安装 Node.js 和 npm 后再运行本脚本" >&2
  fi
fi
