#!/usr/bin/env bash
# Bulk: N pre-written lines read from the beginning through tail -> parse -> level files.
# Prints lines/s (first line read to last record written), CPU seconds and peak RSS of the jar.
# usage: bench/bulk-levels.sh [LINES=1000000] [XMX=256m]
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-1000000}
XMX=${2:-256m}
JAR=target/proxywatch.jar
[ -f "$JAR" ] || mvn -B -q package -DskipTests
WORK=$(mktemp -d /tmp/pw-bench.XXXXXX)
mkdir -p "$WORK/logs"
python3 bench/gen_access_log.py --lines "$LINES" --out "$WORK/logs/access.log"
BYTES=$(stat -c %s "$WORK/logs/access.log")
/usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" java -Xmx"$XMX" \
  -Dproxywatch.input.paths="$WORK/logs/*.log" -Dproxywatch.input.start-at=beginning \
  -Dproxywatch.data-dir="$WORK/data" -Dproxywatch.levels.dir="$WORK/out" \
  -jar "$JAR" > "$WORK/jar.log" 2>&1 &
PID=$!
count() { cat "$WORK"/out/*.log 2>/dev/null | wc -l; }
# the clock starts when the first records appear, so JVM start-up is not counted as throughput
while [ "$(count)" -eq 0 ]; do
  if ! kill -0 $PID 2>/dev/null; then echo "jar died; see $WORK/jar.log"; exit 1; fi
  sleep 0.05
done
start=$(date +%s.%N)
first=$(count)
while [ "$(count)" -lt "$LINES" ]; do
  if ! kill -0 $PID 2>/dev/null; then echo "jar died; see $WORK/jar.log"; exit 1; fi
  sleep 0.2
done
end=$(date +%s.%N)
JPID=$(pgrep -f "proxywatch.data-dir=$WORK/data" | head -1)
kill -TERM "$JPID"; wait $PID || true
read -r wall user sys rss < "$WORK/time.txt"
python3 - "$LINES" "$BYTES" "$start" "$end" "$user" "$sys" "$rss" "$first" <<'PY'
import sys
lines, size, start, end, user, sys_, rss, first = sys.argv[1:]
el = float(end) - float(start)
n = int(lines) - int(first)
mb = int(size) / 1e6 * n / int(lines)
print(f"bulk-levels: {lines} lines ({int(size)/1e6:.0f} MB); {n} lines after the first records in {el:.2f} s = "
      f"{n/el:,.0f} lines/s, {mb/el:.1f} MB/s; jar CPU {float(user)+float(sys_):.1f} s in all (incl. start-up); "
      f"peak RSS {int(rss)/1024:.0f} MB")
PY
rm -rf "$WORK"
