#!/usr/bin/env bash
# bench/footprint.sh plus the per-thread CPU ticks of every agent over its measured window:
#   bench/footprint-threads.sh OUT [footprint.sh arguments...]
# writes footprint.sh's report to OUT and the per-thread ticks to OUT.threads (bench/README.md 3e).
set -euo pipefail
out=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
"$here/footprint.sh" "$@" >"$out" 2>&1 &
bench=$!
for _ in $(seq 1 900); do
  grep -q 'warming up' "$out" 2>/dev/null && break
  kill -0 "$bench" 2>/dev/null || break
  sleep 1
done
if grep -q 'warming up' "$out"; then
  warmup=$(grep -o 'warming up [0-9]*' "$out" | awk '{print $3}')
  window=$(grep -o 'measuring [0-9]*' "$out" | awk '{print $2}')
  sleep "$warmup"
  python3 "$here/thread-ticks.py" "$((window - 2))" >"$out.threads" 2>&1
fi
wait "$bench"
