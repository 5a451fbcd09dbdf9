package io.proxywatch.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.proxywatch.record.Jackson;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The lines a Go proxy would have logged for one second of {@link DemoScript}: JSON access lines in the
 * structured shape {@code bench/gen_access_log.py} writes ({@code timestamp, level, service, message, trace_id,
 * client_ip, method, path, status, latency_ms, bytes, user_agent}; the query stays in {@code path} as logged),
 * plus the proxy's own slog error lines while the upstream is sick. Deterministic from its seed.
 *
 * <p>Ordinary clients come from a pool large enough that none of them nears a rate limit and ask for paths no
 * signature matches, so every alert the demo raises is one the script meant.
 */
public final class DemoTraffic {
    private static final String SERVICE = "gateway";
    private static final int CLIENTS = 300;

    private static final String[] PAGES = {"/", "/products", "/products/1042", "/products/2217", "/search?q=running+shoes",
            "/search?q=rain+jacket&page=2", "/api/products?page=2&sort=price", "/api/cart", "/api/users/me", "/login",
            "/static/app.3f9a1c.js", "/static/site.8b2e.css", "/images/logo.png", "/favicon.ico", "/api/orders"};
    private static final String[] AGENTS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
            "ShopApp/4.2.1 (iPhone; iOS 17.4; Scale/3.00)", "okhttp/4.12.0"};

    static final String[] SQLI = {"/products?id=1%27%20UNION%20SELECT%20username,password%20FROM%20users--",
            "/search?q=%27%20OR%201%3D1--", "/products?id=1%20AND%20SLEEP(5)"};
    static final String[] XSS = {"/search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E",
            "/reviews?text=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "/profile?name=%22%3E%3Csvg/onload%3Dalert(1)%3E"};
    static final String[] TRAVERSAL = {"/download?file=../../../../etc/passwd", "/static/..%2f..%2f..%2fetc/shadow",
            "/images/%252e%252e%252f%252e%252e%252fwindows/win.ini"};
    static final String[] CMD_INJECTION = {"/api/ping?host=127.0.0.1;cat%20/etc/passwd", "/api/ping?host=%7Cwhoami",
            "/api/export?name=$(id)"};
    /** A scanner's word list: dotfiles, admin pages, backups; what exists answers 403, the rest 404. */
    static final String[] SCAN = {"/.env", "/.git/config", "/wp-login.php", "/wp-admin/", "/phpmyadmin/", "/admin/",
            "/backup.zip", "/config.php.bak", "/server-status", "/actuator/env", "/.aws/credentials", "/xmlrpc.php",
            "/.DS_Store", "/db.sql", "/administrator/", "/.htaccess", "/debug/pprof/", "/console/", "/web.config",
            "/.svn/entries", "/old/", "/test.php", "/install.php", "/.ssh/id_rsa", "/dump.sql"};
    private static final String SCANNER_AGENT = "Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000003)";
    private static final String ATTACKER_AGENT = "python-requests/2.31.0";

    private final Random random;
    private final String[] clients = new String[CLIENTS];
    private long scanStep;

    public DemoTraffic(long seed) {
        random = new Random(seed);
        for (int i = 0; i < CLIENTS; i++) {
            clients[i] = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
        }
    }

    /** The lines of one second starting at {@code secondStart}, in time order, each without its newline. */
    public List<String> lines(DemoScript.Plan plan, Instant secondStart) {
        List<Timed> out = new ArrayList<>();
        for (int i = 0; i < plan.normal(); i++) {
            out.add(normal(secondStart.plusMillis(random.nextInt(1000)), plan.share5xx()));
        }
        if (plan.share5xx() > 0 && random.nextInt(5) == 0) {
            out.add(upstreamError(secondStart.plusMillis(random.nextInt(1000))));
        }
        for (DemoScript.Scripted s : plan.scripted()) {
            for (int i = 0; i < s.count(); i++) {
                Instant at = secondStart.plusMillis(i * 1000L / s.count() + random.nextInt(1000 / s.count()));
                out.add(scripted(s.kind(), s.ip(), i, at));
            }
        }
        out.sort(Comparator.comparing(Timed::at));
        List<String> lines = new ArrayList<>(out.size());
        out.forEach(t -> lines.add(t.line()));
        return lines;
    }

    private record Timed(Instant at, String line) {
    }

    private Timed normal(Instant at, double share5xx) {
        String ip = clients[random.nextInt(CLIENTS)];
        String target = PAGES[random.nextInt(PAGES.length)];
        String method = target.startsWith("/api/cart") || target.startsWith("/api/orders")
                ? (random.nextBoolean() ? "POST" : "GET") : "GET";
        double latency = Math.exp(3.0 + 0.7 * random.nextGaussian());
        int status;
        double r = random.nextDouble();
        if (r < share5xx) {
            int pick = random.nextInt(3);
            status = 502 + pick;
            latency = pick == 2 ? 5000 + random.nextInt(5000) : 1 + random.nextInt(5);
        } else if (r < share5xx + 0.003) {
            status = 500;
        } else if (r < share5xx + 0.02) {
            status = 404;
        } else if (r < share5xx + 0.03) {
            status = 400;
        } else if (target.startsWith("/static/") || target.startsWith("/images/")) {
            status = random.nextInt(3) == 0 ? 304 : 200;
        } else {
            status = "POST".equals(method) ? 201 : 200;
        }
        long bytes = status == 304 ? 0 : 200 + random.nextInt(20_000);
        return access(at, ip, method, target, status, latency, bytes, AGENTS[random.nextInt(AGENTS.length)]);
    }

    private Timed scripted(DemoScript.Kind kind, String ip, int i, Instant at) {
        return switch (kind) {
            case SQLI -> access(at, ip, "GET", SQLI[i % SQLI.length], 500, 8 + random.nextInt(20), 312, ATTACKER_AGENT);
            case XSS -> access(at, ip, "GET", XSS[i % XSS.length], 200, 10 + random.nextInt(20), 5120, ATTACKER_AGENT);
            case TRAVERSAL -> access(at, ip, "GET", TRAVERSAL[i % TRAVERSAL.length], 400, 1, 150, ATTACKER_AGENT);
            case CMD_INJECTION -> access(at, ip, "GET", CMD_INJECTION[i % CMD_INJECTION.length], 400, 1, 150,
                    ATTACKER_AGENT);
            case SCAN -> {
                String target = SCAN[(int) (scanStep++ % SCAN.length)];
                int status = target.equals("/admin/") || target.equals("/server-status") ? 403 : 404;
                yield access(at, ip, "GET", target, status, 1 + random.nextInt(3), 162, SCANNER_AGENT);
            }
            case BURST -> access(at, ip, "POST", "/login", random.nextInt(20) == 0 ? 200 : 401,
                    40 + random.nextInt(40), 87, ATTACKER_AGENT);
        };
    }

    private Timed access(Instant at, String ip, String method, String target, int status, double latencyMs, long bytes,
                         String agent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timestamp", stamp(at));
        m.put("level", status >= 500 ? "ERROR" : status >= 400 ? "WARN" : "INFO");
        m.put("service", SERVICE);
        int q = target.indexOf('?');
        m.put("message", method + " " + (q < 0 ? target : target.substring(0, q)) + " " + status);
        m.put("trace_id", traceId());
        m.put("client_ip", ip);
        m.put("method", method);
        m.put("path", target);
        m.put("status", status);
        m.put("latency_ms", Math.round(latencyMs * 100) / 100.0);
        m.put("bytes", bytes);
        m.put("user_agent", agent);
        return new Timed(at, json(m));
    }

    /** The proxy's own log/slog line when it cannot reach the upstream: no status, so no access record. */
    private Timed upstreamError(Instant at) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", stamp(at));
        m.put("level", "ERROR");
        m.put("msg", "proxy: upstream unavailable");
        m.put("service", SERVICE);
        m.put("upstream", "10.0.2.15:9000");
        m.put("error", "dial tcp 10.0.2.15:9000: connect: connection refused");
        return new Timed(at, json(m));
    }

    private String traceId() {
        return Long.toHexString(random.nextLong() | Long.MIN_VALUE) + Long.toHexString(random.nextLong() | Long.MIN_VALUE);
    }

    private static String stamp(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String json(Map<String, Object> m) {
        try {
            return Jackson.mapper().writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always renders", e);
        }
    }
}
