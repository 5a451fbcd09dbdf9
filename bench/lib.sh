# Shared by the bench scripts: progress is read from the checkpoint store (cheap), not by counting output
# lines, which would steal a core on a 2-core machine.

# bytes covered by checkpoints in $WORK/data
covered() {
  python3 -c 'import json,sys
try:
  print(sum(f["offset"] for f in json.load(open(sys.argv[1]))["files"]))
except Exception:
  print(0)' "$WORK/data/checkpoints.json"
}

# waits for the first checkpoint, then until checkpoints cover $BYTES; sets START, END and FIRST (bytes
# already covered when the clock started, so JVM start-up is outside the measurement)
wait_until_covered() {
  while [ "$(covered)" -eq 0 ]; do
    kill -0 "$PID" 2>/dev/null || { echo "jar died; see $WORK/jar.log"; exit 1; }
    sleep 0.02
  done
  START=$(date +%s.%N)
  FIRST=$(covered)
  while [ "$(covered)" -lt "$BYTES" ]; do
    kill -0 "$PID" 2>/dev/null || { echo "jar died; see $WORK/jar.log"; exit 1; }
    sleep 0.1
  done
  END=$(date +%s.%N)
}

# SIGTERM to the jar (not to /usr/bin/time around it), then its CPU seconds and peak RSS into CPU and RSS_MB
stop_jar() {
  local jpid
  jpid=$(pgrep -f "^java .*proxywatch.data-dir=$WORK/data" | head -1)
  kill -TERM "$jpid"
  wait "$PID" || true
  read -r _ user sys rss < <(tail -1 "$WORK/time.txt")
  CPU=$(python3 -c "print(f'{$user + $sys:.1f}')")
  RSS_MB=$((rss / 1024))
}

# "<lines> lines in <s> s = <rate>/s, <MB/s>" for the part measured
rate_line() {
  python3 - "$LINES" "$BYTES" "$START" "$END" "$FIRST" <<'PY'
import sys
lines, size, start, end, first = sys.argv[1:]
el = float(end) - float(start)
done = int(size) - int(first)
n = int(int(lines) * done / int(size))
print(f"{n} lines in {el:.2f} s = {n/el:,.0f} lines/s, {done/1e6/el:.1f} MB/s")
PY
}
