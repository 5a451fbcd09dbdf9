package io.proxywatch.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A secret from its setting or from its -file, as Docker, systemd and Windows editors hand it over. */
class SecretsTest {
    @TempDir
    Path dir;

    @Test
    void aFilesByteOrderMarkAndLineEndAreNotPartOfTheSecret() throws Exception {
        Path f = dir.resolve("password");
        Files.writeString(f, "\uFEFFs3cret\r\n", StandardCharsets.UTF_8);
        Settings s = new Settings(Map.of("proxywatch.dashboard.password", "",
                "proxywatch.dashboard.password-file", f.toString())::get);
        assertThat(Secrets.read(s, "proxywatch.dashboard.password")).isEqualTo("s3cret");
    }

    @Test
    void bothTheSettingAndItsFileIsAnError() {
        Settings s = new Settings(Map.of("proxywatch.dashboard.password", "x",
                "proxywatch.dashboard.password-file", "/nowhere")::get);
        assertThatThrownBy(() -> Secrets.read(s, "proxywatch.dashboard.password")).isInstanceOf(ConfigError.class)
                .hasMessageNotContaining("x'");
    }
}
