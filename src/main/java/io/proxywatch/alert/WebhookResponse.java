package io.proxywatch.alert;

import java.util.Locale;

/**
 * The generic webhook's answer is its HTTP status alone: any 2xx is delivered, the body is not read. 408, 425,
 * 429 and 5xx are worth another try, another 4xx is a refusal (the receiver will not take this body). The same
 * reading suits a robot's own non-2xx answers (Feishu answers 400 to a body it cannot parse, gateways 502).
 */
public final class WebhookResponse {
    private WebhookResponse() {
    }

    public static ChannelAnswer read(int status) {
        if (status >= 200 && status < 300) {
            return ChannelAnswer.ok(status, "");
        }
        String what = String.format(Locale.ROOT, "HTTP %d", status);
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return ChannelAnswer.retry(status, what, "the receiver is busy, rate limiting or down", null);
        }
        return ChannelAnswer.fail(status, what, "the receiver refused the message");
    }

    /** The answer when 2xx, else throws {@link ChannelRetryableException} or {@link ChannelRejectedException}. */
    public static ChannelAnswer check(String channel, int status) {
        return read(status).orThrow(channel);
    }
}
