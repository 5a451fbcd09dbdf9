package io.proxywatch.ship;

import org.apache.camel.Exchange;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns a batch into the HTTP request body and headers: the JSON envelope
 * {@code {"hostname":…,"service":…,"logs":[…]}} or NDJSON, the gzip header when asked, and the batch id. Every other
 * header is removed first, since camel-http would send exchange headers to the collector. Secrets are not
 * added here: {@link CollectorAuth} adds them inside the HTTP client, so they never sit on an exchange.
 */
public final class RequestBuilder {
    public static final String BATCH_ID_HEADER = "X-Proxywatch-Batch-Id";

    private final boolean ndjson;
    private final boolean gzip;
    private final String hostname;
    private final String service;

    /** @param service the envelope's service; null takes the batch's first record's */
    public RequestBuilder(boolean ndjson, boolean gzip, String hostname, String service) {
        this.ndjson = ndjson;
        this.gzip = gzip;
        this.hostname = hostname;
        this.service = service;
    }

    public void build(Exchange exchange) {
        Batch batch = exchange.getIn().getBody(Batch.class);
        exchange.getIn().removeHeaders("*");
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, ndjson ? "application/x-ndjson" : "application/json");
        exchange.getIn().setHeader(BATCH_ID_HEADER, batch.id());
        if (gzip) {
            // camel-http compresses the body itself when it sees this header: we must not gzip it too
            exchange.getIn().setHeader(Exchange.CONTENT_ENCODING, "gzip");
        }
        exchange.setProperty("ProxywatchBatch", batch);
        exchange.getIn().setBody(body(batch));
    }

    byte[] body(Batch batch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, batch.bytes() + 256));
        if (!ndjson) {
            String svc = service != null ? service : batch.service();
            out.writeBytes(("{\"hostname\":" + quote(hostname) + ",\"service\":" + quote(svc) + ",\"logs\":[")
                    .getBytes(StandardCharsets.UTF_8));
        }
        boolean first = true;
        for (byte[] r : batch.records()) {
            if (!ndjson && !first) {
                out.write(',');
            }
            out.writeBytes(r);
            if (ndjson) {
                out.write('\n');
            }
            first = false;
        }
        if (!ndjson) {
            out.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
