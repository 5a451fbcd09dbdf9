package io.proxywatch.alert;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * Reads a DingTalk custom robot's answer, {@code {"errcode":0,"errmsg":"ok"}} on success (HTTP 200 either way).
 *
 * <table>
 *   <caption>errcodes</caption>
 *   <tr><th>errcode</th><th>meaning</th><th>outcome</th></tr>
 *   <tr><td>0</td><td>ok</td><td>OK</td></tr>
 *   <tr><td>130101</td><td>send too fast, exceed 20 times per minute; DingTalk then throttles the robot for
 *       10 minutes</td><td>RETRY after 10 min</td></tr>
 *   <tr><td>-1</td><td>system busy</td><td>RETRY</td></tr>
 *   <tr><td>310000</td><td>a security check failed: "sign not match", "invalid timestamp" (our clock more than
 *       an hour off), "keywords not in content", or the IP is not allowed</td><td>FAIL</td></tr>
 *   <tr><td>300001</td><td>token is not exist: wrong access_token</td><td>FAIL</td></tr>
 *   <tr><td>other</td><td>a message DingTalk will not take</td><td>FAIL</td></tr>
 * </table>
 */
public final class DingtalkResponse {
    public static final long OK = 0;
    public static final long BUSY = -1;
    public static final long TOO_FAST = 130101;
    public static final long SECURITY_CHECK = 310000;
    public static final long NO_SUCH_TOKEN = 300001;
    /** DingTalk's documented penalty: a robot over 20 messages a minute is throttled for 10 minutes. */
    public static final Duration THROTTLE_WAIT = Duration.ofMinutes(10);

    private DingtalkResponse() {
    }

    public static ChannelAnswer read(String body) {
        JsonNode n = Responses.object(body);
        Long code = n == null ? null : Responses.number(n, "errcode");
        if (code == null) {
            return n == null ? Responses.notJson(body)
                    : ChannelAnswer.retry(-1, "", "a JSON answer without errcode: not the DingTalk robot?", null);
        }
        String msg = Responses.text(n, "errmsg");
        if (code == OK) {
            return ChannelAnswer.ok(code, msg);
        }
        if (code == TOO_FAST) {
            return ChannelAnswer.retry(code, msg, "rate limited: over 20 messages a minute, the robot is throttled "
                    + "for 10 minutes", THROTTLE_WAIT);
        }
        if (code == BUSY) {
            return ChannelAnswer.retry(code, msg, "DingTalk is busy", null);
        }
        if (code == SECURITY_CHECK) {
            return ChannelAnswer.fail(code, msg, "the robot's security check failed (signature secret, our clock, "
                    + "keyword or IP allow-list): fix the robot's settings or proxywatch's secret");
        }
        if (code == NO_SUCH_TOKEN) {
            return ChannelAnswer.fail(code, msg, "no robot with this access_token");
        }
        return ChannelAnswer.fail(code, msg, "DingTalk refused the message");
    }

    /** The answer when OK, else throws {@link ChannelRetryableException} or {@link ChannelRejectedException}. */
    public static ChannelAnswer check(String channel, String body) {
        return read(body).orThrow(channel);
    }
}
