package io.proxywatch.bench;

import io.proxywatch.detect.ChunkEvents;
import io.proxywatch.detect.Detection;
import io.proxywatch.detect.RateDetector;
import io.proxywatch.detect.RateRule;
import io.proxywatch.detect.SignatureDetector;
import io.proxywatch.parse.RecordParser;
import io.proxywatch.record.LogRecord;
import io.proxywatch.record.RecordJson;
import io.proxywatch.rules.RulesFile;
import io.proxywatch.stats.TrafficStats;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Thread CPU time and allocated bytes per line of parsing, rendering, and both, and of detection and the statistics
 * as the detect route runs them (chunks of 1,000, the windows on {@link PipelineCostBench}'s bench clock), on the
 * {@link BenchLines} access lines, rounds of the variants interleaved (A, B, A, B, ...) so that a machine loaded by other work slows each
 * alike: wall-clock JMH scores on a loaded 2-core box vary by several times, CPU time per round much less. Add a
 * variant (e.g. the code before a change, copied under another name) to compare it in the same run.
 * {@code java -Xms1g -Xmx1g -XX:+AlwaysPreTouch -cp target/test-classes:target/classes:<test classpath>
 * io.proxywatch.bench.LineCpuCost [rounds [regex]]}, with {@code -Dbench.rules=FILE} for a rules file other than the
 * packaged one. Pre-touch the heap: on this kind of VM the first touch of each
 * page a growing heap takes costs microseconds, paid by the allocating thread, so without it parsing (516 B a line)
 * read 0.6 µs in one run and 2.4–3.2 µs in the next.
 */
public final class LineCpuCost {
    private static final int LINES = 20_000;
    private static volatile Object sink;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        List<String> lines = BenchLines.generate(LINES, 42, false);
        RecordParser parser = new RecordParser("auto", null);
        List<LogRecord> records = new ArrayList<>();
        for (String l : lines) {
            records.add(parser.parse(l, "/var/log/proxy/access.log", 1234));
        }
        List<List<LogRecord>> chunks = new ArrayList<>();
        for (int i = 0; i < LINES; i += 1000) {
            chunks.add(parseChunk(parser, lines.subList(i, i + 1000), new ArrayList<>()));
        }
        PipelineCostBench.BenchClock clock = new PipelineCostBench.BenchClock();
        String rulesFile = System.getProperty("bench.rules"); // another rules file's cost: -Dbench.rules=FILE
        RulesFile rules = RulesFile.load(rulesFile == null ? null : java.nio.file.Path.of(rulesFile));
        Detection detection = new Detection(rules::current, new RateDetector(clock), clock);
        TrafficStats stats = new TrafficStats(clock);
        Map<String, Runnable> variants = new LinkedHashMap<>();
        variants.put("parse", () -> {
            for (String l : lines) sink = parser.parse(l, "/var/log/proxy/access.log", 1234);
        });
        variants.put("render", () -> {
            for (LogRecord r : records) sink = RecordJson.toBytes(r);
        });
        variants.put("parseRender", () -> {
            for (String l : lines) sink = parser.parse(l, "/var/log/proxy/access.log", 1234).json();
        });
        variants.put("detect", () -> {
            for (List<LogRecord> chunk : chunks) {
                clock.tick();
                sink = detection.check(chunk);
            }
        });
        // detection's two halves on their own: the rate windows as Detection runs them (on a clock of their own,
        // so the other variants' windows see time pass as before), the signatures alone
        PipelineCostBench.BenchClock rateClock = new PipelineCostBench.BenchClock();
        RateDetector rateOnly = new RateDetector(rateClock);
        SignatureDetector sigOnly = new SignatureDetector(rules.current().signatures());
        variants.put("rate", () -> {
            for (List<LogRecord> chunk : chunks) {
                sink = rateChunk(rateOnly, rateClock, rules.current().rate(), chunk);
            }
        });
        // each rate rule on its own (rate_ip, rate_ip_path, rate_ip_404): which window costs what
        for (RateRule rule : rules.current().rate().rules()) {
            RateRule.Section one = new RateRule.Section(rules.current().rate().maxKeys(), List.of(rule));
            PipelineCostBench.BenchClock oneClock = new PipelineCostBench.BenchClock();
            RateDetector oneRate = new RateDetector(oneClock);
            variants.put("rate_" + rule.key(), () -> {
                for (List<LogRecord> chunk : chunks) {
                    sink = rateChunk(oneRate, oneClock, one, chunk);
                }
            });
        }
        variants.put("signatures", () -> sink = signatures(sigOnly, chunks));
        // the same with the verdict caches a heap of 64 MB gets (a quarter of the slots)
        SignatureDetector sigSmallCaches = new SignatureDetector(rules.current().signatures(), List.of(), 64L << 20);
        variants.put("signaturesSmallCaches", () -> sink = signatures(sigSmallCaches, chunks));
        variants.put("stats", () -> {
            for (List<LogRecord> chunk : chunks) {
                clock.tick();
                stats.record(chunk);
            }
        });
        variants.put("detectAndStats", () -> {
            for (List<LogRecord> chunk : chunks) {
                clock.tick();
                sink = detection.check(chunk);
                stats.record(chunk);
            }
        });
        // parsing a chunk and then checking and counting it on the same thread, as the tailer's thread does (the
        // variants above walk records parsed long before). These two take a new second of a 10-second stream each
        // round (200,000 lines: one whole rate window at 20,000 lines/s), so a client's paths repeat within a window
        // as often as in a real stream, where the rounds above replay the same second, every client asking for the
        // same path again each second
        List<String> stream = BenchLines.generate(10 * LINES, 43, false);
        ChunkSource bench = secondsOf(stream);
        variants.put("parseChunks", parseOnly(bench, parser));
        variants.put("parseChunksDetectStats", parseDetectStats(bench, parser, rules));
        // an address spray: every other line from a new random address (BenchLines' spray), a new second of a
        // 10-second stream each round, so ~100,000 addresses a window are each seen once: the doorkeeper's work, and
        // table look-ups of keys the table does not hold
        List<List<LogRecord>> sprayChunks = new ArrayList<>();
        List<String> sprayLines = BenchLines.generate(10 * LINES, 44, true);
        for (int i = 0; i < sprayLines.size(); i += 1000) {
            sprayChunks.add(parseChunk(parser, sprayLines.subList(i, i + 1000), new ArrayList<>()));
        }
        PipelineCostBench.BenchClock sprayClock = new PipelineCostBench.BenchClock();
        Detection sprayDetection = new Detection(rules::current, new RateDetector(sprayClock), sprayClock);
        int[] sprayRound = {0};
        variants.put("detectSpray", () -> {
            int from = (sprayRound[0]++ % 10) * (LINES / 1000);
            for (List<LogRecord> chunk : sprayChunks.subList(from, from + LINES / 1000)) {
                sprayClock.tick();
                sink = sprayDetection.check(chunk);
            }
        });
        // the real 2015 access log of the corpus (combined log format, 10,000 lines: real user agents and referers,
        // thousands of distinct paths), parsed and then checked and counted as above, for the same ratio on lines
        // that were not generated
        List<String> real = realLines();
        List<List<LogRecord>> realChunks = new ArrayList<>();
        for (int i = 0; i + 1000 <= real.size(); i += 1000) {
            realChunks.add(parseChunk(parser, real.subList(i, i + 1000), new ArrayList<>()));
        }
        int realLines = realChunks.size() * 1000;
        variants.put("parseReal", () -> {
            for (int i = 0; i < LINES; i++) {
                sink = parser.parse(real.get(i % realLines), "/var/log/proxy/access.log", 1234);
            }
        });
        PipelineCostBench.BenchClock realClock = new PipelineCostBench.BenchClock();
        Detection realDetection = new Detection(rules::current, new RateDetector(realClock), realClock);
        TrafficStats realStats = new TrafficStats(realClock);
        variants.put("detectAndStatsReal", () -> {
            for (int i = 0; i < LINES / 1000; i++) {
                List<LogRecord> chunk = realChunks.get(i % realChunks.size());
                realClock.tick();
                sink = realDetection.check(chunk);
                realStats.record(chunk);
            }
        });
        // its parts on their own: the signatures, the rate windows, the statistics
        SignatureDetector realSigs = new SignatureDetector(rules.current().signatures());
        List<List<LogRecord>> realRound = new ArrayList<>();
        for (int i = 0; i < LINES / 1000; i++) {
            realRound.add(realChunks.get(i % realChunks.size()));
        }
        variants.put("signaturesReal", () -> sink = signatures(realSigs, realRound));
        SignatureDetector realSigsSmallCaches = new SignatureDetector(rules.current().signatures(), List.of(),
                64L << 20);
        variants.put("signaturesRealSmallCaches", () -> sink = signatures(realSigsSmallCaches, realRound));
        PipelineCostBench.BenchClock realRateClock = new PipelineCostBench.BenchClock();
        RateDetector realRate = new RateDetector(realRateClock);
        variants.put("rateReal", () -> {
            for (int i = 0; i < LINES / 1000; i++) {
                sink = rateChunk(realRate, realRateClock, rules.current().rate(),
                        realChunks.get(i % realChunks.size()));
            }
        });
        PipelineCostBench.BenchClock realStatsClock = new PipelineCostBench.BenchClock();
        TrafficStats realStatsOnly = new TrafficStats(realStatsClock);
        variants.put("statsReal", () -> {
            for (int i = 0; i < LINES / 1000; i++) {
                realStatsClock.tick();
                realStatsOnly.record(realChunks.get(i % realChunks.size()));
            }
        });
        // the same two, parsed a chunk at a time and then checked and counted on the same thread, as the tailer does:
        // the difference is what detection and statistics add to parsing with the records still in the cache (the
        // variant above reads 10,000 records parsed long before, most of them from memory)
        ChunkSource realSource = (round, i) -> real.subList(i % realLines, i % realLines + 1000);
        variants.put("parseChunksReal", parseOnly(realSource, parser));
        variants.put("parseChunksDetectStatsReal", parseDetectStats(realSource, parser, rules));
        // each part on its own in the same setting: a chunk parsed, then only that part on the same thread. Less
        // parseChunks (or parseChunksReal), what the part adds as the tailer's thread pays it; the parts alone above
        // (rate, signatures, stats) walk records parsed long before and read 1.5-2 times less on real lines
        inlineParts(variants, "", bench, parser, rules);
        inlineParts(variants, "Real", realSource, parser, rules);
        // the rate windows after parsing with every limit at its highest, so that no line takes the burst path (the
        // three bursting addresses send 5% of the bench lines), over the 20,000 clients of the bench lines and over
        // 100: the same work per line, with tables of ~1,000 keys that stay in the core's caches instead of tables
        // of 20,000 and ~60,000 keys (2 and 4 MB). The difference is what the tables' size costs
        ChunkSource fewClients = secondsOf(BenchLines.generate(10 * LINES, 43, false, 100));
        variants.put("parseChunksRateUnlimited", rateUnlimited(bench, parser, rules));
        variants.put("parseChunksRateUnlimited100Clients", rateUnlimited(fewClients, parser, rules));
        variants.put("parseChunks100Clients", parseOnly(fewClients, parser));
        if (args.length > 1) {
            variants.keySet().removeIf(k -> !k.matches(args[1]));
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        Map<String, double[]> ns = new LinkedHashMap<>();
        Map<String, double[]> bytes = new LinkedHashMap<>();
        variants.keySet().forEach(k -> { ns.put(k, new double[rounds]); bytes.put(k, new double[rounds]); });
        int warm = rounds / 2;
        for (int i = -warm; i < rounds; i++) {
            for (Map.Entry<String, Runnable> v : variants.entrySet()) {
                long b0 = mx.getThreadAllocatedBytes(tid);
                long t0 = mx.getCurrentThreadCpuTime();
                v.getValue().run();
                long t1 = mx.getCurrentThreadCpuTime();
                long b1 = mx.getThreadAllocatedBytes(tid);
                if (i >= 0) {
                    ns.get(v.getKey())[i] = (t1 - t0) / (double) LINES;
                    bytes.get(v.getKey())[i] = (b1 - b0) / (double) LINES;
                }
            }
        }
        System.out.printf("%-34s %10s %10s %10s %10s%n", "variant", "p25 ns", "median ns", "p75 ns", "B/line");
        for (String k : variants.keySet()) {
            double[] a = ns.get(k);
            Arrays.sort(a);
            double[] b = bytes.get(k);
            Arrays.sort(b);
            System.out.printf("%-34s %10.0f %10.0f %10.0f %10.0f%n", k, a[rounds / 4], a[rounds / 2], a[rounds * 3 / 4],
                    b[rounds / 2]);
        }
    }

    /** The lines of chunk {@code i} (a line index, in steps of 1,000) of round {@code round}. */
    private interface ChunkSource {
        List<String> lines(int round, int i);
    }

    /** A new second of a 10-second stream each round, as the bench stream's variants read it. */
    private static ChunkSource secondsOf(List<String> stream) {
        return (round, i) -> stream.subList((round % 10) * LINES + i, (round % 10) * LINES + i + 1000);
    }

    /**
     * Each round, every chunk of {@code source} parsed and then handed to {@code part} on the same thread, as the
     * tailer's thread does; what it returns is kept from the JIT.
     */
    private static Runnable perChunk(ChunkSource source, RecordParser parser, Function<List<LogRecord>, Object> part) {
        List<LogRecord> parsed = new ArrayList<>(1000);
        int[] rounds = {0};
        return () -> {
            int round = rounds[0]++;
            for (int i = 0; i < LINES; i += 1000) {
                sink = part.apply(parseChunk(parser, source.lines(round, i), parsed));
            }
        };
    }

    /** Parsing only, a chunk at a time. */
    private static Runnable parseOnly(ChunkSource source, RecordParser parser) {
        return perChunk(source, parser, chunk -> chunk);
    }

    /** Parsing, then detection and the statistics, as the tailer's thread runs them. */
    private static Runnable parseDetectStats(ChunkSource source, RecordParser parser, RulesFile rules) {
        PipelineCostBench.BenchClock clock = new PipelineCostBench.BenchClock();
        Detection detection = new Detection(rules::current, new RateDetector(clock), clock);
        TrafficStats stats = new TrafficStats(clock);
        return perChunk(source, parser, chunk -> {
            clock.tick();
            Object events = detection.check(chunk);
            stats.record(chunk);
            return events;
        });
    }

    /** Parsing, then the rate windows with every limit at its highest. */
    private static Runnable rateUnlimited(ChunkSource source, RecordParser parser, RulesFile rules) {
        List<RateRule> unlimited = new ArrayList<>();
        for (RateRule r : rules.current().rate().rules()) {
            unlimited.add(new RateRule(r.id(), r.key(), RateRule.MAX_LIMIT, r.window(), r.severity()));
        }
        RateRule.Section section = new RateRule.Section(rules.current().rate().maxKeys(), unlimited);
        PipelineCostBench.BenchClock clock = new PipelineCostBench.BenchClock();
        RateDetector rate = new RateDetector(clock);
        return perChunk(source, parser, chunk -> rateChunk(rate, clock, section, chunk));
    }

    /** parseChunksRate, parseChunksSignatures and parseChunksStats (with {@code suffix}) over {@code source}. */
    private static void inlineParts(Map<String, Runnable> variants, String suffix, ChunkSource source,
                                    RecordParser parser, RulesFile rules) {
        PipelineCostBench.BenchClock rateClock = new PipelineCostBench.BenchClock(); // a clock each, as above
        PipelineCostBench.BenchClock statsClock = new PipelineCostBench.BenchClock();
        RateDetector rate = new RateDetector(rateClock);
        SignatureDetector sigs = new SignatureDetector(rules.current().signatures());
        TrafficStats stats = new TrafficStats(statsClock);
        variants.put("parseChunksRate" + suffix, perChunk(source, parser,
                chunk -> rateChunk(rate, rateClock, rules.current().rate(), chunk)));
        variants.put("parseChunksSignatures" + suffix, perChunk(source, parser,
                chunk -> signatures(sigs, List.of(chunk))));
        variants.put("parseChunksStats" + suffix, perChunk(source, parser, chunk -> {
            statsClock.tick();
            stats.record(chunk);
            return chunk;
        }));
    }

    /** The chunks' records through a signature detector; the findings' count. */
    private static int signatures(SignatureDetector sigs, List<List<LogRecord>> chunks) {
        int found = 0;
        for (List<LogRecord> chunk : chunks) {
            for (LogRecord r : chunk) {
                found += sigs.check(r) == null ? 0 : 1;
            }
        }
        return found;
    }

    /** The corpus's real access log, as a test run from the project's folder finds it. */
    private static List<String> realLines() {
        try {
            return java.nio.file.Files.readAllLines(java.nio.file.Path.of("src/test/resources/corpus/real-access.log"),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("run from the project's folder", e);
        }
    }

    /** One chunk through the rate windows as Detection runs them, on a clock of their own; the findings' count. */
    private static int rateChunk(RateDetector rate, PipelineCostBench.BenchClock clock, RateRule.Section section,
                                 List<LogRecord> chunk) {
        clock.tick();
        ChunkEvents ev = new ChunkEvents();
        long now = clock.millis();
        rate.warm(chunk, section);
        int found = 0;
        for (LogRecord r : chunk) {
            found += rate.observe(r, now, section, ev) == null ? 0 : 1;
        }
        rate.endChunk();
        return found;
    }

    /** {@code lines} parsed into {@code into} (cleared first), without timestamps: the windows follow the bench clock. */
    private static List<LogRecord> parseChunk(RecordParser parser, List<String> lines, List<LogRecord> into) {
        into.clear();
        for (String l : lines) {
            LogRecord r = parser.parse(l, "/var/log/proxy/access.log", 1234);
            r.setTimestamp(null);
            into.add(r);
        }
        return into;
    }
}
