package io.proxywatch.alert;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * Reads a WeCom group robot's answer. Success is {@code "errcode":0} in the body, not the HTTP status: the robot
 * answers HTTP 200 to everything it refuses, e.g. {@code {"errcode":93000,"errmsg":"invalid webhook url, hint: [...]"}}.
 *
 * <table>
 *   <caption>errcodes</caption>
 *   <tr><th>errcode</th><th>meaning</th><th>outcome</th></tr>
 *   <tr><td>0</td><td>ok</td><td>OK (but FAIL when errmsg carries "Warning: wrong json format": WeCom took a
 *       body it could not fully read, so what the group saw is not what we sent: a bug in us)</td></tr>
 *   <tr><td>45009</td><td>api freq out of limit (20 messages a minute per robot)</td><td>RETRY after 60 s</td></tr>
 *   <tr><td>-1</td><td>system busy</td><td>RETRY</td></tr>
 *   <tr><td>93000</td><td>invalid webhook URL: the key is wrong or the robot was removed</td><td>FAIL</td></tr>
 *   <tr><td>40058, 44004, 40008</td><td>bad parameter (e.g. content over its limit), empty content, invalid
 *       message type: the message itself is wrong</td><td>FAIL</td></tr>
 *   <tr><td>other</td><td>undocumented here</td><td>FAIL: retrying an unknown refusal would only repeat it</td></tr>
 * </table>
 * An answer that is not JSON (a proxy's HTML error page) is RETRY.
 */
public final class WecomResponse {
    public static final long OK = 0;
    public static final long BUSY = -1;
    public static final long RATE_LIMITED = 45009;
    public static final long INVALID_WEBHOOK = 93000;
    public static final long BAD_PARAMETER = 40058;
    public static final long EMPTY_CONTENT = 44004;
    public static final long INVALID_MESSAGE_TYPE = 40008;
    /** The robot's limit is per minute, so a shorter wait only meets the same refusal. */
    public static final Duration RATE_LIMIT_WAIT = Duration.ofSeconds(60);

    private WecomResponse() {
    }

    public static ChannelAnswer read(String body) {
        JsonNode n = Responses.object(body);
        Long code = n == null ? null : Responses.number(n, "errcode");
        if (code == null) {
            return n == null ? Responses.notJson(body)
                    : ChannelAnswer.retry(-1, "", "a JSON answer without errcode: not the WeCom robot?", null);
        }
        String msg = Responses.text(n, "errmsg");
        if (code == OK) {
            return msg.contains("Warning") ? ChannelAnswer.fail(code, msg, "WeCom accepted the request with a "
                    + "warning about its JSON: the group may not see what was sent; a bug in proxywatch's body")
                    : ChannelAnswer.ok(code, msg);
        }
        if (code == RATE_LIMITED) {
            return ChannelAnswer.retry(code, msg, "rate limited: more than 20 messages in a minute", RATE_LIMIT_WAIT);
        }
        if (code == BUSY) {
            return ChannelAnswer.retry(code, msg, "WeCom is busy", null);
        }
        if (code == INVALID_WEBHOOK) {
            return ChannelAnswer.fail(code, msg, "invalid webhook URL: the key is wrong or the robot was removed "
                    + "from the group; nothing will reach WeCom until the key is fixed");
        }
        if (code == BAD_PARAMETER || code == EMPTY_CONTENT || code == INVALID_MESSAGE_TYPE) {
            return ChannelAnswer.fail(code, msg, "WeCom refused the message itself (too long, empty or malformed): "
                    + "a bug in proxywatch's body");
        }
        return ChannelAnswer.fail(code, msg, "WeCom refused the message");
    }

    /**
     * The answer when OK, else throws {@link ChannelRetryableException} or {@link ChannelRejectedException}.
     *
     * @param channel the channel's name for the message, e.g. "wecom"
     */
    public static ChannelAnswer check(String channel, String body) {
        return read(body).orThrow(channel);
    }
}
