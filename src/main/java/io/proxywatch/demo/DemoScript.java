package io.proxywatch.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * What the demo proxy does in each second of its life: a cycle of {@value #CYCLE_SECONDS} s that a newcomer
 * watches unfold. The interesting parts come first, so alerts show within seconds of starting:
 *
 * <pre>
 *   0:03-0:05  SQLi, XSS and path traversal probes, one attacker address each
 *   0:06-0:13  a credential-stuffing burst: 25 POST /login a second from one address (ip-burst, ip-path-burst)
 *   0:08       a command injection probe
 *   0:10-0:34  a scanner walking a word list of admin pages and dotfiles, mostly 404 (scanner, sensitive_path,
 *              ip-404-scan)
 *   0:20-1:50  the upstream is sick: a quarter of requests answer 502/503/504 (error-rate-5xx fires after its
 *              1 min "for", about 1:30, and resolves about a minute after the spell ends)
 *   1:33-1:35  a second round of probes from other addresses
 *   every 60 s the log is rotated (renamed, a new file started), as a Go proxy's lumberjack does
 * </pre>
 *
 * The thresholds are the packaged rules' own ({@code error_rate_5xx > 0.05 for 1m}); the demo changes no rule.
 * Pure: the same second always gives the same plan.
 */
public final class DemoScript {
    public static final int CYCLE_SECONDS = 180;
    public static final int NORMAL_PER_SECOND = 60;
    public static final int ROTATE_EVERY_SECONDS = 60;

    static final int BURST_FROM = 6;
    static final int BURST_SECONDS = 8;
    static final int BURST_PER_SECOND = 25;
    static final int SCAN_FROM = 10;
    static final int SCAN_SECONDS = 25;
    static final int SPELL_FROM = 20;
    static final int SPELL_TO = 110;
    static final double SPELL_5XX_SHARE = 0.25;

    /** The kinds of scripted request; normal traffic is not one of them. */
    public enum Kind { SQLI, XSS, TRAVERSAL, CMD_INJECTION, SCAN, BURST }

    /** Scripted requests of one kind in one second, all from {@code ip}. */
    public record Scripted(Kind kind, String ip, int count) {
    }

    /**
     * One second of the demo.
     *
     * @param normal    ordinary requests from the client pool
     * @param share5xx  fraction of ordinary requests the sick upstream fails
     * @param scripted  attacks and the burst
     * @param rotate    rotate the log before writing this second
     * @param note      what starts this second, for the operator watching; null when nothing does
     */
    public record Plan(int normal, double share5xx, List<Scripted> scripted, boolean rotate, String note) {
        public Plan {
            scripted = List.copyOf(scripted);
        }
    }

    public Plan plan(long second) {
        int cycle = (int) (second / CYCLE_SECONDS);
        int s = (int) (second % CYCLE_SECONDS);
        List<Scripted> scripted = new ArrayList<>();
        List<String> notes = new ArrayList<>();

        probe(scripted, notes, s, 3, Kind.SQLI, attacker(cycle, 11), "SQL injection probes");
        probe(scripted, notes, s, 4, Kind.XSS, attacker(cycle, 12), "XSS probes");
        probe(scripted, notes, s, 5, Kind.TRAVERSAL, attacker(cycle, 13), "path traversal probes");
        probe(scripted, notes, s, 8, Kind.CMD_INJECTION, attacker(cycle, 14), "command injection probes");
        probe(scripted, notes, s, 93, Kind.SQLI, attacker(cycle, 15), "SQL injection probes");
        probe(scripted, notes, s, 94, Kind.XSS, attacker(cycle, 16), "XSS probes");
        probe(scripted, notes, s, 95, Kind.TRAVERSAL, attacker(cycle, 17), "path traversal probes");

        if (s >= BURST_FROM && s < BURST_FROM + BURST_SECONDS) {
            String ip = burstIp(cycle);
            scripted.add(new Scripted(Kind.BURST, ip, BURST_PER_SECOND));
            if (s == BURST_FROM) {
                notes.add("a burst from " + ip + ": " + BURST_PER_SECOND + " POST /login a second for "
                        + BURST_SECONDS + " s (the rule: over 100 in 10 s)");
            }
        }
        if (s >= SCAN_FROM && s < SCAN_FROM + SCAN_SECONDS) {
            String ip = scannerIp(cycle);
            scripted.add(new Scripted(Kind.SCAN, ip, 1));
            if (s == SCAN_FROM) {
                notes.add("a scanner at " + ip + " walking admin pages and dotfiles for " + SCAN_SECONDS + " s");
            }
        }
        boolean spell = s >= SPELL_FROM && s < SPELL_TO;
        if (s == SPELL_FROM) {
            notes.add("the upstream turns sick: " + Math.round(SPELL_5XX_SHARE * 100) + " % of requests answer 5xx for "
                    + (SPELL_TO - SPELL_FROM) + " s (error-rate-5xx fires after its 1 min 'for')");
        }
        if (s == SPELL_TO) {
            notes.add("the upstream recovers (error-rate-5xx resolves once the 1 min window is clean)");
        }
        boolean rotate = second > 0 && second % ROTATE_EVERY_SECONDS == 0;
        if (rotate) {
            notes.add("log rotated: access.log renamed, a new one started");
        }
        return new Plan(NORMAL_PER_SECOND, spell ? SPELL_5XX_SHARE : 0, scripted, rotate,
                notes.isEmpty() ? null : String.join("; ", notes));
    }

    private static void probe(List<Scripted> scripted, List<String> notes, int s, int at, Kind kind, String ip,
                              String what) {
        if (s == at) {
            scripted.add(new Scripted(kind, ip, 3));
            notes.add(what + " from " + ip);
        }
    }

    /** Attackers come from TEST-NET-3 (203.0.113.0/24): documentation addresses, never a real host. */
    private static String attacker(int cycle, int n) {
        return "203.0.113." + (n + 10 * (cycle % 10));
    }

    static String burstIp(int cycle) {
        return "203.0.113." + (200 + cycle % 50);
    }

    static String scannerIp(int cycle) {
        return "198.51.100." + (23 + cycle % 200);
    }
}
