package io.proxywatch.testkit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCollectorTest {
    @Test
    void readsTheUtcFormLikeInstantParse() {
        Random rnd = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(rnd.nextInt(2_000_000_000), rnd.nextInt(1_000_000_000));
            String full = t.toString(); // 0, 3, 6 or 9 fraction digits
            assertThat(BenchCollector.utcMillis(full)).as(full).isEqualTo(t.toEpochMilli());
            String millis = Instant.ofEpochMilli(t.toEpochMilli()).toString();
            assertThat(BenchCollector.utcMillis(millis)).as(millis).isEqualTo(t.toEpochMilli());
        }
        assertThat(BenchCollector.utcMillis("2026-11-25T12:00:01.5Z")).isEqualTo(Instant.parse("2026-11-25T12:00:01.5Z").toEpochMilli());
        assertThat(BenchCollector.utcMillis("2026-11-25T12:00:01.12Z")).isEqualTo(Instant.parse("2026-11-25T12:00:01.12Z").toEpochMilli());
    }

    @Test
    void otherFormsAreLeftToJavaTime() {
        for (String s : new String[] {"2026-11-25T12:00:01+08:00", "2026-11-25 12:00:01Z", "2026-02-30T12:00:01Z",
                "2026-11-25T24:00:01Z", "2026-11-25T12:00:01.Z", "2026-11-25T12:00:0xZ", "12:00:01Z", ""}) {
            assertThat(BenchCollector.utcMillis(s)).as(s).isEqualTo(Integer.MIN_VALUE);
        }
        assertThat(BenchCollector.millis("2026-11-25T20:00:01+08:00"))
                .isEqualTo(Instant.parse("2026-11-25T12:00:01Z").toEpochMilli());
    }
}
