package io.proxywatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FeishuMessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void signatureMatchesPublishedAndIndependentVectors() {
        // Published by another Feishu client's tests and checked with Python's hmac: key = "T\nsecret", data = "".
        assertThat(FeishuMessage.sign(1756800000L, "orbit-test-secret"))
                .isEqualTo("sN+9ZKa5w6BQmKyxCaxNA1DWEgtEnZaOcfEOCqZ26fg=");
        assertThat(FeishuMessage.sign(1700000000L, "feishu-secret"))
                .isEqualTo("OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU=");
    }

    @Test
    void signatureMatchesJavaxCryptoWithTheSecretInTheKey() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(("1700000000\nfeishu-secret").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal(new byte[0]));
        assertThat(FeishuMessage.sign(1700000000L, "feishu-secret")).isEqualTo(expected);
    }

    @Test
    void signedBodyHasSecondsAsAStringAndTheSign() throws Exception {
        MutableClock clock = new MutableClock();
        clock.set(1_700_000_000_999L);
        JsonNode body = JSON.readTree(new FeishuMessage("feishu-secret", clock).body(List.of(Samples.sqli())));
        assertThat(body.get("timestamp").isTextual()).isTrue();
        assertThat(body.get("timestamp").asText()).isEqualTo("1700000000");
        assertThat(body.get("sign").asText()).isEqualTo("OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU=");
        assertThat(body.get("msg_type").asText()).isEqualTo("text");
        assertThat(body.get("content").get("text").asText()).startsWith("[HIGH] sqli firing — 203.0.113.9\n");
        assertThat(body.size()).isEqualTo(4);
    }

    @Test
    void noSecretNoSignature() throws Exception {
        JsonNode body = JSON.readTree(new FeishuMessage(null, new MutableClock()).body(List.of(Samples.sqli())));
        assertThat(body.has("timestamp")).isFalse();
        assertThat(body.has("sign")).isFalse();
    }

    @Test
    void aLogLineCannotMentionAllOrLink() throws Exception {
        String text = JSON.readTree(new FeishuMessage(null, new MutableClock()).body(List.of(Samples.withEvidence(
                        List.of("<at user_id=\"all\">所有人</at> [win](https://evil.example)")))))
                .get("content").get("text").asText();
        assertThat(text).doesNotContain("<at", "[win]");
    }

    @Test
    void theBodyStaysUnderTwentyKilobytesEvenForTheWorstText() {
        String quotes = "\"\\".repeat(10_000);
        Notification n = new Notification("r", "xss", "high", "firing", quotes, 1, 1, Samples.FIRST, Samples.LAST,
                quotes, List.of(quotes, quotes, quotes, quotes, quotes), false);
        List<Notification> many = new java.util.ArrayList<>(Samples.many(500));
        many.add(n);
        for (List<Notification> ns : List.of(List.of(n), many)) {
            String body = new FeishuMessage("s", new MutableClock()).body(ns);
            assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FeishuMessage.MAX_BODY_BYTES);
        }
    }
}
