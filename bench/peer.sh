#!/usr/bin/env bash
# Peers: another log shipper doing the same transport job as proxywatch in the bulk and steady scenarios: follow the
# same generated file(s) and POST batches of 1000 lines to the same bench collector. Each is run in the foreground
# with its own config, pid, persist/state files under the bench temp dir, never as a system service.
#   syslog-ng (Debian's syslog-ng-core + syslog-ng-mod-http): wildcard-file source (no-parse: the raw JSON line),
#     http destination with NDJSON bodies, batch-lines 1000, batch-timeout 1000 ms, 4 workers (proxywatch sends
#     closed batches in parallel too), flow-control so that nothing is dropped.
#   fluent-bit (only if on PATH; "not installed" otherwise): tail input with the json parser, http output json_lines,
#     Flush 1 s. Untested here: Fluent Bit was not installed on the machine the harness was written on.
# Not like for like: the peers forward lines; proxywatch also parses every line into its record, detects attacks,
# keeps statistics and writes level files. The comparison says what the transport alone costs on this machine.
#   bulk:   N pre-written lines read from the beginning; records/s, MB/s, CPU, peak RSS, lost, duplicates
#   steady: RATE lines/s appended for SECONDS s with rotation; lag p50/p99 from append to arrival
# usage: bench/peer.sh syslog-ng|fluent-bit bulk [LINES=1000000] | steady [RATE=20000] [SECONDS=60] [WARM=10]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
TOOL=${1:?syslog-ng or fluent-bit}
MODE=${2:-bulk}
shift 2 || true
case $TOOL in
  syslog-ng) command -v syslog-ng >/dev/null \
    || { echo "syslog-ng: not installed (apt-get install -y syslog-ng-core syslog-ng-mod-http)"; exit 0; } ;;
  fluent-bit) FB=$(command -v fluent-bit || command -v /opt/fluent-bit/bin/fluent-bit || true)
    [ -n "$FB" ] || { echo "fluent-bit: not installed"; exit 0; } ;;
  *) echo "unknown peer $TOOL"; exit 2 ;;
esac
bench_setup
start_collector

start_syslog_ng() {
  cat > "$WORK/syslog-ng.conf" <<CONF
@version: 3.38
options { stats-freq(0); log-msg-size(1048576); keep-timestamp(no); };
source s_logs {
  wildcard-file(base-dir("$WORK/logs") filename-pattern("*.log") recursive(no) flags(no-parse)
                max-files(10) log-iw-size(100000) log-fetch-limit(1000));  # the window is split over max-files
};
destination d_http {
  http(url("http://127.0.0.1:$CPORT/ingest") method("POST")
       headers("Content-Type: application/x-ndjson", "Expect:")
       body("\${MSG}") delimiter("\n")
       batch-lines(1000) batch-bytes(1048576) batch-timeout(1000) workers(4));
};
log { source(s_logs); destination(d_http); flags(flow-control); };
CONF
  LAUNCH=$(now)
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" syslog-ng -F --no-caps -f "$WORK/syslog-ng.conf" \
    -p "$WORK/syslog-ng.pid" -R "$WORK/syslog-ng.persist" -c "$WORK/syslog-ng.ctl" > "$WORK/syslog-ng.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 200); do [ -s "$WORK/syslog-ng.pid" ] && return; kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
  [ -s "$WORK/syslog-ng.pid" ] || { echo "syslog-ng did not start:"; cat "$WORK/syslog-ng.log"; KEEP=1; exit 1; }
}

start_fluent_bit() {
  cat > "$WORK/parsers.conf" <<CONF
[PARSER]
    Name        json
    Format      json
CONF
  cat > "$WORK/fluent-bit.conf" <<CONF
[SERVICE]
    Flush         1
    Log_Level     warn
    Parsers_File  $WORK/parsers.conf
[INPUT]
    Name              tail
    Path              $WORK/logs/*.log
    Parser            json
    Read_from_Head    true
    DB                $WORK/fluent-bit.db
    Buffer_Max_Size   1MB
    Refresh_Interval  1
[OUTPUT]
    Name    http
    Match   *
    Host    127.0.0.1
    Port    $CPORT
    URI     /ingest
    Format  json_lines
CONF
  LAUNCH=$(now)
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$FB" -c "$WORK/fluent-bit.conf" > "$WORK/fluent-bit.log" 2>&1 &
  PID=$!
  sleep 1
  kill -0 "$PID" 2>/dev/null || { echo "fluent-bit did not start:"; cat "$WORK/fluent-bit.log"; KEEP=1; exit 1; }
}

start_peer() { if [ "$TOOL" = syslog-ng ]; then start_syslog_ng; else start_fluent_bit; fi; }
if [ "$TOOL" = syslog-ng ]; then
  VERSION=$(syslog-ng --version | head -1 | awk '{print $3}' | tr -d '()')
else
  VERSION=$("$FB" --version | head -1 | awk '{print $NF}')
fi
if [ "$MODE" = bulk ]; then
  LINES=${1:-1000000}
  prewritten_log "$LINES"
  start_peer
  wait_collected "$LINES" 120
  sleep 1
  S=$(collector "expect=$LINES")
  stop_tool
  read -r RATE MBS WALL < <(python3 - "$S" "$BYTES" "$LAUNCH" <<'PY'
import json, sys
s = json.loads(sys.argv[1]); size = int(sys.argv[2]); launch = float(sys.argv[3])
el = max(1, s["last_new_arrival_ms"] - s["first_arrival_ms"]) / 1000
print(round(s["distinct"] / el), round(size / 1e6 / el, 1), round(s["last_new_arrival_ms"] / 1000 - launch, 1))
PY
)
  record bulk "$TOOL" version="$VERSION" lines="$LINES" records_per_s="$RATE" mb_per_s="$MBS" wall_s="$WALL" \
    cpu_s="$CPU" rss_mb="$RSS_MB" lost="$(echo "$S" | jget lost)" duplicates="$(echo "$S" | jget duplicates)" requests="$(echo "$S" | jget requests)" \
    complete="$DONE_OK"
else
  RATE=${1:-20000}; SECS=${2:-60}; WARM=${3:-10}
  start_peer
  measure_steady "$TOOL" "$RATE" "$SECS" "$WARM" version="$VERSION"
fi
