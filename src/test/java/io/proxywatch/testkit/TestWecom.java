package io.proxywatch.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WeCom (企业微信) group robot on 127.0.0.1, answering like {@code https://qyapi.weixin.qq.com}: {@code POST
 * /cgi-bin/webhook/send?key=KEY} with a JSON body, always HTTP 200, the verdict in {@code errcode}:
 * <table>
 *   <caption>what it answers</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>another path or method</td><td>HTTP 404</td></tr>
 *   <tr><td>missing or wrong key</td><td>93000 "invalid webhook url, hint: […]…" (the real text)</td></tr>
 *   <tr><td>{@link #failNext} pending, or 20 messages already accepted in the last 60 s by the clock</td>
 *       <td>45009 "api freq out of limit" (20 a minute is the robot's documented limit)</td></tr>
 *   <tr><td>a body that is not a JSON object</td><td>40058 "Warning: wrong json format. …"</td></tr>
 *   <tr><td>msgtype not text or markdown</td><td>40008 "invalid message type" (the real robot has more types;
 *       proxywatch sends only these two)</td></tr>
 *   <tr><td>a field the schema lacks, at any level (e.g. {@code mentioned_all}, which does not exist; or a
 *       {@code mentioned_list} in markdown), or a field of the wrong type</td>
 *       <td>40058 "Warning: wrong json format. unknown field …" — stricter than WeCom, which we have seen
 *       answer errcode 0 with "Warning: wrong json format." and drop what it did not know: a silent loss we
 *       want a test to catch</td></tr>
 *   <tr><td>empty content</td><td>44004 "empty content"</td></tr>
 *   <tr><td>markdown.content over 4096 or text.content over 2048 UTF-8 bytes</td>
 *       <td>40058 "markdown.content exceed max length 4096. invalid Request Parameter…" (the real text)</td></tr>
 *   <tr><td>otherwise</td><td>0 "ok", recorded in {@link #accepted()}</td></tr>
 * </table>
 * Usage: {@code try (TestWecom wecom = TestWecom.start("KEY", clock)) { post to wecom.url(); …
 * wecom.awaitAccepted(1, Duration.ofSeconds(5)); }}
 */
public final class TestWecom extends RobotServer {
    public static final String PATH = "/cgi-bin/webhook/send";
    public static final int PER_MINUTE = 20;
    public static final int MARKDOWN_MAX_BYTES = 4096;
    public static final int TEXT_MAX_BYTES = 2048;
    private static final Set<String> TOP_TEXT = Set.of("msgtype", "text");
    private static final Set<String> TOP_MARKDOWN = Set.of("msgtype", "markdown");
    private static final Set<String> TEXT_FIELDS = Set.of("content", "mentioned_list", "mentioned_mobile_list");
    private static final Set<String> MARKDOWN_FIELDS = Set.of("content");

    private final String key;
    private final SlidingWindow window = new SlidingWindow(PER_MINUTE, Duration.ofSeconds(60));
    private final AtomicLong hints = new AtomicLong();

    private TestWecom(String key, Clock clock) {
        super("wecom", clock);
        this.key = key;
    }

    /** A robot whose valid key is {@code key}, on the system clock. */
    public static TestWecom start(String key) throws IOException {
        return start(key, Clock.systemUTC());
    }

    /** A robot whose valid key is {@code key}, counting its 60 s window on {@code clock}. */
    public static TestWecom start(String key, Clock clock) throws IOException {
        TestWecom t = new TestWecom(key, clock);
        t.bind();
        return t;
    }

    /** The webhook URL with the valid key. */
    public String url() {
        return url(key);
    }

    /** The webhook URL with any key (a wrong one for 93000 tests). */
    public String url(String anyKey) {
        return baseUrl() + PATH + "?key=" + anyKey;
    }

    @Override
    protected Reply answer(Request r) {
        if (!PATH.equals(r.path()) || !"POST".equals(r.method())) {
            return Reply.refuse(404, 404, "not found");
        }
        if (!key.equals(r.query().get("key"))) {
            return Reply.refuse(93000, "invalid webhook url" + hint(93000));
        }
        if (takeForcedFailure() || window.full(r.at())) {
            return rateLimited();
        }
        Reply invalid = validate(r.json());
        if (invalid != null) {
            return invalid;
        }
        window.record(r.at());
        return Reply.ok(0, "ok");
    }

    private Reply validate(JsonNode body) {
        if (body == null || !body.isObject()) {
            return Reply.refuse(40058, "Warning: wrong json format. invalid Request Parameter" + hint(40058));
        }
        JsonNode type = body.get("msgtype");
        String msgtype = type != null && type.isTextual() ? type.asText() : "";
        if (!msgtype.equals("text") && !msgtype.equals("markdown")) {
            return Reply.refuse(40008, "invalid message type" + hint(40008));
        }
        boolean text = msgtype.equals("text");
        String unknown = unknownField(body, text ? TOP_TEXT : TOP_MARKDOWN);
        JsonNode inner = body.get(msgtype);
        if (unknown == null && (inner == null || !inner.isObject())) {
            return Reply.refuse(40058, "Warning: wrong json format. missing " + msgtype + hint(40058));
        }
        if (unknown == null) {
            String u = unknownField(inner, text ? TEXT_FIELDS : MARKDOWN_FIELDS);
            unknown = u == null ? null : msgtype + "." + u;
        }
        if (unknown != null) {
            return Reply.refuse(40058, "Warning: wrong json format. unknown field " + unknown + hint(40058));
        }
        JsonNode content = inner.get("content");
        if (content != null && !content.isTextual()
                || !stringArrayOrAbsent(inner.get("mentioned_list"))
                || !stringArrayOrAbsent(inner.get("mentioned_mobile_list"))) {
            return Reply.refuse(40058, "Warning: wrong json format. invalid field type" + hint(40058));
        }
        if (content == null || content.asText().isEmpty()) {
            return Reply.refuse(44004, "empty content" + hint(44004));
        }
        int max = text ? TEXT_MAX_BYTES : MARKDOWN_MAX_BYTES;
        if (utf8(content.asText()) > max) {
            return Reply.refuse(40058, msgtype + ".content exceed max length " + max
                    + ". invalid Request Parameter" + hint(40058));
        }
        return null;
    }

    @Override
    protected Reply rateLimited() {
        return Reply.refuse(45009, "api freq out of limit" + hint(45009));
    }

    @Override
    protected String answerJson(long code, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("errcode", code);
        o.put("errmsg", message);
        return o.toString();
    }

    /** The real robot's suffix: ", hint: [id], from ip: …, more info at …?e=CODE". */
    private String hint(long code) {
        return String.format(Locale.ROOT, ", hint: [%d_%06d], from ip: 127.0.0.1, more info at "
                + "https://open.work.weixin.qq.com/devtool/query?e=%d", clock.millis() / 1000,
                hints.incrementAndGet(), code);
    }
}
