package io.proxywatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxywatch.store.RollingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AlertLogTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static AlertEvent event(String key, String evidence) {
        Instant t = Instant.parse("2026-11-26T07:00:00.250Z");
        return new AlertEvent("sqli-union-select", "sqli", "high", AlertEvent.FIRING, key, 1, t, t,
                "sqli from " + key, List.of(evidence));
    }

    @Test
    void aListOfEventsIsOneLineEachInOrderAndAnEmptyOneOpensNothing() throws Exception {
        Path file = dir.resolve("alerts.log");
        AlertLog log = new AlertLog(() -> RollingFile.at(file, 1 << 20, 3, Clock.systemUTC()));
        log.append(List.of());
        assertThat(file).doesNotExist();

        log.append(List.of(event("198.51.100.7", "GET /?q=1 union select \"x\"\n"), event("203.0.113.9", "b")));
        log.append(List.of(event("192.0.2.1", "c")));
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines).extracting(l -> JSON.readTree(l).get("key").asText())
                .containsExactly("198.51.100.7", "203.0.113.9", "192.0.2.1");
        JsonNode first = JSON.readTree(lines.get(0));
        assertThat(first.get("evidence").get(0).asText()).isEqualTo("GET /?q=1 union select \"x\"\n");
        assertThat(first.get("first_seen").asText()).isEqualTo("2026-11-26T07:00:00.250Z");
        assertThat(log.written()).isEqualTo(3);
    }

    @Test
    void aNotificationIsOneInfoLineWithTheKeyAndSummaryMadeLoggable() throws Exception {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("proxywatch.alert");
        List<java.util.logging.LogRecord> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                seen.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(h);
        try {
            Instant t = Instant.parse("2026-11-26T07:00:00Z");
            new AlertLog(() -> null).notified(new Notification("sqli-union-select", "sqli", "high", AlertEvent.FIRING,
                    "198.51.100.7\n12:00 INFO forged", 3, 12, t, t, "sqli from x\r\ny", List.of(), true));
        } finally {
            jul.removeHandler(h);
        }
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0).getLevel()).isEqualTo(java.util.logging.Level.INFO);
        assertThat(seen.get(0).getMessage()).isEqualTo("alert high firing (repeat) sqli-union-select "
                + PlainText.loggable("198.51.100.7\n12:00 INFO forged") + ": 3 events (12 in the incident); "
                + PlainText.loggable("sqli from x\r\ny")).doesNotContain("\n").doesNotContain("\r");
    }
}
