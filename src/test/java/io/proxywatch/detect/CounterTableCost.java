package io.proxywatch.detect;

import java.lang.management.ManagementFactory;
import java.util.Random;

/**
 * Thread CPU time of {@link CounterTable#add} alone, on key streams that separate what a count costs from what the
 * table's memory and evictions cost: 100 keys (a table that stays in the core's caches); 200,000 keys drawn at
 * random at 20,000 a second into the default 100,000-key table (~58,000 held, 4 MB), without and with the
 * {@link CounterTable#warm} pass a chunk of 1,000 gets; the same stream into a 1,000-key table, where nearly every
 * key evicts another. Not a test: {@code java -cp target/test-classes:target/classes:<test classpath>
 * io.proxywatch.detect.CounterTableCost [rounds]}.
 */
public final class CounterTableCost {
    private static final int ADDS = 200_000;
    private static final int CHUNK = 1000;
    private static volatile long sink;

    public static void main(String[] args) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random rnd = new Random(1);
        long[] hot = new long[ADDS];
        long[] wide = new long[ADDS];
        for (int i = 0; i < ADDS; i++) {
            hot[i] = (1 + rnd.nextInt(100)) * 0x9E3779B97F4A7C15L;
            wide[i] = (1 + rnd.nextInt(200_000)) * 0x9E3779B97F4A7C15L;
        }
        String[] names = {"100 keys", "200,000 keys", "200,000 keys, warmed by chunk", "200,000 keys, 1,000-key cap"};
        long[][] streams = {hot, wide, wide, wide};
        boolean[] warmed = {false, false, true, false};
        CounterTable[] tables = {new CounterTable(100_000), new CounterTable(100_000), new CounterTable(100_000),
                new CounterTable(1_000)};
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        for (int round = 0; round < rounds; round++) {
            for (int v = 0; v < tables.length; v++) {
                long t0 = mx.getCurrentThreadCpuTime();
                long sum = 0;
                long[] keys = streams[v];
                CounterTable t = tables[v];
                for (int i = 0; i < ADDS; i++) {
                    if (warmed[v] && i % CHUNK == 0) {
                        for (int j = i; j < i + CHUNK; j++) {
                            sum += t.warm(keys[j]);
                        }
                    }
                    // 20,000 adds a second of log time, in slots of 1.25 s (a 10 s window's eighth)
                    sum += t.add(keys[i], (round * (long) ADDS + i) / 25_000);
                }
                long t1 = mx.getCurrentThreadCpuTime();
                sink = sum;
                if (round >= rounds - 3) {
                    System.out.printf("%-32s %6.1f ns an add (%,d keys held)%n", names[v], (t1 - t0) / (double) ADDS,
                            t.size());
                }
            }
        }
    }
}
