package io.proxywatch.stats;

import io.proxywatch.record.LogRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RequestTotalsTest {
    private static LogRecord access(Integer status, Double latencyMs) {
        LogRecord r = new LogRecord();
        r.setStatus(status);
        r.setLatencyMs(latencyMs);
        return r;
    }

    @Test
    void statusClassesCoverEveryCode() {
        assertThat(RequestTotals.statusClass(200)).isZero();
        assertThat(RequestTotals.statusClass(299)).isZero();
        assertThat(RequestTotals.statusClass(302)).isEqualTo(1);
        assertThat(RequestTotals.statusClass(499)).isEqualTo(2);
        assertThat(RequestTotals.statusClass(599)).isEqualTo(3);
        assertThat(RequestTotals.statusClass(100)).isEqualTo(4);
        assertThat(RequestTotals.statusClass(600)).isEqualTo(4);
        assertThat(RequestTotals.statusClass(0)).isEqualTo(4);
        assertThat(RequestTotals.statusClass(-1)).isEqualTo(4);
    }

    @Test
    void chunksAddUpAndNonAccessRecordsAndNonsenseLatenciesAreLeftOut() {
        RequestTotals totals = new RequestTotals();
        totals.record(List.of(access(200, 1.0), new LogRecord(), access(500, Double.NaN), access(404, -3.0)));
        totals.record(List.of(access(200, 20_000.0), access(200, Double.POSITIVE_INFINITY)));
        RequestTotals.Snapshot s = totals.snapshot();
        assertThat(s.requests()).isEqualTo(5);
        assertThat(s.requests("2xx")).isEqualTo(3);
        assertThat(s.requests("4xx")).isEqualTo(1);
        assertThat(s.requests("5xx")).isEqualTo(1);
        assertThat(s.timed()).isEqualTo(2);
        assertThat(s.bucketCounts()[0]).isEqualTo(1);
        assertThat(s.bucketCounts()[s.bucketCounts().length - 1]).as("above 10 s").isEqualTo(1);
        assertThat(s.sumSeconds()).isEqualTo(20.001);
        totals.record(List.of(access(200, 1e308)));
        assertThat(totals.snapshot().sumSeconds()).as("one absurd line adds at most ten minutes").isEqualTo(620.001);
    }

    @Test
    void linesReadAgainAfterAFailureAreNotCountedAgain() {
        RequestTotals totals = new RequestTotals();
        List<LogRecord> chunk = List.of(access(200, 1.0), access(500, 2.0));
        totals.record(chunk);
        chunk.forEach(r -> r.setReplayed(true));
        totals.record(chunk);
        assertThat(totals.snapshot().requests()).isEqualTo(2);
        assertThat(totals.snapshot().requests("5xx")).isEqualTo(1);
    }

    @Test
    void aSnapshotIsACopy() {
        RequestTotals totals = new RequestTotals();
        RequestTotals.Snapshot before = totals.snapshot();
        totals.record(List.of(access(200, 1.0)));
        assertThat(before.requests()).isZero();
        assertThat(totals.snapshot().requests()).isEqualTo(1);
    }
}
