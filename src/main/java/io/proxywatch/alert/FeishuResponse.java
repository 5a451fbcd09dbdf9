package io.proxywatch.alert;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * Reads a Feishu/Lark custom bot's answer: {@code {"code":0,"msg":"success"}}, from older bots
 * {@code {"StatusCode":0,"StatusMessage":"success"}} (current ones send both).
 *
 * <table>
 *   <caption>codes</caption>
 *   <tr><th>code</th><th>meaning</th><th>outcome</th></tr>
 *   <tr><td>0</td><td>success</td><td>OK</td></tr>
 *   <tr><td>11232</td><td>frequency limited (100 a minute, 5 a second per bot)</td><td>RETRY</td></tr>
 *   <tr><td>9499</td><td>"Bad Request" (a body Feishu cannot parse: FAIL), or "too many request"
 *       (RETRY)</td><td>by its message</td></tr>
 *   <tr><td>19021</td><td>sign match fail or timestamp is not within one hour</td><td>FAIL</td></tr>
 *   <tr><td>19022</td><td>Ip Not Allowed</td><td>FAIL</td></tr>
 *   <tr><td>19024</td><td>Key Words Not Found</td><td>FAIL</td></tr>
 *   <tr><td>other</td><td>e.g. 19001 an invalid hook token, 19002 a bad parameter</td><td>FAIL</td></tr>
 * </table>
 */
public final class FeishuResponse {
    public static final long OK = 0;
    public static final long FREQUENCY_LIMITED = 11232;
    public static final long BAD_REQUEST = 9499;
    public static final long SIGN_MISMATCH = 19021;
    public static final long IP_NOT_ALLOWED = 19022;
    public static final long KEYWORD_MISSING = 19024;

    private FeishuResponse() {
    }

    public static ChannelAnswer read(String body) {
        JsonNode n = Responses.object(body);
        if (n == null) {
            return Responses.notJson(body);
        }
        Long code = Responses.number(n, "code");
        String msg = Responses.text(n, "msg");
        if (code == null) {
            code = Responses.number(n, "StatusCode");
            msg = Responses.text(n, "StatusMessage");
        }
        if (code == null) {
            return ChannelAnswer.retry(-1, "", "a JSON answer without code: not the Feishu bot?", null);
        }
        if (code == OK) {
            return ChannelAnswer.ok(code, msg);
        }
        if (code == FREQUENCY_LIMITED) {
            return ChannelAnswer.retry(code, msg, "rate limited (100 messages a minute, 5 a second)", null);
        }
        if (code == BAD_REQUEST) {
            String m = msg.toLowerCase(Locale.ROOT);
            return m.contains("too many") || m.contains("frequency")
                    ? ChannelAnswer.retry(code, msg, "rate limited", null)
                    : ChannelAnswer.fail(code, msg, "Feishu could not read the message: a bug in proxywatch's body");
        }
        if (code == SIGN_MISMATCH) {
            return ChannelAnswer.fail(code, msg, "signature refused: wrong secret, or our clock is more than an "
                    + "hour off");
        }
        if (code == IP_NOT_ALLOWED) {
            return ChannelAnswer.fail(code, msg, "this host's IP is not on the bot's allow-list");
        }
        if (code == KEYWORD_MISSING) {
            return ChannelAnswer.fail(code, msg, "the message lacks the bot's required keyword");
        }
        return ChannelAnswer.fail(code, msg, "Feishu refused the message");
    }

    /** The answer when OK, else throws {@link ChannelRetryableException} or {@link ChannelRejectedException}. */
    public static ChannelAnswer check(String channel, String body) {
        return read(body).orThrow(channel);
    }
}
