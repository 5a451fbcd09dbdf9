package io.proxywatch.alert;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What the banner says of the routes: a channel that is off is named so, and severities nobody hears are found. */
class AlertRoutingDescribeTest {
    private final AlertRouting routing = new AlertRouting(Map.of("critical", "wecom,mail", "high", "wecom",
            "warning", "mail", "info", "log"));

    @Test
    void channelsThatAreOffAreMarked() {
        assertThat(routing.describe(Set.of("log", "mail")))
                .isEqualTo("critical→wecom (off)+mail, high→wecom (off), warning→mail, info→log");
    }

    @Test
    void severitiesWhoseEveryChannelIsOffAreUnheard() {
        assertThat(routing.unheard(Set.of("log", "mail"))).containsExactly("high");
        assertThat(routing.unheard(Set.of("log"))).containsExactly("critical", "high", "warning");
        assertThat(routing.unheard(Set.of("log", "mail", "wecom"))).isEmpty();
    }
}
