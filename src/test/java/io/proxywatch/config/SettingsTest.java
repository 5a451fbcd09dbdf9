package io.proxywatch.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {
    private static int read(String value) {
        Settings s = new Settings(Map.of("proxywatch.alert.max-incidents", value)::get);
        return s.intAtLeastOrAuto("proxywatch.alert.max-incidents", 1, () -> 1365);
    }

    @Test
    void autoOrAWholeNumberAndAnythingElseNamesTheKeyAndBothChoices() {
        assertThat(read("auto")).isEqualTo(1365);
        assertThat(read(" Auto ")).isEqualTo(1365);
        assertThat(read("10000")).isEqualTo(10_000);
        assertThat(read("10_000")).isEqualTo(10_000);
        for (String bad : new String[] {"0", "-1", "many", "2.5", "99999999999", ""}) {
            assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(ConfigError.class)
                    .hasMessageContaining("proxywatch.alert.max-incidents")
                    .hasMessageContaining("'" + bad.strip() + "'")
                    .hasMessageContaining(bad.equals("99999999999") ? "auto or a whole number below 2147483647"
                            : "auto or a whole number of at least 1");
        }
    }

    @Test
    void aPortIsOneTo65535() {
        assertThat(new Settings(Map.of("proxywatch.dashboard.port", "65535")::get).port("proxywatch.dashboard.port"))
                .isEqualTo(65535);
        assertThatThrownBy(() -> new Settings(Map.of("proxywatch.dashboard.port", "70000")::get)
                .port("proxywatch.dashboard.port")).isInstanceOf(ConfigError.class)
                .hasMessage("bad value for proxywatch.dashboard.port: '70000' (expected a TCP port, 1 to 65535)");
        assertThatThrownBy(() -> new Settings(Map.of("proxywatch.alert.mail.port", "0")::get)
                .port("proxywatch.alert.mail.port")).isInstanceOf(ConfigError.class);
    }
}
