package io.proxywatch.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.proxywatch.record.Jackson;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * A DingTalk (钉钉) custom robot message: {@code POST https://oapi.dingtalk.com/robot/send?access_token=TOKEN
 * &timestamp=T&sign=S} with
 * <pre>
 * {"msgtype":"markdown","markdown":{"title":"…","text":"…"},"at":{"atMobiles":[…],"atUserIds":[…],"isAtAll":false}}
 * </pre>
 * answered {@code {"errcode":0,"errmsg":"ok"}} (see {@link DingtalkResponse}).
 *
 * <p><b>Signing</b> ("加签"): {@code T} is the time in epoch milliseconds, {@code S = urlencode(base64(
 * HmacSHA256(key = secret, data = T + "\n" + secret)))}; DingTalk refuses a {@code T} more than an hour from its
 * clock, so the URL is made per request ({@link #signedUrl}).
 *
 * <p><b>Mentions</b>: DingTalk notifies the people in {@code at}, and shows the mention where the text contains
 * {@code @mobile} or {@code @userId}, so the configured ones are also written at the end of the text. A log line
 * cannot add one: its {@code @} is made inert ({@link Markdown}).
 *
 * <p><b>Length</b>: we keep the markdown text within {@value #MAX_TEXT_BYTES} UTF-8 bytes. That is our own
 * conservative limit: DingTalk's robot documentation as we could find it states no byte limit for a markdown
 * message (the 20000-byte figure sometimes quoted could not be confirmed), and a message for a phone screen
 * should be short anyway; alerts.log has everything.
 */
public final class DingtalkMessage {
    public static final int MAX_TEXT_BYTES = 4096;
    public static final int MAX_TITLE_BYTES = 128;
    private static final Pattern MENTION = Pattern.compile("[A-Za-z0-9_.+\\-]{1,64}");

    private final List<String> atMobiles;
    private final List<String> atUserIds;
    private final boolean atAll;

    /**
     * @param atMobiles mobile numbers to mention
     * @param atUserIds DingTalk user ids to mention
     * @param atAll     mention everyone ({@code isAtAll})
     * @throws IllegalArgumentException for an id or number with characters that could break the text
     */
    public DingtalkMessage(List<String> atMobiles, List<String> atUserIds, boolean atAll) {
        this.atMobiles = checked(atMobiles, "mobile number");
        this.atUserIds = checked(atUserIds, "user id");
        this.atAll = atAll;
    }

    /** The request body for one notification (detailed) or several (a digest). */
    public String body(List<Notification> notifications) {
        ObjectNode root = Jackson.mapper().createObjectNode();
        root.put("msgtype", "markdown");
        ObjectNode md = root.putObject("markdown");
        md.put("title", title(notifications));
        md.put("text", text(notifications));
        ObjectNode at = root.putObject("at");
        ArrayNode mobiles = at.putArray("atMobiles");
        atMobiles.forEach(mobiles::add);
        ArrayNode users = at.putArray("atUserIds");
        atUserIds.forEach(users::add);
        at.put("isAtAll", atAll);
        try {
            return Jackson.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The markdown text, at most {@value #MAX_TEXT_BYTES} bytes, mentions included. */
    public String text(List<Notification> notifications) {
        StringJoiner mentions = new StringJoiner(" ");
        atMobiles.forEach(m -> mentions.add("@" + m));
        atUserIds.forEach(u -> mentions.add("@" + u));
        if (atAll) {
            mentions.add("@所有人");
        }
        return MessageText.render(notifications, MessageText.Style.DINGTALK_MARKDOWN, MAX_TEXT_BYTES,
                mentions.toString());
    }

    /** The conversation-list preview: plain text (not rendered), so only made single-line and inert. */
    public String title(List<Notification> notifications) {
        String t = notifications.size() == 1 ? MessageText.title(notifications.get(0))
                : notifications.size() + " proxywatch incidents";
        return Utf8Limit.cut(PlainText.line(t), MAX_TITLE_BYTES);
    }

    /**
     * {@code baseUrl} (the robot's webhook with its {@code access_token}) plus {@code timestamp} and {@code sign}
     * for now; {@code baseUrl} unchanged when {@code secret} is empty (a robot secured by keyword or IP only).
     * Any {@code timestamp}/{@code sign} already in {@code baseUrl} are replaced.
     */
    public static String signedUrl(String baseUrl, String secret, Clock clock) {
        if (secret == null || secret.isEmpty()) {
            return baseUrl;
        }
        String url = withoutParams(baseUrl);
        return url + (url.indexOf('?') < 0 ? '?' : '&') + signParams(secret, clock);
    }

    /**
     * {@code timestamp=T&sign=S} for now, URL-encoded, to append to the robot's query (e.g. after
     * {@code access_token=…} in {@code CamelHttpQuery}).
     */
    public static String signParams(String secret, Clock clock) {
        long t = clock.millis();
        return "timestamp=" + t + "&sign=" + URLEncoder.encode(sign(t, secret), StandardCharsets.UTF_8);
    }

    /** {@code base64(HmacSHA256(key = secret, data = timestampMillis + "\n" + secret))}, not URL-encoded. */
    public static String sign(long timestampMillis, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e); // every JVM has it
        }
    }

    private static String withoutParams(String url) {
        int q = url.indexOf('?');
        if (q < 0) {
            return url;
        }
        StringJoiner kept = new StringJoiner("&");
        for (String pair : url.substring(q + 1).split("&")) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            if (!pair.isEmpty() && !name.equals("timestamp") && !name.equals("sign")) {
                kept.add(pair);
            }
        }
        return url.substring(0, q) + (kept.length() == 0 ? "" : "?" + kept);
    }

    private static List<String> checked(List<String> values, String what) {
        List<String> copy = values == null ? List.of() : List.copyOf(values);
        for (String v : copy) {
            if (!MENTION.matcher(v).matches()) {
                throw new IllegalArgumentException("not a DingTalk " + what + ": '" + PlainText.line(v) + "'");
            }
        }
        return copy;
    }
}
