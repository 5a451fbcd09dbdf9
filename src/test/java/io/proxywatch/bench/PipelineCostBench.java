package io.proxywatch.bench;

import io.proxywatch.detect.Detection;
import io.proxywatch.detect.RateDetector;
import io.proxywatch.parse.RecordParser;
import io.proxywatch.record.LogRecord;
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
    private static final int LINES = 1000;

    private List<String> lines;
    private List<LogRecord> parsed;
    private RecordParser parser;
    private Detection detection;
    private TrafficStats stats;

    @Setup(Level.Trial)
    public void setUp() {
        lines = BenchLines.generate(LINES, 42);
        parser = new RecordParser("auto", null);
        parsed = new ArrayList<>(LINES);
        for (String l : lines) {
            LogRecord r = parser.parse(l, "bench.log", 0);
            r.setTimestamp(null); // windows then follow the clock, as they would for a live log
            parsed.add(r);
        }
        RulesFile rules = RulesFile.load(null);
        detection = new Detection(rules::current, new RateDetector(Clock.systemUTC()), Clock.systemUTC());
        stats = new TrafficStats(Clock.systemUTC());
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
        bh.consume(detection.check(parsed));
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void stats() {
        stats.record(parsed);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void detectAndStats(Blackhole bh) {
        bh.consume(detection.check(parsed));
        stats.record(parsed);
    }
}
