package io.proxywatch.ship;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
        byte[] body = new RequestBuilder(false, false, "edge-1", "gate\"way").body(batch());
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
        assertThat(JSON.readTree(new RequestBuilder(false, false, "h", null).body(b)).get("service").asText())
                .isEqualTo("gateway");
    }

    @Test
    void ndjsonIsOneRecordPerLine() throws Exception {
        byte[] plain = new RequestBuilder(true, false, "h", null).body(batch());
        String[] lines = new String(plain, StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(JSON.readTree(lines[0]).get("trace_id").asText()).isEqualTo("t-1");
    }
}
