package io.proxywatch.bench;

import io.proxywatch.detect.ChunkEvents;
import io.proxywatch.detect.Detection;
import io.proxywatch.detect.RateDetector;
import io.proxywatch.parse.RecordParser;
import io.proxywatch.record.LogRecord;
import io.proxywatch.detect.SignatureDetector;
import io.proxywatch.rules.Rules;
import io.proxywatch.rules.RulesFile;
import io.proxywatch.stats.TrafficStats;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-line cost of the hot stages on the same 1,000 generated access lines: parsing alone, then detection
 * (normalise + signatures + rate windows) and the sliding-window statistics on the parsed records. Issue 4's
 * budget: detection plus statistics at most 25% of parsing. Scores are ns per line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx256m"})
public class PipelineCostBench {
    /** Lines per invocation, handed over in chunks of 1,000 as the tailer does. */
    private static final int LINES = 20_000;
    private static final int CHUNK = 1_000;

    /** pool: clients from a pool of 20,000 (a busy site); spray: a new random address on almost every line. */
    @Param({"pool", "spray"})
    public String clients;

    private List<String> lines;
    private List<LogRecord> parsed;
    private final List<List<LogRecord>> chunks = new ArrayList<>();
    /**
     * Time as the proxy would have lived it: 50 ms per chunk of 1,000 lines, i.e. the 20,000 lines/s of the steady
     * scenario, however fast the benchmark loops. With the wall clock every client would look like a burst.
     */
    private final BenchClock clock = new BenchClock();
    private RecordParser parser;
    private Detection detection;
    private TrafficStats stats;
    private SignatureDetector signatures;
    private RateDetector rate;
    private Rules rules;

    @Setup(Level.Trial)
    public void setUp() {
        lines = BenchLines.generate(LINES, 42, clients.equals("spray"));
        parser = new RecordParser("auto", null);
        parsed = new ArrayList<>(LINES);
        for (String l : lines) {
            LogRecord r = parser.parse(l, "bench.log", 0);
            r.setTimestamp(null); // windows then follow the bench clock below
            parsed.add(r);
        }
        for (int i = 0; i < LINES; i += CHUNK) {
            chunks.add(parsed.subList(i, i + CHUNK));
        }
        RulesFile file = RulesFile.load(null);
        rules = file.current();
        detection = new Detection(file::current, new RateDetector(clock), clock);
        signatures = new SignatureDetector(rules.signatures());
        rate = new RateDetector(clock);
        stats = new TrafficStats(clock);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void parse(Blackhole bh) {
        for (String l : lines) {
            bh.consume(parser.parse(l, "bench.log", 0));
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void detect(Blackhole bh) {
        for (List<LogRecord> chunk : chunks) {
            clock.tick();
            bh.consume(detection.check(chunk));
        }
    }

    /** The signature part of detect alone. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void signatures(Blackhole bh) {
        for (LogRecord r : parsed) {
            bh.consume(signatures.check(r));
        }
    }

    /** The rate-window part of detect alone. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void rateWindows(Blackhole bh) {
        for (List<LogRecord> chunk : chunks) {
            long now = clock.tick();
            ChunkEvents events = new ChunkEvents();
            synchronized (rate.lock()) {
                for (LogRecord r : chunk) {
                    bh.consume(rate.observe(r, now, rules.rate(), events));
                }
            }
            bh.consume(events.events());
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void stats() {
        for (List<LogRecord> chunk : chunks) {
            clock.tick();
            stats.record(chunk);
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void detectAndStats(Blackhole bh) {
        for (List<LogRecord> chunk : chunks) {
            clock.tick();
            bh.consume(detection.check(chunk));
            stats.record(chunk);
        }
    }

    static final class BenchClock extends Clock {
        private long millis = 1_764_072_000_000L;

        long tick() {
            return millis += 50;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
