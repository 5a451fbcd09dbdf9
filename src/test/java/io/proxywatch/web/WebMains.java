package io.proxywatch.web;

import io.proxywatch.Application;
import org.apache.camel.main.Main;

import java.nio.file.Path;

/** Camel Main for the web tests: logs, data and output under {@code dir}, the dashboard on {@code port}. */
final class WebMains {
    private WebMains() {
    }

    /** Not started yet; {@code settings} are key, value, key, value, ... over the test defaults. */
    static Main of(Path dir, int port, String... settings) {
        Main main = Application.newMain();
        main.addOverrideProperty("proxywatch.input.paths", dir.resolve("logs") + "/*.log");
        main.addOverrideProperty("proxywatch.data-dir", dir.resolve("data").toString());
        main.addOverrideProperty("proxywatch.levels.dir", dir.resolve("out").toString());
        main.addOverrideProperty("proxywatch.dashboard.port", String.valueOf(port));
        for (int i = 0; i + 1 < settings.length; i += 2) {
            main.addOverrideProperty(settings[i], settings[i + 1]);
        }
        return main;
    }
}
