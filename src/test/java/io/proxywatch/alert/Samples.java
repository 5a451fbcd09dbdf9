package io.proxywatch.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Notifications for the channel tests, with realistic (hostile) log text. */
final class Samples {
    static final Instant FIRST = Instant.parse("2024-05-01T10:00:00Z");
    static final Instant LAST = Instant.parse("2024-05-01T10:04:59.123Z");

    private Samples() {
    }

    static Notification sqli() {
        return new Notification("sqli-union", "sqli", "high", AlertEvent.FIRING, "203.0.113.9", 3, 12, FIRST, LAST,
                "3 SQL injection attempts from 203.0.113.9",
                List.of("GET /item?id=1 UNION SELECT password FROM users-- HTTP/1.1",
                        "GET /item?id=1' OR '1'='1 HTTP/1.1"),
                false);
    }

    static Notification withEvidence(List<String> evidence) {
        return new Notification("xss-script", "xss", "critical", AlertEvent.FIRING, "198.51.100.7", 1, 1, FIRST, LAST,
                "a script tag in the query", evidence, false);
    }

    /** {@code count} incidents with 1, 2, 3… events each, keys long enough to need several kilobytes together. */
    static List<Notification> many(int count) {
        List<Notification> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new Notification("scanner-ua-" + i, "scanner", "warning", i % 7 == 0 ? AlertEvent.RESOLVED
                    : AlertEvent.FIRING, "2001:db8::" + Integer.toHexString(i) + ":beef:cafe", i + 1, 2L * (i + 1),
                    FIRST, LAST, "scanner", List.of(), i % 5 == 0));
        }
        return out;
    }
}
