package io.proxywatch.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's files, read from the jar once at start-up and served by name from a fixed list, so a request can
 * name nothing else. ECharts comes from its webjar, bundled in the jar: the page works with no internet.
 */
public final class DashboardAssets {
    /** One file: its bytes and Content-Type. */
    public record Asset(byte[] bytes, String contentType) {
    }

    private static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

    private final Map<String, Asset> assets;

    public DashboardAssets() {
        this.assets = Map.of(
                "index.html", load("dashboard/index.html", "text/html; charset=utf-8"),
                "dashboard.js", load("dashboard/dashboard.js", "text/javascript; charset=utf-8"),
                "dashboard.css", load("dashboard/dashboard.css", "text/css; charset=utf-8"),
                "echarts.min.js", load(ECHARTS, "text/javascript; charset=utf-8"));
    }

    /** The file of that name, or null for any name not on the list. */
    public Asset get(String name) {
        return name == null ? null : assets.get(name);
    }

    private static Asset load(String resource, String contentType) {
        try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + resource + " is missing from the jar");
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource + " from the jar", e);
        }
    }
}
