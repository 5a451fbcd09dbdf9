package io.proxywatch.e2e;

import io.proxywatch.testkit.FreePort;
import io.proxywatch.testkit.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * /metrics and /health from the shaded jar as its own process: Micrometer and the Prometheus client must survive
 * shading, and Prometheus' usual set-up (a bearer token) must get in.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MetricsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path tmp;

    private static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void prometheusScrapesTheJarWithABearerTokenAndProbesReachHealth() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Path log = logs.resolve("caddy.log");
        Files.writeString(log, "{\"level\":\"info\",\"ts\":1764072000.1,\"logger\":\"http.log.access\","
                + "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"203.0.113.9\",\"method\":\"GET\","
                + "\"uri\":\"/item?id=1%27%20UNION%20SELECT%20password%20FROM%20users--\"},\"status\":200,"
                + "\"duration\":0.002,\"size\":12}\n"
                + "{\"level\":\"info\",\"ts\":1764072000.2,\"logger\":\"http.log.access\",\"msg\":\"handled request\","
                + "\"request\":{\"remote_ip\":\"198.51.100.1\",\"method\":\"GET\",\"uri\":\"/\"},\"status\":502,"
                + "\"duration\":0.7,\"size\":12}\n", StandardCharsets.UTF_8);
        int port = FreePort.next();
        try (JarProcess jar = JarProcess.builder("metrics").workDir(tmp)
                .property("proxywatch.input.paths", logs + "/*.log")
                .property("proxywatch.input.start-at", "beginning")
                .property("proxywatch.data-dir", tmp.resolve("data"))
                .property("proxywatch.levels.dir", tmp.resolve("out"))
                .property("proxywatch.dashboard.port", port)
                .env("PROXYWATCH_DASHBOARD_PASSWORD", "scrape-me")
                .start()) {
            await("/health to answer 200; " + jar.label()).atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> get(port, "/health").statusCode() == 200);

            assertThat(get(port, "/metrics").statusCode()).isEqualTo(401);
            await("both lines counted").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                    PrometheusText.parse(get(port, "/metrics", "Authorization", "Bearer scrape-me").body())
                            .value("proxywatch_lines_read_total", "file", log.toString()) == 2);
            HttpResponse<String> r = get(port, "/metrics", "Authorization", "Bearer scrape-me");
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            PrometheusText p = PrometheusText.parse(r.body());
            assertThat(p.value("proxywatch_requests_total", "status_class", "5xx")).isEqualTo(1);
            assertThat(p.value("proxywatch_detections_total", "category", "sqli")).isEqualTo(1);
            assertThat(p.value("proxywatch_request_duration_seconds_count")).isEqualTo(2);
            assertThat(p.types()).containsKey("jvm_memory_used_bytes");

            HttpResponse<String> health = get(port, "/health");
            assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("scrape-me");
            assertThat(jar.output()).doesNotContain("scrape-me");
        }
    }
}
