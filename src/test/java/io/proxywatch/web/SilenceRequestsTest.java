package io.proxywatch.web;

import io.proxywatch.alert.AlertGrouper;
import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** POST /api/silence's body: exactly one JSON object saying rule, key and whole minutes, or a 400 saying why. */
class SilenceRequestsTest {
    private final MutableClock clock = new MutableClock();
    private final SilenceRequests requests = new SilenceRequests(new AlertGrouper(clock, new AlertGrouper.Timings(
            Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofMinutes(5)), 100,
            List.of()), clock);

    @Test
    void aSilenceIsAddedUntilMinutesFromNow() {
        assertThat(requests.create("{\"rule\":\"sqli-*\",\"key\":\"203.0.113.9\",\"minutes\":5}"))
                .contains("\"rule\":\"sqli-*\"", "\"until\":\"" + clock.instant().plus(Duration.ofMinutes(5)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"rule\":\"r\",\"key\":\"k\",\"minutes\":1.9}",
            "{\"rule\":\"r\",\"key\":\"k\",\"minutes\":1e3}",
            "{\"rule\":\"r\",\"key\":\"k\",\"minutes\":\"5\"}",
            "{\"rule\":\"r\",\"key\":\"k\",\"minutes\":0}",
            "{\"rule\":\"r\",\"key\":\"k\",\"minutes\":5}{\"x\":1}",
            "{\"rule\":\"r\",\"rule\":\"*\",\"key\":\"k\",\"minutes\":5}",
            "[1]", ""})
    void anythingElseIsRefused(String body) {
        assertThatThrownBy(() -> requests.create(body)).isInstanceOf(IllegalArgumentException.class);
    }
}
