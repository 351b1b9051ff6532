#!/usr/bin/env bash
# One command installs everything and runs the main job on the embedded defaults:
#   1. system packages that some tests use, from Debian, when run as root on Debian
#      (a missing one only makes those tests skip, with their reason);
#   2. a virtual environment .venv with the package and its test extras (torch pinned to
#      the CPU build next to stanza);
#   3. `quotes extract seeds/ --db quotes.db` with the default engine (the shipped stanza model)
#      and the default store (SQLite).
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=()   # filled by the features that need them (see below)
# --- system packages ---
SYSTEM_PACKAGES+=(chromium)   # tests/test_browser.py: headless browser for `quotes serve` (Playwright drives it)
SYSTEM_PACKAGES+=(postgresql)   # tests/conftest_pg.py: a throwaway PostgreSQL server for the store and cluster tests
# --- end of system packages ---

if [ "${#SYSTEM_PACKAGES[@]}" -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing Debian packages: ${missing[*]}" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >&2 \
      || echo "warning: could not install ${missing[*]}; the tests that need them will skip" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/pip install -q -e '.[test]'
.venv/bin/quotes extract seeds/ --db quotes.db
