#!/usr/bin/env bash
# Steady: bench/gen_access_log.py appends RATE lines/s for SECONDS s (10 ms ticks, rename+create rotation every
# 100 MB) to a file proxywatch follows; every line's "timestamp" is its append time (wall clock, ms). proxywatch
# ships with its defaults (batches close at 1000 records, 1 MiB or 1000 ms after their first record; tail poll
# 20 ms) to the bench collector, which takes lag = arrival - timestamp per trace id.
# Measures lag p50/p90/p99/max over all lines and over the lines after the first WARM s (JIT warm-up), lost and
# duplicated lines, jar CPU seconds and peak RSS. The generator's own CPU (~0.3 core at 20k/s) shares the machine.
# usage: [PW_OPTS=...] bench/steady.sh [RATE=20000] [SECONDS=60] [XMX=256m] [WARM=10]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
RATE=${1:-20000}
SECS=${2:-60}
XMX=${3:-256m}
WARM=${4:-10}
bench_setup
start_collector
start_jar -Dproxywatch.input.start-at=beginning -Dproxywatch.ship.url="http://127.0.0.1:$CPORT/ingest"
wait_jar_ready
sleep 2   # let start-up's own work settle before the clock starts
GEN=$(python3 bench/gen_access_log.py --rate "$RATE" --seconds "$SECS" --rotate-bytes 100000000 --out "$WORK/logs/access.log")
echo "  generator: $GEN"
N=$(echo "$GEN" | jget lines)
wait_collected "$N" 60
sleep 1
ALL=$(collector "expect=$N")
HOT=$(collector "expect=$N&skip=$((RATE * WARM))")
stop_tool
g() { echo "$1" | jget "$2"; }
record steady proxywatch rate="$RATE" seconds="$SECS" lines="$N" rotations="$(g "$GEN" rotations)" \
  lag_p50_ms="$(g "$ALL" lag_p50_ms)" lag_p90_ms="$(g "$ALL" lag_p90_ms)" lag_p99_ms="$(g "$ALL" lag_p99_ms)" \
  lag_max_ms="$(g "$ALL" lag_max_ms)" warm_lag_p50_ms="$(g "$HOT" lag_p50_ms)" warm_lag_p99_ms="$(g "$HOT" lag_p99_ms)" \
  lost="$(g "$ALL" lost)" duplicates="$(g "$ALL" duplicates)" cpu_s="$CPU" rss_mb="$RSS_MB" complete="$DONE_OK" \
  gen_slowest_tick_ms="$(g "$GEN" slowest_tick_ms)"
