#!/usr/bin/env python3
"""Writes realistic proxy access-log JSON lines (the structured format), deterministic from a seed.

~90% INFO / 7% WARN / 3% ERROR, ~1% attack-looking requests, a few bursting client IPs and the rest from a pool
of 20,000 clients (each ~1 request/s at 20,000 lines/s: none bursts by itself). Every line carries a unique
trace_id (t-<n>) so a collector or the level files can be checked for lost and duplicated lines.

Two modes:
  pre-write: --lines N --out FILE
      N lines at once; timestamps advance 50 us a line from 2026-11-25T12:00:00Z (20,000 lines/s of log time).
  append:    --rate R --seconds S --out FILE [--rotate-bytes B] [--probe-every P --probe-log F]
      appends R lines/s for S seconds in 10 ms ticks; each line's "timestamp" is the wall clock (ms) when its tick
      was written, so a collector computes lag = arrival - timestamp. When FILE passes B bytes it is rotated like
      a proxy's logrotate does it (rename to FILE.1, FILE.2, ...; a new FILE is created). With --probe-every P,
      one SQL-injection line from a new client address (198.51.100.x / 198.18.x.x, trace_id p-<k>) is appended every
      P seconds and "k ip append_epoch_ms" is written to F: the alert-latency scenario's stimulus.
      Prints a JSON summary (lines, seconds, rotations, behind_max_ms) to stdout at the end.
--attack-share and --burst-share (default 0.01 and 0.05) set the share of attack lines and bursting clients;
the alert scenario sets both to 0 so that only its probes raise alerts.

usage: gen_access_log.py (--lines N | --rate R --seconds S) --out FILE [--seed S] [options above]
"""
import argparse
import json
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone

PATHS = ["/", "/api/users", "/api/orders", "/api/orders/42", "/static/app.js", "/static/site.css", "/login",
         "/api/search", "/health", "/api/cart"]
ATTACKS = ["/index.php?id=1%27%20OR%201=1--", "/../../etc/passwd", "/search?q=<script>alert(1)</script>",
           "/.env", "/wp-admin/", "/api?cmd=;cat%20/etc/passwd"]
AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) Safari/605.1.15", "curl/8.4.0", "Go-http-client/1.1"]
PROBE_PATH = "/index.php?id=1%27%20UNION%20SELECT%20password%20FROM%20users--"


class Lines:
    """The line source: the same random draws in the same order in both modes."""

    def __init__(self, seed, attack_share, burst_share):
        self.rnd = random.Random(seed)
        rnd = self.rnd
        self.attack_share = attack_share
        self.burst_share = burst_share
        self.bursters = ["203.0.113.%d" % i for i in range(1, 4)]
        self.pool = ["10.%d.%d.%d" % (rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255))
                     for _ in range(20000)]

    def line(self, n, ts):
        rnd = self.rnd
        r = rnd.random()
        status, level = (200, "INFO")
        if r < 0.03:
            status, level = (rnd.choice([500, 502, 503]), "ERROR")
        elif r < 0.10:
            status, level = (rnd.choice([400, 404, 429]), "WARN")
        path = rnd.choice(ATTACKS) if rnd.random() < self.attack_share else rnd.choice(PATHS)
        ip = rnd.choice(self.bursters) if rnd.random() < self.burst_share else rnd.choice(self.pool)
        rec = {"timestamp": ts, "level": level, "service": "gateway",
               "message": "%s %s %d" % ("GET", path.split("?")[0], status),
               "trace_id": "t-%d" % n, "client_ip": ip, "method": "GET", "path": path, "status": status,
               "latency_ms": round(rnd.lognormvariate(2.0, 0.8), 2), "bytes": rnd.randrange(200, 20000),
               "user_agent": rnd.choice(AGENTS)}
        return json.dumps(rec, separators=(",", ":")) + "\n"


def iso(dt):
    return dt.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def prewrite(a, src):
    t0 = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)
    with open(a.out, "w", encoding="utf-8") as f:
        for n in range(a.lines):
            f.write(src.line(n, iso(t0 + timedelta(microseconds=n * 50))))


def probe_ip(k):
    return "198.51.100.%d" % (k + 1) if k < 254 else "198.18.%d.%d" % ((k - 254) // 254, (k - 254) % 254 + 1)


def append(a, src):
    tick = 0.01
    f = open(a.out, "a", encoding="utf-8")
    probes = open(a.probe_log, "a") if a.probe_log else None
    n = rotations = k = 0
    behind_max = 0.0
    start = time.time()
    next_probe = start + a.probe_every / 2 if a.probe_every else None
    total = int(a.seconds * a.rate)
    while n < total:
        now = time.time()
        due = min(int((now - start) * a.rate) + 1, total)
        ts = iso(datetime.fromtimestamp(now, timezone.utc))
        chunk = [src.line(i, ts) for i in range(n, due)]
        if next_probe is not None and now >= next_probe:
            ip = probe_ip(k)
            rec = {"timestamp": ts, "level": "INFO", "service": "gateway", "message": "GET /index.php 200",
                   "trace_id": "p-%d" % k, "client_ip": ip, "method": "GET", "path": PROBE_PATH, "status": 200,
                   "latency_ms": 3.2, "bytes": 512, "user_agent": AGENTS[2]}
            chunk.append(json.dumps(rec, separators=(",", ":")) + "\n")
        if chunk:
            f.write("".join(chunk))
            f.flush()
        if next_probe is not None and now >= next_probe:
            probes.write("%d %s %d\n" % (k, probe_ip(k), int(now * 1000)))
            probes.flush()
            k += 1
            next_probe += a.probe_every
        n = due
        if a.rotate_bytes and f.tell() >= a.rotate_bytes:
            f.close()
            rotations += 1
            os.rename(a.out, "%s.%d" % (a.out, rotations))
            f = open(a.out, "a", encoding="utf-8")
        spent = time.time() - now
        behind_max = max(behind_max, spent)
        if spent < tick:
            time.sleep(tick - spent)
    f.close()
    if probes:
        probes.close()
    print(json.dumps({"lines": n, "seconds": round(time.time() - start, 2), "rotations": rotations,
                      "probes": k, "slowest_tick_ms": round(behind_max * 1000, 1)}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int)
    ap.add_argument("--rate", type=int)
    ap.add_argument("--seconds", type=float)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--rotate-bytes", type=int, default=0)
    ap.add_argument("--attack-share", type=float, default=0.01)
    ap.add_argument("--burst-share", type=float, default=0.05)
    ap.add_argument("--probe-every", type=float, default=0)
    ap.add_argument("--probe-log")
    a = ap.parse_args()
    src = Lines(a.seed, a.attack_share, a.burst_share)
    if a.lines is not None:
        prewrite(a, src)
    elif a.rate and a.seconds:
        append(a, src)
    else:
        ap.error("give --lines N, or --rate R and --seconds S")


if __name__ == "__main__":
    sys.exit(main())
