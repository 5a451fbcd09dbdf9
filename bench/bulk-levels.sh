#!/usr/bin/env bash
# Bulk without shipping: N pre-written lines read from the beginning through tail -> parse -> detect -> level files.
# Measures lines/s (first checkpoint to the whole file checkpointed, so JVM start-up is outside the clock), jar CPU
# seconds and peak RSS (/usr/bin/time), and checks the level files hold exactly N lines.
# usage: [PW_OPTS="-Dkey=value ..."] bench/bulk-levels.sh [LINES=1000000] [XMX=256m]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
LINES=${1:-1000000}
XMX=${2:-256m}
bench_setup
prewritten_log "$LINES"
start_jar -Dproxywatch.input.start-at=beginning
wait_until_covered
TOTAL=$(cat "$WORK"/out/info*.log "$WORK"/out/warn*.log "$WORK"/out/error*.log | wc -l)  # not alerts.log
[ "$TOTAL" -eq "$LINES" ] || echo "WARNING: level files hold $TOTAL lines, expected $LINES"
stop_tool
record bulk-levels proxywatch $(rate_line) xmx="$XMX" cpu_s="$CPU" rss_mb="$RSS_MB" level_lines="$TOTAL" \
  jit_cpu_s="$JIT_CPU" gc_cpu_s="$GC_CPU" app_cpu_s="$APP_CPU"
