package io.proxywatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookMessageTest {

    @Test
    void everyNotificationWithItsFieldsAndIsoTimes() throws Exception {
        JsonNode body = new ObjectMapper().readTree(new WebhookMessage().body(List.of(Samples.sqli(),
                Samples.withEvidence(List.of("a\"b\nc")))));
        assertThat(body.get("source").asText()).isEqualTo("proxywatch");
        JsonNode first = body.get("notifications").get(0);
        assertThat(first.get("rule").asText()).isEqualTo("sqli-union");
        assertThat(first.get("category").asText()).isEqualTo("sqli");
        assertThat(first.get("severity").asText()).isEqualTo("high");
        assertThat(first.get("state").asText()).isEqualTo("firing");
        assertThat(first.get("key").asText()).isEqualTo("203.0.113.9");
        assertThat(first.get("events").asLong()).isEqualTo(3);
        assertThat(first.get("total").asLong()).isEqualTo(12);
        assertThat(first.get("first_seen").asText()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(first.get("last_seen").asText()).isEqualTo("2024-05-01T10:04:59.123Z");
        assertThat(first.get("summary").asText()).startsWith("3 SQL");
        assertThat(first.get("evidence")).hasSize(2);
        assertThat(body.get("notifications").get(1).get("evidence").get(0).asText()).isEqualTo("a\"b\nc");
    }
}
