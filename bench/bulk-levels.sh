#!/usr/bin/env bash
# Bulk: N pre-written lines read from the beginning through tail -> parse -> level files.
# Prints lines/s (first checkpoint to the whole file checkpointed), CPU seconds and peak RSS of the jar.
# usage: [PW_OPTS="-Dkey=value ..."] bench/bulk-levels.sh [LINES=1000000] [XMX=256m]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
LINES=${1:-1000000}
XMX=${2:-256m}
[ -f target/proxywatch.jar ] || mvn -B -q package -DskipTests
WORK=$(mktemp -d /tmp/pw-bench.XXXXXX)
mkdir -p "$WORK/logs"
cp target/proxywatch.jar "$WORK/proxywatch.jar"   # a rebuild during the run must not pull classes from under the JVM
python3 bench/gen_access_log.py --lines "$LINES" --out "$WORK/logs/access.log"
BYTES=$(stat -c %s "$WORK/logs/access.log")
/usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" java -Xmx"$XMX" ${PW_OPTS:-} \
  -Dproxywatch.input.paths="$WORK/logs/*.log" -Dproxywatch.input.start-at=beginning \
  -Dproxywatch.data-dir="$WORK/data" -Dproxywatch.levels.dir="$WORK/out" \
  -jar "$WORK/proxywatch.jar" > "$WORK/jar.log" 2>&1 &
PID=$!
wait_until_covered
TOTAL=$(cat "$WORK"/out/info*.log "$WORK"/out/warn*.log "$WORK"/out/error*.log | wc -l)  # not alerts.log
[ "$TOTAL" -eq "$LINES" ] || echo "WARNING: level files hold $TOTAL lines, expected $LINES"
stop_jar
echo "bulk-levels (-Xmx$XMX): $(rate_line); jar CPU $CPU s in all (incl. start-up); peak RSS $RSS_MB MB"
rm -rf "$WORK"
