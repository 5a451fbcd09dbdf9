package io.proxywatch.demo;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The settings {@code --demo} puts in force: everything under one temp folder, the packaged rules, shipping and
 * every alert channel but alerts.log off, and quicker alert timings so incidents show within seconds.
 *
 * <p>They sit above the packaged defaults, a {@code --config} file and environment variables, and below
 * {@code -D}: an environment is ambient (a service's env file, a shell profile holding a real WeCom key or a
 * collector URL), and demo traffic must never reach a real channel, collector or state folder; a {@code -D} is
 * typed on this very command line, so it wins ({@code -Dproxywatch.dashboard.port=9090}).
 */
public final class DemoSettings {
    private DemoSettings() {
    }

    /** The demo's values for a demo folder holding {@code logs/}, {@code out/} and {@code data/}. */
    public static Map<String, String> forFolder(Path folder) {
        String root = folder.toAbsolutePath().normalize().toString().replace('\\', '/');
        Map<String, String> m = new LinkedHashMap<>();
        m.put("proxywatch.input.paths", root + "/logs/*.log");
        m.put("proxywatch.input.start-at", "beginning");
        m.put("proxywatch.input.format", "auto");
        m.put("proxywatch.input.service", "");
        m.put("proxywatch.data-dir", root + "/data");
        m.put("proxywatch.levels.dir", root + "/out");
        // a demo left running stays small: 3 levels x (1 + 2 rolled) x 5 MiB at most
        m.put("proxywatch.levels.max-file-bytes", "5242880");
        m.put("proxywatch.levels.max-files", "2");
        m.put("proxywatch.rules.file", "");
        m.put("proxywatch.alert.log-file", root + "/out/alerts.log");
        m.put("proxywatch.alert.dead-letter-file", "");
        for (String severity : new String[]{"critical", "high", "warning", "info"}) {
            m.put("proxywatch.alert.route." + severity, "log");
        }
        for (String key : new String[]{"wecom.url", "wecom.url-file", "mail.host", "webhook.url", "webhook.url-file",
                "dingtalk.url", "dingtalk.url-file", "feishu.url", "feishu.url-file"}) {
            m.put("proxywatch.alert." + key, "");
        }
        // incidents show 2 s after their first event; a signature incident resolves a minute after it went quiet,
        // so the next cycle of the script opens it again
        m.put("proxywatch.alert.group-wait-ms", "2000");
        m.put("proxywatch.alert.group-interval-ms", "20000");
        m.put("proxywatch.alert.resolve-timeout-ms", "60000");
        m.put("proxywatch.ship.url", "");
        // the made-up traffic must not count into a real fleet's windows, nor page through its alerts
        m.put("proxywatch.fleet.redis-url", "");
        m.put("proxywatch.progress.interval-ms", "10000");
        return m;
    }

    /** Puts {@code demo} into {@code settings}, except the keys given with -D ({@code system}). */
    public static void overlay(Properties settings, Map<String, String> demo, Properties system) {
        demo.forEach((key, value) -> {
            if (system.getProperty(key) == null) {
                settings.setProperty(key, value);
            }
        });
    }
}
