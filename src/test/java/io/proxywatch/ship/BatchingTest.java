package io.proxywatch.ship;

import io.proxywatch.record.LogRecord;
import io.proxywatch.tail.ChunkAck;
import io.proxywatch.testkit.MutableClock;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class BatchingTest {
    private static List<LogRecord> records(int n) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LogRecord r = new LogRecord();
            r.setTimestamp(Instant.parse("2026-11-25T12:00:00Z"));
            r.setMessage("m" + i);
            r.setTraceId("t-" + i);
            r.setSourceFile("/x.log");
            out.add(r);
        }
        return out;
    }

    @Test
    void slicesRespectMaxRecordsAndMaxBytesAndEachHoldsAShare() {
        AtomicInteger safe = new AtomicInteger();
        ChunkAck ack = new ChunkAck(safe::incrementAndGet, () -> { });
        List<ShipSlice> slices = new BatchSlicer(400, 1 << 20).slices(records(1000), ack);
        assertThat(slices).extracting(s -> s.records().size()).containsExactly(400, 400, 200);
        assertThat(ack.outstanding()).isEqualTo(4); // the exchange's own share + one per slice

        long oneRecord = slices.get(0).bytes() / 400;
        List<ShipSlice> byBytes = new BatchSlicer(1000, oneRecord * 10).slices(records(25), null);
        assertThat(byBytes).allSatisfy(s -> assertThat(s.bytes()).isLessThanOrEqualTo(oneRecord * 10));
        assertThat(byBytes.stream().mapToInt(s -> s.records().size()).sum()).isEqualTo(25);
    }

    @Test
    void aChunkIsSafeOnlyWhenEveryBatchHoldingPartOfItSettled() {
        AtomicInteger safe = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ChunkAck ack = new ChunkAck(safe::incrementAndGet, failed::incrementAndGet);
        List<ShipSlice> slices = new BatchSlicer(600, 1 << 20).slices(records(1000), ack);
        Batch first = Batch.of(slices.get(0), 0);
        Batch second = Batch.of(slices.get(1), 0);
        ack.release(); // the exchange completed
        first.settled();
        assertThat(safe).hasValue(0);
        second.settled();
        assertThat(safe).hasValue(1);
        assertThat(failed).hasValue(0);
    }

    @Test
    void aFailedBatchFailsItsChunksOnce() {
        AtomicInteger safe = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ChunkAck ack = new ChunkAck(safe::incrementAndGet, failed::incrementAndGet);
        Batch batch = Batch.of(new BatchSlicer(1000, 1 << 20).slices(records(10), ack).get(0), 0);
        ack.release();
        batch.failed();
        batch.settled();
        assertThat(failed).hasValue(1);
        assertThat(safe).hasValue(0);
    }

    @Test
    void halvesKeepEveryRecordAndBothHalvesMustSettle() {
        AtomicInteger safe = new AtomicInteger();
        ChunkAck ack = new ChunkAck(safe::incrementAndGet, () -> { });
        Batch batch = Batch.of(new BatchSlicer(1000, 1 << 20).slices(records(7), ack).get(0), 0);
        ack.release();
        List<Batch> halves = batch.halves();
        assertThat(halves).extracting(Batch::size).containsExactly(3, 4);
        assertThat(halves).extracting(Batch::id).containsExactly(batch.id() + "-a", batch.id() + "-b");
        halves.get(0).settled();
        assertThat(safe).hasValue(0);
        halves.get(1).settled();
        assertThat(safe).hasValue(1);
    }

    /** An exchange carrying one slice of {@code n} records, as the split in ship.yaml hands it to the aggregator. */
    private static Exchange slice(DefaultCamelContext camel, int n) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setBody(new BatchSlicer(n, 1 << 20).slices(records(n), null).get(0));
        return e;
    }

    private static ShipSlice body(Exchange e) {
        return e.getIn().getBody(ShipSlice.class);
    }

    /** A slow log: slices keep coming, so Camel's timeout (counted from the last one) would never close the batch. */
    @Test
    void aSliceJoiningABatchAsOldAsTheTimeoutClosesIt() throws Exception {
        MutableClock clock = new MutableClock();
        BatchAggregator aggregator = new BatchAggregator(1000, 1 << 20, 1000, clock);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            Exchange batch = null;
            for (int i = 0; i < 10; i++) {
                Exchange s = slice(camel, 1);
                assertThat(aggregator.closesBatch(body(s))).as("slice %d at %d ms", i, i * 100).isFalse();
                batch = aggregator.aggregate(batch, s);
                clock.advance(100);
            }
            Exchange last = slice(camel, 1);
            assertThat(aggregator.closesBatch(body(last))).as("at 1000 ms after the first slice").isTrue();
            batch = aggregator.aggregate(batch, last);
            assertThat(batch.getIn().getBody(Batch.class).size()).isEqualTo(11);

            aggregator.onCompletion(batch);
            assertThat(aggregator.closesBatch(body(slice(camel, 1)))).as("a new batch starts young").isFalse();
        }
    }

    @Test
    void theSliceThatFillsABatchClosesItAndOneThatWouldOverflowItStartsTheNext() throws Exception {
        BatchAggregator aggregator = new BatchAggregator(5, 1 << 20, 60_000, new MutableClock());
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            assertThat(aggregator.closesBatch(body(slice(camel, 5)))).as("a full slice, no batch open").isTrue();
            assertThat(aggregator.closesBatch(body(slice(camel, 4)))).isFalse();

            Exchange batch = aggregator.aggregate(null, slice(camel, 3));
            assertThat(aggregator.closesBatch(body(slice(camel, 2)))).as("3 + 2 of 5").isTrue();
            assertThat(aggregator.closesBatch(body(slice(camel, 1)))).as("3 + 1 of 5").isFalse();
            assertThat(aggregator.preComplete(batch, slice(camel, 3))).as("3 + 3 overflows").isTrue();
            assertThat(aggregator.closesBatch(body(slice(camel, 3)))).as("starts a batch of 3 of 5").isFalse();
            assertThat(aggregator.closesBatch(body(slice(camel, 5)))).as("starts a batch full on its own").isTrue();

            aggregator.onCompletion(new DefaultExchange(camel)); // another batch's completion leaves this one open
            assertThat(aggregator.closesBatch(body(slice(camel, 2)))).isTrue();
            aggregator.onCompletion(batch);
            assertThat(aggregator.closesBatch(body(slice(camel, 2)))).as("no batch open after completion").isFalse();
        }
    }

    @Test
    void aSliceThatBringsABatchToMaxBytesClosesIt() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            long sliceBytes = body(slice(camel, 2)).bytes();
            BatchAggregator aggregator = new BatchAggregator(1000, sliceBytes * 2, 60_000, new MutableClock());
            Exchange batch = aggregator.aggregate(null, slice(camel, 2));
            assertThat(aggregator.closesBatch(body(slice(camel, 2)))).isTrue();
            assertThat(aggregator.closesBatch(body(slice(camel, 1)))).isFalse();
            assertThat(batch.getIn().getBody(Batch.class).bytes()).isEqualTo(sliceBytes);
        }
    }
}
