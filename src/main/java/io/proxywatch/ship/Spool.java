package io.proxywatch.ship;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.file.StandardCopyOption;
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
 * <p>Oldest means the batch's {@link Batch#order()}, then the order of writing: a batch that spent its retries
 * before it got here is replayed before the newer ones the outage sent here straight away. Files are named
 * {@code <order>-<sequence>.batch} (a file named {@code <sequence>.batch}, from before orders were kept, counts as
 * order 0).
 *
 * <p>File format: one JSON header line {@code {"id":…,"records":N,"service":…}}, then the records as NDJSON.
 */
public final class Spool {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.ship");
    private static final String SUFFIX = ".batch";
    /** Where damaged spool files are moved, in the spool folder: kept for a look, never sent. */
    static final String CORRUPT = "corrupt";

    private final Path dir;
    private final long maxBytes;
    private final boolean dropOldest;
    private final ShipStats stats;
    private final TreeMap<Place, Long> files = new TreeMap<>(); // -> size, negated while reserved
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
                    Place place;
                    try {
                        place = Place.parse(name.substring(0, name.length() - SUFFIX.length()));
                    } catch (NumberFormatException e) {
                        LOG.warn("{} is not a spooled batch (not a name proxywatch writes): left alone", p);
                        continue;
                    }
                    long size = Files.size(p);
                    files.put(place, size);
                    totalBytes += size;
                    nextSeq = Math.max(nextSeq, place.sequence() + 1);
                }
            }
        }
        if (!files.isEmpty()) {
            LOG.info("spool holds {} batches ({} bytes) from before: replaying them", files.size(), totalBytes);
        }
    }

    /** Writes the batch durably; with the block policy waits while the spool is full. */
    public void write(Batch batch) throws IOException, InterruptedException {
        write(batch, true);
    }

    /**
     * Puts {@code parts} (the halves of a batch the collector found too large) in the spool in place of
     * {@code spooled}, in its order. Written before it is removed, so a crash in between sends its records twice
     * rather than never; past the cap if need be, since the batch they replace is about to go.
     */
    public void replace(SpooledBatch spooled, List<Batch> parts) throws IOException {
        try {
            for (Batch part : parts) {
                part.order(spooled.place().order());
                write(part, false);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // not reached: a write past the cap does not wait
            throw new IOException("interrupted", e);
        }
        remove(spooled);
    }

    private void write(Batch batch, boolean withinCap) throws IOException, InterruptedException {
        byte[] bytes = encode(batch);
        Place place = reserve(batch.order(), bytes.length, withinCap);
        try {
            AtomicFiles.write(dir.resolve(place.fileName()), bytes, true);
        } catch (IOException e) {
            release(place);
            throw e;
        }
        synchronized (this) {
            files.put(place, (long) bytes.length);
        }
        stats.recordsSpooled.addAndGet(batch.size());
    }

    private synchronized Place reserve(long order, long size, boolean withinCap) throws InterruptedException {
        boolean warned = false;
        // once proxywatch is stopping, a batch must reach the disk before exit even past the cap
        while (withinCap && totalBytes + size > maxBytes && !stopping.getAsBoolean()) {
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
        Place place = new Place(order, nextSeq++);
        files.put(place, -size); // reserved, not yet readable: its size, negative (a batch has a header, so size > 0)
        return place;
    }

    /**
     * Forgets a batch, written or only reserved (a write that failed, on a full disk say, gives its bytes back: they
     * had stayed counted for good, and with drop-oldest every later write then dropped older batches from a spool
     * that was nearly empty).
     */
    private synchronized void release(Place place) {
        Long size = files.remove(place);
        if (size != null) {
            totalBytes -= Math.abs(size);
        }
        notifyAll();
    }

    private void dropOldestBatch() {
        Place oldest = firstComplete();
        if (oldest == null) {
            return;
        }
        Path p = dir.resolve(oldest.fileName());
        try {
            SpooledBatch dropped = read(oldest);
            stats.recordsDropped.addAndGet(dropped.batch().size());
            LOG.warn("spool is full: dropped the oldest batch {} ({} records)", dropped.batch().id(),
                    dropped.batch().size());
            Files.deleteIfExists(p);
        } catch (Damaged e) {
            try {
                setAside(oldest, e);
                return;
            } catch (IOException moving) {
                LOG.error("could not drop {}: {}", p, moving.toString());
            }
        } catch (IOException e) {
            LOG.error("could not drop {}: {}", p, e.toString());
        }
        release(oldest);
    }

    /**
     * The oldest complete batch, or null when the spool is empty. A damaged file (empty, or its header cut) is moved
     * to {@code corrupt/} with an error and the next one is returned: it threw here on every try, and the batches
     * behind it were never sent.
     */
    public SpooledBatch oldest() throws IOException {
        while (true) {
            Place place;
            synchronized (this) {
                place = firstComplete();
            }
            if (place == null) {
                return null;
            }
            try {
                return read(place);
            } catch (Damaged e) {
                setAside(place, e);
            }
        }
    }

    private void setAside(Place place, Damaged why) throws IOException {
        Path from = dir.resolve(place.fileName());
        Path to = dir.resolve(CORRUPT).resolve(place.fileName());
        Files.createDirectories(to.getParent());
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        LOG.error("spooled batch {} is damaged ({}): moved to {}, its records are not sent", from, why.getMessage(),
                to);
        release(place);
    }

    /** A spool file that cannot be read as a batch. */
    static final class Damaged extends IOException {
        Damaged(String message) {
            super(message);
        }
    }

    /** The batch reached the collector (or the dead-letter folder): forget it. */
    public void remove(SpooledBatch spooled) throws IOException {
        Files.deleteIfExists(dir.resolve(spooled.place().fileName()));
        release(spooled.place());
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

    private Place firstComplete() {
        for (var e : files.entrySet()) {
            if (e.getValue() >= 0) {
                return e.getKey();
            }
        }
        return null;
    }

    private SpooledBatch read(Place place) throws IOException {
        byte[] all = Files.readAllBytes(dir.resolve(place.fileName()));
        int nl = indexOf(all, 0);
        if (nl < 0) {
            throw new Damaged(all.length == 0 ? "empty" : "no end to its header");
        }
        JsonNode header;
        try {
            header = Jackson.mapper().readTree(new String(all, 0, nl, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new Damaged("its header is not JSON");
        }
        if (header == null || !header.hasNonNull("id")) {
            throw new Damaged("its header has no id");
        }
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
        batch.order(place.order());
        return new SpooledBatch(place, batch);
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

    /** A batch's place in line: its order, then when it was written. */
    public record Place(long order, long sequence) implements Comparable<Place> {
        static Place parse(String name) {
            int dash = name.indexOf('-');
            return dash < 0 ? new Place(0, Long.parseLong(name))
                    : new Place(Long.parseLong(name.substring(0, dash)), Long.parseLong(name.substring(dash + 1)));
        }

        /** Order 0 is a file from before orders were kept, still under its old name. */
        String fileName() {
            return order == 0 ? String.format("%016d%s", sequence, SUFFIX)
                    : String.format("%019d-%016d%s", order, sequence, SUFFIX);
        }

        @Override
        public int compareTo(Place o) {
            int c = Long.compare(order, o.order);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    /** A batch read back from the spool, with its place in line. */
    public record SpooledBatch(Place place, Batch batch) {
    }
}
