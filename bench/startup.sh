#!/usr/bin/env bash
# Start-up: time from launching `java -jar proxywatch.jar` (all stages on: shipping to the bench collector) to the
# first line read, i.e. the first record written to a level file (polled every 10 ms), of a 1,000-line file present
# at start (start-at=beginning); also when Camel reported itself started and when the first batch reached the
# collector. Target < 3 s.
# usage: [PW_OPTS=...] bench/startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
bench_setup
prewritten_log 1000
start_collector
start_jar -Dproxywatch.input.start-at=beginning -Dproxywatch.ship.url="http://127.0.0.1:$CPORT/ingest"
until [ -s "$WORK/out/info.log" ] || [ -s "$WORK/out/warn.log" ] || [ -s "$WORK/out/error.log" ]; do
  kill -0 "$PID" 2>/dev/null || { echo "jar died; see $WORK/jar.log"; KEEP=1; exit 1; }
  sleep 0.01
done
FIRST=$(python3 -c "print(round($(now) - $LAUNCH, 2))")
wait_jar_ready
wait_collected 1000 30
SHIPPED=$(python3 -c "print(round($(collector expect=1000 | jget first_arrival_ms) / 1000 - $LAUNCH, 2))")
BOOT=$(grep -o "(proxywatch) started in .*" "$WORK/jar.log" | head -1 | sed 's/(proxywatch) //')
stop_tool
record startup proxywatch first_line_s="$FIRST" camel_started_s="$READY" first_shipped_s="$SHIPPED" \
  camel="$(echo "$BOOT" | tr ' ' '_')" rss_mb="$RSS_MB" cpu_s="$CPU"
