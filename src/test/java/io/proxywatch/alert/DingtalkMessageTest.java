package io.proxywatch.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.proxywatch.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DingtalkMessageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "SEC0123456789abcdef";
    private static final long T = 1_700_000_000_000L;

    @Test
    void signatureMatchesAVectorComputedElsewhere() {
        // Computed with Python's hmac/base64/urllib.parse.quote_plus, DingTalk's own sample code.
        assertThat(DingtalkMessage.sign(T, SECRET)).isEqualTo("TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=");
    }

    @Test
    void signatureMatchesJavaxCryptoWithDingtalksKeyAndData() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(
                mac.doFinal((T + "\n" + SECRET).getBytes(StandardCharsets.UTF_8)));
        assertThat(DingtalkMessage.sign(T, SECRET)).isEqualTo(expected);
    }

    @Test
    void signedUrlCarriesMillisAndTheUrlEncodedSign() {
        MutableClock clock = new MutableClock();
        clock.set(T);
        String url = DingtalkMessage.signedUrl("https://oapi.dingtalk.com/robot/send?access_token=abc", SECRET, clock);
        assertThat(url).isEqualTo("https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000"
                + "&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
        assertThat(url).endsWith(URLEncoder.encode(DingtalkMessage.sign(T, SECRET), StandardCharsets.UTF_8));
        assertThat(DingtalkMessage.signParams(SECRET, clock))
                .isEqualTo("timestamp=1700000000000&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
    }

    @Test
    void aStaleSignatureInTheBaseUrlIsReplaced() {
        MutableClock clock = new MutableClock();
        clock.set(T);
        String url = DingtalkMessage.signedUrl("https://x/robot/send?access_token=abc&timestamp=1&sign=old", SECRET,
                clock);
        assertThat(url).containsOnlyOnce("timestamp=").containsOnlyOnce("sign=").doesNotContain("sign=old");
    }

    @Test
    void noSecretNoSignature() {
        assertThat(DingtalkMessage.signedUrl("https://x/robot/send?access_token=abc", "", new MutableClock()))
                .isEqualTo("https://x/robot/send?access_token=abc");
    }

    @Test
    void bodyHasTheRealSchemaAndMentionsInTheText() throws Exception {
        DingtalkMessage m = new DingtalkMessage(List.of("13800001111"), List.of("user123"), false);
        JsonNode body = JSON.readTree(m.body(List.of(Samples.sqli())));
        assertThat(body.get("msgtype").asText()).isEqualTo("markdown");
        assertThat(body.get("markdown").get("title").asText()).isEqualTo("[HIGH] sqli firing — 203.0.113.9");
        String text = body.get("markdown").get("text").asText();
        assertThat(text).startsWith("**[HIGH] sqli firing — 203.0.113.9**\n\n")
                .endsWith("\n\n@13800001111 @user123");
        assertThat(body.get("at").get("atMobiles").get(0).asText()).isEqualTo("13800001111");
        assertThat(body.get("at").get("atUserIds").get(0).asText()).isEqualTo("user123");
        assertThat(body.get("at").get("isAtAll").asBoolean()).isFalse();
    }

    @Test
    void aLogLineCannotMentionAnyone() throws Exception {
        DingtalkMessage m = new DingtalkMessage(List.of(), List.of(), false);
        String text = JSON.readTree(m.body(List.of(Samples.withEvidence(List.of("hi @13800001111 @all")))))
                .get("markdown").get("text").asText();
        assertThat(text).doesNotContain("@");
    }

    @Test
    void aDigestStaysWithinOurLimitAndAccountsForEverything() throws Exception {
        DingtalkMessage m = new DingtalkMessage(List.of(), List.of(), true);
        JsonNode body = JSON.readTree(m.body(Samples.many(400)));
        String text = body.get("markdown").get("text").asText();
        assertThat(Utf8Limit.bytes(text)).isLessThanOrEqualTo(DingtalkMessage.MAX_TEXT_BYTES);
        assertThat(text).contains("more incidents").endsWith("@所有人");
        assertThat(body.get("markdown").get("title").asText()).isEqualTo("400 proxywatch incidents");
        assertThat(body.get("at").get("isAtAll").asBoolean()).isTrue();
    }

    @Test
    void malformedMentionsAreRefused() {
        assertThatThrownBy(() -> new DingtalkMessage(List.of("138 0000"), List.of(), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mobile");
    }
}
