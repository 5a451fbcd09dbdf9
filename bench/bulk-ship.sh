#!/usr/bin/env bash
# Bulk, all stages on: N pre-written lines (bench/gen_access_log.py, seed 42) read from the beginning through
# tail -> parse -> detect/stats -> level files -> batches of 1000 -> HTTP POST to the bench collector on 127.0.0.1.
# Measures records/s and MB/s from the first batch's arrival to the last new record's arrival at the collector
# (JVM start-up outside the clock, JIT warm-up inside), the wall time from launch to the last record, jar CPU seconds
# and peak RSS (/usr/bin/time), lost and duplicated trace ids, the level files' line count, and OutOfMemoryErrors
# in the jar's output. The collector runs on the same cores (it only reads trace_id and timestamp per record).
# usage: [SCENARIO=bulk] [PW_OPTS="-Dkey=value ..."] bench/bulk-ship.sh [LINES=1000000] [GZIP=false] [FORMAT=json] [XMX=256m]
#   the heap scenario is SCENARIO=heap bench/bulk-ship.sh 1000000 false json 64m
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
LINES=${1:-1000000}
GZIP=${2:-false}
FORMAT=${3:-json}
XMX=${4:-256m}
THREAD_CPU=1   # stop_tool: CPU by Java thread (tail, pipeline, senders), read with jcmd after the clock stopped
bench_setup
prewritten_log "$LINES"
start_collector
start_jar -Dproxywatch.input.start-at=beginning -Dproxywatch.ship.url="http://127.0.0.1:$CPORT/ingest" \
  -Dproxywatch.ship.gzip="$GZIP" -Dproxywatch.ship.format="$FORMAT"
wait_collected "$LINES" 120
sleep 1   # a late duplicate would show up now
S=$(collector "expect=$LINES")
stop_tool
LEVEL=$(cat "$WORK"/out/info*.log "$WORK"/out/warn*.log "$WORK"/out/error*.log 2>/dev/null | wc -l)
OOM=$(grep -c OutOfMemoryError "$WORK/jar.log" || true)
read -r RATE MBS WALL < <(python3 - "$S" "$BYTES" "$LAUNCH" <<'PY'
import json, sys
s = json.loads(sys.argv[1]); size = int(sys.argv[2]); launch = float(sys.argv[3])
el = max(1, s["last_new_arrival_ms"] - s["first_arrival_ms"]) / 1000
print(round(s["distinct"] / el), round(size / 1e6 / el, 1), round(s["last_new_arrival_ms"] / 1000 - launch, 1))
PY
)
record "${SCENARIO:-bulk}" proxywatch lines="$LINES" format="$FORMAT" gzip="$GZIP" xmx="$XMX" \
  records_per_s="$RATE" mb_per_s="$MBS" wall_s="$WALL" cpu_s="$CPU" rss_mb="$RSS_MB" \
  jit_cpu_s="$JIT_CPU" gc_cpu_s="$GC_CPU" app_cpu_s="$APP_CPU" collector_cpu_s="$COLLECTOR_CPU" \
  tail_cpu_s="$TAIL_CPU" pipeline_cpu_s="$PIPELINE_CPU" ship_cpu_s="$SHIP_CPU" \
  lost="$(echo "$S" | jget lost)" duplicates="$(echo "$S" | jget duplicates)" requests="$(echo "$S" | jget requests)" level_lines="$LEVEL" oom="$OOM" \
  complete="$DONE_OK"
