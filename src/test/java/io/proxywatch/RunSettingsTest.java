package io.proxywatch;

import io.proxywatch.config.ConfigError;
import io.proxywatch.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a run's settings came from. */
class RunSettingsTest {
    @TempDir
    Path dir;

    /** A bad value's error says which layer set it: the one the operator must edit. */
    @Test
    void aBadValuesErrorNamesWhereItWasSet() {
        ConfigError bad = Settings.bad("proxywatch.input.poll-interval-ms",
                "abc", "a whole number of at least 1");
        Path config = dir.resolve("proxywatch.properties");
        Properties file = new Properties();
        file.setProperty("proxywatch.input.poll-interval-ms", "10s");
        Properties system = new Properties();
        Map<String, String> env = Map.of("PROXYWATCH_INPUT_POLL_INTERVAL_MS", "abc");
        assertThat(RunSettings.withOrigin(bad, config, file, env, system).getMessage())
                .endsWith("; set by environment variable PROXYWATCH_INPUT_POLL_INTERVAL_MS");
        assertThat(RunSettings.withOrigin(bad, config, file, Map.of(), system).getMessage())
                .endsWith("; set by --config " + config);
        system.setProperty("proxywatch.input.poll-interval-ms", "abc");
        assertThat(RunSettings.withOrigin(bad, config, file, env, system).getMessage())
                .endsWith("; set by -Dproxywatch.input.poll-interval-ms");
        assertThat(RunSettings.withOrigin(new ConfigError("something else"), config, file, env,
                system).getMessage()).isEqualTo("something else");
    }
}
