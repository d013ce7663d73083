#!/usr/bin/env bash
# Install blogsearch, index the bundled sample blog and serve it on http://127.0.0.1:8000/
# Usage: bash scripts/demo.sh [CONTENT_DIR] [extra `blogsearch serve` options]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
CONTENT="${1:-examples/blog}"
shift || true
"$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
export BLOGSEARCH_INDEX="${BLOGSEARCH_INDEX:-.blogsearch}"
.venv/bin/blogsearch index "$CONTENT"
.venv/bin/blogsearch query "búsqueda" --limit 3
exec .venv/bin/blogsearch serve "$@"
