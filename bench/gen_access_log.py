#!/usr/bin/env python3
"""Writes realistic proxy access-log JSON lines (the structured format), deterministic from a seed.

~90% INFO / 7% WARN / 3% ERROR, ~1% attack-looking requests, a few bursting client IPs and the rest from a pool
of 20,000 clients (each ~1 request/s at the 20,000 lines/s the timestamps advance by: none bursts by itself);
every line carries a
unique trace_id (t-<n>) so a collector or the level files can be checked for lost and duplicated lines.

usage: gen_access_log.py --lines N --out FILE [--seed S]
"""
import argparse
import json
import random
from datetime import datetime, timedelta, timezone

PATHS = ["/", "/api/users", "/api/orders", "/api/orders/42", "/static/app.js", "/static/site.css", "/login",
         "/api/search", "/health", "/api/cart"]
ATTACKS = ["/index.php?id=1%27%20OR%201=1--", "/../../etc/passwd", "/search?q=<script>alert(1)</script>",
           "/.env", "/wp-admin/", "/api?cmd=;cat%20/etc/passwd"]
AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) Safari/605.1.15", "curl/8.4.0", "Go-http-client/1.1"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    t0 = datetime(2026, 11, 25, 12, 0, 0, tzinfo=timezone.utc)
    bursters = ["203.0.113.%d" % i for i in range(1, 4)]
    pool = ["10.%d.%d.%d" % (rnd.randrange(256), rnd.randrange(256), rnd.randrange(1, 255)) for _ in range(20000)]
    with open(a.out, "w", encoding="utf-8") as f:
        for n in range(a.lines):
            r = rnd.random()
            status, level = (200, "INFO")
            if r < 0.03:
                status, level = (rnd.choice([500, 502, 503]), "ERROR")
            elif r < 0.10:
                status, level = (rnd.choice([400, 404, 429]), "WARN")
            path = rnd.choice(ATTACKS) if rnd.random() < 0.01 else rnd.choice(PATHS)
            ip = rnd.choice(bursters) if rnd.random() < 0.05 else rnd.choice(pool)
            ts = (t0 + timedelta(microseconds=n * 50)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            rec = {"timestamp": ts, "level": level, "service": "gateway",
                   "message": "%s %s %d" % ("GET", path.split("?")[0], status),
                   "trace_id": "t-%d" % n, "client_ip": ip, "method": "GET", "path": path, "status": status,
                   "latency_ms": round(rnd.lognormvariate(2.0, 0.8), 2), "bytes": rnd.randrange(200, 20000),
                   "user_agent": rnd.choice(AGENTS)}
            f.write(json.dumps(rec, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
