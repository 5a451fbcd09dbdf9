package io.proxywatch.tail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.proxywatch.store.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoints of every file, kept in one JSON file that a kill at any moment leaves either old or new,
 * never torn. Durable saves replace it with {@link AtomicFiles} (fsynced temp file, rename). The saves in
 * between, one per chunk, overwrite it in place when it fits one page: a replace-by-rename under a steady
 * stream of level-file writes cost 0.2–3.5 ms on ext4 (the rename starts writeback of the new file), 40% of
 * the pipeline thread at 100k lines/s; one page written by one pwrite costs 3–5 µs, and the kernel copies a
 * single page whole or not at all when the process is killed. The file is padded with spaces to that page,
 * which JSON readers skip.
 */
public final class CheckpointStore {
    static final String FILE_NAME = "checkpoints.json";
    /** The in-place size: one page of the page cache. A bigger store is always replaced by rename. */
    static final int PAGE_BYTES = 4096;
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    /** checkpoints.json as last replaced, open for in-place saves; null until the next one needs it. */
    private FileChannel inPlace;
    private final boolean existedAtStart;
    private final Map<String, Checkpoint> entries = new LinkedHashMap<>();
    private boolean dirty;
    private boolean undurable;
    /** Counts changes, so a durable save knows whether entries changed while it forced the data. */
    private long changes;

    public CheckpointStore(Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        this.file = stateDir.resolve(FILE_NAME);
        this.existedAtStart = Files.exists(file);
        if (existedAtStart) {
            load();
        }
    }

    /** False on the very first start in this state folder: then files already present begin at their end. */
    public boolean existedAtStart() {
        return existedAtStart;
    }

    public synchronized List<Map.Entry<String, Checkpoint>> entries() {
        return new ArrayList<>(entries.entrySet());
    }

    public synchronized Checkpoint get(String id) {
        return entries.get(id);
    }

    public synchronized void put(String id, Checkpoint checkpoint) {
        Checkpoint old = entries.put(id, checkpoint);
        if (!checkpoint.equals(old)) {
            dirty = true;
            changes++;
        }
    }

    public synchronized void remove(String id) {
        if (entries.remove(id) != null) {
            dirty = true;
            changes++;
        }
    }

    /** True when the file on disk may hold changes that were not yet fsynced. */
    public synchronized boolean needsFsync() {
        return dirty || undurable;
    }

    /** Writes the store if anything changed: in place when it fits a page, else replaced by rename. */
    public synchronized void save() throws IOException {
        if (!dirty) {
            return;
        }
        byte[] page = padded(render());
        if (!overwrite(page)) {
            replace(page, false);
        }
        dirty = false;
        undurable = true;
    }

    /**
     * Writes the store so that it survives a power loss, vouching only for what {@code forceData} made durable:
     * the entries are taken first, then the data they cover is forced (level files, spool), then they are
     * written and fsynced. Entries that changed meanwhile are written in place right after, so the file does
     * not stay behind what the kill-safe saves had already written.
     */
    public void saveDurably(Runnable forceData) throws IOException {
        byte[] page;
        long taken;
        synchronized (this) {
            if (!dirty && !undurable) {
                return;
            }
            page = padded(render());
            taken = changes;
        }
        forceData.run();
        synchronized (this) {
            replace(page, true);
            if (changes == taken) {
                dirty = false;
                undurable = false;
            } else {
                dirty = true;
                save();
            }
        }
    }

    private void replace(byte[] page, boolean durable) throws IOException {
        closeInPlace(); // the rename gives the name a new file; Windows also refuses to replace an open one
        AtomicFiles.write(file, page, durable);
    }

    /** Lets go of the file kept open for in-place saves. */
    public synchronized void close() {
        closeInPlace();
    }

    private boolean overwrite(byte[] page) throws IOException {
        if (page.length != PAGE_BYTES) {
            return false;
        }
        if (inPlace == null) {
            if (!Files.exists(file)) {
                return false;
            }
            inPlace = FileChannel.open(file, StandardOpenOption.WRITE);
        }
        if (inPlace.size() != PAGE_BYTES) {
            return false; // written by an older version, or grown past a page since
        }
        ByteBuffer buf = ByteBuffer.wrap(page);
        while (buf.hasRemaining()) {
            inPlace.write(buf, buf.position());
        }
        return true;
    }

    private void closeInPlace() {
        if (inPlace != null) {
            try {
                inPlace.close();
            } catch (IOException e) {
                // nothing was pending on it: every write to it has returned
            }
            inPlace = null;
        }
    }

    /** The JSON padded with spaces and a newline to exactly one page, when it fits one. */
    private static byte[] padded(byte[] json) {
        if (json.length >= PAGE_BYTES) {
            return json;
        }
        byte[] page = Arrays.copyOf(json, PAGE_BYTES);
        Arrays.fill(page, json.length, PAGE_BYTES - 1, (byte) ' ');
        page[PAGE_BYTES - 1] = '\n';
        return page;
    }

    /** The store as pretty-printed JSON, {"version":1,"files":[{"id":…,"path":…,…}]}. */
    private byte[] render() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        // jackson-core's streaming writer, not an ObjectMapper: this runs once a chunk, and at start-up before the
        // first line, where building a mapper would load some 450 classes
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeNumberField("version", 1);
            g.writeArrayFieldStart("files");
            for (Map.Entry<String, Checkpoint> e : entries.entrySet()) {
                Checkpoint c = e.getValue();
                g.writeStartObject();
                g.writeStringField("id", e.getKey());
                g.writeStringField("path", c.path());
                if (c.identity().fileKey() != null) {
                    g.writeStringField("file_key", c.identity().fileKey());
                }
                g.writeNumberField("fp_length", c.identity().fpLength());
                g.writeNumberField("fp_hash", c.identity().fpHash());
                g.writeNumberField("offset", c.offset());
                g.writeNumberField("updated_ms", c.updatedMs());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private void load() throws IOException {
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return; // not the store's shape: nothing to resume from
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (name.equals("files") && t == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        readEntry(p);
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IOException("checkpoint store " + file + " is unreadable (" + e.getMessage()
                    + "); move it away to start over", e);
        }
    }

    /** One {"id":…,…} of "files", the parser at its start; a missing field reads as "" or 0, unknown ones are skipped. */
    private void readEntry(JsonParser p) throws IOException {
        String id = "";
        String path = "";
        String key = null;
        int fpLength = 0;
        long fpHash = 0;
        long offset = 0;
        long updatedMs = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (!t.isScalarValue()) {
                p.skipChildren();
                continue;
            }
            switch (name) {
                case "id" -> id = text(p);
                case "path" -> path = text(p);
                case "file_key" -> key = t == JsonToken.VALUE_NULL ? null : text(p);
                case "fp_length" -> fpLength = p.getValueAsInt();
                case "fp_hash" -> fpHash = p.getValueAsLong();
                case "offset" -> offset = p.getValueAsLong();
                case "updated_ms" -> updatedMs = p.getValueAsLong();
                default -> { }
            }
        }
        entries.put(id, new Checkpoint(path, new FileIdentity(key, fpLength, fpHash), offset, updatedMs));
    }

    private static String text(JsonParser p) throws IOException {
        String s = p.getValueAsString();
        return s == null ? "" : s;
    }
}
