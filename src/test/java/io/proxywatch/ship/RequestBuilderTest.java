package io.proxywatch.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.http.HttpMethods;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RequestBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Batch batch() {
        List<byte[]> records = new ArrayList<>();
        records.add("{\"message\":\"a\",\"trace_id\":\"t-1\"}".getBytes(StandardCharsets.UTF_8));
        records.add("{\"message\":\"b \\\"q\\\"\",\"trace_id\":\"t-2\"}".getBytes(StandardCharsets.UTF_8));
        return new Batch("b-1", records, new ArrayList<>());
    }

    @Test
    void envelopeHoldsHostnameServiceAndTheRecords() throws Exception {
        byte[] body = new RequestBuilder(false, false, "edge-1", "gate\"way").body(batch()).toByteArray();
        JsonNode doc = JSON.readTree(body);
        assertThat(doc.get("hostname").asText()).isEqualTo("edge-1");
        assertThat(doc.get("service").asText()).isEqualTo("gate\"way");
        assertThat(doc.get("logs")).hasSize(2);
        assertThat(doc.get("logs").get(1).get("message").asText()).isEqualTo("b \"q\"");
    }

    @Test
    void withoutAConfiguredServiceTheEnvelopeTakesTheBatchsFirstRecordsService() throws Exception {
        Batch b = batch();
        b.service("gateway");
        assertThat(JSON.readTree(new RequestBuilder(false, false, "h", null).body(b).toByteArray()).get("service").asText())
                .isEqualTo("gateway");
    }

    @Test
    void ndjsonIsOneRecordPerLine() throws Exception {
        byte[] plain = new RequestBuilder(true, false, "h", null).body(batch()).toByteArray();
        String[] lines = new String(plain, StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines[0]).get("trace_id").asText()).isEqualTo("t-1");
    }

    @Test
    void theBodyIsWrittenStraightFromTheRecordsWithItsExactLengthAndAgainOnARetry() throws Exception {
        for (boolean ndjson : new boolean[] {false, true}) {
            BatchBody body = new RequestBuilder(ndjson, false, "h", "s").body(batch());
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            body.writeTo(first);
            ByteArrayOutputStream second = new ByteArrayOutputStream();
            body.writeTo(second);
            assertThat(first.toByteArray()).isEqualTo(second.toByteArray()).isEqualTo(body.toByteArray())
                    .hasSize((int) body.getContentLength());
            assertThat(body.isRepeatable()).isTrue();
            assertThat(body.getContent().readAllBytes()).isEqualTo(first.toByteArray());
        }
        Batch empty = new Batch("b-0", new ArrayList<>(), new ArrayList<>());
        BatchBody none = new RequestBuilder(false, false, "h", "s").body(empty);
        assertThat(JSON.readTree(none.toByteArray()).get("logs")).isEmpty();
        assertThat(none.toByteArray()).hasSize((int) none.getContentLength());
    }

    @Test
    void theBodyReachesTheConnectionInPiecesOfTheGatherSizeWhateverItsRecords() throws Exception {
        // 3,000 records of 1-200 bytes cross the gather buffer's edge many times; two are larger than the buffer
        Random rnd = new Random(5);
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int n = i == 700 || i == 2999 ? BatchBody.GATHER_BYTES + 17 : 1 + rnd.nextInt(200);
            byte[] r = new byte[n];
            Arrays.fill(r, (byte) ('a' + i % 26));
            records.add(r);
        }
        for (boolean ndjson : new boolean[] {false, true}) {
            Batch batch = new Batch("b-2", records, new ArrayList<>());
            BatchBody body = new RequestBuilder(ndjson, false, "h", "s").body(batch);
            List<Integer> writes = new ArrayList<>();
            ByteArrayOutputStream sent = new ByteArrayOutputStream() {
                @Override
                public synchronized void write(byte[] b, int off, int len) {
                    writes.add(len);
                    super.write(b, off, len);
                }

                @Override
                public synchronized void write(int b) {
                    writes.add(1);
                    super.write(b);
                }
            };
            body.writeTo(sent);
            byte[] bytes = sent.toByteArray();
            assertThat(bytes).hasSize((int) body.getContentLength()).isEqualTo(body.toByteArray());
            String text = new String(bytes, StandardCharsets.US_ASCII);
            String joined = String.join(ndjson ? "\n" : ",", records.stream()
                    .map(r -> new String(r, StandardCharsets.US_ASCII)).toList());
            // the envelope's head is envelopeHoldsHostnameServiceAndTheRecords' business
            assertThat(text).isEqualTo(ndjson ? joined + "\n" : text.substring(0, text.indexOf('[') + 1) + joined + "]}");
            // full buffers, the two large records as they are, and what was left at the end
            assertThat(writes).hasSizeLessThanOrEqualTo((int) (bytes.length / BatchBody.GATHER_BYTES) + 5)
                    .allMatch(n -> n <= BatchBody.GATHER_BYTES || n == BatchBody.GATHER_BYTES + 17);
        }
    }

    @Test
    void aPlainRequestCarriesTheStreamingBodyAndAGzipOneTheArrayCamelCompresses() {
        CamelContext camel = new DefaultCamelContext();
        for (boolean ndjson : new boolean[] {false, true}) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getIn().setBody(batch());
            new RequestBuilder(ndjson, false, "h", "s").build(exchange);
            assertThat(exchange.getIn().getHeader(Exchange.CONTENT_TYPE))
                    .isEqualTo(ndjson ? "application/x-ndjson" : "application/json");
        }
        for (boolean gzip : new boolean[] {false, true}) {
            Exchange exchange = new DefaultExchange(camel);
            exchange.getIn().setBody(batch());
            exchange.getIn().setHeader("X-From-A-Log-Line", "dropped");
            new RequestBuilder(false, gzip, "h", "s").build(exchange);
            Object body = exchange.getIn().getBody();
            assertThat(body).isInstanceOf(gzip ? byte[].class : BatchBody.class);
            assertThat(exchange.getIn().getHeaders()).doesNotContainKey("X-From-A-Log-Line")
                    .containsEntry(RequestBuilder.BATCH_ID_HEADER, "b-1");
            assertThat(exchange.getIn().getHeader(Exchange.CONTENT_ENCODING)).isEqualTo(gzip ? "gzip" : null);
            assertThat(exchange.getIn().getHeader(Exchange.HTTP_METHOD)).isEqualTo(HttpMethods.POST);
        }
    }
}
