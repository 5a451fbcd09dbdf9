#!/usr/bin/env bash
# Alert latency: background traffic (RATE lines/s, no attack lines, no bursting clients) is appended to a followed
# file, and every PROBE s one SQL-injection line from a new client address (a new incident each, severity high,
# routed to WeCom) is appended. The WeCom test robot (src/test/java/io/proxywatch/testkit/TestWecom.java, run by
# BenchWecom) records when each message arrived; latency = arrival of the first message naming the probe's address
# - the probe's append time. Operator settings for fast paging (reported with the result):
#   proxywatch.alert.group-wait-ms=0      send a new incident at once instead of after 10 s
#   proxywatch.alert.digest-wait-ms=100   merge notifications only 100 ms instead of 1 s
# What cannot be set: the grouper is polled by a fixed 1 s timer (routes/alert.yaml, alert-notify).
# One probe per 3.5 s keeps under WeCom's 20 messages a minute, so no merging into digests is measured.
# Shipping to the bench collector stays on (all stages on).
# usage: [PW_OPTS=...] bench/alert.sh [SECONDS=60] [RATE=1000] [PROBE=3.5]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SECS=${1:-60}
RATE=${2:-1000}
PROBE=${3:-3.5}
bench_setup
start_collector
java -Xmx128m -XX:+UseSerialGC -cp "$CP" io.proxywatch.testkit.BenchWecom bench-key "$WORK/wecom.url" \
  "$WORK/wecom.jsonl" > "$WORK/wecom.log" 2>&1 &
WPID=$!
for _ in $(seq 1 200); do [ -s "$WORK/wecom.url" ] && break; sleep 0.05; done
SETTINGS="-Dproxywatch.alert.group-wait-ms=0 -Dproxywatch.alert.digest-wait-ms=100"
PROXYWATCH_ALERT_WECOM_URL=$(cat "$WORK/wecom.url") start_jar -Dproxywatch.input.start-at=beginning \
  -Dproxywatch.ship.url="http://127.0.0.1:$CPORT/ingest" $SETTINGS
wait_jar_ready
sleep 2
GEN=$(python3 bench/gen_access_log.py --rate "$RATE" --seconds "$SECS" --attack-share 0 --burst-share 0 \
  --probe-every "$PROBE" --probe-log "$WORK/probes.txt" --out "$WORK/logs/access.log")
echo "  generator: $GEN"
sleep 5   # the last probe's alert
stop_tool
# latency per probe, split at the jar's "alert high firing <rule> <ip>" log line (the grouper handing the incident
# to its channels): append -> notified is tail + parse + detect + alert queue + grouper timer; notified -> WeCom is
# the channel route (digest aggregation, throttle, HTTP)
read -r P50 P99 MAX SEEN PROBES REFUSED OTHER N50 N99 W50 W99 < <(python3 - "$WORK/probes.txt" "$WORK/wecom.jsonl" \
  "$WORK/jar.log" <<'PY'
import json, re, sys, time
from datetime import datetime
probes = [l.split() for l in open(sys.argv[1])]
msgs = [json.loads(l) for l in open(sys.argv[2])]
ok = [m for m in msgs if m["accepted"]]
notified = {}
for l in open(sys.argv[3], errors="replace"):
    m = re.match(r"(\d\d:\d\d:\d\d\.\d{3}) .* alert high firing \S+ (\S+):", l)
    if m and m.group(2) not in notified:
        d = datetime.combine(datetime.now().date(), datetime.strptime(m.group(1), "%H:%M:%S.%f").time())
        notified[m.group(2)] = int(d.timestamp() * 1000)
lat, nlat, wlat, used = [], [], [], set()
for k, ip, t in probes:
    hit = next((i for i, m in enumerate(ok) if ip in m["content"]), None)
    if hit is not None:
        lat.append(ok[hit]["at_ms"] - int(t)); used.add(hit)
        if ip in notified:
            nlat.append(notified[ip] - int(t)); wlat.append(ok[hit]["at_ms"] - notified[ip])
def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, -(-len(xs) * p // 100) - 1))] if xs else "-"
print(pct(lat, 50), pct(lat, 99), max(lat) if lat else "-", len(lat), len(probes), len(msgs) - len(ok),
      len(ok) - len(used), pct(nlat, 50), pct(nlat, 99), pct(wlat, 50), pct(wlat, 99))
print(" ".join(map(str, sorted(lat))), file=sys.stderr)
PY
)
echo "  settings: $SETTINGS"
record alert proxywatch rate="$RATE" seconds="$SECS" probes="$PROBES" alerted="$SEEN" latency_p50_ms="$P50" \
  latency_p99_ms="$P99" latency_max_ms="$MAX" to_notified_p50_ms="$N50" \
  to_notified_p99_ms="$N99" notified_to_wecom_p50_ms="$W50" notified_to_wecom_p99_ms="$W99" wecom_refused="$REFUSED" other_messages="$OTHER" \
  settings="group-wait-ms=0,digest-wait-ms=100" cpu_s="$CPU" rss_mb="$RSS_MB"
