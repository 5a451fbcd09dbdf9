package io.proxywatch.bench;

import io.proxywatch.detect.ChunkEvents;
import io.proxywatch.detect.RateDetector;
import io.proxywatch.detect.RateRule;
import io.proxywatch.fleet.Fleet;
import io.proxywatch.fleet.RedisEndpoint;
import io.proxywatch.parse.RecordParser;
import io.proxywatch.record.LogRecord;
import io.proxywatch.rules.Rules;
import io.proxywatch.rules.RulesFile;
import io.proxywatch.testkit.RedisServer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What fleet mode (issue 8) costs, in two parts. {@code rateWindows}: the rate windows of PipelineCostBench, ns
 * per line on the pipeline thread, with the windows kept in memory ({@code off}) or shared through a local
 * redis-server ({@code redis}; nothing flushes here, so the bounded buffer drops its oldest, as with a Redis that
 * cannot keep up). {@code flushChunk}: one chunk of 1,000 lines counted and then flushed, µs per chunk: less the
 * {@code off} score, the flusher's work per chunk, done on the timer's thread, and the delay after which the
 * fleet's counts of a chunk are known (the timer adds on average half its interval).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx256m"})
public class FleetCostBench {
    private static final int LINES = 20_000;
    private static final int CHUNK = 1_000;

    @Param({"off", "redis"})
    public String store;

    private final List<List<LogRecord>> chunks = new ArrayList<>();
    private final PipelineCostBench.BenchClock clock = new PipelineCostBench.BenchClock();
    private RedisServer redis;
    private Fleet fleet;
    private RateDetector rate;
    private RateRule.Section section;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        RecordParser parser = new RecordParser("auto", null);
        List<LogRecord> parsed = new ArrayList<>(LINES);
        for (String l : BenchLines.generate(LINES, 42, false)) {
            LogRecord r = parser.parse(l, "bench.log", 0);
            r.setTimestamp(null);
            parsed.add(r);
        }
        for (int i = 0; i < LINES; i += CHUNK) {
            chunks.add(parsed.subList(i, i + CHUNK));
        }
        Rules rules = RulesFile.load(null).current();
        section = rules.rate();
        if (store.equals("redis")) {
            redis = RedisServer.start();
            fleet = Fleet.shared(RedisEndpoint.parse(redis.url()), null, "bench", "bench-1", 1000, 1000, clock,
                    id -> section.rules().stream().filter(r -> r.id().equals(id)).findFirst().orElse(null));
        } else {
            fleet = Fleet.off();
        }
        rate = new RateDetector(clock, fleet.store());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.println("\n" + fleet.state());
        fleet.close();
        if (redis != null) {
            redis.close();
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void rateWindows(Blackhole bh) {
        for (List<LogRecord> chunk : chunks) {
            bh.consume(observe(chunk));
        }
    }

    /** One chunk counted, then flushed right away (on this thread, unlike the pipeline): µs per chunk. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void flushChunk(Blackhole bh) {
        bh.consume(observe(chunks.get(next++ % chunks.size())));
        bh.consume(fleet.flush());
    }

    private List<?> observe(List<LogRecord> chunk) {
        long now = clock.tick();
        ChunkEvents events = new ChunkEvents();
        synchronized (rate.lock()) {
            for (LogRecord r : chunk) {
                rate.observe(r, now, section, events);
            }
            rate.endChunk();
        }
        return events.isEmpty() ? List.of() : events.events();
    }
}
