package io.proxywatch.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged routes and wiring, in-process, on real files: tail -> parse -> level files. */
class PipelineTest {
    @TempDir
    Path dir;

    private InProcessPipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private void start() {
        pipeline = InProcessPipeline.start(dir);
    }

    private io.proxywatch.config.Progress progress() {
        return pipeline.bean("progress", io.proxywatch.config.Progress.class);
    }

    private List<JsonNode> records(String file) throws IOException {
        return InProcessPipeline.jsonLines(dir, file);
    }

    private void append(String text) throws IOException {
        InProcessPipeline.append(dir, "app.log", text);
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
        await().atMost(Duration.ofSeconds(20)).until(() -> progress().files().stream().anyMatch(f -> f.linesRead() >= 1));
        assertThat(progress().files().get(0).committedOffset()).isZero();
        Files.delete(out);
        await().atMost(Duration.ofSeconds(30)).until(() -> records("info.log").size() == 1);
        assertThat(records("info.log").get(0).get("message").asText()).isEqualTo("kept");
    }
}
