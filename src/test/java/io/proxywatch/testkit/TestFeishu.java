package io.proxywatch.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * A Feishu/Lark (飞书) custom bot on 127.0.0.1, answering like {@code https://open.feishu.cn}: {@code POST
 * /open-apis/bot/v2/hook/TOKEN} with {@code {"timestamp":"T","sign":"S","msg_type":"text","content":{"text":…}}}.
 * Success is {@code {"StatusCode":0,"StatusMessage":"success","code":0,"data":{},"msg":"success"}} (current bots
 * send the old and the new fields); refusals {@code {"code":…,"data":{},"msg":…}}.
 *
 * <p>The signature is checked as Feishu documents it, computed here on its own: {@code S = base64(HmacSHA256(key
 * = T + "\n" + secret, data = empty))}, {@code T} epoch seconds as a string, within an hour of this bot's clock.
 * <table>
 *   <caption>what it answers</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>another path or method</td><td>HTTP 404</td></tr>
 *   <tr><td>wrong token</td><td>19001 "param invalid: incoming webhook access token invalid"</td></tr>
 *   <tr><td>a body over 20 KB (20480 bytes; Feishu's documented limit, code assumed)</td><td>HTTP 400,
 *       9499 "Bad Request"</td></tr>
 *   <tr><td>a body that is not a JSON object</td><td>HTTP 400, 9499 "Bad Request"</td></tr>
 *   <tr><td>missing, stale (over 1 h) or wrong timestamp/sign, when a secret is set</td><td>19021 "sign match fail
 *       or timestamp is not within one hour from current time"</td></tr>
 *   <tr><td>{@link #failNext} pending, 5 messages in the last second or 100 in the last minute</td>
 *       <td>11232 "frequency limited psm[lark.oapi.app_platform_runtime]appID[1500]"</td></tr>
 *   <tr><td>msg_type not text</td><td>19002 "param invalid: msg_type" (the real bot also takes post, image,
 *       share_chat and interactive; proxywatch sends text)</td></tr>
 *   <tr><td>a field the schema lacks, at any level, a wrong type, empty text (strict on purpose; code assumed)</td>
 *       <td>HTTP 400, 9499 "Bad Request: …"</td></tr>
 *   <tr><td>otherwise</td><td>0 "success", recorded</td></tr>
 * </table>
 */
public final class TestFeishu extends RobotServer {
    public static final String PATH_PREFIX = "/open-apis/bot/v2/hook/";
    public static final int MAX_BODY_BYTES = 20 * 1024;
    public static final Duration MAX_SKEW = Duration.ofHours(1);
    private static final Set<String> TOP = Set.of("timestamp", "sign", "msg_type", "content");

    private final String token;
    private final String secret;
    private final SlidingWindow perSecond = new SlidingWindow(5, Duration.ofSeconds(1));
    private final SlidingWindow perMinute = new SlidingWindow(100, Duration.ofSeconds(60));

    private TestFeishu(String token, String secret, Clock clock) {
        super("feishu", clock);
        this.token = token;
        this.secret = secret;
    }

    /** A bot with this hook token and signing secret (null: no signature required), on {@code clock}. */
    public static TestFeishu start(String token, String secret, Clock clock) throws IOException {
        TestFeishu t = new TestFeishu(token, secret, clock);
        t.bind();
        return t;
    }

    /** The webhook URL: {@code …/open-apis/bot/v2/hook/TOKEN}. */
    public String url() {
        return baseUrl() + PATH_PREFIX + token;
    }

    @Override
    protected Reply answer(Request r) {
        if (!r.path().startsWith(PATH_PREFIX) || !"POST".equals(r.method())) {
            return Reply.refuse(404, 404, "not found");
        }
        if (!r.path().equals(PATH_PREFIX + token)) {
            return Reply.refuse(19001, "param invalid: incoming webhook access token invalid");
        }
        JsonNode body = r.json();
        if (utf8(r.body()) > MAX_BODY_BYTES || body == null || !body.isObject()) {
            return Reply.refuse(400, 9499, "Bad Request");
        }
        if (secret != null && !signed(body, r.at())) {
            return Reply.refuse(19021, "sign match fail or timestamp is not within one hour from current time");
        }
        if (takeForcedFailure() || perSecond.full(r.at()) || perMinute.full(r.at())) {
            return rateLimited();
        }
        if (!"text".equals(body.path("msg_type").asText())) {
            return Reply.refuse(19002, "param invalid: msg_type");
        }
        String unknown = unknownField(body, TOP);
        JsonNode content = body.get("content");
        if (unknown == null && content != null && content.isObject()) {
            String u = unknownField(content, Set.of("text"));
            unknown = u == null ? null : "content." + u;
        }
        if (unknown != null) {
            return Reply.refuse(400, 9499, "Bad Request: unknown field " + unknown);
        }
        if (content == null || !content.path("text").isTextual() || content.path("text").asText().isEmpty()) {
            return Reply.refuse(400, 9499, "Bad Request: fail to parse content");
        }
        perSecond.record(r.at());
        perMinute.record(r.at());
        return Reply.ok(0, "success");
    }

    private boolean signed(JsonNode body, Instant now) {
        JsonNode ts = body.get("timestamp");
        JsonNode sign = body.get("sign");
        if (ts == null || !ts.isTextual() || sign == null || !sign.isTextual()) {
            return false;
        }
        long t;
        try {
            t = Long.parseLong(ts.asText());
        } catch (NumberFormatException e) {
            return false;
        }
        return Duration.between(Instant.ofEpochSecond(t), now).abs().compareTo(MAX_SKEW) <= 0
                && sign.asText().equals(expectedSign(t, secret));
    }

    /** Feishu's documented signature. */
    public static String expectedSign(long epochSeconds, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((epochSeconds + "\n" + secret).getBytes(StandardCharsets.UTF_8),
                    "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(new byte[0]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Reply rateLimited() {
        return Reply.refuse(11232, "frequency limited psm[lark.oapi.app_platform_runtime]appID[1500]");
    }

    @Override
    protected String answerJson(long code, String message) {
        ObjectNode o = JSON.createObjectNode();
        if (code == 0) {
            o.put("StatusCode", 0);
            o.put("StatusMessage", message);
        }
        o.put("code", code);
        o.putObject("data");
        o.put("msg", message);
        return o.toString();
    }
}
