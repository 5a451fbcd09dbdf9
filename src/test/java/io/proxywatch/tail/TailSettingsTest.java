package io.proxywatch.tail;

import io.proxywatch.config.ConfigError;
import io.proxywatch.config.KnownSettings;
import io.proxywatch.config.ProxywatchConfiguration;
import io.proxywatch.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TailSettingsTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    @Test
    void autoInFlightFollowsTheHeapBetweenTwoAndSixteen() {
        assertThat(TailSettings.inFlightForHeap(64 * MIB)).isEqualTo(4);
        assertThat(TailSettings.inFlightForHeap(96 * MIB)).isEqualTo(6);
        assertThat(TailSettings.inFlightForHeap(192 * MIB)).isEqualTo(12);
        assertThat(TailSettings.inFlightForHeap(256 * MIB)).isEqualTo(16);
        assertThat(TailSettings.inFlightForHeap(128 * MIB)).isEqualTo(8);
        // what the parallel collector reports for -Xmx256m and -Xmx64m (JDK 17): a survivor space short
        assertThat(TailSettings.inFlightForHeap(257_425_408)).isEqualTo(16);
        assertThat(TailSettings.inFlightForHeap(64_487_424)).isEqualTo(4);
        // what the serial collector reports for -Xmx128m and -Xmx64m: a survivor space short
        assertThat(TailSettings.inFlightForHeap(128 * MIB - 4_456_448)).isEqualTo(8);
        assertThat(TailSettings.inFlightForHeap(64 * MIB - 2_228_224)).isEqualTo(4);
        assertThat(TailSettings.inFlightForHeap(32 * MIB)).isEqualTo(2);
        assertThat(TailSettings.inFlightForHeap(20 * MIB)).isEqualTo(2);
        assertThat(TailSettings.inFlightForHeap(6L << 30)).isEqualTo(16);
    }

    @Test
    void autoInFlightBytesAreASixteenthOfTheHeapBetweenOneAndSixtyFourMebibytes() {
        assertThat(TailSettings.inFlightBytesForHeap(64 * MIB)).isEqualTo(4 * MIB);
        assertThat(TailSettings.inFlightBytesForHeap(256 * MIB)).isEqualTo(16 * MIB);
        assertThat(TailSettings.inFlightBytesForHeap(8 * MIB)).isEqualTo(MIB);
        assertThat(TailSettings.inFlightBytesForHeap(8L << 30)).isEqualTo(64 * MIB);
    }

    @Test
    void aChunksShareOfTheBytesIsAtLeast64KiB() {
        TailSettings s = ProxywatchConfiguration.tailSettings(new Settings(defaults(Map.of(
                "proxywatch.input.max-in-flight-chunks", "4", "proxywatch.input.max-in-flight-bytes", "4194304"))::get));
        assertThat(s.maxInFlightBytes()).isEqualTo(4 * MIB);
        assertThat(s.chunkMaxBytes()).isEqualTo(MIB);
        TailSettings tiny = ProxywatchConfiguration.tailSettings(new Settings(defaults(Map.of(
                "proxywatch.input.max-in-flight-chunks", "16", "proxywatch.input.max-in-flight-bytes", "1000"))::get));
        assertThat(tiny.chunkMaxBytes()).isEqualTo(64 << 10);
        assertThatThrownBy(() -> ProxywatchConfiguration.tailSettings(new Settings(defaults(Map.of(
                "proxywatch.input.max-in-flight-bytes", "4M"))::get))).isInstanceOf(ConfigError.class)
                .hasMessageContaining("proxywatch.input.max-in-flight-bytes").hasMessageContaining("auto");
    }

    /** A folder names no file: refused at start, with the pattern that would match the logs in it. */
    @Test
    void aFolderGivenForAGlobIsRefused() throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("logs"));
        assertThatThrownBy(() -> ProxywatchConfiguration.tailSettings(new Settings(defaults(Map.of(
                "proxywatch.input.paths", dir.resolve("logs").toString()))::get))).isInstanceOf(ConfigError.class)
                .hasMessageContaining("proxywatch.input.paths").hasMessageContaining(dir.resolve("logs") + "/*.log");
    }

    private Map<String, String> defaults(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        KnownSettings.load().options().forEach(o -> values.put(o.key(), o.defaultValue()));
        values.put("proxywatch.input.paths", dir.resolve("logs") + "/*.log");
        values.put("proxywatch.data-dir", dir.resolve("state").toString());
        values.putAll(overrides);
        return values;
    }

    @Test
    void inFlightIsAutoByDefaultOrTheNumberGivenAndAnythingElseNamesTheKey() {
        assertThat(inFlight(null)).isEqualTo(TailSettings.inFlightForHeap(Runtime.getRuntime().maxMemory()));
        assertThat(inFlight("AUTO")).isEqualTo(TailSettings.inFlightForHeap(Runtime.getRuntime().maxMemory()));
        assertThat(inFlight("3")).isEqualTo(3);
        assertThat(inFlight(" 40 ")).isEqualTo(40);
        for (String bad : new String[] {"0", "-2", "lots", "2.5"}) {
            assertThatThrownBy(() -> inFlight(bad)).isInstanceOf(ConfigError.class)
                    .hasMessageContaining("proxywatch.input.max-in-flight-chunks").hasMessageContaining("auto");
        }
    }

    private int inFlight(String value) {
        Map<String, String> values = new HashMap<>();
        KnownSettings.load().options().forEach(o -> values.put(o.key(), o.defaultValue()));
        values.put("proxywatch.input.paths", dir.resolve("logs") + "/*.log");
        values.put("proxywatch.data-dir", dir.resolve("state").toString());
        if (value != null) {
            values.put("proxywatch.input.max-in-flight-chunks", value);
        }
        return ProxywatchConfiguration.tailSettings(new Settings(values::get)).maxInFlightChunks();
    }
}
