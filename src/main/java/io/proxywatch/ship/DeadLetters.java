package io.proxywatch.ship;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxywatch.record.Jackson;
import io.proxywatch.store.AtomicFiles;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Batches the collector rejected for good (a 4xx other than 408/429/413): kept in {@code data/dead-letter/}
 * with the status and the response, so an operator can look, fix and resend; never retried.
 */
public final class DeadLetters {
    private static final Logger LOG = LoggerFactory.getLogger("proxywatch.ship");
    private static final int MAX_RESPONSE_CHARS = 64 * 1024;

    private final Path dir;
    private final ShipStats stats;

    public DeadLetters(Path dir, ShipStats stats) throws IOException {
        this.dir = dir;
        this.stats = stats;
        Files.createDirectories(dir);
    }

    public void write(Batch batch, Throwable cause) throws IOException {
        ObjectNode doc = Jackson.mapper().createObjectNode();
        doc.put("batch_id", batch.id());
        doc.put("time", Instant.now().toString());
        if (cause instanceof HttpOperationFailedException h) {
            doc.put("status", h.getStatusCode());
            String body = h.getResponseBody() == null ? "" : h.getResponseBody();
            doc.put("response_body", body.length() > MAX_RESPONSE_CHARS ? body.substring(0, MAX_RESPONSE_CHARS) : body);
        } else {
            doc.put("status", 0);
            doc.put("response_body", String.valueOf(cause));
        }
        ArrayNode records = doc.putArray("records");
        for (byte[] r : batch.records()) {
            records.add(Jackson.mapper().readTree(r));
        }
        Path file = dir.resolve(batch.id() + ".json");
        AtomicFiles.write(file, Jackson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(doc), true);
        stats.recordsDeadLettered.addAndGet(batch.size());
        LOG.error("collector rejected batch {} ({} records) with {}: kept in {}, not retried", batch.id(),
                batch.size(), RetryAfter.describe(cause), file);
    }
}
