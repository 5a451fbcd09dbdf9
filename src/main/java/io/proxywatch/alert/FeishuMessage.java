package io.proxywatch.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxywatch.record.Jackson;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;

/**
 * A Feishu/Lark (飞书) custom bot message: {@code POST https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN} with
 * <pre>
 * {"timestamp":"T","sign":"S","msg_type":"text","content":{"text":"…"}}
 * </pre>
 * answered {@code {"code":0,"msg":"success"}} (see {@link FeishuResponse}).
 *
 * <p><b>Signing</b> (签名校验): {@code T} is the time in epoch <em>seconds</em>, as a string; {@code S =
 * base64(HmacSHA256(key = T + "\n" + secret, data = empty))}: the secret is in the key, the data is empty (unlike
 * DingTalk). Feishu refuses a {@code T} more than an hour off. Without a secret, no timestamp or sign is sent.
 *
 * <p><b>Text</b>: plain text, where Feishu acts on {@code <at user_id="all">} tags and {@code [text](url)} links;
 * log-derived text is made inert by {@link PlainText#inert}.
 *
 * <p><b>Length</b>: Feishu's guide for custom bots says a request body may not exceed 20 KB. The text is kept
 * within {@value #MAX_TEXT_BYTES} bytes: even if JSON escaping doubled every byte (a text of quotes and
 * backslashes) the body stays under 20 000 bytes.
 */
public final class FeishuMessage {
    public static final int MAX_TEXT_BYTES = 9000;
    public static final int MAX_BODY_BYTES = 20_000;

    private final String secret;
    private final Clock clock;

    /**
     * @param secret the bot's signing secret, or null/empty when the bot does not check signatures
     * @param clock  for the signature's timestamp
     */
    public FeishuMessage(String secret, Clock clock) {
        this.secret = secret == null ? "" : secret;
        this.clock = clock;
    }

    /** The signed request body for one notification (detailed) or several (a digest). */
    public String body(List<Notification> notifications) {
        ObjectNode root = Jackson.mapper().createObjectNode();
        if (!secret.isEmpty()) {
            long t = clock.millis() / 1000;
            root.put("timestamp", Long.toString(t));
            root.put("sign", sign(t, secret));
        }
        root.put("msg_type", "text");
        root.putObject("content").put("text", text(notifications));
        try {
            return Jackson.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text alone, at most {@value #MAX_TEXT_BYTES} bytes. */
    public String text(List<Notification> notifications) {
        return MessageText.render(notifications, MessageText.Style.FEISHU_TEXT, MAX_TEXT_BYTES, "");
    }

    /** {@code base64(HmacSHA256(key = epochSeconds + "\n" + secret, data = empty))}. */
    public static String sign(long epochSeconds, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((epochSeconds + "\n" + secret).getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(new byte[0]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
