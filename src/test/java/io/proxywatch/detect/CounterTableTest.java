package io.proxywatch.detect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The table's slots on their own: eight 16-bit lanes in two words, checked against a plain array of counts. */
class CounterTableTest {
    private static final long KEY = 0x1234_5678_9abc_def1L;

    /** Counts {@code key} twice at {@code slot} before anything else, so the doorkeeper has admitted it. */
    private static int admitted(CounterTable t, long key, long slot) {
        t.add(key, slot);
        return t.add(key, slot);
    }

    @Test
    void eachSlotCountsOnItsOwnAndTheWindowIsTheirSum() {
        CounterTable t = new CounterTable(1000);
        assertThat(admitted(t, KEY, 800)).isEqualTo(2);
        // slots 800..807 are one window (eight slots): 2, then 1..7 more in the next seven
        int expected = 2;
        for (int s = 1; s < 8; s++) {
            for (int i = 0; i < s; i++) {
                assertThat(t.add(KEY, 800 + s)).isEqualTo(++expected);
            }
        }
        assertThat(expected).isEqualTo(30);
        // slot 808 drops slot 800's 2 (a key the table holds is counted straight away in a new doorkeeper window
        // too), and 810 drops 801's 1 and 802's 2 as well
        assertThat(t.add(KEY, 808)).isEqualTo(30 - 2 + 1);
        assertThat(t.add(KEY, 810)).isEqualTo(29 - 1 - 2 + 1);
        // a time older than the window is not counted, and changes nothing
        assertThat(t.add(KEY, 802)).isEqualTo(27);
        // a jump of a whole window or more empties every slot
        assertThat(t.add(KEY, 830)).isEqualTo(1);
    }

    @Test
    void randomRequestsCountAsAPlainArrayOfSlotsWould() {
        CounterTable t = new CounterTable(1000);
        Random rnd = new Random(7);
        long head = 10_000;
        long[] slots = new long[1 << 20];
        assertThat(admitted(t, KEY, head)).isEqualTo(2);
        slots[(int) head] = 2;
        for (int i = 0; i < 200_000; i++) {
            long slot = head + rnd.nextInt(3) - (rnd.nextInt(10) == 0 ? rnd.nextInt(12) : 0);
            int got = t.add(KEY, slot);
            head = Math.max(head, slot);
            if (slot > head - 8) {
                slots[(int) slot]++;
            }
            long want = 0;
            for (long s = head - 7; s <= head; s++) {
                want += slots[(int) s];
            }
            assertThat(got).as("request %d at slot %d", i, slot).isEqualTo(want);
        }
    }

    @Test
    void aFullSlotStopsAt65535AndTheCountAtEightTimesThat() {
        CounterTable t = new CounterTable(1000);
        int last = 0;
        for (int s = 0; s < 8; s++) {
            for (int i = 0; i < 70_000; i++) {
                last = t.add(KEY, 100 + s);
            }
            assertThat(last).isEqualTo((s + 1) * 65_535);
        }
        assertThat(last).isEqualTo(CounterTable.MAX_COUNT);
        // the next slot drops the oldest full one, exactly
        assertThat(t.add(KEY, 108)).isEqualTo(7 * 65_535 + 1);
        assertThat(RateRule.MAX_LIMIT).isLessThan(CounterTable.MAX_COUNT);
    }

    @Test
    void keysDoNotShareCountsAcrossTheTablesGrowth() {
        CounterTable t = new CounterTable(100_000);
        for (long k = 1; k <= 50_000; k++) {
            for (int i = 0; i < k % 5 + 2; i++) {
                t.add(k * 0x9e3779b97f4a7c15L, 5);
            }
        }
        // a run of 16 full entries evicts one of them even below the cap (the approximate LRU): a handful at most
        assertThat(t.size()).isBetween(49_950, 50_000);
        int exact = 0;
        for (long k = 1; k <= 50_000; k++) {
            int n = (int) (k % 5 + 3);
            int got = t.add(k * 0x9e3779b97f4a7c15L, 6);
            // never more than its own requests, plus one when it shared a doorkeeper bit with an earlier key
            assertThat(got).isLessThanOrEqualTo(n + 1);
            exact += got >= n ? 1 : 0;
        }
        assertThat(exact).isGreaterThanOrEqualTo(49_950);
    }

    @Test
    void busyKeysKeepTheirWholeCountThroughASprayAtTheCap() {
        // 100 keys in 256 entries: at the cap a new key often probes only free entries and evicts further along
        CounterTable t = new CounterTable(100);
        long[] busy = new long[10];
        for (int b = 0; b < busy.length; b++) {
            busy[b] = (b + 1) * 0x5bd1e9955bd1e995L;
        }
        int requests = 0;
        for (long k = 1; k <= 200_000; k++) {
            long sprayed = k * 0x9e3779b97f4a7c15L;
            t.add(sprayed, 3); // twice, to get past the doorkeeper
            t.add(sprayed, 3);
            if (k % 5 == 0) {
                requests++;
                for (long b : busy) {
                    // evictions, in place or by emptying an entry further along, never cut the probe run a busy key
                    // sits in: it is found every time and its count never restarts (one more when the doorkeeper bit it
                    // first took was an earlier key's)
                    assertThat(t.add(b, 3)).as("request %d", requests).isBetween(requests, requests + 1);
                }
            }
            assertThat(t.size()).isLessThanOrEqualTo(100);
        }
        assertThat(t.size()).isEqualTo(100);
    }

    /**
     * At the cap a new key evicts an old one: it must be found again on its next request. Before, one put in the
     * evicted key's entry past a free one was lost to look-ups (they stop at a free entry), so six in ten keys new
     * to a full table were admitted afresh on every request and never counted past two: a client that came after
     * a spray could burst unseen.
     */
    @Test
    void aKeyAdmittedAtTheCapIsCountedFromThenOn() {
        CounterTable t = new CounterTable(100_000);
        for (long k = 1; k <= 200_000; k++) {
            t.add(k * 0x9e3779b97f4a7c15L, 3);
            t.add(k * 0x9e3779b97f4a7c15L, 3);
        }
        assertThat(t.size()).isEqualTo(100_000);
        for (long k = 1; k <= 10_000; k++) {
            long key = k * 0x5bd1e9955bd1e995L;
            t.add(key, 3);
            t.add(key, 3);
            // 3, or one more when the doorkeeper bit it took was a sprayed key's
            assertThat(t.add(key, 3)).as("key %d", k).isBetween(3, 4);
        }
        assertThat(t.size()).isEqualTo(100_000);
    }

    /**
     * An evicted key's entry becomes free again: a look-up of a key the table does not hold stops at the first free
     * entry, and with tombstones a long spray at the cap had left none (after a million keys every look-up of a new
     * one walked all sixteen probes). Keys in the runs that evictions closed up stay found: each of a random set
     * of keys kept busy through the spray is counted in full.
     */
    @Test
    void aLongSprayAtTheCapLeavesTheFreeEntriesFree() {
        CounterTable t = new CounterTable(1_000);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        long[] busy = random.longs(50).toArray();
        int requests = 0;
        for (int k = 1; k <= 1_000_000; k++) {
            long sprayed = random.nextLong();
            t.add(sprayed, 3);
            t.add(sprayed, 3);
            if (k % 100 == 0) { // a tenth of the table came since: younger than nine keys in ten
                requests++;
                for (long b : busy) {
                    assertThat(t.add(b, 3)).as("request %d", requests).isBetween(requests, requests + 1);
                }
            }
        }
        assertThat(t.size()).isEqualTo(1_000);
        assertThat(t.freeEntries()).isEqualTo(t.capacity() - 1_000);
        assertThat(t.allKeysFound()).isTrue();
    }

    /**
     * The log's time steps back (a clock corrected, a daylight-saving hour repeated in local-time lines): after a
     * run of requests too old for the window, counting follows the new time, for keys seen before the step and for
     * new ones. Before, neither was counted until the log's time caught up with the step.
     */
    @Test
    void countingFollowsTheLogsTimeBackAfterARunOfOldRequests() {
        CounterTable t = new CounterTable(1_000);
        for (int i = 0; i < 5; i++) {
            t.add(11, 1_000);
        }
        for (long k = 100; k < 100 + CounterTable.STEP_BACK_RUN; k++) {
            t.add(k, 600); // 400 slots back, ~8 minutes for a 10-second window
        }
        for (int i = 1; i <= 5; i++) {
            assertThat(t.add(11, 600)).as("a key counted before the step, request %d", i).isEqualTo(i);
        }
        t.add(22, 600);
        assertThat(t.add(22, 600)).isEqualTo(2);
        assertThat(t.add(22, 601)).as("a new key").isEqualTo(3);
    }

    /** One line stamped far ahead must not leave the window blind until that time comes (it did, for new keys). */
    @Test
    void aLineFromTheFutureBlindsTheWindowForOnlyAShortRun() {
        CounterTable t = new CounterTable(1_000);
        t.add(11, 1_000);
        t.add(33, 1_000 + 100_000_000L);
        for (long k = 100; k < 100 + CounterTable.STEP_BACK_RUN; k++) {
            t.add(k, 1_001);
        }
        for (int i = 1; i <= 5; i++) {
            assertThat(t.add(22, 1_001)).as("a new key, request %d", i).isEqualTo(i);
        }
    }

    /**
     * A lone late request (a long one logged with its start time) is not counted and restarts nothing: otherwise a
     * client could clear its own count with one slow request.
     */
    @Test
    void aLoneLateRequestNeitherCountsNorRestartsAKey() {
        CounterTable t = new CounterTable(1_000);
        for (int i = 0; i < 5; i++) {
            t.add(11, 1_000);
        }
        for (int run = 0; run < 3; run++) {
            for (int i = 0; i < CounterTable.STEP_BACK_RUN - 1; i++) {
                t.add(11, 900); // not quite a run: the next request is on time
            }
            assertThat(t.add(11, 1_000)).isEqualTo(6 + run);
        }
    }

    /**
     * The entries live in direct memory: with little of it (here 2 MB, where 100,000 keys need 8 MB) the table stops
     * growing and keeps counting at the size it has, at most half full so that new keys evict instead of crowding,
     * rather than throwing from every request's count. Run in a JVM of its own, whose direct memory limit is that
     * small.
     */
    @Test
    void aTableThatMayNotGrowKeepsCountingAtHalfItsEntries(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxDirectMemorySize=2m", "-cp", System.getProperty("java.class.path"),
                DirectMemorySpent.class.getName())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> lines = java.nio.file.Files.readAllLines(out);
        assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
        assertThat(lines).anyMatch(l -> l.contains("cannot grow past"));
        String[] result = lines.get(lines.size() - 1).split(" ");
        int size = Integer.parseInt(result[0]);
        int capacity = Integer.parseInt(result[1]);
        assertThat(capacity).as("stopped below the 262,144 entries of 100,000 keys").isLessThan(262_144);
        assertThat(size).isEqualTo(capacity / 2); // full to its new bound: 200,000 keys came
        // ... and a key it holds is still counted
        assertThat(Integer.parseInt(result[2])).isEqualTo(3);
    }

    /**
     * A new cap keeps the counts: a higher one keeps every key; a lower one keeps the most recently counted keys
     * up to it, in a table sized for it, and every key it keeps is still found.
     */
    @Test
    void aNewCapKeepsTheCountsOfTheKeysItKeeps() {
        CounterTable t = new CounterTable(100_000);
        for (long k = 1; k <= 5_000; k++) {
            admitted(t, k * 0x9e3779b97f4a7c15L, 10); // each key: 2
        }
        t.setMaxKeys(200_000);
        assertThat(t.size()).isEqualTo(5_000);
        assertThat(t.add(0x9e3779b97f4a7c15L, 10)).isEqualTo(3);

        t.setMaxKeys(1_000);
        assertThat(t.size()).isEqualTo(1_000);
        assertThat(t.capacity()).isLessThanOrEqualTo(4_096);
        assertThat(t.allKeysFound()).isTrue();
        // the newest thousand are kept, key 1 (counted just before) among them; key 3,000 is gone
        assertThat(t.add(0x9e3779b97f4a7c15L, 10)).isEqualTo(4);
        assertThat(t.add(5_000 * 0x9e3779b97f4a7c15L, 10)).isEqualTo(3);
        // dropped, and the doorkeeper, smaller now, starts empty: a first request (3 had it been kept)
        assertThat(t.add(3_000 * 0x9e3779b97f4a7c15L, 10)).isEqualTo(1);
        for (long k = 100_001; k <= 103_000; k++) {
            admitted(t, k * 0x9e3779b97f4a7c15L, 10);
        }
        assertThat(t.size()).as("the new cap holds").isLessThanOrEqualTo(1_000);
    }

    /**
     * Lowered with the table full at the old cap, every key kept is still found and counted on (none placed past
     * the probes a look-up walks), and the newest keep their counts.
     */
    @Test
    void aLowerCapOnAFullTableLeavesNoKeyOutOfReach() {
        CounterTable t = new CounterTable(100_000);
        for (long k = 1; k <= 100_000; k++) {
            admitted(t, k * 0x9e3779b97f4a7c15L, 10);
        }
        for (int cap : new int[] {65_536, 60_000, 32_768}) {
            t.setMaxKeys(cap);
            assertThat(t.allKeysFound()).as("max-keys " + cap).isTrue();
            assertThat(t.size()).isLessThanOrEqualTo(cap).isGreaterThan(cap * 9 / 10);
        }
        assertThat(t.add(100_000 * 0x9e3779b97f4a7c15L, 10)).as("the newest key's count").isEqualTo(3);
    }

    /** Raised, the doorkeeper grows with the cap: a spray of one-off keys still stays out of the table. */
    @Test
    void aHigherCapGivesTheDoorkeeperItsSize() {
        CounterTable t = new CounterTable(1_000);
        t.setMaxKeys(100_000);
        for (long k = 1; k <= 50_000; k++) {
            t.add(k * 0x9e3779b97f4a7c15L, 10);
        }
        assertThat(t.size()).as("admitted on their first request (a shared doorkeeper bit)").isLessThan(5_000);
    }

    /** Fills a table past what 2 MB of direct memory holds; prints its size, capacity and a busy key's count. */
    static final class DirectMemorySpent {
        public static void main(String[] args) {
            CounterTable t = new CounterTable(100_000);
            for (long k = 1; k <= 200_000; k++) {
                t.add(k * 0x9e3779b97f4a7c15L, 3);
                t.add(k * 0x9e3779b97f4a7c15L, 3);
            }
            t.add(KEY, 3);
            t.add(KEY, 3);
            System.out.println(t.size() + " " + t.capacity() + " " + t.add(KEY, 3));
        }
    }
}
