package io.proxywatch.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The benchmark's input: access-log JSON lines shaped like bench/gen_access_log.py writes them (~90% 2xx, 7% 4xx,
 * 3% 5xx, ~1% attack requests, 5% from three bursting addresses, the rest from a pool of 20,000 clients),
 * deterministic from the seed. {@code spray} draws every other client
 * address at random from 16 million instead: the worst case for the per-IP windows.
 */
final class BenchLines {
    static final String[] PATHS = {"/", "/api/users", "/api/orders", "/api/orders/42", "/static/app.js",
            "/static/site.css", "/login", "/api/search", "/health", "/api/cart"};
    static final String[] ATTACKS = {"/index.php?id=1%27%20OR%201=1--", "/../../etc/passwd",
            "/search?q=<script>alert(1)</script>", "/.env", "/wp-admin/", "/api?cmd=;cat%20/etc/passwd"};
    static final String[] AGENTS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) Safari/605.1.15", "curl/8.4.0", "Go-http-client/1.1"};

    private BenchLines() {
    }

    static final int CLIENTS = 20_000;

    /** One request's status, level, path (and its path without query) and client address. */
    record Request(int status, String level, String path, String bare, String ip) {
    }

    /** The 20,000 client addresses of the pool, the first draws from {@code rnd}. */
    static String[] clientPool(Random rnd) {
        return clientPool(rnd, CLIENTS);
    }

    /** A pool of {@code clients} addresses, the first draws from {@code rnd}. */
    static String[] clientPool(Random rnd, int clients) {
        String[] pool = new String[clients];
        for (int i = 0; i < clients; i++) {
            pool[i] = "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
        }
        return pool;
    }

    /** The next request: status mix, 1% attack paths, 5% from the three bursting addresses, else the pool. */
    static Request request(Random rnd, String[] pool, boolean spray) {
        double r = rnd.nextDouble();
        int status = r < 0.03 ? 500 + rnd.nextInt(3) : r < 0.10 ? new int[] {400, 404, 429}[rnd.nextInt(3)] : 200;
        String level = status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO";
        String path = rnd.nextDouble() < 0.01 ? ATTACKS[rnd.nextInt(ATTACKS.length)] : PATHS[rnd.nextInt(PATHS.length)];
        String ip = rnd.nextDouble() < 0.05 ? "203.0.113." + (1 + rnd.nextInt(3))
                : spray ? "10." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254))
                : pool[rnd.nextInt(pool.length)];
        int q = path.indexOf('?');
        return new Request(status, level, path, q < 0 ? path : path.substring(0, q), ip);
    }

    static List<String> generate(int n, long seed, boolean spray) {
        return generate(n, seed, spray, CLIENTS);
    }

    /** As {@link #generate(int, long, boolean)} with a pool of {@code clients} addresses instead of 20,000. */
    static List<String> generate(int n, long seed, boolean spray, int clients) {
        Random rnd = new Random(seed);
        String[] pool = clientPool(rnd, clients);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Request q = request(rnd, pool, spray);
            out.add("{\"timestamp\":\"2026-11-25T12:00:" + String.format("%02d.%03dZ", (i / 20_000) % 60, (i / 20) % 1000)
                    + "\",\"level\":\"" + q.level() + "\",\"service\":\"gateway\",\"message\":\"GET " + q.bare() + " "
                    + q.status() + "\",\"trace_id\":\"t-" + i + "\",\"client_ip\":\"" + q.ip()
                    + "\",\"method\":\"GET\",\"path\":\"" + q.path().replace("\"", "\\\"") + "\",\"status\":" + q.status()
                    + ",\"latency_ms\":" + Math.round(Math.exp(2.0 + 0.8 * rnd.nextGaussian()) * 100) / 100.0 + ",\"bytes\":"
                    + (200 + rnd.nextInt(19_800)) + ",\"user_agent\":\"" + AGENTS[rnd.nextInt(AGENTS.length)] + "\"}");
        }
        return out;
    }
}
