package io.proxywatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxywatch.Application;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged routes and wiring, in-process, on real files: tail -> parse -> level files. */
class PipelineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Main main;

    @AfterEach
    void stop() {
        if (main != null) {
            main.stop();
        }
    }

    private void start() {
        main = Application.newMain(null);
        main.addOverrideProperty("proxywatch.input.paths", dir.resolve("logs").toString() + "/*.log");
        main.addOverrideProperty("proxywatch.input.start-at", "beginning");
        main.addOverrideProperty("proxywatch.data-dir", dir.resolve("data").toString());
        main.addOverrideProperty("proxywatch.levels.dir", dir.resolve("out").toString());
        main.addOverrideProperty("proxywatch.input.rescan-interval-ms", "100");
        main.start();
    }

    private io.proxywatch.config.Progress progress() {
        return main.getCamelContext().getRegistry().lookupByNameAndType("progress", io.proxywatch.config.Progress.class);
    }

    private List<JsonNode> records(String file) throws IOException {
        Path p = dir.resolve("out").resolve(file);
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(p)) {
            return out;
        }
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private void append(String text) throws IOException {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("app.log"), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    @Test
    void linesOfEveryLevelReachTheirLevelFiles() throws Exception {
        append("{\"timestamp\":\"2026-11-25T12:00:00Z\",\"level\":\"INFO\",\"service\":\"gw\",\"message\":\"ok\",\"trace_id\":\"t1\"}\n"
                + "{\"time\":\"2026-11-25T12:00:01Z\",\"level\":\"WARN\",\"msg\":\"slow\"}\n"
                + "{\"level\":\"error\",\"ts\":1764072000.5,\"caller\":\"main.go:1\",\"msg\":\"boom\"}\n"
                + "{\"level\":\"debug\",\"time\":\"2026-11-25T12:00:02Z\",\"message\":\"detail\"}\n"
                + "not json at all {\n");
        start();
        await().atMost(Duration.ofSeconds(20)).until(() -> records("info.log").size() == 3
                && records("warn.log").size() == 1 && records("error.log").size() == 1);
        JsonNode first = records("info.log").get(0);
        assertThat(first.get("trace_id").asText()).isEqualTo("t1");
        assertThat(first.get("service").asText()).isEqualTo("gw");
        assertThat(first.get("source").get("offset").asLong()).isZero();
        assertThat(first.get("source").get("file").asText()).endsWith("app.log");
        assertThat(records("warn.log").get(0).get("message").asText()).isEqualTo("slow");
        assertThat(records("error.log").get(0).get("message").asText()).isEqualTo("boom");
        JsonNode junk = records("info.log").get(2);
        assertThat(junk.get("parse_error").asBoolean()).isTrue();
        assertThat(junk.get("message").asText()).isEqualTo("not json at all {");
    }

    @Test
    void anUnwritableLevelFolderDelaysLinesButLosesNone() throws Exception {
        Path out = dir.resolve("out");
        Files.writeString(out, "a file where the folder should be"); // every append fails
        append("{\"level\":\"info\",\"msg\":\"kept\"}\n");
        start();
        // the chunk has been read and handed on: its append is failing now, since the folder cannot exist
        await().atMost(Duration.ofSeconds(20)).until(() -> main.getCamelContext() != null
                && progress().files().stream().anyMatch(f -> f.linesRead() >= 1));
        assertThat(progress().files().get(0).committedOffset()).isZero();
        Files.delete(out);
        await().atMost(Duration.ofSeconds(30)).until(() -> records("info.log").size() == 1);
        assertThat(records("info.log").get(0).get("message").asText()).isEqualTo("kept");
    }
}
