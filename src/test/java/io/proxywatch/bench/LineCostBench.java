package io.proxywatch.bench;

import io.proxywatch.parse.RecordParser;
import io.proxywatch.record.LogRecord;
import io.proxywatch.record.RecordJson;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-line cost of parsing a generated access line (the {@link BenchLines} of {@link PipelineCostBench}) into a
 * record, and of rendering a record's JSON (issue 7): ns and, with {@code -prof gc}, bytes allocated per line. On a
 * loaded machine the ns vary by several times; {@link LineCpuCost} measures thread CPU time instead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx256m"})
public class LineCostBench {
    private static final int LINES = 20_000;

    private List<String> lines;
    private List<LogRecord> records;
    private RecordParser parser;

    @Setup(Level.Trial)
    public void setUp() {
        lines = BenchLines.generate(LINES, 42, false);
        parser = new RecordParser("auto", null);
        records = new ArrayList<>(LINES);
        for (String l : lines) {
            records.add(parser.parse(l, "/var/log/proxy/access.log", 1234));
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void parse(Blackhole bh) {
        for (String l : lines) {
            bh.consume(parser.parse(l, "/var/log/proxy/access.log", 1234));
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void render(Blackhole bh) {
        for (LogRecord r : records) {
            bh.consume(RecordJson.toBytes(r));
        }
    }
}
