package io.proxywatch.ship;

import org.junit.jupiter.api.Test;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {
    @Test
    void secondsAndHttpDatesAreUnderstood() {
        assertThat(RetryAfter.delayMs(Map.of("Retry-After", "2"))).isEqualTo(2000);
        assertThat(RetryAfter.delayMs(Map.of("retry-after", " 0 "))).isZero();
        String inTenSeconds = ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(10).format(DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(RetryAfter.delayMs(Map.of("Retry-After", inTenSeconds))).isBetween(8_000L, 10_000L);
        assertThat(RetryAfter.delayMs(Map.of("Retry-After", "soon"))).isNull();
        assertThat(RetryAfter.delayMs(Map.of())).isNull();
        assertThat(RetryAfter.delayMs(null)).isNull();
    }
}
