package io.proxywatch.bench;

import io.proxywatch.detect.ChunkEvents;
import io.proxywatch.detect.RateDetector;
import io.proxywatch.detect.RateRule;
import io.proxywatch.parse.RecordParser;
import io.proxywatch.record.LogRecord;
import io.proxywatch.rules.RulesFile;

import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Thread CPU time per line of the default rate rules over a whole bench log, in chunks of 1,000 counted by the
 * lines' own timestamps, as the bulk scenario counts them: {@link LineCpuCost} replays 20,000 lines, which never fill
 * the {@code ip_path} table, where a million-line log holds it at its 100,000-key cap and evicts on one line in ten.
 * Prints the cost of each 200,000 lines, so the fill and the steady state show apart.
 * {@code python3 bench/gen_access_log.py --lines 2000000 --out /tmp/a.log}, then
 * {@code java -cp target/test-classes:target/classes:<test classpath> io.proxywatch.bench.RateStreamCost /tmp/a.log
 * [key regex: ip|ip_path|ip_404]}.
 */
public final class RateStreamCost {
    private static final int CHUNK = 1000;
    private static final int REPORT_EVERY = 200_000;

    private RateStreamCost() {
    }

    public static void main(String[] args) throws Exception {
        RecordParser parser = new RecordParser("auto", "gateway");
        RateRule.Section all = RulesFile.load(null).current().rate();
        List<RateRule> picked = new ArrayList<>();
        for (RateRule r : all.rules()) {
            if (args.length < 2 || r.key().matches(args[1])) {
                picked.add(r);
            }
        }
        RateRule.Section section = new RateRule.Section(all.maxKeys(), picked);
        RateDetector rate = new RateDetector(Clock.systemUTC());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long totalNs = 0;
        long sliceNs = 0;
        int lines = 0;
        int sliceLines = 0;
        List<LogRecord> chunk = new ArrayList<>(CHUNK);
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]))) {
            while (true) {
                chunk.clear();
                String l = null;
                while (chunk.size() < CHUNK && (l = in.readLine()) != null) {
                    LogRecord r = parser.parse(l, args[0], 0);
                    if (r.isAccess() && r.getTimestamp() != null) { // what Detection counts, by the line's time
                        chunk.add(r);
                    }
                }
                if (chunk.isEmpty() && l == null) {
                    break;
                }
                ChunkEvents events = new ChunkEvents();
                long t0 = threads.getCurrentThreadCpuTime();
                synchronized (rate.lock()) {
                    rate.warm(chunk, section);
                    for (LogRecord r : chunk) {
                        rate.observe(r, r.getTimestamp().toEpochMilli(), section, events);
                    }
                    rate.endChunk();
                }
                long ns = threads.getCurrentThreadCpuTime() - t0;
                totalNs += ns;
                sliceNs += ns;
                lines += chunk.size();
                sliceLines += chunk.size();
                if (sliceLines >= REPORT_EVERY) {
                    System.out.printf("%,d lines: %.0f ns a line; keys %s%n", lines, sliceNs / (double) sliceLines,
                            rate.trackedKeys());
                    sliceNs = 0;
                    sliceLines = 0;
                }
            }
        }
        System.out.printf("all %,d lines: %.0f ns a line%n", lines, totalNs / (double) Math.max(1, lines));
    }
}
