package io.proxywatch.ship;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxywatch.record.Jackson;
import io.proxywatch.store.AtomicFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/**
 * Batches the collector could not take, on disk, oldest first. A batch counts as safe only once its file is
 * written durably ({@link AtomicFiles}), so a kill at any moment leaves either no file or a whole one. Capped in
 * bytes: {@code block} makes writers wait (backpressure up to the tailer, which keeps its place),
 * {@code drop-oldest} deletes the oldest batches and counts what it dropped.
 *
 * <p>File format: one JSON header line {@code {"id":…,"records":N,"service":…}}, then the records as NDJSON.
 */
public final class Spool {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.ship");
    private static final String SUFFIX = ".batch";

    private final Path dir;
    private final long maxBytes;
    private final boolean dropOldest;
    private final ShipStats stats;
    private final TreeMap<Long, Long> files = new TreeMap<>(); // sequence -> size
    private long nextSeq;
    private long totalBytes;
    private final BooleanSupplier stopping;

    /** @param stopping true once proxywatch is shutting down: a full spool then stops holding writers */
    public Spool(Path dir, long maxBytes, boolean dropOldest, ShipStats stats, BooleanSupplier stopping)
            throws IOException {
        this.dir = dir;
        this.stopping = stopping;
        this.maxBytes = maxBytes;
        this.dropOldest = dropOldest;
        this.stats = stats;
        Files.createDirectories(dir);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.endsWith(AtomicFiles.TEMP_SUFFIX)) {
                    Files.deleteIfExists(p); // a write that never completed: its chunk was never acked
                } else if (name.endsWith(SUFFIX)) {
                    long seq = Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
                    long size = Files.size(p);
                    files.put(seq, size);
                    totalBytes += size;
                    nextSeq = Math.max(nextSeq, seq + 1);
                }
            }
        }
        if (!files.isEmpty()) {
            LOG.info("spool holds {} batches ({} bytes) from before: replaying them", files.size(), totalBytes);
        }
    }

    /** Writes the batch durably; with the block policy waits while the spool is full. */
    public void write(Batch batch) throws IOException, InterruptedException {
        byte[] bytes = encode(batch);
        long seq = reserve(bytes.length);
        try {
            AtomicFiles.write(dir.resolve(name(seq)), bytes, true);
        } catch (IOException e) {
            release(seq);
            throw e;
        }
        synchronized (this) {
            files.put(seq, (long) bytes.length);
        }
        stats.recordsSpooled.addAndGet(batch.size());
    }

    private synchronized long reserve(long size) throws InterruptedException {
        boolean warned = false;
        // once proxywatch is stopping, a batch must reach the disk before exit even past the cap
        while (totalBytes + size > maxBytes && !stopping.getAsBoolean()) {
            if (firstComplete() == null) {
                break; // nothing to drop or to wait for: an oversized batch still gets in
            }
            if (dropOldest) {
                dropOldestBatch();
                continue;
            }
            if (!warned) {
                LOG.warn("spool is full ({} of {} bytes): holding new batches, and so the logs, until it drains",
                        totalBytes, maxBytes);
                warned = true;
            }
            wait(200);
        }
        totalBytes += size;
        files.put(nextSeq, -1L); // reserved, not yet readable
        return nextSeq++;
    }

    private synchronized void release(long seq) {
        Long size = files.remove(seq);
        if (size != null && size > 0) {
            totalBytes -= size;
        }
        notifyAll();
    }

    private void dropOldestBatch() {
        Long seq = firstComplete();
        if (seq == null) {
            return;
        }
        Path p = dir.resolve(name(seq));
        try {
            SpooledBatch dropped = read(seq);
            stats.recordsDropped.addAndGet(dropped.batch().size());
            LOG.warn("spool is full: dropped the oldest batch {} ({} records)", dropped.batch().id(),
                    dropped.batch().size());
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.error("could not drop {}: {}", p, e.toString());
        }
        release(seq);
    }

    /** The oldest complete batch, or null when the spool is empty. */
    public SpooledBatch oldest() throws IOException {
        Long seq;
        synchronized (this) {
            seq = firstComplete();
        }
        return seq == null ? null : read(seq);
    }

    /** The batch reached the collector (or the dead-letter folder): forget it. */
    public void remove(SpooledBatch spooled) throws IOException {
        Files.deleteIfExists(dir.resolve(name(spooled.sequence())));
        release(spooled.sequence());
    }

    public long maxBytes() {
        return maxBytes;
    }

    public synchronized long bytes() {
        return totalBytes;
    }

    public synchronized int batches() {
        return (int) files.values().stream().filter(s -> s >= 0).count();
    }

    private Long firstComplete() {
        for (var e : files.entrySet()) {
            if (e.getValue() >= 0) {
                return e.getKey();
            }
        }
        return null;
    }

    private SpooledBatch read(long seq) throws IOException {
        byte[] all = Files.readAllBytes(dir.resolve(name(seq)));
        int nl = indexOf(all, 0);
        ObjectNode header = (ObjectNode) Jackson.mapper().readTree(new String(all, 0, nl, StandardCharsets.UTF_8));
        List<byte[]> records = new ArrayList<>();
        int start = nl + 1;
        while (start < all.length) {
            int end = indexOf(all, start);
            if (end < 0) {
                end = all.length;
            }
            if (end > start) {
                records.add(java.util.Arrays.copyOfRange(all, start, end));
            }
            start = end + 1;
        }
        Batch batch = new Batch(header.path("id").asText(), records, new ArrayList<>());
        batch.service(header.hasNonNull("service") ? header.get("service").asText() : null);
        return new SpooledBatch(seq, batch);
    }

    private static byte[] encode(Batch batch) {
        ObjectNode header = Jackson.mapper().createObjectNode();
        header.put("id", batch.id());
        header.put("records", batch.size());
        header.put("service", batch.service());
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, batch.bytes() + 128));
        out.writeBytes(header.toString().getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        for (byte[] r : batch.records()) {
            out.writeBytes(r);
            out.write('\n');
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static String name(long seq) {
        return String.format("%016d%s", seq, SUFFIX);
    }

    /** A batch read back from the spool, with its place in line. */
    public record SpooledBatch(long sequence, Batch batch) {
    }
}
