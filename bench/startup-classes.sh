#!/usr/bin/env bash
# Records the classes a start loads, in order, into src/main/resources/META-INF/proxywatch/startup-classes.txt,
# the list config/ClassPreloader loads on a second thread while main starts. Run it after a change of dependencies
# or of what runs before the first line (ClassPreloaderTest fails when listed classes are gone), then rebuild.
# It runs the jar as bench/startup.sh does (1,000 lines at start, shipping to the bench collector) with the list
# taken out of a copy of the jar, so the recording is of what the start itself loads, until the first batch has
# reached the collector. Lambdas, proxies and other generated classes are left out: they cannot be loaded by name.
# usage: bench/startup-classes.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
OUT=src/main/resources/META-INF/proxywatch/startup-classes.txt
bench_setup
zip -q -d "$WORK/proxywatch.jar" META-INF/proxywatch/startup-classes.txt >/dev/null 2>&1 || true
prewritten_log 1000
start_collector
PW_OPTS="-Xlog:class+load=info:file=$WORK/classes.log:uptime" \
  start_jar -Dproxywatch.input.start-at=beginning -Dproxywatch.ship.url="http://127.0.0.1:$CPORT/ingest"
wait_jar_ready
wait_collected 1000 30
stop_tool
mkdir -p "$(dirname "$OUT")"
{
  echo "# Classes a start loads, in order (bench/startup-classes.sh, $(date -u +%F), $(java -version 2>&1 | head -1))."
  echo "# Read by io.proxywatch.config.ClassPreloader; regenerate, do not edit."
  # "[0.123s] name source: ..." -> name; the JDK's shared archive already holds its classes parsed and verified
  grep -v "source: shared objects file" "$WORK/classes.log" | awk '{print $2}' \
    | grep -v -E '\$\$Lambda|LambdaForm\$|\$Proxy|/0x|^jdk\.internal\.reflect\.Generated' | awk '!seen[$0]++'
} > "$OUT"
echo "wrote $(grep -vc '^#' "$OUT") class names to $OUT"
