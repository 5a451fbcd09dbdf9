package io.proxywatch.tail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxywatch.store.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoints of every file, kept in one JSON file replaced with {@link AtomicFiles}, so a kill at any
 * moment leaves either the old or the new version, never a torn one.
 */
public final class CheckpointStore {
    static final String FILE_NAME = "checkpoints.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final boolean existedAtStart;
    private final Map<String, Checkpoint> entries = new LinkedHashMap<>();
    private boolean dirty;
    private boolean undurable;

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
        }
    }

    public synchronized void remove(String id) {
        if (entries.remove(id) != null) {
            dirty = true;
        }
    }

    /** True when the file on disk may hold changes that were not yet fsynced. */
    public synchronized boolean needsFsync() {
        return dirty || undurable;
    }

    /**
     * Writes the store if anything changed. Always atomic (a killed process leaves the old or the new file);
     * with {@code durable} also fsynced, so it survives a power loss.
     */
    public synchronized void save(boolean durable) throws IOException {
        if (!dirty && !(durable && undurable)) {
            return;
        }
        ArrayNode files = JSON.createArrayNode();
        for (Map.Entry<String, Checkpoint> e : entries.entrySet()) {
            Checkpoint c = e.getValue();
            ObjectNode n = files.addObject();
            n.put("id", e.getKey());
            n.put("path", c.path());
            if (c.identity().fileKey() != null) {
                n.put("file_key", c.identity().fileKey());
            }
            n.put("fp_length", c.identity().fpLength());
            n.put("fp_hash", c.identity().fpHash());
            n.put("offset", c.offset());
            n.put("updated_ms", c.updatedMs());
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        root.set("files", files);
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), durable);
        dirty = false;
        undurable = !durable;
    }

    private void load() throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("checkpoint store " + file + " is unreadable (" + e.getMessage()
                    + "); move it away to start over", e);
        }
        for (JsonNode n : root.path("files")) {
            String key = n.hasNonNull("file_key") ? n.get("file_key").asText() : null;
            FileIdentity identity = new FileIdentity(key, n.path("fp_length").asInt(), n.path("fp_hash").asLong());
            entries.put(n.path("id").asText(), new Checkpoint(n.path("path").asText(), identity,
                    n.path("offset").asLong(), n.path("updated_ms").asLong()));
        }
    }
}
