package io.proxywatch.ship;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.apache.camel.Exchange;

import java.nio.charset.StandardCharsets;
import java.util.List;

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
        exchange.getIn().setBody(body(batch));
    }

    /** The body, built straight into an array of its exact size: no growing buffer, no final copy. */
    byte[] body(Batch batch) {
        List<byte[]> records = batch.records();
        if (ndjson) {
            byte[] out = new byte[Math.toIntExact(batch.bytes())];
            int at = 0;
            for (byte[] r : records) {
                System.arraycopy(r, 0, out, at, r.length);
                at += r.length;
                out[at++] = '\n';
            }
            return out;
        }
        String svc = service != null ? service : batch.service();
        byte[] head = ("{\"hostname\":" + quote(hostname) + ",\"service\":" + quote(svc) + ",\"logs\":[")
                .getBytes(StandardCharsets.UTF_8);
        // batch.bytes() counts a newline after each record; here commas between them and "]}" at the end
        int commas = Math.max(0, records.size() - 1);
        byte[] out = new byte[Math.toIntExact(head.length + batch.bytes() - records.size() + commas + 2)];
        System.arraycopy(head, 0, out, 0, head.length);
        int at = head.length;
        for (int i = 0; i < records.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] r = records.get(i);
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        out[at++] = ']';
        out[at] = '}';
        return out;
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
