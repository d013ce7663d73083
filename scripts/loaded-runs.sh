#!/usr/bin/env bash
# Run the whole test suite N times in a row on a loaded machine (two busy loops beside it, as
# CI's shared runners can be): flaky tests show up here. Stops at the first failing run.
# Usage: bash scripts/loaded-runs.sh [N] [pytest args]   (after scripts/test.sh made .venv)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-10}"
shift || true
logs=$(mktemp -d /tmp/loaded-runs.XXXXXX)
busy() { while :; do :; done; }
busy & first=$!
busy & second=$!
trap 'kill "$first" "$second" 2>/dev/null; pkill -P $$ 2>/dev/null || true' EXIT
for run in $(seq 1 "$RUNS"); do
    started=$(date +%s)
    if .venv/bin/python -m pytest -q -p no:cacheprovider "$@" > "$logs/run-$run.log" 2>&1; then
        echo "run $run/$RUNS passed in $(( $(date +%s) - started )) s: $(tail -n 1 "$logs/run-$run.log")"
    else
        echo "run $run/$RUNS FAILED after $(( $(date +%s) - started )) s; log: $logs/run-$run.log" >&2
        grep -E '^(FAILED|ERROR)' "$logs/run-$run.log" >&2 || tail -n 30 "$logs/run-$run.log" >&2
        exit 1
    fi
done
echo "all $RUNS runs passed (load average now: $(cut -d' ' -f1-3 /proc/loadavg)); logs in $logs"
