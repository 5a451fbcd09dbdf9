package io.proxywatch.health;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.proxywatch.stats.RequestTotals;

import java.util.Locale;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * /metrics: proxywatch's figures in Prometheus' text format, bound as {@code prometheusMetrics}. Nothing on the
 * pipeline's path is touched: each scrape reads one {@link AgentStatus} (the totals the stages keep anyway) and
 * every meter reads from it, plus the per-chunk {@link RequestTotals} for the proxy's own requests.
 *
 * <p>Series whose labels are fixed at start (none, level, status class) are Micrometer meters; those whose label
 * values come and go, and the pre-bucketed latency histogram, are {@link DynamicSeries}. Micrometer adds the
 * JVM's memory, threads, CPU and uptime.
 */
public final class PrometheusMetrics {
    public static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final Supplier<AgentStatus> source;
    private final RequestTotals requests;
    private PrometheusMeterRegistry registry; // built at the first scrape: Micrometer's start-up cost is paid by
                                              // those who scrape, not by every (re)start after a kill
    private volatile AgentStatus status;

    public PrometheusMetrics(Supplier<AgentStatus> source, RequestTotals requests) {
        this.source = source;
        this.requests = requests;
    }

    private PrometheusMeterRegistry build() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        counter(registry, "proxywatch.parse.errors", "Lines no format understood (kept with parse_error)",
                AgentStatus::parseErrors);
        for (String level : io.proxywatch.level.LevelFiles.FILES) {
            FunctionCounter.builder("proxywatch.records.written", this,
                            m -> m.read(s -> s.levelRecords().getOrDefault(level, 0L)))
                    .description("Records appended to the level files, by level").tag("level", level)
                    .register(registry);
        }
        counter(registry, "proxywatch.records.shipped",
                "Records the collector accepted (sent or replayed from the spool)", AgentStatus::recordsShipped);
        counter(registry, "proxywatch.ship.retries", "Retried attempts to send a batch", AgentStatus::shipRetries);
        counter(registry, "proxywatch.records.spooled", "Records written to the disk spool while the collector failed",
                AgentStatus::recordsSpooled);
        counter(registry, "proxywatch.dead.letter",
                "Records the collector refused for good, written to data-dir/dead-letter",
                AgentStatus::recordsDeadLettered);
        counter(registry, "proxywatch.detection.unchecked",
                "Access records a detector failed on (logged), passed on without that detector's check",
                AgentStatus::detectionUnchecked);
        counter(registry, "proxywatch.alert.events", "Alert events written to alerts.log", AgentStatus::alertEvents);
        gauge(registry, "proxywatch.spool", "bytes", "Bytes held in the disk spool", AgentStatus::spoolBytes);
        gauge(registry, "proxywatch.spool.max", "bytes",
                "Most bytes the spool may hold (proxywatch.ship.spool.max-bytes)", AgentStatus::spoolMaxBytes);
        gauge(registry, "proxywatch.spool.batches", null, "Batches waiting in the disk spool",
                AgentStatus::spoolBatches);
        gauge(registry, "proxywatch.collector.up", null,
                "1 while shipping is on and the collector takes batches, else 0",
                s -> s.shippingOn() && !s.collectorDown() ? 1 : 0);
        gauge(registry, "proxywatch.last.delivery.timestamp", "seconds",
                "When the collector last took a batch, Unix time (the start time until it first does)",
                s -> s.lastDeliveredMs() / 1000.0);
        gauge(registry, "proxywatch.fleet.shared", null,
                "Fleet mode: 1 while rate windows are shared through Redis, 0 while counting locally (Redis unreachable "
                        + "or fleet mode off)", s -> s.fleet().shared() ? 1 : 0);
        counter(registry, "proxywatch.fleet.fallbacks",
                "Times Redis became unreachable and detection fell back to local windows", s -> s.fleet().fallbacks());
        counter(registry, "proxywatch.fleet.unshared.requests",
                "Counted requests never shared with the fleet (Redis down or too slow); they still counted locally",
                s -> s.fleet().droppedRequests());
        for (String statusClass : RequestTotals.STATUS_CLASSES) {
            int i = RequestTotals.STATUS_CLASSES.indexOf(statusClass);
            FunctionCounter.builder("proxywatch.requests", requests, r -> r.snapshot().byStatusClass()[i])
                    .description("The proxy's requests (access records), by status class")
                    .tag("status_class", statusClass).register(registry);
        }
        registry.getPrometheusRegistry().register(new DynamicSeries(() -> status, requests));
        return registry;
    }

    /** The exposition format for an Accept header: OpenMetrics when asked for, else Prometheus text 0.0.4. */
    public String contentType(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text")
                ? OPENMETRICS : TEXT;
    }

    /** Every series, in the format {@link #contentType} names for this Accept header. */
    public synchronized String scrape(String accept) {
        if (registry == null) {
            registry = build();
        }
        status = source.get();
        return registry.scrape(contentType(accept));
    }

    private double read(ToDoubleFunction<AgentStatus> f) {
        AgentStatus s = status;
        return s == null ? 0 : f.applyAsDouble(s);
    }

    private void counter(MeterRegistry registry, String name, String help, ToDoubleFunction<AgentStatus> f) {
        FunctionCounter.builder(name, this, m -> m.read(f)).description(help).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String unit, String help, ToDoubleFunction<AgentStatus> f) {
        Gauge.builder(name, this, m -> m.read(f)).description(help).baseUnit(unit).register(registry);
    }
}
