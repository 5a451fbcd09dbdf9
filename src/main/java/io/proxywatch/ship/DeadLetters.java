package io.proxywatch.ship;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.proxywatch.record.Jackson;
import io.proxywatch.store.AtomicFiles;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        // each record as the bytes it was sent as: parsing it again into a tree failed on a record the collector
        // rightly refused (one nested past Jackson's 1,000 levels, a spool file cut short), and a dead letter that
        // cannot be written sends its lines round again, for good. A record that is not one JSON value is kept as
        // text beside the others, so the file stays JSON.
        ArrayNode records = doc.putArray("records");
        ArrayNode unparsed = null;
        for (byte[] r : batch.records()) {
            String text = new String(r, StandardCharsets.UTF_8);
            if (isOneJsonValue(r)) {
                records.addRawValue(new RawValue(text));
            } else {
                if (unparsed == null) {
                    unparsed = doc.putArray("unparsed_records");
                }
                unparsed.add(text);
            }
        }
        Path file = dir.resolve(batch.id() + ".json");
        AtomicFiles.write(file, Jackson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(doc), true);
        stats.recordsDeadLettered.addAndGet(batch.size());
        LOG.error("collector rejected batch {} ({} records) with {}: kept in {}, not retried", batch.id(),
                batch.size(), RetryAfter.describe(cause), file);
    }

    /** Reads {@code json} as tokens, with no limit on nesting: no tree is built, so depth costs nothing. */
    static boolean isOneJsonValue(byte[] json) {
        try (JsonParser p = LENIENT_DEPTH.createParser(json)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static final JsonFactory LENIENT_DEPTH = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE).maxNumberLength(Integer.MAX_VALUE).build())
            .build();
}
