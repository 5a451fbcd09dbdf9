package io.proxywatch.demo;

import io.proxywatch.config.CommandLine;
import io.proxywatch.config.KnownSettings;
import io.proxywatch.config.SettingLayers;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class DemoSettingsTest {
    private static final Path FOLDER = Path.of(System.getProperty("java.io.tmpdir"), "proxywatch-demo123").toAbsolutePath();
    private final KnownSettings known = KnownSettings.load();

    @Test
    void everyDemoKeyIsAKnownSetting() {
        assertThat(DemoSettings.forFolder(FOLDER).keySet()).allMatch(known::isKnown);
    }

    @Test
    void everythingTheDemoWritesIsUnderItsFolderWhateverTheWorkingDirectory() {
        Map<String, String> demo = DemoSettings.forFolder(FOLDER);
        String root = FOLDER.toString().replace('\\', '/');
        for (String key : new String[]{"proxywatch.input.paths", "proxywatch.data-dir", "proxywatch.levels.dir",
                "proxywatch.alert.log-file"}) {
            assertThat(demo.get(key)).as(key).startsWith(root + "/");
            assertThat(Path.of(demo.get(key).replace("*", "x")).isAbsolute()).as(key).isTrue();
        }
        assertThat(demo.get("proxywatch.input.start-at")).isEqualTo("beginning");
    }

    @Test
    void shippingAndEveryChannelButTheLogAreOff() {
        Map<String, String> demo = DemoSettings.forFolder(FOLDER);
        assertThat(demo.get("proxywatch.ship.url")).isEmpty();
        for (String severity : new String[]{"critical", "high", "warning", "info"}) {
            assertThat(demo.get("proxywatch.alert.route." + severity)).isEqualTo("log");
        }
        assertThat(demo.get("proxywatch.alert.wecom.url")).isEmpty();
        assertThat(demo.get("proxywatch.alert.mail.host")).isEmpty();
        // every channel's URL and URL file, and the fleet: the environment's real ones must not be used
        for (String key : new String[]{"wecom", "webhook", "dingtalk", "feishu"}) {
            assertThat(demo.get("proxywatch.alert." + key + ".url")).as(key).isEmpty();
            assertThat(demo.get("proxywatch.alert." + key + ".url-file")).as(key).isEmpty();
        }
        assertThat(demo.get("proxywatch.fleet.redis-url")).isEmpty();
    }

    @Test
    void demoValuesBeatTheEnvironmentAndConfigFileButNotMinusD() {
        Properties config = new Properties();
        config.setProperty("proxywatch.levels.dir", "/from/config");
        Map<String, String> env = Map.of("PROXYWATCH_SHIP_URL", "https://collector.example.com/logs",
                "PROXYWATCH_ALERT_WECOM_URL", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=real");
        Properties system = new Properties();
        system.setProperty("proxywatch.dashboard.port", "9191");
        system.setProperty("proxywatch.alert.group-wait-ms", "500");
        Properties settings = SettingLayers.merge(known, config, env, system);

        DemoSettings.overlay(settings, DemoSettings.forFolder(FOLDER), system);

        assertThat(settings.getProperty("proxywatch.ship.url")).isEmpty();
        assertThat(settings.getProperty("proxywatch.alert.wecom.url")).isEmpty();
        assertThat(settings.getProperty("proxywatch.levels.dir")).isEqualTo(FOLDER.toString().replace('\\', '/') + "/out");
        assertThat(settings.getProperty("proxywatch.alert.group-wait-ms")).isEqualTo("500");
        assertThat(settings.getProperty("proxywatch.dashboard.port")).isEqualTo("9191");
    }

    @Test
    void demoIsACommandLineOptionListedInTheHelp() {
        assertThat(CommandLine.parse(new String[]{"--demo"}).demo()).isTrue();
        assertThat(CommandLine.parse(new String[0]).demo()).isFalse();
        assertThat(CommandLine.usage(known)).contains("--demo");
    }
}
