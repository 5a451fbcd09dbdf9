package io.proxywatch.ship;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpoolTest {
    @TempDir
    Path dir;

    private static Batch batch(String id, int records) {
        List<byte[]> rs = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            rs.add(("{\"trace_id\":\"" + id + "-" + i + "\"}").getBytes(StandardCharsets.UTF_8));
        }
        return new Batch(id, rs, new ArrayList<>());
    }

    @Test
    void batchesComeBackOldestFirstAndSurviveAReopen() throws Exception {
        ShipStats stats = new ShipStats();
        Spool spool = new Spool(dir, 1 << 20, false, stats, () -> false);
        Batch one = batch("one", 2);
        one.service("gateway");
        spool.write(one);
        spool.write(batch("two", 3));
        Files.writeString(dir.resolve("0000000000000099.batch.tmp"), "half written"); // a write cut by a kill
        Spool reopened = new Spool(dir, 1 << 20, false, new ShipStats(), () -> false);
        assertThat(reopened.batches()).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("0000000000000099.batch.tmp"))).isFalse();
        Spool.SpooledBatch first = reopened.oldest();
        assertThat(first.batch().id()).isEqualTo("one");
        assertThat(first.batch().service()).isEqualTo("gateway");
        assertThat(new String(first.batch().records().get(1), StandardCharsets.UTF_8)).contains("one-1");
        reopened.remove(first);
        assertThat(reopened.oldest().batch().id()).isEqualTo("two");
        assertThat(reopened.oldest().batch().size()).isEqualTo(3);
        reopened.write(batch("three", 1));
        reopened.remove(reopened.oldest());
        assertThat(reopened.oldest().batch().id()).isEqualTo("three");
        assertThat(stats.recordsSpooled).hasValue(5);
    }

    private static ShipSlice slice(String traceId) {
        byte[] json = ("{\"trace_id\":\"" + traceId + "\"}").getBytes(StandardCharsets.UTF_8);
        return new ShipSlice(List.of(json), json.length + 1, null, null);
    }

    /** A batch that spent its retries before it got here still goes back before newer ones spooled at once. */
    @Test
    void batchesComeBackInTheOrderTheyWereOpenedNotWritten() throws Exception {
        Spool spool = new Spool(dir, 1 << 20, false, new ShipStats(), () -> false);
        Batch retried = Batch.of(slice("t-1"), 1_795_000_000_000L);
        Batch newer = Batch.of(slice("t-2"), 1_795_000_000_001L);
        assertThat(newer.order()).isGreaterThan(retried.order());
        List<Batch> halves = newer.halves(); // a 413 splits a batch: its halves keep its place, a before b
        spool.write(halves.get(0));
        spool.write(retried);
        spool.write(halves.get(1));
        Spool reopened = new Spool(dir, 1 << 20, false, new ShipStats(), () -> false);
        List<String> ids = new ArrayList<>();
        for (Spool.SpooledBatch b = reopened.oldest(); b != null; b = reopened.oldest()) {
            ids.add(b.batch().id());
            assertThat(b.batch().order()).isEqualTo(b.batch().id().equals(retried.id()) ? retried.order()
                    : newer.order());
            reopened.remove(b);
        }
        assertThat(ids).containsExactly(retried.id(), newer.id() + "-a", newer.id() + "-b");
    }

    /** Files written before orders were kept ({@code <sequence>.batch}) are read, and go first. */
    @Test
    void aSpoolFileOfTheOldNameIsReplayedFirst() throws Exception {
        Spool spool = new Spool(dir, 1 << 20, false, new ShipStats(), () -> false);
        spool.write(Batch.of(slice("t-9"), 1_795_000_000_000L));
        Files.writeString(dir.resolve("0000000000000007.batch"),
                "{\"id\":\"old\",\"records\":1,\"service\":null}\n{\"trace_id\":\"t-0\"}\n");
        Spool reopened = new Spool(dir, 1 << 20, false, new ShipStats(), () -> false);
        Spool.SpooledBatch first = reopened.oldest();
        assertThat(first.batch().id()).isEqualTo("old");
        assertThat(first.batch().order()).isZero();
        reopened.remove(first);
        assertThat(Files.exists(dir.resolve("0000000000000007.batch"))).isFalse();
        assertThat(reopened.oldest().batch().records()).hasSize(1);
        reopened.write(batch("later", 1)); // a sequence past the old file's
        assertThat(reopened.batches()).isEqualTo(2);
    }

    /**
     * A write that fails (here: a folder stands where the file goes; in life, a full disk) gives its reserved bytes
     * back. They stayed counted: with drop-oldest each later write then dropped older batches from a spool that
     * held almost nothing.
     */
    @Test
    void aFailedWriteGivesItsBytesBack() throws Exception {
        ShipStats stats = new ShipStats();
        Spool spool = new Spool(dir, 1 << 20, true, stats, () -> false);
        spool.write(batch("a", 1));
        long held = spool.bytes();
        String next = new Spool.Place(7, 1).fileName(); // the next write's name: order 7, after "a"'s sequence 0
        Files.createDirectories(dir.resolve(next));
        Batch b = batch("b", 1);
        b.order(7);
        assertThatThrownBy(() -> spool.write(b)).isInstanceOf(java.io.IOException.class);
        assertThat(spool.bytes()).isEqualTo(held);
        assertThat(spool.batches()).isEqualTo(1);
        assertThat(stats.recordsDropped.get()).isZero();
    }

    /**
     * A damaged spool file (empty; its header cut) is set aside and the batches behind it are sent; a file that is
     * not named as proxywatch names them is left alone. Before, reading the damaged one threw on every replay and
     * nothing behind it was ever sent, and the stray name stopped the start.
     */
    @Test
    void aDamagedFileIsSetAsideAndTheBatchesBehindItGoOn() throws Exception {
        Spool spool = new Spool(dir, 1 << 20, false, new ShipStats(), () -> false);
        spool.write(batch("a", 1));
        spool.write(batch("b", 1));
        spool.write(batch("c", 1));
        Path b = dir.resolve(new Spool.Place(0, 1).fileName());
        Path a = dir.resolve(new Spool.Place(0, 0).fileName());
        Files.write(a, new byte[0]);
        Files.write(b, "{\"id\":\"b\",\"reco".getBytes(StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("notes.batch"), "not a batch");

        Spool reopened = new Spool(dir, 1 << 20, false, new ShipStats(), () -> false);
        assertThat(reopened.oldest().batch().id()).isEqualTo("c");
        assertThat(dir.resolve(Spool.CORRUPT).resolve(a.getFileName())).exists();
        assertThat(dir.resolve(Spool.CORRUPT).resolve(b.getFileName())).exists();
        assertThat(reopened.batches()).isEqualTo(1);
        assertThat(dir.resolve("notes.batch")).exists();
    }

    @Test
    void dropOldestMakesRoomAndCountsWhatItDropped() throws Exception {
        ShipStats stats = new ShipStats();
        long oneBatch = 60;
        Spool spool = new Spool(dir, oneBatch * 2, true, stats, () -> false);
        spool.write(batch("a", 1));
        spool.write(batch("b", 1));
        spool.write(batch("c", 1));
        assertThat(spool.oldest().batch().id()).isNotEqualTo("a");
        assertThat(stats.recordsDropped.get()).isGreaterThanOrEqualTo(1);
        assertThat(spool.bytes()).isLessThanOrEqualTo(oneBatch * 2);
    }

    @Test
    void blockHoldsTheWriterUntilTheSpoolDrains() throws Exception {
        Spool spool = new Spool(dir, 100, false, new ShipStats(), () -> false);
        spool.write(batch("a", 2));
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                spool.write(batch("b", 2));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(blocked).isNotCompleted();
        org.awaitility.Awaitility.await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS)
                .until(() -> !blocked.isDone());
        spool.remove(spool.oldest());
        blocked.get(5, TimeUnit.SECONDS);
        assertThat(spool.oldest().batch().id()).isEqualTo("b");
    }

    @Test
    void aFullSpoolStopsHoldingWritersOnceProxywatchIsStopping() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        Spool spool = new Spool(dir, 100, false, new ShipStats(), stopping::get);
        spool.write(batch("a", 2));
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try {
                spool.write(batch("b", 2));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        org.awaitility.Awaitility.await().during(300, TimeUnit.MILLISECONDS).atMost(2, TimeUnit.SECONDS)
                .until(() -> !blocked.isDone());
        stopping.set(true);
        blocked.get(5, TimeUnit.SECONDS); // written past the cap: the batch is safe before the process exits
        assertThat(spool.batches()).isEqualTo(2);
    }
}
