#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then run the whole suite.
# Safe to run again: each step is skipped when what it installs is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh --system-only   # WeasyPrint's libraries, as for building

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v pdfinfo >/dev/null || need_apt+=(poppler-utils)
command -v java >/dev/null || need_apt+=(default-jre-headless)
command -v npm >/dev/null || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "Installing with apt-get: ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

if [ ! -d node_modules/vnu-jar ]; then
  npm ci --no-audit --no-fund --silent
fi

node --test tests/js/  # the pact card's pure modules, under Node's own test runner
# Two workers (pytest-xdist), each taking whole test files, so a file's shared build, server and
# browser stay with it; the default site is built once for both (tests/conftest.py: built_site).
# Pass -n 0 to run in one process.
exec .venv/bin/python -m pytest -n 2 --dist loadfile "$@"
