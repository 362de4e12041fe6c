#!/usr/bin/env bash
# Set up everything the tests need on a fresh Debian machine, then run the whole suite.
# Safe to run again: each step is skipped when what it installs is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v pdfinfo >/dev/null || need_apt+=(poppler-utils)
command -v java >/dev/null || need_apt+=(default-jre-headless)
command -v npm >/dev/null || need_apt+=(npm)
for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
  dpkg -s "$lib" >/dev/null 2>&1 || need_apt+=("$lib")
done
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
exec .venv/bin/python -m pytest "$@"
