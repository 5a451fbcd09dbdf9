# Shared by the bench scripts (sourced). Progress is read from the checkpoint store or the collector's counters
# (cheap), never by counting output lines, which would steal a core on a 2-core machine.
# Every scenario appends one JSON object per run to $RESULTS; bench/summarize.py turns them into tables.

RESULTS=${RESULTS:-target/bench-results.jsonl}
CACHE=${BENCH_CACHE:-/tmp/pw-bench-cache}

# builds the jar and test classes when missing; makes $WORK with private copies of both (a rebuild during the
# run must not pull classes from under a JVM). BENCH_JAR=path measures another build (an A/B against an older
# commit) with this checkout's scripts, generator and collector.
bench_setup() {
  [ -f target/proxywatch.jar ] && [ -f target/test-classes/io/proxywatch/testkit/BenchCollector.class ] \
    || mvn -B -q package -DskipTests
  WORK=$(mktemp -d /tmp/pw-bench.XXXXXX)
  mkdir -p "$WORK/logs" "$WORK/classes" "$(dirname "$RESULTS")"
  cp "${BENCH_JAR:-target/proxywatch.jar}" "$WORK/proxywatch.jar"
  cp -r target/test-classes/io "$WORK/classes/"
  CP="$WORK/proxywatch.jar:$WORK/classes"
  trap bench_cleanup EXIT
}

# kills what this script started (by pid), removes $WORK unless KEEP=1
bench_cleanup() {
  for p in ${CPID:-} ${WPID:-} ${GPID:-}; do kill "$p" 2>/dev/null || true; done
  if [ -n "${PID:-}" ] && kill -0 "$PID" 2>/dev/null; then
    local c; c=$(pgrep -P "$PID" | head -1 || true); [ -n "$c" ] && kill -TERM "$c" 2>/dev/null || true
  fi
  [ "${KEEP:-0}" = 1 ] && echo "kept $WORK" || rm -rf "$WORK"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

now() { date +%s.%N; }

# N pre-written lines (seed 42), generated once into $CACHE and hard-linked (or copied) to $WORK/logs/access.log
prewritten_log() {
  local n=$1 f="$CACHE/access-$1-s42.log"
  mkdir -p "$CACHE"
  [ -f "$f" ] || { python3 bench/gen_access_log.py --lines "$n" --out "$f.tmp" && mv "$f.tmp" "$f"; }
  ln "$f" "$WORK/logs/access.log" 2>/dev/null || cp "$f" "$WORK/logs/access.log"
  BYTES=$(stat -c %s "$WORK/logs/access.log")
}

# the bench collector (src/test/java/io/proxywatch/testkit/BenchCollector.java) on 127.0.0.1:$CPORT
start_collector() {
  CPORT=$(free_port)
  # C1 only: the collector's own JIT took ~1.8 CPU s of a bulk run on the cores the tool is measured on
  java -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 ${COLLECTOR_OPTS:-} -cp "$CP" io.proxywatch.testkit.BenchCollector "$CPORT" > "$WORK/collector.log" 2>&1 &
  CPID=$!
  for _ in $(seq 1 200); do grep -q "bench collector on" "$WORK/collector.log" 2>/dev/null && return; sleep 0.05; done
  echo "collector did not start: $(cat "$WORK/collector.log")"; exit 1
}

# GET /stats?QUERY from the collector: one JSON object
collector() {
  python3 -c 'import sys,urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=60).read().decode())' \
    "http://127.0.0.1:$CPORT/stats?$1"
}

# one field of a JSON object on stdin
jget() { python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"; }

# waits until the collector holds $1 distinct trace ids; gives up after $2 s (default 120) without a new one.
# Sets DONE_OK=1 when complete. The tool under test is $PID (/usr/bin/time around it).
wait_collected() {
  local want=$1 idle=${2:-120} last=-1 since got
  since=$(date +%s); DONE_OK=0
  while true; do
    # answered when all have arrived, or after 2 s: no polling process on the measured cores meanwhile
    got=$(collector "expect=0&wait_distinct=$want&wait_ms=2000" | jget distinct) \
      || { echo "  the collector did not answer; see $WORK/collector.log"; KEEP=1; return; }
    [ "$got" -ge "$want" ] && { DONE_OK=1; return; }
    # a dead tool first: it is why nothing new came, and its folder is worth keeping
    kill -0 "$PID" 2>/dev/null || { echo "  the tool died; see $WORK"; KEEP=1; return; }
    [ "$got" != "$last" ] && { last=$got; since=$(date +%s); }
    [ $(( $(date +%s) - since )) -ge "$idle" ] && { echo "  gave up: collector holds $got of $want"; return; }
  done
}

# starts the jar under /usr/bin/time with the given -D options (and $PW_OPTS), heap $XMX; sets PID and LAUNCH
start_jar() {
  LAUNCH=$(now)
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" java -Xmx"${XMX:-256m}" ${PW_OPTS:-} \
    -Dproxywatch.input.paths="$WORK/logs/*.log" -Dproxywatch.data-dir="$WORK/data" \
    -Dproxywatch.levels.dir="$WORK/out" "$@" -jar "$WORK/proxywatch.jar" > "$WORK/jar.log" 2>&1 &
  PID=$!
}

# seconds from LAUNCH to the jar.log line containing $1, by the line's own HH:MM:SS.mmm (local time, today)
log_time() {
  python3 - "$WORK/jar.log" "$1" "$LAUNCH" <<'PY'
import sys
from datetime import datetime
for l in open(sys.argv[1], errors="replace"):
    if sys.argv[2] in l:
        t = datetime.combine(datetime.now().date(), datetime.strptime(l[:12], "%H:%M:%S.%f").time())
        print(round(t.timestamp() - float(sys.argv[3]), 2))
        break
PY
}

# waits for Camel's "started in" line; sets READY (s from launch to that line)
wait_jar_ready() {
  for _ in $(seq 1 1200); do
    grep -q "(proxywatch) started in" "$WORK/jar.log" 2>/dev/null && { READY=$(log_time "(proxywatch) started in"); return; }
    kill -0 "$PID" 2>/dev/null || { echo "jar died; see $WORK/jar.log"; KEEP=1; exit 1; }
    sleep 0.05
  done
  echo "jar not started after 60 s"; KEEP=1; exit 1
}

# CPU seconds of the JVM $1 so far, split by thread kind: sets JIT_CPU (C1/C2 compiler threads), GC_CPU (GC and
# VM threads) and APP_CPU (all others: the tool's own work and start-up). On a 2-core machine the JIT's share is
# what a short run pays for warming up, so the bulk records carry it.
thread_cpu() {
  read -r JIT_CPU GC_CPU APP_CPU < <(python3 - "$1" <<'PY'
import glob, os, sys
hz = os.sysconf("SC_CLK_TCK"); jit = gc = app = 0
for t in glob.glob(f"/proc/{sys.argv[1]}/task/*"):
    try:
        name = open(t + "/comm").read().strip()
        f = open(t + "/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    ticks = int(f[11]) + int(f[12])
    if "CompilerThre" in name:
        jit += ticks
    elif name.startswith(("GC Thread", "G1 ", "VM Thread")):
        gc += ticks
    else:
        app += ticks
print(round(jit / hz, 1), round(gc / hz, 1), round(app / hz, 1))
PY
)
}

# CPU seconds of the JVM $1 so far by the Java threads' own names (jcmd Thread.print; /proc cuts names to 15
# characters, so the pipeline and the senders look alike there): TAIL_CPU (tail-* threads: reading, parsing,
# detection, statistics), PIPELINE_CPU (level files, batch slicing), SHIP_CPU (the aggregator's threads that post
# the batches). Empty when jcmd cannot attach.
java_thread_cpu() {
  read -r TAIL_CPU PIPELINE_CPU SHIP_CPU < <(jcmd "$1" Thread.print 2>/dev/null | python3 -c '
import re, sys
tail = pipe = ship = 0.0
seen = False
for l in sys.stdin:
    m = re.match(r"\"([^\"]*)\".* cpu=([0-9.]+)ms", l)
    if not m:
        continue
    seen = True
    name, ms = m.group(1), float(m.group(2))
    if name.startswith("tail-"):
        tail += ms
    elif name.endswith("- pipeline"):
        pipe += ms
    elif name.endswith("- Aggregator"):
        ship += ms
print(*(round(x / 1000, 2) for x in (tail, pipe, ship)) if seen else "")')
}

# CPU seconds of process $1 so far (the collector: it shares the cores with the tool measured)
process_cpu() {
  python3 -c 'import os,sys
f = open(f"/proc/{sys.argv[1]}/stat").read().rsplit(")", 1)[1].split()
print(round((int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK"), 1))' "$1" 2>/dev/null || echo ""
}

# SIGTERM to the process under /usr/bin/time (not to time itself), then its CPU seconds and peak RSS into CPU, RSS_MB;
# its CPU by thread kind (thread_cpu) and the collector's CPU (COLLECTOR_CPU) are taken just before
stop_tool() {
  local child
  child=$(pgrep -P "$PID" | head -1 || true)
  JIT_CPU=""; GC_CPU=""; APP_CPU=""; TAIL_CPU=""; PIPELINE_CPU=""; SHIP_CPU=""
  [ -n "$child" ] && thread_cpu "$child"
  [ -n "$child" ] && [ "${THREAD_CPU:-0}" = 1 ] && java_thread_cpu "$child"
  COLLECTOR_CPU=$([ -n "${CPID:-}" ] && process_cpu "$CPID" || true)
  [ -n "$child" ] && kill -TERM "$child"
  wait "$PID" || true
  read -r _ user sys rss < <(tail -1 "$WORK/time.txt")
  CPU=$(python3 -c "print(round($user + $sys, 1))")
  RSS_MB=$((rss / 1024))
}

# bytes covered by checkpoints in $WORK/data
covered() {
  python3 -c 'import json,sys
try:
  print(sum(f["offset"] for f in json.load(open(sys.argv[1]))["files"]))
except Exception:
  print(0)' "$WORK/data/checkpoints.json"
}

# appends one result: record scenario tool k=v ... (numbers stay numbers)
record() {
  python3 - "$RESULTS" "$@" <<'PY'
import json, sys, time, os
out, scenario, tool, *kv = sys.argv[1:]
r = {"scenario": scenario, "tool": tool, "at": time.strftime("%Y-%m-%dT%H:%M:%S"), "cores": os.cpu_count(),
     "session": os.environ.get("BENCH_SESSION", ""), "load1": float(open("/proc/loadavg").read().split()[0])}
for x in kv:
    k, v = x.split("=", 1)
    try:
        v = int(v)
    except ValueError:
        try:
            v = float(v)
        except ValueError:
            pass
    r[k] = v
with open(out, "a") as f:
    f.write(json.dumps(r) + "\n")
print("  " + " ".join(f"{k}={v}" for k, v in r.items() if k not in ("at", "cores", "session", "load1")))
PY
}

# steady.sh and peer.sh, once the tool follows $WORK/logs: appends RATE lines/s for SECS s (rotating), waits for
# the collector to have them all, stops the tool and records the lag over all lines and after the first WARM s.
# usage: measure_steady TOOL RATE SECS WARM [k=v ... extra fields for the record]
measure_steady() {
  local tool=$1 rate=$2 secs=$3 warm=$4; shift 4
  sleep 2   # let start-up's own work settle before the clock starts
  local gen n all hot
  gen=$(python3 bench/gen_access_log.py --rate "$rate" --seconds "$secs" --rotate-bytes 100000000 --out "$WORK/logs/access.log")
  echo "  generator: $gen"
  n=$(echo "$gen" | jget lines)
  wait_collected "$n" 60
  sleep 1
  all=$(collector "expect=$n")
  hot=$(collector "expect=$n&skip=$((rate * warm))")
  stop_tool
  g() { echo "$1" | jget "$2"; }
  record steady "$tool" "$@" rate="$rate" seconds="$secs" lines="$n" rotations="$(g "$gen" rotations)" \
    lag_p50_ms="$(g "$all" lag_p50_ms)" lag_p90_ms="$(g "$all" lag_p90_ms)" lag_p99_ms="$(g "$all" lag_p99_ms)" \
    lag_max_ms="$(g "$all" lag_max_ms)" warm_lag_p50_ms="$(g "$hot" lag_p50_ms)" warm_lag_p99_ms="$(g "$hot" lag_p99_ms)" \
    lost="$(g "$all" lost)" duplicates="$(g "$all" duplicates)" cpu_s="$CPU" rss_mb="$RSS_MB" complete="$DONE_OK" \
    gen_slowest_tick_ms="$(g "$gen" slowest_tick_ms)"
}

# bulk-levels.sh: waits for the first checkpoint, then until checkpoints cover $BYTES; sets START, END and FIRST
# (bytes already covered when the clock started, so JVM start-up is outside the measurement)
wait_until_covered() {
  while [ "$(covered)" -eq 0 ]; do
    kill -0 "$PID" 2>/dev/null || { echo "jar died; see $WORK/jar.log"; KEEP=1; exit 1; }
    sleep 0.02
  done
  START=$(now)
  FIRST=$(covered)
  while [ "$(covered)" -lt "$BYTES" ]; do
    kill -0 "$PID" 2>/dev/null || { echo "jar died; see $WORK/jar.log"; KEEP=1; exit 1; }
    sleep 0.1
  done
  END=$(now)
}

# bulk-levels.sh: lines/s and MB/s between START and END for the bytes after FIRST
rate_line() {
  python3 - "$LINES" "$BYTES" "$START" "$END" "$FIRST" <<'PY'
import sys
lines, size, start, end, first = sys.argv[1:]
el = float(end) - float(start)
done = int(size) - int(first)
n = int(int(lines) * done / int(size))
print(f"lines={n} seconds={el:.2f} records_per_s={n/el:.0f} mb_per_s={done/1e6/el:.1f}")
PY
}
