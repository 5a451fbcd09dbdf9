package io.proxywatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxywatch.Application;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged routes and wiring in the test's JVM, on real files under one folder: the proxy's logs in
 * {@code logs/}, state in {@code data/}, level files and alerts.log in {@code out/}; files read from their beginning.
 */
final class InProcessPipeline implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Main main;

    private InProcessPipeline(Main main) {
        this.main = main;
    }

    /** Starts it with these settings over the test defaults (key, value, key, value, ...). */
    static InProcessPipeline start(Path dir, String... settings) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("proxywatch.input.paths", dir.resolve("logs") + "/*.log");
        s.put("proxywatch.input.start-at", "beginning");
        s.put("proxywatch.data-dir", dir.resolve("data").toString());
        s.put("proxywatch.levels.dir", dir.resolve("out").toString());
        s.put("proxywatch.input.rescan-interval-ms", "100");
        s.put("proxywatch.dashboard.port", String.valueOf(io.proxywatch.testkit.FreePort.next()));
        for (int i = 0; i + 1 < settings.length; i += 2) {
            s.put(settings[i], settings[i + 1]);
        }
        Main main = Application.newMain();
        s.forEach(main::addOverrideProperty);
        main.start();
        return new InProcessPipeline(main);
    }

    /** Appends {@code text} to {@code <dir>/logs/<file>}, creating it (before or after the start). */
    static void append(Path dir, String file, String text) throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve(file), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** Appends INFO lines "line k" with trace id "tk", for k = first .. first + n - 1, to {@code <dir>/logs/<file>}. */
    static void appendNumbered(Path dir, String file, int first, int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int k = first; k < first + n; k++) {
            sb.append("{\"level\":\"info\",\"msg\":\"line ").append(k).append("\",\"trace_id\":\"t").append(k)
                    .append("\"}\n");
        }
        append(dir, file, sb.toString());
    }

    /** The JSON lines of {@code <dir>/out/<file>} (a level file, alerts.log), none while it does not exist. */
    static List<JsonNode> jsonLines(Path dir, String file) throws IOException {
        return jsonLinesOf(dir.resolve("out").resolve(file));
    }

    /**
     * The whole JSON lines of {@code p}, none while it does not exist. A chunk's records reach the file in several
     * writes, so a test polling it may catch the last line half written: that part is left for the next look.
     */
    static List<JsonNode> jsonLinesOf(Path p) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(p)) {
            byte[] bytes = Files.readAllBytes(p);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }

    <T> T bean(String name, Class<T> type) {
        return main.getCamelContext().getRegistry().lookupByNameAndType(name, type);
    }

    Main main() {
        return main;
    }

    @Override
    public void close() {
        main.stop();
    }
}
