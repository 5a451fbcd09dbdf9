package io.proxywatch.ship;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;

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
        // the enum camel-http asks for: from the text "POST" it was converted per request by a scan of every type
        // converter (~50 KB of garbage a batch)
        exchange.getIn().setHeader(Exchange.HTTP_METHOD, HttpMethods.POST);
        BatchBody body = body(batch);
        exchange.getIn().setHeader(Exchange.CONTENT_TYPE, body.getContentType());
        exchange.getIn().setHeader(BATCH_ID_HEADER, batch.id());
        if (gzip) {
            // camel-http compresses the body itself when it sees this header: we must not gzip it too
            exchange.getIn().setHeader(Exchange.CONTENT_ENCODING, "gzip");
        }
        exchange.getIn().setBody(gzip ? body.toByteArray() : body);
    }

    /** The body of a batch's request. */
    BatchBody body(Batch batch) {
        if (ndjson) {
            return BatchBody.ndjson(batch.records(), batch.bytes());
        }
        String svc = service != null ? service : batch.service();
        byte[] head = ("{\"hostname\":" + quote(hostname) + ",\"service\":" + quote(svc) + ",\"logs\":[")
                .getBytes(StandardCharsets.UTF_8);
        return BatchBody.envelope(head, batch.records(), batch.bytes());
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }
}
