#!/usr/bin/env bash
# Install everything (virtualenv, package with test extras, Debian's Chromium) and run every
# check: ruff, then the whole pytest suite. Usage: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
"$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
if [ "$(id -u)" = 0 ] || [ -x /usr/bin/chromium ]; then
    bash .ci/install-browser.sh
else
    echo "NOTE: not root and no /usr/bin/chromium: browser tests will be skipped" >&2
fi
.venv/bin/ruff check .
status=0
.venv/bin/python -m pytest -ra "$@" || status=$?
if [ "$status" = 5 ]; then
    echo "ERROR: pytest collected no tests" >&2
    exit 1
fi
exit "$status"
