package io.proxywatch.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxywatch.testkit.PrometheusText;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** /metrics on the running routes: a real log in, a real scrape out, parsed as Prometheus would. */
class MetricsEndpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private InProcessPipeline pipeline;
    private int lineNo;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** A Caddy access line (JSON) with this status, duration in seconds and request URI. */
    private String access(int status, double seconds, String uri) {
        lineNo++;
        return "{\"level\":\"info\",\"ts\":1764072000." + lineNo + ",\"logger\":\"http.log.access\","
                + "\"msg\":\"handled request\",\"request\":{\"remote_ip\":\"198.51.100." + lineNo
                + "\",\"method\":\"GET\",\"uri\":" + JSON.valueToTree(uri) + "},\"status\":" + status
                + ",\"duration\":" + seconds + ",\"size\":12}\n";
    }

    private PrometheusText scrape(WebClient web) throws Exception {
        HttpResponse<String> r = web.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }

    @Test
    void aScrapeCountsTheLinesRequestsAndAttacksThatPassed() throws Exception {
        InProcessPipeline.append(dir, "caddy.log", access(200, 0.002, "/")
                + access(200, 0.003, "/a")
                + access(301, 0.02, "/old")
                + access(404, 0.3, "/missing")
                + access(503, 12.5, "/slow")
                + access(200, 0.004, "/search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--")
                + "{\"level\":\"warn\",\"msg\":\"upstream slow\"}\n"
                + "not a log line at all {\n");
        pipeline = InProcessPipeline.start(dir);
        WebClient web = new WebClient(pipeline);
        String file = dir.resolve("logs").resolve("caddy.log").toString();

        // the lag falls to 0 when the chunk is checkpointed, after the counters further up the pipeline
        await().atMost(Duration.ofSeconds(20)).until(() ->
                scrape(web).find("proxywatch_lines_read_total", "file", file).stream().anyMatch(s -> s.value() == 8)
                        && scrape(web).find("proxywatch_requests_total", "status_class", "2xx").stream()
                        .anyMatch(s -> s.value() == 3)
                        && scrape(web).find("proxywatch_file_lag_bytes", "file", file).stream()
                        .anyMatch(s -> s.value() == 0));
        PrometheusText p = scrape(web);
        assertThat(p.value("proxywatch_lines_read_total", "file", file)).isEqualTo(8);
        assertThat(p.value("proxywatch_file_lag_bytes", "file", file)).isZero();
        assertThat(p.value("proxywatch_parse_errors_total")).isEqualTo(1);
        assertThat(p.value("proxywatch_requests_total", "status_class", "2xx")).isEqualTo(3);
        assertThat(p.value("proxywatch_requests_total", "status_class", "3xx")).isEqualTo(1);
        assertThat(p.value("proxywatch_requests_total", "status_class", "4xx")).isEqualTo(1);
        assertThat(p.value("proxywatch_requests_total", "status_class", "5xx")).isEqualTo(1);
        assertThat(p.value("proxywatch_requests_total", "status_class", "other")).isZero();
        assertThat(p.value("proxywatch_request_duration_seconds_count")).isEqualTo(6);
        assertThat(p.value("proxywatch_request_duration_seconds_bucket", "le", "0.005")).isEqualTo(3);
        assertThat(p.value("proxywatch_request_duration_seconds_bucket", "le", "10.0")).isEqualTo(5);
        assertThat(p.value("proxywatch_detections_total", "category", "sqli")).isEqualTo(1);
        assertThat(p.value("proxywatch_records_shipped_total")).as("shipping is off").isZero();
        assertThat(p.value("proxywatch_collector_up")).isZero();
    }

    @Test
    void metricsNeedTheDashboardCredentialsHealthDoesNot() throws Exception {
        pipeline = InProcessPipeline.start(dir, "proxywatch.dashboard.password", "s3cret-pw");
        WebClient web = new WebClient(pipeline);

        HttpResponse<String> anonymous = web.get("/metrics");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).doesNotContain("proxywatch_");
        assertThat(web.get("/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);

        HttpResponse<String> bearer = web.get("/metrics", "Authorization", "Bearer s3cret-pw", "Accept",
                "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(bearer.statusCode()).isEqualTo(200);
        assertThat(bearer.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(PrometheusText.parse(bearer.body()).types()).containsKey("proxywatch_parse_errors_total");
        assertThat(bearer.headers().map().keySet()).as("request headers are not echoed back")
                .noneMatch(h -> h.equalsIgnoreCase("Authorization") || h.equalsIgnoreCase("Accept"));

        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("proxywatch:s3cret-pw".getBytes());
        HttpResponse<String> open = web.get("/metrics", "Authorization", basic, "Accept",
                "application/openmetrics-text;version=1.0.0");
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(open.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/openmetrics-text");
        assertThat(open.body()).endsWith("# EOF\n");
        PrometheusText.parse(open.body());

        HttpResponse<String> health = web.get("/health");
        assertThat(health.statusCode()).as("probes need no credentials").isEqualTo(200);
        assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("UP");
        assertThat(health.body()).doesNotContain("s3cret-pw");
        for (String part : List.of("/health/live", "/health/ready")) {
            assertThat(web.get(part).statusCode()).as(part).isEqualTo(200);
        }
    }
}
