#!/usr/bin/env bash
# Bulk with shipping: N pre-written lines read from the beginning through tail -> parse -> level files ->
# batches of 1000 -> HTTP POST to a local collector (src/test/.../testkit/TestCollector, on 127.0.0.1).
# The checkpoint covers a line only after its batch got a 2xx, so "checkpoints cover the file" = "shipped".
# usage: bench/bulk-ship.sh [LINES=1000000] [GZIP=false] [FORMAT=json] [XMX=256m]
set -euo pipefail
cd "$(dirname "$0")/.."
LINES=${1:-1000000}
GZIP=${2:-false}
FORMAT=${3:-json}
XMX=${4:-256m}
[ -f target/proxywatch.jar ] && [ -d target/test-classes/io/proxywatch/testkit ] || mvn -B -q package -DskipTests
WORK=$(mktemp -d /tmp/pw-bench.XXXXXX)
mkdir -p "$WORK/logs" "$WORK/classes"
cp target/proxywatch.jar "$WORK/proxywatch.jar"
cp -r target/test-classes/io "$WORK/classes/"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
java -Xmx512m -Dsun.net.httpserver.nodelay=true -cp "$WORK/proxywatch.jar:$WORK/classes" \
  io.proxywatch.testkit.TestCollector "$PORT" > "$WORK/collector.log" 2>&1 &
CPID=$!
trap 'kill $CPID 2>/dev/null || true' EXIT
python3 bench/gen_access_log.py --lines "$LINES" --out "$WORK/logs/access.log"
BYTES=$(stat -c %s "$WORK/logs/access.log")
/usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" java -Xmx"$XMX" \
  -Dproxywatch.input.paths="$WORK/logs/*.log" -Dproxywatch.input.start-at=beginning \
  -Dproxywatch.data-dir="$WORK/data" -Dproxywatch.levels.dir="$WORK/out" \
  -Dproxywatch.ship.url="http://127.0.0.1:$PORT/ingest" -Dproxywatch.ship.gzip="$GZIP" -Dproxywatch.ship.format="$FORMAT" \
  -jar "$WORK/proxywatch.jar" > "$WORK/jar.log" 2>&1 &
PID=$!
count() { python3 -c 'import json,sys
try:
  print(sum(f["offset"] for f in json.load(open(sys.argv[1]))["files"]))
except Exception:
  print(0)' "$WORK/data/checkpoints.json"; }
while [ "$(count)" -eq 0 ]; do
  if ! kill -0 $PID 2>/dev/null; then echo "jar died; see $WORK/jar.log"; exit 1; fi
  sleep 0.02
done
start=$(date +%s.%N)
first=$(count)
while [ "$(count)" -lt "$BYTES" ]; do
  if ! kill -0 $PID 2>/dev/null; then echo "jar died; see $WORK/jar.log"; exit 1; fi
  sleep 0.1
done
end=$(date +%s.%N)
sleep 1.5
tail -1 "$WORK/collector.log"
JPID=$(pgrep -f "^java .*proxywatch.data-dir=$WORK/data" | head -1)
kill -TERM "$JPID"; wait $PID || true
read -r wall user sys rss < <(tail -1 "$WORK/time.txt")
python3 - "$LINES" "$BYTES" "$start" "$end" "$user" "$sys" "$rss" "$first" "$GZIP" "$FORMAT" <<'PY'
import sys
lines, size, start, end, user, sys_, rss, first, gz, fmt = sys.argv[1:]
el = float(end) - float(start)
done = int(size) - int(first)
n = int(int(lines) * done / int(size))
print(f"bulk-ship ({fmt}, gzip {gz}): {n} lines after the first checkpoint shipped in {el:.2f} s = {n/el:,.0f} records/s, "
      f"{done/1e6/el:.1f} MB/s; jar CPU {float(user)+float(sys_):.1f} s (incl. start-up); peak RSS {int(rss)/1024:.0f} MB")
PY
rm -rf "$WORK"
