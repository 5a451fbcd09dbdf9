package io.proxywatch.alert;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlainTextTest {
    @Test
    void aLogLineCannotForgeALineOfProxywatchsOwnLog() {
        String forged = "GET /x\n12:00:00.000 INFO  [main] proxywatch - all clear\u2028\u0000";
        assertThat(PlainText.loggable(forged))
                .isEqualTo("GET /x\\u000a12:00:00.000 INFO  [main] proxywatch - all clear\\u2028\\u0000")
                .doesNotContain("\n");
        assertThat(PlainText.loggable("203.0.113.9 GET /ok")).isEqualTo("203.0.113.9 GET /ok");
        assertThat(PlainText.loggable(null)).isEmpty();
    }
}
