package io.proxywatch.ship;

import io.proxywatch.tail.ChunkAck;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records on their way to the collector, already rendered as JSON, with the acks of the chunks they came
 * from. The id is sent as {@code X-Proxywatch-Batch-Id} and stays the same on every retry and replay.
 *
 * <p>The order is when the batch was opened, in microseconds since the epoch, made unique and increasing in this
 * process: batches are opened in the order of their records, so the spool replays by it, not by when a batch
 * reached the spool (one that spent its retries there lands after newer ones the outage sent straight to it).
 */
public final class Batch {
    private static final AtomicLong LAST_ORDER = new AtomicLong();

    private final String id;
    private long order;
    private long openedAtMs;
    private final List<byte[]> records;
    private final List<ChunkAck> acks;
    private long bytes;
    private String service;

    public Batch(String id, List<byte[]> records, List<ChunkAck> acks) {
        this.id = id;
        this.records = records;
        this.acks = acks;
        for (byte[] r : records) {
            bytes += r.length + 1;
        }
    }

    /** A batch opened at {@code openedAtMs} (epoch millis) with its first slice. */
    public static Batch of(ShipSlice slice, long openedAtMs) {
        Batch b = new Batch(UUID.randomUUID().toString(), new ArrayList<>(slice.records()), new ArrayList<>());
        b.openedAtMs = openedAtMs;
        b.order = LAST_ORDER.updateAndGet(last -> Math.max(last + 1, openedAtMs * 1000));
        if (slice.ack() != null) {
            b.acks.add(slice.ack());
        }
        b.service = slice.service();
        return b;
    }

    public void add(ShipSlice slice) {
        records.addAll(slice.records());
        bytes += slice.bytes();
        if (slice.ack() != null) {
            acks.add(slice.ack());
        }
    }

    public String id() {
        return id;
    }

    /** Where the batch stands in the order of records; 0 for a batch spooled before orders were kept. */
    public long order() {
        return order;
    }

    /** When the batch was opened, epoch millis; 0 for one read back from the spool. */
    public long openedAtMs() {
        return openedAtMs;
    }

    void order(long order) {
        this.order = order;
    }

    /** The service of the batch's first record, for the envelope. */
    public String service() {
        return service;
    }

    void service(String service) {
        this.service = service;
    }

    public List<byte[]> records() {
        return records;
    }

    public int size() {
        return records.size();
    }

    /** Bytes of the records as NDJSON: what max-bytes is measured against. */
    public long bytes() {
        return bytes;
    }

    /** The records reached the collector, the spool or the dead-letter folder: their chunks are safe. */
    public void settled() {
        acks.forEach(ChunkAck::release);
    }

    /** The records could not be made safe: the chunks are read again. */
    public void failed() {
        acks.forEach(ChunkAck::fail);
    }

    /** The two halves of a batch the collector found too large (413), each keeping a share of the acks. */
    public List<Batch> halves() {
        int mid = records.size() / 2;
        List<ChunkAck> shared = new ArrayList<>(acks);
        shared.forEach(ChunkAck::retain); // the second half holds its own share
        Batch a = new Batch(id + "-a", new ArrayList<>(records.subList(0, mid)), new ArrayList<>(acks));
        Batch b = new Batch(id + "-b", new ArrayList<>(records.subList(mid, records.size())), shared);
        a.service = service;
        b.service = service;
        a.order = order; // the spool keeps a before b by the order they are written in
        b.order = order;
        a.openedAtMs = openedAtMs;
        b.openedAtMs = openedAtMs;
        return List.of(a, b);
    }
}
