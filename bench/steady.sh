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
measure_steady proxywatch "$RATE" "$SECS" "$WARM"
