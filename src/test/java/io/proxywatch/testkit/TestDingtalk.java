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
 * A DingTalk (钉钉) custom robot on 127.0.0.1, answering like {@code https://oapi.dingtalk.com}: {@code POST
 * /robot/send?access_token=TOKEN&timestamp=T&sign=S}, always HTTP 200, the verdict in {@code errcode}.
 *
 * <p>The signature is checked the way DingTalk documents it, computed here on its own (not by calling
 * proxywatch's code): {@code S = urlencode(base64(HmacSHA256(key = secret, data = T + "\n" + secret)))}, {@code T}
 * in epoch milliseconds within an hour of this robot's clock.
 * <table>
 *   <caption>what it answers</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>another path or method</td><td>HTTP 404</td></tr>
 *   <tr><td>missing or wrong access_token</td><td>300001 "token is not exist"</td></tr>
 *   <tr><td>missing, malformed or stale (over 1 h) timestamp</td><td>310000 "invalid timestamp"</td></tr>
 *   <tr><td>missing or wrong sign</td><td>310000 "sign not match"</td></tr>
 *   <tr><td>throttled, {@link #failNext} pending, or the 21st message in 60 s</td><td>130101 "send too fast,
 *       exceed 20 times per minute"; the 21st also throttles the robot for 10 minutes, as DingTalk
 *       documents</td></tr>
 *   <tr><td>a body that is not a JSON object (assumed code)</td><td>40035 "缺少参数 json"</td></tr>
 *   <tr><td>msgtype not text or markdown, a field the schema lacks at any level, a wrong type, a missing
 *       title/text/content (assumed code; DingTalk ignores unknown fields, this robot is strict on purpose)</td>
 *       <td>40035 "invalid parameter: …"</td></tr>
 *   <tr><td>markdown.text or text.content over {@link #maxTextBytes()} (20000 unless set; DingTalk's own limit
 *       is not documented where we looked, the code is assumed)</td><td>460101 "message too long"</td></tr>
 *   <tr><td>otherwise</td><td>0 "ok", recorded</td></tr>
 * </table>
 */
public final class TestDingtalk extends RobotServer {
    public static final String PATH = "/robot/send";
    public static final int PER_MINUTE = 20;
    public static final Duration THROTTLE = Duration.ofMinutes(10);
    public static final Duration MAX_SKEW = Duration.ofHours(1);
    private static final Set<String> TOP = Set.of("msgtype", "text", "markdown", "at");
    private static final Set<String> AT = Set.of("atMobiles", "atUserIds", "isAtAll");

    private final String token;
    private final String secret;
    private final int maxTextBytes;
    private final SlidingWindow window = new SlidingWindow(PER_MINUTE, Duration.ofSeconds(60));
    private Instant throttledUntil = Instant.MIN;

    private TestDingtalk(String token, String secret, Clock clock, int maxTextBytes) {
        super("dingtalk", clock);
        this.token = token;
        this.secret = secret;
        this.maxTextBytes = maxTextBytes;
    }

    /**
     * A robot with this access token and signing secret (null: no signature required), on {@code clock}.
     */
    public static TestDingtalk start(String token, String secret, Clock clock) throws IOException {
        return start(token, secret, clock, 20_000);
    }

    /** The same, refusing texts over {@code maxTextBytes} UTF-8 bytes. */
    public static TestDingtalk start(String token, String secret, Clock clock, int maxTextBytes) throws IOException {
        TestDingtalk t = new TestDingtalk(token, secret, clock, maxTextBytes);
        t.bind();
        return t;
    }

    /** The webhook URL as DingTalk hands it out (unsigned): {@code …/robot/send?access_token=TOKEN}. */
    public String url() {
        return baseUrl() + PATH + "?access_token=" + token;
    }

    public int maxTextBytes() {
        return maxTextBytes;
    }

    @Override
    protected Reply answer(Request r) {
        if (!PATH.equals(r.path()) || !"POST".equals(r.method())) {
            return Reply.refuse(404, 404, "not found");
        }
        if (!token.equals(r.query().get("access_token"))) {
            return Reply.refuse(300001, "token is not exist");
        }
        if (secret != null) {
            Reply bad = checkSign(r);
            if (bad != null) {
                return bad;
            }
        }
        if (r.at().isBefore(throttledUntil) || takeForcedFailure()) {
            return rateLimited();
        }
        if (window.full(r.at())) {
            throttledUntil = r.at().plus(THROTTLE);
            return rateLimited();
        }
        Reply invalid = validate(r.json());
        if (invalid != null) {
            return invalid;
        }
        window.record(r.at());
        return Reply.ok(0, "ok");
    }

    private Reply checkSign(Request r) {
        long t;
        try {
            t = Long.parseLong(r.query().getOrDefault("timestamp", ""));
        } catch (NumberFormatException e) {
            return Reply.refuse(310000, "invalid timestamp");
        }
        if (Duration.between(Instant.ofEpochMilli(t), r.at()).abs().compareTo(MAX_SKEW) > 0) {
            return Reply.refuse(310000, "invalid timestamp");
        }
        String sign = r.query().get("sign"); // already URL-decoded, as DingTalk's server does
        if (sign == null || !sign.equals(expectedSign(t, secret))) {
            return Reply.refuse(310000, "sign not match");
        }
        return null;
    }

    /** DingTalk's documented signature, base64 (before URL-encoding). */
    public static String expectedSign(long timestampMillis, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(
                    mac.doFinal((timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Reply validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            return Reply.refuse(40035, "缺少参数 json");
        }
        String msgtype = body.path("msgtype").asText("");
        if (!msgtype.equals("text") && !msgtype.equals("markdown")) {
            return Reply.refuse(40035, "invalid parameter: msgtype '" + msgtype + "'");
        }
        String unknown = unknownField(body, TOP);
        if (unknown == null && body.has(msgtype.equals("text") ? "markdown" : "text")) {
            unknown = msgtype.equals("text") ? "markdown" : "text";
        }
        JsonNode inner = body.get(msgtype);
        if (unknown == null && inner != null && inner.isObject()) {
            String u = unknownField(inner, msgtype.equals("text") ? Set.of("content") : Set.of("title", "text"));
            unknown = u == null ? null : msgtype + "." + u;
        }
        JsonNode at = body.get("at");
        if (unknown == null && at != null) {
            if (!at.isObject()) {
                return Reply.refuse(40035, "invalid parameter: at");
            }
            String u = unknownField(at, AT);
            unknown = u == null ? null : "at." + u;
        }
        if (unknown != null) {
            return Reply.refuse(40035, "invalid parameter: unknown field " + unknown);
        }
        if (at != null && (!stringArrayOrAbsent(at.get("atMobiles")) || !stringArrayOrAbsent(at.get("atUserIds"))
                || (at.has("isAtAll") && !at.get("isAtAll").isBoolean()))) {
            return Reply.refuse(40035, "invalid parameter: at");
        }
        if (inner == null || !inner.isObject()) {
            return Reply.refuse(40035, "invalid parameter: " + msgtype);
        }
        String textField = msgtype.equals("text") ? "content" : "text";
        JsonNode text = inner.get(textField);
        if (text == null || !text.isTextual() || text.asText().isBlank()
                || (msgtype.equals("markdown") && !inner.path("title").isTextual())) {
            return Reply.refuse(40035, "invalid parameter: " + msgtype + "." + textField + " or title missing");
        }
        if (utf8(text.asText()) > maxTextBytes) {
            return Reply.refuse(460101, "message too long, exceed " + maxTextBytes + " bytes");
        }
        return null;
    }

    @Override
    protected Reply rateLimited() {
        return Reply.refuse(130101, "send too fast, exceed 20 times per minute");
    }

    @Override
    protected String answerJson(long code, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("errcode", code);
        o.put("errmsg", message);
        return o.toString();
    }
}
