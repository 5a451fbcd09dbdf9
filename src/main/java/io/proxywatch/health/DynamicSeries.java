package io.proxywatch.health;

import io.proxywatch.stats.RequestTotals;
import io.proxywatch.tail.FileStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The series Micrometer's meter model does not fit, written straight into the Prometheus registry on each scrape:
 * those whose label values come and go at run time (one per followed file, detection category, alert channel) —
 * built from the scrape's {@link AgentStatus}, so a file no longer followed simply has no series — and the request
 * latency histogram, whose buckets {@link RequestTotals} counts per chunk rather than per observation.
 */
final class DynamicSeries implements MultiCollector {
    private final Supplier<AgentStatus> status;
    private final RequestTotals requests;
    private final PathTotals linesByPath = new PathTotals();

    DynamicSeries(Supplier<AgentStatus> status, RequestTotals requests) {
        this.status = status;
        this.requests = requests;
    }

    @Override
    public synchronized MetricSnapshots collect() {
        AgentStatus s = status.get();
        List<MetricSnapshot> out = new ArrayList<>();
        if (s != null) {
            files(s.files(), out);
            out.add(counter("proxywatch_detections", "Access records tagged as a threat, by category", "category",
                    s.detections()));
            out.add(counter("proxywatch_alerts_sent", "Alert messages delivered, by channel", "channel",
                    s.alertsSent()));
            out.add(counter("proxywatch_alerts_dead_letter", "Alert messages given up on (alert dead-letter file), "
                    + "by channel", "channel", s.alertsDeadLettered()));
        }
        out.add(latency(requests.snapshot()));
        return new MetricSnapshots(out);
    }

    private void files(List<FileStatus> files, List<MetricSnapshot> out) {
        // a rotated file being finished shares its path with its successor for a moment: one series per path
        Map<String, Long> lines = new TreeMap<>();
        Map<String, Long> lag = new TreeMap<>();
        Map<String, Long> growth = new TreeMap<>();
        for (FileStatus f : files) {
            lines.merge(f.path(), f.linesRead(), Long::sum);
            lag.merge(f.path(), f.lagBytes(), Long::sum);
            growth.merge(f.path(), f.lastGrowthMs(), Math::max);
        }
        out.add(counter("proxywatch_lines_read", "Lines read from each followed file (a rotated file's count "
                + "carries over to its successor)", "file", new TreeMap<>(linesByPath.update(lines))));
        GaugeSnapshot.Builder lagGauge = GaugeSnapshot.builder().name("proxywatch_file_lag_bytes")
                .help("Bytes of each followed file not yet read");
        lag.forEach((path, v) -> lagGauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("file", path)).value(v).build()));
        out.add(lagGauge.build());
        GaugeSnapshot.Builder growthGauge = GaugeSnapshot.builder()
                .name("proxywatch_file_last_growth_timestamp_seconds")
                .help("When each followed file last grew, Unix time");
        growth.forEach((path, v) -> growthGauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("file", path)).value(v / 1000.0).build()));
        out.add(growthGauge.build());
    }

    private static CounterSnapshot counter(String name, String help, String label, Map<String, Long> values) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        values.forEach((key, v) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(Labels.of(label, key)).value(v).build()));
        return b.build();
    }

    private static HistogramSnapshot latency(RequestTotals.Snapshot r) {
        double[] finite = RequestTotals.upperBoundsSeconds();
        double[] bounds = new double[finite.length + 1];
        System.arraycopy(finite, 0, bounds, 0, finite.length);
        bounds[finite.length] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.builder().name("proxywatch_request_duration_seconds")
                .help("Latency of the proxy's requests, from access records that carry one")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, r.bucketCounts()))
                        .sum(r.sumSeconds()).build())
                .build();
    }
}
