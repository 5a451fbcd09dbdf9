package io.proxywatch.config;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingLayersTest {
    private final KnownSettings known = KnownSettings.load();

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void eachLayerOverridesTheOneBelow() {
        String key = "proxywatch.levels.dir";
        assertThat(SettingLayers.merge(known, null, Map.of(), props()).getProperty(key)).isEqualTo("./out");
        Properties file = props(key, "/from/file", "camel.main.name", "x");
        assertThat(SettingLayers.merge(known, file, Map.of(), props()).getProperty(key)).isEqualTo("/from/file");
        Map<String, String> env = Map.of("PROXYWATCH_LEVELS_DIR", "/from/env");
        assertThat(SettingLayers.merge(known, file, env, props()).getProperty(key)).isEqualTo("/from/env");
        Properties merged = SettingLayers.merge(known, file, env, props(key, "/from/system"));
        assertThat(merged.getProperty(key)).isEqualTo("/from/system");
        assertThat(merged.getProperty("camel.main.name")).isEqualTo("x");
    }

    @Test
    void everyPackagedKeyHasADefaultAndADoc() {
        assertThat(known.options()).hasSizeGreaterThan(20);
        for (KnownSettings.Option o : known.options()) {
            assertThat(o.doc()).as(o.key()).isNotBlank();
        }
        assertThat(known.keyForEnv("PROXYWATCH_INPUT_PATHS")).isEqualTo("proxywatch.input.paths");
        assertThat(known.keyForEnv("PROXYWATCH_DATA_DIR")).isEqualTo("proxywatch.data-dir");
    }

    /**
     * A key whose prefix is not quite "proxywatch." (a letter off, another case, underscores, a space before the
     * dot) is refused like an unknown key; such keys were not checked, so the setting kept its default silently.
     */
    @Test
    void aMisspelledPrefixIsRefusedToo() {
        UnknownKeyCheck check = new UnknownKeyCheck(known);
        for (String key : new String[] {"proxywach.alert.wecom.url", "Proxywatch.alert.mail.to",
                "proxywatch_alert_mail_to", "proxywatch"}) {
            assertThatThrownBy(() -> check.check(props(key, "x"), java.nio.file.Path.of("/etc/pw.properties"), props(),
                    Map.of())).as(key).hasMessageContaining("'" + key + "'").hasMessageContaining("/etc/pw.properties")
                    .hasMessageContaining("settings start with 'proxywatch.'");
        }
        assertThatThrownBy(() -> check.check(props("Proxywatch.alert.mail.to", "x"), null, props(), Map.of()))
                .hasMessageContaining("did you mean proxywatch.alert.mail.to");
        assertThatThrownBy(() -> check.check(null, null, props("proxywach.levels.dir", "x"), Map.of()))
                .hasMessageContaining("-Dproxywach.levels.dir");
        check.check(props("camel.main.name", "x", "process.name", "y"), null, props("java.home", "/x"), Map.of());
    }

    @Test
    void unknownKeysAreRefusedWithWhereTheyCameFromAndASuggestion() {
        UnknownKeyCheck check = new UnknownKeyCheck(known);
        assertThatThrownBy(() -> check.check(props("proxywatch.levels.dirr", "x"), java.nio.file.Path.of("/etc/pw.properties"),
                props(), Map.of()))
                .hasMessageContaining("proxywatch.levels.dirr").hasMessageContaining("/etc/pw.properties")
                .hasMessageContaining("did you mean proxywatch.levels.dir");
        assertThatThrownBy(() -> check.check(null, null, props("proxywatch.input.pathz", "x"), Map.of()))
                .hasMessageContaining("-Dproxywatch.input.pathz");
        assertThatThrownBy(() -> check.check(null, null, props(), Map.of("PROXYWATCH_NOPE", "1")))
                .hasMessageContaining("PROXYWATCH_NOPE");
        check.check(props("camel.main.name", "x"), null, props("java.home", "/x"), Map.of("PATH", "/bin"));
    }

    @Test
    void badValuesNameTheKeyAndTheValue() {
        Settings s = new Settings(Map.of("a.start", "middle", "a.n", "-3", "a.cs", "NOPE-8", "a.re", "(")::get);
        assertThatThrownBy(() -> s.oneOf("a.start", java.util.List.of("end", "beginning")))
                .hasMessageContaining("a.start").hasMessageContaining("'middle'");
        assertThatThrownBy(() -> s.longAtLeast("a.n", 0)).hasMessageContaining("a.n").hasMessageContaining("'-3'");
        assertThatThrownBy(() -> s.charset("a.cs")).hasMessageContaining("NOPE-8");
        assertThatThrownBy(() -> s.patternOrNull("a.re")).hasMessageContaining("a.re");
    }
}
