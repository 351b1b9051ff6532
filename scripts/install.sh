#!/usr/bin/env bash
# One command installs everything and runs the main job on the embedded defaults:
#   1. system packages that some tests use, from Debian, when run as root on Debian
#      (a missing one only makes those tests skip, with their reason); it says which before
#      it installs them, and --no-system-packages (or QUOTES_NO_SYSTEM_PACKAGES=1) skips them;
#   2. a virtual environment .venv with the package and its test extras (torch pinned to
#      the CPU build next to stanza);
#   3. `quotes extract seeds/ --db quotes.db` with the default engine (the shipped stanza model)
#      and the default store (SQLite).
#
#   bash scripts/install.sh [--no-system-packages] [--dry-run]
#   --dry-run prints the commands it would run (on stdout) and runs none.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM=${QUOTES_NO_SYSTEM_PACKAGES:+no}
SYSTEM=${SYSTEM:-yes}
DRY=no
for arg in "$@"; do
  case "$arg" in
    --no-system-packages) SYSTEM=no ;;
    --dry-run) DRY=yes ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $arg (--no-system-packages, --dry-run, --help)" >&2; exit 2 ;;
  esac
done

run() {  # run a command, or only print it with --dry-run
  if [ "$DRY" = yes ]; then echo "$*"; else "$@"; fi
}

SYSTEM_PACKAGES=()   # filled by the features that need them (see below)
# --- system packages ---
SYSTEM_PACKAGES+=(chromium)   # tests/test_browser.py: headless browser for `quotes serve` (Playwright drives it)
SYSTEM_PACKAGES+=(postgresql)   # tests/conftest_pg.py: a throwaway PostgreSQL server for the store and cluster tests
# --- end of system packages ---

if [ "${#SYSTEM_PACKAGES[@]}" -gt 0 ]; then
  echo "install.sh: system packages for some tests: ${SYSTEM_PACKAGES[*]} (Debian, apt-get;" \
       "--no-system-packages skips them)" >&2
  if [ "$SYSTEM" = no ]; then
    echo "install.sh: not installing system packages (--no-system-packages); the tests that need them will skip" >&2
  elif [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "install.sh: not root on Debian: not installing system packages; the tests that need them will skip" >&2
  else
    missing=()
    for p in "${SYSTEM_PACKAGES[@]}"; do
      dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
      echo "install.sh: installing Debian packages: ${missing[*]}" >&2
      if [ "$DRY" = yes ]; then
        echo "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing[*]}"
      else
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >&2 \
          || echo "install.sh: warning: could not install ${missing[*]}; the tests that need them will skip" >&2
      fi
    else
      echo "install.sh: ${SYSTEM_PACKAGES[*]}: already installed" >&2
    fi
  fi
fi

run python3 -m venv .venv
run .venv/bin/pip install -q -e '.[test]'
run .venv/bin/quotes extract seeds/ --db quotes.db
