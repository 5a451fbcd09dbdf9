#!/usr/bin/env bash
# The benchmark harness's one entry point: runs the scenarios RUNS times each (runs interleaved: run 1 of every
# scenario, then run 2, ... so that a busy spell on the machine hits all of them alike), then prints the medians
# (min-max) with the machine, JDK and command (bench/summarize.py). Results accumulate in target/bench-results.jsonl.
#   startup  launch -> first line read (bench/startup.sh)
#   bulk     1,000,000 pre-written lines, all stages on, shipped in batches of 1000 (bench/bulk-ship.sh)
#   heap     the bulk scenario with -Xmx64m: no OutOfMemoryError, peak RSS
#   steady   20,000 lines/s appended for 60 s with rotation: lag append -> collector (bench/steady.sh)
#   alert    attack line appended -> WeCom test robot received the alert (bench/alert.sh)
#   peers    syslog-ng (and Fluent Bit if installed) on the bulk and steady jobs (bench/peer.sh)
#   jmh      JMH: per-line parse per format, detection and statistics (bench/jmh.sh), once (JMH repeats itself)
#   all      all of the above; summary: only print the table of the latest session
# usage: [RUNS=3] [QUICK=1] bench/run.sh [all | summary | SCENARIO...]
#   QUICK=1 checks the harness end to end in a few minutes: 100,000 lines, 10 s steady and alert, short JMH.
#   Sizes: LINES=1000000 RATE=20000 STEADY_SECONDS=60 ALERT_SECONDS=60 ALERT_RATE=1000; JMH_OPTS="-f 1 -wi 3 -i 5 -w 2 -r 2"
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
if [ "${QUICK:-0}" = 1 ]; then
  LINES=${LINES:-100000}; STEADY_SECONDS=${STEADY_SECONDS:-10}; ALERT_SECONDS=${ALERT_SECONDS:-15}
  JMH_OPTS=${JMH_OPTS:--f 1 -wi 1 -i 1 -w 1 -r 1}
fi
LINES=${LINES:-1000000}; RATE=${RATE:-20000}; STEADY_SECONDS=${STEADY_SECONDS:-60}
ALERT_SECONDS=${ALERT_SECONDS:-60}; ALERT_RATE=${ALERT_RATE:-1000}
JMH_OPTS=${JMH_OPTS:--f 1 -wi 3 -i 5 -w 2 -r 2}
export BENCH_SESSION=${BENCH_SESSION:-$(date +%Y%m%d-%H%M%S)}
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -eq 0 ] && SCENARIOS=(all)
[ "${SCENARIOS[0]}" = all ] && SCENARIOS=(startup bulk heap steady alert peers jmh)
[ "${SCENARIOS[0]}" = summary ] && exec python3 bench/summarize.py

mvn -B -q package -DskipTests   # the jar and test classes of this checkout
echo "session $BENCH_SESSION: ${SCENARIOS[*]}, $RUNS runs; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
run_one() {
  case $1 in
    startup) bench/startup.sh ;;
    bulk) SCENARIO=bulk bench/bulk-ship.sh "$LINES" false json 256m ;;
    heap) SCENARIO=heap bench/bulk-ship.sh "$LINES" false json 64m ;;
    steady) bench/steady.sh "$RATE" "$STEADY_SECONDS" 256m ;;
    alert) bench/alert.sh "$ALERT_SECONDS" "$ALERT_RATE" 3.5 ;;
    peers) bench/peer.sh syslog-ng bulk "$LINES"; bench/peer.sh syslog-ng steady "$RATE" "$STEADY_SECONDS"
           bench/peer.sh fluent-bit bulk "$LINES"; bench/peer.sh fluent-bit steady "$RATE" "$STEADY_SECONDS" ;;
    jmh) ;;
    *) echo "unknown scenario $1"; exit 2 ;;
  esac
}
for run in $(seq 1 "$RUNS"); do
  for s in "${SCENARIOS[@]}"; do
    [ "$s" = jmh ] && continue
    echo "== $s, run $run of $RUNS ($(date +%T), load $(cut -d' ' -f1 /proc/loadavg))"
    run_one "$s" || echo "  $s run $run FAILED (exit $?)"
  done
done
if printf '%s\n' "${SCENARIOS[@]}" | grep -qx jmh; then
  echo "== jmh ($(date +%T))"
  # shellcheck disable=SC2086
  bench/jmh.sh '(PipelineCostBench|DetectorBench|ParseFormatBench)' $JMH_OPTS -rf json -rff target/jmh-result.json \
    | grep -E '^(Benchmark|[A-Za-z]+Bench\.)' || true
fi
python3 bench/summarize.py
