package io.proxywatch.testkit;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class BenchCollectorTest {
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
        threads.shutdownNow();
    }

    /** Starts a collector answering each batch {@code delayMs} after it arrived; returns its base URL. */
    private String start(long delayMs) throws IOException {
        server = BenchCollector.start(0, threads, delayMs);
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void aDelayedCollectorAnswersEachBatchThatLongAfterItArrived() throws Exception {
        // a delay long enough that a /stats answered in time on a loaded machine cannot be mistaken for a delayed one
        String base = start(1_500);
        long start = System.nanoTime();
        assertThat(ingest(base, "{\"trace_id\":\"t-0\"}\n")).isEqualTo("{\"accepted\":1}");
        assertThat(System.nanoTime() - start).as("answered after the delay").isGreaterThanOrEqualTo(1_490_000_000L);
        // counted on arrival, not when answered; /stats itself is not delayed
        start = System.nanoTime();
        assertThat(stats(base, 1, 1000).get(20, TimeUnit.SECONDS)).contains("\"distinct\":1,");
        assertThat(System.nanoTime() - start).isLessThan(1_490_000_000L);
    }

    @Test
    void aStatsRequestWithWaitDistinctAnswersOnceThatManyIdsHaveArrived() throws Exception {
        String base = start(0);
        CompletableFuture<String> waiting = stats(base, 2, 30_000);
        awaitWaiting(base, 1);
        assertThat(waiting).as("answered before the ids arrived").isNotDone();

        assertThat(ingest(base, "{\"trace_id\":\"t-0\"}\n{\"trace_id\":\"t-1\"}\n")).isEqualTo("{\"accepted\":2}");
        assertThat(waiting.get(20, TimeUnit.SECONDS)).contains("\"distinct\":2,");

        // two waiting at once, for different counts: each is answered when its own count arrives
        CompletableFuture<String> forThree = stats(base, 3, 30_000);
        CompletableFuture<String> forFour = stats(base, 4, 30_000);
        awaitWaiting(base, 2);
        assertThat(forThree).isNotDone();
        ingest(base, "{\"trace_id\":\"t-2\"}\n");
        assertThat(forThree.get(20, TimeUnit.SECONDS)).contains("\"distinct\":3,");
        assertThat(forFour).isNotDone();
        ingest(base, "{\"trace_id\":\"t-3\"}\n");
        assertThat(forFour.get(20, TimeUnit.SECONDS)).contains("\"distinct\":4,");

        // nothing more comes: answered after wait_ms with what there is
        long start = System.nanoTime();
        String timedOut = stats(base, 5, 200).get(20, TimeUnit.SECONDS);
        assertThat(timedOut).contains("\"distinct\":4,");
        assertThat(System.nanoTime() - start).as("waited wait_ms").isGreaterThanOrEqualTo(190_000_000L);
    }

    /**
     * Returns once the collector says {@code n} /stats requests are waiting: a collector that answers them at once
     * never gets there.
     */
    private void awaitWaiting(String base, int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> stats(base).contains("\"waiting\":" + n + ","));
    }

    private String stats(String base) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/stats?expect=0")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private CompletableFuture<String> stats(String base, int distinct, int waitMs) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/stats?expect=0&wait_distinct=" + distinct
                        + "&wait_ms=" + waitMs)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString()).thenApply(HttpResponse::body);
    }

    private String ingest(String base, String ndjson) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/ingest")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void readsTheUtcFormLikeInstantParse() {
        Random rnd = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            Instant t = Instant.ofEpochSecond(rnd.nextInt(2_000_000_000), rnd.nextInt(1_000_000_000));
            String full = t.toString(); // 0, 3, 6 or 9 fraction digits
            assertThat(BenchCollector.utcMillis(full)).as(full).isEqualTo(t.toEpochMilli());
            String millis = Instant.ofEpochMilli(t.toEpochMilli()).toString();
            assertThat(BenchCollector.utcMillis(millis)).as(millis).isEqualTo(t.toEpochMilli());
        }
        assertThat(BenchCollector.utcMillis("2026-11-25T12:00:01.5Z")).isEqualTo(Instant.parse("2026-11-25T12:00:01.5Z").toEpochMilli());
        assertThat(BenchCollector.utcMillis("2026-11-25T12:00:01.12Z")).isEqualTo(Instant.parse("2026-11-25T12:00:01.12Z").toEpochMilli());
    }

    @Test
    void otherFormsAreLeftToJavaTime() {
        for (String s : new String[] {"2026-11-25T12:00:01+08:00", "2026-11-25 12:00:01Z", "2026-02-30T12:00:01Z",
                "2026-11-25T24:00:01Z", "2026-11-25T12:00:01.Z", "2026-11-25T12:00:0xZ", "12:00:01Z", ""}) {
            assertThat(BenchCollector.utcMillis(s)).as(s).isEqualTo(Integer.MIN_VALUE);
        }
        assertThat(BenchCollector.millis("2026-11-25T20:00:01+08:00"))
                .isEqualTo(Instant.parse("2026-11-25T12:00:01Z").toEpochMilli());
    }

    private static BenchCollector.Rec scan(String json, int depth, int expected) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        BenchCollector.Rec rec = new BenchCollector.Rec();
        assertThat(BenchCollector.Records.scan(b, 0, b.length, depth, rec)).isEqualTo(expected);
        assertThat(rec.size).isEqualTo(expected);
        return rec;
    }

    @Test
    void readsTraceIdAndTimestampOfEachRecordWhateverTheOtherFieldsHold() throws IOException {
        BenchCollector.Rec rec = scan("{\"hostname\":\"h\",\"logs\":["
                + "{\"timestamp\":\"2026-11-25T12:00:01.123Z\",\"message\":\"a } ] { [ \\\"trace_id\\\":\\\"t-9\\\"\","
                + "\"threat\":{\"rule\":\"r\",\"trace_id\":\"nested\"},\"trace_id\":\"t-1\"},"
                + "{ \"trace_id\" : \"t-\\u0032\" , \"tags\":[1,{\"timestamp\":\"x\"}]},"
                + "{\"message\":\"no id\"}]}", 3, 3);
        assertThat(Arrays.copyOf(rec.traces, 3)).containsExactly("t-1", "t-2", null);
        assertThat(rec.times[0]).isEqualTo(Instant.parse("2026-11-25T12:00:01.123Z").toEpochMilli());
        assertThat(rec.times[1]).as("a nested timestamp is not the record's").isEqualTo(rec.times[2]);

        BenchCollector.Rec line = scan("{\"trace_id\":\"t-7\",\"msg\":\"\u4e2d\u6587 {\"}", 1, 1);
        assertThat(line.traces[0]).isEqualTo("t-7");
    }

    @Test
    void anEnvelopeIsToldFromNdjsonByItsFirstKey() throws IOException {
        assertThat(envelope("{\"hostname\":\"h\",\"service\":null,\"logs\":[{\"trace_id\":\"t-1\"}]}")).isTrue();
        assertThat(envelope(" \n{ \"logs\" :[]}")).isTrue();
        assertThat(envelope("{\"timestamp\":\"x\",\"trace_id\":\"t-1\"}\n{\"trace_id\":\"t-2\"}\n")).isFalse();
        // one line of NDJSON labelled application/json (syslog-ng's last batch) is not an envelope either
        assertThat(envelope("{\"timestamp\":\"x\",\"trace_id\":\"t-1\"}")).isFalse();
        assertThat(envelope("{\"host\\\"name\":1}")).isFalse();
        assertThat(envelope("[{\"hostname\":\"h\"}]")).isFalse();
        assertThat(envelope("")).isFalse();
        assertThatThrownBy(() -> envelope("{\"hostname")).isInstanceOf(IOException.class)
                .hasMessageContaining("unterminated");
    }

    private static boolean envelope(String body) throws IOException {
        return BenchCollector.opensEnvelope(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void truncatedOrUnbalancedJsonIsAnError() {
        assertThatThrownBy(() -> scan("{\"logs\":[{\"trace_id\":\"t-1\"}", 3, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("open");
        assertThatThrownBy(() -> scan("{\"trace_id\":\"t-1}", 1, 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("unterminated");
        assertThatThrownBy(() -> scan("{}}", 1, 1)).isInstanceOf(IOException.class).hasMessageContaining("unbalanced");
    }
}
