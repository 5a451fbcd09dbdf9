package io.proxywatch.alert;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class AlertJsonTest {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** The rendering AlertJson replaced: Jackson's generator, timestamps as String.valueOf(Instant). */
    private static byte[] jackson(AlertEvent e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("rule", e.rule());
            g.writeStringField("category", e.category());
            g.writeStringField("severity", e.severity());
            g.writeStringField("state", e.state());
            g.writeStringField("key", e.key());
            g.writeNumberField("count", e.count());
            g.writeStringField("first_seen", String.valueOf(e.firstSeen()));
            g.writeStringField("last_seen", String.valueOf(e.lastSeen()));
            g.writeStringField("summary", e.summary());
            g.writeArrayFieldStart("evidence");
            for (String line : e.evidence()) {
                g.writeString(line);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static String text(Random rnd) {
        if (rnd.nextInt(10) == 0) {
            return null;
        }
        char[] pool = {'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u001f', '\u007f',
                '<', '>', '&', '\'', 'é', '中', '\u2028', '\ud83d', '\ude00', '\uffff', '}', '{'};
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(40); i > 0; i--) {
            sb.append(pool[rnd.nextInt(pool.length)]);
        }
        return sb.toString();
    }

    private static Instant instant(Random rnd) {
        switch (rnd.nextInt(6)) {
            case 0: return null;
            case 1: return Instant.ofEpochSecond(rnd.nextInt(2_000_000_000)); // no fraction
            case 2: return Instant.ofEpochMilli(rnd.nextLong() % 4_000_000_000_000L); // before 1970 too
            case 3: return Instant.ofEpochSecond(rnd.nextInt(2_000_000_000), rnd.nextInt(1_000_000_000)); // nanos
            case 4: return Instant.ofEpochSecond(260_000_000_000L + rnd.nextInt(1000), 5_000_000); // year > 9999
            default: return Instant.ofEpochMilli(1_795_000_000_000L + rnd.nextInt(1_000_000_000));
        }
    }

    @Test
    void writesTheBytesJacksonWroteForAnyTextAndTime() throws IOException {
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            List<String> evidence = new ArrayList<>();
            for (int k = rnd.nextInt(6); k > 0; k--) {
                String line = text(rnd);
                evidence.add(line == null ? "" : line); // AlertEvent holds no null evidence
            }
            AlertEvent e = new AlertEvent(text(rnd), text(rnd), text(rnd), text(rnd), text(rnd), rnd.nextLong(),
                    instant(rnd), instant(rnd), text(rnd), evidence);
            byte[] expected = jackson(e);
            byte[] actual = AlertJson.toBytes(e);
            assertThat(Arrays.equals(actual, expected)).as("event %d: %s", i, new String(expected)).isTrue();
        }
    }

    @Test
    void theEpochAndAWholeSecondHaveNoFraction() {
        AlertEvent e = new AlertEvent("r", "rate", "high", AlertEvent.FIRING, "k", 1, Instant.EPOCH,
                Instant.parse("2026-11-26T07:00:00.010Z"), "s", List.of());
        assertThat(new String(AlertJson.toBytes(e), StandardCharsets.UTF_8)).contains("\"first_seen\":\"1970-01-01T00:00:00Z\"")
                .contains("\"last_seen\":\"2026-11-26T07:00:00.010Z\"");
    }
}
