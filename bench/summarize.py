#!/usr/bin/env python3
"""Prints the benchmark results of one session as Markdown tables: per scenario and tool, the median of every
metric over the runs with min-max, the machine (cores, CPU model, JDK), the date and the command; then the
ratios proxywatch / syslog-ng; then JMH scores from target/jmh-result.json if there is one.

usage: summarize.py [RESULTS=target/bench-results.jsonl] [SESSION (default: the latest)]
"""
import json
import os
import platform
import statistics
import subprocess
import sys
import time

COLUMNS = {
    "startup": ["first_line_s", "camel_started_s", "first_shipped_s", "rss_mb"],
    "bulk": ["records_per_s", "mb_per_s", "wall_s", "cpu_s", "jit_cpu_s", "gc_cpu_s", "tail_cpu_s", "pipeline_cpu_s",
             "ship_cpu_s", "collector_cpu_s", "rss_mb", "lost", "duplicates", "requests"],
    "heap": ["records_per_s", "mb_per_s", "cpu_s", "rss_mb", "oom", "lost", "duplicates", "level_lines"],
    "steady": ["lag_p50_ms", "lag_p99_ms", "lag_max_ms", "warm_lag_p50_ms", "warm_lag_p99_ms", "lost", "duplicates",
               "cpu_s", "rss_mb", "gen_slowest_tick_ms"],
    "alert": ["latency_p50_ms", "latency_p99_ms", "latency_max_ms", "to_notified_p50_ms", "notified_to_wecom_p50_ms",
              "alerted", "probes", "wecom_refused"],
    "bulk-levels": ["records_per_s", "mb_per_s", "cpu_s", "jit_cpu_s", "gc_cpu_s", "rss_mb"],
}
COMMANDS = {
    "startup": "bench/startup.sh", "bulk": "bench/bulk-ship.sh 1000000 false json 256m",
    "heap": "bench/bulk-ship.sh 1000000 false json 64m", "steady": "bench/steady.sh 20000 60",
    "alert": "bench/alert.sh 60 1000 3.5", "bulk-levels": "bench/bulk-levels.sh 1000000",
}


def cell(values):
    nums = [v for v in values if isinstance(v, (int, float))]
    if not nums:
        return " / ".join(sorted({str(v) for v in values if v not in ("", None)})) or "–"
    med = statistics.median(nums)
    fmt = (lambda x: f"{x:,.0f}") if max(abs(x) for x in nums) >= 100 else (lambda x: f"{x:g}")
    return fmt(med) if len(nums) == 1 or min(nums) == max(nums) else f"{fmt(med)} ({fmt(min(nums))}–{fmt(max(nums))})"


def machine():
    cpu = ""
    try:
        cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    try:
        jdk = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[1]
    except (OSError, IndexError):
        jdk = "?"
    return f"{os.cpu_count()} cores ({cpu}), {jdk}, {platform.system()} {platform.release()}"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "target/bench-results.jsonl"
    rows = [json.loads(l) for l in open(path) if l.strip()]
    session = sys.argv[2] if len(sys.argv) > 2 else max((r.get("session", "") for r in rows), default="")
    rows = [r for r in rows if r.get("session", "") == session]
    if not rows:
        print("no results")
        return
    print(f"session {session or '(none)'}; {rows[0]['at'][:10]}; {machine()}\n")
    groups = {}
    for r in rows:
        groups.setdefault((r["scenario"], r["tool"]), []).append(r)
    for (scenario, tool), rs in groups.items():
        cols = COLUMNS.get(scenario, [k for k in rs[0] if k not in ("scenario", "tool", "at", "cores", "session")])
        r0 = rs[0]
        cmd = {"bulk": f"bench/bulk-ship.sh {r0.get('lines')} false json {r0.get('xmx')}",
               "heap": f"bench/bulk-ship.sh {r0.get('lines')} false json {r0.get('xmx')}",
               "steady": f"bench/steady.sh {r0.get('rate')} {r0.get('seconds')}",
               "alert": f"bench/alert.sh {r0.get('seconds')} {r0.get('rate')} 3.5"}.get(scenario, COMMANDS.get(scenario, ""))
        if tool != "proxywatch":
            cmd = f"bench/peer.sh {tool} {scenario} " + (str(r0.get("lines")) if scenario == "bulk"
                                                          else f"{r0.get('rate')} {r0.get('seconds')}")
        loads = [r.get("load1") for r in rs if isinstance(r.get("load1"), (int, float))]
        print(f"### {scenario} · {tool} · {len(rs)} run(s) · `{cmd}`"
              + (f" · 1-min load average at the end of the runs {cell(loads)}" if loads else "") + "\n")
        print("| " + " | ".join(cols) + " |")
        print("|" + "---|" * len(cols))
        print("| " + " | ".join(cell([r.get(c) for r in rs]) for c in cols) + " |\n")
    for scenario, metric, better in (("bulk", "records_per_s", "higher"), ("bulk", "cpu_s", "lower"),
                                     ("steady", "lag_p50_ms", "lower"), ("steady", "lag_p99_ms", "lower"),
                                     ("steady", "cpu_s", "lower")):
        pw = [r[metric] for r in groups.get((scenario, "proxywatch"), []) if isinstance(r.get(metric), (int, float))]
        for peer in ("syslog-ng", "fluent-bit"):
            other = [r[metric] for r in groups.get((scenario, peer), []) if isinstance(r.get(metric), (int, float))]
            if pw and other and statistics.median(other):
                print(f"- {scenario} {metric}: proxywatch / {peer} = {statistics.median(pw) / statistics.median(other):.2f}"
                      f" (medians {statistics.median(pw):g} / {statistics.median(other):g}; {better} is better)")
    if os.path.exists("target/jmh-result.json"):
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(os.path.getmtime("target/jmh-result.json")))
        print(f"\n### JMH (target/jmh-result.json, written {when}: maybe not this session), ns per line\n")
        print("| benchmark | params | score | error |\n|---|---|---|---|")
        for b in json.load(open("target/jmh-result.json")):
            m = b["primaryMetric"]
            params = ", ".join(f"{k}={v}" for k, v in (b.get("params") or {}).items())
            err = m.get("scoreError")
            err = err if isinstance(err, (int, float)) and err == err else None
            print(f"| {b['benchmark'].split('.', 3)[-1]} | {params} | {m['score']:,.0f} | "
                  f"{'' if err is None else f'±{err:,.0f}'} |")


if __name__ == "__main__":
    main()
