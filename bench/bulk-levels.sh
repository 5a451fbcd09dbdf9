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
cp "$JAR" "$WORK/proxywatch.jar"   # a rebuild during the run must not pull classes from under the JVM
JAR="$WORK/proxywatch.jar"
python3 bench/gen_access_log.py --lines "$LINES" --out "$WORK/logs/access.log"
BYTES=$(stat -c %s "$WORK/logs/access.log")
/usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" java -Xmx"$XMX" \
  -Dproxywatch.input.paths="$WORK/logs/*.log" -Dproxywatch.input.start-at=beginning \
  -Dproxywatch.data-dir="$WORK/data" -Dproxywatch.levels.dir="$WORK/out" \
  -jar "$JAR" > "$WORK/jar.log" 2>&1 &
PID=$!
# progress is read from the checkpoint store (cheap), not by counting output lines (would steal a core)
count() { python3 -c 'import json,sys
try:
  print(sum(f["offset"] for f in json.load(open(sys.argv[1]))["files"]))
except Exception:
  print(0)' "$WORK/data/checkpoints.json"; }
# the clock starts when the first records appear, so JVM start-up is not counted as throughput
while [ "$(count)" -eq 0 ]; do
  if ! kill -0 $PID 2>/dev/null; then echo "jar died; see $WORK/jar.log"; exit 1; fi
  sleep 0.02
done
start=$(date +%s.%N)
first=$(count)  # bytes already done when the clock started
while [ "$(count)" -lt "$BYTES" ]; do
  if ! kill -0 $PID 2>/dev/null; then echo "jar died; see $WORK/jar.log"; exit 1; fi
  sleep 0.1
done
TOTAL=$(cat "$WORK"/out/*.log | wc -l)
[ "$TOTAL" -eq "$LINES" ] || echo "WARNING: level files hold $TOTAL lines, expected $LINES"
end=$(date +%s.%N)
JPID=$(pgrep -f "^java .*proxywatch.data-dir=$WORK/data" | head -1)
kill -TERM "$JPID"; wait $PID || true
read -r wall user sys rss < <(tail -1 "$WORK/time.txt")
python3 - "$LINES" "$BYTES" "$start" "$end" "$user" "$sys" "$rss" "$first" <<'PY'
import sys
lines, size, start, end, user, sys_, rss, first = sys.argv[1:]
el = float(end) - float(start)
done = int(size) - int(first)
n = int(int(lines) * done / int(size))
mb = done / 1e6
print(f"bulk-levels: {lines} lines ({int(size)/1e6:.0f} MB); {n} lines after the first checkpoint in {el:.2f} s = "
      f"{n/el:,.0f} lines/s, {mb/el:.1f} MB/s; jar CPU {float(user)+float(sys_):.1f} s in all (incl. start-up); "
      f"peak RSS {int(rss)/1024:.0f} MB")
PY
rm -rf "$WORK"
