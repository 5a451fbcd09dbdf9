package io.proxywatch.bench;

import io.proxywatch.detect.Normalizer;
import io.proxywatch.detect.SignatureDetector;
import io.proxywatch.parse.RecordParser;
import io.proxywatch.record.LogRecord;
import io.proxywatch.rules.RulesFile;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Signature detection and normalisation alone, per access record, on the labelled corpus: the real 2015 access
 * log (benign traffic, the common case) and the CRS attack lines (the expensive case: every pattern gets a go).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx256m"})
public class DetectorBench {
    @Param({"real-access.log", "crs-attacks.log"})
    public String corpus;

    private List<LogRecord> records;
    private List<String> paths;
    private List<String> queries;
    private SignatureDetector detector;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        RecordParser parser = new RecordParser("auto", null);
        records = new ArrayList<>();
        paths = new ArrayList<>();
        queries = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/corpus", corpus), StandardCharsets.UTF_8)) {
            LogRecord r = parser.parse(line, corpus, 0);
            records.add(r);
            paths.add(r.getPath());
            queries.add(r.getQuery());
            if (records.size() == 2000) {
                break;
            }
        }
        detector = new SignatureDetector(RulesFile.load(null).current().signatures());
    }

    @Benchmark
    @OperationsPerInvocation(2000)
    public void signatures(Blackhole bh) {
        for (LogRecord r : records) {
            bh.consume(detector.check(r));
        }
    }

    @Benchmark
    @OperationsPerInvocation(2000)
    public void normalise(Blackhole bh) {
        for (int i = 0; i < paths.size(); i++) {
            bh.consume(Normalizer.normalize(paths.get(i), Normalizer.Mode.PATH));
            bh.consume(Normalizer.normalize(queries.get(i), Normalizer.Mode.QUERY));
        }
    }
}
