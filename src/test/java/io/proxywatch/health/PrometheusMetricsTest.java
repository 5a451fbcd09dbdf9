package io.proxywatch.health;

import io.proxywatch.record.LogRecord;
import io.proxywatch.stats.RequestTotals;
import io.proxywatch.tail.FileStatus;
import io.proxywatch.testkit.PrometheusText;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PrometheusMetricsTest {
    private static final String ACCESS = "/var/log/caddy/access.log";
    private final List<FileStatus> files = new ArrayList<>();
    private final RequestTotals requests = new RequestTotals();
    private AgentStatus status;
    private final PrometheusMetrics metrics = new PrometheusMetrics(() -> status, requests);

    PrometheusMetricsTest() {
        files.add(file(ACCESS, 120, 300, false, 1_700_000_000_000L));
        files.add(file("/var/log/app/app.log", 7, 0, false, 1_700_000_001_000L));
        status = status(files);
    }

    private static FileStatus file(String path, long lines, long lag, boolean rotated, long grewMs) {
        return new FileStatus(path, 1000 + lag, 1000, lag, lines, 0, rotated, "UTF-8", grewMs);
    }

    private static AgentStatus status(List<FileStatus> files) {
        return new AgentStatus(1_700_000_005_000L, List.copyOf(files), 3, Map.of("info", 100L, "warn", 20L,
                "error", 4L, "fatal", 0L), true, true, 900, 6, 50, 4096, 1 << 20, 2, 5, 1_700_000_002_000L,
                Map.of("sqli", 2L, "scanner", 1L), 8, 4, Map.of("wecom", 3L), Map.of("mail", 1L), 1 << 20, 1 << 28, 0.1,
                new io.proxywatch.fleet.FleetState("local", "redis://127.0.0.1:6379/0", "edge", "pw-a", 2, 9, 40, 900,
                        1200, 7, 1, 0, "Connection refused"));
    }

    private static LogRecord access(int status, Double latencyMs) {
        LogRecord r = new LogRecord();
        r.setStatus(status);
        r.setLatencyMs(latencyMs);
        return r;
    }

    private PrometheusText scrape() {
        return PrometheusText.parse(metrics.scrape(null));
    }

    @Test
    void everyNameAPrometheusUserWouldGuessIsThereWithItsType() {
        PrometheusText p = scrape();
        assertThat(p.types()).containsEntry("proxywatch_lines_read_total", "counter")
                .containsEntry("proxywatch_parse_errors_total", "counter")
                .containsEntry("proxywatch_file_lag_bytes", "gauge")
                .containsEntry("proxywatch_records_shipped_total", "counter")
                .containsEntry("proxywatch_ship_retries_total", "counter")
                .containsEntry("proxywatch_spool_bytes", "gauge")
                .containsEntry("proxywatch_dead_letter_total", "counter")
                .containsEntry("proxywatch_detections_total", "counter")
                .containsEntry("proxywatch_alerts_sent_total", "counter")
                .containsEntry("proxywatch_requests_total", "counter")
                .containsEntry("proxywatch_request_duration_seconds", "histogram");
        assertThat(p.help()).allSatisfy((name, help) -> assertThat(help).as(name).isNotBlank());
        assertThat(p.types()).as("the JVM's own figures come with Micrometer")
                .containsKey("jvm_memory_used_bytes").containsKey("process_uptime_seconds");
    }

    @Test
    void valuesAreTheAgentsTotals() {
        PrometheusText p = scrape();
        assertThat(p.value("proxywatch_lines_read_total", "file", ACCESS)).isEqualTo(120);
        assertThat(p.value("proxywatch_lines_read_total", "file", "/var/log/app/app.log")).isEqualTo(7);
        assertThat(p.value("proxywatch_file_lag_bytes", "file", ACCESS)).isEqualTo(300);
        assertThat(p.value("proxywatch_file_last_growth_timestamp_seconds", "file", ACCESS)).isEqualTo(1.7e9);
        assertThat(p.value("proxywatch_parse_errors_total")).isEqualTo(3);
        assertThat(p.value("proxywatch_fleet_shared")).as("Redis unreachable: local windows").isEqualTo(0);
        assertThat(p.value("proxywatch_fleet_fallbacks_total")).isEqualTo(2);
        assertThat(p.value("proxywatch_fleet_unshared_requests_total")).isEqualTo(7);
        assertThat(p.value("proxywatch_records_written_total", "level", "warn")).isEqualTo(20);
        assertThat(p.value("proxywatch_records_shipped_total")).isEqualTo(900);
        assertThat(p.value("proxywatch_ship_retries_total")).isEqualTo(6);
        assertThat(p.value("proxywatch_records_spooled_total")).isEqualTo(50);
        assertThat(p.value("proxywatch_spool_bytes")).isEqualTo(4096);
        assertThat(p.value("proxywatch_spool_max_bytes")).isEqualTo(1 << 20);
        assertThat(p.value("proxywatch_spool_batches")).isEqualTo(2);
        assertThat(p.value("proxywatch_dead_letter_total")).isEqualTo(5);
        assertThat(p.value("proxywatch_collector_up")).as("collector down").isZero();
        assertThat(p.value("proxywatch_last_delivery_timestamp_seconds")).isEqualTo(1_700_000_002);
        assertThat(p.value("proxywatch_detections_total", "category", "sqli")).isEqualTo(2);
        assertThat(p.value("proxywatch_detections_total", "category", "scanner")).isEqualTo(1);
        assertThat(p.value("proxywatch_alerts_sent_total", "channel", "wecom")).isEqualTo(3);
        assertThat(p.value("proxywatch_alerts_dead_letter_total", "channel", "mail")).isEqualTo(1);
        assertThat(p.value("proxywatch_alert_events_total")).isEqualTo(4);
        assertThat(p.value("proxywatch_detection_unchecked_total")).isEqualTo(8);
    }

    @Test
    void requestsAreCountedByStatusClassAndLatencyBucketAfterAKnownChunk() {
        requests.record(List.of(access(200, 3.0), access(204, 5.0), access(301, 40.0), access(404, 120.0),
                access(503, 12_000.0), access(101, null), access(200, null), new LogRecord()));
        PrometheusText p = scrape();
        assertThat(p.value("proxywatch_requests_total", "status_class", "2xx")).isEqualTo(3);
        assertThat(p.value("proxywatch_requests_total", "status_class", "3xx")).isEqualTo(1);
        assertThat(p.value("proxywatch_requests_total", "status_class", "4xx")).isEqualTo(1);
        assertThat(p.value("proxywatch_requests_total", "status_class", "5xx")).isEqualTo(1);
        assertThat(p.value("proxywatch_requests_total", "status_class", "other")).isEqualTo(1);
        // cumulative buckets; 5 ms is inside le=0.005 (le is "less than or equal")
        assertThat(p.value("proxywatch_request_duration_seconds_bucket", "le", "0.005")).isEqualTo(2);
        assertThat(p.value("proxywatch_request_duration_seconds_bucket", "le", "0.05")).isEqualTo(3);
        assertThat(p.value("proxywatch_request_duration_seconds_bucket", "le", "0.25")).isEqualTo(4);
        assertThat(p.value("proxywatch_request_duration_seconds_bucket", "le", "10.0")).isEqualTo(4);
        assertThat(p.value("proxywatch_request_duration_seconds_bucket", "le", "+Inf")).isEqualTo(5);
        assertThat(p.value("proxywatch_request_duration_seconds_count")).as("records with a latency").isEqualTo(5);
        assertThat(p.value("proxywatch_request_duration_seconds_sum")).isCloseTo(12.168, within(1e-9));
    }

    @Test
    void aFileNoLongerFollowedLosesItsSeries() {
        files.remove(1);
        status = status(files);
        PrometheusText p = scrape();
        assertThat(p.find("proxywatch_lines_read_total", "file", "/var/log/app/app.log")).isEmpty();
        assertThat(p.find("proxywatch_file_lag_bytes", "file", "/var/log/app/app.log")).isEmpty();
        assertThat(p.find("proxywatch_lines_read_total")).hasSize(1);
    }

    @Test
    void linesReadStaysMonotonicAcrossARotation() {
        assertThat(scrape().value("proxywatch_lines_read_total", "file", ACCESS)).isEqualTo(120);
        // rename + create: the old file is finished under the same path while the new one starts from 0
        files.set(0, file(ACCESS, 130, 0, true, 1_700_000_000_000L));
        files.add(file(ACCESS, 5, 0, false, 1_700_000_003_000L));
        status = status(files);
        assertThat(scrape().value("proxywatch_lines_read_total", "file", ACCESS)).isEqualTo(135);
        files.remove(0); // the old file released
        files.set(files.size() - 1, file(ACCESS, 9, 0, false, 1_700_000_004_000L));
        status = status(files);
        // the sum for the path fell from 135 to 9: the counter holds (the 4 lines read between these two scrapes
        // are the documented loss at a release) and counts on from there, with no reset
        assertThat(scrape().value("proxywatch_lines_read_total", "file", ACCESS)).isEqualTo(135);
        files.set(files.size() - 1, file(ACCESS, 19, 0, false, 1_700_000_005_000L));
        status = status(files);
        assertThat(scrape().value("proxywatch_lines_read_total", "file", ACCESS)).isEqualTo(145);
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() {
        String accept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
        assertThat(metrics.contentType(accept)).startsWith("application/openmetrics-text; version=1.0.0");
        String text = metrics.scrape(accept);
        assertThat(text).endsWith("# EOF\n");
        PrometheusText p = PrometheusText.parse(text);
        assertThat(p.types()).containsEntry("proxywatch_records_shipped", "counter");
        assertThat(p.value("proxywatch_records_shipped_total")).isEqualTo(900);
        assertThat(metrics.contentType(null)).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.contentType("*/*")).isEqualTo(PrometheusMetrics.TEXT);
    }

    @Test
    void labelValuesAreEscaped() {
        files.add(file("C:\\logs\\a \"b\".log", 1, 0, false, 0));
        status = status(files);
        assertThat(scrape().value("proxywatch_lines_read_total", "file", "C:\\logs\\a \"b\".log")).isEqualTo(1);
    }
}
