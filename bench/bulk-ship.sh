#!/usr/bin/env bash
# Bulk with shipping: N pre-written lines read from the beginning through tail -> parse -> level files ->
# batches of 1000 -> HTTP POST to a local collector (src/test/.../testkit/TestCollector, on 127.0.0.1).
# The checkpoint covers a line only after its batch got a 2xx, so "checkpoints cover the file" = "shipped".
# The collector runs on the same 2 cores and parses every record: it is part of what is measured.
# usage: [PW_OPTS="-Dkey=value ..."] bench/bulk-ship.sh [LINES=1000000] [GZIP=false] [FORMAT=json] [XMX=256m]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
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
/usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" java -Xmx"$XMX" ${PW_OPTS:-} \
  -Dproxywatch.input.paths="$WORK/logs/*.log" -Dproxywatch.input.start-at=beginning \
  -Dproxywatch.data-dir="$WORK/data" -Dproxywatch.levels.dir="$WORK/out" \
  -Dproxywatch.ship.url="http://127.0.0.1:$PORT/ingest" -Dproxywatch.ship.gzip="$GZIP" -Dproxywatch.ship.format="$FORMAT" \
  -jar "$WORK/proxywatch.jar" > "$WORK/jar.log" 2>&1 &
PID=$!
wait_until_covered
sleep 1.5
tail -1 "$WORK/collector.log"
stop_jar
echo "bulk-ship ($FORMAT, gzip $GZIP): $(rate_line) shipped; jar CPU $CPU s (incl. start-up); peak RSS $RSS_MB MB"
rm -rf "$WORK"
